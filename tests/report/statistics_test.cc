// The statistics returns, counted by hand on a small invented year.
#include "marac/report/statistics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Date D(const char* text) { return *Date::Parse("date", text); }

const Figure& Find(const Statistics& s, const std::string& id) {
  for (const Figure& f : s.figures) {
    if (f.id == id) return f;
  }
  static const Figure none;
  ADD_FAILURE() << "no figure " << id;
  return none;
}

StatisticsInput Year() {
  StatisticsInput in;
  const auto record = [&](const char* id, const char* dob) {
    PersonRecord r;
    r.record_id = id;
    r.given_name = "Invented";
    r.dob = dob;
    in.records.push_back(r);
  };
  // Two records of one woman (P1), one of a 16-year-old (P2), one of P3.
  record("V1a", "1990-07-03");
  record("V1b", "1990-07-03");
  record("V2", "2009-05-01");
  record("V3", "1980-01-01");
  in.people = {{"V1a", "P1"}, {"V1b", "P1"}, {"V2", "P2"}, {"V3", "P3"}};
  in.incidents = {{"I1", D("2026-01-10"), "A", "V1a", {}, "police"},
                  {"I2", D("2026-06-10"), "A", "V1b", {}, "police"},
                  {"I3", D("2026-03-01"), "A", "V2", {}, "idva"},
                  {"I4", D("2025-12-01"), "A", "V3", {}, "police"}};
  const auto assessment = [&](const char* id, const char* victim,
                              const char* on, int score, const char* grade) {
    StoredAssessment a;
    a.assessment_id = id;
    a.victim_record_id = victim;
    a.completed_on = D(on);
    a.score = score;
    a.grade = *ParseGrade("grade", grade);
    in.assessments.push_back(a);
  };
  assessment("A1", "V1a", "2026-01-10", 16, "high");
  assessment("A2", "V1b", "2026-06-10", 9, "medium");  // Risk fell.
  assessment("A3", "V2", "2026-03-01", 11, "medium");
  const auto referral = [&](const char* id, const char* victim, const char* on,
                            ReferralSource source, int children) {
    StoredReferral r;
    r.referral_id = id;
    r.area = "A";
    r.agency = source == ReferralSource::kIdva ? "IDVA service" : "Police";
    r.source = source;
    r.referred_on = D(on);
    r.victim_record_id = victim;
    r.children_in_household = children;
    in.referrals.push_back(r);
  };
  referral("R1", "V1a", "2026-01-11", ReferralSource::kPolice, 2);
  referral("R2", "V1b", "2026-06-11", ReferralSource::kPolice, 2);  // Repeat.
  referral("R3", "V2", "2026-03-02", ReferralSource::kIdva, 0);
  referral("R0", "V3", "2025-12-02", ReferralSource::kPolice, 1);  // Before.
  in.meetings = {{"M1", "A", D("2026-02-01"), D("2026-01-25"), 16, 0}};
  in.listings = {{"M1", "M1", {"R1"}}};
  return in;
}

TEST(StatisticsTest, CountsAYearByHand) {
  const Result<Statistics> s = ComputeStatistics(
      Year(), D("2026-01-01"), D("2026-12-31"), {.adult_women = 10'000});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(Find(*s, "incidents").value, 3);
  EXPECT_EQ(Find(*s, "victims").value, 2);  // P1 twice, P2.
  EXPECT_EQ(Find(*s, "victims_high").value, 1);
  EXPECT_EQ(Find(*s, "victims_medium").value, 1);
  EXPECT_EQ(Find(*s, "victims_aged_12_18").value, 1);
  EXPECT_EQ(Find(*s, "marac_cases").value, 3);
  EXPECT_EQ(Find(*s, "cases_heard").value, 1);
  EXPECT_EQ(Find(*s, "repeat_victims").value, 1);
  EXPECT_NEAR(*Find(*s, "repeat_rate").value, 1.0 / 3.0, 1e-12);
  EXPECT_EQ(Find(*s, "repeat_rate").national, 0.32);
  EXPECT_NEAR(*Find(*s, "non_police_share").value, 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(*Find(*s, "children_per_case").value, 4.0 / 3.0, 1e-12);
  EXPECT_EQ(Find(*s, "risk_reduced_share").value, 1.0);
  EXPECT_FALSE(Find(*s, "idva_supported_share").value.has_value())
      << "no allocations recorded: not recorded, not zero";
  EXPECT_NEAR(*Find(*s, "cases_per_10k_women").value, 3.0 * 365.0 / 365.0,
              1e-9);
  EXPECT_EQ(s->referrals_by_source.at("police"), 2);
  EXPECT_EQ(s->idva_referrals_by_quarter.at("2026-Q1"), 1);
}

TEST(StatisticsTest, IdvaSharesCountAllocationsByThePeriodsEnd) {
  StatisticsInput in = Year();
  in.idva = {
      {"R1", "IDVA", D("2026-01-12"), IdvaEngagement::kEngaged, std::nullopt},
      {"R2", "IDVA", D("2026-06-12"), IdvaEngagement::kDeclined, std::nullopt},
      // Allocated after the period ends: not yet supported then.
      {"R3", "IDVA", D("2027-01-03"), IdvaEngagement::kEngaged, std::nullopt},
      // Referred before the period: not one of its cases.
      {"R0", "IDVA", D("2025-12-03"), IdvaEngagement::kEngaged, std::nullopt},
  };
  const Result<Statistics> s =
      ComputeStatistics(in, D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_NEAR(*Find(*s, "idva_supported_share").value, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(*Find(*s, "idva_engaged_share").value, 1.0 / 2.0, 1e-12);
  EXPECT_THAT(Find(*s, "idva_engaged_share").note, HasSubstr("1 engaged of 2"));
}

TEST(StatisticsTest, TheVictimProfileCountsOnlyRecordedEqualityFields) {
  StatisticsInput in = Year();
  const auto set = [&](const char* id, EqualityMonitoring e) {
    for (StoredReferral& r : in.referrals) {
      if (r.referral_id == id) r.details.equality = std::move(e);
    }
  };
  set("R1", {"man", "black", "not_stated", "gay_or_lesbian", "16-17"});
  set("R2", {"woman", "white_british", "yes", "heterosexual", "25-34"});
  // R3 records nothing; R0 is before the period.
  set("R0", {"man", "asian", "yes", "bisexual", "16-17"});
  const Result<Statistics> s =
      ComputeStatistics(in, D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_NEAR(*Find(*s, "male_victim_share").value, 1.0 / 2.0, 1e-12);
  EXPECT_EQ(Find(*s, "male_victim_share").national, 0.065);
  EXPECT_NEAR(*Find(*s, "minoritised_ethnic_share").value, 1.0 / 2.0, 1e-12);
  EXPECT_NEAR(*Find(*s, "lgbt_share").value, 1.0 / 2.0, 1e-12);
  // "not_stated" is not a record: one of one.
  EXPECT_NEAR(*Find(*s, "disabled_share").value, 1.0, 1e-12);
  EXPECT_THAT(Find(*s, "disabled_share").note, HasSubstr("1 of 1 cases"));
  EXPECT_NEAR(*Find(*s, "aged_16_17_share").value, 1.0 / 2.0, 1e-12);
  // Without any equality monitoring: not recorded, never zero.
  const Result<Statistics> none =
      ComputeStatistics(Year(), D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(Find(*none, "male_victim_share").value.has_value());
  EXPECT_THAT(Find(*none, "male_victim_share").note,
              HasSubstr("no referral in the period recorded"));
}

TEST(StatisticsTest, RenderingsSayWhatIsNotRecorded) {
  const Result<Statistics> s =
      ComputeStatistics(Year(), D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(s.ok());
  const std::string md = StatisticsMarkdown(*s);
  EXPECT_THAT(md, HasSubstr("| MARAC repeat rate | 33.3% | 32% |"));
  EXPECT_THAT(md, HasSubstr("not recorded"));
  EXPECT_THAT(md, HasSubstr("population not given"));
  const nlohmann::json j = nlohmann::json::parse(StatisticsJson(*s));
  EXPECT_EQ(j["from"], "2026-01-01");
  EXPECT_TRUE(j["figures"].is_array());
  EXPECT_THAT(StatisticsHtml(*s), HasSubstr("<table>"));
  EXPECT_FALSE(
      ComputeStatistics(Year(), D("2026-12-31"), D("2026-01-01")).ok());
}

// The annual report's "repeat victims" are police repeat victimisation: a
// victim of a police-recorded incident in the period with another in the 12
// months before it. Counted by hand:
//   P1: I1 2026-01-10, I2 2026-06-10 (police)          -> repeat
//   P3: I4 2025-12-01, I5 2026-12-01 (12 months exact) -> repeat
//   P4: I6 2025-06-09, I7 2026-06-10 (a day past)      -> not
//   P2: I3 2026-03-01 (idva, not police), I8 2026-05-01 -> one police: not
// Police victims in 2026: P1, P2, P3, P4 = 4; repeats 2; rate 50%. The
// MARAC repeat (R2 after R1) stays 1.
TEST(StatisticsTest, PoliceRepeatVictimisationIsNotTheMaracRepeat) {
  StatisticsInput in = Year();
  PersonRecord four;
  four.record_id = "V4";
  four.given_name = "Invented";
  four.dob = "1975-04-04";
  in.records.push_back(four);
  in.people.push_back({"V4", "P4"});
  in.incidents.push_back({"I5", D("2026-12-01"), "A", "V3", {}, "Police"});
  in.incidents.push_back({"I6", D("2025-06-09"), "A", "V4", {}, "police"});
  in.incidents.push_back({"I7", D("2026-06-10"), "A", "V4", {}, "police"});
  in.incidents.push_back({"I8", D("2026-05-01"), "A", "V2", {}, "police"});
  const Result<Statistics> s =
      ComputeStatistics(in, D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(Find(*s, "police_repeat_victims").value, 2);
  EXPECT_EQ(Find(*s, "police_repeat_victim_rate").value, 0.5);
  EXPECT_THAT(Find(*s, "police_repeat_victim_rate").note,
              HasSubstr("2 of 4 victims"));
  EXPECT_EQ(Find(*s, "repeat_victims").value, 1);
  EXPECT_EQ(Find(*s, "repeat_victims").label, "MARAC repeat victims");
  EXPECT_THAT(Find(*s, "police_repeat_victims").note,
              HasSubstr("not the MARAC repeat"));
  // No police incident at all: not recorded, not 0.
  StatisticsInput none = Year();
  for (StoredIncident& i : none.incidents) i.reported_by = "idva";
  const Result<Statistics> n =
      ComputeStatistics(none, D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(n.ok());
  EXPECT_FALSE(Find(*n, "police_repeat_victims").value.has_value());
  EXPECT_FALSE(Find(*n, "police_repeat_victim_rate").value.has_value());
}

// Crime and non-crime as recorded, and grades counted per victim and per
// incident: P1's I1 high and I2 medium, P2's I3 medium.
TEST(StatisticsTest, CrimeSplitAndGradesPerVictimAndPerIncident) {
  StatisticsInput in = Year();
  in.incidents[0].crime = true;   // I1
  in.incidents[1].crime = false;  // I2; I3 not recorded.
  in.assessments[0].incident_id = "I1";
  in.assessments[1].incident_id = "I2";
  in.assessments[2].incident_id = "I3";
  const Result<Statistics> s =
      ComputeStatistics(in, D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(Find(*s, "incidents_crime").value, 1);
  EXPECT_EQ(Find(*s, "incidents_non_crime").value, 1);
  EXPECT_THAT(Find(*s, "incidents_crime").note,
              HasSubstr("1 incidents without a crime / non-crime record"));
  EXPECT_EQ(Find(*s, "victims_high").value, 1);      // P1.
  EXPECT_EQ(Find(*s, "victims_medium").value, 1);    // P2 (P1 counted high).
  EXPECT_EQ(Find(*s, "incidents_high").value, 1);    // I1.
  EXPECT_EQ(Find(*s, "incidents_medium").value, 2);  // I2, I3.
  EXPECT_THAT(Find(*s, "victims_medium").label, HasSubstr("per victim"));
  EXPECT_THAT(Find(*s, "incidents_medium").label, HasSubstr("per incident"));
  // Nothing recorded: not recorded, not 0.
  const Result<Statistics> plain =
      ComputeStatistics(Year(), D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(Find(*plain, "incidents_crime").value.has_value());
}

// Referrals into the IDVA service come from the allocations; the MARAC
// referrals IDVAs made are another figure. A period from 15 February
// covers the first quarter in part.
TEST(StatisticsTest, IdvaIntakeByQuarterWithPartialQuartersMarked) {
  StatisticsInput in = Year();
  in.idva = {
      {"R1", "IDVA", D("2026-01-12"), IdvaEngagement::kEngaged, std::nullopt},
      {"R2", "IDVA", D("2026-06-12"), IdvaEngagement::kEngaged, std::nullopt},
      {"R3", "IDVA", D("2026-03-03"), IdvaEngagement::kEngaged, std::nullopt},
  };
  const Result<Statistics> s =
      ComputeStatistics(in, D("2026-02-15"), D("2026-06-30"));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->idva_allocations_by_quarter,
            (std::map<std::string, int>{{"2026-Q1", 1}, {"2026-Q2", 1}}));
  EXPECT_EQ(s->idva_referrals_by_quarter,
            (std::map<std::string, int>{{"2026-Q1", 1}}))
      << "R3, made by an IDVA on 2 March";
  EXPECT_EQ(s->partial_quarters, std::vector<std::string>{"2026-Q1"});
  const std::string md = StatisticsMarkdown(*s);
  EXPECT_THAT(md, HasSubstr("## MARAC referrals made by IDVAs, by quarter"));
  EXPECT_THAT(md, HasSubstr("## Referrals into the IDVA service"));
  EXPECT_THAT(md, HasSubstr("- 2026-Q1 (partial"));
  EXPECT_THAT(md, HasSubstr("- 2026-Q2: 1"));
  const Result<Statistics> year =
      ComputeStatistics(in, D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(year.ok());
  EXPECT_TRUE(year->partial_quarters.empty());
}

// Each figure beside the period of the same length before: 2026's first
// half (six whole months) against July to December 2025, which holds
// I4/R0; a period of days against as many days.
TEST(StatisticsTest, ComparesWithThePreviousPeriod) {
  const Result<Statistics> s = ComputeStatistics(
      Year(), D("2026-01-01"), D("2026-06-30"), {.compare_previous = true});
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE(s->previous_from.has_value());
  EXPECT_EQ(*s->previous_from, D("2025-07-01"));
  EXPECT_EQ(*s->previous_to, D("2025-12-31"));
  EXPECT_EQ(Find(*s, "incidents").value, 3);
  EXPECT_EQ(Find(*s, "incidents").previous, 1);
  EXPECT_EQ(Find(*s, "marac_cases").previous, 1);
  EXPECT_EQ(Find(*s, "repeat_rate").previous, 0.0) << "R0: 1 case, no repeat";
  const std::string md = StatisticsMarkdown(*s);
  EXPECT_THAT(md, HasSubstr("| Figure | Value | Previous | National |"));
  EXPECT_THAT(md, HasSubstr("Previous period: 2025-07-01 to 2025-12-31"));
  const nlohmann::json j = nlohmann::json::parse(StatisticsJson(*s));
  EXPECT_EQ(j["previous_from"], "2025-07-01");
  const Result<Statistics> days = ComputeStatistics(
      Year(), D("2026-01-10"), D("2026-01-19"), {.compare_previous = true});
  ASSERT_TRUE(days.ok());
  EXPECT_EQ(*days->previous_from, D("2025-12-31"));
  EXPECT_EQ(*days->previous_to, D("2026-01-09"));
  EXPECT_EQ(j["figures"][0]["previous"], 1);
  // Without it the column and fields are absent.
  const Result<Statistics> plain =
      ComputeStatistics(Year(), D("2026-01-01"), D("2026-06-30"));
  ASSERT_TRUE(plain.ok());
  EXPECT_THAT(StatisticsMarkdown(*plain), Not(HasSubstr("Previous")));
  EXPECT_FALSE(
      nlohmann::json::parse(StatisticsJson(*plain))["figures"][0].contains(
          "previous"));
}

// An officer's DARA grade has no count: risk fell only if the grade did.
// P1: RIC high (16) then DARA high: not fell (a score of 0 is no count).
TEST(StatisticsTest, ADaraGradeIsComparedByGradeNotByItsEmptyCount) {
  StatisticsInput in = Year();
  in.assessments[1].instrument = "dara";
  in.assessments[1].score = 0;
  in.assessments[1].grade = Grade::kHigh;
  in.assessments[1].officer_rationale = "Threats continue";
  Result<Statistics> s =
      ComputeStatistics(in, D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Find(*s, "risk_reduced_share").value, 0.0);
  in.assessments[1].grade = Grade::kMedium;
  s = ComputeStatistics(in, D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(Find(*s, "risk_reduced_share").value, 1.0);
}

// An S-DASH completed after a RIC is a supplement, not a reassessment: P1's
// RIC high (16) then a same-day S-DASH (not graded, 9 yes) changes nothing.
TEST(StatisticsTest, ASupplementIsNotAReassessment) {
  StatisticsInput in = Year();
  in.assessments.erase(in.assessments.begin() + 1);  // P1: A1 only.
  StoredAssessment stalking = in.assessments[0];
  stalking.assessment_id = "A1-S";
  stalking.instrument = "s-dash";
  stalking.score = 9;
  stalking.grade = Grade::kNotGraded;
  stalking.parent_assessment_id = "A1";
  in.assessments.push_back(stalking);
  const Result<Statistics> s =
      ComputeStatistics(in, D("2026-01-01"), D("2026-12-31"));
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(Find(*s, "risk_reduced_share").value.has_value())
      << "no victim assessed twice";
  EXPECT_THAT(Find(*s, "risk_reduced_share").note,
              HasSubstr("0 victims assessed more than once"));
}

}  // namespace
}  // namespace marac
