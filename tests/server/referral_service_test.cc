// ReferralService over loopback: submission acknowledged after commit,
// idempotent retries, agency scoping, paging, and every error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>

#include "marac/store/referral_writer.h"
#include "marac/v1/referral.grpc.pb.h"
#include "services/wire/rpc_status.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::testing::Contains;
using ::testing::StartsWith;

v1::SubmitReferralRequest Submission(const std::string& request_id,
                                     const std::string& victim = "V1") {
  v1::SubmitReferralRequest r;
  r.set_request_id(request_id);
  v1::Referral* referral = r.mutable_referral();
  referral->set_area("north");
  referral->set_source(v1::REFERRAL_SOURCE_POLICE);
  referral->mutable_referred_on()->set_year(2026);
  referral->mutable_referred_on()->set_month(2);
  referral->mutable_referred_on()->set_day(3);
  referral->set_victim_record_id(victim);
  referral->add_perpetrator_record_ids("P1");
  referral->add_criteria(v1::CRITERION_VISIBLE_HIGH_RISK);
  referral->set_children_in_household(2);
  return r;
}

grpc::Status Submit(v1::ReferralService::Stub& stub,
                    const v1::SubmitReferralRequest& request,
                    v1::SubmitReferralResponse* response,
                    const std::string& agency = "police-north") {
  grpc::ClientContext context;
  AsCaller(context, agency);
  return stub.SubmitReferral(&context, request, response);
}

grpc::Status Get(v1::ReferralService::Stub& stub, const std::string& id,
                 const std::string& agency, v1::GetReferralResponse* out) {
  grpc::ClientContext context;
  AsCaller(context, agency);
  v1::GetReferralRequest request;
  request.set_referral_id(id);
  request.set_purpose("case review");
  return stub.GetReferral(&context, request, out);
}

TEST(ReferralServiceTest, SubmitStoresOnceAndReplaysTheSameRequest) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  v1::SubmitReferralResponse first;
  v1::SubmitReferralRequest request = Submission("req-1");
  request.mutable_referral()->set_assessment_id("A1");
  grpc::Status status = Submit(*stub, request, &first);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(first.referral().referral_id(), StartsWith("R-"));
  EXPECT_EQ(first.referral().agency(), "police-north");
  EXPECT_FALSE(first.replayed());

  v1::SubmitReferralResponse again;
  status = Submit(*stub, request, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(again.replayed());
  EXPECT_EQ(again.referral().SerializeAsString(),
            first.referral().SerializeAsString());

  v1::SubmitReferralRequest changed = request;
  changed.mutable_referral()->set_children_in_household(3);
  v1::SubmitReferralResponse conflict;
  EXPECT_EQ(Submit(*stub, changed, &conflict).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);

  v1::GetReferralResponse got;
  status = Get(*stub, first.referral().referral_id(), "police-north", &got);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(got.referral().SerializeAsString(),
            first.referral().SerializeAsString());
}

struct BadReferralCase {
  const char* label;
  void (*mutate)(v1::SubmitReferralRequest&);
  const char* field;
};
constexpr BadReferralCase kBadReferrals[] = {
    {"NoRequestId", [](v1::SubmitReferralRequest& r) { r.clear_request_id(); },
     "request_id"},
    {"RequestIdWithSpace",
     [](v1::SubmitReferralRequest& r) { r.set_request_id("a b"); },
     "request_id"},
    {"NoReferral", [](v1::SubmitReferralRequest& r) { r.clear_referral(); },
     "referral"},
    {"ReferralIdSent",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->set_referral_id("R-mine");
     },
     "referral.referral_id"},
    {"AgencySent",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->set_agency("someone-else");
     },
     "referral.agency"},
    {"NoArea",
     [](v1::SubmitReferralRequest& r) { r.mutable_referral()->clear_area(); },
     "referral.area"},
    {"NoSource",
     [](v1::SubmitReferralRequest& r) { r.mutable_referral()->clear_source(); },
     "referral.source"},
    {"NoReferredOn",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->clear_referred_on();
     },
     "referral.referred_on"},
    {"ReferredInFuture",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->mutable_referred_on()->set_year(2027);
     },
     "referral.referred_on"},
    {"NoVictim",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->clear_victim_record_id();
     },
     "referral.victim_record_id"},
    {"VictimAsPerpetrator",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->add_perpetrator_record_ids("V1");
     },
     "referral.perpetrator_record_ids[1]"},
    {"TooManyPerpetrators",
     [](v1::SubmitReferralRequest& r) {
       for (int i = 0; i < 5; ++i) {
         r.mutable_referral()->add_perpetrator_record_ids("P1");
       }
     },
     "referral.perpetrator_record_ids"},
    {"RepeatedCriterion",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->add_criteria(v1::CRITERION_VISIBLE_HIGH_RISK);
     },
     "referral.criteria[1]"},
    {"UnspecifiedCriterion",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->add_criteria(v1::CRITERION_UNSPECIFIED);
     },
     "referral.criteria[1]"},
    {"NegativeChildren",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->set_children_in_household(-1);
     },
     "referral.children_in_household"},
    {"VictimNotStored",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->set_victim_record_id("V-unknown");
     },
     "referral.victim_record_id"},
    {"MoreChildrenNamedThanCounted",
     [](v1::SubmitReferralRequest& r) {
       for (const char* name : {"Ivo", "Nell", "Pip"}) {
         r.mutable_referral()
             ->mutable_details()
             ->add_children()
             ->set_given_name(name);
       }
     },
     "referral.details.children"},
    {"ChildBornAfterTheReferral",
     [](v1::SubmitReferralRequest& r) {
       v1::ChildInHousehold* c =
           r.mutable_referral()->mutable_details()->add_children();
       c->set_given_name("Ivo");
       c->mutable_date_of_birth()->set_year(2026);
       c->mutable_date_of_birth()->set_month(5);
       c->mutable_date_of_birth()->set_day(1);
     },
     "referral.details.children[0].date_of_birth"},
    {"ExcludingTheReferringAgency",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->mutable_details()->add_excluded_agencies(
           "police-north");
     },
     "referral.details.excluded_agencies[0]"},
    {"UnknownConsent",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->mutable_details()->set_consent(
           static_cast<v1::VictimConsent>(9));
     },
     "referral.details.consent"},
    {"EthnicityNotOnTheList",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()
           ->mutable_details()
           ->mutable_equality()
           ->set_ethnicity("white");
     },
     "referral.details.equality.ethnicity"},
    {"InterpreterWithoutLanguage",
     [](v1::SubmitReferralRequest& r) {
       r.mutable_referral()->mutable_details()->set_interpreter_needed(true);
     },
     "referral.details.interpreter_needed"},
};

TEST(ReferralServiceTest, TheReferralRecordsDetailsAreStoredAndReadBack) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  v1::SubmitReferralRequest request = Submission("req-details");
  v1::ReferralDetails* d = request.mutable_referral()->mutable_details();
  d->mutable_referrer()->set_name("Wren Alderton");
  d->mutable_referrer()->set_role("PC");
  d->mutable_referrer()->set_contact("0300 000 0001");
  d->set_judgement_narrative("Frightened to go home.");
  d->set_consent(v1::VICTIM_CONSENT_CONSENTED);
  d->set_relationship(v1::RELATIONSHIP_EX_PARTNER);
  v1::ChildInHousehold* child = d->add_children();
  child->set_given_name("Ivo");
  child->set_family_name("Testwell");
  child->mutable_date_of_birth()->set_year(2019);
  child->mutable_date_of_birth()->set_month(3);
  child->mutable_date_of_birth()->set_day(2);
  child->add_known_to("school");
  d->set_language("Welsh");
  d->set_interpreter_needed(true);
  d->set_safe_contact("Mobile after 6pm; no voicemail.");
  d->add_excluded_agencies("housing-north");
  d->mutable_equality()->set_age_band("35-44");
  v1::SubmitReferralResponse response;
  const grpc::Status status = Submit(*stub, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.referral().details().SerializeAsString(),
            d->SerializeAsString());
  v1::GetReferralResponse got;
  ASSERT_TRUE(
      Get(*stub, response.referral().referral_id(), "police-north", &got).ok());
  // A read leaves out the equality monitoring, and keeps the rest.
  v1::ReferralDetails without = *d;
  without.clear_equality();
  EXPECT_EQ(got.referral().details().SerializeAsString(),
            without.SerializeAsString());
  EXPECT_FALSE(got.referral().details().has_equality());
  {
    grpc::ClientContext context;
    AsCaller(context);
    v1::ListReferralsRequest list;
    list.set_purpose("case review");
    v1::ListReferralsResponse listed;
    ASSERT_TRUE(stub->ListReferrals(&context, list, &listed).ok());
    ASSERT_EQ(listed.referrals_size(), 1);
    EXPECT_FALSE(listed.referrals(0).details().has_equality());
    EXPECT_EQ(listed.referrals(0).details().safe_contact(),
              "Mobile after 6pm; no voicemail.");
  }
  // A retry with other details is another referral under a used key.
  d->set_consent(v1::VICTIM_CONSENT_NOT_AWARE);
  v1::SubmitReferralResponse again;
  EXPECT_EQ(Submit(*stub, request, &again).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
}

TEST(ReferralServiceTest, SubmitRefusesEachBadFieldByPath) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  for (const BadReferralCase& c : kBadReferrals) {
    SCOPED_TRACE(c.label);
    v1::SubmitReferralRequest request =
        Submission(std::string("bad-") + c.label);
    c.mutate(request);
    v1::SubmitReferralResponse response;
    const grpc::Status status = Submit(*stub, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), Contains(std::string(c.field)));
  }
  // Nothing refused was stored.
  grpc::ClientContext context;
  AsCaller(context);
  v1::ListReferralsRequest list;
  list.set_purpose("check");
  v1::ListReferralsResponse listed;
  ASSERT_TRUE(stub->ListReferrals(&context, list, &listed).ok());
  EXPECT_EQ(listed.referrals_size(), 0);
}

TEST(ReferralServiceTest, SubmitNamingAnUnstoredAssessmentFailsPrecondition) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  v1::SubmitReferralRequest request = Submission("req-a");
  request.mutable_referral()->set_assessment_id("A-missing");
  v1::SubmitReferralResponse response;
  EXPECT_EQ(Submit(*stub, request, &response).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(ReferralServiceTest, TheAgencyIsTheCallersNeverTheRequests) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  v1::SubmitReferralResponse response;
  ASSERT_TRUE(Submit(*stub, Submission("req-n"), &response, "idva-north").ok());
  EXPECT_EQ(response.referral().agency(), "idva-north");
}

TEST(ReferralServiceTest, SubmittingOutsideTheCallersAreasIsDenied) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  v1::SubmitReferralRequest request = Submission("req-s");
  request.mutable_referral()->set_area("south");
  v1::SubmitReferralResponse response;
  EXPECT_EQ(Submit(*stub, request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST(ReferralServiceTest, SubmitPastItsDeadlineWritesNothing) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  grpc::ClientContext context;
  AsCaller(context);
  context.set_deadline(std::chrono::system_clock::now() -
                       std::chrono::seconds(1));
  v1::SubmitReferralResponse response;
  EXPECT_EQ(stub->SubmitReferral(&context, Submission("req-late"), &response)
                .error_code(),
            grpc::StatusCode::DEADLINE_EXCEEDED);
  // A retry with the same key is a first submission.
  v1::SubmitReferralResponse retried;
  ASSERT_TRUE(Submit(*stub, Submission("req-late"), &retried).ok());
  EXPECT_FALSE(retried.replayed());
}

// What SubmitReferral answers for the writer's refusals (Acknowledge maps
// the writer's outcome with ToGrpcStatus): a full queue is the bounded
// resource gRPC's RESOURCE_EXHAUSTED means, to retry with backoff; a stopped
// writer is UNAVAILABLE.
TEST(ReferralServiceTest,
     AFullWriterIsResourceExhaustedAStoppedOneUnavailable) {
  char pattern[] = "/tmp/marac-writer-test-XXXXXX";
  const char* made = mkdtemp(pattern);
  ASSERT_NE(made, nullptr);
  const std::string dir = made;
  {
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(dir + "/marac.db");
    ASSERT_TRUE(store.ok()) << store.status();
    SeedCase(**store);
    ReferralWriter writer(**store, {.max_batch = 1, .max_queue = 1});
    const Actor actor{"u-referrer", "referrer", "police-north", ""};
    std::vector<std::future<Result<SubmitOutcome>>> futures;
    for (int k = 0; k < 50; ++k) {
      StoredReferral r;
      r.referral_id = "R-" + std::to_string(k);
      r.submission_id = "sub-" + std::to_string(k);
      r.area = "north";
      r.agency = "police-north";
      r.source = ReferralSource::kPolice;
      r.referred_on = Date{2026, 2, 3};
      r.victim_record_id = "V1";
      r.criteria = {"visible_high_risk"};
      futures.push_back(writer.Submit(actor, std::move(r)));
    }
    int full = 0;
    for (auto& f : futures) {
      const Result<SubmitOutcome> outcome = f.get();
      if (outcome.ok()) continue;
      const grpc::Status mapped = ToGrpcStatus(outcome.status());
      EXPECT_EQ(mapped.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
      EXPECT_THAT(mapped.error_message(),
                  ::testing::HasSubstr("queue is full"));
      ++full;
    }
    EXPECT_GT(full, 0);
    writer.Stop();
    StoredReferral late;
    late.referral_id = "R-late";
    const Result<SubmitOutcome> stopped = writer.Submit(actor, late).get();
    EXPECT_EQ(ToGrpcStatus(stopped.status()).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  std::filesystem::remove_all(dir);
}

TEST(ReferralServiceTest, AnotherAgencysReferralIsDeniedLikeAnAbsentOne) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  v1::SubmitReferralResponse submitted;
  ASSERT_TRUE(Submit(*stub, Submission("req-x"), &submitted).ok());
  v1::GetReferralResponse got;
  const grpc::Status other =
      Get(*stub, submitted.referral().referral_id(), "idva-south", &got);
  const grpc::Status absent = Get(*stub, "R-0000", "police-north", &got);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(absent.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(other.error_message(), absent.error_message());
}

struct BadGetCase {
  const char* label;
  const char* id;
  const char* purpose;
  const char* field;
};
constexpr BadGetCase kBadGets[] = {
    {"NoId", "", "case review", "referral_id"},
    {"NoPurpose", "R-1", "", "purpose"},
    {"BlankPurpose", "R-1", "  ", "purpose"},
};

TEST(ReferralServiceTest, GetRefusesEachBadField) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  for (const BadGetCase& c : kBadGets) {
    SCOPED_TRACE(c.label);
    grpc::ClientContext context;
    AsCaller(context);
    v1::GetReferralRequest request;
    request.set_referral_id(c.id);
    request.set_purpose(c.purpose);
    v1::GetReferralResponse response;
    const grpc::Status status = stub->GetReferral(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), Contains(std::string(c.field)));
  }
}

TEST(ReferralServiceTest, ListPagesTheCallersAgencyOnly) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  v1::SubmitReferralResponse response;
  for (const char* id : {"l-1", "l-2", "l-3"}) {
    ASSERT_TRUE(Submit(*stub, Submission(id), &response).ok());
  }
  ASSERT_TRUE(
      Submit(*stub, Submission("l-4", "V2"), &response, "idva-north").ok());
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    grpc::ClientContext context;
    AsCaller(context);
    v1::ListReferralsRequest request;
    request.set_purpose("caseload");
    request.set_page_size(2);
    request.set_page_token(token);
    v1::ListReferralsResponse page;
    const grpc::Status status = stub->ListReferrals(&context, request, &page);
    ASSERT_TRUE(status.ok()) << status.error_message();
    for (const v1::Referral& r : page.referrals()) {
      EXPECT_EQ(r.agency(), "police-north");
      seen.push_back(r.referral_id());
    }
    token = page.next_page_token();
    ++pages;
  } while (!token.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 3u);
  EXPECT_EQ(pages, 2);
}

struct BadListCase {
  const char* label;
  const char* purpose;
  int page_size;
  const char* token;
  const char* field;
};
constexpr BadListCase kBadLists[] = {
    {"NoPurpose", "", 0, "", "purpose"},
    {"NegativePageSize", "p", -1, "", "page_size"},
    {"ForgedToken", "p", 0, "zz", "page_token"},
};

TEST(ReferralServiceTest, ListRefusesEachBadField) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::ReferralService::NewStub(t.channel());
  for (const BadListCase& c : kBadLists) {
    SCOPED_TRACE(c.label);
    grpc::ClientContext context;
    AsCaller(context);
    v1::ListReferralsRequest request;
    request.set_purpose(c.purpose);
    request.set_page_size(c.page_size);
    request.set_page_token(c.token);
    v1::ListReferralsResponse response;
    const grpc::Status status =
        stub->ListReferrals(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), Contains(std::string(c.field)));
  }
}

TEST(ReferralServiceTest, ShutdownKeepsEveryAcknowledgedReferral) {
  std::string path;
  std::vector<std::string> acknowledged;
  {
    TestServer t(SeedCase);
    ASSERT_TRUE(t.ok()) << t.start_error();
    path = t.store_path();
    auto stub = v1::ReferralService::NewStub(t.channel());
    for (int i = 0; i < 5; ++i) {
      v1::SubmitReferralResponse response;
      ASSERT_TRUE(
          Submit(*stub, Submission("s-" + std::to_string(i)), &response).ok());
      acknowledged.push_back(response.referral().referral_id());
    }
    t.server().Shutdown();
    // After shutdown nothing is served.
    v1::SubmitReferralResponse late;
    EXPECT_FALSE(Submit(*stub, Submission("s-late"), &late).ok());
    Result<std::unique_ptr<Store>> store =
        OpenSqliteStore(path, {.create = false});
    ASSERT_TRUE(store.ok()) << store.status();
    Actor actor;
    actor.user = "test";
    actor.role = "auditor";
    actor.purpose = "check";
    const Result<std::vector<StoredReferral>> stored =
        (*store)->Referrals(actor, "", std::nullopt);
    ASSERT_TRUE(stored.ok()) << stored.status();
    std::vector<std::string> ids;
    for (const StoredReferral& r : *stored) ids.push_back(r.referral_id);
    for (const std::string& id : acknowledged) EXPECT_THAT(ids, Contains(id));
  }
}

}  // namespace
}  // namespace marac
