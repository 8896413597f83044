// The `marac score` JSON contract: one assessment in, one result out.
// Input and output fields are listed in docs/cli.md; keys are snake_case.
#ifndef MARAC_SERVICES_CLI_ASSESSMENT_JSON_H_
#define MARAC_SERVICES_CLI_ASSESSMENT_JSON_H_

#include <optional>
#include <string>
#include <string_view>

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

// Appends the result for `assessment` as one JSON object (no newline).
void AppendResultJson(const ParsedAssessment& assessment,
                      const RiskScore& score, std::string& out);

// Appends `text` as a JSON string literal, escaping as RFC 8259 requires.
void AppendJsonString(std::string_view text, std::string& out);

}  // namespace marac

#endif  // MARAC_SERVICES_CLI_ASSESSMENT_JSON_H_
