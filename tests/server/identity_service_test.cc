// IdentityService over loopback: resolving a record, explaining a match,
// recording a review decision, and every error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "lib/synthetic/synthetic_people.h"
#include "marac/v1/linkage.grpc.pb.h"
#include "services/wire/linkage_wire.h"
#include "tests/common/test_postgres.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::testing::Contains;
using ::testing::StartsWith;

constexpr std::uint64_t kSeed = 20260301;

// 300 invented people's records.
void SeedPopulation(Store& store) {
  Actor actor;
  actor.user = "seed";
  actor.role = "system";
  (void)store.PutRecords(actor, SyntheticPeople(300, kSeed).records);
}

// Two invented people with nothing in common.
void SeedStrangers(Store& store) {
  Actor actor;
  actor.user = "seed";
  actor.role = "system";
  PersonRecord a = InventedRecord("S1", "Eira", "Madeup", "1970-05-05",
                                  Role::kVictim, "ZZ2 2BB");
  PersonRecord b = InventedRecord("S2", "Ffion", "Untrue", "2001-09-30",
                                  Role::kVictim, "YY7 7CC");
  b.address_line = "9 Elsewhere Lane";
  const PersonRecord both[] = {a, b};
  (void)store.PutRecords(actor, both);
}

v1::PersonRecord NewRecord() {
  v1::PersonRecord r;
  r.set_record_id("NEW-1");
  r.set_source("idva");
  r.set_given_name("Delyth");
  r.set_family_name("Imaginary");
  r.mutable_date_of_birth()->set_year(1992);
  r.mutable_date_of_birth()->set_month(7);
  r.mutable_date_of_birth()->set_day(9);
  r.set_postcode("ZZ9 9ZZ");
  r.set_role(v1::PERSON_ROLE_VICTIM);
  return r;
}

TEST(IdentityServiceTest, ResolveStoresTheRecordAndNamesItsPerson) {
  TestServer t(SeedPopulation);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::IdentityService::NewStub(t.channel());
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  v1::ResolveRecordRequest request;
  *request.mutable_record() = NewRecord();
  request.set_purpose("new referral");
  v1::ResolveRecordResponse response;
  const grpc::Status status = stub->ResolveRecord(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(response.person_id(), StartsWith("P"));
  EXPECT_TRUE(response.new_person());
}

struct BadRecordCase {
  const char* label;
  void (*mutate)(v1::ResolveRecordRequest&);
  const char* field;
};
constexpr BadRecordCase kBadRecords[] = {
    {"NoRecord", [](v1::ResolveRecordRequest& r) { r.clear_record(); },
     "record"},
    {"NoRecordId",
     [](v1::ResolveRecordRequest& r) { r.mutable_record()->clear_record_id(); },
     "record.record_id"},
    {"NoSource",
     [](v1::ResolveRecordRequest& r) { r.mutable_record()->clear_source(); },
     "record.source"},
    {"NameTooLong",
     [](v1::ResolveRecordRequest& r) {
       r.mutable_record()->set_family_name(std::string(300, 'n'));
     },
     "record.family_name"},
    {"TooManyEarlierNames",
     [](v1::ResolveRecordRequest& r) {
       for (int i = 0; i < 6; ++i) {
         r.mutable_record()->add_previous_family_names("Old");
       }
     },
     "record.previous_family_names"},
    {"NotADate",
     [](v1::ResolveRecordRequest& r) {
       r.mutable_record()->mutable_date_of_birth()->set_day(31);
       r.mutable_record()->mutable_date_of_birth()->set_month(6);
     },
     "record.date_of_birth"},
    {"BornInFuture",
     [](v1::ResolveRecordRequest& r) {
       r.mutable_record()->mutable_date_of_birth()->set_year(2030);
     },
     "record.date_of_birth"},
    {"UnknownRole",
     [](v1::ResolveRecordRequest& r) {
       r.mutable_record()->set_role(static_cast<v1::PersonRole>(7));
     },
     "record.role"},
    {"NoPurpose", [](v1::ResolveRecordRequest& r) { r.clear_purpose(); },
     "purpose"},
};

TEST(IdentityServiceTest, ResolveRefusesEachBadFieldWithoutEchoingIt) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::IdentityService::NewStub(t.channel());
  for (const BadRecordCase& c : kBadRecords) {
    SCOPED_TRACE(c.label);
    v1::ResolveRecordRequest request;
    *request.mutable_record() = NewRecord();
    request.set_purpose("new referral");
    c.mutate(request);
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "coordinator");
    v1::ResolveRecordResponse response;
    const grpc::Status status =
        stub->ResolveRecord(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), Contains(std::string(c.field)));
    EXPECT_EQ(status.error_details().find("Imaginary"), std::string::npos);
    EXPECT_EQ(status.error_details().find("nnnnnnnn"), std::string::npos);
  }
}

grpc::Status Explain(const std::shared_ptr<grpc::Channel>& channel,
                     const std::string& a, const std::string& b,
                     v1::ExplainMatchResponse* response) {
  auto stub = v1::IdentityService::NewStub(channel);
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  v1::ExplainMatchRequest request;
  request.set_record_id_a(a);
  request.set_record_id_b(b);
  request.set_purpose("clerical review");
  return stub->ExplainMatch(&context, request, response);
}

TEST(IdentityServiceTest, ExplainGivesTheTermsPriorFirst) {
  const SyntheticPopulation people = SyntheticPeople(300, kSeed);
  TestServer t(SeedPopulation);
  ASSERT_TRUE(t.ok()) << t.start_error();
  v1::ExplainMatchResponse response;
  const grpc::Status status = Explain(t.channel(), people.records[0].record_id,
                                      people.records[1].record_id, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GE(response.terms_size(), 2);
  EXPECT_EQ(response.terms(0).field(), "prior");
  EXPECT_GE(response.match_probability(), 0.0);
  EXPECT_LE(response.match_probability(), 1.0);
  double sum = 0;
  for (const v1::WeightTerm& term : response.terms()) sum += term.weight();
  EXPECT_NEAR(sum, response.match_weight(), 1e-6);
}

TEST(IdentityServiceTest, ExplainErrors) {
  const SyntheticPopulation people = SyntheticPeople(300, kSeed);
  const std::string known = people.records[0].record_id;
  TestServer seeded(SeedPopulation);
  ASSERT_TRUE(seeded.ok()) << seeded.start_error();
  v1::ExplainMatchResponse response;
  // Not stored answers as out of scope does.
  EXPECT_EQ(Explain(seeded.channel(), known, "nobody", &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status same = Explain(seeded.channel(), known, known, &response);
  EXPECT_EQ(same.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(same), Contains(std::string("record_id_b")));
  // Two unrelated records share no block: no model can be trained.
  TestServer sparse(SeedStrangers);
  ASSERT_TRUE(sparse.ok()) << sparse.start_error();
  EXPECT_EQ(Explain(sparse.channel(), "S1", "S2", &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(IdentityServiceTest, ReviewDecisionIsRecordedForTheCaller) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::IdentityService::NewStub(t.channel());
  const struct {
    const char* label;
    const char* a;
    const char* b;
    v1::ReviewVerdict verdict;
    grpc::StatusCode want;
  } cases[] = {
      {"Same", "V1", "V2", v1::REVIEW_VERDICT_NOT_SAME, grpc::StatusCode::OK},
      {"UnknownRecord", "V1", "V9", v1::REVIEW_VERDICT_SAME,
       grpc::StatusCode::PERMISSION_DENIED},
      {"NoVerdict", "V1", "V2", v1::REVIEW_VERDICT_UNSPECIFIED,
       grpc::StatusCode::INVALID_ARGUMENT},
      {"OneRecord", "V1", "V1", v1::REVIEW_VERDICT_SAME,
       grpc::StatusCode::INVALID_ARGUMENT},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.label);
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "coordinator");
    v1::RecordReviewDecisionRequest request;
    request.set_record_id_a(c.a);
    request.set_record_id_b(c.b);
    request.set_verdict(c.verdict);
    request.set_purpose("clerical review");
    v1::RecordReviewDecisionResponse response;
    const grpc::Status status =
        stub->RecordReviewDecision(&context, request, &response);
    EXPECT_EQ(status.error_code(), c.want) << status.error_message();
    if (status.ok()) {
      EXPECT_EQ(response.decided_by(), "u-coordinator-marac-north");
    }
  }
}

// 300 invented people's records, the even ones of the north, the odd ones
// of the south.
void SeedTwoAreas(Store& store) {
  Actor actor;
  actor.user = "seed";
  actor.role = "system";
  std::vector<PersonRecord> records = SyntheticPeople(300, kSeed).records;
  for (std::size_t i = 0; i < records.size(); ++i) {
    records[i].area = i % 2 == 0 ? "north" : "south";
  }
  (void)store.PutRecords(actor, records);
}

// A north coordinator: its records are stored in the north by default, a
// south woman it records again is counted but never named, and south
// records answer as records not stored do.
TEST(IdentityServiceTest, CallsAreScopedByTheCallersAreas) {
  const std::vector<PersonRecord> records = SyntheticPeople(300, kSeed).records;
  TestServer t(SeedTwoAreas);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::IdentityService::NewStub(t.channel());
  const auto resolve = [&](v1::PersonRecord record,
                           v1::ResolveRecordResponse* response) {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "coordinator");
    v1::ResolveRecordRequest request;
    *request.mutable_record() = std::move(record);
    request.set_purpose("new referral");
    return stub->ResolveRecord(&context, request, response);
  };
  const PersonRecord& south = records[1];
  v1::PersonRecord again;
  ASSERT_TRUE(PersonRecordToWire(south, &again).ok());
  again.set_record_id("NEW-N1");
  again.clear_area();  // The caller's one area.
  v1::ResolveRecordResponse response;
  grpc::Status status = resolve(again, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(response.new_person());
  EXPECT_GE(response.records_elsewhere(), 1);
  for (const v1::MatchCandidate& c : response.review()) {
    const auto it = std::find_if(
        records.begin(), records.end(),
        [&](const PersonRecord& r) { return r.record_id == c.record_id(); });
    ASSERT_NE(it, records.end());
    EXPECT_EQ((it - records.begin()) % 2, 0) << "a south record named";
  }
  // Stored in the north.
  v1::ExplainMatchResponse explained;
  EXPECT_TRUE(
      Explain(t.channel(), "NEW-N1", records[0].record_id, &explained).ok());
  // The south's record: neither replaced nor explained, as if not stored.
  v1::PersonRecord replace;
  ASSERT_TRUE(PersonRecordToWire(south, &replace).ok());
  replace.set_area("north");
  EXPECT_EQ(resolve(replace, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  again.set_record_id("NEW-S1");
  again.set_area("south");
  status = resolve(again, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), StartsWith("record.area"));
  const grpc::Status hidden =
      Explain(t.channel(), "NEW-N1", south.record_id, &explained);
  const grpc::Status absent =
      Explain(t.channel(), "NEW-N1", "NOT-STORED", &explained);
  EXPECT_EQ(hidden.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(hidden.error_message(), absent.error_message());
}

// Two servers on one store, as behind a load balancer: a record one
// stored is a candidate on the other at its next call, and their new people
// never share an id. On a SQLite file here; on PostgreSQL in the
// "/postgresql" run (MARAC_TEST_POSTGRES_DIR set).
TEST(IdentityServiceTest, TwoServersOnOneStoreShareThePeople) {
  std::string location;
  std::string database;
  char pattern[] = "/tmp/marac-two-servers-XXXXXX";
  const char* made = mkdtemp(pattern);
  ASSERT_NE(made, nullptr);
  const std::string dir = made;
  const std::string postgres = TestPostgresServer();
  if (std::getenv("MARAC_TEST_POSTGRES_DIR") != nullptr) {
    ASSERT_FALSE(postgres.empty()) << "no server address";
    database = "two_servers_" + std::to_string(::getpid());
    ASSERT_EQ(PostgresAdmin(postgres, "CREATE DATABASE " + database), "");
    location = postgres + "/" + database;
  } else {
    location = dir + "/shared.db";
  }
  {
    TestServer one(SeedPopulation, TestLimits(), DefaultPrincipals(), {}, {},
                   location);
    ASSERT_TRUE(one.ok()) << one.start_error();
    TestServer two({}, TestLimits(), DefaultPrincipals(), {}, {}, location);
    ASSERT_TRUE(two.ok()) << two.start_error();
    const auto resolve = [](TestServer& server, v1::PersonRecord record,
                            v1::ResolveRecordResponse* response) {
      grpc::ClientContext context;
      AsCaller(context, "marac-north", "coordinator");
      v1::ResolveRecordRequest request;
      *request.mutable_record() = std::move(record);
      request.set_purpose("new referral");
      return v1::IdentityService::NewStub(server.channel())
          ->ResolveRecord(&context, request, response);
    };
    v1::ResolveRecordResponse first;
    grpc::Status status = resolve(one, NewRecord(), &first);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(first.new_person());
    v1::PersonRecord again = NewRecord();
    again.set_record_id("NEW-2");
    again.set_source("police");
    v1::ResolveRecordResponse second;
    status = resolve(two, again, &second);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(second.new_person());
    EXPECT_EQ(second.person_id(), first.person_id());
    // New people alternately on each: every id different.
    std::set<std::string> ids = {first.person_id()};
    for (int k = 0; k < 10; ++k) {
      v1::PersonRecord x = NewRecord();
      x.set_record_id("SOLO-" + std::to_string(k));
      x.set_given_name(std::string(1, static_cast<char>('A' + k)) + "urelind");
      x.set_family_name(std::string(1, static_cast<char>('K' + k)) +
                        "estrovane");
      x.mutable_date_of_birth()->set_year(1960 + k);
      x.set_postcode("ZZ" + std::to_string(k) + " 7XY");
      v1::ResolveRecordResponse made_one;
      status = resolve(k % 2 == 0 ? one : two, x, &made_one);
      ASSERT_TRUE(status.ok()) << status.error_message();
      EXPECT_TRUE(made_one.new_person());
      EXPECT_TRUE(ids.insert(made_one.person_id()).second)
          << made_one.person_id();
    }
  }
  if (!database.empty()) {
    EXPECT_EQ(
        PostgresAdmin(postgres, "DROP DATABASE " + database + " WITH (FORCE)"),
        "");
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace marac
