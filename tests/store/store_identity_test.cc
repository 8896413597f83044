// The store's identity changes (what a server holding the people in memory
// follows) and shared person numbers, on both engines.
#include "tests/store/store_fixture.h"

namespace marac::store_test {
namespace {

// Each change as "sequence record person" or "sequence l~r same".
std::vector<std::string> Describe(const IdentityChanges& changes) {
  std::vector<std::string> out;
  for (const IdentityChange& c : changes.changes) {
    if (c.record) {
      out.push_back(c.record->record_id + " " + c.record->family_name + " " +
                    (c.person_id.empty() ? "-" : c.person_id));
    } else {
      out.push_back(c.decision->record_id_l + "~" + c.decision->record_id_r +
                    (c.decision->same ? " same" : " not-same"));
    }
  }
  return out;
}

TEST_F(StoreTest, IdentityChangesFollowRecordsPeopleAndDecisions) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  Result<IdentityChanges> none =
      store->IdentityChangesAfter(kCoordinator, 0, 0);
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_EQ(none->head, 0);
  EXPECT_TRUE(none->changes.empty());

  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  const Result<IdentityChanges> stored =
      store->IdentityChangesAfter(kCoordinator, 0, 100);
  ASSERT_TRUE(stored.ok());
  EXPECT_THAT(Describe(*stored),
              ::testing::ElementsAre("V1 Marlowe -", "X1 Ashby -"));
  const std::int64_t head = stored->head;
  EXPECT_EQ(head, stored->changes.back().sequence);
  EXPECT_LT(stored->changes.front().sequence, head);

  // People saved; the same person saved again is no change.
  const std::vector<std::pair<std::string, std::string>> people = {
      {"V1", "P000001"}, {"X1", "P000002"}};
  ASSERT_TRUE(store->SavePeople(kCoordinator, people, {}).ok());
  ASSERT_TRUE(store->SavePeople(kCoordinator, people, {}).ok());
  // A record replaced; a decision recorded.
  PersonRecord renamed = Person("V1", "Elspeth", "Tarrant", Role::kVictim);
  ASSERT_TRUE(store->PutRecords(kCoordinator, {&renamed, 1}).ok());
  const std::vector<ReviewDecision> decisions = {{"X1", "V1", false, "", ""}};
  ASSERT_TRUE(store->PutReviewDecisions(kCoordinator, decisions).ok());
  const Result<IdentityChanges> after =
      store->IdentityChangesAfter(kCoordinator, head, 100);
  ASSERT_TRUE(after.ok());
  // A change reads as the store holds it now: V1 is renamed throughout.
  EXPECT_THAT(Describe(*after),
              ::testing::ElementsAre("V1 Tarrant P000001", "X1 Ashby P000002",
                                     "V1 Tarrant P000001", "V1~X1 not-same"));
  EXPECT_EQ(after->changes.back().decision->decided_by, "u-017");

  // Pages: at most `limit`, from where the last ended.
  const Result<IdentityChanges> first =
      store->IdentityChangesAfter(kCoordinator, 0, 3);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->changes.size(), 3u);
  EXPECT_EQ(first->head, after->head);
  const Result<IdentityChanges> rest = store->IdentityChangesAfter(
      kCoordinator, first->changes.back().sequence, 100);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(first->changes.size() + rest->changes.size(),
            stored->changes.size() + after->changes.size());

  EXPECT_EQ(store->IdentityChangesAfter(kCoordinator, -1, 1).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, PersonNumbersAreHandedOutOnceAndStayAboveSavedIds) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  Result<std::uint64_t> a = store->ReservePersonNumbers(kCoordinator, 5);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(*a, 1u);
  Result<std::uint64_t> b = store->ReservePersonNumbers(kCoordinator, 3);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, 6u);
  // A re-link saved ids of its own: reservations go on above them,
  // retired ids included.
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  const std::vector<std::pair<std::string, std::string>> people = {
      {"V1", "P000100"}, {"X1", "P000002"}};
  const std::vector<PersonEvent> events = {
      {PersonEvent::Kind::kMerge, "P000100", "P000140"}};
  ASSERT_TRUE(store->SavePeople(kCoordinator, people, events).ok());
  Result<std::uint64_t> c = store->ReservePersonNumbers(kCoordinator, 1);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, 141u);
  // A lower id saved later does not lower it.
  const std::vector<std::pair<std::string, std::string>> lower = {
      {"X1", "P000003"}};
  ASSERT_TRUE(store->SavePeople(kCoordinator, lower, {}).ok());
  EXPECT_EQ(*store->ReservePersonNumbers(kCoordinator, 1), 142u);
  const Status zero = store->ReservePersonNumbers(kCoordinator, 0).status();
  EXPECT_EQ(zero.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(zero.message().find("count"), std::string::npos);
  EXPECT_EQ(*store->ReservePersonNumbers(kCoordinator, 1), 143u)
      << "a refusal takes nothing";
}

TEST_F(StoreTest, MigratingToTenStartsNumbersAboveEveryStoredPerson) {
  {
    std::unique_ptr<Store> old = Open({.schema_version = 9});
    ASSERT_NE(old, nullptr);
    ASSERT_TRUE(PutVictimAndPerpetrator(*old).ok());
    const std::vector<std::pair<std::string, std::string>> people = {
        {"V1", "P000042"}, {"X1", "P000007"}};
    const std::vector<PersonEvent> events = {
        {PersonEvent::Kind::kSplit, "P000042", "P000050"}};
    ASSERT_TRUE(old->SavePeople(kCoordinator, people, events).ok());
    EXPECT_EQ(old->IdentityChangesAfter(kCoordinator, 0, 1).status().code(),
              StatusCode::kFailedPrecondition);
    EXPECT_EQ(old->ReservePersonNumbers(kCoordinator, 1).status().code(),
              StatusCode::kFailedPrecondition);
  }
  {
    std::unique_ptr<Store> ten = Open({.schema_version = 10});
    ASSERT_NE(ten, nullptr);
    EXPECT_EQ(*ten->ReservePersonNumbers(kCoordinator, 1), 51u);
    // The log starts at the migration: what was stored before is read
    // whole, then followed from the head.
    const Result<IdentityChanges> changes =
        ten->IdentityChangesAfter(kCoordinator, 0, 10);
    ASSERT_TRUE(changes.ok());
    EXPECT_TRUE(changes->changes.empty());
  }
  // Version 11 gives records their area: a change to each, which servers
  // holding the people then read.
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const Result<IdentityChanges> changes =
      store->IdentityChangesAfter(kCoordinator, 0, 10);
  ASSERT_TRUE(changes.ok());
  EXPECT_THAT(Describe(*changes),
              ::testing::ElementsAre("V1 Marlowe P000042", "X1 Ashby P000007"));
}

TEST_F(StoreTest, MigratingToElevenGivesRecordsTheAreaOfTheirFirstReferral) {
  {
    std::unique_ptr<Store> old = Open({.schema_version = 10});
    ASSERT_NE(old, nullptr);
    ASSERT_TRUE(PutVictimAndPerpetrator(*old).ok());
    StoredReferral later = Referral("R2", "sub-2");
    later.area = "South";
    later.referred_on = *Date::Parse("d", "2026-05-01");
    const std::vector<StoredReferral> referrals = {Referral("R1", "sub-1"),
                                                   later};
    ASSERT_TRUE(old->SubmitReferrals(kCoordinator, referrals).ok());
    EXPECT_EQ((*old->Records(kCoordinator))[0].area, "") << "no column yet";
  }
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const Result<std::vector<PersonRecord>> records =
      store->Records(kCoordinator);
  ASSERT_TRUE(records.ok());
  ASSERT_EQ(records->size(), 2u);
  EXPECT_EQ((*records)[0].area, Referral("R1", "sub-1").area);
  EXPECT_EQ((*records)[1].area, "") << "a perpetrator's record: not recorded";
  // Stored with an area, read back with it; replaced, the area follows.
  PersonRecord moved = (*records)[1];
  moved.area = "East";
  ASSERT_TRUE(store->PutRecords(kCoordinator, {&moved, 1}).ok());
  EXPECT_EQ((*store->Records(kCoordinator))[1].area, "East");
}

}  // namespace
}  // namespace marac::store_test
