// The case file's vocabulary: grades by name and severity, the meeting id,
// and one area's part of a case file. People here are invented.
#include "marac/casefile/case_file.h"

#include <gtest/gtest.h>

#include <string>

namespace marac {
namespace {

Date D(const char* text) { return *Date::Parse("date", text); }

TEST(GradeTest, NamesParseBackAndOrderBySeverity) {
  const struct {
    Grade grade;
    const char* name;
    int severity;
  } kCases[] = {
      {Grade::kNotGraded, "not_graded", 0},
      {Grade::kStandard, "standard", 1},
      {Grade::kMedium, "medium", 2},
      {Grade::kHigh, "high", 3},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(GradeName(c.grade), c.name);
    const Result<Grade> parsed = ParseGrade("grade", c.name);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, c.grade);
    EXPECT_EQ(GradeSeverity(c.grade), c.severity);
  }
}

TEST(GradeTest, AnyOtherNameIsAnErrorNamingTheField) {
  for (const char* bad : {"", "High", "low", "high "}) {
    SCOPED_TRACE(bad);
    const Result<Grade> parsed = ParseGrade("assessments.csv:4: grade", bad);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("assessments.csv:4: grade"),
              std::string::npos)
        << parsed.status();
  }
}

TEST(MeetingIdTest, NamesTheDateAndTheAreaAndGivesTheAreaBack) {
  const struct {
    const char* label;
    const char* date;
    const char* area;
    const char* want_id;
  } kCases[] = {
      {"AnArea", "2026-05-14", "north", "M-2026-05-14-north"},
      {"EveryArea", "2026-05-14", "", "M-2026-05-14"},
      {"AreaWithHyphens", "2026-01-02", "leeds-east",
       "M-2026-01-02-leeds-east"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    const std::string id = MeetingId(D(c.date), c.area);
    EXPECT_EQ(id, c.want_id);
    EXPECT_EQ(MeetingIdArea(id), c.area);
  }
}

TEST(MeetingIdTest, AnIdMadeElsewhereNamesNoArea) {
  for (const char* id : {"", "M1", "M-2026-05-14", "X-2026-05-14-north",
                         "M-2026-05-14north", "M-2026-05-14-"}) {
    SCOPED_TRACE(id);
    EXPECT_EQ(MeetingIdArea(id), "");
  }
}

TEST(KeepAreaTest, KeepsOnlyTheAreasReferralsIncidentsMeetingsAndSupport) {
  CaseFile file;
  file.records.resize(2);
  file.people = {{"V1", "P1"}, {"V2", "P2"}};
  file.incidents = {{"I1", D("2026-01-02"), "north", "V1", {}, "police"},
                    {"I2", D("2026-01-03"), "south", "V2", {}, "police"}};
  StoredReferral north;
  north.referral_id = "R1";
  north.area = "north";
  StoredReferral south = north;
  south.referral_id = "R2";
  south.area = "south";
  file.referrals = {north, south};
  file.meetings = {{"MN", "north", D("2026-02-01"), D("2026-01-25"), 10, 0},
                   {"MS", "south", D("2026-02-01"), D("2026-01-25"), 10, 0}};
  file.listings = {{"MN", "MN", {"R1"}}, {"MS", "MS", {"R2"}}};
  file.idva = {{"R1", "IDVA North", D("2026-01-05"), IdvaEngagement::kNotKnown,
                std::nullopt},
               {"R2", "IDVA South", D("2026-01-05"), IdvaEngagement::kNotKnown,
                std::nullopt}};

  KeepArea("north", file);

  ASSERT_EQ(file.referrals.size(), 1u);
  EXPECT_EQ(file.referrals[0].referral_id, "R1");
  ASSERT_EQ(file.incidents.size(), 1u);
  EXPECT_EQ(file.incidents[0].incident_id, "I1");
  ASSERT_EQ(file.meetings.size(), 1u);
  EXPECT_EQ(file.meetings[0].meeting_id, "MN");
  ASSERT_EQ(file.listings.size(), 1u);
  EXPECT_EQ(file.listings[0].agenda_id, "MN");
  ASSERT_EQ(file.idva.size(), 1u);
  EXPECT_EQ(file.idva[0].referral_id, "R1");
  EXPECT_EQ(file.records.size(), 2u) << "people are not of one area";
  EXPECT_EQ(file.people.size(), 2u);
}

}  // namespace
}  // namespace marac
