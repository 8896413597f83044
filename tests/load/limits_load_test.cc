// The server past its limits on loopback: messages over max_message_bytes,
// more streams than max_open_streams, clients that never read, and more
// calls than the workers and max_queued_calls hold. Each time the server
// must stay up, answer RESOURCE_EXHAUSTED (never crash or hang), and keep
// serving well-behaved callers, with memory bounded. Every person here is
// invented.
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "marac/v1/assessment.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "marac/v1/statistics.grpc.pb.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using Clock = std::chrono::steady_clock;
using Code = grpc::StatusCode;

// Small limits, so that a handful of clients passes each of them; the
// test server runs two workers.
ServerLimits LoadLimits() {
  ServerLimits limits = TestLimits();
  limits.max_message_bytes = 64 * 1024;
  limits.max_stream_messages = 1000000;  // The slow clients never reach it.
  limits.max_open_streams = 4;
  limits.max_queued_calls = 4;
  return limits;
}

// How many answers had each status code.
using Tally = std::map<Code, int>;

std::string Describe(const Tally& tally) {
  std::string out;
  for (const auto& [code, count] : tally) {
    out += (out.empty() ? "" : ", ") + std::string("code ") +
           std::to_string(static_cast<int>(code)) + ": " +
           std::to_string(count);
  }
  return out.empty() ? "none" : out;
}

int Count(const Tally& tally, Code code) {
  const auto it = tally.find(code);
  return it == tally.end() ? 0 : it->second;
}

// The resident set of this process now, in MiB (VmRSS); -1 if unreadable.
// Unlike the peak (getrusage), it falls again when memory is given back.
double CurrentRssMib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    long kib = 0;
    if (std::sscanf(line.c_str(), "VmRSS: %ld kB", &kib) == 1) {
      return static_cast<double>(kib) / 1024.0;
    }
  }
  return -1;
}

void WithDeadline(grpc::ClientContext& context, std::chrono::milliseconds ms) {
  context.set_deadline(std::chrono::system_clock::now() + ms);
}

// One ScoreAssessment of a valid RIC, answered within `deadline`.
grpc::Status ScoreOne(
    const std::shared_ptr<grpc::Channel>& channel,
    std::chrono::milliseconds deadline = std::chrono::milliseconds(2000)) {
  auto stub = v1::AssessmentService::NewStub(channel);
  grpc::ClientContext context;
  AsCaller(context);
  WithDeadline(context, deadline);
  v1::ScoreAssessmentRequest request;
  *request.mutable_assessment() = Ric(15);
  v1::ScoreAssessmentResponse response;
  grpc::Status status = stub->ScoreAssessment(&context, request, &response);
  if (status.ok() && response.score().score() != 15) {
    return grpc::Status(Code::INTERNAL, "wrong score");
  }
  return status;
}

// Whether the health service reports SERVING for "" (the response bytes of
// grpc.health.v1.HealthCheckResponse{status: SERVING}).
bool Serving(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  WithDeadline(context, std::chrono::milliseconds(2000));
  // HealthCheckRequest{service: ""}: no bytes, but a message (a default
  // ByteBuffer is none, which gRPC refuses).
  const grpc::Slice empty("");
  const grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request, &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  if (!done.get_future().get().ok()) return false;
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!response.Dump(&slices).ok()) return false;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return bytes == std::string("\x08\x01", 2);
}

// A channel of its own (its own connection), so that a client misbehaving
// on it does not share HTTP/2 flow control with the well-behaved one.
std::shared_ptr<grpc::Channel> OwnChannel(int port, int tag) {
  grpc::ChannelArguments args;
  args.SetInt("grpc.use_local_subchannel_pool", 1);
  args.SetInt("marac.test.channel", tag);  // Never shared with another.
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials(), args);
}

// ---- 1. Messages over max_message_bytes ----------------------------------

// `total` ScoreAssessment requests of about twice max_message_bytes from
// `threads` threads at once.
Tally FloodHugeMessages(const TestServer& t, int threads, int total) {
  v1::ScoreAssessmentRequest huge;
  *huge.mutable_assessment() = Ric(15);
  huge.mutable_assessment()->set_assessment_id(std::string(
      2 * static_cast<std::size_t>(LoadLimits().max_message_bytes), 'x'));
  std::mutex mutex;
  Tally tally;
  std::vector<std::thread> workers;
  for (int w = 0; w < threads; ++w) {
    workers.emplace_back([&, w] {
      auto stub = v1::AssessmentService::NewStub(t.channel());
      for (int i = w; i < total; i += threads) {
        grpc::ClientContext context;
        AsCaller(context);
        WithDeadline(context, std::chrono::milliseconds(5000));
        v1::ScoreAssessmentResponse response;
        const Code code =
            stub->ScoreAssessment(&context, huge, &response).error_code();
        const std::lock_guard<std::mutex> lock(mutex);
        ++tally[code];
      }
    });
  }
  for (std::thread& w : workers) w.join();
  return tally;
}

TEST(LimitsLoadTest, HugeMessagesAreResourceExhausted) {
  TestServer t({}, LoadLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  const Tally tally = FloodHugeMessages(t, 8, 200);
  std::printf("huge messages: %s\n", Describe(tally).c_str());
  EXPECT_EQ(Count(tally, Code::RESOURCE_EXHAUSTED), 200) << Describe(tally);
  const grpc::Status after = ScoreOne(t.channel());
  EXPECT_TRUE(after.ok()) << after.error_message();
  EXPECT_TRUE(Serving(t.channel()));
}

// ---- 2. More streams than max_open_streams -------------------------------

using ScoreStream =
    grpc::ClientReaderWriter<v1::StreamScoreAssessmentsRequest,
                             v1::StreamScoreAssessmentsResponse>;

struct OpenStream {
  std::unique_ptr<grpc::ClientContext> context;
  std::unique_ptr<ScoreStream> stream;
};

OpenStream StartStream(v1::AssessmentService::Stub& stub) {
  OpenStream s;
  s.context = std::make_unique<grpc::ClientContext>();
  AsCaller(*s.context);
  WithDeadline(*s.context, std::chrono::milliseconds(20000));
  s.stream = stub.StreamScoreAssessments(s.context.get());
  return s;
}

// Sends one RIC on `s` and reads its score: whether the stream answered.
bool RoundTrip(OpenStream& s) {
  v1::StreamScoreAssessmentsRequest request;
  *request.mutable_assessment() = Ric(15);
  v1::StreamScoreAssessmentsResponse response;
  return s.stream->Write(request) && s.stream->Read(&response) &&
         response.has_score() && response.score().score() == 15;
}

// Half-closes `s` and waits for its status.
grpc::Status Close(OpenStream& s) {
  s.stream->WritesDone();
  v1::StreamScoreAssessmentsResponse ignored;
  while (s.stream->Read(&ignored)) {
  }
  return s.stream->Finish();
}

struct StreamsResult {
  int held_ok = 0;        // Of max_open_streams, answered a RIC.
  Tally extra;            // How the streams past the limit ended.
  int held_still_ok = 0;  // Held ones answering after the refusals.
  Tally closed;           // How the held ones ended when closed.
  int reopened = 0;       // New streams answering after closing.
};

// Opens max_open_streams streams one by one (each answers before the next
// opens), then `extra` more, then uses the held ones again, closes them,
// and opens max_open_streams new ones.
StreamsResult OverOpenStreams(const TestServer& t, int extra) {
  const int limit = LoadLimits().max_open_streams;
  auto stub = v1::AssessmentService::NewStub(t.channel());
  StreamsResult result;
  std::vector<OpenStream> held;
  // The server counts a stream closed once its reactor is done, a moment
  // after the client has the status (longer on a loaded machine, or after
  // cancelled streams): retry a refused one, a bounded number of times.
  const auto open_answering = [&]() -> std::optional<OpenStream> {
    for (int attempt = 0; attempt < 250; ++attempt) {
      OpenStream s = StartStream(*stub);
      if (RoundTrip(s)) return s;
      (void)s.stream->Finish();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  };
  for (int i = 0; i < limit; ++i) {
    std::optional<OpenStream> s = open_answering();
    if (!s) continue;
    held.push_back(*std::move(s));
    ++result.held_ok;
  }
  for (int i = 0; i < extra; ++i) {
    OpenStream s = StartStream(*stub);
    // Refused: the server has finished it, so no score comes back.
    if (RoundTrip(s)) {
      ++result.extra[Code::OK];
      (void)Close(s);
    } else {
      ++result.extra[s.stream->Finish().error_code()];
    }
  }
  for (OpenStream& s : held) {
    if (RoundTrip(s)) ++result.held_still_ok;
  }
  for (OpenStream& s : held) ++result.closed[Close(s).error_code()];
  held.clear();
  std::vector<OpenStream> fresh;
  for (int i = 0; i < limit; ++i) {
    std::optional<OpenStream> s = open_answering();
    if (!s) continue;
    fresh.push_back(*std::move(s));
    ++result.reopened;
  }
  for (OpenStream& s : fresh) (void)Close(s);
  return result;
}

TEST(LimitsLoadTest, StreamsPastTheLimitAreResourceExhausted) {
  TestServer t({}, LoadLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  const int limit = LoadLimits().max_open_streams;
  const StreamsResult r = OverOpenStreams(t, 6);
  std::printf(
      "streams: held %d, extra %s, held after %d, closed %s, "
      "reopened %d\n",
      r.held_ok, Describe(r.extra).c_str(), r.held_still_ok,
      Describe(r.closed).c_str(), r.reopened);
  EXPECT_EQ(r.held_ok, limit);
  EXPECT_EQ(Count(r.extra, Code::RESOURCE_EXHAUSTED), 6) << Describe(r.extra);
  EXPECT_EQ(r.held_still_ok, limit);
  EXPECT_EQ(Count(r.closed, Code::OK), limit) << Describe(r.closed);
  EXPECT_EQ(r.reopened, limit);
  EXPECT_TRUE(Serving(t.channel()));
}

// ---- 3. Clients that never read ------------------------------------------

struct SlowResult {
  std::vector<int> written;  // Requests each slow stream got written.
  int calls = 0;             // Unary calls the normal client made.
  Tally answers;             // How they were answered.
};

// `slow` streams, each on its own connection, write RICs as fast as they
// can and never read a score, for `duration`; meanwhile a normal client
// makes ScoreAssessment calls with a 2 s deadline each.
SlowResult SlowReaders(TestServer& t, int slow,
                       std::chrono::milliseconds duration) {
  SlowResult result;
  result.written.assign(static_cast<std::size_t>(slow), 0);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<OpenStream> streams;
  for (int i = 0; i < slow; ++i) {
    channels.push_back(OwnChannel(t.server().port(), i));
    auto stub = v1::AssessmentService::NewStub(channels.back());
    streams.push_back(StartStream(*stub));
  }
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (std::size_t i = 0; i < streams.size(); ++i) {
    writers.emplace_back([&, i] {
      v1::StreamScoreAssessmentsRequest request;
      *request.mutable_assessment() = Ric(15);
      // Write blocks once flow control fills; the cancel below ends it.
      for (int n = 0; n < 200000 && !stop.load(); ++n) {
        if (!streams[i].stream->Write(request)) break;
        ++result.written[i];
      }
    });
  }
  const Clock::time_point end = Clock::now() + duration;
  while (Clock::now() < end && result.calls < 20000) {
    ++result.calls;
    ++result.answers[ScoreOne(t.channel()).error_code()];
  }
  stop.store(true);
  for (OpenStream& s : streams) s.context->TryCancel();
  for (std::thread& w : writers) w.join();
  for (OpenStream& s : streams) (void)s.stream->Finish();
  return result;
}

TEST(LimitsLoadTest, ClientsThatNeverReadDoNotStallOthers) {
  TestServer t({}, LoadLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  const SlowResult r =
      SlowReaders(t, LoadLimits().max_open_streams, std::chrono::seconds(3));
  std::string written;
  for (int n : r.written) written += " " + std::to_string(n);
  std::printf("slow readers: written%s; normal calls %d: %s\n", written.c_str(),
              r.calls, Describe(r.answers).c_str());
  EXPECT_GT(r.calls, 0);
  EXPECT_EQ(Count(r.answers, Code::OK), r.calls) << Describe(r.answers);
  // Their streams are gone: every slot opens again (bounded retries, as
  // the server releases a slot just after the client sees the end).
  const StreamsResult again = OverOpenStreams(t, 0);
  EXPECT_EQ(again.held_ok + again.reopened, 2 * LoadLimits().max_open_streams);
  EXPECT_TRUE(Serving(t.channel()));
}

// ---- 4. More calls than the workers and the queue hold -------------------

// `total` calls at once, alternating GetStatistics (as the north
// coordinator) and ListReferrals (as a referrer), both run on the worker
// pool; each call's status.
Tally FloodWorkerCalls(const TestServer& t, int total) {
  auto statistics = v1::StatisticsService::NewStub(t.channel());
  auto referrals = v1::ReferralService::NewStub(t.channel());
  struct Call {
    grpc::ClientContext context;
    grpc::Status status;
    v1::GetStatisticsResponse statistics;
    v1::ListReferralsResponse referrals;
  };
  std::vector<std::unique_ptr<Call>> calls;
  grpc::CompletionQueue queue;
  v1::GetStatisticsRequest statistics_request;
  SetDate(statistics_request.mutable_period_start(), 2026, 1, 1);
  SetDate(statistics_request.mutable_period_end(), 2026, 2, 28);
  statistics_request.set_area("north");
  statistics_request.set_purpose("quarterly return");
  v1::ListReferralsRequest referrals_request;
  referrals_request.set_purpose("case review");
  for (int i = 0; i < total; ++i) {
    calls.push_back(std::make_unique<Call>());
    Call& call = *calls.back();
    if (i % 2 == 0) {
      AsCaller(call.context, "marac-north", "coordinator");
      WithDeadline(call.context, std::chrono::milliseconds(20000));
      statistics->AsyncGetStatistics(&call.context, statistics_request, &queue)
          ->Finish(&call.statistics, &call.status, &call);
    } else {
      AsCaller(call.context);
      WithDeadline(call.context, std::chrono::milliseconds(20000));
      referrals->AsyncListReferrals(&call.context, referrals_request, &queue)
          ->Finish(&call.referrals, &call.status, &call);
    }
  }
  Tally tally;
  for (int i = 0; i < total; ++i) {
    void* tag = nullptr;
    bool ok = false;
    // Every call has a deadline, so every tag comes back.
    if (!queue.Next(&tag, &ok)) break;
    ++tally[static_cast<Call*>(tag)->status.error_code()];
  }
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
  return tally;
}

TEST(LimitsLoadTest, AFloodOfCallsIsServedOrResourceExhausted) {
  TestServer t(SeedCase, LoadLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  Tally all;
  for (int round = 0; round < 5; ++round) {
    for (const auto& [code, count] : FloodWorkerCalls(t, 400)) {
      all[code] += count;
    }
  }
  std::printf("flood: %s\n", Describe(all).c_str());
  EXPECT_EQ(Count(all, Code::OK) + Count(all, Code::RESOURCE_EXHAUSTED), 2000)
      << Describe(all);
  const grpc::Status after = ScoreOne(t.channel());
  EXPECT_TRUE(after.ok()) << after.error_message();
  EXPECT_TRUE(Serving(t.channel()));
}

// ---- 5. Memory ----------------------------------------------------------

// Server and clients share this process, so the growth measured is both
// sides' together: a generous bound that a leak per call or a queue
// without bound would pass quickly (5,000 calls of 128 KiB alone are
// over 600 MiB).
// AddressSanitizer keeps freed memory in quarantine (256 MiB by default),
// so resident memory there says nothing about the server's: the bound is
// checked in the ordinary build.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

TEST(LimitsLoadTest, MemoryStaysBoundedThroughEveryFlood) {
  if (kAddressSanitizer) {
    GTEST_SKIP() << "ASan's quarantine holds freed memory; the memory bound "
                    "is checked in the build without sanitizers";
  }
  TestServer t(SeedCase, LoadLimits());
  ASSERT_TRUE(t.ok()) << t.start_error();
  // Warm-up: every kind of call once, so that pools and caches exist.
  (void)FloodHugeMessages(t, 2, 10);
  (void)OverOpenStreams(t, 1);
  (void)FloodWorkerCalls(t, 50);
  ASSERT_TRUE(ScoreOne(t.channel()).ok());
  const double before = CurrentRssMib();

  Tally huge;
  for (int round = 0; round < 25; ++round) {
    for (const auto& [code, count] : FloodHugeMessages(t, 8, 200)) {
      huge[code] += count;
    }
  }
  const StreamsResult streams = OverOpenStreams(t, 20);
  const SlowResult slow =
      SlowReaders(t, LoadLimits().max_open_streams, std::chrono::seconds(2));
  Tally flood;
  for (int round = 0; round < 5; ++round) {
    for (const auto& [code, count] : FloodWorkerCalls(t, 400)) {
      flood[code] += count;
    }
  }
  const double after = CurrentRssMib();
  std::printf(
      "memory: VmRSS %.1f MiB after warm-up, %.1f MiB after the "
      "floods (growth %.1f MiB); peak %.1f MiB\n",
      before, after, after - before, [] {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        return static_cast<double>(usage.ru_maxrss) / 1024.0;
      }());
  ASSERT_GT(before, 0);
  EXPECT_LT(after - before, 256.0);
  EXPECT_EQ(Count(huge, Code::RESOURCE_EXHAUSTED), 5000) << Describe(huge);
  EXPECT_EQ(Count(streams.extra, Code::RESOURCE_EXHAUSTED), 20);
  EXPECT_EQ(Count(slow.answers, Code::OK), slow.calls);
  EXPECT_EQ(Count(flood, Code::OK) + Count(flood, Code::RESOURCE_EXHAUSTED),
            2000);
  EXPECT_TRUE(ScoreOne(t.channel()).ok());
  EXPECT_TRUE(Serving(t.channel()));
}

}  // namespace
}  // namespace marac
