// The MARAC agenda: ranks that add up, deterministic ties, capacity and the
// deferred list, escalation of long waits, and what each view must not
// show. People here are invented.
#include "marac/agenda/agenda.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Date D(const char* text) { return *Date::Parse("date", text); }

AgendaMeeting Meeting(int capacity) {
  return {"M-2026-04", "North", D("2026-04-14"), D("2026-04-07"), capacity, 0};
}

AgendaCase Case(std::string id, const char* referred_on, std::string grade,
                int score) {
  AgendaCase c;
  c.referral_id = id;
  c.case_reference = "MARAC-" + id;
  c.area = "North";
  c.agency = "Police";
  c.referred_on = D(referred_on);
  c.given_name = "Elspeth";
  c.family_name = "Marlowe";
  c.date_of_birth = D("1990-07-03");
  c.address = "1 Quay Row";
  c.postcode = "LS6 2AB";
  c.phone = "07700 900123";
  c.grade = *ParseGrade("grade", grade);
  c.score = score;
  c.criteria = {"visible_high_risk"};
  return c;
}

TEST(AgendaTest, EveryRankIsExplainedAndTheContributionsAddUp) {
  AgendaCase a = Case("R1", "2026-04-01", "high", 16);
  a.high_harm_indicators = {"strangulation", "threat_to_kill", "stalking"};
  a.repeat = true;
  a.repeat_reason = "within 12 months of the referral on 2025-09-01";
  a.children = 6;
  AgendaCase b = Case("R2", "2026-04-06", "medium", 9);
  b.serial_perpetrator = true;
  b.serial_reason = "3 victims in 3 years";
  const std::vector<AgendaCase> cases = {b, a};
  const Result<Agenda> agenda = BuildAgenda(Meeting(10), cases);
  ASSERT_TRUE(agenda.ok()) << agenda.status().ToString();
  ASSERT_EQ(agenda->listed.size(), 2u);
  const RankedCase& top = agenda->listed[0];
  EXPECT_EQ(top.item.referral_id, "R1");
  double sum = 0;
  std::vector<std::string> factors;
  for (const Contribution& k : top.contributions) {
    sum += k.points;
    factors.push_back(k.factor);
  }
  EXPECT_DOUBLE_EQ(sum, top.priority);
  // 2 listed high-harm indicators (stalking is not in the default list),
  // high grade, 16 points, repeat, 4 of 6 children, 13 days.
  EXPECT_THAT(factors,
              ::testing::ElementsAre("high_harm:strangulation",
                                     "high_harm:threat_to_kill", "grade",
                                     "score", "repeat", "children", "waiting"));
  EXPECT_DOUBLE_EQ(top.priority, 10 + 10 + 20 + 16 + 15 + 12 + 6.5);
  EXPECT_EQ(top.rank, 1);
  EXPECT_EQ(agenda->listed[1].rank, 2);
}

TEST(AgendaTest, TiesBreakTheSameWayWhateverTheInputOrder) {
  std::vector<AgendaCase> cases = {Case("R3", "2026-04-01", "high", 14),
                                   Case("R1", "2026-04-01", "high", 14),
                                   Case("R2", "2026-03-30", "high", 13)};
  // R2 is two days older (1 more for waiting) and one point lower: a tie.
  const Result<Agenda> x = BuildAgenda(Meeting(10), cases);
  std::reverse(cases.begin(), cases.end());
  const Result<Agenda> y = BuildAgenda(Meeting(10), cases);
  ASSERT_TRUE(x.ok() && y.ok());
  std::vector<std::string> order_x, order_y;
  for (const RankedCase& r : x->listed) order_x.push_back(r.item.referral_id);
  for (const RankedCase& r : y->listed) order_y.push_back(r.item.referral_id);
  EXPECT_EQ(order_x, order_y);
  // Equal priority: the earlier referral first, then the id.
  EXPECT_THAT(order_x, ::testing::ElementsAre("R2", "R1", "R3"));
}

TEST(AgendaTest, BeyondCapacityIsDeferredWithReasonNothingDropped) {
  std::vector<AgendaCase> cases;
  for (int k = 0; k < 5; ++k) {
    cases.push_back(
        Case("R" + std::to_string(k), "2026-04-01", "high", 14 + k));
  }
  AgendaCase late = Case("R-late", "2026-04-10", "high", 20);  // After cut-off.
  AgendaCase none = Case("R-none", "2026-04-01", "standard", 3);
  none.criteria.clear();
  AgendaCase other = Case("R-south", "2026-04-01", "high", 20);
  other.area = "South";
  cases.push_back(late);
  cases.push_back(none);
  cases.push_back(other);
  const Result<Agenda> agenda = BuildAgenda(Meeting(3), cases);
  ASSERT_TRUE(agenda.ok());
  EXPECT_EQ(agenda->listed.size(), 3u);
  ASSERT_EQ(agenda->deferred.size(), 2u);
  EXPECT_EQ(agenda->deferred[0].ranked.rank, 4);
  EXPECT_THAT(agenda->deferred[0].reason, HasSubstr("capacity of 3"));
  EXPECT_TRUE(agenda->deferred[0].interim_safety_plan);
  ASSERT_EQ(agenda->not_eligible.size(), 3u);
  EXPECT_THAT(agenda->not_eligible[0].reason, HasSubstr("after the cut-off"));
  EXPECT_THAT(agenda->not_eligible[1].reason,
              HasSubstr("no referral criterion"));
  EXPECT_THAT(agenda->not_eligible[2].reason, HasSubstr("another area"));
  // Every input case is accounted for.
  EXPECT_EQ(agenda->listed.size() + agenda->deferred.size() +
                agenda->not_eligible.size(),
            cases.size());
  const std::string md = AgendaMarkdown(*agenda, AgendaView::kCirculated);
  EXPECT_THAT(md, HasSubstr("2 deferred beyond capacity"));
  EXPECT_THAT(md, HasSubstr("INTERIM SAFETY PLAN REQUIRED"));
}

TEST(AgendaTest, MinutesBecomeCasesAndLongWaitsGoToTheTop) {
  std::vector<AgendaCase> cases = {Case("R1", "2026-04-01", "high", 24),
                                   Case("R2", "2026-04-02", "high", 23),
                                   Case("R-old", "2026-03-01", "medium", 8)};
  AgendaMeeting meeting = Meeting(0);
  meeting.capacity_minutes = 30;  // Two cases at 15 minutes.
  const Result<Agenda> agenda = BuildAgenda(meeting, cases);
  ASSERT_TRUE(agenda.ok());
  EXPECT_EQ(agenda->capacity, 2);
  ASSERT_EQ(agenda->listed.size(), 2u);
  // 44 days waiting, past the 42-day limit: first, despite a low score.
  EXPECT_EQ(agenda->listed[0].item.referral_id, "R-old");
  EXPECT_TRUE(agenda->listed[0].escalated);
  EXPECT_EQ(agenda->listed[0].days_waiting, 44);
  EXPECT_EQ(agenda->deferred.size(), 1u);
  EXPECT_THAT(AgendaMarkdown(*agenda, AgendaView::kCirculated),
              HasSubstr("OVERDUE (44 days since referral)"));
  // The limit itself: 42 days is not past it, 43 is.
  const std::vector<AgendaCase> edge = {Case("R42", "2026-03-03", "medium", 8),
                                        Case("R43", "2026-03-02", "medium", 8)};
  const Result<Agenda> e = BuildAgenda(Meeting(5), edge);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->listed[0].item.referral_id, "R43");
  EXPECT_TRUE(e->listed[0].escalated);
  EXPECT_EQ(e->listed[1].days_waiting, 42);
  EXPECT_FALSE(e->listed[1].escalated);
}

TEST(AgendaTest, TheCirculatedViewNeverCarriesNamesAddressesOrPhones) {
  AgendaCase c = Case("R1", "2026-04-01", "high", 16);
  const std::vector<AgendaCase> cases = {c,
                                         Case("R2", "2026-04-01", "high", 15)};
  const Result<Agenda> agenda = BuildAgenda(Meeting(1), cases);
  ASSERT_TRUE(agenda.ok());
  const std::string forbidden[] = {"Elspeth", "Marlowe", "Quay Row",
                                   "LS6 2AB", "07700",   "1990-07-03"};
  for (const std::string& text :
       {AgendaJson(*agenda, AgendaView::kCirculated),
        AgendaMarkdown(*agenda, AgendaView::kCirculated),
        AgendaHtml(*agenda, AgendaView::kCirculated)}) {
    for (const std::string& f : forbidden) {
      EXPECT_THAT(text, Not(HasSubstr(f))) << f;
    }
    EXPECT_THAT(text, HasSubstr("E.M."));
    EXPECT_THAT(text, HasSubstr("MARAC-R1"));
  }
  // The chair sees the name by default, but not the address or phone.
  const PriorityPolicy policy;
  for (const std::string& text :
       {AgendaJson(*agenda, AgendaView::kChair, policy),
        AgendaMarkdown(*agenda, AgendaView::kChair, policy),
        AgendaHtml(*agenda, AgendaView::kChair, policy)}) {
    EXPECT_THAT(text, HasSubstr("Elspeth Marlowe"));
    EXPECT_THAT(text, Not(HasSubstr("Quay Row")));
    EXPECT_THAT(text, Not(HasSubstr("07700")));
  }
  PriorityPolicy open = policy;
  open.chair_sees_addresses = true;
  EXPECT_THAT(AgendaHtml(*agenda, AgendaView::kChair, open),
              HasSubstr("1 Quay Row"));
  EXPECT_THAT(AgendaHtml(*agenda, AgendaView::kCirculated, open),
              Not(HasSubstr("Quay Row")));
}

TEST(AgendaTest, RenderingsAreValidSelfContainedAndAgree) {
  AgendaCase c = Case("R1", "2026-04-01", "high", 16);
  c.case_reference = "<script>alert(1)</script>";
  const std::vector<AgendaCase> cases = {c};
  const Result<Agenda> agenda = BuildAgenda(Meeting(5), cases);
  ASSERT_TRUE(agenda.ok());
  const nlohmann::json j =
      nlohmann::json::parse(AgendaJson(*agenda, AgendaView::kCirculated));
  EXPECT_EQ(j["cases"][0]["initials"], "E.M.");
  EXPECT_EQ(j["cases"][0]["age"], 35);
  EXPECT_EQ(j["summary"]["listed"], 1);
  double sum = 0;
  for (const auto& k : j["cases"][0]["contributions"])
    sum += k["points"].get<double>();
  EXPECT_DOUBLE_EQ(sum, j["cases"][0]["priority"].get<double>());
  const std::string html = AgendaHtml(*agenda, AgendaView::kCirculated);
  EXPECT_THAT(html, Not(HasSubstr("<script")));  // Escaped.
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("http")));  // No external assets.
  EXPECT_THAT(html, Not(HasSubstr("<link")));
}

TEST(AgendaTest, BadMeetingsPoliciesAndCasesNameTheField) {
  const std::vector<AgendaCase> cases = {Case("R1", "2026-04-01", "high", 16)};
  EXPECT_THAT(BuildAgenda(Meeting(0), cases).status().message(),
              HasSubstr("meeting.capacity_cases"));
  AgendaMeeting late = Meeting(5);
  late.referral_cutoff = D("2026-05-01");
  EXPECT_THAT(BuildAgenda(late, cases).status().message(),
              HasSubstr("meeting.referral_cutoff"));
  PriorityPolicy bad;
  bad.repeat = -1;
  EXPECT_THAT(BuildAgenda(Meeting(5), cases, bad).status().message(),
              HasSubstr("policy.repeat"));
  const std::vector<AgendaCase> twice = {cases[0], cases[0]};
  EXPECT_THAT(BuildAgenda(Meeting(5), twice).status().message(),
              HasSubstr("cases[1].referral_id"));
}

TEST(AgendaTest, ThePolicyIsDataThatRoundTripsAndIsCheckedField_By_Field) {
  const PriorityPolicy defaults;
  const Result<PriorityPolicy> back =
      ParsePriorityPolicy(PriorityPolicyJson(defaults));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(PriorityPolicyJson(*back), PriorityPolicyJson(defaults));
  const Result<PriorityPolicy> local = ParsePriorityPolicy(
      R"({"version": "north-2026.2", "repeat": 40,
          "high_harm_indicators": ["strangulation", "stalking"],
          "chair_sees_addresses": true})");
  ASSERT_TRUE(local.ok()) << local.status().ToString();
  EXPECT_EQ(local->version, "north-2026.2");
  EXPECT_EQ(local->repeat, 40);
  EXPECT_EQ(local->grade_high, defaults.grade_high);  // Kept.
  EXPECT_TRUE(local->chair_sees_addresses);
  // It changes the ranking: a repeat now outranks a higher score.
  AgendaCase repeat = Case("R1", "2026-04-01", "medium", 10);
  repeat.repeat = true;
  const std::vector<AgendaCase> cases = {Case("R2", "2026-04-01", "high", 20),
                                         repeat};
  EXPECT_EQ(BuildAgenda(Meeting(5), cases)->listed[0].item.referral_id, "R2");
  EXPECT_EQ(BuildAgenda(Meeting(5), cases, *local)->listed[0].item.referral_id,
            "R1");
  const struct {
    const char* json;
    const char* want;
  } bad[] = {
      {R"({"repeats": 1})", "policy.repeats"},
      {R"({"repeat": "high"})", "policy.repeat"},
      {R"({"repeat": -1})", "policy.repeat"},
      {R"({"minutes_per_case": 0})", "policy.minutes_per_case"},
      {R"({"chair_sees_names": "yes"})", "policy.chair_sees_names"},
      {R"({"high_harm_indicators": "strangulation"})",
       "policy.high_harm_indicators"},
      {R"([1, 2])", "policy"},
      {R"({"repeat": 1, "repeat": 2})", "repeat"},
      {R"({"meeting_start": "25:00"})", "policy.meeting_start"},
      {R"({"meeting_start": "9:30"})", "policy.meeting_start"},
      {R"({"protective_marking": ""})", "policy.protective_marking"},
  };
  for (const auto& b : bad) {
    const Result<PriorityPolicy> p = ParsePriorityPolicy(b.json);
    ASSERT_FALSE(p.ok()) << b.json;
    EXPECT_THAT(p.status().message(), HasSubstr(b.want)) << b.json;
  }
}

TEST(AgendaTest, EachListedCaseHasItsTimeSlotFromTheMeetingStart) {
  const std::vector<AgendaCase> cases = {Case("R1", "2026-04-01", "high", 20),
                                         Case("R2", "2026-04-01", "high", 18),
                                         Case("R3", "2026-04-01", "high", 16)};
  PriorityPolicy policy;
  policy.meeting_start = "10:00";
  policy.minutes_per_case = 20;
  const Result<Agenda> agenda = BuildAgenda(Meeting(2), cases, policy);
  ASSERT_TRUE(agenda.ok()) << agenda.status();
  ASSERT_EQ(agenda->listed.size(), 2u);
  EXPECT_EQ(agenda->listed[0].time_slot, "10:00-10:20");
  EXPECT_EQ(agenda->listed[1].time_slot, "10:20-10:40");
  EXPECT_EQ(agenda->deferred[0].ranked.time_slot, "") << "not heard";
}

TEST(AgendaTest, CasesSharingAPerpetratorOrHouseholdAreHeardTogether) {
  const struct {
    const char* label;
    std::vector<std::vector<std::string>> perpetrators;  // By case R1..R4.
    std::vector<std::string> households;
    std::vector<std::string> want_order;
  } kCases[] = {
      {"NoneLinked",
       {{"P1"}, {"P2"}, {"P3"}, {"P4"}},
       {"", "", "", ""},
       {"R1", "R2", "R3", "R4"}},
      {"FirstAndLastSharePerpetrator",
       {{"P1"}, {"P2"}, {"P3"}, {"P1"}},
       {"", "", "", ""},
       {"R1", "R4", "R2", "R3"}},
      {"SecondAndFourthShareHousehold",
       {{"P1"}, {"P2"}, {"P3"}, {"P4"}},
       {"", "h1", "", "h1"},
       {"R1", "R2", "R4", "R3"}},
      {"AChainJoinsThree",
       {{"P1"}, {"P2"}, {"P2", "P5"}, {"P5"}},
       {"", "", "", ""},
       {"R1", "R2", "R3", "R4"}},
      {"AChainPullsTheLastUp",
       {{"P1", "P7"}, {"P2"}, {"P3"}, {"P7"}},
       {"h2", "", "h2", ""},
       {"R1", "R3", "R4", "R2"}},
  };
  for (const auto& k : kCases) {
    SCOPED_TRACE(k.label);
    std::vector<AgendaCase> cases;
    for (int i = 0; i < 4; ++i) {
      AgendaCase c = Case("R" + std::to_string(i + 1), "2026-04-01", "high",
                          20 - i);  // R1 ranks first.
      c.perpetrator_people = k.perpetrators[static_cast<std::size_t>(i)];
      c.household = k.households[static_cast<std::size_t>(i)];
      cases.push_back(c);
    }
    const Result<Agenda> agenda = BuildAgenda(Meeting(4), cases);
    ASSERT_TRUE(agenda.ok()) << agenda.status();
    std::vector<std::string> order;
    int rank = 0;
    for (const RankedCase& r : agenda->listed) {
      order.push_back(r.item.referral_id);
      EXPECT_EQ(r.rank, ++rank) << "ranks follow the order heard";
    }
    EXPECT_EQ(order, k.want_order);
  }
  // Each names the others of its group, and the views say why.
  std::vector<AgendaCase> pair = {Case("R1", "2026-04-01", "high", 20),
                                  Case("R2", "2026-04-01", "high", 10)};
  pair[0].perpetrator_people = pair[1].perpetrator_people = {"P9"};
  const Result<Agenda> agenda = BuildAgenda(Meeting(4), pair);
  ASSERT_TRUE(agenda.ok());
  EXPECT_EQ(agenda->listed[0].linked_cases, std::vector<std::string>{"R2"});
  EXPECT_THAT(AgendaMarkdown(*agenda, AgendaView::kCirculated),
              HasSubstr("heard with R2 (same perpetrator or household)"));
}

TEST(AgendaTest, TheViewsSayTheFormAndRouteInWordsUnderTheMarking) {
  AgendaCase c = Case("R1", "2026-04-01", "standard", 5);
  c.instrument = "safelives-ric";
  c.perpetrator_initials = {"C.A."};
  c.criteria = {"professional_judgement"};
  AgendaCase police = Case("R2", "2026-04-01", "high", 27);
  police.instrument = "police-dash-2009";
  const std::vector<AgendaCase> cases = {c, police};
  const Result<Agenda> agenda = BuildAgenda(Meeting(5), cases);
  ASSERT_TRUE(agenda.ok());
  for (const std::string& text :
       {AgendaMarkdown(*agenda, AgendaView::kCirculated),
        AgendaHtml(*agenda, AgendaView::kCirculated)}) {
    EXPECT_THAT(text, HasSubstr("SafeLives RIC, 5 of 24 ticked"));
    EXPECT_THAT(text, HasSubstr("Police DASH (2009), 27 of 27 ticked"));
    EXPECT_THAT(text, HasSubstr("professional judgement"));
    EXPECT_THAT(text, HasSubstr("C.A."));
    EXPECT_THAT(text, HasSubstr("Police, 2026-04-01")) << "who and when";
    EXPECT_THAT(text, HasSubstr("OFFICIAL-SENSITIVE"));
    EXPECT_THAT(text, Not(HasSubstr("RESTRICTED")));
    EXPECT_THAT(text, Not(HasSubstr("standard (5)")));
    EXPECT_THAT(text, Not(HasSubstr("professional_judgement")));
    EXPECT_THAT(text, Not(HasSubstr("Priority (explained)")))
        << "the arithmetic is the chair's";
  }
  EXPECT_THAT(AgendaMarkdown(*agenda, AgendaView::kChair),
              HasSubstr("Priority (explained)"));
  PriorityPolicy marked;
  marked.protective_marking = "OFFICIAL";
  EXPECT_THAT(AgendaHtml(*agenda, AgendaView::kCirculated, marked),
              HasSubstr("OFFICIAL: MARAC circulated view"));

  // The JSON keeps every key it had, and adds the new ones.
  const nlohmann::json j =
      nlohmann::json::parse(AgendaJson(*agenda, AgendaView::kCirculated));
  const nlohmann::json& first = j["cases"][0];
  for (const char* key : {"rank",
                          "case_reference",
                          "referral_id",
                          "area",
                          "referring_agency",
                          "referred_on",
                          "initials",
                          "age",
                          "grade",
                          "score",
                          "criteria",
                          "high_harm_indicators",
                          "repeat",
                          "serial_perpetrator",
                          "children",
                          "under_18",
                          "last_referral_on",
                          "prior_incidents",
                          "perpetrator_victims",
                          "idva_allocated",
                          "days_waiting",
                          "escalated",
                          "priority",
                          "contributions",
                          "perpetrator_initials",
                          "instrument",
                          "time_slot",
                          "linked_cases",
                          "open_actions",
                          "last_hearing"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }
  const nlohmann::json& r2 =
      j["cases"][0]["referral_id"] == "R2" ? j["cases"][0] : j["cases"][1];
  EXPECT_EQ(r2["instrument"]["name"], "Police DASH (2009)");
  EXPECT_EQ(r2["instrument"]["items"], 27);
}

TEST(AgendaTest, TheReferralRecordShowsAsFlagsAndTheJudgementToTheChair) {
  AgendaCase c = Case("R1", "2026-04-01", "standard", 5);
  c.criteria = {"professional_judgement"};
  c.consent = VictimConsent::kNotAware;
  c.language = "Polish (interpreter needed)";
  c.judgement_narrative = "Frightened to go home since he was released";
  AgendaCase told = Case("R2", "2026-04-01", "high", 16);
  told.consent = VictimConsent::kConsented;
  const std::vector<AgendaCase> cases = {c, told};
  const Result<Agenda> agenda = BuildAgenda(Meeting(5), cases);
  ASSERT_TRUE(agenda.ok());
  for (const AgendaView view : {AgendaView::kCirculated, AgendaView::kChair}) {
    const std::string md = AgendaMarkdown(*agenda, view);
    EXPECT_THAT(md, HasSubstr("victim NOT AWARE of the referral"));
    EXPECT_THAT(md, HasSubstr("language: Polish (interpreter needed)"));
    EXPECT_THAT(md, Not(HasSubstr("consented")))
        << "consent is flagged only when it is missing";
  }
  // The referrer's words reach the chair, never the agencies.
  for (const std::string& text :
       {AgendaMarkdown(*agenda, AgendaView::kCirculated),
        AgendaHtml(*agenda, AgendaView::kCirculated),
        AgendaJson(*agenda, AgendaView::kCirculated)}) {
    EXPECT_THAT(text, Not(HasSubstr("Frightened")));
  }
  EXPECT_THAT(AgendaHtml(*agenda, AgendaView::kChair),
              HasSubstr("the referrer's judgement: Frightened"));
  const nlohmann::json j =
      nlohmann::json::parse(AgendaJson(*agenda, AgendaView::kChair));
  for (const auto& x : j["cases"]) {
    if (x["referral_id"] != "R1") continue;
    EXPECT_EQ(x["consent"], "not_aware");
    EXPECT_EQ(x["language"], "Polish (interpreter needed)");
    EXPECT_THAT(x["route"].get<std::string>(), HasSubstr("Frightened"));
  }
}

}  // namespace
}  // namespace marac
