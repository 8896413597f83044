// The SQLite store: round trips, audit of every call, strict refusals that
// write nothing, migrations, bad files, a locked database, and acknowledged
// writes surviving a kill. People here are invented.
#include "marac/store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "marac/store/referral_writer.h"
#include "tests/common/late_caller.h"

namespace marac {
namespace {

using ::testing::HasSubstr;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("marac-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name = "marac.db") const {
    return (dir_ / name).string();
  }
  std::unique_ptr<Store> Open(const StoreOptions& options = {}) {
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(Path(), options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::filesystem::path dir_;
};

const Actor kCoordinator{"u-017", "coordinator", "MARAC-North", "agenda"};

// The store's audit hash chain verifies from its first entry.
void ExpectAuditIntact(Store& store) {
  const Result<AuditVerification> v = store.VerifyAudit(kCoordinator, {});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->intact) << v->problem;
}

PersonRecord Person(std::string id, std::string given, std::string family,
                    Role role) {
  PersonRecord r;
  r.record_id = std::move(id);
  r.source = "police";
  r.given_name = std::move(given);
  r.family_name = std::move(family);
  r.dob = "1990-07-03";
  r.postcode = "LS6 2AB";
  r.address_line = "1 Quay Row";
  r.previous_family_names = {"Brannagh"};
  r.role = role;
  return r;
}

// Victim V1 and perpetrator X1, whom the referrals below name.
Status PutVictimAndPerpetrator(Store& store) {
  const std::vector<PersonRecord> records = {
      Person("V1", "Elspeth", "Marlowe", Role::kVictim),
      Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
  return store.PutRecords(kCoordinator, records);
}

StoredReferral Referral(std::string id, std::string submission) {
  StoredReferral r;
  r.referral_id = std::move(id);
  r.submission_id = std::move(submission);
  r.area = "North";
  r.agency = "Police";
  r.source = ReferralSource::kPolice;
  r.referred_on = *Date::Parse("d", "2026-03-02");
  r.victim_record_id = "V1";
  r.perpetrator_record_ids = {"X1"};
  r.criteria = {"visible_high_risk"};
  r.children_in_household = 2;
  return r;
}

std::int64_t Count(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &s,
                     nullptr);
  std::int64_t n = -1;
  if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return n;
}

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
  const std::int64_t audit_before = Count(Path(), "audit_log");
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
  EXPECT_EQ(Count(Path(), "referrals"), 0);
  EXPECT_EQ(Count(Path(), "audit_log"), audit_before + 1) << "refusal audited";

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

TEST_F(StoreTest, ABulkWriteIsAuditedAsBoundedEntriesKeepingEveryId) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<PersonRecord> records;
  for (int i = 0; i < 1000; ++i) {
    records.push_back(
        Person("BULK-" + std::to_string(i), "Tegan", "Madeup", Role::kVictim));
  }
  ASSERT_TRUE(store->PutRecords(kCoordinator, records).ok());
  const Result<std::vector<AuditEntry>> log =
      store->Audit(kCoordinator, 0, 100);
  ASSERT_TRUE(log.ok()) << log.status();
  std::set<std::string> named;
  int entries = 0;
  for (const AuditEntry& e : *log) {
    if (e.object_type != "record") continue;
    ++entries;
    EXPECT_LE(e.object_ids.size(), kMaxAuditIdsPerEntry);
    named.insert(e.object_ids.begin(), e.object_ids.end());
  }
  EXPECT_EQ(entries, 4);  // 256 + 256 + 256 + 232.
  EXPECT_EQ(named.size(), 1000u);
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, APurposeLongerThanTheLimitIsRefusedNamingIt) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  Actor verbose = kCoordinator;
  verbose.purpose = std::string(kMaxPurposeBytes + 1, 'p');
  const Result<std::vector<PersonRecord>> read = store->Records(verbose);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("actor.purpose"));
  verbose.purpose.pop_back();  // At the limit: fine.
  EXPECT_TRUE(store->Records(verbose).ok());
}

TEST_F(StoreTest, DisclosuresAreFoundByTheExactIdTheyName) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  Actor idva{"idva-7", "idva", "IDVA-North", "safety planning"};
  const std::vector<std::string> page = {"R-1", "R-10", "R-2"};
  ASSERT_TRUE(store->AuditDisclosure(idva, "referral", page).ok());
  Actor chair{"chair-2", "chair", "MARAC-North", "chairing"};
  const std::vector<std::string> one = {"R-10"};
  ASSERT_TRUE(store->AuditDisclosure(chair, "referral", one).ok());
  // "R-1" is inside "R-10": only entries naming R-1 itself are found.
  const auto r1 = store->AuditMentioning(kCoordinator, "R-1", 0, 100);
  ASSERT_TRUE(r1.ok()) << r1.status();
  ASSERT_EQ(r1->size(), 1u);
  EXPECT_EQ((*r1)[0].user, "idva-7");
  EXPECT_EQ((*r1)[0].action, "disclose");
  EXPECT_EQ((*r1)[0].purpose, "safety planning");
  const auto r10 = store->AuditMentioning(kCoordinator, "R-10", 0, 100);
  ASSERT_TRUE(r10.ok());
  EXPECT_EQ(r10->size(), 2u);
  // Paged: after the first, the second, then the look-up just made (it
  // names what it looked for).
  const auto after =
      store->AuditMentioning(kCoordinator, "R-10", (*r10)[0].sequence, 100);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].user, "chair-2");
  EXPECT_EQ((*after)[1].object_type, "audit_log");
  EXPECT_EQ((*after)[1].action, "consult");
  // The look-up is itself on the log, naming what was looked for.
  const auto lookups = store->AuditMentioning(kCoordinator, "R-2", 0, 100);
  ASSERT_TRUE(lookups.ok());
  ASSERT_EQ(lookups->size(), 1u);  // The idva's page (look-ups follow).
  const auto log = store->Audit(kCoordinator, 0, 100);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ(log->back().object_type, "audit_log");
  EXPECT_EQ(log->back().object_ids, std::vector<std::string>{"R-2"});
  // A disclosure must say why.
  Actor silent = idva;
  silent.purpose.clear();
  EXPECT_EQ(store->AuditDisclosure(silent, "referral", page).code(),
            StatusCode::kInvalidArgument);
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, TheAuditLogIsAppendOnly) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(store->PutRecords(kCoordinator, {}).ok());
  store.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(Path().c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET user = 'someone'", nullptr,
                         nullptr, &message),
            SQLITE_OK);
  EXPECT_THAT(std::string(message ? message : ""), HasSubstr("append-only"));
  sqlite3_free(message);
  EXPECT_NE(
      sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  EXPECT_EQ(Count(Path(), "audit_log"), 1);
}

TEST_F(StoreTest, MigratesFromEmptyAndFromThePreviousSchema) {
  {
    // A file at version 1, with data in it.
    std::unique_ptr<Store> old = Open({.schema_version = 1});
    ASSERT_NE(old, nullptr);
    EXPECT_EQ(old->SchemaVersion(), 1);
    const std::vector<PersonRecord> records = {
        Person("V1", "Elspeth", "Marlowe", Role::kVictim),
        Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
    ASSERT_TRUE(old->PutRecords(kCoordinator, records).ok());
    const std::vector<ReviewDecision> decisions = {{"V1", "X1", false, "", ""}};
    EXPECT_EQ(old->PutReviewDecisions(kCoordinator, decisions).code(),
              StatusCode::kFailedPrecondition);
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), LatestSchemaVersion());
  EXPECT_EQ(store->Records(kCoordinator)->size(), 2u) << "data kept";
  const std::vector<ReviewDecision> decisions = {{"X1", "V1", false, "", ""}};
  ASSERT_TRUE(store->PutReviewDecisions(kCoordinator, decisions).ok());
  const Result<std::vector<ReviewDecision>> back =
      store->ReviewDecisions(kCoordinator);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ((*back)[0].record_id_l, "V1") << "pairs stored in order";
  EXPECT_EQ((*back)[0].decided_by, "u-017");
  // And from nothing, a second file.
  Result<std::unique_ptr<Store>> fresh = OpenSqliteStore(Path("fresh.db"));
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*fresh)->SchemaVersion(), LatestSchemaVersion());
}

StoredAssessment Assessment(std::string id, std::string instrument_version) {
  StoredAssessment a;
  a.assessment_id = std::move(id);
  a.victim_record_id = "V1";
  a.instrument = "safelives-ric";
  a.instrument_version = std::move(instrument_version);
  a.policy_version = "marac-default-2026.1";
  a.completed_on = *Date::Parse("d", "2026-03-01");
  a.score = 15;
  a.grade = "high";
  a.marac_referral = true;
  a.criteria = {"visible_high_risk"};
  a.result_json = "{}";
  return a;
}

TEST_F(StoreTest, MigratesFromVersionTwoKeepingAssessmentsAndAddingIdva) {
  const std::vector<PersonRecord> records = {
      Person("V1", "Elspeth", "Marlowe", Role::kVictim),
      Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
  {
    std::unique_ptr<Store> old = Open({.schema_version = 2});
    ASSERT_NE(old, nullptr);
    ASSERT_TRUE(old->PutRecords(kCoordinator, records).ok());
    const std::vector<StoredAssessment> before = {Assessment("A1", "")};
    ASSERT_TRUE(old->PutAssessments(kCoordinator, before).ok());
    const std::vector<StoredReferral> referrals = {Referral("R1", "sub-1")};
    ASSERT_TRUE(old->SubmitReferrals(kCoordinator, referrals).ok());
    const std::vector<IdvaSupport> support = {
        {"R1", "IDVA-North", *Date::Parse("d", "2026-03-03"),
         IdvaEngagement::kEngaged, std::nullopt}};
    EXPECT_EQ(old->PutIdvaSupport(kCoordinator, support).code(),
              StatusCode::kFailedPrecondition);
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), LatestSchemaVersion());
  const Result<std::vector<StoredAssessment>> kept =
      store->Assessments(kCoordinator);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ((*kept)[0].instrument_version, "") << "not known before v3";
  EXPECT_EQ((*kept)[0].score, 15);
  // From version 3 on, the instrument version is required and kept.
  const std::vector<StoredAssessment> unversioned = {Assessment("A2", "")};
  const Status refused = store->PutAssessments(kCoordinator, unversioned);
  EXPECT_EQ(refused.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.message(),
              HasSubstr("assessments[0].instrument_version"));
  const std::vector<StoredAssessment> versioned = {Assessment("A2", "2025.1")};
  ASSERT_TRUE(store->PutAssessments(kCoordinator, versioned).ok());
  EXPECT_EQ(store->Assessments(kCoordinator)->back().instrument_version,
            "2025.1");
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

// Runs `sql` on the file behind the store's back, as someone with the
// file and the sqlite3 shell could.
void Tamper(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message),
            SQLITE_OK)
      << (message ? message : "");
  sqlite3_free(message);
  sqlite3_close(db);
}

TEST_F(StoreTest, TheAuditChainVerifiesAndDetectsEveryKindOfTampering) {
  const Actor auditor{"u-900", "auditor", "IG", "chain check"};
  std::int64_t head = 0;
  std::string head_hash;
  {
    std::unique_ptr<Store> store = Open();
    ASSERT_NE(store, nullptr);
    const std::vector<PersonRecord> records = {
        Person("V1", "Elspeth", "Marlowe", Role::kVictim),
        Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
    ASSERT_TRUE(store->PutRecords(kCoordinator, records).ok());
    for (int k = 0; k < 5; ++k) {
      ASSERT_TRUE(store->Records(kCoordinator).ok());
    }
    const Result<AuditVerification> v = store->VerifyAudit(auditor, {});
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->intact) << v->problem;
    EXPECT_EQ(v->entries, 6);
    EXPECT_EQ(v->head_sequence, 6);
    EXPECT_EQ(v->head_hash.size(), 64u);
    head = v->head_sequence;
    head_hash = v->head_hash;
    // The verification was audited after what it checked, and chains on.
    const Result<AuditVerification> again =
        store->VerifyAudit(auditor, {{head, head_hash}});
    ASSERT_TRUE(again.ok());
    EXPECT_TRUE(again->intact) << again->problem;
    EXPECT_EQ(again->entries, 7);
    const Result<std::vector<AuditEntry>> log = store->Audit(auditor, 0, 100);
    ASSERT_TRUE(log.ok());
    EXPECT_EQ((*log)[1].prev_hash, (*log)[0].row_hash);
    EXPECT_EQ((*log)[6].action, "consult");
    EXPECT_EQ((*log)[6].user, "u-900");
  }
  // Each tampering on a copy of the file, then verified.
  struct Case {
    const char* label;
    const char* sql;
    std::int64_t broken_at;
    const char* says;
  };
  const Case cases[] = {
      {"Altered",
       "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user = "
       "'someone' WHERE sequence = 3",
       3, "altered"},
      {"RemovedInTheMiddle",
       "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE "
       "sequence = 4",
       5, "removed or inserted"},
      {"RemovedAndRenumbered",
       "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_update; "
       "DELETE FROM audit_log WHERE sequence = 4; UPDATE audit_log SET "
       "sequence = sequence - 1 WHERE sequence > 4",
       4, "does not chain"},
      {"TailCutBackPastTheHead",
       "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE "
       "sequence >= 6",
       6, "before the recorded head"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string copy = Path(std::string(c.label) + ".db");
    std::filesystem::copy_file(Path(), copy);
    Tamper(copy, c.sql);
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(copy);
    ASSERT_TRUE(store.ok()) << store.status();
    const Result<AuditVerification> v =
        (*store)->VerifyAudit(auditor, {{head, head_hash}});
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_FALSE(v->intact);
    EXPECT_EQ(v->broken_at, c.broken_at) << v->problem;
    EXPECT_THAT(v->problem, HasSubstr(c.says));
  }
}

TEST_F(StoreTest, MigrationToVersionFourChainsTheEntriesAlreadyThere) {
  {
    std::unique_ptr<Store> old = Open({.schema_version = 3});
    ASSERT_NE(old, nullptr);
    const std::vector<PersonRecord> records = {
        Person("V1", "Elspeth", "Marlowe", Role::kVictim)};
    ASSERT_TRUE(old->PutRecords(kCoordinator, records).ok());
    ASSERT_TRUE(old->Records(kCoordinator).ok());
    const Actor auditor{"u-900", "auditor", "IG", "chain check"};
    EXPECT_EQ(old->VerifyAudit(auditor, {}).status().code(),
              StatusCode::kFailedPrecondition);
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion(), 4);
  const Actor auditor{"u-900", "auditor", "IG", "chain check"};
  const Result<AuditVerification> v = store->VerifyAudit(auditor, {});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->intact) << v->problem;
  EXPECT_EQ(v->entries, 2) << "both written at version 3";
  // Still append-only after the migration lifted and restored the trigger.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(Path().c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET user = 'x'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
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
  std::ofstream(Path("text.db")) << "this is not a database, just some text "
                                    "that happens to be long enough\n";
  Result<std::unique_ptr<Store>> text = OpenSqliteStore(Path("text.db"));
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kDataLoss);
  EXPECT_THAT(text.status().message(), HasSubstr("text.db"));
  EXPECT_THAT(text.status().message(), HasSubstr("not a database"));

  Result<std::unique_ptr<Store>> absent =
      OpenSqliteStore(Path("absent.db"), {.create = false});
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.status().code(), StatusCode::kNotFound);

  // A file from a newer build.
  { std::unique_ptr<Store> store = Open(); }
  sqlite3* db = nullptr;
  sqlite3_open(Path().c_str(), &db);
  sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  Result<std::unique_ptr<Store>> newer = OpenSqliteStore(Path());
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
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(Path().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
            SQLITE_OK);
  const std::vector<PersonRecord> more = {
      Person("V2", "Wren", "Ellery", Role::kVictim)};
  const Status locked = store->PutRecords(kCoordinator, more);
  EXPECT_EQ(locked.code(), StatusCode::kUnavailable);
  EXPECT_THAT(locked.message(), HasSubstr("locked"));
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_EQ(store->Records(kCoordinator)->size(), 1u);
  ASSERT_TRUE(store->PutRecords(kCoordinator, more).ok()) << "works again";
}

TEST_F(StoreTest, SubmitEachRefusesOneAndWritesTheRest) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  StoredReferral unknown = Referral("R2", "sub-2");
  unknown.victim_record_id = "NOPE";
  const Actor idva{"u-031", "idva", "IDVA-North", ""};
  const std::vector<Store::Submission> batch = {
      {kCoordinator, Referral("R1", "sub-1")},
      {idva, unknown},
      {idva, Referral("R3", "sub-3")},
      {kCoordinator, Referral("R9", "sub-1")}};  // A retry of the first.
  const Result<std::vector<Result<SubmitOutcome>>> out =
      store->SubmitEach(batch);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 4u);
  EXPECT_TRUE((*out)[0].ok());
  ASSERT_FALSE((*out)[1].ok());
  EXPECT_THAT((*out)[1].status().message(),
              HasSubstr("referral.victim_record_id"));
  EXPECT_TRUE((*out)[2].ok());
  ASSERT_TRUE((*out)[3].ok());
  EXPECT_TRUE((*out)[3]->duplicate);
  EXPECT_EQ((*out)[3]->referral_id, "R1");
  EXPECT_EQ(Count(Path(), "referrals"), 2);
  // One audit row each, under each caller's name.
  const Actor auditor{"u-900", "auditor", "IG", "check"};
  const Result<std::vector<AuditEntry>> audit = store->Audit(auditor, 0, 100);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> rows;
  for (const AuditEntry& e : *audit) {
    if (e.object_type == "referral") rows.push_back(e.user + " " + e.outcome);
  }
  EXPECT_THAT(rows, ::testing::ElementsAre("u-017 ok", "u-031 INVALID_ARGUMENT",
                                           "u-031 ok", "u-017 ok"));
}

TEST_F(StoreTest, TheWriterBatchesConcurrentSubmissionsAndAnswersAfterCommit) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  constexpr int kThreads = 6;
  constexpr int kEach = 60;
  std::size_t batches = 0;
  {
    ReferralWriter writer(*store);
    std::vector<std::thread> clients;
    std::vector<int> ok(kThreads, 0);
    for (int t = 0; t < kThreads; ++t) {
      clients.emplace_back([&, t] {
        for (int k = 0; k < kEach; ++k) {
          const std::string id =
              "R" + std::to_string(t) + "-" + std::to_string(k);
          Result<SubmitOutcome> r =
              writer.Submit(kCoordinator, Referral(id, "sub-" + id)).get();
          if (r.ok() && !r->duplicate) ++ok[static_cast<std::size_t>(t)];
        }
      });
    }
    for (std::thread& c : clients) c.join();
    for (const int n : ok) EXPECT_EQ(n, kEach);
    batches = writer.batches();
    writer.Stop();
    const Result<SubmitOutcome> late =
        writer.Submit(kCoordinator, Referral("late", "sub-late")).get();
    EXPECT_EQ(late.status().code(), StatusCode::kUnavailable);
  }
  EXPECT_EQ(Count(Path(), "referrals"), kThreads * kEach);
  EXPECT_LE(batches, static_cast<std::size_t>(kThreads * kEach));
  EXPECT_GT(batches, 0u);
}

TEST_F(StoreTest, AFullWriterQueueRefusesAtOnce) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  ReferralWriter writer(*store, {.max_batch = 1, .max_queue = 1});
  std::vector<std::future<Result<SubmitOutcome>>> futures;
  for (int k = 0; k < 50; ++k) {
    const std::string id = "R" + std::to_string(k);
    futures.push_back(writer.Submit(kCoordinator, Referral(id, "sub-" + id)));
  }
  int refused = 0;
  int written = 0;
  for (auto& f : futures) {
    const Result<SubmitOutcome> r = f.get();
    if (r.ok()) {
      ++written;
    } else {
      EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
      EXPECT_THAT(r.status().message(), HasSubstr("queue is full"));
      ++refused;
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_EQ(Count(Path(), "referrals"), written);
}

TEST_F(StoreTest, AFullDiskIsUnavailableAndLosesNothingAcknowledged) {
  {
    std::unique_ptr<Store> store = Open();
    const std::vector<PersonRecord> records = {
        Person("V1", "Elspeth", "Marlowe", Role::kVictim),
        Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
    ASSERT_TRUE(store->PutRecords(kCoordinator, records).ok());
  }
  // The same file with a quota just above its size: writes fill it.
  const std::int64_t pages =
      static_cast<std::int64_t>(std::filesystem::file_size(Path()) / 4096) + 8;
  std::unique_ptr<Store> store = Open({.max_pages = pages});
  ASSERT_NE(store, nullptr);
  std::set<std::string> acknowledged;
  Status last;
  for (int k = 0; k < 5000 && last.ok(); ++k) {
    const std::string id = "R" + std::to_string(k);
    StoredReferral r = Referral(id, "sub-" + id);
    r.criteria.assign(20, std::string(200, 'c'));  // Fill pages quickly.
    const std::vector<StoredReferral> one = {r};
    const Result<std::vector<SubmitOutcome>> out =
        store->SubmitReferrals(kCoordinator, one);
    last = out.status();
    if (out.ok()) acknowledged.insert(id);
  }
  ASSERT_FALSE(last.ok()) << "the quota was never reached";
  EXPECT_EQ(last.code(), StatusCode::kUnavailable);
  EXPECT_THAT(last.message(), HasSubstr("disk is full"));
  ASSERT_FALSE(acknowledged.empty());
  store.reset();
  std::unique_ptr<Store> reopened = Open();
  const Result<std::vector<StoredReferral>> all =
      reopened->Referrals(kCoordinator, "", std::nullopt);
  ASSERT_TRUE(all.ok());
  std::set<std::string> stored;
  for (const StoredReferral& r : *all) stored.insert(r.referral_id);
  EXPECT_EQ(stored, acknowledged);
}

TEST_F(StoreTest, AcknowledgedWritesSurviveAKill) {
  {
    std::unique_ptr<Store> store = Open();
    const std::vector<PersonRecord> records = {
        Person("V1", "Elspeth", "Marlowe", Role::kVictim),
        Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
    ASSERT_TRUE(store->PutRecords(kCoordinator, records).ok());
  }
  std::set<std::string> acknowledged;
  for (int round = 0; round < 3; ++round) {
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // The writer: acknowledges each referral on the pipe after commit.
      close(pipe_fds[0]);
      Result<std::unique_ptr<Store>> store = OpenSqliteStore(Path());
      if (!store.ok()) _exit(2);
      for (int k = 0;; ++k) {
        const std::string id =
            "R" + std::to_string(round) + "-" + std::to_string(k);
        const std::vector<StoredReferral> one = {Referral(id, "sub-" + id)};
        if (!(*store)->SubmitReferrals(kCoordinator, one).ok()) _exit(3);
        const std::string line = id + "\n";
        if (write(pipe_fds[1], line.data(), line.size()) < 0) _exit(4);
      }
    }
    close(pipe_fds[1]);
    usleep(static_cast<useconds_t>(150'000 + 50'000 * round));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) {
      text.append(buffer, static_cast<std::size_t>(n));
    }
    close(pipe_fds[0]);
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos;
         start = end + 1) {
      acknowledged.insert(text.substr(start, end - start));
    }
  }
  ASSERT_GT(acknowledged.size(), 3u) << "the writer made progress";
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr) << "reopens after the kills";
  const Result<std::vector<StoredReferral>> all =
      store->Referrals(kCoordinator, "", std::nullopt);
  ASSERT_TRUE(all.ok());
  std::set<std::string> stored;
  for (const StoredReferral& r : *all) stored.insert(r.referral_id);
  for (const std::string& id : acknowledged) {
    EXPECT_TRUE(stored.contains(id)) << id << " was acknowledged but lost";
  }
}

// ---- Deadlines --------------------------------------------------------------

Actor WithDeadline(Actor actor, const Deadline& deadline) {
  actor.deadline = deadline;
  return actor;
}

// `count` invented records, R0000 on.
std::vector<PersonRecord> ManyPeople(int count) {
  std::vector<PersonRecord> out;
  for (int i = 0; i < count; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "R%04d", i);
    out.push_back(Person(id, "Given" + std::to_string(i % 37),
                         "Family" + std::to_string(i % 101), Role::kVictim));
  }
  return out;
}

struct ReadCase {
  const char* label;
  const char* reading;  // What the message says was being read.
  Status (*read)(Store&, const Actor&);
};
constexpr ReadCase kReads[] = {
    {"Records", "record",
     [](Store& s, const Actor& a) { return s.Records(a).status(); }},
    {"People", "person",
     [](Store& s, const Actor& a) { return s.People(a).status(); }},
    {"PersonHistory", "person",
     [](Store& s, const Actor& a) { return s.PersonHistory(a).status(); }},
    {"Incidents", "incident",
     [](Store& s, const Actor& a) { return s.Incidents(a).status(); }},
    {"Assessments", "assessment",
     [](Store& s, const Actor& a) { return s.Assessments(a).status(); }},
    {"GetReferral", "referral",
     [](Store& s, const Actor& a) { return s.GetReferral(a, "R1").status(); }},
    {"Referrals", "referral",
     [](Store& s, const Actor& a) {
       return s.Referrals(a, "", std::nullopt).status();
     }},
    {"IdvaSupports", "idva_support",
     [](Store& s, const Actor& a) { return s.IdvaSupports(a).status(); }},
    {"Meetings", "meeting",
     [](Store& s, const Actor& a) { return s.Meetings(a, "").status(); }},
    {"GetAgenda", "agenda",
     [](Store& s, const Actor& a) { return s.GetAgenda(a, "M1").status(); }},
    {"Agendas", "agenda",
     [](Store& s, const Actor& a) { return s.Agendas(a).status(); }},
    {"ReviewDecisions", "review_decision",
     [](Store& s, const Actor& a) { return s.ReviewDecisions(a).status(); }},
    {"Audit", "audit_log",
     [](Store& s, const Actor& a) { return s.Audit(a, 0, 100).status(); }},
    {"VerifyAudit", "audit_log",
     [](Store& s, const Actor& a) { return s.VerifyAudit(a, {}).status(); }},
};

TEST_F(StoreTest, AReadPastItsDeadlineStopsAndLeavesTheStoreAsItWas) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  const std::vector<StoredReferral> referrals = {Referral("R1", "sub-1")};
  ASSERT_TRUE(store->SubmitReferrals(kCoordinator, referrals).ok());
  const std::int64_t audited = Count(Path(), "audit_log");
  const Actor late = WithDeadline(
      kCoordinator,
      Deadline::At(std::chrono::steady_clock::now() - std::chrono::seconds(1)));
  for (const ReadCase& c : kReads) {
    SCOPED_TRACE(c.label);
    const Status s = c.read(*store, late);
    EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s;
    EXPECT_EQ(s.message(), "store: reading " + std::string(c.reading) +
                               ": the deadline passed");
  }
  // Nothing was consulted, so nothing was audited; everything is there.
  EXPECT_EQ(Count(Path(), "audit_log"), audited);
  const Result<std::vector<PersonRecord>> back = store->Records(kCoordinator);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->size(), 2u);
  EXPECT_TRUE(store->GetReferral(kCoordinator, "R1").ok());
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, ADeadlineStopsAReadAtAnyPointAndChangesNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->PutRecords(kCoordinator, ManyPeople(300)).ok());
  const std::int64_t audited = Count(Path(), "audit_log");
  // The k-th check of the deadline is the first one late: k = 0 is the
  // check before the read begins, every later one interrupts a statement.
  LateCaller caller;
  int stopped_inside = 0;
  int k = 0;
  for (;; ++k) {
    ASSERT_LT(k, 10'000) << "the read never finished";
    SCOPED_TRACE("late from check " + std::to_string(k));
    caller.LateAfter(k);
    const Result<std::vector<PersonRecord>> read =
        store->Records(WithDeadline(kCoordinator, caller.deadline()));
    if (read.ok()) {
      EXPECT_EQ(read->size(), 300u);
      EXPECT_EQ((*read)[299].record_id, "R0299");
      break;
    }
    EXPECT_EQ(read.status().code(), StatusCode::kDeadlineExceeded);
    EXPECT_EQ(read.status().message(),
              "store: reading record: the deadline passed");
    EXPECT_EQ(Count(Path(), "audit_log"), audited);
    if (k > 0) ++stopped_inside;
  }
  // 300 rows take many more instructions than one check's worth.
  EXPECT_GE(stopped_inside, 3);
  EXPECT_EQ(stopped_inside, k - 1);
  // The read that finished was audited, once; the chain holds.
  EXPECT_EQ(Count(Path(), "audit_log"), audited + 1);
  EXPECT_EQ(Count(Path(), "records"), 300);
  ExpectAuditIntact(*store);
}

TEST_F(StoreTest, ACancelledCallerStopsAReadWithCancelled) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->PutRecords(kCoordinator, ManyPeople(10)).ok());
  const LateCaller gone(std::numeric_limits<int>::max(), /*cancelled=*/true);
  const Status s =
      store
          ->Records(WithDeadline(kCoordinator, Deadline::UntilCancelled(&gone)))
          .status();
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(s.message(), "store: reading record: the caller cancelled");
  // No deadline at all reads as before.
  const Result<std::vector<PersonRecord>> all = store->Records(kCoordinator);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 10u);
}

TEST_F(StoreTest, AWriteIsNeverCutShortByItsDeadline) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const LateCaller late(0);
  const Actor actor = WithDeadline(kCoordinator, late.deadline());
  const std::vector<PersonRecord> records = {
      Person("V1", "Elspeth", "Marlowe", Role::kVictim),
      Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
  ASSERT_TRUE(store->PutRecords(actor, records).ok());
  const std::vector<StoredReferral> referrals = {Referral("R1", "sub-1")};
  ASSERT_TRUE(store->SubmitReferrals(actor, referrals).ok());
  {
    ReferralWriter writer(*store);
    const Result<SubmitOutcome> written =
        writer.Submit(actor, Referral("R2", "sub-2")).get();
    ASSERT_TRUE(written.ok()) << written.status();
    EXPECT_FALSE(written->duplicate);
  }
  EXPECT_EQ(late.reads(), 0);  // Writes never asked.
  EXPECT_EQ(Count(Path(), "records"), 2);
  EXPECT_EQ(Count(Path(), "referrals"), 2);
}

TEST_F(StoreTest, ReadsStoppedBesideTheWriterLoseNoAcknowledgedReferral) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  // Enough referrals that a read of them always reaches a check.
  std::vector<StoredReferral> earlier;
  std::set<std::string> acknowledged;
  for (int k = 0; k < 100; ++k) {
    earlier.push_back(
        Referral("E" + std::to_string(k), "e-" + std::to_string(k)));
    acknowledged.insert(earlier.back().referral_id);
  }
  ASSERT_TRUE(store->SubmitReferrals(kCoordinator, earlier).ok());
  constexpr int kThreads = 4;
  constexpr int kEach = 50;
  std::atomic<int> running{kThreads};
  std::vector<std::vector<std::string>> written(kThreads);
  {
    ReferralWriter writer(*store);
    std::vector<std::thread> submitters;
    for (int t = 0; t < kThreads; ++t) {
      submitters.emplace_back([&, t] {
        for (int k = 0; k < kEach; ++k) {
          const std::string id =
              "R" + std::to_string(t) + "-" + std::to_string(k);
          const Result<SubmitOutcome> r =
              writer.Submit(kCoordinator, Referral(id, "sub-" + id)).get();
          if (r.ok()) written[static_cast<std::size_t>(t)].push_back(id);
        }
        --running;
      });
    }
    // Reads whose deadline passes at their first check inside a statement,
    // while the writer commits: each stops, and no write is touched (the
    // store runs one call at a time, and interrupts only reads).
    while (running > 0) {
      const LateCaller caller(1);
      const Status s =
          store
              ->Referrals(WithDeadline(kCoordinator, caller.deadline()), "",
                          std::nullopt)
              .status();
      EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s;
    }
    for (std::thread& t : submitters) t.join();
  }
  for (const std::vector<std::string>& ids : written) {
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kEach));
    acknowledged.insert(ids.begin(), ids.end());
  }
  EXPECT_EQ(acknowledged.size(),
            static_cast<std::size_t>(100 + kThreads * kEach));
  const LateCaller caller(1);
  EXPECT_EQ(store
                ->Referrals(WithDeadline(kCoordinator, caller.deadline()), "",
                            std::nullopt)
                .status()
                .code(),
            StatusCode::kDeadlineExceeded);
  const Result<std::vector<StoredReferral>> stored =
      store->Referrals(kCoordinator, "", std::nullopt);
  ASSERT_TRUE(stored.ok()) << stored.status();
  std::set<std::string> ids;
  for (const StoredReferral& r : *stored) ids.insert(r.referral_id);
  EXPECT_EQ(ids, acknowledged);
  ExpectAuditIntact(*store);
}

}  // namespace
}  // namespace marac
