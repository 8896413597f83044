// The SQLite store. The audit log: bounded entries, the purpose limit,
// disclosures, append-only rows and the hash chain against tampering.
#include "tests/store/store_fixture.h"

namespace marac::store_test {
namespace {

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
  EXPECT_THAT(Sql("UPDATE audit_log SET \"user\" = 'someone'"),
              HasSubstr("append-only"));
  EXPECT_THAT(Sql("DELETE FROM audit_log"), HasSubstr("append-only"));
  EXPECT_EQ(Count("audit_log"), 1);
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
       "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET \"user\" = "
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
    Copy("marac", c.label);
    // The triggers are dropped as each engine spells it.
    std::string sql = c.sql;
    for (const char* trigger : {"audit_log_no_update", "audit_log_no_delete"}) {
      const std::string from = "DROP TRIGGER " + std::string(trigger);
      for (std::size_t at = sql.find(from); at != std::string::npos;
           at = sql.find(from, at + 1)) {
        sql.replace(at, from.size(), DropTrigger(trigger));
      }
    }
    ASSERT_EQ(Sql(sql, c.label), "");
    Result<std::unique_ptr<Store>> store = OpenStore(Location(c.label));
    ASSERT_TRUE(store.ok()) << store.status();
    const Result<AuditVerification> v =
        (*store)->VerifyAudit(auditor, {{head, head_hash}});
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_FALSE(v->intact);
    EXPECT_EQ(v->broken_at, c.broken_at) << v->problem;
    EXPECT_THAT(v->problem, HasSubstr(c.says));
  }
}

}  // namespace
}  // namespace marac::store_test
