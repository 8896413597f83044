// marac-server's RPCs over loopback TCP, each beside a baseline measured in
// the same run (repetitions interleaved at random):
//   - ScoreAssessment against a bare Echo RPC registered on the same server
//     (same builder, callback API, worker setup) and sent messages of the
//     same sizes: closed loop, 32 calls in flight (target: score rate at
//     least 0.8 of echo's). The answers go in the dense encoding
//     (answers_in_order); BM_ScoreThroughputMapAnswers sends them as the
//     map, for comparison (its request is larger than the echo's);
//   - the same two at 5,000 calls/s offered, open loop (each call sent on
//     its schedule whether or not earlier ones returned; latency counted
//     from the scheduled time, so a stall is not hidden): p99 at most 2 ms;
//   - SubmitReferral, durable (acknowledged after COMMIT), 32 clients in
//     flight, against the same store's ReferralWriter with 32 threads and
//     no service in front (target: at least 3,000 referrals/s).
//
//   build/bin/server_bench
//   MARAC_BENCH_SMALL=1 build/bin/server_bench   # short runs
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_report.h"
#include "echo.grpc.pb.h"
#include "lib/store/sha256.h"
#include "marac/store/referral_writer.h"
#include "marac/store/store.h"
#include "marac/v1/assessment.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "services/server/principals.h"
#include "services/server/server.h"

namespace marac {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kInFlight = 32;
constexpr double kOfferedPerSecond = 5000;

bool Small() {
  const char* small = std::getenv("MARAC_BENCH_SMALL");
  return small != nullptr && std::string(small) != "0";
}
double Seconds() { return Small() ? 0.3 : 3.0; }

class EchoService final : public bench::EchoService::CallbackService {
  grpc::ServerUnaryReactor* Echo(grpc::CallbackServerContext* context,
                                 const bench::EchoRequest* request,
                                 bench::EchoResponse* response) override {
    response->mutable_payload()->assign(
        static_cast<std::size_t>(std::max(0, request->response_bytes())), '\0');
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(grpc::Status::OK);
    return reactor;
  }
};

// The bench's one caller, a referrer identified by a bearer token (a
// throwaway one: the server is in-process, on loopback, in development
// plaintext, as TLS would time the cipher rather than the service).
constexpr char kBenchToken[] = "bench-token-not-a-secret";

void AsReferrer(grpc::ClientContext& context) {
  context.AddMetadata("authorization", std::string("Bearer ") + kBenchToken);
}

// The principals file naming that caller.
bool WritePrincipals(const std::string& path) {
  std::ofstream out(path, std::ios::trunc);
  out << R"({"format": "marac-principals/1", "principals": [)"
      << R"({"user": "bench-user", "agency": "police-bench", )"
      << R"("roles": ["referrer"], "token_sha256": ")"
      << *Sha256Hex(kBenchToken) << R"("}]})"
      << "\n";
  return static_cast<bool>(out);
}

// A victim record to refer, in a fresh store at `path`.
bool SeedStore(const std::string& path) {
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(path);
  if (!store.ok()) return false;
  PersonRecord victim;
  victim.record_id = "V1";
  victim.source = "police";
  victim.given_name = "Invented";
  victim.family_name = "Person";
  victim.role = Role::kVictim;
  const std::vector<PersonRecord> records = {victim};
  return (*store)
      ->PutRecords({"bench", "coordinator", "bench", "seed"}, records)
      .ok();
}

// The server and what every benchmark sends, made once.
struct Setup {
  std::filesystem::path dir;
  EchoService echo;
  std::unique_ptr<MaracServer> server;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::AssessmentService::Stub> assessments;
  std::unique_ptr<v1::ReferralService::Stub> referrals;
  std::unique_ptr<bench::EchoService::Stub> echo_stub;
  v1::ScoreAssessmentRequest score_request;      // answers_in_order
  v1::ScoreAssessmentRequest score_map_request;  // answers (the map)
  bench::EchoRequest echo_request;
  std::string error;
};

Setup& TheSetup() {
  static Setup* const setup = [] {
    auto* s = new Setup();
    s->dir = std::filesystem::temp_directory_path() /
             ("marac-server-bench-" + std::to_string(::getpid()));
    std::filesystem::remove_all(s->dir);
    std::filesystem::create_directories(s->dir);
    const std::string store = (s->dir / "server.db").string();
    if (!SeedStore(store)) {
      s->error = "could not seed the store";
      return s;
    }
    const std::string principals = (s->dir / "principals.json").string();
    if (!WritePrincipals(principals)) {
      s->error = "could not write the principals file";
      return s;
    }
    ServerConfig config;
    config.listen = "127.0.0.1:0";
    config.store = store;
    config.development_plaintext = true;
    config.principals = principals;
    ServiceOptions options;
    options.extra_services = {&s->echo};
    Result<std::unique_ptr<MaracServer>> started =
        MaracServer::Start(config, std::move(options));
    if (!started.ok()) {
      s->error = started.status().ToString();
      return s;
    }
    s->server = *std::move(started);
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_ENABLE_RETRIES, 0);
    s->channel = grpc::CreateCustomChannel(
        "127.0.0.1:" + std::to_string(s->server->port()),
        grpc::InsecureChannelCredentials(), arguments);
    s->assessments = v1::AssessmentService::NewStub(s->channel);
    s->referrals = v1::ReferralService::NewStub(s->channel);
    s->echo_stub = bench::EchoService::NewStub(s->channel);

    // A checklist as an officer sends it: every question answered.
    v1::Assessment* a = s->score_request.mutable_assessment();
    a->set_assessment_id("BENCH-0001");
    a->set_instrument("safelives-ric");
    a->mutable_completed_on()->set_year(2026);
    a->mutable_completed_on()->set_month(3);
    a->mutable_completed_on()->set_day(2);
    // In the dense encoding (answers_in_order), as a case system sending a
    // form asked in full should; score_map_request holds the same answers
    // as the map, measured too.
    for (int q = 1; q <= 24; ++q) {
      a->add_answers_in_order(q % 3 == 0 ? v1::ANSWER_NO : v1::ANSWER_YES);
    }
    a->mutable_history()->set_incidents_last_12_months(2);
    s->score_map_request = s->score_request;
    v1::Assessment* m = s->score_map_request.mutable_assessment();
    m->clear_answers_in_order();
    for (int q = 1; q <= 24; ++q) {
      (*m->mutable_answers())[q] = q % 3 == 0 ? v1::ANSWER_NO : v1::ANSWER_YES;
    }
    // The echo is sent and answered with the same sizes.
    grpc::ClientContext context;
    AsReferrer(context);
    v1::ScoreAssessmentResponse response;
    const grpc::Status scored =
        s->assessments->ScoreAssessment(&context, s->score_request, &response);
    if (!scored.ok()) {
      s->error = "ScoreAssessment: " + scored.error_message();
      return s;
    }
    s->echo_request.set_response_bytes(
        static_cast<int>(response.ByteSizeLong()));
    const std::size_t request_bytes = s->score_request.ByteSizeLong();
    std::size_t payload = request_bytes;
    do {
      s->echo_request.mutable_payload()->assign(--payload, 'x');
    } while (payload > 0 && s->echo_request.ByteSizeLong() > request_bytes);
    return s;
  }();
  return *setup;
}

// One call of an RPC through the callback client API: `start` sends it
// and calls `done` with its status when it returns.
using StartCall = std::function<void(std::function<void(grpc::Status)> done)>;

// A client call's context and its response, parsed into an arena whose
// first block is in the call (both sides of each pair use the same).
template <typename Response>
struct ArenaCall {
  ArenaCall() : arena(Options(block, sizeof block)) {
    response = google::protobuf::Arena::CreateMessage<Response>(&arena);
  }
  static google::protobuf::ArenaOptions Options(char* b, std::size_t size) {
    google::protobuf::ArenaOptions options;
    options.initial_block = b;
    options.initial_block_size = size;
    return options;
  }
  grpc::ClientContext context;
  alignas(std::max_align_t) char block[16 * 1024];
  google::protobuf::Arena arena;
  Response* response = nullptr;
};

// A ScoreAssessment call sending `request`.
StartCall ScoreCallOf(Setup& s, const v1::ScoreAssessmentRequest& request) {
  return [&s, &request](std::function<void(grpc::Status)> done) {
    using Call = ArenaCall<v1::ScoreAssessmentResponse>;
    auto* call = new Call();
    AsReferrer(call->context);
    s.assessments->async()->ScoreAssessment(
        &call->context, &request, call->response,
        [call, done = std::move(done)](grpc::Status status) {
          delete call;
          done(status);
        });
  };
}

StartCall ScoreCall(Setup& s) { return ScoreCallOf(s, s.score_request); }

// The same call with the answers sent as the map.
StartCall ScoreMapCall(Setup& s) { return ScoreCallOf(s, s.score_map_request); }

StartCall EchoCall(Setup& s) {
  return [&s](std::function<void(grpc::Status)> done) {
    using Call = ArenaCall<bench::EchoResponse>;
    auto* call = new Call();
    AsReferrer(call->context);  // The same metadata on the wire.
    s.echo_stub->async()->Echo(
        &call->context, &s.echo_request, call->response,
        [call, done = std::move(done)](grpc::Status status) {
          delete call;
          done(status);
        });
  };
}

StartCall SubmitCall(Setup& s) {
  return [&s](std::function<void(grpc::Status)> done) {
    static std::atomic<std::uint64_t> next{0};
    struct Call {
      grpc::ClientContext context;
      v1::SubmitReferralRequest request;
      v1::SubmitReferralResponse response;
    };
    auto* call = new Call();
    AsReferrer(call->context);
    call->request.set_request_id("bench-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(next++));
    v1::Referral* r = call->request.mutable_referral();
    r->set_area("bench");
    r->set_source(v1::REFERRAL_SOURCE_POLICE);
    r->mutable_referred_on()->set_year(2026);
    r->mutable_referred_on()->set_month(3);
    r->mutable_referred_on()->set_day(3);
    r->set_victim_record_id("V1");
    r->add_criteria(v1::CRITERION_VISIBLE_HIGH_RISK);
    s.referrals->async()->SubmitReferral(
        &call->context, &call->request, &call->response,
        [call, done = std::move(done)](grpc::Status status) {
          delete call;
          done(status);
        });
  };
}

struct LoopResult {
  std::int64_t ok = 0;
  std::int64_t failed = 0;
  double seconds = 0;
  std::string first_error;
};

// Keeps `in_flight` calls going for `seconds` (closed loop).
LoopResult ClosedLoop(const StartCall& start, int in_flight, double seconds) {
  std::mutex mutex;
  std::condition_variable idle;
  int outstanding = 0;
  LoopResult out;
  const Clock::time_point begin = Clock::now();
  const Clock::time_point until =
      begin + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(seconds));
  std::function<void()> next;
  next = [&] {
    start([&](grpc::Status status) {
      bool again = false;
      {
        const std::lock_guard<std::mutex> lock(mutex);
        if (status.ok()) {
          ++out.ok;
        } else {
          if (out.failed++ == 0) out.first_error = status.error_message();
        }
        again = Clock::now() < until;
        if (!again && --outstanding == 0) idle.notify_all();
      }
      if (again) next();
    });
  };
  {
    const std::lock_guard<std::mutex> lock(mutex);
    outstanding = in_flight;
  }
  for (int k = 0; k < in_flight; ++k) next();
  std::unique_lock<std::mutex> lock(mutex);
  idle.wait(lock, [&] { return outstanding == 0; });
  out.seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  return out;
}

// Sends a call every 1/rate s for `seconds` whatever the replies (open
// loop); each latency runs from the call's scheduled time.
LoopResult OpenLoop(const StartCall& start, double rate, double seconds,
                    std::vector<double>& latencies) {
  const auto period = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / rate));
  const auto calls = static_cast<std::int64_t>(rate * seconds);
  std::mutex mutex;
  std::condition_variable idle;
  std::int64_t outstanding = calls;
  LoopResult out;
  latencies.assign(static_cast<std::size_t>(calls), 0.0);
  const Clock::time_point begin = Clock::now() + std::chrono::milliseconds(5);
  for (std::int64_t k = 0; k < calls; ++k) {
    const Clock::time_point scheduled = begin + k * period;
    std::this_thread::sleep_until(scheduled);
    start([&, k, scheduled](grpc::Status status) {
      const double took =
          std::chrono::duration<double>(Clock::now() - scheduled).count();
      const std::lock_guard<std::mutex> lock(mutex);
      latencies[static_cast<std::size_t>(k)] = took;
      if (status.ok()) {
        ++out.ok;
      } else if (out.failed++ == 0) {
        out.first_error = status.error_message();
      }
      if (--outstanding == 0) idle.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(mutex);
  idle.wait(lock, [&] { return outstanding == 0; });
  out.seconds = std::chrono::duration<double>(Clock::now() - begin).count();
  return out;
}

void Report(benchmark::State& state, const LoopResult& r) {
  if (r.failed > 0) {
    state.SkipWithError(("a call failed: " + r.first_error).c_str());
    return;
  }
  state.SetIterationTime(r.seconds);
  state.SetItemsProcessed(r.ok);
}

template <StartCall (*kCall)(Setup&)>
void BM_ClosedLoop(benchmark::State& state) {
  Setup& s = TheSetup();
  if (!s.error.empty()) {
    state.SkipWithError(s.error.c_str());
    return;
  }
  const StartCall start = kCall(s);
  for (auto _ : state) Report(state, ClosedLoop(start, kInFlight, Seconds()));
  state.counters["in_flight"] = kInFlight;
  state.counters["request_bytes"] =
      static_cast<double>(s.score_request.ByteSizeLong());
}

template <StartCall (*kCall)(Setup&)>
void BM_OpenLoop(benchmark::State& state) {
  Setup& s = TheSetup();
  if (!s.error.empty()) {
    state.SkipWithError(s.error.c_str());
    return;
  }
  const StartCall start = kCall(s);
  std::vector<double> latencies;
  for (auto _ : state) {
    Report(state, OpenLoop(start, kOfferedPerSecond, Seconds(), latencies));
  }
  state.counters["offered_per_s"] = kOfferedPerSecond;
  ReportLatencies(state, std::move(latencies));
}

// Baseline of SubmitReferral: the same kind of store, the writer used
// directly by kInFlight threads.
void BM_WriterWithoutService(benchmark::State& state) {
  Setup& s = TheSetup();
  const std::string path =
      (s.dir / ("direct-" + std::to_string(state.iterations()) + ".db"))
          .string();
  std::filesystem::remove(path);
  if (!SeedStore(path)) {
    state.SkipWithError("could not seed the store");
    return;
  }
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(path);
  if (!store.ok()) {
    state.SkipWithError(store.status().ToString().c_str());
    return;
  }
  ReferralWriter writer(**store);
  std::atomic<std::uint64_t> next{0};
  for (auto _ : state) {
    std::atomic<std::int64_t> ok{0};
    std::atomic<std::int64_t> failed{0};
    const Clock::time_point begin = Clock::now();
    const Clock::time_point until =
        begin + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(Seconds()));
    std::vector<std::thread> clients;
    for (int t = 0; t < kInFlight; ++t) {
      clients.emplace_back([&] {
        while (Clock::now() < until) {
          StoredReferral r;
          r.referral_id = "R-direct-" + std::to_string(next++);
          r.submission_id = r.referral_id;
          r.area = "bench";
          r.agency = "police-bench";
          r.source = ReferralSource::kPolice;
          r.referred_on = Date{2026, 3, 3};
          r.victim_record_id = "V1";
          r.criteria = {"visible_high_risk"};
          const Result<SubmitOutcome> done =
              writer
                  .Submit({"bench-user", "referrer", "police-bench", ""},
                          std::move(r))
                  .get();
          (done.ok() ? ok : failed)++;
        }
      });
    }
    for (std::thread& c : clients) c.join();
    LoopResult r;
    r.ok = ok;
    r.failed = failed;
    r.seconds = std::chrono::duration<double>(Clock::now() - begin).count();
    if (r.failed > 0) r.first_error = "a direct submission failed";
    Report(state, r);
  }
  state.counters["in_flight"] = kInFlight;
}

BENCHMARK_TEMPLATE(BM_ClosedLoop, EchoCall)  // baseline
    ->Name("BM_EchoThroughput")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ClosedLoop, ScoreCall)  // contender
    ->Name("BM_ScoreThroughput")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ClosedLoop, ScoreMapCall)  // the map encoding
    ->Name("BM_ScoreThroughputMapAnswers")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_OpenLoop, EchoCall)  // baseline
    ->Name("BM_EchoAt5000PerSecond")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_OpenLoop, ScoreCall)  // contender
    ->Name("BM_ScoreAt5000PerSecond")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WriterWithoutService)  // baseline
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK_TEMPLATE(BM_ClosedLoop, SubmitCall)  // contender
    ->Name("BM_SubmitReferral")
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace marac

// Repetitions run interleaved at random, so a disturbance on the machine
// falls on both sides of each pair.
int main(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  std::string interleave = "--benchmark_enable_random_interleaving=true";
  args.push_back(interleave.data());
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  marac::Setup& s = marac::TheSetup();
  if (s.server != nullptr) s.server->Shutdown();
  std::error_code ec;
  std::filesystem::remove_all(s.dir, ec);
  return 0;
}
