// The One Stop Shops' yearly return, counted by hand on two small invented
// years at two invented sites, and the checks on visits and sessions.
#include "marac/report/one_stop_shop.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "marac/casefile/one_stop_shop.h"

namespace marac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Date D(const char* text) { return *Date::Parse("date", text); }

constexpr int kNo = 0;
constexpr int kYes = 1;
constexpr int kUnknown = -1;  // Not recorded.

using G = VisitorGender;
using F = VisitFeedback;

struct VisitRow {
  const char* id;
  const char* on;
  const char* site;
  const char* record;  // "": anonymous.
  int in_borough;      // kYes, kNo or kUnknown.
  const char* referred_by;
  int children;  // kUnknown: not recorded.
  G gender;
  F feedback;
};

OneStopShopVisit ToVisit(const VisitRow& r) {
  OneStopShopVisit v{.visit_id = r.id, .visited_on = D(r.on), .site = r.site};
  v.visitor_record_id = r.record;
  if (r.in_borough != kUnknown) v.lives_in_borough = r.in_borough == kYes;
  v.referred_by = r.referred_by;
  if (r.children != kUnknown) v.children = r.children;
  v.gender = r.gender;
  v.feedback = r.feedback;
  return v;
}

// Records R1a and R1b are one person, P1.
const std::vector<std::pair<std::string, std::string>> kPeople = {
    {"R1a", "P1"}, {"R1b", "P1"}, {"R2", "P2"}, {"R3", "P3"}};

constexpr VisitRow kVisits[] = {
    // 2023/24: counted only for the change of 2024/25.
    {"W00", "2023-07-01", "north-hub", "", kUnknown, "", kUnknown,
     G::kNotRecorded, F::kNotGiven},
    {"W01", "2024-06-30", "north-hub", "R3", kUnknown, "", kUnknown,
     G::kNotRecorded, F::kNotGiven},
    // 2024/25: no gender and no feedback recorded at all.
    {"W02", "2024-08-01", "north-hub", "R1a", kUnknown, "", kUnknown,
     G::kNotRecorded, F::kNotGiven},
    {"W03", "2024-10-10", "north-hub", "", kUnknown, "", kUnknown,
     G::kNotRecorded, F::kNotGiven},
    // 15 March: the last day of the period 2025/26 is compared with.
    {"W04", "2025-03-15", "north-hub", "R2", kUnknown, "", kUnknown,
     G::kNotRecorded, F::kNotGiven},
    {"W05", "2025-03-16", "north-hub", "R3", kUnknown, "", kUnknown,
     G::kNotRecorded, F::kNotGiven},
    {"W06", "2025-06-30", "south-hub", "", kUnknown, "", kUnknown,
     G::kNotRecorded, F::kNotGiven},
    // 2025/26, to as_of 2026-03-15.
    {"V01", "2025-07-03", "north-hub", "R1a", kYes, "gp", 2, G::kFemale,
     F::kHelpful},
    {"V02", "2025-07-10", "north-hub", "", kNo, "", kUnknown, G::kNotRecorded,
     F::kNotGiven},
    {"V07", "2025-07-24", "south-hub", "", kUnknown, "police", 4, G::kMale,
     F::kNotGiven},
    {"V03", "2025-09-04", "south-hub", "R1b", kUnknown, "police", 3,
     G::kNotRecorded, F::kNotHelpful},
    {"V04", "2025-09-11", "north-hub", "R2", kYes, "gp", kUnknown, G::kMale,
     F::kHelpful},
    {"V05", "2025-10-02", "north-hub", "R2", kYes, "", 1, G::kMale,
     F::kNotGiven},
    {"V06", "2026-03-12", "north-hub", "R3", kNo, "friend", 0, G::kFemale,
     F::kHelpful},
};

std::vector<OneStopShopVisit> Visits() {
  std::vector<OneStopShopVisit> out;
  for (const VisitRow& r : kVisits) out.push_back(ToVisit(r));
  return out;
}

std::vector<OneStopShopSession> Sessions() {
  return {
      {"S0", D("2025-03-06"), "north-hub", {"police"}, {}},  // 2024/25.
      {"S1",
       D("2025-07-03"),
       "north-hub",
       {"police", "idva", "housing"},
       {"police", "idva"}},
      // Solicitors came without a commitment: extra help.
      {"S2",
       D("2025-08-07"),
       "north-hub",
       {"police", "idva"},
       {"police", "idva", "solicitors"}},
      {"S3", D("2025-09-04"), "south-hub", {"idva"}, {}},
      {"S4", D("2025-11-06"), "north-hub", {"police", "housing"}, {"housing"}},
      {"S5",
       D("2026-03-12"),
       "north-hub",
       {"police", "idva"},
       {"police", "idva"}},
      {"S6", D("2026-04-02"), "north-hub", {"police"}, {}},  // Planned.
  };
}

constexpr OneStopShopOptions kOptions = {
    .last_year_ending = 2026, .years = 2, .as_of = Date{2026, 3, 15}};

Result<OneStopShopReport> Report() {
  const std::vector<OneStopShopVisit> visits = Visits();
  const std::vector<OneStopShopSession> sessions = Sessions();
  return ComputeOneStopShopReport(visits, sessions, kPeople, kOptions);
}

TEST(OneStopShopTest, YearsRunFromJulyToJune) {
  struct Case {
    const char* label;
    const char* date;
    int year_ending;
    const char* name;
  };
  constexpr Case kCases[] = {
      {"FirstOfJuly", "2025-07-01", 2026, "2025/26"},
      {"LastOfJune", "2025-06-30", 2025, "2024/25"},
      {"NewYear", "2026-01-01", 2026, "2025/26"},
      {"Millennium", "1999-12-31", 2000, "1999/00"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.label);
    const int ending = OneStopShopYearEnding(D(c.date));
    EXPECT_EQ(ending, c.year_ending);
    EXPECT_EQ(OneStopShopYearName(ending), c.name);
  }
}

TEST(OneStopShopTest, VisitsOnTheYearEdgesFallInTheirYear) {
  const std::vector<OneStopShopVisit> visits = {
      ToVisit({"E1", "2024-06-30", "north-hub", "", kUnknown, "", kUnknown,
               G::kNotRecorded, F::kNotGiven}),
      ToVisit({"E2", "2024-07-01", "north-hub", "", kUnknown, "", kUnknown,
               G::kNotRecorded, F::kNotGiven}),
      ToVisit({"E3", "2025-06-30", "north-hub", "", kUnknown, "", kUnknown,
               G::kNotRecorded, F::kNotGiven}),
      ToVisit({"E4", "2025-07-01", "north-hub", "", kUnknown, "", kUnknown,
               G::kNotRecorded, F::kNotGiven}),
  };
  const Result<OneStopShopReport> r = ComputeOneStopShopReport(
      visits, {}, {},
      {.last_year_ending = 2026, .years = 3, .as_of = D("2026-06-30")});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->years.size(), 3u);
  EXPECT_EQ(r->years[0].name, "2023/24");
  EXPECT_EQ(r->years[0].all_sites.visits, 1);  // E1.
  EXPECT_EQ(r->years[1].all_sites.visits, 2);  // E2, E3.
  EXPECT_EQ(r->years[2].all_sites.visits, 1);  // E4.
  EXPECT_EQ(r->years[2].from, D("2025-07-01"));
  EXPECT_EQ(r->years[2].to, D("2026-06-30"));
  // As of 30 June the year is over; a day earlier it is not.
  EXPECT_FALSE(r->years[2].partial);
  const Result<OneStopShopReport> early = ComputeOneStopShopReport(
      visits, {}, {},
      {.last_year_ending = 2026, .years = 3, .as_of = D("2026-06-29")});
  ASSERT_TRUE(early.ok()) << early.status();
  EXPECT_TRUE(early->years[2].partial);
  EXPECT_EQ(early->years[2].counted_to, D("2026-06-29"));
}

TEST(OneStopShopTest, CountsAPartialYearByHand) {
  const Result<OneStopShopReport> r = Report();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->sites, ElementsAre("north-hub", "south-hub"));
  ASSERT_EQ(r->years.size(), 2u);
  const OneStopShopYear& y = r->years[1];
  EXPECT_EQ(y.name, "2025/26");
  EXPECT_TRUE(y.partial);
  EXPECT_EQ(y.counted_to, D("2026-03-15"));
  const OneStopShopFigures& f = y.all_sites;
  EXPECT_EQ(f.visits, 7);  // V01-V07.
  // P1 (R1a at north, R1b at south), P2 twice, P3; V02 and V07 anonymous.
  EXPECT_EQ(f.identified_visitors, 3);
  EXPECT_EQ(f.anonymous_visits, 2);
  EXPECT_EQ(f.visitors, 5);
  EXPECT_EQ(f.repeat_visitors, 2);  // P1 and P2.
  EXPECT_NEAR(*f.repeat_share, 2.0 / 3.0, 1e-12);
  // Latest recorded gender: P1 female (V03 left it blank), P2 male, P3
  // female, V07 male; V02 not recorded.
  EXPECT_EQ(f.male_visitors, 2);
  EXPECT_EQ(f.gender_recorded, 4);
  EXPECT_EQ(f.gender_not_recorded, 1);
  EXPECT_EQ(f.male_share, 0.5);
  // Borough: P1 yes (V01), P2 yes, P3 no, V02 no; V07 not recorded.
  EXPECT_EQ(f.in_borough_visitors, 2);
  EXPECT_EQ(f.borough_recorded, 4);
  EXPECT_EQ(f.borough_not_recorded, 1);
  EXPECT_EQ(f.in_borough_share, 0.5);
  // Children, latest per visitor: P1 3 (V03), P2 1, P3 0, V07 4.
  EXPECT_EQ(f.children, 8);
  EXPECT_EQ(f.visitors_with_children_recorded, 4);
  EXPECT_EQ(f.visits_with_children_recorded, 5);  // V01 V03 V05 V06 V07.
  EXPECT_EQ(f.referred_by, (std::map<std::string, int>{
                               {"friend", 1}, {"gp", 2}, {"police", 2}}));
  EXPECT_EQ(f.referred_by_not_recorded, 2);  // V02, V05.
  // Feedback from V01, V03, V04, V06; helpful but V03.
  EXPECT_EQ(f.feedback_given, 4);
  EXPECT_EQ(f.feedback_helpful, 3);
  EXPECT_EQ(f.helpful_share, 0.75);
  EXPECT_NEAR(*f.response_rate, 4.0 / 7.0, 1e-12);
  // Months begun: July to March; March (1 visit) is not over by as_of.
  ASSERT_EQ(f.months.size(), 9u);
  EXPECT_EQ(f.months[0], (MonthVisits{"2025-07", 3}));
  EXPECT_EQ(f.months[8], (MonthVisits{"2026-03", 1}));
  // Open: July (3), August (0, session S2), September (2), October (1),
  // November (0, session S4); December to February had neither.
  EXPECT_THAT(f.busiest_months, ElementsAre(MonthVisits{"2025-07", 3}));
  EXPECT_THAT(f.quietest_months, ElementsAre(MonthVisits{"2025-08", 0},
                                             MonthVisits{"2025-11", 0}));
  EXPECT_EQ(f.sessions, 5);  // S1-S5; S6 is after as_of.
  // Compared with 2024-07-01 to 2025-03-15: W02, W03, W04 (W05 is a day
  // later), by P1, an anonymous visitor and P2.
  EXPECT_EQ(f.previous_visits, 3);
  EXPECT_EQ(f.previous_visitors, 3);
  EXPECT_NEAR(*f.visits_change, 4.0 / 3.0, 1e-12);
  EXPECT_NEAR(*f.visitors_change, 2.0 / 3.0, 1e-12);
}

TEST(OneStopShopTest, CountsEachSiteApart) {
  const Result<OneStopShopReport> r = Report();
  ASSERT_TRUE(r.ok()) << r.status();
  const OneStopShopYear& y = r->years[1];
  ASSERT_EQ(y.by_site.size(), 2u);
  const OneStopShopFigures& north = y.by_site.at("north-hub");
  EXPECT_EQ(north.visits, 5);    // V01 V02 V04 V05 V06.
  EXPECT_EQ(north.visitors, 4);  // P1, V02, P2, P3.
  // P1 came once to each site: a repeat visitor of neither.
  EXPECT_EQ(north.repeat_visitors, 1);  // P2.
  EXPECT_EQ(north.sessions, 4);         // S1 S2 S4 S5.
  EXPECT_EQ(north.previous_visits, 3);  // W02 W03 W04.
  EXPECT_NEAR(*north.visits_change, 2.0 / 3.0, 1e-12);
  const OneStopShopFigures& south = y.by_site.at("south-hub");
  EXPECT_EQ(south.visits, 2);
  EXPECT_EQ(south.visitors, 2);
  EXPECT_EQ(south.repeat_visitors, 0);  // P1 identified, once.
  // July and September, one visit each: a tie lists both.
  EXPECT_THAT(south.busiest_months, ElementsAre(MonthVisits{"2025-07", 1},
                                                MonthVisits{"2025-09", 1}));
  EXPECT_EQ(south.busiest_months, south.quietest_months);
  // Nothing at south-hub in the same period of 2024/25 (W06 is in June):
  // no change to give.
  EXPECT_EQ(south.previous_visits, 0);
  EXPECT_FALSE(south.visits_change.has_value());
}

TEST(OneStopShopTest, AYearWithoutGenderOrFeedbackSaysNotRecorded) {
  const Result<OneStopShopReport> r = Report();
  ASSERT_TRUE(r.ok()) << r.status();
  const OneStopShopYear& y = r->years[0];
  EXPECT_EQ(y.name, "2024/25");
  EXPECT_FALSE(y.partial);
  const OneStopShopFigures& f = y.all_sites;
  EXPECT_EQ(f.visits, 5);    // W02-W06.
  EXPECT_EQ(f.visitors, 5);  // P1, anonymous, P2, P3, anonymous.
  EXPECT_EQ(f.repeat_visitors, 0);
  EXPECT_FALSE(f.male_visitors.has_value());
  EXPECT_FALSE(f.male_share.has_value());
  EXPECT_EQ(f.gender_not_recorded, 5);
  EXPECT_FALSE(f.in_borough_share.has_value());
  EXPECT_FALSE(f.children.has_value());
  EXPECT_EQ(f.feedback_given, 0);
  EXPECT_FALSE(f.feedback_helpful.has_value());
  EXPECT_FALSE(f.helpful_share.has_value());
  EXPECT_FALSE(f.response_rate.has_value());
  // The year before the first reported still gives the change: 2023/24 had
  // W00 and W01 (30 June 2024).
  EXPECT_EQ(f.previous_visits, 2);
  EXPECT_EQ(f.visits_change, 1.5);
  // Open: August, October, March (2: W04 W05, and S0), June.
  EXPECT_THAT(f.busiest_months, ElementsAre(MonthVisits{"2025-03", 2}));
  EXPECT_THAT(f.quietest_months,
              ElementsAre(MonthVisits{"2024-08", 1}, MonthVisits{"2024-10", 1},
                          MonthVisits{"2025-06", 1}));
}

TEST(OneStopShopTest, AnonymousVisitorsAreNeverRepeats) {
  const VisitRow anonymous = {"A1",     "2025-09-01", "north-hub",
                              "",       kUnknown,     "",
                              kUnknown, G::kMale,     F::kNotGiven};
  std::vector<OneStopShopVisit> visits;
  for (const char* id : {"A1", "A2", "A3"}) {
    visits.push_back(ToVisit(anonymous));
    visits.back().visit_id = id;
  }
  const OneStopShopOptions options = {.last_year_ending = 2026,
                                      .as_of = D("2026-06-30")};
  Result<OneStopShopReport> r =
      ComputeOneStopShopReport(visits, {}, {}, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->years.size(), 5u);  // The default.
  const OneStopShopFigures& f = r->years.back().all_sites;
  EXPECT_EQ(f.visits, 3);
  EXPECT_EQ(f.visitors, 3);
  EXPECT_FALSE(f.repeat_visitors.has_value()) << "nobody identified";
  EXPECT_EQ(f.male_visitors, 3);  // Each anonymous visit is a visitor.
  EXPECT_THAT(r->notes, testing::Contains(HasSubstr("never as a repeat")));
  // With one identified visitor, once: 0 repeats, not "not recorded".
  visits.push_back(ToVisit(anonymous));
  visits.back().visit_id = "A4";
  visits.back().visitor_record_id = "R2";
  r = ComputeOneStopShopReport(visits, {}, kPeople, options);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->years.back().all_sites.visitors, 4);
  EXPECT_EQ(r->years.back().all_sites.repeat_visitors, 0);
}

TEST(OneStopShopTest, TwoRecordsOfOnePersonAreOneRepeatVisitor) {
  const std::vector<OneStopShopVisit> visits = {
      ToVisit({"T1", "2025-08-01", "north-hub", "R1a", kUnknown, "", 2,
               G::kNotRecorded, F::kNotGiven}),
      ToVisit({"T2", "2025-09-01", "north-hub", "R1b", kUnknown, "", 3,
               G::kNotRecorded, F::kNotGiven}),
  };
  const OneStopShopOptions options = {
      .last_year_ending = 2026, .years = 1, .as_of = D("2026-06-30")};
  const Result<OneStopShopReport> linked =
      ComputeOneStopShopReport(visits, {}, kPeople, options);
  ASSERT_TRUE(linked.ok()) << linked.status();
  const OneStopShopFigures& one = linked->years[0].all_sites;
  EXPECT_EQ(one.visitors, 1);
  EXPECT_EQ(one.repeat_visitors, 1);
  EXPECT_EQ(one.children, 3);  // P1's latest count, not 2 + 3.
  // Unresolved, each record is a person of its own.
  const Result<OneStopShopReport> apart =
      ComputeOneStopShopReport(visits, {}, {}, options);
  ASSERT_TRUE(apart.ok()) << apart.status();
  const OneStopShopFigures& two = apart->years[0].all_sites;
  EXPECT_EQ(two.visitors, 2);
  EXPECT_EQ(two.repeat_visitors, 0);
  EXPECT_EQ(two.children, 5);
}

TEST(OneStopShopTest, StaffingShortfallByAgency) {
  const Result<OneStopShopReport> r = Report();
  ASSERT_TRUE(r.ok()) << r.status();
  // S1-S5: S0 is in 2024/25, S6 after as_of.
  EXPECT_EQ(r->staffing_sessions, 5);
  EXPECT_EQ(r->sessions_after_as_of, 1);
  struct Want {
    const char* agency;
    int committed;
    int attended;
    int shortfall;
    int extra;
  };
  constexpr Want kWant[] = {
      {"housing", 2, 1, 1, 0},     // S1, S4; came to S4.
      {"idva", 4, 3, 1, 0},        // S1 S2 S3 S5; missed S3.
      {"police", 4, 3, 1, 0},      // S1 S2 S4 S5; missed S4.
      {"solicitors", 0, 0, 0, 1},  // S2, uncommitted.
  };
  ASSERT_EQ(r->staffing.size(), std::size(kWant));
  for (std::size_t i = 0; i < std::size(kWant); ++i) {
    SCOPED_TRACE(kWant[i].agency);
    const AgencyStaffing& a = r->staffing[i];
    EXPECT_EQ(a.agency, kWant[i].agency);
    EXPECT_EQ(a.sessions_committed, kWant[i].committed);
    EXPECT_EQ(a.attended_when_committed, kWant[i].attended);
    EXPECT_EQ(a.shortfall, kWant[i].shortfall);
    EXPECT_EQ(a.attended_without_commitment, kWant[i].extra);
  }
  EXPECT_EQ(r->staffing[0].shortfall_share, 0.5);
  EXPECT_EQ(r->staffing[2].shortfall_share, 0.25);
  EXPECT_FALSE(r->staffing[3].shortfall_share.has_value());
}

struct BadVisit {
  const char* label;
  void (*spoil)(OneStopShopVisit&);
  const char* field;
};
constexpr BadVisit kBadVisits[] = {
    {"EmptyId", [](OneStopShopVisit& v) { v.visit_id = ""; },
     "visits[1].visit_id: required"},
    {"SpaceInId", [](OneStopShopVisit& v) { v.visit_id = "V 2"; },
     "visits[1].visit_id"},
    {"RepeatedId", [](OneStopShopVisit& v) { v.visit_id = "V1"; },
     "visits[1].visit_id: 'V1' repeated (visits[0])"},
    {"NoSite", [](OneStopShopVisit& v) { v.site = ""; }, "visits[1].site"},
    {"SiteNotASlug", [](OneStopShopVisit& v) { v.site = "North Hub"; },
     "visits[1].site"},
    {"NotADate",
     [](OneStopShopVisit& v) {
       v.visited_on = {2025, 2, 29};
     },
     "visits[1].visited_on"},
    {"AfterAsOf",
     [](OneStopShopVisit& v) {
       v.visited_on = {2026, 3, 16};
     },
     "visits[1].visited_on: 2026-03-16 is after as_of"},
    {"BadRecordId", [](OneStopShopVisit& v) { v.visitor_record_id = "R<1>"; },
     "visits[1].visitor_record_id"},
    {"BlankReferredBy", [](OneStopShopVisit& v) { v.referred_by = "  "; },
     "visits[1].referred_by: blank"},
    {"NegativeChildren", [](OneStopShopVisit& v) { v.children = -1; },
     "visits[1].children"},
    {"FiftyOneChildren", [](OneStopShopVisit& v) { v.children = 51; },
     "visits[1].children: 51 is not 0 to 50"},
    {"ControlInEthnicity", [](OneStopShopVisit& v) { v.ethnicity = "a\tb"; },
     "visits[1].ethnicity"},
    {"NoSuchGender",
     [](OneStopShopVisit& v) { v.gender = static_cast<VisitorGender>(9); },
     "visits[1].gender"},
};

TEST(OneStopShopTest, InvalidVisitsNameTheField) {
  for (const BadVisit& c : kBadVisits) {
    SCOPED_TRACE(c.label);
    std::vector<OneStopShopVisit> visits = {
        {.visit_id = "V1", .visited_on = D("2025-09-01"), .site = "north-hub"},
        {.visit_id = "V2", .visited_on = D("2025-09-02"), .site = "north-hub"}};
    ASSERT_TRUE(ComputeOneStopShopReport(visits, {}, {}, kOptions).ok());
    c.spoil(visits[1]);
    const Result<OneStopShopReport> r =
        ComputeOneStopShopReport(visits, {}, {}, kOptions);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(c.field));
  }
  // Checked alone, the bare field is named.
  OneStopShopVisit v{
      .visit_id = "V1", .visited_on = D("2025-09-01"), .site = "north-hub"};
  EXPECT_TRUE(CheckOneStopShopVisit("", v).ok());
  v.children = 60;
  EXPECT_THAT(CheckOneStopShopVisit("", v).message(),
              HasSubstr("children: 60"));
}

TEST(OneStopShopTest, InvalidSessionsNameTheField) {
  struct Case {
    const char* label;
    OneStopShopSession session;
    const char* field;
  };
  const Case kCases[] = {
      {"RepeatedAgency",
       {"S1", D("2025-09-01"), "north-hub", {"police", "police"}, {}},
       "sessions[0].committed_agencies[1]: 'police' repeated"},
      {"BlankAgency",
       {"S1", D("2025-09-01"), "north-hub", {}, {" "}},
       "sessions[0].attended_agencies[0]: blank"},
      {"SpacedAgency",
       {"S1", D("2025-09-01"), "north-hub", {"idva "}, {}},
       "sessions[0].committed_agencies[0]"},
      {"NoId",
       {"", D("2025-09-01"), "north-hub", {}, {}},
       "sessions[0].session_id"},
      {"NoSite", {"S1", D("2025-09-01"), "", {}, {}}, "sessions[0].site"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.label);
    const std::vector<OneStopShopSession> sessions = {c.session};
    const Result<OneStopShopReport> r =
        ComputeOneStopShopReport({}, sessions, {}, kOptions);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(c.field));
  }
  const std::vector<OneStopShopSession> twice = {
      {"S1", D("2025-09-01"), "north-hub", {}, {}},
      {"S1", D("2025-09-08"), "north-hub", {}, {}}};
  const Result<OneStopShopReport> r =
      ComputeOneStopShopReport({}, twice, {}, kOptions);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("sessions[1].session_id"));
  // An agency may attend without a commitment, and may commit and not come.
  EXPECT_TRUE(CheckOneStopShopSession(
                  "", {"S1", D("2025-09-01"), "north-hub", {"idva"}, {"gp"}})
                  .ok());
}

TEST(OneStopShopTest, OptionsOutOfRangeAreRefused) {
  struct Case {
    const char* label;
    OneStopShopOptions options;
    const char* field;
  };
  const Case kCases[] = {
      {"NoYears",
       {.last_year_ending = 2026, .years = 0, .as_of = D("2026-03-15")},
       "years"},
      {"NoLastYear", {.as_of = D("2026-03-15")}, "last_year_ending"},
      {"NotBegun",
       {.last_year_ending = 2027, .as_of = D("2026-06-30")},
       "last_year_ending: 2026/27 begins on 2026-07-01, after as_of"},
      {"NoAsOf", {.last_year_ending = 2026, .as_of = {2026, 13, 1}}, "as_of"},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.label);
    const Result<OneStopShopReport> r =
        ComputeOneStopShopReport({}, {}, {}, c.options);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(r.status().message(), HasSubstr(c.field));
  }
}

TEST(OneStopShopTest, EnumNamesParseBack) {
  for (const G g : {G::kNotRecorded, G::kFemale, G::kMale, G::kOther}) {
    const Result<G> back = ParseVisitorGender("gender", VisitorGenderName(g));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, g);
  }
  for (const F f : {F::kNotGiven, F::kHelpful, F::kNotHelpful}) {
    const Result<F> back = ParseVisitFeedback("feedback", VisitFeedbackName(f));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, f);
  }
  EXPECT_EQ(VisitorGenderName(G::kNotRecorded), "not_recorded");
  EXPECT_EQ(VisitFeedbackName(F::kNotHelpful), "not_helpful");
  const Result<G> bad = ParseVisitorGender("visits.csv line 2: gender", "M");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              HasSubstr("visits.csv line 2: gender: 'M' is not not_recorded, "
                        "female, male or other"));
  EXPECT_FALSE(ParseVisitFeedback("feedback", "yes").ok());
}

TEST(OneStopShopTest, RenderingsSayWhatIsNotRecordedAndEscapeText) {
  std::vector<OneStopShopVisit> visits = Visits();
  visits.back().referred_by = "a|b <c>";
  std::vector<OneStopShopSession> sessions = Sessions();
  sessions[1].attended_agencies.push_back("Citizens <Advice> & Co");
  const Result<OneStopShopReport> r =
      ComputeOneStopShopReport(visits, sessions, kPeople, kOptions);
  ASSERT_TRUE(r.ok()) << r.status();

  const std::string md = OneStopShopMarkdown(*r);
  EXPECT_THAT(md, HasSubstr("# One Stop Shops, 2024/25 to 2025/26"));
  EXPECT_THAT(md, HasSubstr("All sites: 5 visitors in 2025/26 (partial, to "
                            "2026-03-15), up 66.7% on 3 in the same period"));
  EXPECT_THAT(md, HasSubstr("| Visits | 7 | 5 | 2 |"));
  EXPECT_THAT(md, HasSubstr("| Male visitors | not recorded |"));
  EXPECT_THAT(md, HasSubstr("| Found the visit helpful | 75% (3 of 4 giving "
                            "feedback) |"));
  EXPECT_THAT(md, HasSubstr("| Quietest month | August 2025 and November "
                            "2025 (0 visits each) |"));
  EXPECT_THAT(md, HasSubstr("| police | 4 | 3 | 1 (25%) | 0 |"));
  EXPECT_THAT(md, HasSubstr("a\\|b <c>: 1"));
  EXPECT_THAT(md, HasSubstr("planned after 2026-03-15 not counted"));

  const nlohmann::json j = nlohmann::json::parse(OneStopShopJson(*r));
  EXPECT_EQ(j["years"][1]["name"], "2025/26");
  EXPECT_EQ(j["years"][1]["partial"], true);
  EXPECT_EQ(j["years"][1]["all_sites"]["helpful_share"], 0.75);
  EXPECT_TRUE(j["years"][0]["all_sites"]["male_share"].is_null());
  EXPECT_TRUE(j["years"][0]["all_sites"]["response_rate"].is_null());
  EXPECT_EQ(j["years"][1]["by_site"]["south-hub"]["visits"], 2);
  EXPECT_EQ(j["staffing"]["agencies"][3]["agency"],
            "police");  // After "Citizens...".

  const std::string html = OneStopShopHtml(*r);
  EXPECT_THAT(html, HasSubstr("<!DOCTYPE html>"));
  EXPECT_THAT(html, HasSubstr("Citizens &lt;Advice&gt; &amp; Co"));
  EXPECT_THAT(html, Not(HasSubstr("<Advice>")));
  EXPECT_THAT(html, HasSubstr("a|b &lt;c&gt;: 1"));
  EXPECT_THAT(html, HasSubstr("</html>"));
}

}  // namespace
}  // namespace marac
