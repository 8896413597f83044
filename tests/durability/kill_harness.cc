// Durability of acknowledged referrals when marac-server is killed: the
// server runs as a child process over a seeded store, several clients
// submit referrals, each under its own request id, and the harness kills
// the server with SIGKILL at random moments and restarts it. A client
// retries a call that was not acknowledged with the same request id, as
// docs/server.md tells client authors to. At the end (after one more
// SIGKILL) the store must hold every acknowledged referral exactly once,
// under the id it was acknowledged with, pass PRAGMA integrity_check, and
// keep an intact audit chain with a row for every referral.
//
// With --store postgresql://... and --servers N, N servers share that
// PostgreSQL store: each client starts on its own server and retries an
// unacknowledged call on the next one with the same request id (a retry
// across servers), the killer picks a server at random, and each
// acknowledged referral checked at the end is submitted again to another
// server than the one that acknowledged it, which must read it back as a
// replay under the same id.
// docs/durability.md describes the runs and their figures. Longer than 700
// lines because it is one program: the child server, the clients, the
// kills and the final checks.
//
//   kill_harness --server build/bin/marac-server [--kills 8] [--clients 6]
//                [--min-acks 3000] [--seed 1] [--time-limit 600] [--keep]
//                [--store postgresql://... [--servers 3]]
//
// Prints, last,
//   durability: 6412 acknowledged, 0 lost, 0 duplicates, 9 kills; audit chain
//   intact
// Exit status: 0 when nothing was lost or duplicated and the store
// verifies; 1 otherwise (or when the server would not run); 2 for bad usage.
// Every person in the seeded store is invented.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "lib/store/sha256.h"
#include "marac/identity/person_record.h"
#include "marac/store/store.h"
#include "marac/v1/referral.grpc.pb.h"

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char* kUsage =
    "usage: kill_harness --server PATH [--kills N] [--clients N]\n"
    "                    [--min-acks N] [--seed N] [--time-limit SECONDS]\n"
    "                    [--min-interval-ms N] [--max-interval-ms N] "
    "[--keep]\n"
    "                    [--store postgresql://URI [--servers N]]\n";

struct Options {
  std::string server;          // The marac-server binary.
  int kills = 8;               // SIGKILLs while the clients submit.
  int clients = 6;             // Client threads, each with its own channel.
  std::int64_t min_acks = 0;   // Keep submitting until this many are acked.
  std::uint64_t seed = 0;      // 0: from the clock (printed, to replay).
  int time_limit_s = 600;      // The whole run at most.
  int min_interval_ms = 200;   // A server lives this long at least,
  int max_interval_ms = 2000;  // and this long at most, before its kill.
  bool keep = false;           // Keep the scratch directory.
  std::string store;           // PostgreSQL URI; empty: a scratch SQLite file.
  int servers = 1;             // Server processes sharing the store.
};

// ---- How to start marac-server and authenticate: the one place ----------
//
// The caller contract (docs/server.md): config keys "development_plaintext"
// (plaintext, loopback only) and "principals" (a marac-principals/1 file
// holding each token's SHA-256), and "authorization: Bearer <token>" on
// every call. A server built before that contract refuses both keys as
// unknown and reads the caller from x-marac-user, x-marac-role and
// x-marac-agency instead; the harness asks the binary (--check-config)
// which configuration it takes and, for the older one, sends the headers
// as well as the token.

constexpr const char* kUser = "u-durability";
constexpr const char* kRole = "referrer";
constexpr const char* kAgency = "police-north";
constexpr const char* kArea = "north";
// A test token, never used outside this harness's scratch server.
constexpr const char* kToken = "durability-harness-token-8c1f4e2a";

struct ServerAccess {
  std::string config_path;
  bool legacy_headers = false;  // The server predates the bearer contract.
};

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs `argv` with stdout and stderr to `log`; its exit status (-1 when it
// could not run or died of a signal).
int RunToLog(const std::vector<std::string>& argv, const std::string& log);

// Writes the server's configuration (and principals file) into `dir` for
// a server on 127.0.0.1:`port` over `store`, in the form the binary takes.
std::optional<ServerAccess> PrepareServer(const std::string& binary,
                                          const std::string& dir, int port,
                                          const std::string& store,
                                          std::string& error) {
  const std::string principals = dir + "/principals.json";
  WriteFile(principals,
            std::string("{\"format\": \"marac-principals/1\", \"principals\": "
                        "[{\"user\": \"") +
                kUser + "\", \"agency\": \"" + kAgency + "\", \"roles\": [\"" +
                kRole + "\"], \"areas\": [\"" + kArea +
                "\"], \"token_sha256\": \"" + *marac::Sha256Hex(kToken) +
                "\"}]}\n");
  const std::string common = std::string(
                                 "{\"format\": \"marac-server/1\", \"listen\": "
                                 "\"127.0.0.1:") +
                             std::to_string(port) + "\", \"store\": \"" +
                             store + "\", \"shutdown_grace_ms\": 1000";
  ServerAccess access;
  access.config_path = dir + "/server.json";
  const std::string check_log = dir + "/check-config.log";
  WriteFile(access.config_path, common +
                                    ", \"development_plaintext\": true, "
                                    "\"principals\": \"" +
                                    principals + "\"}\n");
  if (RunToLog({binary, "--check-config", access.config_path}, check_log) ==
      0) {
    return access;
  }
  const std::string refused = ReadFile(check_log);
  WriteFile(access.config_path, common + "}\n");
  if (RunToLog({binary, "--check-config", access.config_path}, check_log) ==
      0) {
    access.legacy_headers = true;
    return access;
  }
  error = "the server takes neither configuration: " + refused + " / " +
          ReadFile(check_log);
  return std::nullopt;
}

// The caller's credentials on one call.
void AddCaller(grpc::ClientContext& context, const ServerAccess& access) {
  context.AddMetadata("authorization", std::string("Bearer ") + kToken);
  if (access.legacy_headers) {
    context.AddMetadata("x-marac-user", kUser);
    context.AddMetadata("x-marac-role", kRole);
    context.AddMetadata("x-marac-agency", kAgency);
  }
}

std::shared_ptr<grpc::Channel> Channel(int port) {
  grpc::ChannelArguments args;
  // Reconnect within tens of milliseconds of a restart, not gRPC's default
  // backoff of a second and more.
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 20);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 20);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 100);
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials(), args);
}

// ---- The server as a child process ---------------------------------------

int RunToLog(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
    }
    std::vector<char*> args;
    for (const std::string& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// One marac-server process at a time. Start and Kill from one thread (the
// child dies with the thread that started it, should the harness die).
class ServerProcess {
 public:
  ServerProcess(std::string binary, std::string config, std::string dir)
      : binary_(std::move(binary)),
        config_(std::move(config)),
        dir_(std::move(dir)) {}
  ~ServerProcess() { Kill(); }

  // Starts a server; false when it could not be started.
  bool Start() {
    ++starts_;
    log_ = dir_ + "/server-" + std::to_string(starts_) + ".log";
    const pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      const int null_fd = open("/dev/null", O_RDONLY);
      const int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (null_fd >= 0) dup2(null_fd, 0);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
      }
      char* const args[] = {const_cast<char*>(binary_.c_str()),
                            const_cast<char*>("--config"),
                            const_cast<char*>(config_.c_str()), nullptr};
      execv(args[0], args);
      _exit(127);
    }
    pid_ = pid;
    return true;
  }

  // Whether the running server has said it is serving.
  bool Serving() const {
    return pid_ > 0 &&
           ReadFile(log_).find("serving on port") != std::string::npos;
  }

  // Waits up to `timeout` for the server to serve; false (with `error`) if
  // it exited or did not get there.
  bool WaitServing(milliseconds timeout, std::string& error) {
    const Clock::time_point until = Clock::now() + timeout;
    while (Clock::now() < until) {
      if (Serving()) return true;
      if (std::optional<int> exited = Exited()) {
        error = "marac-server exited (" + std::to_string(*exited) +
                ") before serving: " + ReadFile(log_);
        return false;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    error = "marac-server did not serve within the timeout: " + ReadFile(log_);
    return false;
  }

  // The exit status when the server has exited by itself (a signal as
  // 128 + its number); nullopt while it runs.
  std::optional<int> Exited() {
    if (pid_ <= 0) return std::nullopt;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  // SIGKILL, and reaps it.
  void Kill() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  const std::string& log() const { return log_; }

 private:
  std::string binary_;
  std::string config_;
  std::string dir_;
  std::string log_;
  int starts_ = 0;
  pid_t pid_ = -1;
};

// A free loopback port, for every start of the server to listen on.
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

// ---- The store before and after --------------------------------------------

constexpr int kVictims = 40;
constexpr int kPerpetrators = 20;

std::string VictimId(int i) { return "DV-V" + std::to_string(i); }
std::string PerpetratorId(int i) { return "DV-P" + std::to_string(i); }

// Invented victims and perpetrators for the referrals to name.
bool SeedStore(const std::string& location, std::string& error) {
  marac::Result<std::unique_ptr<marac::Store>> store =
      marac::OpenStore(location);
  if (!store.ok()) {
    error = store.status().ToString();
    return false;
  }
  std::vector<marac::PersonRecord> records;
  for (int i = 0; i < kVictims + kPerpetrators; ++i) {
    const bool victim = i < kVictims;
    marac::PersonRecord r;
    r.record_id = victim ? VictimId(i) : PerpetratorId(i - kVictims);
    r.source = "durability";
    r.given_name = victim ? "Testa" : "Fakir";
    r.family_name = "Durable" + std::to_string(i);
    r.dob = "19" + std::to_string(70 + i % 30) + "-0" +
            std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10);
    r.role = victim ? marac::Role::kVictim : marac::Role::kPerpetrator;
    records.push_back(std::move(r));
  }
  marac::Actor seed;
  seed.user = "durability-seed";
  seed.role = "system";
  const marac::Status put = (*store)->PutRecords(seed, records);
  if (!put.ok()) {
    error = put.ToString();
    return false;
  }
  return true;
}

// ---- Clients ---------------------------------------------------------------

struct Ack {
  std::string request_id;
  std::string referral_id;
  std::string incident_id;
  std::size_t server = 0;  // Which server acknowledged it.
};

struct ClientTally {
  std::vector<Ack> acks;
  std::int64_t requests = 0;  // Request ids sent (each until acknowledged).
  std::int64_t attempts = 0;  // Calls, retries included.
  std::int64_t replayed = 0;  // Acknowledged as a replay of an earlier commit.
  std::int64_t unfinished = 0;  // Given up at the time limit, unacknowledged.
  std::map<grpc::StatusCode, std::int64_t> retried;  // By code.
  std::vector<std::string> refusals;  // Answers that are not retried.
};

// Request `seq` of client `client`: its payload is unique (the incident id
// names the request), so a referral stored twice under two ids would show.
marac::v1::SubmitReferralRequest MakeRequest(const std::string& run, int client,
                                             std::int64_t seq) {
  marac::v1::SubmitReferralRequest request;
  const std::string tag =
      run + "-c" + std::to_string(client) + "-" + std::to_string(seq);
  request.set_request_id("dur-" + tag);
  marac::v1::Referral* r = request.mutable_referral();
  r->set_area(kArea);
  r->set_source(marac::v1::REFERRAL_SOURCE_POLICE);
  r->mutable_referred_on()->set_year(2025);
  r->mutable_referred_on()->set_month(static_cast<int>(1 + seq % 11));
  r->mutable_referred_on()->set_day(static_cast<int>(1 + seq % 28));
  r->set_victim_record_id(
      VictimId(static_cast<int>((seq + client) % kVictims)));
  r->add_perpetrator_record_ids(
      PerpetratorId(static_cast<int>((seq * 7 + client) % kPerpetrators)));
  r->set_incident_id("I-" + tag);
  r->add_criteria(marac::v1::CRITERION_VISIBLE_HIGH_RISK);
  r->set_children_in_household(static_cast<int>(seq % 4));
  return request;
}

bool Retryable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:        // Killed, or restarting.
    case grpc::StatusCode::DEADLINE_EXCEEDED:  // May have committed.
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::ABORTED:  // A referral id collision.
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::UNKNOWN:   // A connection torn mid-call.
    case grpc::StatusCode::INTERNAL:  // Likewise (RST_STREAM).
      return true;
    default:
      return false;
  }
}

struct Shared {
  ServerAccess access;
  std::vector<int> ports;  // One a server.
  std::string run;
  std::atomic<bool> stop_new{false};   // Finish the current request, stop.
  std::atomic<bool> give_up{false};    // The time limit: stop at once.
  std::atomic<std::int64_t> acked{0};  // Across clients.
};

void RunClient(Shared& shared, int client, ClientTally& tally) {
  std::vector<std::unique_ptr<marac::v1::ReferralService::Stub>> stubs;
  for (const int port : shared.ports) {
    stubs.push_back(marac::v1::ReferralService::NewStub(Channel(port)));
  }
  std::size_t at = static_cast<std::size_t>(client) % stubs.size();
  for (std::int64_t seq = 0; !shared.stop_new.load(); ++seq) {
    const marac::v1::SubmitReferralRequest request =
        MakeRequest(shared.run, client, seq);
    ++tally.requests;
    for (;;) {
      if (shared.give_up.load()) {
        ++tally.unfinished;
        return;
      }
      grpc::ClientContext context;
      AddCaller(context, shared.access);
      context.set_wait_for_ready(true);  // Through a restart.
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(5));
      marac::v1::SubmitReferralResponse response;
      ++tally.attempts;
      const grpc::Status status =
          stubs[at]->SubmitReferral(&context, request, &response);
      if (status.ok()) {
        const marac::v1::Referral& r = response.referral();
        if (r.referral_id().empty() || r.agency() != kAgency ||
            r.incident_id() != request.referral().incident_id()) {
          tally.refusals.push_back(request.request_id() +
                                   ": acknowledged with another referral");
        } else {
          tally.acks.push_back(
              {request.request_id(), r.referral_id(), r.incident_id(), at});
          if (response.replayed()) ++tally.replayed;
          shared.acked.fetch_add(1);
        }
        break;
      }
      if (!Retryable(status.error_code())) {
        tally.refusals.push_back(request.request_id() + ": code " +
                                 std::to_string(status.error_code()) + " " +
                                 status.error_message());
        break;
      }
      ++tally.retried[status.error_code()];
      // The same request id, on the next server (the same one when alone).
      at = (at + 1) % stubs.size();
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
}

// Sends up to `count` acknowledged requests again: each must come back as a
// replay of the referral first acknowledged. The number that do not.
std::int64_t CheckReplays(const Shared& shared, const std::vector<Ack>& acks,
                          std::size_t count, std::mt19937_64& random,
                          std::vector<std::string>& problems) {
  std::vector<std::unique_ptr<marac::v1::ReferralService::Stub>> stubs;
  for (const int port : shared.ports) {
    stubs.push_back(marac::v1::ReferralService::NewStub(Channel(port)));
  }
  std::unordered_map<std::string, std::pair<int, std::int64_t>> origin;
  std::int64_t bad = 0;
  for (std::size_t n = 0; n < count && !acks.empty(); ++n) {
    const Ack& ack = acks[random() % acks.size()];
    // The request id is dur-<run>-c<client>-<seq>.
    const std::string tail = ack.request_id.substr(shared.run.size() + 6);
    const std::size_t dash = tail.find('-');
    const int client = std::stoi(tail.substr(0, dash));
    const std::int64_t seq = std::stoll(tail.substr(dash + 1));
    const marac::v1::SubmitReferralRequest request =
        MakeRequest(shared.run, client, seq);
    grpc::ClientContext context;
    AddCaller(context, shared.access);
    context.set_wait_for_ready(true);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(10));
    marac::v1::SubmitReferralResponse response;
    // Read back through another server than the one that acknowledged it.
    const grpc::Status status =
        stubs[(ack.server + 1) % stubs.size()]->SubmitReferral(
            &context, request, &response);
    if (!status.ok() || !response.replayed() ||
        response.referral().referral_id() != ack.referral_id) {
      ++bad;
      problems.push_back(
          ack.request_id + ": a retry after the run " +
          (status.ok() ? std::string(response.replayed() ? "named another id"
                                                         : "was not a replay")
                       : "failed: " + status.error_message()));
    }
  }
  return bad;
}

// ---- Verification
// ------------------------------------------------------------

struct Verdict {
  std::int64_t lost = 0;            // Acknowledged, absent or under another id.
  std::int64_t duplicates = 0;      // Stored more than once.
  std::int64_t unacknowledged = 0;  // Stored, never acknowledged.
  std::int64_t missing_audit = 0;   // Stored without its audit row.
  bool integrity_ok = false;
  std::string integrity;
  bool audit_intact = false;
  std::string audit;
  std::int64_t stored = 0;
};

std::string IntegrityCheck(const std::string& path) {
  sqlite3* db = nullptr;
  std::string result;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
      SQLITE_OK) {
    result = std::string("cannot open: ") + sqlite3_errmsg(db);
    sqlite3_close(db);
    return result;
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &statement,
                         nullptr) == SQLITE_OK) {
    while (sqlite3_step(statement) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(statement, 0);
      if (!result.empty()) result += "; ";
      result += text != nullptr ? reinterpret_cast<const char*>(text) : "";
    }
  } else {
    result = std::string("cannot check: ") + sqlite3_errmsg(db);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return result;
}

Verdict Verify(const std::string& location, const std::string& run,
               const std::vector<Ack>& acks,
               std::vector<std::string>& problems) {
  Verdict v;
  // PostgreSQL checks its own pages; the harness checks what it stored.
  v.integrity = marac::IsPostgresUri(location) ? std::string("ok (PostgreSQL)")
                                               : IntegrityCheck(location);
  v.integrity_ok = v.integrity.starts_with("ok");
  marac::StoreOptions options;
  options.create = false;
  marac::Result<std::unique_ptr<marac::Store>> store =
      marac::OpenStore(location, options);
  if (!store.ok()) {
    problems.push_back("the store does not open: " + store.status().ToString());
    v.lost = static_cast<std::int64_t>(acks.size());
    return v;
  }
  marac::Actor auditor;
  auditor.user = "durability-check";
  auditor.role = "auditor";
  auditor.purpose = "durability test: verify the store after SIGKILL";
  const marac::Result<std::vector<marac::StoredReferral>> referrals =
      (*store)->Referrals(auditor, "", std::nullopt);
  if (!referrals.ok()) {
    problems.push_back("referrals unreadable: " +
                       referrals.status().ToString());
    v.lost = static_cast<std::int64_t>(acks.size());
    return v;
  }
  v.stored = static_cast<std::int64_t>(referrals->size());
  std::unordered_map<std::string, std::vector<const marac::StoredReferral*>>
      by_submission;
  std::unordered_map<std::string, int> by_incident;
  std::unordered_map<std::string, int> by_referral_id;
  for (const marac::StoredReferral& r : *referrals) {
    by_submission[r.submission_id].push_back(&r);
    ++by_incident[r.incident_id];
    ++by_referral_id[r.referral_id];
  }
  for (const auto& [submission, rows] : by_submission) {
    v.duplicates += static_cast<std::int64_t>(rows.size()) - 1;
  }
  for (const auto& [incident, n] : by_incident) {
    if (n > 1) {
      v.duplicates += n - 1;
      problems.push_back("incident " + incident + " stored " +
                         std::to_string(n) + " times");
    }
  }
  for (const auto& [id, n] : by_referral_id) {
    if (n > 1) v.duplicates += n - 1;
  }
  std::set<std::string> acknowledged;
  for (const Ack& ack : acks) {
    if (!acknowledged.insert(ack.request_id).second) {
      ++v.duplicates;
      problems.push_back(ack.request_id + ": acknowledged twice");
      continue;
    }
    const auto found = by_submission.find(ack.request_id);
    if (found == by_submission.end()) {
      ++v.lost;
      if (v.lost <= 10) problems.push_back(ack.request_id + ": lost");
    } else if (found->second.front()->referral_id != ack.referral_id) {
      ++v.lost;
      if (v.lost <= 10) {
        problems.push_back(ack.request_id + ": stored as " +
                           found->second.front()->referral_id +
                           ", acknowledged as " + ack.referral_id);
      }
    }
  }
  const std::string prefix = "dur-" + run + "-";
  for (const auto& [submission, rows] : by_submission) {
    if (submission.starts_with(prefix) && !acknowledged.contains(submission)) {
      ++v.unacknowledged;
    }
  }

  // Each stored referral's collection is in the audit log.
  std::set<std::string> audited;
  std::int64_t after = 0;
  // Reading the log appends a row for the read, so stop at a short page,
  // not an empty one.
  constexpr std::size_t kPage = 10000;
  for (;;) {
    const marac::Result<std::vector<marac::AuditEntry>> page =
        (*store)->Audit(auditor, after, kPage);
    if (!page.ok()) {
      problems.push_back("audit log unreadable: " + page.status().ToString());
      break;
    }
    if (page->empty()) break;
    for (const marac::AuditEntry& e : *page) {
      if (e.action == "collect" && e.object_type == "referral" &&
          e.outcome == "ok") {
        audited.insert(e.object_ids.begin(), e.object_ids.end());
      }
      after = e.sequence;
    }
    if (page->size() < kPage) break;
  }
  for (const marac::StoredReferral& r : *referrals) {
    if (!audited.contains(r.referral_id)) ++v.missing_audit;
  }

  const marac::Result<marac::AuditVerification> chain =
      (*store)->VerifyAudit(auditor, std::nullopt);
  if (!chain.ok()) {
    v.audit = "unverifiable: " + chain.status().ToString();
  } else {
    v.audit_intact = chain->intact;
    v.audit = chain->intact
                  ? "intact (" + std::to_string(chain->entries) + " entries)"
                  : "broken at " + std::to_string(chain->broken_at) + ": " +
                        chain->problem;
  }
  return v;
}

// ---- The run
// -----------------------------------------------------------------

bool ParseInt(std::string_view text, std::int64_t min, std::int64_t& out) {
  try {
    std::size_t used = 0;
    const long long value = std::stoll(std::string(text), &used);
    if (used != text.size() || value < min) return false;
    out = value;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

std::optional<Options> ParseOptions(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--keep") {
      o.keep = true;
      continue;
    }
    if (i + 1 >= argc) return std::nullopt;
    const std::string_view value = argv[++i];
    std::int64_t n = 0;
    if (arg == "--server") {
      o.server = value;
    } else if (arg == "--kills" && ParseInt(value, 0, n)) {
      o.kills = static_cast<int>(n);
    } else if (arg == "--clients" && ParseInt(value, 1, n) && n <= 64) {
      o.clients = static_cast<int>(n);
    } else if (arg == "--min-acks" && ParseInt(value, 0, n)) {
      o.min_acks = n;
    } else if (arg == "--seed" && ParseInt(value, 0, n)) {
      o.seed = static_cast<std::uint64_t>(n);
    } else if (arg == "--time-limit" && ParseInt(value, 1, n)) {
      o.time_limit_s = static_cast<int>(n);
    } else if (arg == "--min-interval-ms" && ParseInt(value, 1, n)) {
      o.min_interval_ms = static_cast<int>(n);
    } else if (arg == "--max-interval-ms" && ParseInt(value, 1, n)) {
      o.max_interval_ms = static_cast<int>(n);
    } else if (arg == "--store" && marac::IsPostgresUri(value)) {
      o.store = value;
    } else if (arg == "--servers" && ParseInt(value, 1, n) && n <= 8) {
      o.servers = static_cast<int>(n);
    } else {
      return std::nullopt;
    }
  }
  if (o.server.empty() || o.min_interval_ms > o.max_interval_ms ||
      (o.servers > 1 && o.store.empty())) {
    return std::nullopt;
  }
  return o;
}

int Fail(const std::string& message) {
  std::cerr << "durability: " << message << "\n";
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::optional<Options> parsed = ParseOptions(argc, argv);
  if (!parsed) {
    std::cerr << kUsage;
    return 2;
  }
  Options options = *parsed;
  options.server = std::filesystem::absolute(options.server).string();
  if (options.seed == 0) {
    options.seed = static_cast<std::uint64_t>(
        std::chrono::system_clock::now().time_since_epoch().count());
  }
  std::mt19937_64 random(options.seed);
  const Clock::time_point started = Clock::now();
  const Clock::time_point time_limit =
      started + std::chrono::seconds(options.time_limit_s);

  char pattern[] = "/tmp/marac-durability-XXXXXX";
  const char* made = mkdtemp(pattern);
  if (made == nullptr) return Fail("cannot make a scratch directory");
  const std::string dir = made;
  const std::string store_path =
      options.store.empty() ? dir + "/marac.db" : options.store;
  std::string error;
  if (!SeedStore(store_path, error)) return Fail("seeding the store: " + error);

  Shared shared;
  for (int k = 0; k < options.servers; ++k) {
    shared.ports.push_back(FreePort());
    if (shared.ports.back() == 0) return Fail("no free loopback port");
  }
  {
    std::ostringstream run;
    run << std::hex << (random() & 0xffffff);
    shared.run = run.str();
  }
  // One folder (config, principals, logs) a server.
  std::optional<ServerAccess> access;
  std::vector<std::string> server_dirs;
  for (int k = 0; k < options.servers; ++k) {
    server_dirs.push_back(dir + "/server-" + std::to_string(k));
    std::filesystem::create_directories(server_dirs.back());
    access = PrepareServer(options.server, server_dirs.back(),
                           shared.ports[static_cast<std::size_t>(k)],
                           store_path, error);
    if (!access) return Fail(error);
  }
  shared.access = *access;
  std::cout << "durability: seed " << options.seed << ", " << options.clients
            << " clients, " << options.kills << " kills, " << options.servers
            << (options.servers == 1 ? " server" : " servers") << " on "
            << (options.store.empty() ? "SQLite" : "PostgreSQL") << ", ports";
  for (const int port : shared.ports) std::cout << " " << port;
  std::cout << ", "
            << (access->legacy_headers ? "x-marac-* headers and bearer"
                                       : "bearer token")
            << ", scratch " << dir << std::endl;

  std::vector<std::unique_ptr<ServerProcess>> servers;
  for (const std::string& server_dir : server_dirs) {
    servers.push_back(std::make_unique<ServerProcess>(
        options.server, server_dir + "/server.json", server_dir));
    if (!servers.back()->Start() ||
        !servers.back()->WaitServing(milliseconds(30000), error)) {
      return Fail("first start: " + error);
    }
  }

  std::vector<ClientTally> tallies(static_cast<std::size_t>(options.clients));
  std::vector<std::thread> clients;
  for (int c = 0; c < options.clients; ++c) {
    clients.emplace_back(RunClient, std::ref(shared), c,
                         std::ref(tallies[static_cast<std::size_t>(c)]));
  }

  // The killer, on this thread (a child dies with the thread that forked it).
  std::uniform_int_distribution<int> interval(options.min_interval_ms,
                                              options.max_interval_ms);
  int kills = 0;
  int kills_before_serving = 0;
  std::vector<std::string> problems;
  bool server_failed = false;
  Clock::time_point spawned = Clock::now();
  while (kills < options.kills && Clock::now() < time_limit) {
    std::this_thread::sleep_until(spawned + milliseconds(interval(random)));
    ServerProcess& server = *servers[random() % servers.size()];
    if (std::optional<int> exited = server.Exited()) {
      problems.push_back("marac-server exited by itself (" +
                         std::to_string(*exited) + ") after " +
                         std::to_string(kills) +
                         " kills: " + ReadFile(server.log()));
      server_failed = true;
      break;
    }
    if (!server.Serving()) ++kills_before_serving;
    server.Kill();
    ++kills;
    if (!server.Start()) {
      problems.push_back("marac-server would not start again");
      server_failed = true;
      break;
    }
    spawned = Clock::now();
  }
  for (std::unique_ptr<ServerProcess>& server : servers) {
    if (!server_failed && !server->WaitServing(milliseconds(30000), error)) {
      problems.push_back("after the last kill: " + error);
      server_failed = true;
    }
  }
  // Keep submitting to the last servers until enough are acknowledged.
  while (!server_failed && shared.acked.load() < options.min_acks &&
         Clock::now() < time_limit) {
    std::this_thread::sleep_for(milliseconds(50));
    for (std::unique_ptr<ServerProcess>& server : servers) {
      if (server->Exited()) {
        problems.push_back("marac-server exited by itself");
        server_failed = true;
      }
    }
  }
  shared.stop_new = true;
  if (server_failed) shared.give_up = true;
  std::thread limit_watch([&] {
    while (!shared.give_up.load() && Clock::now() < time_limit) {
      std::this_thread::sleep_for(milliseconds(50));
    }
    shared.give_up = true;
  });
  for (std::thread& t : clients) t.join();
  const bool timed_out = Clock::now() >= time_limit;
  shared.give_up = true;
  limit_watch.join();
  const double submit_seconds =
      std::chrono::duration<double>(Clock::now() - started).count();

  std::vector<Ack> acks;
  std::int64_t requests = 0, attempts = 0, replayed = 0, unfinished = 0;
  std::map<grpc::StatusCode, std::int64_t> retried;
  for (ClientTally& t : tallies) {
    acks.insert(acks.end(), t.acks.begin(), t.acks.end());
    requests += t.requests;
    attempts += t.attempts;
    replayed += t.replayed;
    unfinished += t.unfinished;
    for (const auto& [code, n] : t.retried) retried[code] += n;
    for (const std::string& r : t.refusals) {
      if (problems.size() < 20) problems.push_back(r);
    }
  }
  std::int64_t refusals = 0;
  for (const ClientTally& t : tallies) {
    refusals += static_cast<std::int64_t>(t.refusals.size());
  }

  // Retrying acknowledged requests gives back the same referral.
  std::int64_t bad_replays = 0;
  if (!server_failed) {
    bad_replays = CheckReplays(shared, acks, 200, random, problems);
  }
  // The last stop is a kill too: the store is checked as a crash left it.
  for (std::unique_ptr<ServerProcess>& server : servers) {
    server->Kill();
    ++kills;
  }

  std::vector<std::string> verify_problems;
  const Verdict v = Verify(store_path, shared.run, acks, verify_problems);
  problems.insert(problems.end(), verify_problems.begin(),
                  verify_problems.end());

  std::cout << "durability: " << requests << " requests, " << attempts
            << " calls, " << replayed << " acknowledged as replays, "
            << unfinished << " unfinished, " << refusals << " refused, "
            << kills_before_serving << " kills before serving, "
            << submit_seconds << " s ("
            << static_cast<double>(acks.size()) / submit_seconds
            << " acknowledged/s)\n";
  std::cout << "durability: retried";
  for (const auto& [code, n] : retried) {
    std::cout << " code " << static_cast<int>(code) << " x" << n;
  }
  std::cout << "; " << v.stored << " stored, " << v.unacknowledged
            << " stored unacknowledged, " << v.missing_audit
            << " without an audit row, " << bad_replays
            << " bad replays; integrity_check " << v.integrity << "; audit "
            << v.audit << "\n";
  for (const std::string& p : problems)
    std::cout << "durability: " << p << "\n";
  const std::int64_t duplicates = v.duplicates + bad_replays;
  std::cout << "durability: " << acks.size() << " acknowledged, " << v.lost
            << " lost, " << duplicates << " duplicates, " << kills
            << " kills; audit chain "
            << (v.audit_intact ? "intact" : "NOT intact") << std::endl;

  const bool passed =
      !server_failed && !timed_out && refusals == 0 && v.lost == 0 &&
      duplicates == 0 && v.missing_audit == 0 && v.integrity_ok &&
      v.audit_intact &&
      static_cast<std::int64_t>(acks.size()) >= options.min_acks;
  if (timed_out) std::cout << "durability: the time limit ended the run\n";
  if (passed && !options.keep) {
    std::filesystem::remove_all(dir);
  } else {
    std::cout << "durability: scratch directory kept: " << dir << "\n";
  }
  return passed ? 0 : 1;
}
