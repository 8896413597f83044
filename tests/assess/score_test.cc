#include "marac/assess/score.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace marac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr Date kAsOf{2026, 3, 1};

std::shared_ptr<const Instrument> Find(std::string_view id) {
  return *InstrumentSet::BuiltIn().Find(id);
}

// Every question asked; the first `yes` of `order` are yes, the rest no.
Checklist Answered(std::string_view instrument, int yes,
                   std::vector<int> order = {}) {
  Checklist c(Find(instrument));
  const int n = c.instrument().item_count();
  for (int i = 1; i <= n; ++i) EXPECT_TRUE(c.Record(i, Answer::kNo).ok());
  if (order.empty()) {
    for (int i = 1; i <= n; ++i) order.push_back(i);
  }
  for (int i = 0; i < yes; ++i) {
    EXPECT_TRUE(
        c.Record(order[static_cast<std::size_t>(i)], Answer::kYes).ok());
  }
  return c;
}

// Yes answers on items without high-harm tags first, so grade tests are not
// disturbed by prompts.
const std::vector<int> kPlainFirst = {1,  5,  12, 18, 19, 20, 21, 22,
                                      23, 4,  3,  2,  6,  7,  8,  9,
                                      10, 11, 13, 14, 15, 16, 17, 24};

RiskScore MustScore(const Checklist& c, const CaseHistory& h = {},
                    Date as_of = kAsOf,
                    const ScoringPolicy& p = ScoringPolicy::Default()) {
  Result<RiskScore> s = Score(c, h, as_of, p);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : RiskScore{};
}

std::vector<std::string> Ids(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const Finding& f : findings) ids.push_back(f.id);
  return ids;
}

struct GradeCase {
  const char* label;
  const char* instrument;
  int yes;
  Grade want;
  bool referral;
};
constexpr GradeCase kGradeCases[] = {
    {"RicNone", "safelives-ric", 0, Grade::kStandard, false},
    {"RicBelowMedium", "safelives-ric", 9, Grade::kStandard, false},
    {"RicMediumFloor", "safelives-ric", 10, Grade::kMedium, false},
    {"RicBelowHigh", "safelives-ric", 13, Grade::kMedium, false},
    {"RicHighFloor", "safelives-ric", 14, Grade::kHigh, true},
    {"RicAll", "safelives-ric", 24, Grade::kHigh, true},
    {"PoliceBelowMedium", "police-dash-2009", 9, Grade::kStandard, false},
    {"PoliceMediumFloor", "police-dash-2009", 10, Grade::kMedium, false},
    {"PoliceBelowHigh", "police-dash-2009", 13, Grade::kMedium, false},
    {"PoliceHighFloor", "police-dash-2009", 14, Grade::kHigh, true},
    {"StalkingNone", "s-dash", 0, Grade::kNotGraded, false},
    {"StalkingAll", "s-dash", 11, Grade::kNotGraded, false},
};

TEST(ScoreTest, GradeFollowsYesCount) {
  for (const GradeCase& c : kGradeCases) {
    SCOPED_TRACE(c.label);
    const RiskScore s = MustScore(Answered(c.instrument, c.yes));
    EXPECT_EQ(s.score, c.yes);
    EXPECT_EQ(s.grade, c.want);
    EXPECT_EQ(s.Meets(Criterion::kVisibleHighRisk), c.referral);
    EXPECT_EQ(s.marac_referral, c.referral);
    EXPECT_FALSE(s.incomplete);
    EXPECT_EQ(s.unanswered_items, 0u);
    EXPECT_EQ(s.context->policy_version, "marac-default-2026.3");
  }
}

TEST(ScoreTest, VisibleHighRiskReasonQuotesScoreAndThreshold) {
  const RiskScore s = MustScore(Answered("safelives-ric", 14));
  const std::vector<Finding> met = DescribeCriteria(s);
  ASSERT_EQ(met.size(), 1u);
  EXPECT_EQ(met[0].id, "visible_high_risk");
  EXPECT_THAT(met[0].reason, HasSubstr("14 questions of 24 answered yes"));
  EXPECT_THAT(met[0].reason, HasSubstr("threshold of 14"));
  const RiskScore below = MustScore(Answered("safelives-ric", 13));
  EXPECT_THAT(DescribeCriteria(below), IsEmpty());
  EXPECT_THAT(Ids(DescribeCriteriaNotMet(below)),
              ElementsAre("visible_high_risk", "professional_judgement",
                          "potential_escalation", "repeat"));
}

TEST(ScoreTest, NotKnownAndUnaskedNeverCountAsYes) {
  Checklist all_unknown(Find("safelives-ric"));
  for (int i = 1; i <= 24; ++i)
    ASSERT_TRUE(all_unknown.Record(i, Answer::kNotKnown).ok());
  const RiskScore unknown = MustScore(all_unknown);
  EXPECT_EQ(unknown.score, 0);
  EXPECT_EQ(unknown.answered, 0);
  EXPECT_EQ(ItemNumbers(unknown.not_known_items).size(), 24u);
  EXPECT_TRUE(unknown.incomplete);
  EXPECT_TRUE(unknown.could_be_high);
  EXPECT_EQ(unknown.grade, Grade::kNotGraded) << "never a silent standard";
  EXPECT_EQ(unknown.count_grade, Grade::kStandard);
  EXPECT_THAT(Ids(DescribePrompts(unknown)),
              ElementsAre("could_be_high", "incomplete"));

  const RiskScore empty = MustScore(Checklist(Find("safelives-ric")));
  EXPECT_EQ(empty.score, 0);
  EXPECT_EQ(empty.answered, 0);
  EXPECT_EQ(ItemNumbers(empty.unanswered_items).size(), 24u);
  EXPECT_EQ(empty.grade, Grade::kNotGraded);
  EXPECT_TRUE(empty.incomplete);
  EXPECT_FALSE(empty.marac_referral);
}

TEST(ScoreTest, CouldBeHighOnlyWhenUnknownsReachTheThreshold) {
  // 10 yes, 10 no, 4 not known: at most 14.
  Checklist reach = Answered("safelives-ric", 10, kPlainFirst);
  for (int i : {13, 14, 15, 16})
    ASSERT_TRUE(reach.Record(i, Answer::kNotKnown).ok());
  const RiskScore r = MustScore(reach);
  EXPECT_EQ(r.max_possible, 14);
  EXPECT_TRUE(r.could_be_high);
  EXPECT_EQ(r.grade, Grade::kMedium);
  const std::vector<Finding> prompts = DescribePrompts(r);
  ASSERT_FALSE(prompts.empty());
  EXPECT_THAT(Ids(prompts), ::testing::Contains("could_be_high"));

  // 10 yes, 11 no, 3 not known: at most 13.
  Checklist short_of = Answered("safelives-ric", 10, kPlainFirst);
  for (int i : {13, 14, 15})
    ASSERT_TRUE(short_of.Record(i, Answer::kNotKnown).ok());
  EXPECT_FALSE(MustScore(short_of).could_be_high);
}

TEST(ScoreTest, IncompleteMediumIsAFloorNotWithheld) {
  Checklist c(Find("safelives-ric"));
  for (int i : {1, 5, 12, 18, 19, 20, 21, 22, 23, 4, 3}) {
    ASSERT_TRUE(c.Record(i, Answer::kYes).ok());
  }
  const RiskScore s = MustScore(c);  // 11 yes, 13 not asked.
  EXPECT_TRUE(s.incomplete);
  EXPECT_EQ(s.grade, Grade::kMedium);
  const std::vector<Finding> prompts = DescribePrompts(s);
  bool found = false;
  for (const Finding& f : prompts) {
    if (f.id == "incomplete") {
      found = true;
      EXPECT_THAT(f.reason, HasSubstr("a floor"));
    }
  }
  EXPECT_TRUE(found);
}

TEST(ScoreTest, ProfessionalJudgementRequiresReasonAndNeverLowers) {
  CaseHistory refer;
  refer.professional_judgement = ProfessionalJudgement::kRefer;
  const Result<RiskScore> no_reason =
      Score(Answered("safelives-ric", 3), refer, kAsOf);
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(no_reason.status().message(),
              HasSubstr("professional_judgement_reason: required"));
  refer.professional_judgement_reason = "  \t ";
  EXPECT_FALSE(Score(Answered("safelives-ric", 3), refer, kAsOf).ok())
      << "a blank reason is no reason";

  refer.professional_judgement_reason = "Victim fears for her life";
  const RiskScore low = MustScore(Answered("safelives-ric", 3), refer);
  EXPECT_TRUE(low.marac_referral);
  EXPECT_EQ(low.grade, Grade::kStandard) << "grade stays the count band";
  const std::vector<Finding> met = DescribeCriteria(low);
  ASSERT_EQ(met.size(), 1u);
  EXPECT_EQ(met[0].id, "professional_judgement");
  EXPECT_THAT(met[0].reason, HasSubstr("Victim fears for her life"));

  // A 14+ case is always visible high risk, whatever the judgement says.
  const RiskScore high = MustScore(Answered("safelives-ric", 15), {});
  EXPECT_EQ(high.grade, Grade::kHigh);
  EXPECT_TRUE(high.Meets(Criterion::kVisibleHighRisk));
  const RiskScore high_referred =
      MustScore(Answered("safelives-ric", 15), refer);
  EXPECT_EQ(high_referred.grade, Grade::kHigh);
  EXPECT_TRUE(high_referred.Meets(Criterion::kVisibleHighRisk));
  EXPECT_TRUE(high_referred.Meets(Criterion::kProfessionalJudgement));

  ScoringPolicy raise = ScoringPolicy::Default();
  raise.raise_grade_on_judgement = true;
  EXPECT_EQ(MustScore(Answered("safelives-ric", 3), refer, kAsOf, raise).grade,
            Grade::kHigh);
}

struct EscalationCase {
  const char* label;
  int incidents;
  bool met;
};
constexpr EscalationCase kEscalationCases[] = {{"One", 1, false},
                                               {"Two", 2, false},
                                               {"Three", 3, true},
                                               {"Nine", 9, true}};

TEST(ScoreTest, EscalationAtThreeIncidents) {
  for (const EscalationCase& c : kEscalationCases) {
    SCOPED_TRACE(c.label);
    CaseHistory h;
    h.incidents_last_12_months = c.incidents;
    const RiskScore s = MustScore(Answered("safelives-ric", 2, kPlainFirst), h);
    EXPECT_EQ(s.Meets(Criterion::kPotentialEscalation), c.met);
    EXPECT_EQ(s.marac_referral, c.met);
  }
  ScoringPolicy kent = ScoringPolicy::Default();
  kent.escalation_incidents = 2;
  CaseHistory two;
  two.incidents_last_12_months = 2;
  EXPECT_TRUE(MustScore(Answered("safelives-ric", 2), two, kAsOf, kent)
                  .Meets(Criterion::kPotentialEscalation));
}

TEST(ScoreTest, EscalationCountsIncidentDatesInTheWindow) {
  CaseHistory h;
  h.incident_dates = {Date{2025, 3, 1}, Date{2025, 3, 2}, Date{2026, 1, 5},
                      kAsOf};  // 2025-03-01 is exactly 12 months back: out.
  const RiskScore s = MustScore(Answered("safelives-ric", 2), h);
  ASSERT_TRUE(s.incident_count.has_value());
  EXPECT_EQ(*s.incident_count, 3);
  EXPECT_TRUE(s.Meets(Criterion::kPotentialEscalation));

  h.incidents_last_12_months = 3;
  const Result<RiskScore> both = Score(Answered("safelives-ric", 2), h, kAsOf);
  ASSERT_FALSE(both.ok());
  EXPECT_THAT(both.status().message(), HasSubstr("not both"));
}

struct RepeatCase {
  const char* label;
  Date last_referral;
  Date incident;
  bool met;
};
constexpr RepeatCase kRepeatCases[] = {
    {"ExactlyTwelveMonths", {2025, 3, 1}, {2026, 3, 1}, true},
    {"TwelveMonthsAndADay", {2025, 2, 28}, {2026, 3, 1}, false},
    {"NextDay", {2026, 2, 28}, {2026, 3, 1}, true},
    {"SameDayIsNotAfter", {2026, 3, 1}, {2026, 3, 1}, false},
    {"LeapDayWindowEnd", {2024, 2, 29}, {2025, 2, 28}, true},
    {"LeapDayWindowPlusOne", {2024, 2, 29}, {2025, 3, 1}, false},
};

TEST(ScoreTest, RepeatWithinTwelveMonthsOfLastReferral) {
  for (const RepeatCase& c : kRepeatCases) {
    SCOPED_TRACE(c.label);
    CaseHistory h;
    h.last_marac_referral_on = c.last_referral;
    h.incident_on = c.incident;
    const RiskScore s =
        MustScore(Answered("safelives-ric", 1, kPlainFirst), h, c.incident);
    EXPECT_EQ(s.Meets(Criterion::kRepeat), c.met);
    EXPECT_EQ(s.marac_referral, c.met)
        << "a repeat is referred whatever the score";
  }
}

TEST(ScoreTest, RepeatUsesCompletionDateWithoutIncidentDate) {
  CaseHistory h;
  h.last_marac_referral_on = Date{2025, 3, 1};
  EXPECT_TRUE(MustScore(Answered("safelives-ric", 0), h, Date{2026, 3, 1})
                  .Meets(Criterion::kRepeat));
  EXPECT_FALSE(MustScore(Answered("safelives-ric", 0), h, Date{2026, 3, 2})
                   .Meets(Criterion::kRepeat));
  const RiskScore s =
      MustScore(Answered("safelives-ric", 0), h, Date{2026, 3, 2});
  const std::vector<Finding> not_met = DescribeCriteriaNotMet(s);
  ASSERT_EQ(not_met.back().id, "repeat");
  EXPECT_THAT(not_met.back().reason, HasSubstr("a new referral, not a repeat"));
}

TEST(ScoreTest, HistoryDatedAfterCompletionIsRefused) {
  struct Case {
    const char* label;
    CaseHistory history;
    const char* field;
  };
  CaseHistory late_referral;
  late_referral.last_marac_referral_on = Date{2026, 3, 2};
  CaseHistory late_incident;
  late_incident.incident_on = Date{2026, 3, 2};
  CaseHistory late_date;
  late_date.incident_dates = {Date{2026, 1, 1}, Date{2026, 4, 1}};
  CaseHistory negative;
  negative.incidents_last_12_months = -1;
  const Case cases[] = {
      {"Referral", late_referral,
       "last_marac_referral_on: 2026-03-02 is after"},
      {"Incident", late_incident, "incident_on: 2026-03-02 is after"},
      {"IncidentDate", late_date, "incident_dates[1]: 2026-04-01 is after"},
      {"NegativeCount", negative,
       "incidents_last_12_months: -1 is out of range"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    const Result<RiskScore> s =
        Score(Answered("safelives-ric", 5), c.history, kAsOf);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(s.status().message(), HasSubstr(c.field));
  }
}

TEST(ScoreTest, HighHarmIndicatorsInOrderOfLowestYesItem) {
  // Yes to 15 (strangulation), 2 (fear), 14 (threat to kill), 3 (fear again).
  Checklist c = Answered("safelives-ric", 0);
  for (int i : {15, 2, 14, 3}) ASSERT_TRUE(c.Record(i, Answer::kYes).ok());
  const RiskScore s = MustScore(c);
  const std::vector<Finding> tags = DescribeHighHarmIndicators(s);
  EXPECT_THAT(Ids(tags),
              ElementsAre("extreme_fear", "threat_to_kill", "strangulation"));
  EXPECT_THAT(tags[0].items, ElementsAre(2, 3));
  EXPECT_THAT(tags[2].reason, HasSubstr("strangle"));
  EXPECT_EQ(s.grade, Grade::kStandard) << "tags never change the grade";
}

TEST(ScoreTest, JudgementPromptBelowThresholdNamesItsItems) {
  // Strangulation alone prompts; so do four distinct tags; two plain tags do
  // not.
  Checklist strangled = Answered("safelives-ric", 0);
  ASSERT_TRUE(strangled.Record(15, Answer::kYes).ok());
  const RiskScore s = MustScore(strangled);
  const std::vector<Finding> prompts = DescribePrompts(s);
  ASSERT_EQ(prompts.size(), 1u);
  EXPECT_EQ(prompts[0].id, "consider_professional_judgement");
  EXPECT_THAT(prompts[0].items, ElementsAre(15));
  EXPECT_THAT(prompts[0].reason, HasSubstr("strangulation"));

  Checklist four = Answered("safelives-ric", 0);
  for (int i : {2, 4, 6, 9}) ASSERT_TRUE(four.Record(i, Answer::kYes).ok());
  EXPECT_TRUE(MustScore(four).Raised(Prompt::kConsiderProfessionalJudgement));
  EXPECT_THAT(DescribePrompts(MustScore(four))[0].items,
              ElementsAre(2, 4, 6, 9));

  Checklist two = Answered("safelives-ric", 0);
  for (int i : {2, 4}) ASSERT_TRUE(two.Record(i, Answer::kYes).ok());
  EXPECT_FALSE(MustScore(two).Raised(Prompt::kConsiderProfessionalJudgement));

  // Once referred, the prompt is moot.
  CaseHistory refer;
  refer.professional_judgement = ProfessionalJudgement::kRefer;
  refer.professional_judgement_reason = "Strangulation disclosed";
  EXPECT_FALSE(MustScore(strangled, refer)
                   .Raised(Prompt::kConsiderProfessionalJudgement));
}

TEST(ScoreTest, StalkingChecklistNotGradedButRaisesStalking) {
  Checklist c = Answered("s-dash", 0);
  ASSERT_TRUE(c.Record(4, Answer::kYes).ok());
  const RiskScore s = MustScore(c);
  EXPECT_EQ(s.grade, Grade::kNotGraded);
  EXPECT_EQ(s.score, 1);
  EXPECT_FALSE(s.could_be_high);
  EXPECT_THAT(Ids(DescribeHighHarmIndicators(s)), ElementsAre("stalking"));
  EXPECT_THAT(DescribeCriteriaNotMet(s)[0].reason,
              HasSubstr("no count threshold"));
}

TEST(ScoreTest, PoliceScoreComparesWithRic) {
  // Yes to police items 10-12 (no RIC equivalent) and 18 (RIC 15).
  Checklist c = Answered("police-dash-2009", 0);
  for (int i : {10, 11, 12, 18}) ASSERT_TRUE(c.Record(i, Answer::kYes).ok());
  const RiskScore s = MustScore(c);
  EXPECT_EQ(s.score, 4);
  ASSERT_TRUE(s.ric_equivalent_score.has_value());
  EXPECT_EQ(*s.ric_equivalent_score, 1);
  EXPECT_THAT(Ids(DescribeHighHarmIndicators(s)),
              ElementsAre("children_at_risk", "strangulation"));
  EXPECT_FALSE(MustScore(Answered("safelives-ric", 3)).ric_equivalent_score);
}

TEST(ScoreTest, LocalPolicyChangesThresholdsAndIsNamed) {
  ScoringPolicy local = ScoringPolicy::Default();
  local.version = "area-7-2026";
  local.instruments["safelives-ric"].high_min = 12;
  const RiskScore s =
      MustScore(Answered("safelives-ric", 12), {}, kAsOf, local);
  EXPECT_EQ(s.grade, Grade::kHigh);
  EXPECT_TRUE(s.Meets(Criterion::kVisibleHighRisk));
  EXPECT_EQ(s.context->policy_version, "area-7-2026");
  EXPECT_THAT(DescribeCriteria(s)[0].reason, HasSubstr("area-7-2026"));

  local.instruments["s-dash"] = {
      .graded = true, .medium_min = 3, .high_min = 6, .min_answered = 9};
  EXPECT_EQ(MustScore(Answered("s-dash", 6), {}, kAsOf, local).grade,
            Grade::kHigh);
}

TEST(ScoreTest, ScorerRefusesInstrumentWithoutPolicy) {
  ScoringPolicy no_police = ScoringPolicy::Default();
  no_police.instruments.erase("police-dash-2009");
  const Result<Scorer> scorer =
      Scorer::Create(no_police, InstrumentSet::BuiltIn());
  ASSERT_TRUE(scorer.ok());
  const Result<RiskScore> s =
      scorer->Score(Answered("police-dash-2009", 1), {}, kAsOf);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
}

TEST(ScoreTest, ChecklistRefusesQuestionsOutsideTheInstrument) {
  Checklist c(Find("safelives-ric"));
  const Status s = c.Record(25, Answer::kYes);
  EXPECT_EQ(s.message(), "answers.25: safelives-ric has questions 1-24");
  EXPECT_FALSE(c.Record(0, Answer::kYes).ok());
  EXPECT_TRUE(c.Record(24, Answer::kYes).ok());
  Checklist p(Find("police-dash-2009"));
  EXPECT_TRUE(p.Record(27, Answer::kYes).ok());
  EXPECT_EQ(p.Record(28, Answer::kYes).message(),
            "answers.28: police-dash-2009 has questions 1-27");
}

TEST(ScoreTest, ScoresAgreeWithAnswerByAnswerCounting) {
  // The scorer classifies answers eight at a time; check it against a plain
  // loop over many mixed checklists.
  std::uint64_t state = 12345;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<int>(state >> 60);
  };
  for (const char* id : {"safelives-ric", "police-dash-2009", "s-dash"}) {
    for (int round = 0; round < 200; ++round) {
      Checklist c(Find(id));
      int yes = 0, no = 0, not_known = 0, not_asked = 0;
      for (int i = 1; i <= c.instrument().item_count(); ++i) {
        const auto a = static_cast<Answer>(next() % 4);
        if (a != Answer::kNotAsked) {
          ASSERT_TRUE(c.Record(i, a).ok());
        }
        yes += a == Answer::kYes;
        no += a == Answer::kNo;
        not_known += a == Answer::kNotKnown;
        not_asked += a == Answer::kNotAsked;
      }
      const RiskScore s = MustScore(c);
      ASSERT_EQ(s.score, yes);
      ASSERT_EQ(s.answered, yes + no);
      ASSERT_EQ(static_cast<int>(ItemNumbers(s.not_known_items).size()),
                not_known);
      ASSERT_EQ(static_cast<int>(ItemNumbers(s.unanswered_items).size()),
                not_asked);
      for (int i = 1; i <= c.instrument().item_count(); ++i) {
        const bool is_yes = (s.yes_items >> (i - 1)) & 1u;
        ASSERT_EQ(is_yes, c.answer(i) == Answer::kYes) << id << " item " << i;
      }
    }
  }
}

TEST(ScoreTest, PolicyMistakesAreRefusedNotIgnored) {
  ScoringPolicy typo = ScoringPolicy::Default();
  typo.judgement_prompt_tags = {"strangultion"};
  const Result<Scorer> a = Scorer::Create(typo, InstrumentSet::BuiltIn());
  ASSERT_FALSE(a.ok());
  EXPECT_THAT(a.status().message(),
              HasSubstr("judgement_prompt.tags[0]: \"strangultion\" is not a "
                        "high-harm tag"));

  ScoringPolicy too_high = ScoringPolicy::Default();
  too_high.instruments["s-dash"] = {
      .graded = true, .medium_min = 10, .high_min = 14, .min_answered = 9};
  const Result<Scorer> b = Scorer::Create(too_high, InstrumentSet::BuiltIn());
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().message(),
            "instruments.s-dash.high_min: s-dash has 11 items");

  ScoringPolicy bad_text = ScoringPolicy::Default();
  bad_text.version = "kent-\xff";
  EXPECT_THAT(bad_text.Validate().message(), HasSubstr("version:"));
  EXPECT_FALSE(bad_text.ToJson().empty()) << "never throws";
}

TEST(ScoreTest, ImpossibleDatesAreRefused) {
  CaseHistory h;
  h.last_marac_referral_on = Date{2026, 13, 40};
  const Result<RiskScore> s = Score(Answered("safelives-ric", 1), h, kAsOf);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(),
              HasSubstr("last_marac_referral_on: not a calendar date"));
  const Result<RiskScore> t =
      Score(Answered("safelives-ric", 1), {}, Date{2027, 99, 1});
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("completed_on:"));
  // Month arithmetic never overflows, whatever a Date holds.
  EXPECT_EQ((Date{2147483647 / 12 + 1, 1, 1}.AddMonths(1).month), 2);
}

TEST(ScoreTest, InvisibleReasonIsNoReason) {
  CaseHistory refer;
  refer.professional_judgement = ProfessionalJudgement::kRefer;
  for (const char* blank :
       {"\xC2\xA0", "\xE2\x80\x8B", " \t\r\n", "\xEF\xBB\xBF \xE3\x80\x80"}) {
    SCOPED_TRACE(blank);
    refer.professional_judgement_reason = blank;
    EXPECT_FALSE(Score(Answered("safelives-ric", 1), refer, kAsOf).ok());
  }
  refer.professional_judgement_reason = "\xD8\xAE\xD9\x88\xD9\x81";  // Arabic.
  EXPECT_TRUE(Score(Answered("safelives-ric", 1), refer, kAsOf).ok());
}

TEST(ScoreTest, EqualDefinitionsShareOneContext) {
  const std::string text = R"({"format": "marac-instrument/1",
      "id": "safelives-ric", "version": "local-9",
      "items": [{"number": 1, "key": "strangulation", "label": "Choking",
                 "high_harm_tags": ["strangulation", "threat_to_kill", "weapon"]}]})";
  ScoringPolicy policy = ScoringPolicy::Default();
  policy.instruments["safelives-ric"] = {
      .graded = false, .medium_min = 0, .high_min = 0, .min_answered = 1};
  std::vector<const ScoreContext*> seen;
  for (int round = 0; round < 3; ++round) {
    const auto parsed = Instrument::FromJson(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    InstrumentSet set = InstrumentSet::BuiltIn();
    set.Put(*parsed);
    const Result<Scorer> scorer = Scorer::Create(policy, set);
    ASSERT_TRUE(scorer.ok()) << scorer.status();
    Checklist c(*parsed);
    ASSERT_TRUE(c.Record(1, Answer::kYes).ok());
    const Result<RiskScore> s = scorer->Score(c, {}, kAsOf);
    ASSERT_TRUE(s.ok()) << s.status();
    seen.push_back(s->context);
  }
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(seen[1], seen[2]);

  // A checklist built from another object than the scorer's is refused,
  // saying why.
  const Result<Scorer> scorer =
      Scorer::Create(ScoringPolicy::Default(), InstrumentSet::BuiltIn());
  const Checklist other(*Instrument::FromJson(text));
  const Result<RiskScore> s = scorer->Score(other, {}, kAsOf);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("instrument: this"));
}

TEST(ScoreTest, IncompleteUngradedSaysAskMore) {
  Checklist c(Find("s-dash"));
  ASSERT_TRUE(c.Record(1, Answer::kYes).ok());
  const std::vector<Finding> prompts = DescribePrompts(MustScore(c));
  bool found = false;
  for (const Finding& f : prompts) {
    if (f.id != "incomplete") continue;
    found = true;
    EXPECT_THAT(f.reason, HasSubstr("Only 1 of 11 questions has"));
    EXPECT_THAT(f.reason, HasSubstr("Ask the remaining questions"));
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace marac
