// The output side of the `marac score` contract, run in-process through
// RunMain: which keys a result has and their JSON types, and the values at
// the boundaries that other systems act on (grade bands, the referral
// criteria, incomplete and not-known answers, professional judgement).
// Inputs are built with nlohmann::json; every person and id is invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "services/cli/commands.h"
#include "tests/cli/run_cli.h"

namespace marac {
namespace {

using ::nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr const char* kToday = "2026-06-01";
constexpr const char* kCompletedOn = "2026-03-01";
constexpr int kRicItems = 24;
constexpr int kPoliceItems = 27;
constexpr int kStalkingItems = 11;

struct CommandResult {
  int exit_status = -1;
  std::string out;
  std::string err;
};

// Runs `marac score --today <today> -` on `input`.
CommandResult RunScoreCommand(std::string_view input,
                              const char* today = kToday) {
  CliRun run = RunCli({"score", "--today", today, "-"}, input);
  return {run.status, std::move(run.out), std::move(run.err)};
}

// Scores one assessment that must be accepted; returns its result object, or
// null after recording a test failure.
json ScoreOne(const json& assessment) {
  const CommandResult r = RunScoreCommand(assessment.dump());
  EXPECT_EQ(r.exit_status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  if (r.out.empty() || r.out.back() != '\n' ||
      r.out.find('\n') != r.out.size() - 1) {
    ADD_FAILURE() << "want exactly one result line, got: " << r.out;
    return nullptr;
  }
  json result = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
  if (result.is_discarded() || !result.is_object()) {
    ADD_FAILURE() << "the result is not a JSON object: " << r.out;
    return nullptr;
  }
  return result;
}

// An assessment of `instrument` completed on kCompletedOn.
json Assessment(std::string_view instrument, json answers) {
  return {{"assessment_id", "contract-1"},
          {"instrument", instrument},
          {"completed_on", kCompletedOn},
          {"answers", std::move(answers)}};
}

// Answers to items 1..item_count: "yes" for those in `yes`, `rest` for the
// others.
json Answers(int item_count, std::initializer_list<int> yes,
             const char* rest = "no") {
  json answers = json::object();
  for (int n = 1; n <= item_count; ++n) {
    const bool is_yes = std::find(yes.begin(), yes.end(), n) != yes.end();
    answers[std::to_string(n)] = is_yes ? "yes" : rest;
  }
  return answers;
}

// Items 1..yes_count "yes", the rest up to answered "no", the rest not asked.
json FirstYes(int yes_count, int answered) {
  json answers = json::object();
  for (int n = 1; n <= answered; ++n) {
    answers[std::to_string(n)] = n <= yes_count ? "yes" : "no";
  }
  return answers;
}

// The ids of a list of findings: Ids(result["criteria"], "criterion").
std::vector<std::string> Ids(const json& findings, const char* key) {
  std::vector<std::string> ids;
  if (!findings.is_array()) return ids;
  for (const json& f : findings) ids.push_back(f.value(key, "<none>"));
  return ids;
}

std::vector<int> Range(int from, int to) {
  std::vector<int> out;
  for (int n = from; n <= to; ++n) out.push_back(n);
  return out;
}

std::vector<std::string> Keys(const json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool IsIntList(const json& value) {
  return value.is_array() &&
         std::all_of(value.begin(), value.end(),
                     [](const json& v) { return v.is_number_integer(); });
}

// Every element an object with exactly `string_keys` as strings and, when
// `with_items`, "items" as a list of item numbers.
void ExpectFindings(const json& findings, const char* field,
                    std::vector<std::string> string_keys, bool with_items) {
  SCOPED_TRACE(field);
  ASSERT_TRUE(findings.is_array()) << findings.dump();
  std::vector<std::string> want_keys = string_keys;
  if (with_items) want_keys.push_back("items");
  std::sort(want_keys.begin(), want_keys.end());
  for (const json& f : findings) {
    ASSERT_TRUE(f.is_object()) << f.dump();
    EXPECT_EQ(Keys(f), want_keys) << f.dump();
    for (const std::string& key : string_keys) {
      EXPECT_TRUE(f.contains(key) && f.at(key).is_string()) << f.dump();
      EXPECT_FALSE(f.value(key, "").empty()) << f.dump();
    }
    if (with_items) {
      EXPECT_TRUE(f.contains("items") && IsIntList(f.at("items"))) << f.dump();
    }
  }
}

struct InstrumentCase {
  const char* label;
  const char* instrument;
  int item_count;
  bool has_ric_equivalent;
};
constexpr InstrumentCase kInstrumentCases[] = {
    {"Ric", "safelives-ric", kRicItems, false},
    {"Police", "police-dash-2009", kPoliceItems, true},
    {"Stalking", "s-dash", kStalkingItems, false},
};

// Answers with every kind present: items 1..n-9 yes, n-8..n-4 no, n-3 and n-2
// not known, n-1 and n not asked.
json MixedAnswers(int n) {
  json answers = json::object();
  for (int i = 1; i <= n - 2; ++i) {
    answers[std::to_string(i)] =
        i <= n - 9 ? "yes" : (i <= n - 4 ? "no" : "not_known");
  }
  return answers;
}

TEST(ScoreContractTest, ResultHasExactlyTheContractKeysAndTypes) {
  for (const InstrumentCase& c : kInstrumentCases) {
    SCOPED_TRACE(c.label);
    json input = Assessment(c.instrument, MixedAnswers(c.item_count));
    input["incidents_last_12_months"] = 3;  // So `criteria` is never empty.
    json r = ScoreOne(input);
    ASSERT_TRUE(r.is_object());

    std::vector<std::string> want_keys = {"answered",
                                          "assessment_id",
                                          "could_be_high",
                                          "criteria",
                                          "criteria_not_met",
                                          "grade",
                                          "high_harm_indicators",
                                          "incomplete",
                                          "instrument",
                                          "instrument_version",
                                          "marac_referral",
                                          "max_possible_score",
                                          "not_known",
                                          "policy_version",
                                          "prompts",
                                          "score",
                                          "unanswered"};
    if (c.has_ric_equivalent) want_keys.push_back("ric_equivalent_score");
    std::sort(want_keys.begin(), want_keys.end());
    EXPECT_EQ(Keys(r), want_keys);

    EXPECT_EQ(r["assessment_id"], "contract-1");
    EXPECT_EQ(r["instrument"], c.instrument);
    EXPECT_TRUE(r["instrument_version"].is_string());
    ASSERT_TRUE(r["policy_version"].is_string());
    EXPECT_FALSE(r["policy_version"].get<std::string>().empty());
    const int n = c.item_count;
    EXPECT_EQ(r["score"], n - 9);
    EXPECT_EQ(r["answered"], n - 9 + 5);
    EXPECT_EQ(r["unanswered"], json(std::vector<int>{n - 1, n}));
    EXPECT_EQ(r["not_known"], json(std::vector<int>{n - 3, n - 2}));
    EXPECT_EQ(r["max_possible_score"], n - 9 + 4);
    if (c.has_ric_equivalent) {
      EXPECT_TRUE(r["ric_equivalent_score"].is_number_integer());
    }
    ASSERT_TRUE(r["grade"].is_string());
    EXPECT_THAT(
        (std::vector<std::string>{"standard", "medium", "high", "not_graded"}),
        Contains(r["grade"].get<std::string>()));
    EXPECT_TRUE(r["incomplete"].is_boolean());
    EXPECT_TRUE(r["could_be_high"].is_boolean());
    EXPECT_EQ(r["marac_referral"], true);

    EXPECT_THAT(r["criteria"], Not(IsEmpty()));
    EXPECT_THAT(r["criteria_not_met"], Not(IsEmpty()));
    EXPECT_THAT(r["high_harm_indicators"], Not(IsEmpty()));
    EXPECT_THAT(r["prompts"], Not(IsEmpty()));
    ExpectFindings(r["criteria"], "criteria", {"criterion", "reason"}, false);
    ExpectFindings(r["criteria_not_met"], "criteria_not_met",
                   {"criterion", "reason"}, false);
    ExpectFindings(r["high_harm_indicators"], "high_harm_indicators",
                   {"indicator", "reason"}, true);
    ExpectFindings(r["prompts"], "prompts", {"prompt", "reason"}, true);
  }
}

// Ids with quotes, backslashes, control characters and non-ASCII text come
// back unchanged, as valid JSON.
TEST(ScoreContractTest, AssessmentIdRoundTrips) {
  const char* const ids[] = {
      "plain-1", "quote\"and\\backslash", "tab\tnewline\nnul\x01",
      "caf\xC3\xA9-\xE2\x82\xAC-\xF0\x9F\x98\x80", "del\x7F"};
  for (const char* id : ids) {
    SCOPED_TRACE(json(id).dump());
    json input = Assessment("safelives-ric", json::object());
    input["assessment_id"] = id;
    json r = ScoreOne(input);
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r["assessment_id"], id);
  }
}

struct GradeCase {
  const char* label;
  int yes_count;
  const char* want_grade;
  bool want_visible_high_risk;
};
constexpr GradeCase kRicGradeCases[] = {
    {"None", 0, "standard", false},       {"BelowMedium", 9, "standard", false},
    {"MediumFloor", 10, "medium", false}, {"BelowHigh", 13, "medium", false},
    {"HighFloor", 14, "high", true},      {"All", 24, "high", true},
};

TEST(ScoreContractTest, RicGradeFollowsYesCount) {
  for (const GradeCase& c : kRicGradeCases) {
    SCOPED_TRACE(c.label);
    json r =
        ScoreOne(Assessment("safelives-ric", FirstYes(c.yes_count, kRicItems)));
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r["score"], c.yes_count);
    EXPECT_EQ(r["answered"], kRicItems);
    EXPECT_EQ(r["unanswered"], json::array());
    EXPECT_EQ(r["grade"], c.want_grade);
    EXPECT_EQ(r["incomplete"], false);
    EXPECT_EQ(r["could_be_high"], false);
    const auto met = Ids(r["criteria"], "criterion");
    const auto not_met = Ids(r["criteria_not_met"], "criterion");
    if (c.want_visible_high_risk) {
      EXPECT_THAT(met, ElementsAre("visible_high_risk"));
      EXPECT_THAT(not_met, Not(Contains("visible_high_risk")));
    } else {
      EXPECT_THAT(met, IsEmpty());
      EXPECT_THAT(not_met, Contains("visible_high_risk"));
    }
    EXPECT_EQ(r["marac_referral"], c.want_visible_high_risk);
  }
}

struct QuestionCase {
  const char* label;
  const char* instrument;
  const char* question;
  const char* want_error;  // Empty when the answer is accepted.
};
constexpr QuestionCase kQuestionCases[] = {
    {"RicLast", "safelives-ric", "24", ""},
    {"RicPastLast", "safelives-ric", "25",
     "answers.25: safelives-ric has questions 1-24"},
    {"PoliceLast", "police-dash-2009", "27", ""},
    {"PolicePastLast", "police-dash-2009", "28",
     "answers.28: police-dash-2009 has questions 1-27"},
    {"StalkingLast", "s-dash", "11", ""},
    {"StalkingPastLast", "s-dash", "12",
     "answers.12: s-dash has questions 1-11"},
    {"StalkingZero", "s-dash", "0", "answers.0: not a question number"},
};

TEST(ScoreContractTest, EachInstrumentHasItsOwnQuestions) {
  for (const QuestionCase& c : kQuestionCases) {
    SCOPED_TRACE(c.label);
    const json input =
        Assessment(c.instrument, json{{c.question, "yes"}, {"1", "no"}});
    const CommandResult r = RunScoreCommand(input.dump());
    if (std::string_view(c.want_error).empty()) {
      EXPECT_EQ(r.exit_status, 0) << r.err;
      json result = json::parse(r.out, nullptr, false);
      ASSERT_TRUE(result.is_object()) << r.out;
      EXPECT_EQ(result["score"], 1);
    } else {
      EXPECT_EQ(r.exit_status, 2);
      EXPECT_EQ(r.out, "");
      EXPECT_THAT(r.err, HasSubstr(c.want_error));
    }
  }
}

struct RicEquivalentCase {
  const char* label;
  std::vector<int> yes;
  int want_score;
  int want_ric_equivalent;
};

// Police items 1-9 map to RIC 1-9, 10-12 have no RIC equivalent, 13-27 map
// to RIC 10-24.
TEST(ScoreContractTest, PoliceFormReportsRicEquivalentScore) {
  const RicEquivalentCase cases[] = {
      {"NoYes", {}, 0, 0},
      {"OnlyUnmapped", {10, 11, 12}, 3, 0},
      {"MappedAndUnmapped", {1, 2, 3, 10, 13, 27}, 6, 5},
      {"All", Range(1, kPoliceItems), 27, 24},
  };
  for (const RicEquivalentCase& c : cases) {
    SCOPED_TRACE(c.label);
    json answers = json::object();
    for (int n = 1; n <= kPoliceItems; ++n) {
      const bool yes = std::find(c.yes.begin(), c.yes.end(), n) != c.yes.end();
      answers[std::to_string(n)] = yes ? "yes" : "no";
    }
    json r = ScoreOne(Assessment("police-dash-2009", answers));
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r["score"], c.want_score);
    EXPECT_EQ(r["answered"], kPoliceItems);
    EXPECT_EQ(r["ric_equivalent_score"], c.want_ric_equivalent);
  }
  for (const char* other : {"safelives-ric", "s-dash"}) {
    SCOPED_TRACE(other);
    json r = ScoreOne(Assessment(other, json{{"1", "yes"}}));
    ASSERT_TRUE(r.is_object());
    EXPECT_FALSE(r.contains("ric_equivalent_score")) << r.dump();
  }
}

struct StalkingCase {
  const char* label;
  std::vector<int> yes;
};

TEST(ScoreContractTest, StalkingChecklistIsNotGradedButFlagsStalking) {
  const StalkingCase cases[] = {
      {"NoYes", {}},  {"First", {1}},  {"Middle", {6}},
      {"Last", {11}}, {"Two", {2, 9}}, {"All", Range(1, kStalkingItems)},
  };
  for (const StalkingCase& c : cases) {
    SCOPED_TRACE(c.label);
    json answers = json::object();
    for (int n = 1; n <= kStalkingItems; ++n) {
      const bool yes = std::find(c.yes.begin(), c.yes.end(), n) != c.yes.end();
      answers[std::to_string(n)] = yes ? "yes" : "no";
    }
    json r = ScoreOne(Assessment("s-dash", answers));
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r["score"], static_cast<int>(c.yes.size()));
    EXPECT_EQ(r["answered"], kStalkingItems);
    EXPECT_EQ(r["grade"], "not_graded");
    EXPECT_EQ(r["incomplete"], false);
    EXPECT_EQ(r["could_be_high"], false);
    EXPECT_THAT(Ids(r["criteria"], "criterion"),
                Not(Contains("visible_high_risk")));
    const json& indicators = r["high_harm_indicators"];
    if (c.yes.empty()) {
      EXPECT_EQ(indicators, json::array());
    } else {
      ASSERT_EQ(Ids(indicators, "indicator"),
                std::vector<std::string>{"stalking"});
      EXPECT_EQ(indicators[0]["items"], json(c.yes));
    }
  }
}

TEST(ScoreContractTest, DaraTakesTheOfficersGradeAndRationale) {
  json a = Assessment("dara", json::object());
  a["officer_grade"] = "high";
  a["officer_rationale"] = "Threats to kill; victim isolated from family";
  json r = ScoreOne(a);
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(r["instrument"], "dara");
  EXPECT_EQ(r["grade"], "high");
  EXPECT_EQ(r["score"], 0);
  EXPECT_EQ(r["marac_referral"], true);
  EXPECT_EQ(r["incomplete"], false);
  ASSERT_EQ(Ids(r["criteria"], "criterion"),
            std::vector<std::string>{"visible_high_risk"});
  EXPECT_THAT(r["criteria"][0]["reason"].get<std::string>(),
              HasSubstr("victim isolated from family"));
  for (const char* list : {"criteria", "criteria_not_met", "prompts"}) {
    for (const json& f : r[list]) {
      EXPECT_THAT(f["reason"].get<std::string>(),
                  HasSubstr("the grade is the officer's judgement, not a "
                            "count"));
    }
  }
  a["officer_grade"] = "medium";
  r = ScoreOne(a);
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(r["grade"], "medium");
  EXPECT_EQ(r["marac_referral"], false);
}

TEST(ScoreContractTest, DaraRefusalsNameTheField) {
  const struct {
    const char* label;
    json patch;
    const char* instrument;
    const char* want;
  } kCases[] = {
      {"NoGrade", {{"officer_rationale", "R"}}, "dara", "officer_grade"},
      {"NoRationale", {{"officer_grade", "high"}}, "dara", "officer_rationale"},
      {"NotGraded",
       {{"officer_grade", "not_graded"}, {"officer_rationale", "R"}},
       "dara",
       "officer_grade"},
      {"UnknownGrade",
       {{"officer_grade", "severe"}, {"officer_rationale", "R"}},
       "dara",
       "officer_grade"},
      {"GradeOnACount",
       {{"officer_grade", "high"}},
       "safelives-ric",
       "officer_grade"},
      {"ParentOnAChecklist",
       {{"parent_assessment_id", "RIC-9"}},
       "safelives-ric",
       "parent_assessment_id"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    json a = Assessment(c.instrument, json::object());
    a.update(c.patch);
    const CommandResult r = RunScoreCommand(a.dump());
    EXPECT_NE(r.exit_status, 0);
    EXPECT_THAT(r.err, HasSubstr(c.want));
    EXPECT_EQ(r.out, "");
  }
}

TEST(ScoreContractTest, AStalkingChecklistNamesTheAssessmentItFollowed) {
  json a = Assessment("s-dash", Answers(kStalkingItems, {1, 2, 3}));
  a["parent_assessment_id"] = "RIC-2026-0042";
  json r = ScoreOne(a);
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(r["parent_assessment_id"], "RIC-2026-0042");
  r = ScoreOne(Assessment("s-dash", Answers(kStalkingItems, {1})));
  ASSERT_TRUE(r.is_object());
  EXPECT_FALSE(r.contains("parent_assessment_id"));
}

TEST(ScoreContractTest, AnHbvConcernPromptsTheHdashQuestions) {
  json a = Assessment("safelives-ric", Answers(kRicItems, {}));
  a["hbv_concern"] = true;
  json r = ScoreOne(a);
  ASSERT_TRUE(r.is_object());
  EXPECT_THAT(Ids(r["prompts"], "prompt"), Contains("honour_based_abuse"));
  a["hbv_concern"] = "yes";
  const CommandResult bad = RunScoreCommand(a.dump());
  EXPECT_NE(bad.exit_status, 0);
  EXPECT_THAT(bad.err, HasSubstr("hbv_concern"));
}

struct EscalationCase {
  const char* label;
  std::optional<int> incidents;
  bool want_met;
};

TEST(ScoreContractTest, EscalationFromThreeIncidents) {
  const EscalationCase cases[] = {
      {"NotGiven", std::nullopt, false},
      {"None", 0, false},
      {"Two", 2, false},
      {"Three", 3, true},
      {"Maximum", 10000, true},
  };
  for (const EscalationCase& c : cases) {
    SCOPED_TRACE(c.label);
    json input = Assessment("safelives-ric", FirstYes(2, kRicItems));
    if (c.incidents) input["incidents_last_12_months"] = *c.incidents;
    json r = ScoreOne(input);
    ASSERT_TRUE(r.is_object());
    const auto met = Ids(r["criteria"], "criterion");
    const auto not_met = Ids(r["criteria_not_met"], "criterion");
    EXPECT_EQ(std::count(met.begin(), met.end(), "potential_escalation"),
              c.want_met ? 1 : 0);
    EXPECT_EQ(
        std::count(not_met.begin(), not_met.end(), "potential_escalation"),
        c.want_met ? 0 : 1);
    EXPECT_EQ(r["marac_referral"], c.want_met);
    EXPECT_EQ(r["grade"], "standard");  // Criteria never change the grade.
  }
}

struct RepeatCase {
  const char* label;
  const char* last_marac_referral_on;
  const char* incident_on;  // nullptr: the completion date.
  const char* completed_on;
  bool want_met;
};
constexpr RepeatCase kRepeatCases[] = {
    {"SameDay", "2026-03-01", nullptr, "2026-03-01", false},
    {"NextDay", "2026-02-28", nullptr, "2026-03-01", true},
    {"ExactlyTwelveMonths", "2025-03-01", nullptr, "2026-03-01", true},
    {"TwelveMonthsAndADay", "2025-03-01", nullptr, "2026-03-02", false},
    {"LeapDayPlusTwelveMonthsIsFeb28", "2024-02-29", nullptr, "2025-02-28",
     true},
    {"LeapDayPlusTwelveMonthsAndADay", "2024-02-29", nullptr, "2025-03-01",
     false},
    {"IncidentDateCounts", "2025-03-01", "2026-03-01", "2026-03-10", true},
    {"IncidentDateTooLate", "2025-03-01", "2026-03-02", "2026-03-02", false},
};

TEST(ScoreContractTest, RepeatWithinTwelveMonthsOfLastReferral) {
  for (const RepeatCase& c : kRepeatCases) {
    SCOPED_TRACE(c.label);
    json input = Assessment("safelives-ric", FirstYes(0, kRicItems));
    input["completed_on"] = c.completed_on;
    input["last_marac_referral_on"] = c.last_marac_referral_on;
    if (c.incident_on != nullptr) input["incident_on"] = c.incident_on;
    const CommandResult run = RunScoreCommand(input.dump(), "2026-12-31");
    ASSERT_EQ(run.exit_status, 0) << run.err;
    json r = json::parse(run.out, nullptr, false);
    ASSERT_TRUE(r.is_object()) << run.out;
    const auto met = Ids(r["criteria"], "criterion");
    EXPECT_EQ(std::count(met.begin(), met.end(), "repeat"), c.want_met ? 1 : 0)
        << r["criteria"].dump();
    EXPECT_EQ(r["marac_referral"], c.want_met);
  }
}

struct CompletenessCase {
  const char* label;
  json answers;
  int want_answered;
  int want_unanswered;
  int want_not_known;
  const char* want_grade;
  bool want_incomplete;
  bool want_could_be_high;
};

// Fewer than 18 of 24 RIC answers withholds a standard grade; not known and
// not asked never count as yes but can hide a high score.
TEST(ScoreContractTest, IncompleteAssessmentsAreNotGradedStandard) {
  const CompletenessCase cases[] = {
      {"AllNotKnown", Answers(kRicItems, {}, "not_known"), 0, 0, 24,
       "not_graded", true, true},
      {"EmptyAnswers", json::object(), 0, 24, 0, "not_graded", true, true},
      {"SeventeenNo", FirstYes(0, 17), 17, 7, 0, "not_graded", true, false},
      {"EighteenNo", FirstYes(0, 18), 18, 6, 0, "standard", false, false},
      {"MediumButIncomplete", FirstYes(10, 10), 10, 14, 0, "medium", true,
       true},
      {"HighButIncomplete", FirstYes(14, 14), 14, 10, 0, "high", true, false},
  };
  for (const CompletenessCase& c : cases) {
    SCOPED_TRACE(c.label);
    json r = ScoreOne(Assessment("safelives-ric", c.answers));
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r["answered"], c.want_answered);
    EXPECT_EQ(r["unanswered"].size(),
              static_cast<std::size_t>(c.want_unanswered));
    EXPECT_EQ(r["not_known"].size(),
              static_cast<std::size_t>(c.want_not_known));
    EXPECT_EQ(r["grade"], c.want_grade);
    EXPECT_EQ(r["incomplete"], c.want_incomplete);
    EXPECT_EQ(r["could_be_high"], c.want_could_be_high);
    const auto prompts = Ids(r["prompts"], "prompt");
    EXPECT_EQ(std::count(prompts.begin(), prompts.end(), "incomplete"),
              c.want_incomplete ? 1 : 0);
    EXPECT_EQ(std::count(prompts.begin(), prompts.end(), "could_be_high"),
              c.want_could_be_high ? 1 : 0);
  }
}

TEST(ScoreContractTest, NotKnownAndNotAskedAreListed) {
  json answers = Answers(kRicItems, {1, 2}, "no");
  answers["5"] = "not_known";
  answers["9"] = "not_known";
  answers.erase("20");
  answers.erase("24");
  json r = ScoreOne(Assessment("safelives-ric", answers));
  ASSERT_TRUE(r.is_object());
  EXPECT_EQ(r["score"], 2);
  EXPECT_EQ(r["answered"], 20);
  EXPECT_EQ(r["not_known"], json({5, 9}));
  EXPECT_EQ(r["unanswered"], json({20, 24}));
  EXPECT_EQ(r["max_possible_score"], 6);
}

struct JudgementCase {
  const char* label;
  int yes_count;
  const char* judgement;  // nullptr: field left out.
  const char* reason;     // nullptr: field left out.
  const char* want_grade;
  bool want_referral;
  bool want_judgement_criterion;
};
constexpr const char* kReason =
    "Invented case: the victim reports new threats after a court date";
constexpr JudgementCase kJudgementCases[] = {
    {"ReferAtThree", 3, "refer", kReason, "standard", true, true},
    {"NoneAtThree", 3, "none", nullptr, "standard", false, false},
    {"AbsentAtThree", 3, nullptr, nullptr, "standard", false, false},
    {"NoneAtFifteen", 15, "none", nullptr, "high", true, false},
    {"ReferAtFifteen", 15, "refer", kReason, "high", true, true},
    {"ReferAtTen", 10, "refer", kReason, "medium", true, true},
};

// A judgement referral refers whatever the score; the grade shown is the
// count band's, never lowered.
TEST(ScoreContractTest, ProfessionalJudgementRefersWithoutChangingGrade) {
  for (const JudgementCase& c : kJudgementCases) {
    SCOPED_TRACE(c.label);
    json input = Assessment("safelives-ric", FirstYes(c.yes_count, kRicItems));
    if (c.judgement != nullptr) input["professional_judgement"] = c.judgement;
    if (c.reason != nullptr) input["professional_judgement_reason"] = c.reason;
    json r = ScoreOne(input);
    ASSERT_TRUE(r.is_object());
    EXPECT_EQ(r["grade"], c.want_grade);
    EXPECT_EQ(r["marac_referral"], c.want_referral);
    const json& criteria = r["criteria"];
    const auto met = Ids(criteria, "criterion");
    const auto it = std::find(met.begin(), met.end(), "professional_judgement");
    ASSERT_EQ(it != met.end(), c.want_judgement_criterion) << criteria.dump();
    if (c.want_judgement_criterion) {
      const json& finding =
          criteria[static_cast<std::size_t>(it - met.begin())];
      EXPECT_THAT(finding.value("reason", ""), HasSubstr(c.reason));
    }
  }
}

}  // namespace
}  // namespace marac

namespace marac {
namespace {

// Every reason text, pinned: the golden assessments (invented, seeded, made
// by scripts/score-golden) scored as on 2026-12-01 must give the recorded
// output byte for byte. A deliberate change of wording reruns the script.
TEST(ScoreContractTest, GoldenOutput) {
  const auto read = [](const std::string& name) {
    std::ifstream in(std::string(MARAC_TEST_DATA) + "/" + name,
                     std::ios::binary);
    EXPECT_TRUE(in) << name;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  const std::string want = read("score_golden.out.jsonl");
  const CliRun run =
      RunCli({"score", "--jsonl", "--today", "2026-12-01",
              std::string(MARAC_TEST_DATA) + "/score_golden.in.jsonl"});
  EXPECT_EQ(run.status, 2) << "some golden lines are refused by design";
  ASSERT_FALSE(want.empty());
  std::istringstream got_lines(run.out);
  std::istringstream want_lines(want);
  std::string got_line;
  std::string want_line;
  for (int line = 1; std::getline(want_lines, want_line); ++line) {
    ASSERT_TRUE(std::getline(got_lines, got_line)) << "ends before " << line;
    ASSERT_EQ(got_line, want_line) << "line " << line;
  }
  EXPECT_FALSE(std::getline(got_lines, got_line)) << "extra: " << got_line;
}

// AppendJsonString skips plain bytes eight at a time; check it against
// nlohmann's own escaping on strings with specials at every offset.
TEST(ScoreContractTest, JsonStringEscapingMatchesNlohmann) {
  const std::string specials[] = {
      "\"",   "\\",   "\n",   "\t",       "\r", std::string(1, '\0'),
      "\x01", "\x1f", "\x7f", "\xC3\xA9", "x"};
  for (std::size_t length = 0; length < 24; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      for (const std::string& special : specials) {
        std::string text(length, 'a');
        text.insert(at, special);
        std::string mine;
        AppendJsonString(text, mine);
        const nlohmann::json back = nlohmann::json::parse(mine);
        ASSERT_EQ(back.get<std::string>(), text) << mine;
      }
    }
  }
}

}  // namespace
}  // namespace marac
