// The call's deadline reaches the work: a server whose clock passes a
// call's deadline at its k-th check, for k = 1, 2, 4, ..., answers
// DEADLINE_EXCEEDED from the store's reads and from identity resolution,
// writes nothing, and leaves the audit chain intact; once the deadline
// holds the call succeeds and writes once. The clock is the server's own
// (ServiceOptions::steady_now), so no test waits on real time. Everyone
// here is invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/synthetic/synthetic_people.h"
#include "marac/v1/agenda.grpc.pb.h"
#include "marac/v1/audit.grpc.pb.h"
#include "marac/v1/linkage.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "marac/v1/statistics.grpc.pb.h"
#include "services/wire/rpc_status.h"
#include "tests/common/late_caller.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::testing::HasSubstr;

constexpr std::uint64_t kSeed = 20260301;

// SeedCase, 150 invented people's records, and 40 referrals in the north.
void SeedLarge(Store& store) {
  SeedCase(store);
  Actor actor;
  actor.user = "seed";
  actor.role = "system";
  (void)store.PutRecords(actor, SyntheticPeople(150, kSeed).records);
  std::vector<StoredReferral> referrals;
  for (int k = 0; k < 40; ++k) {
    StoredReferral r;
    r.referral_id = "R-SEED-" + std::to_string(k);
    r.submission_id = "seed-" + std::to_string(k);
    r.area = "north";
    r.agency = "police-north";
    r.source = ReferralSource::kPolice;
    r.referred_on = Date{2026, 2, 1 + k % 27};
    r.victim_record_id = k % 2 == 0 ? "V1" : "V2";
    r.perpetrator_record_ids = {"P1"};
    r.criteria = {"visible_high_risk"};
    referrals.push_back(std::move(r));
  }
  (void)store.SubmitReferrals(actor, referrals);
}

// Rows of the tables a call could write, read beside the running server.
std::map<std::string, std::int64_t> Rows(const std::string& path) {
  std::map<std::string, std::int64_t> out;
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  for (const char* table :
       {"records", "record_person", "person_events", "referrals", "meetings",
        "agendas", "review_decisions"}) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db,
                       (std::string("SELECT count(*) FROM ") + table).c_str(),
                       -1, &s, nullptr);
    out[table] =
        sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return out;
}

using Channel = std::shared_ptr<grpc::Channel>;

grpc::Status ListReferrals(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  v1::ListReferralsRequest request;
  request.set_purpose("case review");
  request.set_area("north");
  v1::ListReferralsResponse response;
  return v1::ReferralService::NewStub(channel)->ListReferrals(&context, request,
                                                              &response);
}

grpc::Status GetReferral(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "police-north", "referrer");
  v1::GetReferralRequest request;
  request.set_referral_id("R-SEED-3");
  request.set_purpose("case review");
  v1::GetReferralResponse response;
  return v1::ReferralService::NewStub(channel)->GetReferral(&context, request,
                                                            &response);
}

grpc::Status SubmitReferral(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "police-north", "referrer");
  v1::SubmitReferralRequest request;
  request.set_request_id("late-1");
  v1::Referral* r = request.mutable_referral();
  r->set_area("north");
  r->set_source(v1::REFERRAL_SOURCE_POLICE);
  SetDate(r->mutable_referred_on(), 2026, 2, 3);
  r->set_victim_record_id("V1");
  r->set_assessment_id("A1");  // Read to check it is stored.
  r->add_criteria(v1::CRITERION_VISIBLE_HIGH_RISK);
  v1::SubmitReferralResponse response;
  const grpc::Status status =
      v1::ReferralService::NewStub(channel)->SubmitReferral(&context, request,
                                                            &response);
  // No attempt the deadline stopped wrote it.
  EXPECT_FALSE(status.ok() && response.replayed());
  return status;
}

grpc::Status ResolveRecord(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  v1::ResolveRecordRequest request;
  v1::PersonRecord* r = request.mutable_record();
  r->set_record_id("NEW-1");
  r->set_source("idva");
  r->set_given_name("Delyth");
  r->set_family_name("Imaginary");
  SetDate(r->mutable_date_of_birth(), 1992, 7, 9);
  r->set_postcode("ZZ9 9ZZ");
  r->set_role(v1::PERSON_ROLE_VICTIM);
  request.set_purpose("new referral");
  v1::ResolveRecordResponse response;
  return v1::IdentityService::NewStub(channel)->ResolveRecord(&context, request,
                                                              &response);
}

grpc::Status ExplainMatch(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  v1::ExplainMatchRequest request;
  request.set_record_id_a("V1");
  request.set_record_id_b("V2");
  request.set_purpose("clerical review");
  v1::ExplainMatchResponse response;
  return v1::IdentityService::NewStub(channel)->ExplainMatch(&context, request,
                                                             &response);
}

grpc::Status RecordReviewDecision(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  v1::RecordReviewDecisionRequest request;
  request.set_record_id_a("V1");
  request.set_record_id_b("V2");
  request.set_verdict(v1::REVIEW_VERDICT_NOT_SAME);
  request.set_purpose("clerical review");
  v1::RecordReviewDecisionResponse response;
  return v1::IdentityService::NewStub(channel)->RecordReviewDecision(
      &context, request, &response);
}

grpc::Status GenerateAgenda(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  v1::GenerateAgendaRequest request;
  request.set_area("north");
  SetDate(request.mutable_meeting_date(), 2026, 3, 20);
  request.set_capacity_cases(5);
  request.set_save(true);
  request.set_purpose("MARAC agenda for 2026-03-20");
  v1::GenerateAgendaResponse response;
  return v1::AgendaService::NewStub(channel)->GenerateAgenda(&context, request,
                                                             &response);
}

grpc::Status ListMeetings(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  v1::ListMeetingsRequest request;
  request.set_area("north");
  request.set_purpose("planning");
  v1::ListMeetingsResponse response;
  return v1::AgendaService::NewStub(channel)->ListMeetings(&context, request,
                                                           &response);
}

grpc::Status GetStatistics(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  v1::GetStatisticsRequest request;
  request.set_area("north");
  SetDate(request.mutable_period_start(), 2026, 1, 1);
  SetDate(request.mutable_period_end(), 2026, 2, 28);
  request.set_purpose("quarterly return");
  v1::GetStatisticsResponse response;
  return v1::StatisticsService::NewStub(channel)->GetStatistics(
      &context, request, &response);
}

grpc::Status VerifyAudit(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "auditor");
  v1::VerifyAuditRequest request;
  request.set_purpose("chain check");
  v1::VerifyAuditResponse response;
  const grpc::Status status = v1::AuditService::NewStub(channel)->VerifyAudit(
      &context, request, &response);
  if (status.ok()) {
    EXPECT_TRUE(response.intact()) << response.problem();
  }
  return status;
}

grpc::Status ListAuditEntries(const Channel& channel) {
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "auditor");
  v1::ListAuditEntriesRequest request;
  request.set_purpose("audit");
  v1::ListAuditEntriesResponse response;
  return v1::AuditService::NewStub(channel)->ListAuditEntries(&context, request,
                                                              &response);
}

struct CallCase {
  const char* label;
  grpc::Status (*call)(const Channel&);
  // Where some failure says it stopped (the deadline reached this work);
  // the second may be null.
  const char* stops_in[2];
  // The table the call adds one row to once it succeeds (null: none).
  const char* writes;
};
// In this order: each call's writes are there for the ones after it.
constexpr CallCase kCalls[] = {
    {"ListReferrals",
     ListReferrals,
     {"store: reading referral", nullptr},
     nullptr},
    {"GetReferral", GetReferral, {"store: reading referral", nullptr}, nullptr},
    {"SubmitReferral",
     SubmitReferral,
     {"store: reading assessment", "before the referral was written"},
     "referrals"},
    {"ResolveRecord",
     ResolveRecord,
     {"store: reading record", "before the record was stored"},
     "records"},
    {"ExplainMatch", ExplainMatch, {"store: reading record", nullptr}, nullptr},
    {"RecordReviewDecision",
     RecordReviewDecision,
     {"store: reading record", "before the decision was stored"},
     "review_decisions"},
    {"GenerateAgenda",
     GenerateAgenda,
     {"store: reading record", "store: reading agenda"},
     "agendas"},
    {"ListMeetings",
     ListMeetings,
     {"store: reading meeting", nullptr},
     nullptr},
    {"GetStatistics",
     GetStatistics,
     {"store: reading record", "store: reading meeting"},
     nullptr},
    {"VerifyAudit",
     VerifyAudit,
     {"store: reading audit_log", nullptr},
     nullptr},
    {"ListAuditEntries",
     ListAuditEntries,
     {"store: reading audit_log", nullptr},
     nullptr},
};

// The checks at which the deadline passes: each of the first 32 (every
// store read and the last check before a write, in all but resolution),
// then a third more each time, up to the call's last.
int NextCheck(int k) { return k < 32 ? k + 1 : k + k / 3; }

TEST(DeadlineServiceTest, EveryCallStopsAtItsDeadlineAndWritesNothing) {
  const auto clock = std::make_shared<LateCaller>();
  ServerLimits limits = TestLimits();
  limits.max_message_bytes = 1 << 20;  // A 40-referral agenda.
  TestServer t(SeedLarge, limits, DefaultPrincipals(),
               [clock] { return clock->now(); });
  ASSERT_TRUE(t.ok()) << t.start_error();
  // The people are loaded at start, off the calls: an identity call waits
  // for that once here, so each late check below falls in the call's own
  // work.
  clock->LateAfter(std::numeric_limits<int>::max());
  ASSERT_TRUE(ExplainMatch(t.channel()).ok());
  for (const CallCase& c : kCalls) {
    SCOPED_TRACE(c.label);
    const std::map<std::string, std::int64_t> before = Rows(t.store_path());
    std::vector<std::string> stopped;
    // The first reading converts gRPC's deadline, so it cannot be late.
    for (int k = 1;; k = NextCheck(k)) {
      ASSERT_LT(k, 100'000) << "the call never finished";
      SCOPED_TRACE("late from check " + std::to_string(k));
      clock->LateAfter(k);
      const grpc::Status status = c.call(t.channel());
      if (status.ok()) break;
      ASSERT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED)
          << status.error_message();
      // The server's own answer, naming what it stopped.
      EXPECT_THAT(status.error_message(), HasSubstr(": the deadline passed"));
      stopped.push_back(status.error_message());
      EXPECT_EQ(Rows(t.store_path()), before);
    }
    EXPECT_EQ(stopped.front(), "before the call started: the deadline passed");
    for (const char* where : c.stops_in) {
      if (where != nullptr) {
        EXPECT_THAT(stopped, ::testing::Contains(HasSubstr(where)));
      }
    }
    std::map<std::string, std::int64_t> want = before;
    if (c.writes != nullptr) {
      ++want[c.writes];
      EXPECT_EQ(Rows(t.store_path())[c.writes], want[c.writes]);
    } else {
      EXPECT_EQ(Rows(t.store_path()), want);
    }
  }
  // Time stands still again: the chain of every audited read holds.
  clock->LateAfter(std::numeric_limits<int>::max());
  EXPECT_TRUE(VerifyAudit(t.channel()).ok());
}

TEST(DeadlineServiceTest, ACallWithoutADeadlineRunsToTheEnd) {
  TestServer t(SeedLarge);
  ASSERT_TRUE(t.ok()) << t.start_error();
  grpc::ClientContext context;
  context.AddMetadata("authorization",
                      "Bearer " + TestToken("marac-north", "coordinator"));
  v1::ExplainMatchRequest request;
  request.set_record_id_a("V1");
  request.set_record_id_b("V2");
  request.set_purpose("clerical review");
  v1::ExplainMatchResponse response;
  const grpc::Status status = v1::IdentityService::NewStub(t.channel())
                                  ->ExplainMatch(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_GT(response.terms_size(), 1);
}

struct MappingCase {
  const char* label;
  Status status;
  grpc::StatusCode want;
};

TEST(DeadlineServiceTest, StoppedWorkMapsToGrpcCodesSayingWhatStopped) {
  const MappingCase cases[] = {
      {"DeadlineExceeded",
       DeadlineExceeded("store: reading record: the deadline passed"),
       grpc::StatusCode::DEADLINE_EXCEEDED},
      {"Cancelled", Cancelled("resolving records: the caller cancelled"),
       grpc::StatusCode::CANCELLED},
  };
  for (const MappingCase& c : cases) {
    SCOPED_TRACE(c.label);
    const grpc::Status mapped = ToGrpcStatus(c.status);
    EXPECT_EQ(mapped.error_code(), c.want);
    EXPECT_EQ(mapped.error_message(), c.status.message());
  }
}

}  // namespace
}  // namespace marac
