// The SQLite store. What a meeting recorded: attendance, outcomes and
// actions kept as given, a retry answered, other minutes refused, and
// actions changed with their history and by their own agency only.
#include <functional>

#include "tests/store/store_fixture.h"

namespace marac::store_test {
namespace {

const Date kMeetingDay = *Date::Parse("d", "2026-03-12");

// A stored meeting with R1 and R2 referred to it.
std::unique_ptr<Store> WithMeeting(std::unique_ptr<Store> store) {
  EXPECT_TRUE(PutVictimAndPerpetrator(*store).ok());
  const std::vector<StoredReferral> referrals = {Referral("R1", "s-1"),
                                                 Referral("R2", "s-2")};
  EXPECT_TRUE(store->SubmitReferrals(kCoordinator, referrals).ok());
  const Meeting m{"M-2026-03-12-North",    "North", kMeetingDay,
                  kMeetingDay.AddDays(-7), 10,      0};
  EXPECT_TRUE(store->PutMeeting(kCoordinator, m).ok());
  return store;
}

CaseAction Action(const char* agency, const char* text, const char* due) {
  CaseAction a;
  a.agency = agency;
  a.owner = "duty officer";
  a.text = text;
  a.due_on = *Date::Parse("d", due);
  return a;
}

MeetingRecord Minutes() {
  MeetingRecord r;
  r.meeting_id = "M-2026-03-12-North";
  r.attendance = {"Police", "IDVA-North", "Housing"};
  r.cases = {
      {"R1",
       HearingOutcome::kHeard,
       "",
       {Action("Police", "Flag the address for urgent response", "2026-03-13"),
        Action("Housing", "Fit additional locks", "2026-03-26")}},
      {"R2", HearingOutcome::kAdjourned, "IDVA report not ready", {}}};
  return r;
}

TEST_F(StoreTest, AMeetingRecordRoundTripsWithNumberedActions) {
  std::unique_ptr<Store> store = WithMeeting(Open());
  ASSERT_NE(store, nullptr);
  const Result<bool> recorded = store->RecordMeeting(kCoordinator, Minutes());
  ASSERT_TRUE(recorded.ok()) << recorded.status();
  EXPECT_FALSE(*recorded) << "a first recording";

  const Result<std::vector<MeetingRecord>> back =
      store->MeetingRecords(kCoordinator);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 1u);
  const MeetingRecord& r = (*back)[0];
  EXPECT_EQ(r.attendance,
            (std::vector<std::string>{"Police", "IDVA-North", "Housing"}));
  ASSERT_EQ(r.cases.size(), 2u);
  EXPECT_EQ(r.cases[1].outcome, HearingOutcome::kAdjourned);
  EXPECT_EQ(r.cases[1].reason, "IDVA report not ready");
  ASSERT_EQ(r.cases[0].actions.size(), 2u);
  EXPECT_EQ(r.cases[0].actions[0].action_id, "M-2026-03-12-North/R1/1");
  EXPECT_EQ(r.cases[0].actions[1].action_id, "M-2026-03-12-North/R1/2");
  EXPECT_EQ(r.cases[0].actions[1].agency, "Housing");
  EXPECT_EQ(r.cases[0].actions[1].status, ActionStatus::kOpen);
  EXPECT_TRUE(SameMeetingRecord(r, Minutes()));

  const Result<std::vector<CaseAction>> actions = store->Actions(kCoordinator);
  ASSERT_TRUE(actions.ok()) << actions.status();
  ASSERT_EQ(actions->size(), 2u);
  EXPECT_EQ((*actions)[0].text, "Flag the address for urgent response")
      << "by due date";
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, TheSameMinutesAgainAreARetryAndOtherMinutesAConflict) {
  std::unique_ptr<Store> store = WithMeeting(Open());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->RecordMeeting(kCoordinator, Minutes()).ok());
  MeetingRecord reordered = Minutes();
  std::swap(reordered.attendance[0], reordered.attendance[2]);
  const Result<bool> again = store->RecordMeeting(kCoordinator, reordered);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(*again) << "attendance is a set";

  MeetingRecord other = Minutes();
  other.cases[0].actions[1].due_on = *Date::Parse("d", "2026-04-02");
  const Result<bool> conflict = store->RecordMeeting(kCoordinator, other);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.status().code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(conflict.status().message(), HasSubstr("meeting_id"));
  EXPECT_EQ(store->Actions(kCoordinator)->at(1).due_on,
            *Date::Parse("d", "2026-03-26"))
      << "nothing was overwritten";
}

TEST_F(StoreTest, MinutesThatBreakARuleAreRefusedNamingTheField) {
  std::unique_ptr<Store> store = WithMeeting(Open());
  ASSERT_NE(store, nullptr);
  struct Bad {
    const char* label;
    std::function<void(MeetingRecord&)> change;
    const char* field;
  };
  const Bad bad[] = {
      {"UnknownMeeting", [](MeetingRecord& r) { r.meeting_id = "M-x"; },
       "meeting_id"},
      {"UnknownReferral",
       [](MeetingRecord& r) { r.cases[0].referral_id = "R9"; },
       "cases[0].referral_id"},
      {"CaseTwice", [](MeetingRecord& r) { r.cases[1].referral_id = "R1"; },
       "cases[1].referral_id"},
      {"AdjournedWithoutReason",
       [](MeetingRecord& r) { r.cases[1].reason = " "; }, "cases[1].reason"},
      {"ActionWithoutOwner",
       [](MeetingRecord& r) { r.cases[0].actions[0].owner = ""; },
       "cases[0].actions[0].owner"},
      {"DueBeforeTheMeeting",
       [](MeetingRecord& r) {
         r.cases[0].actions[1].due_on = *Date::Parse("d", "2026-03-01");
       },
       "cases[0].actions[1].due_on"},
      {"AgencyTwice",
       [](MeetingRecord& r) { r.attendance.push_back("Police"); },
       "attendance[3]"},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.label);
    MeetingRecord r = Minutes();
    b.change(r);
    const Result<bool> refused = store->RecordMeeting(kCoordinator, r);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(refused.status().message(), HasSubstr(b.field));
  }
  EXPECT_TRUE(store->MeetingRecords(kCoordinator)->empty())
      << "a refusal writes nothing";
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, AnActionChangeKeepsWhatItReplacedAndOnlyItsAgencyMayMakeIt) {
  std::unique_ptr<Store> store = WithMeeting(Open());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->RecordMeeting(kCoordinator, Minutes()).ok());
  const std::string locks = "M-2026-03-12-North/R1/2";

  const Actor police{"u-301", "referrer", "Police", "action update"};
  const Result<CaseAction> denied = store->UpdateAction(
      police, {locks, ActionStatus::kDone, kMeetingDay.AddDays(3), ""});
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied);

  const Actor housing{"u-550", "referrer", "Housing", "action update"};
  const Result<CaseAction> done = store->UpdateAction(
      housing, {locks, ActionStatus::kDone, kMeetingDay.AddDays(5),
                "fitted on Tuesday"});
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->status, ActionStatus::kDone);
  EXPECT_EQ(done->status_on, kMeetingDay.AddDays(5));
  // The coordinator reopens it: any agency's action.
  const Result<CaseAction> reopened = store->UpdateAction(
      kCoordinator,
      {locks, ActionStatus::kOpen, kMeetingDay.AddDays(6), "one lock missing"});
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_FALSE(reopened->status_on.has_value());

  const Result<CaseAction> one = store->GetAction(kCoordinator, locks);
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->status, ActionStatus::kOpen);
  EXPECT_EQ(one->note, "one lock missing");
  EXPECT_EQ(store->GetAction(kCoordinator, "M-x/R1/1").status().code(),
            StatusCode::kNotFound);

  const Result<std::vector<Store::ActionChange>> history =
      store->ActionHistory(kCoordinator, locks);
  ASSERT_TRUE(history.ok()) << history.status();
  ASSERT_EQ(history->size(), 2u) << "the refusal changed nothing";
  EXPECT_EQ((*history)[0].from_status, ActionStatus::kOpen);
  EXPECT_EQ((*history)[0].to_status, ActionStatus::kDone);
  EXPECT_EQ((*history)[0].user, "u-550");
  EXPECT_EQ((*history)[1].from_status, ActionStatus::kDone);
  EXPECT_EQ((*history)[1].from_status_on, kMeetingDay.AddDays(5));
  EXPECT_EQ((*history)[1].from_note, "fitted on Tuesday");
  EXPECT_EQ((*history)[1].to_note, "one lock missing");

  const Result<CaseAction> unknown = store->UpdateAction(
      kCoordinator, {"M-x/R1/1", ActionStatus::kDone, kMeetingDay, ""});
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
  const Result<CaseAction> early = store->UpdateAction(
      kCoordinator, {locks, ActionStatus::kDone, kMeetingDay.AddDays(-1), ""});
  EXPECT_EQ(early.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(early.status().message(), HasSubstr("on"));

  // Every attempt is on the log, the refusal with its code.
  const Result<std::vector<AuditEntry>> log =
      store->AuditMentioning(kCoordinator, locks, 0, 100);
  ASSERT_TRUE(log.ok()) << log.status();
  std::vector<std::string> outcomes;
  for (const AuditEntry& e : *log) {
    if (e.action == "alter") outcomes.push_back(e.outcome);
  }
  EXPECT_EQ(outcomes, (std::vector<std::string>{"PERMISSION_DENIED", "ok", "ok",
                                                "INVALID_ARGUMENT"}));
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, MigrationToVersionSixKeepsTheAgendasAndAddsRecords) {
  {
    std::unique_ptr<Store> old = Open({.schema_version = 5});
    ASSERT_NE(old, nullptr);
    old = WithMeeting(std::move(old));
    EXPECT_EQ(old->RecordMeeting(kCoordinator, Minutes()).status().code(),
              StatusCode::kFailedPrecondition);
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(store->Meetings(kCoordinator, "North")->size(), 1u);
  ASSERT_TRUE(store->RecordMeeting(kCoordinator, Minutes()).ok());
  EXPECT_EQ(store->Actions(kCoordinator)->size(), 2u);
}

}  // namespace
}  // namespace marac::store_test
