// DARA: an assessment graded by the officer's structured judgement, with
// the rationale recorded and nothing counted. The grade is taken as given,
// a high grade is visible high risk, and every reason says whose grade it
// is. Also the HBV concern that prompts the H-DASH questions, and which
// instruments may name a parent assessment.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "marac/assess/score.h"

namespace marac {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr Date kAsOf{2026, 3, 1};
constexpr std::string_view kWhose =
    "(dara: the grade is the officer's judgement, not a count)";

Checklist Dara() { return Checklist(*InstrumentSet::BuiltIn().Find("dara")); }

CaseHistory Officer(std::optional<Grade> grade, std::string rationale) {
  CaseHistory h;
  h.officer_grade = grade;
  h.officer_rationale = std::move(rationale);
  return h;
}

std::vector<std::string> Ids(const std::vector<Finding>& findings) {
  std::vector<std::string> ids;
  for (const Finding& f : findings) ids.push_back(f.id);
  return ids;
}

TEST(DaraTest, IsBuiltInWithNoItemsAndGradedByTheOfficer) {
  const auto dara = InstrumentSet::BuiltIn().Find("dara");
  ASSERT_TRUE(dara.ok()) << dara.status();
  EXPECT_TRUE((*dara)->judgement_graded());
  EXPECT_EQ((*dara)->item_count(), 0);
  EXPECT_FALSE(
      (*InstrumentSet::BuiltIn().Find("safelives-ric"))->judgement_graded());
}

TEST(DaraTest, AHighGradeIsVisibleHighRiskWithTheRationale) {
  const Result<RiskScore> s = Score(
      Dara(), Officer(Grade::kHigh, "Controls money; threats to kill"), kAsOf);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->grade, Grade::kHigh);
  EXPECT_EQ(s->count_grade, Grade::kNotGraded);
  EXPECT_EQ(s->score, 0);
  EXPECT_FALSE(s->incomplete);
  EXPECT_FALSE(s->could_be_high);
  EXPECT_TRUE(s->marac_referral);
  const std::vector<Finding> met = DescribeCriteria(*s);
  ASSERT_EQ(Ids(met), std::vector<std::string>{"visible_high_risk"});
  EXPECT_THAT(met[0].reason, HasSubstr("The officer graded the risk high"));
  EXPECT_THAT(met[0].reason, HasSubstr("Controls money; threats to kill"));
  EXPECT_TRUE(met[0].items.empty());
}

TEST(DaraTest, AMediumGradeIsNotAReferralOnItsOwn) {
  const Result<RiskScore> s =
      Score(Dara(), Officer(Grade::kMedium, "First report; no weapons"), kAsOf);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->grade, Grade::kMedium);
  EXPECT_FALSE(s->marac_referral);
  const std::vector<Finding> not_met = DescribeCriteriaNotMet(*s);
  ASSERT_FALSE(not_met.empty());
  EXPECT_EQ(not_met[0].id, "visible_high_risk");
  EXPECT_THAT(not_met[0].reason, HasSubstr("graded the risk medium"));
  EXPECT_THAT(not_met[0].reason, HasSubstr("needs a high grade"));
}

TEST(DaraTest, TheOtherCriteriaStillApply) {
  CaseHistory h = Officer(Grade::kStandard, "Verbal argument only");
  h.incidents_last_12_months = 3;
  const Result<RiskScore> s = Score(Dara(), h, kAsOf);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->grade, Grade::kStandard);
  EXPECT_TRUE(s->Meets(Criterion::kPotentialEscalation));
  EXPECT_FALSE(s->Meets(Criterion::kVisibleHighRisk));
}

TEST(DaraTest, EveryReasonSaysTheGradeIsTheOfficers) {
  CaseHistory h = Officer(Grade::kHigh, "Strangled last week");
  h.incidents_last_12_months = 1;
  h.hbv_concern = true;
  h.victim_age = 70;
  const Result<RiskScore> s = Score(Dara(), h, kAsOf);
  ASSERT_TRUE(s.ok()) << s.status();
  int findings = 0;
  for (const auto& list : {DescribeCriteria(*s), DescribeCriteriaNotMet(*s),
                           DescribePrompts(*s)}) {
    for (const Finding& f : list) {
      ++findings;
      EXPECT_THAT(f.reason, HasSubstr(kWhose)) << f.id;
    }
  }
  EXPECT_GE(findings, 6);  // 1 met, 3 not met, 2 safeguarding prompts.
}

TEST(DaraTest, ACountedInstrumentNeverSaysSo) {
  Checklist ric(*InstrumentSet::BuiltIn().Find("safelives-ric"));
  const Result<RiskScore> s = Score(ric, {}, kAsOf);
  ASSERT_TRUE(s.ok()) << s.status();
  for (const Finding& f : DescribeCriteriaNotMet(*s)) {
    EXPECT_THAT(f.reason, ::testing::Not(HasSubstr("officer's judgement")));
  }
}

TEST(DaraTest, TheGradeAndRationaleAreRequiredAndNamed) {
  Result<RiskScore> s = Score(Dara(), Officer({}, "Rationale"), kAsOf);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.status().message(), HasSubstr("officer_grade: required"));
  s = Score(Dara(), Officer(Grade::kNotGraded, "Rationale"), kAsOf);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("officer_grade"));
  s = Score(Dara(), Officer(Grade::kHigh, " \t "), kAsOf);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("officer_rationale: required"));
}

TEST(DaraTest, ACountedInstrumentRefusesAnOfficersGrade) {
  Checklist ric(*InstrumentSet::BuiltIn().Find("safelives-ric"));
  Result<RiskScore> s = Score(ric, Officer(Grade::kHigh, "Because"), kAsOf);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(),
              HasSubstr("officer_grade: given, but safelives-ric is graded "
                        "by its yes-count"));
  s = Score(ric, Officer({}, "Because"), kAsOf);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.status().message(), HasSubstr("officer_rationale: given"));
}

TEST(DaraTest, HasNoQuestionsToAnswer) {
  Checklist dara = Dara();
  EXPECT_FALSE(dara.Record(1, Answer::kYes).ok());
}

TEST(DaraTest, ADefinitionGradedByJudgementMustHaveNoItems) {
  const auto bad = Instrument::FromJson(
      R"({"format": "marac-instrument/1", "id": "local-dara", "version": "1",
          "graded_by": "officer_judgement",
          "items": [{"number": 1, "key": "k", "label": "L"}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("items: must be []"));
  const auto unknown = Instrument::FromJson(
      R"({"format": "marac-instrument/1", "id": "x", "version": "1",
          "graded_by": "vibes", "items": []})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("graded_by"));
  const auto empty_counted = Instrument::FromJson(
      R"({"format": "marac-instrument/1", "id": "x", "version": "1",
          "items": []})");
  EXPECT_FALSE(empty_counted.ok());
}

TEST(HbvConcernTest, ARecordedConcernPromptsTheHdashQuestions) {
  Checklist ric(*InstrumentSet::BuiltIn().Find("safelives-ric"));
  for (int i = 1; i <= ric.instrument().item_count(); ++i) {
    ASSERT_TRUE(ric.Record(i, Answer::kNo).ok());
  }
  CaseHistory h;
  Result<RiskScore> s = Score(ric, h, kAsOf);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(SafeguardingRaised(*s).empty());
  h.hbv_concern = true;
  s = Score(ric, h, kAsOf);
  ASSERT_TRUE(s.ok());
  EXPECT_THAT(SafeguardingRaised(*s), ElementsAre("honour_based_abuse"));
  const std::vector<Finding> prompts = DescribePrompts(*s);
  ASSERT_THAT(Ids(prompts), Contains("honour_based_abuse"));
  for (const Finding& f : prompts) {
    if (f.id != "honour_based_abuse") continue;
    EXPECT_THAT(f.reason, HasSubstr("forced-marriage concern is recorded"));
    EXPECT_THAT(f.reason, HasSubstr("H-DASH"));
  }
  EXPECT_EQ(s->grade, Grade::kStandard);  // A prompt never grades.
}

TEST(ParentAssessmentTest, OnlyASupplementNamesAParent) {
  const InstrumentSet set = InstrumentSet::BuiltIn();
  EXPECT_TRUE(IsSupplement(set, "s-dash"));
  EXPECT_TRUE(IsSupplement(set, "h-dash"));
  EXPECT_FALSE(IsSupplement(set, "safelives-ric"));
  EXPECT_FALSE(IsSupplement(set, "dara"));
  EXPECT_TRUE(CheckParentAssessment("p", set, "s-dash", "S-1", "RIC-1").ok());
  EXPECT_TRUE(CheckParentAssessment("p", set, "safelives-ric", "A", "").ok());
  Status s = CheckParentAssessment("p", set, "safelives-ric", "A", "B");
  EXPECT_THAT(s.message(), HasSubstr("p: given, but safelives-ric is a "
                                     "checklist in its own right"));
  s = CheckParentAssessment("p", set, "s-dash", "S-1", "S-1");
  EXPECT_THAT(s.message(), HasSubstr("names the assessment itself"));
  s = CheckParentAssessment("p", set, "s-dash", "S-1", "  ");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace marac
