// An in-process marac-server on a loopback port over a fresh store in a
// temporary directory, and client helpers, for the server tests. Every
// person here is invented.
#ifndef MARAC_TESTS_SERVER_TEST_SERVER_H_
#define MARAC_TESTS_SERVER_TEST_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "lib/store/sha256.h"
#include "marac/store/store.h"
#include "marac/v1/agenda.grpc.pb.h"
#include "marac/v1/assessment.pb.h"
#include "marac/v1/common.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "services/server/principals.h"
#include "services/server/server.h"

namespace marac {

inline constexpr Date kToday{2026, 3, 1};

inline void SetDate(v1::Date* d, int year, int month, int day) {
  d->set_year(year);
  d->set_month(month);
  d->set_day(day);
}

// A RIC with `yes` yes answers and the rest no, completed 2026-02-01.
inline v1::Assessment Ric(int yes) {
  v1::Assessment a;
  a.set_assessment_id("AS-1");
  a.set_instrument("safelives-ric");
  SetDate(a.mutable_completed_on(), 2026, 2, 1);
  for (int q = 1; q <= 24; ++q) {
    (*a.mutable_answers())[q] = q <= yes ? v1::ANSWER_YES : v1::ANSWER_NO;
  }
  return a;
}

// Small limits, so each is easy to pass.
inline ServerLimits TestLimits() {
  return {.max_message_bytes = 64 * 1024,
          .max_string_bytes = 256,
          .max_list_items = 5,
          .max_stream_messages = 3,
          .max_open_streams = 2,
          .max_queued_calls = 100};
}

// A principal of the test principals file, with its token in the clear
// (the file holds only the hash).
struct TestPrincipal {
  std::string user;
  std::string agency;
  std::vector<std::string> roles;
  std::vector<std::string> areas;
  std::string token;                   // Empty: none.
  std::string subject;                 // Empty: none.
  std::string token_valid_until = "";  // Empty: no expiry.
};

inline constexpr const char* kTestAgencies[] = {"police-north", "police-south",
                                                "idva-north",   "idva-south",
                                                "marac-north",  "marac-south"};

// The area an invented agency works in: "north" for "*-north".
inline std::string AreaOf(const std::string& agency) {
  return agency.ends_with("-south") ? "south" : "north";
}

// The bearer token of the test principal of `agency` in `role`.
inline std::string TestToken(const std::string& agency,
                             const std::string& role) {
  return "tok-" + role + "-" + agency;
}

// Every role in every test agency, one principal each, with the area its
// agency's name says; user "u-<role>-<agency>".
inline std::vector<TestPrincipal> DefaultPrincipals() {
  std::vector<TestPrincipal> out;
  for (const char* agency : kTestAgencies) {
    for (const std::string_view role : kRoleNames) {
      const std::string r(role);
      out.push_back({"u-" + r + "-" + agency,
                     agency,
                     {r},
                     {AreaOf(agency)},
                     TestToken(agency, r),
                     ""});
    }
  }
  return out;
}

// The marac-principals/1 document for `principals`.
inline std::string PrincipalsJson(
    const std::vector<TestPrincipal>& principals) {
  const auto list = [](const std::vector<std::string>& items) {
    std::string out = "[";
    for (std::size_t i = 0; i < items.size(); ++i) {
      out += (i == 0 ? "\"" : ", \"") + items[i] + "\"";
    }
    return out + "]";
  };
  std::string json = "{\"format\": \"marac-principals/1\", \"principals\": [";
  for (std::size_t i = 0; i < principals.size(); ++i) {
    const TestPrincipal& p = principals[i];
    json += i == 0 ? "\n" : ",\n";
    json += "{\"user\": \"" + p.user + "\", \"agency\": \"" + p.agency +
            "\", \"roles\": " + list(p.roles) + ", \"areas\": " + list(p.areas);
    if (!p.token.empty()) {
      json += ", \"token_sha256\": \"" + *Sha256Hex(p.token) + "\"";
    }
    if (!p.subject.empty()) {
      json += ", \"certificate_subject\": \"" + p.subject + "\"";
    }
    if (!p.token_valid_until.empty()) {
      json += ", \"token_valid_until\": \"" + p.token_valid_until + "\"";
    }
    json += "}";
  }
  return json + "]}\n";
}

inline bool WriteTextFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

class TestServer {
 public:
  // Seeds the store with `seed` (before the server opens it), then starts
  // in development plaintext on loopback, with `principals` as callers and
  // `steady_now` as the clock call deadlines are kept on (empty: the steady
  // clock), and `lose_answer_after_commit` to lose answers
  // (ServiceOptions).
  explicit TestServer(
      const std::function<void(Store&)>& seed = {},
      ServerLimits limits = TestLimits(),
      const std::vector<TestPrincipal>& principals = DefaultPrincipals(),
      std::function<std::chrono::steady_clock::time_point()> steady_now = {},
      std::function<bool(std::string_view)> lose_answer_after_commit = {},
      const std::string& store = {}) {
    char pattern[] = "/tmp/marac-server-test-XXXXXX";
    const char* made = mkdtemp(pattern);
    dir_ = made != nullptr ? made : "";
    config_.listen = "127.0.0.1:0";
    // Empty: a SQLite file of its own; else a location to share.
    config_.store = store.empty() ? dir_ + "/marac.db" : store;
    config_.limits = limits;
    config_.worker_threads = 2;
    config_.shutdown_grace_ms = 2000;
    config_.development_plaintext = true;
    config_.principals = dir_ + "/principals.json";
    (void)WriteTextFile(config_.principals, PrincipalsJson(principals));
    if (seed) {
      Result<std::unique_ptr<Store>> opened = OpenStore(config_.store);
      if (opened.ok()) seed(**opened);
    }
    ServiceOptions options;
    options.today = [] { return kToday; };
    options.steady_now = std::move(steady_now);
    options.lose_answer_after_commit = std::move(lose_answer_after_commit);
    // A sanitizer build loads even a few hundred records slowly: identity
    // calls in tests wait for the load rather than answer UNAVAILABLE.
    options.wait_for_people = std::chrono::minutes(2);
    Result<std::unique_ptr<MaracServer>> started =
        MaracServer::Start(config_, options);
    if (started.ok()) {
      server_ = *std::move(started);
      channel_ =
          grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                              grpc::InsecureChannelCredentials());
    } else {
      start_error_ = started.status().ToString();
    }
  }
  ~TestServer() {
    server_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  bool ok() const { return server_ != nullptr; }
  const std::string& start_error() const { return start_error_; }
  MaracServer& server() { return *server_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  const std::string& store_path() const { return config_.store; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  ServerConfig config_;
  std::string start_error_;
  std::unique_ptr<MaracServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

// Sets the bearer token of the test principal of `agency` in `role` (see
// DefaultPrincipals) and a deadline 30 s away.
inline void AsCaller(grpc::ClientContext& context,
                     const std::string& agency = "police-north",
                     const std::string& role = "referrer") {
  context.AddMetadata("authorization", "Bearer " + TestToken(agency, role));
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
}

// Submits, as north's police, a referral of `victim` on 2026-02-`day`
// meeting the visible-high-risk criterion; its id, or empty.
inline std::string Refer(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& request_id,
                         const std::string& victim, int day) {
  auto stub = v1::ReferralService::NewStub(channel);
  grpc::ClientContext context;
  AsCaller(context);
  v1::SubmitReferralRequest request;
  request.set_request_id(request_id);
  v1::Referral* r = request.mutable_referral();
  r->set_area("north");
  r->set_source(v1::REFERRAL_SOURCE_POLICE);
  SetDate(r->mutable_referred_on(), 2026, 2, day);
  r->set_victim_record_id(victim);
  r->add_criteria(v1::CRITERION_VISIBLE_HIGH_RISK);
  v1::SubmitReferralResponse response;
  const grpc::Status status =
      stub->SubmitReferral(&context, request, &response);
  return status.ok() ? response.referral().referral_id() : "";
}

// North's agenda for the meeting of 2026-03-20, asked by its coordinator
// (CallGenerate) with the purpose every read states.
inline v1::GenerateAgendaRequest AgendaRequest(bool save, int capacity = 5) {
  v1::GenerateAgendaRequest r;
  r.set_area("north");
  SetDate(r.mutable_meeting_date(), 2026, 3, 20);
  r.set_capacity_cases(capacity);
  r.set_save(save);
  r.set_purpose("MARAC agenda for 2026-03-20");
  return r;
}

inline grpc::Status CallGenerate(const std::shared_ptr<grpc::Channel>& channel,
                                 const v1::GenerateAgendaRequest& request,
                                 v1::GenerateAgendaResponse* response) {
  auto stub = v1::AgendaService::NewStub(channel);
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  return stub->GenerateAgenda(&context, request, response);
}

// The field paths of the BadRequest in `status`; empty when it has none.
inline std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  std::vector<std::string> fields;
  google::rpc::Status rpc;
  if (!rpc.ParseFromString(status.error_details())) return fields;
  for (const google::protobuf::Any& any : rpc.details()) {
    google::rpc::BadRequest bad_request;
    if (any.type_url() != "type.googleapis.com/google.rpc.BadRequest" ||
        !any.UnpackTo(&bad_request)) {
      continue;
    }
    for (const auto& v : bad_request.field_violations()) {
      fields.push_back(v.field());
    }
  }
  return fields;
}

// Invented people for the store.
inline PersonRecord InventedRecord(std::string id, std::string given,
                                   std::string family, std::string dob,
                                   Role role,
                                   std::string postcode = "ZZ1 1AA") {
  PersonRecord r;
  r.record_id = std::move(id);
  r.source = "police";
  r.given_name = std::move(given);
  r.family_name = std::move(family);
  r.dob = std::move(dob);
  r.postcode = std::move(postcode);
  r.address_line = "1 Nowhere Row";
  r.role = role;
  return r;
}

// Victim V1 (Alys Testwell) and perpetrator P1, and assessment A1 of V1.
inline void SeedCase(Store& store) {
  Actor actor;
  actor.user = "seed";
  actor.role = "system";
  const PersonRecord people[] = {
      InventedRecord("V1", "Alys", "Testwell", "1990-04-02", Role::kVictim),
      InventedRecord("V2", "Bryony", "Fakenham", "1985-11-20", Role::kVictim),
      InventedRecord("P1", "Carwyn", "Notreal", "1988-01-15",
                     Role::kPerpetrator)};
  (void)store.PutRecords(actor, people);
  StoredAssessment a;
  a.assessment_id = "A1";
  a.victim_record_id = "V1";
  a.instrument = "safelives-ric";
  a.policy_version = "marac-default-2026.1";
  // Newer stores also record the instrument definition's version.
  [](auto& stored) {
    if constexpr (requires { stored.instrument_version; }) {
      stored.instrument_version = "1";
    }
  }(a);
  a.completed_on = Date{2026, 2, 1};
  a.score = 15;
  a.grade = Grade::kHigh;
  a.marac_referral = true;
  a.criteria = {"visible_high_risk"};
  a.result_json = "{}";
  (void)store.PutAssessments(actor, {&a, 1});
}

}  // namespace marac

#endif  // MARAC_TESTS_SERVER_TEST_SERVER_H_
