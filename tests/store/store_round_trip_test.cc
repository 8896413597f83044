// The SQLite store. Round trips of every table, refusals that write nothing,
// bad files and a locked database.
#include "tests/store/store_fixture.h"

namespace marac::store_test {
namespace {

TEST_F(StoreTest, RecordsReferralsAndPeopleRoundTripAndEveryCallIsAudited) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), LatestSchemaVersion());
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  const Result<std::vector<PersonRecord>> back = store->Records(kCoordinator);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[0].family_name, "Marlowe");
  EXPECT_EQ((*back)[0].previous_family_names,
            std::vector<std::string>{"Brannagh"});
  EXPECT_EQ((*back)[1].role, Role::kPerpetrator);

  const std::vector<StoredReferral> referrals = {Referral("R1", "sub-1")};
  const Result<std::vector<SubmitOutcome>> submitted =
      store->SubmitReferrals(kCoordinator, referrals);
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_FALSE((*submitted)[0].duplicate);
  const Result<StoredReferral> got = store->GetReferral(kCoordinator, "R1");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->children_in_household, 2);
  EXPECT_EQ(got->criteria, std::vector<std::string>{"visible_high_risk"});
  EXPECT_EQ(got->source, ReferralSource::kPolice);

  const std::vector<std::pair<std::string, std::string>> people = {
      {"V1", "P000001"}, {"X1", "P000002"}};
  const std::vector<PersonEvent> events = {
      {PersonEvent::Kind::kMerge, "P000001", "P000003"}};
  ASSERT_TRUE(store->SavePeople(kCoordinator, people, events).ok());
  EXPECT_EQ(*store->People(kCoordinator), people);
  ASSERT_EQ(store->PersonHistory(kCoordinator)->size(), 1u);

  const Actor auditor{"u-900", "auditor", "IG", "monthly check"};
  const Result<std::vector<AuditEntry>> audit = store->Audit(auditor, 0, 100);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> actions;
  for (const AuditEntry& e : *audit)
    actions.push_back(e.action + " " + e.object_type);
  EXPECT_THAT(actions,
              ::testing::ElementsAre("collect record", "consult record",
                                     "collect referral", "consult referral",
                                     "combine person", "consult person",
                                     "consult person"));
  EXPECT_EQ((*audit)[0].user, "u-017");
  EXPECT_EQ((*audit)[0].purpose, "agenda");
  EXPECT_EQ((*audit)[3].object_ids, std::vector<std::string>{"R1"});
}

TEST_F(StoreTest, ARetriedSubmissionIsTheSameReferral) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  const std::vector<StoredReferral> first = {Referral("R1", "sub-1")};
  ASSERT_TRUE(store->SubmitReferrals(kCoordinator, first).ok());
  // The retry carries a fresh referral id but the same submission id.
  const std::vector<StoredReferral> retry = {Referral("R9", "sub-1"),
                                             Referral("R2", "sub-2")};
  const Result<std::vector<SubmitOutcome>> again =
      store->SubmitReferrals(kCoordinator, retry);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)[0].duplicate);
  EXPECT_EQ((*again)[0].referral_id, "R1");
  EXPECT_FALSE((*again)[1].duplicate);
  EXPECT_EQ(store->Referrals(kCoordinator, "North", std::nullopt)->size(), 2u);
}

TEST_F(StoreTest, RefusalsNameTheFieldWriteNothingAndAreAudited) {
  std::unique_ptr<Store> store = Open();
  const std::vector<PersonRecord> records = {
      Person("V1", "Elspeth", "Marlowe", Role::kVictim),
      Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
  ASSERT_TRUE(store->PutRecords(kCoordinator, records).ok());
  const std::int64_t audit_before = Count("audit_log");
  // The second referral names a record the store does not hold: the first
  // must not be written either.
  StoredReferral unknown = Referral("R2", "sub-2");
  unknown.perpetrator_record_ids = {"X1", "NOPE"};
  const std::vector<StoredReferral> batch = {Referral("R1", "sub-1"), unknown};
  const Result<std::vector<SubmitOutcome>> r =
      store->SubmitReferrals(kCoordinator, batch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(),
              HasSubstr("referrals[1].perpetrator_record_ids[1]"));
  EXPECT_EQ(Count("referrals"), 0);
  EXPECT_EQ(Count("audit_log"), audit_before + 1) << "refusal audited";

  const std::vector<StoredReferral> no_area = {[] {
    StoredReferral x = Referral("R3", "sub-3");
    x.area.clear();
    return x;
  }()};
  EXPECT_THAT(store->SubmitReferrals(kCoordinator, no_area).status().message(),
              HasSubstr("referrals[0].area"));
  const Actor nobody{"", "referrer", "Police", "x"};
  EXPECT_THAT(store->PutRecords(nobody, records).message(),
              HasSubstr("actor.user"));
  const Actor no_reason{"u-1", "idva", "IDVA", ""};
  EXPECT_THAT(store->Records(no_reason).status().message(),
              HasSubstr("actor.purpose"));
  EXPECT_EQ(store->GetReferral(kCoordinator, "R404").status().code(),
            StatusCode::kNotFound);
  Meeting bad{"M1",
              "North",
              *Date::Parse("d", "2026-04-01"),
              *Date::Parse("d", "2026-04-02"),
              16,
              0};
  EXPECT_THAT(store->PutMeeting(kCoordinator, bad).message(),
              HasSubstr("meeting.referral_cutoff"));
}

TEST_F(StoreTest, IdvaSupportRoundTripsReplacesAndRefusesWhatCannotBe) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  const std::vector<StoredReferral> referrals = {Referral("R1", "sub-1")};
  ASSERT_TRUE(store->SubmitReferrals(kCoordinator, referrals).ok());
  const Date allocated = *Date::Parse("d", "2026-03-04");
  const std::vector<IdvaSupport> first = {
      {"R1", "IDVA-North", allocated, IdvaEngagement::kNotKnown, std::nullopt}};
  ASSERT_TRUE(store->PutIdvaSupport(kCoordinator, first).ok());
  // Engagement recorded later replaces the row.
  const std::vector<IdvaSupport> engaged = {{"R1", "IDVA-North", allocated,
                                             IdvaEngagement::kEngaged,
                                             *Date::Parse("d", "2026-06-30")}};
  ASSERT_TRUE(store->PutIdvaSupport(kCoordinator, engaged).ok());
  const Result<std::vector<IdvaSupport>> back =
      store->IdvaSupports(kCoordinator);
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].engagement, IdvaEngagement::kEngaged);
  EXPECT_EQ((*back)[0].closed_on, *Date::Parse("d", "2026-06-30"));

  struct Bad {
    const char* label;
    IdvaSupport support;
    const char* field;
  };
  const Bad bad[] = {
      {"UnknownReferral",
       {"R9", "IDVA-North", allocated, IdvaEngagement::kEngaged, std::nullopt},
       "idva_support[0].referral_id"},
      {"NoService",
       {"R1", "", allocated, IdvaEngagement::kEngaged, std::nullopt},
       "idva_support[0].idva_service"},
      {"ClosedBeforeAllocated",
       {"R1", "IDVA-North", allocated, IdvaEngagement::kEngaged,
        allocated.AddDays(-1)},
       "idva_support[0].closed_on"},
      {"AllocatedBeforeReferral",
       {"R1", "IDVA-North", *Date::Parse("d", "2026-03-01"),
        IdvaEngagement::kEngaged, std::nullopt},
       "idva_support[0].allocated_on"},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.label);
    const std::vector<IdvaSupport> one = {b.support};
    const Status s = store->PutIdvaSupport(kCoordinator, one);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(s.message(), HasSubstr(b.field));
  }
  EXPECT_EQ(store->IdvaSupports(kCoordinator)->at(0).engagement,
            IdvaEngagement::kEngaged)
      << "a refusal changes nothing";
  EXPECT_EQ(ParseIdvaEngagement("engagement", "maybe").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, AnAgendaKeepsWhatItListedInRankOrder) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  const std::vector<StoredReferral> referrals = {
      Referral("R1", "s-1"), Referral("R2", "s-2"), Referral("R3", "s-3")};
  ASSERT_TRUE(store->SubmitReferrals(kCoordinator, referrals).ok());
  const Date day = *Date::Parse("d", "2026-04-09");
  const Meeting april{"M-2026-04-09-North", "North", day,
                      day.AddDays(-7),      2,       0};
  const StoredAgenda agenda{
      april.meeting_id, april.meeting_id, "v", "{}", {"R3", "R1"}};
  ASSERT_TRUE(store->SaveMeetingAgenda(kCoordinator, april, agenda).ok());

  const Result<StoredAgenda> back =
      store->GetAgenda(kCoordinator, "M-2026-04-09-North");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->listed_referral_ids, (std::vector<std::string>{"R3", "R1"}));
  const Result<std::vector<StoredAgenda>> all = store->Agendas(kCoordinator);
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].listed_referral_ids,
            (std::vector<std::string>{"R3", "R1"}));
  const Result<std::vector<AgendaListing>> listings =
      store->AgendaListings(kCoordinator);
  ASSERT_TRUE(listings.ok()) << listings.status();
  ASSERT_EQ(listings->size(), 1u);
  EXPECT_EQ((*listings)[0].meeting_id, april.meeting_id);
  EXPECT_EQ((*listings)[0].referral_ids,
            (std::vector<std::string>{"R3", "R1"}));

  // A listing with an empty id is refused whole: no meeting, no agenda.
  const Meeting may{"M-2026-05-07-North", "North", day.AddDays(28),
                    day.AddDays(21),      2,       0};
  const StoredAgenda bad{may.meeting_id, may.meeting_id, "v", "{}", {"R2", ""}};
  const Status refused = store->SaveMeetingAgenda(kCoordinator, may, bad);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("agenda.listed_referral_ids[1]"));
  EXPECT_EQ(store->Meetings(kCoordinator, "North")->size(), 1u);
  EXPECT_EQ(store->AgendaListings(kCoordinator)->size(), 1u);
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, AMissingReferentIsNotADuplicate) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  StoredReferral unknown = Referral("R1", "sub-1");
  unknown.assessment_id = "A-none";
  const std::vector<StoredReferral> one = {unknown};
  const Result<std::vector<SubmitOutcome>> refused =
      store->SubmitReferrals(kCoordinator, one);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("referrals[0].assessment_id"));
  // A repeated key is still a duplicate, naming the field.
  const std::vector<StoredIncident> incident = {
      {"I1", *Date::Parse("d", "2026-03-01"), "North", "V1", {"X1"}, "police"}};
  ASSERT_TRUE(store->PutIncidents(kCoordinator, incident).ok());
  const Status again = store->PutIncidents(kCoordinator, incident);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_THAT(again.message(), HasSubstr("incident_id"));
}

TEST_F(StoreTest, ADateItCouldNotReadBackIsRefused) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  // A week before 0001-01-03 is in year 0: stored, it would make every
  // later read of the meetings fail.
  const Date first{1, 1, 3};
  const Meeting meeting{"M-1", "North", first, first.AddDays(-7), 16, 0};
  const Status refused = store->PutMeeting(kCoordinator, meeting);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("meeting.referral_cutoff"));
  const Result<std::vector<Meeting>> meetings =
      store->Meetings(kCoordinator, "");
  ASSERT_TRUE(meetings.ok()) << meetings.status();
  EXPECT_TRUE(meetings->empty());
  StoredReferral r = Referral("R1", "sub-1");
  r.referred_on = Date{2026, 2, 30};
  const std::vector<StoredReferral> bad = {r};
  EXPECT_THAT(store->SubmitReferrals(kCoordinator, bad).status().message(),
              HasSubstr("referrals[0].referred_on"));
}

TEST_F(StoreTest, BadFilesAreClearErrors) {
  if (!postgres()) {
    std::ofstream(Path("text.db")) << "this is not a database, just some "
                                      "text that happens to be long enough\n";
    Result<std::unique_ptr<Store>> text = OpenSqliteStore(Path("text.db"));
    ASSERT_FALSE(text.ok());
    EXPECT_EQ(text.status().code(), StatusCode::kDataLoss);
    EXPECT_THAT(text.status().message(), HasSubstr("text.db"));
    EXPECT_THAT(text.status().message(), HasSubstr("not a database"));

    Result<std::unique_ptr<Store>> absent =
        OpenSqliteStore(Path("absent.db"), {.create = false});
    ASSERT_FALSE(absent.ok());
    EXPECT_EQ(absent.status().code(), StatusCode::kNotFound);
  } else {
    // A server that is not there.
    Result<std::unique_ptr<Store>> absent =
        OpenStore("postgresql://postgres@127.0.0.1:1/none");
    ASSERT_FALSE(absent.ok());
    EXPECT_EQ(absent.status().code(), StatusCode::kUnavailable);
    EXPECT_THAT(absent.status().message(), HasSubstr("cannot connect"));
  }

  // A store from a newer build.
  { std::unique_ptr<Store> store = Open(); }
  ASSERT_EQ(Sql(postgres() ? "UPDATE marac_schema SET version = 99"
                           : "PRAGMA user_version = 99"),
            "");
  Result<std::unique_ptr<Store>> newer = OpenStore(Location());
  ASSERT_FALSE(newer.ok());
  EXPECT_EQ(newer.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(newer.status().message(), HasSubstr("newer"));
}

TEST_F(StoreTest, ALockedStoreIsUnavailableAndLosesNothing) {
  std::unique_ptr<Store> store = Open({.busy_timeout_ms = 50});
  const std::vector<PersonRecord> records = {
      Person("V1", "Elspeth", "Marlowe", Role::kVictim)};
  ASSERT_TRUE(store->PutRecords(kCoordinator, records).ok());
  // Another process holds the write lock.
  std::unique_ptr<WriteLock> other = HoldWriteLock();
  ASSERT_TRUE(other->held());
  const std::vector<PersonRecord> more = {
      Person("V2", "Wren", "Ellery", Role::kVictim)};
  const Status locked = store->PutRecords(kCoordinator, more);
  EXPECT_EQ(locked.code(), StatusCode::kUnavailable);
  EXPECT_THAT(locked.message(), HasSubstr("locked"));
  other.reset();
  EXPECT_EQ(store->Records(kCoordinator)->size(), 1u);
  ASSERT_TRUE(store->PutRecords(kCoordinator, more).ok()) << "works again";
}

// A database restart or failover between calls: the store reconnects at
// its next call, with the session's settings, and loses nothing committed.
TEST_F(StoreTest, ALostDatabaseConnectionIsReplacedAtTheNextCall) {
  if (!postgres()) GTEST_SKIP() << "a SQLite store has no connection to lose";
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  // Every other session on the database ends, as on a server restart.
  ASSERT_EQ(Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> "
                "pg_backend_pid()"),
            "");
  const Result<std::vector<PersonRecord>> after = store->Records(kCoordinator);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->size(), 2u);
  const std::vector<PersonRecord> more = {
      Person("V2", "Wren", "Ellery", Role::kVictim)};
  EXPECT_TRUE(store->PutRecords(kCoordinator, more).ok());
  ExpectAuditIntact(*store);
}

}  // namespace
}  // namespace marac::store_test
