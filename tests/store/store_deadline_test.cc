// The SQLite store. Deadlines: a read stops at its deadline or cancellation and
// changes nothing; a write is never cut short.
#include "tests/store/store_fixture.h"

namespace marac::store_test {
namespace {

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
  const std::int64_t audited = Count("audit_log");
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
  EXPECT_EQ(Count("audit_log"), audited);
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
  const std::int64_t audited = Count("audit_log");
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
    EXPECT_EQ(Count("audit_log"), audited);
    if (k > 0) ++stopped_inside;
  }
  // 300 rows take many more instructions than one check's worth.
  EXPECT_GE(stopped_inside, 3);
  EXPECT_EQ(stopped_inside, k - 1);
  // The read that finished was audited, once; the chain holds.
  EXPECT_EQ(Count("audit_log"), audited + 1);
  EXPECT_EQ(Count("records"), 300);
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
  EXPECT_EQ(Count("records"), 2);
  EXPECT_EQ(Count("referrals"), 2);
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
}  // namespace marac::store_test
