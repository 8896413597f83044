// The case graph's queries, at their boundaries. People are invented ids.
#include "marac/graph/case_graph.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace marac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Date D(const char* text) { return *Date::Parse("date", text); }

TEST(CaseGraphTest, RepeatIsWithinTwelveMonthsOfTheLastReferralEndInclusive) {
  CaseGraph g;
  ASSERT_TRUE(g.AddReferral({"R1", "P1", D("2025-03-10")}).ok());
  ASSERT_TRUE(g.AddReferral({"R2", "P1", D("2024-01-05")}).ok());
  // On the last day of the window: a repeat.
  const RepeatAnswer edge = g.RepeatVictim("P1", D("2026-03-10"));
  EXPECT_TRUE(edge.repeat);
  EXPECT_EQ(edge.last_referral, D("2025-03-10"));
  EXPECT_THAT(edge.reason, HasSubstr("window ends 2026-03-10"));
  // A day later: a new referral.
  const RepeatAnswer after = g.RepeatVictim("P1", D("2026-03-11"));
  EXPECT_FALSE(after.repeat);
  EXPECT_THAT(after.reason, HasSubstr("not a repeat"));
  // On the day of the referral itself: counts against the one before.
  const RepeatAnswer same_day = g.RepeatVictim("P1", D("2025-03-10"));
  EXPECT_EQ(same_day.last_referral, D("2024-01-05"));
  EXPECT_FALSE(same_day.repeat);
  // Never referred.
  EXPECT_FALSE(g.RepeatVictim("P9", D("2026-01-01")).repeat);
}

TEST(CaseGraphTest, LeapDayReferralsEndOnTheLastDayOfFebruary) {
  CaseGraph g;
  ASSERT_TRUE(g.AddReferral({"R1", "P1", D("2024-02-29")}).ok());
  EXPECT_TRUE(g.RepeatVictim("P1", D("2025-02-28")).repeat);
  EXPECT_FALSE(g.RepeatVictim("P1", D("2025-03-01")).repeat);
}

TEST(CaseGraphTest, SerialPerpetratorCountsDistinctVictimsInThreeYears) {
  CaseGraph g;
  ASSERT_TRUE(g.AddIncident({"I1", D("2023-06-01"), "V1", {"X"}, 2}).ok());
  ASSERT_TRUE(g.AddIncident({"I2", D("2024-01-01"), "V1", {"X"}, 3}).ok());
  // Same victim twice: still one.
  const SerialAnswer one = g.SerialPerpetrator("X", D("2026-05-31"));
  EXPECT_FALSE(one.serial);
  EXPECT_THAT(one.victims, ElementsAre("V1"));
  ASSERT_TRUE(g.AddIncident({"I3", D("2026-05-31"), "V2", {"X"}, 1}).ok());
  // I1 is exactly three years before: inside the window.
  const SerialAnswer edge = g.SerialPerpetrator("X", D("2026-06-01"));
  EXPECT_TRUE(edge.serial);
  EXPECT_THAT(edge.victims, ElementsAre("V1", "V2"));
  EXPECT_THAT(edge.reason, HasSubstr("a serial perpetrator"));
  // Later, I1 and I2 fall out of the window; only V2 remains.
  const SerialAnswer later = g.SerialPerpetrator("X", D("2027-01-02"));
  EXPECT_FALSE(later.serial);
  EXPECT_THAT(later.victims, ElementsAre("V2"));
  // An incident after the as-of date does not count.
  EXPECT_FALSE(g.SerialPerpetrator("X", D("2024-06-01")).serial);
}

TEST(CaseGraphTest, ThePolicyIsConfigurable) {
  GraphPolicy policy;
  policy.serial_min_victims = 3;
  policy.repeat_window_months = 6;
  CaseGraph g(policy);
  ASSERT_TRUE(g.AddIncident({"I1", D("2026-01-01"), "V1", {"X"}, 1}).ok());
  ASSERT_TRUE(g.AddIncident({"I2", D("2026-02-01"), "V2", {"X"}, 1}).ok());
  EXPECT_FALSE(g.SerialPerpetrator("X", D("2026-03-01")).serial);
  ASSERT_TRUE(g.AddReferral({"R1", "V1", D("2026-01-10")}).ok());
  EXPECT_TRUE(g.RepeatVictim("V1", D("2026-07-10")).repeat);
  EXPECT_FALSE(g.RepeatVictim("V1", D("2026-07-11")).repeat);
}

TEST(CaseGraphTest, ScoreParts) {
  GraphPolicy policy;  // Half-life 180 days, frequency scale 3, max 3.
  CaseGraph g(policy);
  ASSERT_TRUE(g.AddIncident({"I1", D("2026-01-01"), "V1", {"X"}, 3}).ok());
  ASSERT_TRUE(g.AddIncident({"I2", D("2026-06-30"), "V2", {"X"}, 1}).ok());
  ASSERT_TRUE(g.AddIncident({"I3", D("2026-06-30"), "V3", {"Y"}, 3}).ok());
  const PerpetratorScore s = g.Score("X", D("2026-12-27"));
  EXPECT_EQ(s.incidents, 2u);
  EXPECT_NEAR(s.recency, 0.5, 1e-9);  // 180 days after the last.
  EXPECT_NEAR(s.frequency, 2.0 / 5.0, 1e-9);
  EXPECT_NEAR(s.gravity, 2.0 / 3.0, 1e-9);
  EXPECT_NEAR(s.score, s.recency + s.frequency + s.gravity, 1e-9);
  EXPECT_THAT(s.reason, HasSubstr("local policy"));
  EXPECT_EQ(g.Score("nobody", D("2026-12-27")).score, 0);
}

TEST(CaseGraphTest, TheNetworkAroundACase) {
  CaseGraph g;
  // X harmed V1 and V2; V1 was also harmed by Y; V1 has two children.
  ASSERT_TRUE(g.AddIncident({"I1", D("2026-01-01"), "V1", {"X"}, 1}).ok());
  ASSERT_TRUE(g.AddIncident({"I2", D("2026-02-01"), "V2", {"X"}, 1}).ok());
  ASSERT_TRUE(g.AddIncident({"I3", D("2026-03-01"), "V1", {"Y", "Y"}, 1}).ok());
  ASSERT_TRUE(g.AddChild("V1", "C1").ok());
  ASSERT_TRUE(g.AddChild("V1", "C2").ok());
  ASSERT_TRUE(g.AddChild("V1", "C2").ok());  // Once.
  const Network v1 = g.NetworkAround("V1");
  EXPECT_THAT(v1.perpetrators, ElementsAre("X", "Y"));
  EXPECT_THAT(v1.co_victims, ElementsAre("V2"));
  EXPECT_THAT(v1.children, ElementsAre("C1", "C2"));
  const Network x = g.NetworkAround("X");
  EXPECT_THAT(x.victims, ElementsAre("V1", "V2"));
  EXPECT_THAT(x.co_perpetrators, ElementsAre("Y"));
  EXPECT_THAT(g.IncidentsOf("V1"), ElementsAre("I1", "I3"));
  EXPECT_EQ(g.people(), 6u);
  EXPECT_EQ(g.incidents(), 3u);
}

TEST(CaseGraphTest, BadUpdatesNameTheFieldAndChangeNothing) {
  CaseGraph g;
  ASSERT_TRUE(g.AddIncident({"I1", D("2026-01-01"), "V1", {"X"}, 1}).ok());
  EXPECT_THAT(g.AddIncident({"I1", D("2026-01-02"), "V2", {"X"}, 1}).message(),
              HasSubstr("already added"));
  EXPECT_THAT(g.AddIncident({"I2", D("2026-01-02"), "V2", {"V2"}, 1}).message(),
              HasSubstr("incident.perpetrators[0]"));
  EXPECT_THAT(g.AddIncident({"I3", D("2026-01-02"), "", {"X"}, 1}).message(),
              HasSubstr("incident.victim"));
  EXPECT_THAT(g.AddIncident({"I4", D("2026-01-02"), "V2", {"X"}, -1}).message(),
              HasSubstr("incident.gravity"));
  EXPECT_THAT(g.AddReferral({"", "V1", D("2026-01-01")}).message(),
              HasSubstr("referral.referral_id"));
  EXPECT_EQ(g.incidents(), 1u);
  EXPECT_EQ(g.people(), 2u);
}

TEST(CaseGraphTest, AnAssessmentOfAnIncidentRaisesItsGravity) {
  CaseGraph g;
  ASSERT_TRUE(g.AddIncident({"I1", D("2026-01-10"), "V1", {"X"}, 0}).ok());
  const PerpetratorScore before = g.Score("X", D("2026-01-10"));
  EXPECT_EQ(before.gravity, 0);
  ASSERT_TRUE(g.AddAssessment({"A1", "V1", "I1", D("2026-01-11"), 3, 15}).ok());
  const PerpetratorScore after = g.Score("X", D("2026-01-10"));
  EXPECT_DOUBLE_EQ(after.gravity, 1.0) << "high of max_gravity 3";
  EXPECT_GT(after.score, before.score);
  EXPECT_EQ(g.assessments(), 1u);
}

TEST(CaseGraphTest, BadAssessmentsMeetingsAndHearingsNameTheField) {
  CaseGraph g;
  ASSERT_TRUE(g.AddReferral({"R1", "V1", D("2026-01-05")}).ok());
  ASSERT_TRUE(g.AddMeeting({"M1", "North", D("2026-01-20")}).ok());
  struct Bad {
    const char* label;
    Status status;
    const char* field;
  };
  const Bad bad[] = {
      {"NoId", g.AddAssessment({"", "V1", "", D("2026-01-01"), 1, 3}),
       "assessment.assessment_id"},
      {"NoVictim", g.AddAssessment({"A1", "", "", D("2026-01-01"), 1, 3}),
       "assessment.victim"},
      {"Severity", g.AddAssessment({"A1", "V1", "", D("2026-01-01"), 4, 3}),
       "assessment.severity"},
      {"UnknownIncident",
       g.AddAssessment({"A1", "V1", "I9", D("2026-01-01"), 1, 3}),
       "assessment.incident_id"},
      {"RepeatedMeeting", g.AddMeeting({"M1", "North", D("2026-02-20")}),
       "meeting.meeting_id"},
      {"UnknownReferral", g.AddHearing("R9", "M1"), "hearing.referral_id"},
      {"UnknownMeeting", g.AddHearing("R1", "M9"), "hearing.meeting_id"},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.label);
    EXPECT_EQ(b.status.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(b.status.message(), HasSubstr(b.field));
  }
  EXPECT_EQ(g.assessments(), 0u) << "nothing half-added";
  EXPECT_EQ(g.meetings(), 1u);
}

TEST(CaseGraphTest, HearingsCountOnlyMeetingsBeforeTheDate) {
  CaseGraph g;
  ASSERT_TRUE(g.AddReferral({"R1", "V1", D("2026-01-05")}).ok());
  ASSERT_TRUE(g.AddReferral({"R2", "V1", D("2026-03-01")}).ok());
  ASSERT_TRUE(g.AddMeeting({"M1", "North", D("2026-01-20")}).ok());
  ASSERT_TRUE(g.AddMeeting({"M2", "North", D("2026-03-17")}).ok());
  ASSERT_TRUE(g.AddHearing("R1", "M1").ok());
  ASSERT_TRUE(g.AddHearing("R1", "M1").ok()) << "again: nothing added";
  ASSERT_TRUE(g.AddHearing("R2", "M2").ok());
  const std::vector<Hearing> heard = g.HearingsOf("V1");
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[0].meeting_id, "M1");
  EXPECT_EQ(heard[1].referral_id, "R2");
  // R1 was heard on 2026-01-20: before the next meeting, not before itself.
  ASSERT_TRUE(g.HeardBefore("R1", D("2026-01-21")).has_value());
  EXPECT_EQ(g.HeardBefore("R1", D("2026-01-21"))->meeting_id, "M1");
  EXPECT_FALSE(g.HeardBefore("R1", D("2026-01-20")).has_value());
  EXPECT_FALSE(g.HeardBefore("R9", D("2027-01-01")).has_value());
  EXPECT_TRUE(g.HearingsOf("V9").empty());
}

TEST(CaseGraphTest, RiskTrendComparesIntakeWithTheLatestUpToTheDate) {
  CaseGraph g;
  ASSERT_TRUE(g.AddAssessment({"A1", "V1", "", D("2026-01-05"), 3, 16}).ok());
  const RiskTrend one = g.RiskTrendOf("V1", D("2026-06-01"));
  EXPECT_EQ(one.assessments, 1u);
  EXPECT_FALSE(one.reduced);
  EXPECT_THAT(one.reason, HasSubstr("no reassessment"));
  ASSERT_TRUE(g.AddAssessment({"A2", "V1", "", D("2026-03-05"), 2, 11}).ok());
  ASSERT_TRUE(g.AddAssessment({"A3", "V1", "", D("2026-08-05"), 3, 17}).ok());
  // Up to June: A2 is the latest and lower than the intake.
  const RiskTrend june = g.RiskTrendOf("V1", D("2026-06-01"));
  EXPECT_EQ(june.assessments, 2u);
  EXPECT_EQ(june.intake_id, "A1");
  EXPECT_EQ(june.latest_id, "A2");
  EXPECT_TRUE(june.reduced);
  EXPECT_THAT(june.reason, HasSubstr("risk fell"));
  // On the day of A3 it counts, and risk has not fallen.
  const RiskTrend august = g.RiskTrendOf("V1", D("2026-08-05"));
  EXPECT_EQ(august.latest_id, "A3");
  EXPECT_EQ(august.latest_severity, 3);
  EXPECT_FALSE(august.reduced);
}

}  // namespace
}  // namespace marac
