// The statistics returns, counted by hand on a small invented year.
#include "marac/report/statistics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace marac {
namespace {

using ::testing::HasSubstr;

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
  EXPECT_THAT(md, HasSubstr("| Repeat rate | 33.3% | 32% |"));
  EXPECT_THAT(md, HasSubstr("not recorded"));
  EXPECT_THAT(md, HasSubstr("population not given"));
  const nlohmann::json j = nlohmann::json::parse(StatisticsJson(*s));
  EXPECT_EQ(j["from"], "2026-01-01");
  EXPECT_TRUE(j["figures"].is_array());
  EXPECT_THAT(StatisticsHtml(*s), HasSubstr("<table>"));
  EXPECT_FALSE(
      ComputeStatistics(Year(), D("2026-12-31"), D("2026-01-01")).ok());
}

}  // namespace
}  // namespace marac
