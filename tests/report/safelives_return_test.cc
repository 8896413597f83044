// The SafeLives quarterly MARAC return, counted by hand on small invented
// case files. Everyone here is invented.
#include "marac/report/safelives_return.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "marac/report/statistics.h"

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Date D(const char* text) { return *Date::Parse("date", text); }

const ReturnFigure& Find(const SafeLivesReturn& r, const std::string& id,
                         const std::string& agency = "") {
  for (const ReturnFigure& f : r.figures) {
    if (f.id == id && f.agency == agency) return f;
  }
  static const ReturnFigure none;
  ADD_FAILURE() << "no figure " << id << " " << agency;
  return none;
}

constexpr Quarter kQ3{2026, 3};

struct ReferralSpec {
  const char* id;
  const char* area;
  const char* victim;
  const char* on;
  ReferralSource source;
  const char* agency;
  int children;
  EqualityMonitoring equality;
};

void AddReferral(CaseFile& f, const ReferralSpec& s) {
  StoredReferral r;
  r.referral_id = s.id;
  r.submission_id = std::string("s-") + s.id;
  r.area = s.area;
  r.agency = s.agency;
  r.source = s.source;
  r.referred_on = D(s.on);
  r.victim_record_id = s.victim;
  r.children_in_household = s.children;
  r.details.equality = s.equality;
  f.referrals.push_back(r);
}

void AddMeeting(CaseFile& f, const char* id, const char* area, const char* on,
                std::optional<std::vector<std::string>> listed) {
  const Date date = D(on);
  f.meetings.push_back({id, area, date, date.AddDays(-7), 16, 0});
  if (listed) f.listings.push_back({id, id, *listed});
}

// Area "north", 2026Q3 (1 July to 30 September), with a south referral and
// meeting beside it. V1a and V1b are two records of one person, P1.
//
// Referrals (north unless said):
//   R0  V1a 2025-07-01 police                history: P1's earlier referral
//   R9  V2  2025-09-29 police                history: V2's earlier referral
//   R7  V8  2026-06-25 police, 1 child       before the quarter; heard at M1
//   R1  V1b 2026-07-01 police, 2 children    first day; repeat (R0, exactly
//                                            12 months before)
//   R6  V6  2026-07-06 other "Faith Group"   unmapped, 0 children
//   R5  V5  2026-07-10 idva                  adjourned at M1, never heard
//   R3  V3  2026-08-03 one_stop_shop "Riverside Hub"   unmapped (a venue)
//   R4  V4  2026-08-04 one_stop_shop "Police", 3 children -> police by name
//   R2  V2  2026-09-30 other "Probation Service", 1 child  last day;
//                                            not a repeat (R9 is 12 months
//                                            and a day before)
//   RS  V7  2026-07-05 south police          another area
// Meetings:
//   M0 north 2026-06-11 listed nothing       before the quarter
//   M1 north 2026-07-16 listed R1 R5 R7; record: R1 heard, R5 adjourned,
//                                            R7 heard
//   M4 north 2026-08-20 no agenda, no record: not held
//   M2 north 2026-09-30 listed R2 R3 R4 R6, no record (the quarter's last day)
//   M3 north 2026-10-01 listed nothing       the next quarter
//   MS south 2026-07-20 listed RS            another area
CaseFile Quarter3() {
  CaseFile f;
  f.people = {{"V1a", "P1"}, {"V1b", "P1"}};
  const EqualityMonitoring none;
  AddReferral(f, {"R0", "north", "V1a", "2025-07-01", ReferralSource::kPolice,
                  "Police", 0, none});
  AddReferral(f, {"R9", "north", "V2", "2025-09-29", ReferralSource::kPolice,
                  "Police", 0, none});
  AddReferral(f, {"R7", "north", "V8", "2026-06-25", ReferralSource::kPolice,
                  "Police", 1, none});
  AddReferral(f, {"R1",
                  "north",
                  "V1b",
                  "2026-07-01",
                  ReferralSource::kPolice,
                  "Police",
                  2,
                  {"woman", "white_british", "yes", "heterosexual", "25-34"}});
  AddReferral(f, {"R6", "north", "V6", "2026-07-06", ReferralSource::kOther,
                  "Faith Group", 0, none});
  AddReferral(f, {"R5",
                  "north",
                  "V5",
                  "2026-07-10",
                  ReferralSource::kIdva,
                  "North IDVA Service",
                  4,
                  {"man", "black", "yes", "bisexual", "16-17"}});
  AddReferral(f, {"R3",
                  "north",
                  "V3",
                  "2026-08-03",
                  ReferralSource::kOneStopShop,
                  "Riverside Hub",
                  0,
                  {"woman", "black", "", "bisexual", "16-17"}});
  AddReferral(f,
              {"R4",
               "north",
               "V4",
               "2026-08-04",
               ReferralSource::kOneStopShop,
               "Police",
               3,
               {"not_stated", "not_stated", "not_stated", "not_stated", ""}});
  AddReferral(f, {"R2",
                  "north",
                  "V2",
                  "2026-09-30",
                  ReferralSource::kOther,
                  "Probation Service",
                  1,
                  {"man", "asian", "no", "not_stated", "18-24"}});
  AddReferral(f, {"RS",
                  "south",
                  "V7",
                  "2026-07-05",
                  ReferralSource::kPolice,
                  "Police",
                  5,
                  {"man", "", "", "", ""}});
  AddMeeting(f, "M0", "north", "2026-06-11", std::vector<std::string>{});
  AddMeeting(f, "M1", "north", "2026-07-16",
             std::vector<std::string>{"R1", "R5", "R7"});
  f.meeting_records.push_back(
      {"M1",
       {"police-north"},
       {{"R1", HearingOutcome::kHeard, "", {}},
        {"R5", HearingOutcome::kAdjourned, "IDVA report not ready", {}},
        {"R7", HearingOutcome::kHeard, "", {}}}});
  AddMeeting(f, "M4", "north", "2026-08-20", std::nullopt);
  AddMeeting(f, "M2", "north", "2026-09-30",
             std::vector<std::string>{"R2", "R3", "R4", "R6"});
  AddMeeting(f, "M3", "north", "2026-10-01", std::vector<std::string>{});
  AddMeeting(f, "MS", "south", "2026-07-20", std::vector<std::string>{"RS"});
  return f;
}

Result<SafeLivesReturn> North(const CaseFile& f, const char* as_of) {
  return ComputeSafeLivesReturn(
      f, {.quarter = kQ3, .area = "north", .as_of = D(as_of)});
}

TEST(SafeLivesReturnTest, CountsAQuarterByHand) {
  const Result<SafeLivesReturn> r = North(Quarter3(), "2026-12-01");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->from, D("2026-07-01"));
  EXPECT_EQ(r->to, D("2026-09-30"));
  EXPECT_EQ(r->counted_to, D("2026-09-30"));
  EXPECT_FALSE(r->partial);
  EXPECT_EQ(r->mapping_version, "marac-default-2026.1");
  // M1 and M2 (30 Sep); not M0 (June), M3 (1 Oct), M4 (neither agenda nor
  // record) or MS (south).
  EXPECT_EQ(Find(*r, "meetings_held").value, 2);
  EXPECT_THAT(Find(*r, "meetings_held").note,
              HasSubstr("2026-07-16, 2026-09-30"));
  EXPECT_THAT(Find(*r, "meetings_held").note,
              HasSubstr("not counted, with neither: 2026-08-20"));
  // M1: R1, R7 (R5 adjourned); M2: R2, R3, R4, R6.
  EXPECT_EQ(Find(*r, "cases_discussed").value, 6);
  EXPECT_THAT(Find(*r, "cases_discussed").note, HasSubstr("1 case adjourned"));
  // R1 only: R0 was exactly 12 months before; R9 12 months and a day.
  EXPECT_EQ(Find(*r, "repeat_cases").value, 1);
  EXPECT_NEAR(*Find(*r, "repeat_rate").value, 1.0 / 6.0, 1e-12);
  // R1 2 + R7 1 + R2 1 + R3 0 + R4 3 + R6 0; not R5's 4 (adjourned).
  EXPECT_EQ(Find(*r, "children").value, 7);
  // Referred 1 Jul to 30 Sep, north: R1, R6, R5, R3, R4, R2.
  EXPECT_EQ(Find(*r, "referrals_received").value, 6);
  EXPECT_EQ(Find(*r, "referrals_police").value, 2);     // R1; R4 by name.
  EXPECT_EQ(Find(*r, "referrals_idva").value, 1);       // R5 by source.
  EXPECT_EQ(Find(*r, "referrals_probation").value, 1);  // R2 by name.
  EXPECT_EQ(Find(*r, "referrals_health").value, 0);
  EXPECT_EQ(Find(*r, "referrals_self_referral_other").value, 0);
  EXPECT_EQ(Find(*r, "referrals_unmapped").value, 2);  // R3, R6.
  const ReturnFigure& hub = Find(*r, "unmapped", "Riverside Hub");
  EXPECT_EQ(hub.value, 1);
  EXPECT_THAT(hub.note, HasSubstr("one_stop_shop"));
  EXPECT_THAT(hub.note, HasSubstr("a venue, not an agency"));
  const ReturnFigure& faith = Find(*r, "unmapped", "Faith Group");
  EXPECT_EQ(faith.value, 1);
  EXPECT_THAT(faith.note, HasSubstr("source other"));
  EXPECT_THAT(faith.note, Not(HasSubstr("venue")));
  // Equality over R1, R7, R2, R3, R4, R6 (R7 and R6 record nothing, R4
  // only "not_stated"; R5's values are not counted, it was adjourned).
  // Gender: R1 woman, R2 man, R3 woman -> 1 of 3.
  EXPECT_EQ(Find(*r, "male_victims").value, 1);
  EXPECT_EQ(Find(*r, "male_victims").recorded_of, 3);
  // Ethnicity: R1 white_british, R2 asian, R3 black -> 2 of 3.
  EXPECT_EQ(Find(*r, "minoritised_ethnic_victims").value, 2);
  EXPECT_EQ(Find(*r, "minoritised_ethnic_victims").recorded_of, 3);
  // Orientation: R1 heterosexual, R3 bisexual (R2 not_stated) -> 1 of 2.
  EXPECT_EQ(Find(*r, "lgbt_victims").value, 1);
  EXPECT_EQ(Find(*r, "lgbt_victims").recorded_of, 2);
  // Disability: R1 yes, R2 no -> 1 of 2.
  EXPECT_EQ(Find(*r, "disabled_victims").value, 1);
  EXPECT_EQ(Find(*r, "disabled_victims").recorded_of, 2);
  // Age band: R1 25-34, R2 18-24, R3 16-17 -> 1 of 3.
  EXPECT_EQ(Find(*r, "victims_aged_16_17").value, 1);
  EXPECT_EQ(Find(*r, "victims_aged_16_17").recorded_of, 3);
}

TEST(SafeLivesReturnTest, EveryAreaCountsTheSouthToo) {
  const Result<SafeLivesReturn> r = ComputeSafeLivesReturn(
      Quarter3(), {.quarter = kQ3, .as_of = D("2026-12-01")});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(*r, "meetings_held").value, 3);       // + MS.
  EXPECT_EQ(Find(*r, "cases_discussed").value, 7);     // + RS.
  EXPECT_EQ(Find(*r, "children").value, 12);           // + 5.
  EXPECT_EQ(Find(*r, "referrals_received").value, 7);  // + RS.
  EXPECT_EQ(Find(*r, "referrals_police").value, 3);
  EXPECT_EQ(Find(*r, "male_victims").value, 2);  // + RS's man.
  EXPECT_EQ(Find(*r, "male_victims").recorded_of, 4);
}

TEST(SafeLivesReturnTest, AQuarterNotOverCountsToAsOf) {
  // On 1 August: M1 held; M4 and M2 are still to come. Referred by then:
  // R1, R6, R5 (R3 and R4 come on 3 and 4 August).
  const Result<SafeLivesReturn> r = North(Quarter3(), "2026-08-01");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(r->partial);
  EXPECT_EQ(r->counted_to, D("2026-08-01"));
  EXPECT_EQ(Find(*r, "meetings_held").value, 1);
  EXPECT_THAT(Find(*r, "meetings_held").note,
              HasSubstr("scheduled after 2026-08-01: 2026-08-20, 2026-09-30"));
  EXPECT_EQ(Find(*r, "cases_discussed").value, 2);  // R1, R7.
  EXPECT_EQ(Find(*r, "referrals_received").value, 3);
  EXPECT_EQ(Find(*r, "referrals_unmapped").value, 1);  // R6.
  EXPECT_THAT(SafeLivesReturnCsv(*r),
              HasSubstr("return,counted_to,Counted to,,2026-08-01,,the "
                        "quarter is not over"));
}

TEST(SafeLivesReturnTest, AsOfBeforeTheQuarterIsRefused) {
  const Result<SafeLivesReturn> r = North(Quarter3(), "2026-06-30");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("as_of"));
  const Result<SafeLivesReturn> first = North(Quarter3(), "2026-07-01");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Find(*first, "meetings_held").value, 0) << "M0 was kept";
  EXPECT_EQ(Find(*first, "referrals_received").value, 1);  // R1.
}

// A previous referral of the same person, then one referral on 2026-08-03
// heard on 2026-08-13: repeat or not.
struct RepeatCase {
  const char* label;
  const char* previous_on;  // nullptr: none.
  const char* previous_record;
  bool repeat;
};
constexpr RepeatCase kRepeatCases[] = {
    {"None", nullptr, "", false},
    {"TwelveMonths", "2025-08-03", "V1a", true},
    {"TwelveMonthsAndADay", "2025-08-02", "V1a", false},
    {"SameDayEarlierReferral", "2026-08-03", "V1a", true},
    {"OtherRecordSamePerson", "2026-01-05", "V1b", true},
    {"SomeoneElse", "2026-01-05", "V9", false},
    {"OtherArea", "2026-01-05", "V1a", true},  // The area is set below.
};

TEST(SafeLivesReturnTest, RepeatWithinTwelveMonthsOfTheLastReferral) {
  for (const RepeatCase& c : kRepeatCases) {
    SCOPED_TRACE(c.label);
    CaseFile f;
    f.people = {{"V1a", "P1"}, {"V1b", "P1"}};
    const std::string label = c.label;
    if (c.previous_on != nullptr) {
      AddReferral(f, {"R0",
                      label == "OtherArea" ? "south" : "north",
                      c.previous_record,
                      c.previous_on,
                      ReferralSource::kPolice,
                      "Police",
                      0,
                      {}});
    }
    AddReferral(f, {"R1",
                    "north",
                    "V1a",
                    "2026-08-03",
                    ReferralSource::kPolice,
                    "Police",
                    0,
                    {}});
    AddMeeting(f, "M1", "north", "2026-08-13", std::vector<std::string>{"R1"});
    const Result<SafeLivesReturn> r = North(f, "2026-12-01");
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(Find(*r, "cases_discussed").value, 1);
    EXPECT_EQ(Find(*r, "repeat_cases").value, c.repeat ? 1 : 0);
  }
}

TEST(SafeLivesReturnTest, FiguresTheStoreDoesNotHoldAreNotRecorded) {
  // Referrals, but no meeting kept by the quarter's end (the first meeting
  // in the store is in the next quarter): meetings and everything counted
  // over the cases discussed are not recorded, not 0.
  CaseFile f;
  AddReferral(f, {"R1",
                  "north",
                  "V1",
                  "2026-07-02",
                  ReferralSource::kPolice,
                  "Police",
                  1,
                  {"man", "", "", "", ""}});
  AddMeeting(f, "M1", "north", "2026-10-08", std::vector<std::string>{"R1"});
  Result<SafeLivesReturn> r = North(f, "2026-12-01");
  ASSERT_TRUE(r.ok()) << r.status();
  for (const char* id :
       {"meetings_held", "cases_discussed", "repeat_cases", "repeat_rate",
        "children", "male_victims", "victims_aged_16_17"}) {
    SCOPED_TRACE(id);
    EXPECT_FALSE(Find(*r, id).value.has_value());
    EXPECT_FALSE(Find(*r, id).recorded_of.has_value());
    EXPECT_THAT(Find(*r, id).note, HasSubstr("no meeting of area north"));
  }
  EXPECT_EQ(Find(*r, "referrals_received").value, 1);
  const nlohmann::json j = nlohmann::json::parse(SafeLivesReturnJson(*r));
  EXPECT_TRUE(j["figures"][0]["value"].is_null());
  EXPECT_THAT(j["figures"][0]["note"].get<std::string>(),
              HasSubstr("no meeting"));
  EXPECT_THAT(
      SafeLivesReturnCsv(*r),
      HasSubstr("meetings,meetings_held,Meetings held,,not recorded,,"));

  // A meeting kept before the quarter, none in it: 0 meetings, 0 cases,
  // and the rate and equality not recorded (there are no cases).
  AddMeeting(f, "M0", "north", "2026-06-11", std::vector<std::string>{});
  r = North(f, "2026-12-01");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(Find(*r, "meetings_held").value, 0);
  EXPECT_EQ(Find(*r, "cases_discussed").value, 0);
  EXPECT_EQ(Find(*r, "children").value, 0);
  EXPECT_FALSE(Find(*r, "repeat_rate").value.has_value());
  EXPECT_FALSE(Find(*r, "male_victims").value.has_value());
  EXPECT_EQ(Find(*r, "male_victims").recorded_of, 0);

  // No referral of the area by the quarter's end: referrals not recorded.
  CaseFile empty;
  AddMeeting(empty, "M0", "north", "2026-06-11", std::vector<std::string>{});
  r = North(empty, "2026-12-01");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(Find(*r, "referrals_received").value.has_value());
  EXPECT_FALSE(Find(*r, "referrals_police").value.has_value());
  EXPECT_THAT(Find(*r, "referrals_police").note,
              HasSubstr("no referral of area north"));
}

TEST(SafeLivesReturnTest, EqualityNotRecordedIsNullNotZero) {
  // Two cases discussed, neither with equality monitoring (one says
  // not_stated throughout).
  CaseFile f;
  AddReferral(f, {"R1",
                  "north",
                  "V1",
                  "2026-07-02",
                  ReferralSource::kPolice,
                  "Police",
                  0,
                  {}});
  AddReferral(f,
              {"R2",
               "north",
               "V2",
               "2026-07-03",
               ReferralSource::kPolice,
               "Police",
               0,
               {"not_stated", "not_stated", "not_stated", "not_stated", ""}});
  AddMeeting(f, "M1", "north", "2026-07-09",
             std::vector<std::string>{"R1", "R2"});
  const Result<SafeLivesReturn> r = North(f, "2026-12-01");
  ASSERT_TRUE(r.ok()) << r.status();
  for (const char* id :
       {"male_victims", "minoritised_ethnic_victims", "lgbt_victims",
        "disabled_victims", "victims_aged_16_17"}) {
    SCOPED_TRACE(id);
    EXPECT_FALSE(Find(*r, id).value.has_value());
    EXPECT_EQ(Find(*r, id).recorded_of, 0);
    EXPECT_THAT(Find(*r, id).note, HasSubstr("none of the 2 cases"));
  }
  const nlohmann::json j = nlohmann::json::parse(SafeLivesReturnJson(*r));
  for (const nlohmann::json& x : j["figures"]) {
    if (x["section"] != "equality") continue;
    EXPECT_TRUE(x["value"].is_null()) << x.dump();
    EXPECT_EQ(x["recorded_of"], 0) << x.dump();
  }
}

TEST(SafeLivesReturnTest, EqualityValueSetsMatchTheStatisticsProfile) {
  // Every referral of the quarter is discussed, so the statistics' victim
  // profile (shares of those recording the field) must agree.
  CaseFile f;
  const EqualityMonitoring profiles[] = {
      {"man", "mixed", "yes", "gay_or_lesbian", "16-17"},
      {"non_binary", "arab", "no", "other", "18-24"},
      {"other", "other", "not_stated", "bisexual", "75+"},
      {"woman", "white_other", "yes", "heterosexual", "16-17"},
      {"man", "", "", "", ""},
  };
  std::vector<std::string> ids;
  int n = 0;
  for (const EqualityMonitoring& e : profiles) {
    const std::string id = "R" + std::to_string(++n);
    const std::string victim = "V" + std::to_string(n);
    AddReferral(f, {id.c_str(), "north", victim.c_str(), "2026-07-02",
                    ReferralSource::kPolice, "Police", 0, e});
    ids.push_back(id);
  }
  AddMeeting(f, "M1", "north", "2026-07-09", ids);
  const Result<SafeLivesReturn> r = North(f, "2026-12-01");
  ASSERT_TRUE(r.ok()) << r.status();
  const Result<Statistics> s =
      ComputeStatistics(f, D("2026-07-01"), D("2026-09-30"));
  ASSERT_TRUE(s.ok()) << s.status();
  const std::pair<const char*, const char*> pairs[] = {
      {"male_victims", "male_victim_share"},
      {"minoritised_ethnic_victims", "minoritised_ethnic_share"},
      {"lgbt_victims", "lgbt_share"},
      {"disabled_victims", "disabled_share"},
      {"victims_aged_16_17", "aged_16_17_share"},
  };
  for (const auto& [ours, theirs] : pairs) {
    SCOPED_TRACE(ours);
    const ReturnFigure& f_ours = Find(*r, ours);
    ASSERT_TRUE(f_ours.value.has_value());
    ASSERT_TRUE(f_ours.recorded_of.has_value());
    std::optional<double> share;
    for (const Figure& x : s->figures) {
      if (x.id == theirs) share = x.value;
    }
    ASSERT_TRUE(share.has_value());
    EXPECT_NEAR(*f_ours.value / *f_ours.recorded_of, *share, 1e-12);
  }
  EXPECT_EQ(Find(*r, "male_victims").value, 2);
  EXPECT_EQ(Find(*r, "male_victims").recorded_of, 5);
  EXPECT_EQ(Find(*r, "minoritised_ethnic_victims").value, 3);
  EXPECT_EQ(Find(*r, "minoritised_ethnic_victims").recorded_of, 4);
}

struct MapCase {
  const char* label;
  ReferralSource source;
  const char* agency;
  std::optional<SafeLivesAgency> want;
};
const MapCase kMapCases[] = {
    {"BySource", ReferralSource::kIdva, "North IDVA Service",
     SafeLivesAgency::kIdva},
    {"ChildrensServices", ReferralSource::kChildrensServices, "CSC North",
     SafeLivesAgency::kChildrensSocialCare},
    {"NameBeatsSource", ReferralSource::kHealth, "Probation Service",
     SafeLivesAgency::kProbation},
    {"NameIgnoresCaseAndSpaces", ReferralSource::kOther,
     "  PROBATION   service ", SafeLivesAgency::kProbation},
    {"OtherSourceUnmapped", ReferralSource::kOther, "Faith Group",
     std::nullopt},
    {"OneStopShopByName", ReferralSource::kOneStopShop, "Police",
     SafeLivesAgency::kPolice},
    {"OneStopShopUnknownName", ReferralSource::kOneStopShop, "Riverside Hub",
     std::nullopt},
    {"SelfReferral", ReferralSource::kOther, "Self-referral",
     SafeLivesAgency::kSelfReferralOther},
};

TEST(AgencyMappingTest, TwelveCategoriesByName) {
  ASSERT_EQ(SafeLivesAgencies().size(), 12u);
  for (const SafeLivesAgency a : SafeLivesAgencies()) {
    SCOPED_TRACE(std::string(SafeLivesAgencyName(a)));
    EXPECT_EQ(ParseSafeLivesAgency("f", SafeLivesAgencyName(a)).value(), a);
    EXPECT_FALSE(SafeLivesAgencyLabel(a).empty());
  }
  EXPECT_EQ(SafeLivesAgencyName(SafeLivesAgencies().front()), "police");
  EXPECT_EQ(SafeLivesAgencyName(SafeLivesAgencies().back()),
            "self_referral_other");
}

TEST(AgencyMappingTest, DefaultMapsBySourceThenNameNeverAVenue) {
  const AgencyMapping m = DefaultAgencyMapping();
  for (const MapCase& c : kMapCases) {
    SCOPED_TRACE(c.label);
    StoredReferral r;
    r.source = c.source;
    r.agency = c.agency;
    EXPECT_EQ(MapAgency(m, r), c.want);
  }
  // A mapping built in code with the venue as a source still ignores it.
  AgencyMapping venue;
  venue.by_source[ReferralSource::kOneStopShop] = SafeLivesAgency::kHousing;
  StoredReferral r;
  r.source = ReferralSource::kOneStopShop;
  r.agency = "Riverside Hub";
  EXPECT_EQ(MapAgency(venue, r), std::nullopt);
}

TEST(AgencyMappingTest, ReplacesTheDefaultAndRoundTrips) {
  const Result<AgencyMapping> m = ParseAgencyMapping(R"({
    "version": "north-2026.1",
    "by_source": {"police": "police", "other": "self_referral_other"},
    "by_agency": {"Riverside  Hub": "voluntary_sector"}})");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->version, "north-2026.1");
  EXPECT_EQ(m->by_agency.at("riverside hub"),
            SafeLivesAgency::kVoluntarySector);
  EXPECT_FALSE(m->by_source.contains(ReferralSource::kIdva));
  const Result<SafeLivesReturn> r =
      ComputeSafeLivesReturn(Quarter3(), {.quarter = kQ3,
                                          .area = "north",
                                          .mapping = *m,
                                          .as_of = D("2026-12-01")});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->mapping_version, "north-2026.1");
  // R1 police by source; R6, R2 other -> self-referral/other; R3 by name;
  // R5 (idva) and R4 (a venue's, and "Police" is no longer a name here)
  // unmapped.
  EXPECT_EQ(Find(*r, "referrals_police").value, 1);
  EXPECT_EQ(Find(*r, "referrals_self_referral_other").value, 2);
  EXPECT_EQ(Find(*r, "referrals_voluntary_sector").value, 1);
  EXPECT_EQ(Find(*r, "referrals_unmapped").value, 2);  // R5 idva, R4.
  EXPECT_EQ(Find(*r, "unmapped", "North IDVA Service").value, 1);
  EXPECT_EQ(Find(*r, "unmapped", "Police").value, 1);

  const AgencyMapping d = DefaultAgencyMapping();
  const Result<AgencyMapping> again = ParseAgencyMapping(AgencyMappingJson(d));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->version, d.version);
  EXPECT_EQ(again->by_source, d.by_source);
  EXPECT_EQ(again->by_agency, d.by_agency);
  EXPECT_FALSE(d.by_source.contains(ReferralSource::kOther));
  EXPECT_FALSE(d.by_source.contains(ReferralSource::kOneStopShop));
}

struct BadMapping {
  const char* label;
  const char* json;
  const char* field;
};
constexpr BadMapping kBadMappings[] = {
    {"NotJson", "{", "agency_map"},
    {"NotObject", "[]", "agency_map: must be an object"},
    {"UnknownKey", R"({"colour": 1})", "agency_map.colour"},
    {"VersionType", R"({"version": 3})", "agency_map.version"},
    {"BySourceType", R"({"by_source": []})", "agency_map.by_source"},
    {"UnknownSource", R"({"by_source": {"fire": "police"}})",
     "agency_map.by_source.fire"},
    {"VenueSource", R"({"by_source": {"one_stop_shop": "housing"}})",
     "agency_map.by_source.one_stop_shop: a One Stop Shop is a venue"},
    {"UnknownCategory", R"({"by_source": {"police": "cops"}})",
     "agency_map.by_source.police: 'cops' is not a SafeLives agency"},
    {"CategoryType", R"({"by_agency": {"Probation": 3}})",
     "agency_map.by_agency.Probation"},
    {"BlankName", R"({"by_agency": {"  ": "police"}})", "a blank agency name"},
    {"SameNameTwice",
     R"({"by_agency": {"PROBATION ": "probation", "Probation": "probation"}})",
     "agency_map.by_agency.Probation: the same agency as 'PROBATION '"},
};

TEST(AgencyMappingTest, BadMappingIsNamedByField) {
  for (const BadMapping& c : kBadMappings) {
    SCOPED_TRACE(c.label);
    const Result<AgencyMapping> m = ParseAgencyMapping(c.json);
    ASSERT_FALSE(m.ok());
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(m.status().message(), HasSubstr(c.field));
  }
}

struct QuarterCase {
  const char* text;
  bool ok;
  const char* first;
  const char* last;
};
constexpr QuarterCase kQuarters[] = {
    {"2026Q1", true, "2026-01-01", "2026-03-31"},
    {"2026Q2", true, "2026-04-01", "2026-06-30"},
    {"2026Q3", true, "2026-07-01", "2026-09-30"},
    {"2026Q4", true, "2026-10-01", "2026-12-31"},
    {"2026Q5", false, "", ""},
    {"2026Q0", false, "", ""},
    {"2026-Q3", false, "", ""},
    {"2026q3", false, "", ""},
    {"26Q3", false, "", ""},
    {"0000Q1", false, "", ""},
    {"2026Q3 ", false, "", ""},
    {"", false, "", ""},
};

TEST(QuarterTest, ParsesOneSpellingOnly) {
  for (const QuarterCase& c : kQuarters) {
    SCOPED_TRACE(c.text);
    const Result<Quarter> q = ParseQuarter("--quarter", c.text);
    ASSERT_EQ(q.ok(), c.ok);
    if (!c.ok) {
      EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(q.status().message(), HasSubstr("--quarter"));
      EXPECT_THAT(q.status().message(), HasSubstr("YYYYQn"));
      continue;
    }
    EXPECT_EQ(q->Name(), c.text);
    EXPECT_EQ(q->FirstDay(), D(c.first));
    EXPECT_EQ(q->LastDay(), D(c.last));
  }
}

TEST(SafeLivesReturnTest, RendersCsvAndJson) {
  CaseFile f = Quarter3();
  // An agency name a spreadsheet would run, and one with a comma.
  AddReferral(f, {"R8",
                  "north",
                  "V9",
                  "2026-07-07",
                  ReferralSource::kOther,
                  "=HYPERLINK(1)",
                  0,
                  {}});
  AddReferral(f, {"R10",
                  "north",
                  "V10",
                  "2026-07-08",
                  ReferralSource::kOther,
                  "Smith, Jones & Co",
                  0,
                  {}});
  const Result<SafeLivesReturn> r = North(f, "2026-12-01");
  ASSERT_TRUE(r.ok()) << r.status();
  const std::string csv = SafeLivesReturnCsv(*r);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "section,figure,label,agency,value,recorded_of,note");
  EXPECT_THAT(csv, HasSubstr("return,quarter,Quarter,,2026Q3,,"));
  EXPECT_THAT(csv, HasSubstr("return,area,Area,,north,,"));
  EXPECT_THAT(csv, HasSubstr("meetings,meetings_held,Meetings held,,2,,"));
  EXPECT_THAT(csv, HasSubstr("cases,repeat_rate,Repeat rate,,0.1667,,"));
  EXPECT_THAT(csv, HasSubstr("equality,male_victims,Male victims,,1,3,"));
  EXPECT_THAT(csv, HasSubstr("referrals,unmapped,Unmapped agency,'=HYPERLINK"
                             "(1),1,,"));
  EXPECT_THAT(csv, HasSubstr(",\"Smith, Jones & Co\",1,,"));
  const nlohmann::json j = nlohmann::json::parse(SafeLivesReturnJson(*r));
  EXPECT_EQ(j["return"], "safelives_marac_quarterly");
  EXPECT_EQ(j["quarter"], "2026Q3");
  EXPECT_EQ(j["area"], "north");
  EXPECT_EQ(j["counted_to"], "2026-09-30");
  EXPECT_EQ(j["partial"], false);
  EXPECT_EQ(j["mapping"], "marac-default-2026.1");
  ASSERT_GT(j["figures"].size(), 20u);
  EXPECT_EQ(j["figures"][0]["id"], "meetings_held");
  EXPECT_TRUE(j["figures"][0]["value"].is_number_integer());
  EXPECT_EQ(j["figures"][0]["value"], 2);
  EXPECT_TRUE(j["figures"][0]["agency"].is_null());
  bool found = false;
  for (const nlohmann::json& x : j["figures"]) {
    if (x["id"] == "repeat_rate") {
      EXPECT_NEAR(x["value"].get<double>(), 1.0 / 6.0, 1e-12);
    }
    if (x["id"] == "unmapped" && x["agency"] == "=HYPERLINK(1)") found = true;
  }
  EXPECT_TRUE(found) << "JSON keeps the agency as written";
}

}  // namespace
}  // namespace marac
