// The `marac score` JSON contract: one assessment in, one result out.
// Input and output fields are listed in docs/cli.md; keys are snake_case.
#ifndef MARAC_SERVICES_CLI_ASSESSMENT_JSON_H_
#define MARAC_SERVICES_CLI_ASSESSMENT_JSON_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marac/assess/checklist.h"
#include "marac/assess/instrument.h"
#include "marac/assess/score.h"
#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

struct ParsedAssessment {
  std::string assessment_id;
  Checklist checklist;
  Date completed_on;
  CaseHistory history;
  // For a supplement (S-DASH, H-DASH): the checklist that led to it.
  std::string parent_assessment_id = {};
};

struct ParseLimits {
  // Dates before this are refused as implausible (DASH dates from 2009).
  Date earliest{1990, 1, 1};
  // Dates after this are refused as in the future; nullopt skips the check.
  std::optional<Date> latest;
};

// Parses one assessment. Errors name the field path and the problem, e.g.
// "answers.25: safelives-ric has questions 1-24", and cover syntax, invalid
// UTF-8, duplicate and unknown keys, wrong types, out-of-range numbers,
// impossible dates and a referral dated after completion.
Result<ParsedAssessment> ParseAssessment(std::string_view json_text,
                                         const InstrumentSet& instruments,
                                         const ParseLimits& limits);

// What one result line says, whether scored here or by a server: the
// fields of docs/cli.md's result object, in order.
struct ResultView {
  std::string_view assessment_id;
  std::string_view parent_assessment_id;  // Empty: none (not written).
  std::string_view instrument;
  std::string_view instrument_version;
  std::string_view policy_version;
  int score = 0;
  int answered = 0;
  std::vector<int> unanswered;
  std::vector<int> not_known;
  int max_possible_score = 0;
  std::optional<int> ric_equivalent_score;
  std::string_view grade;  // standard | medium | high | not_graded
  bool incomplete = false;
  bool could_be_high = false;
  bool marac_referral = false;
  std::vector<Finding> criteria;
  std::vector<Finding> criteria_not_met;
  std::vector<Finding> high_harm_indicators;
  std::vector<Finding> prompts;
};

// The view of a local score (string fields point into both arguments).
ResultView ViewOf(const ParsedAssessment& assessment, const RiskScore& score);

// Appends the result as one JSON object (no newline).
void AppendResultJson(const ResultView& view, std::string& out);
inline void AppendResultJson(const ParsedAssessment& assessment,
                             const RiskScore& score, std::string& out) {
  AppendResultJson(ViewOf(assessment, score), out);
}

// Appends `text` as a JSON string literal, escaping as RFC 8259 requires.
void AppendJsonString(std::string_view text, std::string& out);

}  // namespace marac

#endif  // MARAC_SERVICES_CLI_ASSESSMENT_JSON_H_
