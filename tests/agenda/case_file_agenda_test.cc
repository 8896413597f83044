// From a case file to agenda cases (and back to what the store keeps): which
// referrals a meeting sees, and the facts the case graph adds to each.
// People here are invented.
#include "marac/agenda/case_file_agenda.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/agenda/invented_records.h"

namespace marac {
namespace {

Date D(const char* text) { return *Date::Parse("date", text); }

StoredReferral Referral(const char* id, const char* area, const char* on,
                        const char* victim, const char* incident,
                        const char* assessment) {
  StoredReferral r;
  r.referral_id = id;
  r.submission_id = std::string("s-") + id;
  r.area = area;
  r.agency = "police";
  r.source = ReferralSource::kPolice;
  r.referred_on = D(on);
  r.victim_record_id = victim;
  r.perpetrator_record_ids = {"X1"};
  r.incident_id = incident;
  r.assessment_id = assessment;
  r.criteria = {"visible_high_risk"};
  r.children_in_household = 2;
  return r;
}

// Victim P1 under two records (V1, V1b), referred in September (R0, heard
// at M0) and again in March (R1); victim P2 (V2) referred in March (R2);
// both harmed by X1. R9 is of another area.
CaseFile File() {
  CaseFile f;
  f.records = {
      Record("V1", "Elspeth", "Marlowe", "1990-07-03", Role::kVictim),
      Record("V1b", "Elspeth", "Marlow", "1990-07-03", Role::kVictim),
      Record("V2", "Tamsin", "Oakes", "1985-11-20", Role::kVictim),
      Record("V9", "Ines", "Farrow", "1979-02-14", Role::kVictim),
      Record("X1", "Corin", "Ashby", "1984-01-09", Role::kPerpetrator)};
  f.people = {
      {"V1", "P1"}, {"V1b", "P1"}, {"V2", "P2"}, {"V9", "P9"}, {"X1", "P3"}};
  f.incidents = {{"I0", D("2025-08-30"), "north", "V1b", {"X1"}, "police"},
                 {"I1", D("2026-03-01"), "north", "V1", {"X1"}, "police"},
                 {"I2", D("2026-03-03"), "north", "V2", {"X1"}, "police"},
                 {"I9", D("2026-03-04"), "south", "V9", {}, "police"}};
  StoredAssessment a;
  a.assessment_id = "A1";
  a.victim_record_id = "V1";
  a.incident_id = "I1";
  a.instrument = "safelives-ric";
  a.policy_version = "p";
  a.completed_on = D("2026-03-01");
  a.score = 16;
  a.grade = Grade::kHigh;
  a.high_harm_indicators = {"strangulation"};
  f.assessments = {a};
  f.referrals = {Referral("R0", "north", "2025-09-01", "V1b", "I0", ""),
                 Referral("R1", "north", "2026-03-02", "V1", "I1", "A1"),
                 Referral("R2", "north", "2026-03-04", "V2", "I2", ""),
                 Referral("R9", "south", "2026-03-05", "V9", "I9", "")};
  f.meetings = {{"M0", "north", D("2025-09-20"), D("2025-09-13"), 10, 0}};
  f.listings = {{"M0", "M0", {"R0"}}};
  f.idva = {{"R1", "IDVA North", D("2026-03-10"), IdvaEngagement::kNotKnown,
             std::nullopt}};
  return f;
}

AgendaMeeting Meeting(const char* area, const char* on) {
  return {MeetingId(D(on), area), area, D(on), D(on).AddDays(-7), 10, 0};
}

std::vector<std::string> Ids(const std::vector<AgendaCase>& cases) {
  std::vector<std::string> ids;
  for (const AgendaCase& c : cases) ids.push_back(c.referral_id);
  return ids;
}

const AgendaCase* Find(const std::vector<AgendaCase>& cases, const char* id) {
  for (const AgendaCase& c : cases) {
    if (c.referral_id == id) return &c;
  }
  return nullptr;
}

TEST(CaseFileAgendaTest, AMeetingSeesItsAreasReferralsNotHeardBeforeIt) {
  const struct {
    const char* label;
    const char* area;
    const char* date;
    std::vector<std::string> want;
  } kCases[] = {
      {"AfterTheFirstHearing", "north", "2026-04-01", {"R1", "R2"}},
      {"BeforeTheFirstHearing", "north", "2025-09-15", {"R0", "R1", "R2"}},
      {"OnTheDayOfTheFirstHearing", "north", "2025-09-20", {"R0", "R1", "R2"}},
      {"AnotherArea", "south", "2026-04-01", {"R9"}},
      {"EveryArea", "", "2026-04-01", {"R1", "R2", "R9"}},
      {"AnAreaWithNoReferrals", "east", "2026-04-01", {}},
  };
  const CaseFile file = File();
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    const Result<std::vector<AgendaCase>> cases =
        AgendaCasesFromCaseFile(file, Meeting(c.area, c.date));
    ASSERT_TRUE(cases.ok()) << cases.status();
    EXPECT_EQ(Ids(*cases), c.want);
  }
}

TEST(CaseFileAgendaTest, ACaseCarriesWhatItsReferralRecordSays) {
  CaseFile file = File();
  for (StoredReferral& r : file.referrals) {
    if (r.referral_id != "R1") continue;
    r.details.consent = VictimConsent::kAwareNotConsented;
    r.details.language = "Urdu";
    r.details.judgement_narrative = "Afraid of the release date";
  }
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(file, Meeting("north", "2026-04-01"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  const AgendaCase* r1 = Find(*cases, "R1");
  ASSERT_NE(r1, nullptr);
  EXPECT_EQ(r1->consent, VictimConsent::kAwareNotConsented);
  EXPECT_EQ(r1->language, "Urdu");
  EXPECT_EQ(r1->judgement_narrative, "Afraid of the release date");
  const AgendaCase* r2 = Find(*cases, "R2");
  ASSERT_NE(r2, nullptr);
  EXPECT_EQ(r2->consent, VictimConsent::kNotRecorded);
  EXPECT_TRUE(r2->language.empty());
}

TEST(CaseFileAgendaTest, ACaseCarriesTheVictimAssessmentAndGraphFacts) {
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(File(), Meeting("north", "2026-04-01"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  const AgendaCase* r1 = Find(*cases, "R1");
  ASSERT_NE(r1, nullptr);
  EXPECT_EQ(r1->given_name, "Elspeth");
  EXPECT_EQ(r1->family_name, "Marlowe");
  EXPECT_EQ(r1->date_of_birth, D("1990-07-03"));
  EXPECT_EQ(r1->postcode, "LS6 2AB");
  EXPECT_EQ(r1->grade, Grade::kHigh);
  EXPECT_EQ(r1->score, 16);
  EXPECT_EQ(r1->high_harm_indicators,
            std::vector<std::string>{"strangulation"});
  EXPECT_EQ(r1->children, 2);
  EXPECT_TRUE(r1->repeat) << "referred in September under another record";
  EXPECT_EQ(r1->last_referral_on, D("2025-09-01"));
  EXPECT_EQ(r1->prior_incidents, 1);
  EXPECT_TRUE(r1->serial_perpetrator) << "X1 harmed P1 and P2";
  EXPECT_EQ(r1->perpetrator_victims, 2);
  EXPECT_TRUE(r1->idva_allocated);
  EXPECT_EQ(r1->idva_engagement, "not_known");

  const AgendaCase* r2 = Find(*cases, "R2");
  ASSERT_NE(r2, nullptr);
  EXPECT_FALSE(r2->grade.has_value()) << "no assessment: no grade";
  EXPECT_FALSE(r2->repeat);
  EXPECT_FALSE(r2->idva_allocated);
  EXPECT_EQ(r2->idva_engagement, "");
}

TEST(CaseFileAgendaTest, AnIdvaAllocatedAfterTheMeetingIsNotShown) {
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(File(), Meeting("north", "2026-03-08"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  const AgendaCase* r1 = Find(*cases, "R1");
  ASSERT_NE(r1, nullptr);
  EXPECT_FALSE(r1->idva_allocated);
}

TEST(CaseFileAgendaTest, ARecordWithoutAPersonStandsForItself) {
  CaseFile file = File();
  file.people.clear();
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(file, Meeting("north", "2026-04-01"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  const AgendaCase* r1 = Find(*cases, "R1");
  ASSERT_NE(r1, nullptr);
  EXPECT_FALSE(r1->repeat) << "V1 and V1b are not known to be one person";
  EXPECT_EQ(r1->prior_incidents, 0);
  EXPECT_TRUE(r1->serial_perpetrator) << "X1 still harmed V1 and V2";
}

TEST(CaseFileAgendaTest, AHearingOfAnotherAreasMeetingIsNotThisAreas) {
  CaseFile file = File();
  // R9 (south) listed on the north meeting's agenda: not this graph's.
  file.listings[0].referral_ids.push_back("R9");
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(file, Meeting("north", "2026-04-01"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  EXPECT_EQ(Ids(*cases), (std::vector<std::string>{"R1", "R2"}));
}

TEST(CaseFileAgendaTest, TheStoredAgendaListsTheListedReferralsInRankOrder) {
  const AgendaMeeting meeting = Meeting("north", "2026-04-01");
  AgendaMeeting one_place = meeting;
  one_place.capacity_cases = 1;
  const Result<Agenda> agenda = AgendaFromCaseFile(File(), one_place);
  ASSERT_TRUE(agenda.ok()) << agenda.status();
  ASSERT_EQ(agenda->listed.size(), 1u);
  ASSERT_EQ(agenda->deferred.size(), 1u);
  const StoredAgenda stored = AgendaToStore(*agenda, {});
  EXPECT_EQ(stored.agenda_id, "M-2026-04-01-north");
  EXPECT_EQ(stored.meeting_id, stored.agenda_id);
  EXPECT_EQ(stored.policy_version, PriorityPolicy{}.version);
  EXPECT_EQ(stored.listed_referral_ids,
            std::vector<std::string>{agenda->listed[0].item.referral_id})
      << "the deferred case is not listed";
  EXPECT_EQ(stored.json, AgendaJson(*agenda, AgendaView::kCirculated));
}

TEST(CaseFileAgendaTest, RanksWhatBuildAgendaRanks) {
  const AgendaMeeting meeting = Meeting("north", "2026-04-01");
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(File(), meeting);
  ASSERT_TRUE(cases.ok());
  const Result<Agenda> direct = BuildAgenda(meeting, *cases);
  const Result<Agenda> agenda = AgendaFromCaseFile(File(), meeting);
  ASSERT_TRUE(direct.ok() && agenda.ok());
  EXPECT_EQ(AgendaJson(*agenda, AgendaView::kChair),
            AgendaJson(*direct, AgendaView::kChair));
}

// R2's victim was assessed on DARA (graded high by the officer) and R1's
// RIC was followed by an S-DASH that raised the stalking prompt.
CaseFile WithDaraAndSupplement() {
  CaseFile file = File();
  file.assessments[0].safeguarding = {"safeguarding_children"};
  StoredAssessment stalking;
  stalking.assessment_id = "S1";
  stalking.victim_record_id = "V1";
  stalking.instrument = "s-dash";
  stalking.policy_version = "p";
  stalking.completed_on = D("2026-03-01");
  stalking.score = 9;
  stalking.grade = Grade::kNotGraded;
  stalking.parent_assessment_id = "A1";
  stalking.safeguarding = {"stalking_service", "safeguarding_children"};
  StoredAssessment dara;
  dara.assessment_id = "D2";
  dara.victim_record_id = "V2";
  dara.incident_id = "I2";
  dara.instrument = "dara";
  dara.policy_version = "p";
  dara.completed_on = D("2026-03-03");
  dara.grade = Grade::kHigh;
  dara.officer_rationale = "Threats to kill after separation";
  file.assessments.push_back(stalking);
  file.assessments.push_back(dara);
  file.referrals[2].assessment_id = "D2";
  return file;
}

TEST(CaseFileAgendaTest, ACaseCarriesTheSafeguardingOfItsSupplements) {
  const Result<std::vector<AgendaCase>> cases = AgendaCasesFromCaseFile(
      WithDaraAndSupplement(), Meeting("north", "2026-04-01"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  const AgendaCase* r1 = Find(*cases, "R1");
  ASSERT_NE(r1, nullptr);
  EXPECT_EQ(r1->safeguarding, (std::vector<std::string>{"safeguarding_children",
                                                        "stalking_service"}))
      << "its own first, each once";
  EXPECT_FALSE(r1->officer_graded);
  const AgendaCase* r2 = Find(*cases, "R2");
  ASSERT_NE(r2, nullptr);
  EXPECT_TRUE(r2->safeguarding.empty());
  EXPECT_TRUE(r2->officer_graded);
  EXPECT_EQ(r2->grade, Grade::kHigh);
}

TEST(CaseFileAgendaTest, AnOfficerGradedCaseRanksOnTheCountItsGradeNeeds) {
  const CaseFile file = WithDaraAndSupplement();
  const Result<Agenda> agenda =
      AgendaFromCaseFile(file, Meeting("north", "2026-04-01"));
  ASSERT_TRUE(agenda.ok()) << agenda.status();
  const RankedCase* r2 = nullptr;
  for (const RankedCase& r : agenda->listed) {
    if (r.item.referral_id == "R2") r2 = &r;
  }
  ASSERT_NE(r2, nullptr);
  const PriorityPolicy policy;
  bool counted = false;
  for (const Contribution& c : r2->contributions) {
    if (c.factor != "score") continue;
    counted = true;
    EXPECT_DOUBLE_EQ(c.points,
                     policy.per_score_point * policy.officer_high_as_score);
    EXPECT_THAT(c.detail, ::testing::HasSubstr("by the officer (DARA)"));
  }
  EXPECT_TRUE(counted);
  const std::string chair = AgendaMarkdown(*agenda, AgendaView::kChair);
  EXPECT_THAT(chair, ::testing::HasSubstr("graded high by the officer"));
  EXPECT_THAT(chair, ::testing::HasSubstr(
                         "visible high risk (the officer's grade, DARA"));
  EXPECT_THAT(chair, ::testing::HasSubstr(
                         "SAFEGUARDING: children's social care, specialist "
                         "stalking service"));
  const std::string json = AgendaJson(*agenda, AgendaView::kCirculated);
  EXPECT_THAT(json, ::testing::HasSubstr("\"officer_graded\": true"));
  EXPECT_THAT(json, ::testing::HasSubstr("\"stalking_service\""));
}

TEST(CaseFileAgendaTest, AGraphRefusalIsAnError) {
  CaseFile file = File();
  file.referrals.push_back(file.referrals[1]);  // R1 twice.
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(file, Meeting("north", "2026-04-01"));
  ASSERT_FALSE(cases.ok());
  EXPECT_EQ(cases.status().code(), StatusCode::kInvalidArgument);
}

CaseAction Action(const char* agency, const char* due, ActionStatus status) {
  CaseAction a;
  a.agency = agency;
  a.owner = "duty officer";
  a.text = std::string("Action of ") + agency;
  a.due_on = D(due);
  a.status = status;
  return a;
}

TEST(CaseFileAgendaTest, AnAdjournedCaseComesBackWithItsReason) {
  CaseFile file = File();
  // M0 listed R0; its minutes adjourned it.
  MeetingRecord minutes{"M0", {"police"}, {}};
  minutes.cases.push_back(
      {"R0", HearingOutcome::kAdjourned, "IDVA report not ready", {}});
  NumberActions(minutes);
  file.meeting_records = {minutes};
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(file, Meeting("north", "2026-04-01"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  const AgendaCase* r0 = Find(*cases, "R0");
  ASSERT_NE(r0, nullptr) << "not heard: back on the agenda";
  EXPECT_EQ(r0->adjourned_reason, "IDVA report not ready");
  ASSERT_TRUE(r0->last_hearing.has_value());
  EXPECT_EQ(r0->last_hearing->outcome, HearingOutcome::kAdjourned);
  EXPECT_EQ(r0->last_hearing->date, D("2025-09-20"));
}

TEST(CaseFileAgendaTest, ARepeatCarriesItsLastHearingAndOpenActions) {
  CaseFile file = File();
  MeetingRecord minutes{"M0", {"police", "housing"}, {}};
  minutes.cases.push_back(
      {"R0",
       HearingOutcome::kHeard,
       "",
       {Action("police", "2025-10-01", ActionStatus::kOpen),
        Action("housing", "2025-10-15", ActionStatus::kDone)}});
  NumberActions(minutes);
  file.meeting_records = {minutes};
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(file, Meeting("north", "2026-04-01"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  EXPECT_EQ(Find(*cases, "R0"), nullptr) << "heard at M0";
  const AgendaCase* r1 = Find(*cases, "R1");
  ASSERT_NE(r1, nullptr);
  ASSERT_TRUE(r1->last_hearing.has_value()) << "the same victim, P1";
  EXPECT_EQ(r1->last_hearing->meeting_id, "M0");
  EXPECT_EQ(r1->last_hearing->referral_id, "R0");
  EXPECT_EQ(r1->last_hearing->outcome, HearingOutcome::kHeard);
  ASSERT_EQ(r1->open_actions.size(), 1u) << "the done one is not open";
  EXPECT_EQ(r1->open_actions[0].action_id, "M0/R0/1");
  EXPECT_TRUE(r1->adjourned_reason.empty());
  const AgendaCase* r2 = Find(*cases, "R2");
  ASSERT_NE(r2, nullptr);
  EXPECT_FALSE(r2->last_hearing.has_value()) << "another victim";
  EXPECT_TRUE(r2->open_actions.empty());

  // The meeting before M0 knows nothing of it.
  const Result<std::vector<AgendaCase>> before =
      AgendaCasesFromCaseFile(file, Meeting("north", "2025-09-15"));
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(Find(*before, "R1")->last_hearing.has_value());

  // The agenda shows them: overdue since 2025-10-01.
  const Result<Agenda> agenda =
      AgendaFromCaseFile(file, Meeting("north", "2026-04-01"));
  ASSERT_TRUE(agenda.ok());
  EXPECT_THAT(AgendaMarkdown(*agenda, AgendaView::kCirculated),
              ::testing::HasSubstr("last heard 2025-09-20;"));
  EXPECT_THAT(AgendaMarkdown(*agenda, AgendaView::kCirculated),
              ::testing::HasSubstr("OVERDUE (182 days)"));
}

TEST(CaseFileAgendaTest, ACaseRecordedButNotListedWasHeard) {
  CaseFile file = File();
  // R1 was brought to M0 on the day (not on its saved agenda).
  MeetingRecord minutes{"M0", {"police"}, {}};
  minutes.cases.push_back({"R1", HearingOutcome::kHeard, "", {}});
  file.meeting_records = {minutes};
  file.meetings[0].date = D("2026-03-20");
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(file, Meeting("north", "2026-04-01"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  EXPECT_EQ(Find(*cases, "R1"), nullptr);
}

TEST(CaseFileAgendaTest, ThePerpetratorAndTheFormComeFromTheCaseFile) {
  const Result<std::vector<AgendaCase>> cases =
      AgendaCasesFromCaseFile(File(), Meeting("north", "2026-04-01"));
  ASSERT_TRUE(cases.ok()) << cases.status();
  const AgendaCase* r1 = Find(*cases, "R1");
  ASSERT_NE(r1, nullptr);
  EXPECT_EQ(r1->perpetrator_initials, std::vector<std::string>{"C.A."});
  EXPECT_EQ(r1->perpetrator_people, std::vector<std::string>{"P3"});
  EXPECT_EQ(r1->instrument, "safelives-ric");
  EXPECT_EQ(r1->household, "4 Wren Yard|LS6 2AB");
  // R1 and R2 share X1: heard one after the other.
  const Result<Agenda> agenda =
      AgendaFromCaseFile(File(), Meeting("north", "2026-04-01"));
  ASSERT_TRUE(agenda.ok());
  EXPECT_FALSE(agenda->listed[0].linked_cases.empty());
}

TEST(CaseFileAgendaTest, AnExtraMeetingIsProposedAfterTwoOverdueDeferrals) {
  const struct {
    const char* label;
    int previous_capacity;
    int capacity;
    std::optional<Date> want;
  } kCases[] = {
      // R1 and R2 have waited past 42 days at both meetings; one place each.
      {"DeferredPastTheLimitTwice", 1, 1, D("2026-06-05")},
      {"NoneDeferredLastTime", 5, 1, std::nullopt},
      {"NoneDeferredNow", 1, 5, std::nullopt},
  };
  for (const auto& k : kCases) {
    SCOPED_TRACE(k.label);
    CaseFile file = File();
    file.meetings.push_back({"M1", "north", D("2026-05-01"), D("2026-04-24"),
                             k.previous_capacity, 0});
    AgendaMeeting now = Meeting("north", "2026-05-29");
    now.capacity_cases = k.capacity;
    const Result<Agenda> agenda = AgendaFromCaseFile(file, now);
    ASSERT_TRUE(agenda.ok()) << agenda.status();
    if (!k.want) {
      EXPECT_FALSE(agenda->extra_meeting.has_value());
      continue;
    }
    ASSERT_TRUE(agenda->extra_meeting.has_value());
    EXPECT_EQ(agenda->extra_meeting->date, *k.want)
        << "the first working day a week on";
    EXPECT_THAT(agenda->extra_meeting->reason,
                ::testing::HasSubstr("deferred past the 42-day limit"));
    EXPECT_THAT(AgendaMarkdown(*agenda, AgendaView::kCirculated),
                ::testing::HasSubstr("Extra meeting proposed: 2026-06-05"));
  }
}

}  // namespace
}  // namespace marac
