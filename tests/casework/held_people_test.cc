// The people a server holds in memory (HeldPeople), on both engines: two
// holders over one store stand for two servers. Every person is invented.
#include "services/casework/held_people.h"

#include "lib/synthetic/synthetic_people.h"
#include "services/casework/people.h"
#include "tests/store/store_fixture.h"

namespace marac::store_test {
namespace {

// The store suite's fixture: a SQLite file, or a PostgreSQL database.
class HeldPeopleTest : public StoreTest {};

constexpr std::uint64_t kSeed = 20261207;
const Actor kSystem{"marac-server", "system", "", "holding the people"};

// Stores 300 invented people's records, each with no person yet.
std::vector<PersonRecord> StoreUnlinked(Store& store) {
  std::vector<PersonRecord> records = SyntheticPeople(300, kSeed).records;
  EXPECT_TRUE(store.PutRecords(kCoordinator, records).ok());
  return records;
}

// Stores them and links them all, as `marac import --link` does.
std::vector<PersonRecord> StoreLinked(Store& store) {
  std::vector<PersonRecord> records = StoreUnlinked(store);
  Result<StoredPeople> people = LoadPeople(store, kCoordinator);
  EXPECT_TRUE(people.ok());
  Result<Resolution> r = Resolve(people->records, people->options);
  EXPECT_TRUE(r.ok());
  EXPECT_TRUE(SaveResolvedPeople(store, kCoordinator, people->records,
                                 people->options, *r)
                  .ok());
  return records;
}

const auto kApprove = [](const HeldPeople::Placed&) { return Status::Ok(); };
// Every area in scope.
const HeldPeople::InScope kEverywhere = [](std::string_view) { return true; };

// A copy of `r` under another id, as a second agency would record her.
PersonRecord Again(const PersonRecord& r, const char* id) {
  PersonRecord copy = r;
  copy.record_id = id;
  copy.source = "idva";
  return copy;
}

std::map<std::string, std::string> StoredPeopleOf(Store& store) {
  std::map<std::string, std::string> out;
  const auto people = store.People(kCoordinator);
  EXPECT_TRUE(people.ok());
  if (!people.ok()) return out;
  for (const auto& [record, person] : *people) {
    out[record] = person;
  }
  return out;
}

TEST_F(HeldPeopleTest, ARecordOneServerStoredIsACandidateOnTheOther) {
  std::unique_ptr<Store> one = Open();
  std::unique_ptr<Store> two = Open();
  ASSERT_TRUE(one && two);
  const std::vector<PersonRecord> records = StoreLinked(*one);
  HeldPeople a(*one), b(*two);
  ASSERT_TRUE(a.Load(kSystem).ok());
  ASSERT_TRUE(b.Load(kSystem).ok());
  EXPECT_EQ(a.size(), records.size());

  // A person no one has met, through server a; her second record through b.
  PersonRecord first = Again(records[0], "NEW-1");
  first.given_name = "Ysolde";
  first.family_name = "Quennell";
  first.dob = "1987-02-14";
  first.postcode = "ZZ9 4QT";
  const Result<HeldPeople::Placed> p =
      a.Resolve(kCoordinator, first, kEverywhere, kApprove);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(p->new_person);
  const Result<HeldPeople::Placed> q =
      b.Resolve(kCoordinator, Again(first, "NEW-2"), kEverywhere, kApprove);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_FALSE(q->new_person);
  EXPECT_EQ(q->person_id, p->person_id);
  EXPECT_EQ(StoredPeopleOf(*one)["NEW-2"], p->person_id);

  // New people on both servers never share a number.
  std::set<std::string> ids;
  for (int k = 0; k < 20; ++k) {
    PersonRecord x = first;
    x.record_id = "SOLO-" + std::to_string(k);
    x.given_name = std::string(1, static_cast<char>('A' + k)) + "ntheia";
    x.family_name = std::string(1, static_cast<char>('B' + k)) + "rightwater";
    x.dob = "19" + std::to_string(50 + k) + "-03-0" + std::to_string(1 + k % 9);
    x.postcode = "ZZ" + std::to_string(k) + " 1AA";
    HeldPeople& server = k % 2 == 0 ? a : b;
    const Result<HeldPeople::Placed> made =
        server.Resolve(kCoordinator, x, kEverywhere, kApprove);
    ASSERT_TRUE(made.ok());
    ASSERT_TRUE(made->new_person) << x.given_name;
    EXPECT_TRUE(ids.insert(made->person_id).second) << made->person_id;
  }
  // And none that a re-link gave out: numbers go on above every block.
  for (const auto& [record, person] : StoredPeopleOf(*one)) {
    if (record.starts_with("SOLO-")) continue;
    EXPECT_FALSE(ids.contains(person)) << record;
  }
}

TEST_F(HeldPeopleTest,
       ALoadWritesNothingAndUnlinkedRecordsAreStoredWhenJoined) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const std::vector<PersonRecord> records = StoreUnlinked(*store);
  const std::int64_t audit = Count("audit_log");
  HeldPeople held(*store);
  ASSERT_TRUE(held.Load(kSystem).ok());
  // Only its reads are on the log.
  EXPECT_EQ(Count("record_person"), 0);
  const Result<std::vector<AuditEntry>> log =
      store->Audit(kCoordinator, audit, 100);
  ASSERT_TRUE(log.ok());
  for (const AuditEntry& e : *log) {
    if (e.user == "marac-server") {
      EXPECT_EQ(e.action, "consult");
    }
  }
  // Her second record joins her first, which no one had linked: both are
  // stored under one new number.
  const Result<HeldPeople::Placed> p = held.Resolve(
      kCoordinator, Again(records[5], "NEW-5"), kEverywhere, kApprove);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_FALSE(p->new_person);
  std::map<std::string, std::string> stored = StoredPeopleOf(*store);
  EXPECT_EQ(stored["NEW-5"], p->person_id);
  EXPECT_EQ(stored[records[5].record_id], p->person_id);
  std::uint64_t number = 0;
  EXPECT_TRUE(ParsePersonId(p->person_id, number)) << p->person_id;
}

TEST_F(HeldPeopleTest, ARefusedAnswerStoresNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  const std::vector<PersonRecord> records = StoreLinked(*store);
  HeldPeople held(*store);
  ASSERT_TRUE(held.Load(kSystem).ok());
  const std::int64_t before = Count("records");
  const Result<HeldPeople::Placed> refused =
      held.Resolve(kCoordinator, Again(records[3], "NEW-3"), kEverywhere,
                   [](const HeldPeople::Placed&) {
                     return Status(StatusCode::kPermissionDenied, "no");
                   });
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Count("records"), before);
  // Held neither: the record is no one's yet.
  EXPECT_EQ(
      held.Explain(kCoordinator, "NEW-3", records[3].record_id, kEverywhere)
          .status()
          .code(),
      StatusCode::kPermissionDenied);
}

TEST_F(HeldPeopleTest, AReLinkAndADecisionElsewhereAreFollowed) {
  std::unique_ptr<Store> store = Open();
  std::unique_ptr<Store> other = Open();
  ASSERT_TRUE(store && other);
  const std::vector<PersonRecord> records = StoreLinked(*store);
  HeldPeople held(*store);
  ASSERT_TRUE(held.Load(kSystem).ok());
  const std::string v = records[7].record_id;
  // Elsewhere: her record moved to a person of its own, and a decision
  // that a new copy of her is not her.
  const std::pair<std::string, std::string> moved{v, "P900001"};
  ASSERT_TRUE(other->SavePeople(kCoordinator, {&moved, 1}, {}).ok());
  const Result<HeldPeople::Placed> copy = held.Resolve(
      kCoordinator, Again(records[7], "NEW-7"), kEverywhere, kApprove);
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->person_id, "P900001");
  // Elsewhere, a person decides NEW-7 is not her: NEW-7 sent again (the
  // same details) no longer joins her.
  const ReviewDecision apart{"NEW-7", v, false, "", ""};
  ASSERT_TRUE(other->PutReviewDecisions(kCoordinator, {&apart, 1}).ok());
  const Result<HeldPeople::Placed> again = held.Resolve(
      kCoordinator, Again(records[7], "NEW-7"), kEverywhere, kApprove);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->new_person);
  EXPECT_NE(again->person_id, "P900001");
  const Result<HeldPeople::Placed> third = held.Resolve(
      kCoordinator, Again(records[7], "NEW-8"), kEverywhere, kApprove);
  ASSERT_TRUE(third.ok());
  // A record replaced elsewhere is scored as it is now.
  PersonRecord renamed = records[7];
  renamed.family_name = "Outhwaite-Pell";
  ASSERT_TRUE(other->PutRecords(kCoordinator, {&renamed, 1}).ok());
  const Result<HeldPeople::Explanation> before =
      held.Explain(kCoordinator, v, "NEW-7", kEverywhere);
  ASSERT_TRUE(before.ok());
  const Result<HeldPeople::Explanation> same_name =
      held.Explain(kCoordinator, "NEW-7", "NEW-8", kEverywhere);
  ASSERT_TRUE(same_name.ok());
  EXPECT_LT(before->probability, same_name->probability);
}

TEST_F(HeldPeopleTest,
       ExplainRefusesAMissingRecordAndTooFewRecordsTrainNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  HeldPeople held(*store);
  EXPECT_EQ(held.Load(kSystem).code(), StatusCode::kFailedPrecondition);
  const std::vector<PersonRecord> records = StoreLinked(*store);
  // The next call loads.
  const Result<HeldPeople::Explanation> missing =
      held.Explain(kCoordinator, records[0].record_id, "NOBODY", kEverywhere);
  EXPECT_EQ(missing.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(missing.status().message(), HasSubstr("record_id_b"));
  const Result<HeldPeople::Explanation> why = held.Explain(
      kCoordinator, records[0].record_id, records[1].record_id, kEverywhere);
  ASSERT_TRUE(why.ok());
  double sum = 0;
  for (const WeightTerm& t : why->terms) sum += t.weight;
  EXPECT_NEAR(sum, why->weight, 1e-6);
}

// Scoped to one area: records of other areas are never named, only
// counted; a record of another area can be neither replaced nor explained,
// and answers as one not stored does.
TEST_F(HeldPeopleTest, ScopedCallsCountOtherAreasButNeverNameThem) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  std::vector<PersonRecord> records = SyntheticPeople(300, kSeed).records;
  for (std::size_t i = 0; i < records.size(); ++i) {
    records[i].area = i % 2 == 0 ? "North" : "South";
  }
  ASSERT_TRUE(store->PutRecords(kCoordinator, records).ok());
  HeldPeople held(*store);
  ASSERT_TRUE(held.Load(kSystem).ok());
  const HeldPeople::InScope north = [](std::string_view area) {
    return area.empty() || area == "North";
  };
  // A South woman's record, now recorded in the North.
  const PersonRecord& south = records[1];
  PersonRecord again = Again(south, "NEW-N1");
  again.area = "North";
  const Result<HeldPeople::Placed> p =
      held.Resolve(kCoordinator, again, north, kApprove);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_FALSE(p->new_person);
  // Her person is stored across both areas; the South records counted.
  const std::map<std::string, std::string> stored = StoredPeopleOf(*store);
  EXPECT_EQ(stored.at("NEW-N1"), stored.at(south.record_id));
  std::size_t in_south = 0;
  for (const PersonRecord& r : records) {
    const auto it = stored.find(r.record_id);
    if (it != stored.end() && it->second == p->person_id && r.area == "South") {
      ++in_south;
    }
  }
  EXPECT_GE(in_south, 1u);
  EXPECT_EQ(p->records_elsewhere, in_south);
  for (const auto& [id, probability] : p->review) {
    const auto it =
        std::find_if(records.begin(), records.end(),
                     [&](const PersonRecord& r) { return r.record_id == id; });
    ASSERT_NE(it, records.end());
    EXPECT_EQ(it->area, "North") << id;
  }

  // Out of scope: her South record cannot be replaced or explained, and
  // answers as a record not stored does.
  PersonRecord replace = south;
  replace.area = "North";
  EXPECT_EQ(held.Resolve(kCoordinator, replace, north, kApprove).status(),
            Status(StatusCode::kPermissionDenied, "record.record_id"));
  PersonRecord elsewhere = Again(south, "NEW-S9");  // Area South.
  EXPECT_EQ(held.Resolve(kCoordinator, elsewhere, north, kApprove).status(),
            Status(StatusCode::kPermissionDenied, "record.area"));
  const Status hidden =
      held.Explain(kCoordinator, "NEW-N1", south.record_id, north).status();
  const Status absent =
      held.Explain(kCoordinator, "NEW-N1", "NOT-STORED", north).status();
  EXPECT_EQ(hidden, Status(StatusCode::kPermissionDenied, "record_id_b"));
  EXPECT_EQ(absent, hidden);
  EXPECT_TRUE(
      held.Explain(kCoordinator, "NEW-N1", records[0].record_id, north).ok());
  EXPECT_FALSE(StoredPeopleOf(*store).contains("NEW-S9"));
}

// A re-link of everyone elsewhere is too many changes to follow one by one:
// the holder loads again, and answers with the re-linked people.
TEST_F(HeldPeopleTest, ABulkChangeElsewhereIsLoadedAgain) {
  std::unique_ptr<Store> store = Open();
  std::unique_ptr<Store> other = Open();
  ASSERT_TRUE(store && other);
  const std::vector<PersonRecord> records = StoreLinked(*store);
  HeldPeople held(*store, {.reload_at_least = 50, .reload_share = 0.1});
  ASSERT_TRUE(held.Load(kSystem).ok());
  ASSERT_EQ(held.loads(), 1u);
  // A few changes are followed one by one.
  const std::pair<std::string, std::string> one{records[0].record_id,
                                                "P800000"};
  ASSERT_TRUE(other->SavePeople(kCoordinator, {&one, 1}, {}).ok());
  ASSERT_TRUE(held.Resolve(kCoordinator, Again(records[0], "NEW-0"),
                           kEverywhere, kApprove)
                  .ok());
  EXPECT_EQ(held.loads(), 1u);
  EXPECT_EQ(StoredPeopleOf(*store).at("NEW-0"), "P800000");
  // Everyone moved to new numbers: loaded again.
  std::vector<std::pair<std::string, std::string>> moved;
  for (const auto& [record, person] : StoredPeopleOf(*other)) {
    std::uint64_t number = 0;
    ASSERT_TRUE(ParsePersonId(person, number));
    moved.emplace_back(record, PersonId(number + 500'000));
  }
  ASSERT_TRUE(other->SavePeople(kCoordinator, moved, {}).ok());
  const Result<HeldPeople::Placed> p = held.Resolve(
      kCoordinator, Again(records[9], "NEW-9"), kEverywhere, kApprove);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(held.loads(), 2u);
  EXPECT_EQ(p->person_id, StoredPeopleOf(*store).at(records[9].record_id));
}

TEST_F(HeldPeopleTest, ALoadStopsAtItsDeadlineHoldingNothing) {
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr);
  StoreLinked(*store);
  HeldPeople held(*store);
  Actor late = kSystem;
  late.deadline = Deadline::At(std::chrono::steady_clock::now());
  EXPECT_EQ(held.Load(late).code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(held.size(), 0u);
  EXPECT_TRUE(held.Load(kSystem).ok());
}

}  // namespace
}  // namespace marac::store_test
