#include "services/server/marac_service.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <exception>
#include <future>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>
#include <unordered_map>

#include "marac/identity/resolver.h"
#include "marac/report/statistics.h"
#include "marac/v1/agenda.grpc.pb.h"
#include "marac/v1/assessment.grpc.pb.h"
#include "marac/v1/audit.grpc.pb.h"
#include "marac/v1/linkage.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "marac/v1/statistics.grpc.pb.h"
#include "services/cli/agenda_command.h"
#include "services/server/convert.h"
#include "services/server/work_queue.h"

namespace marac {
namespace {

using Finish = std::function<void(grpc::Status)>;

constexpr std::size_t kMaxMetadataBytes = 128;
constexpr std::size_t kMaxTokenBytes = 4096;

grpc::Status Unauthenticated(std::string message) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::move(message));
}

grpc::Status Code(grpc::StatusCode code, std::string message) {
  return grpc::Status(code, std::move(message));
}

// One metadata value: absent is "", repeated or malformed is an error.
RpcResult<std::string> MetadataValue(const grpc::CallbackServerContext& context,
                                     const std::string& key) {
  const auto& metadata = context.client_metadata();
  const auto [begin, end] = metadata.equal_range(key);
  if (begin == end) return std::string();
  if (std::next(begin) != end) return Unauthenticated(key + " given twice");
  const std::string value(begin->second.data(), begin->second.size());
  const bool printable = std::all_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 &&
           static_cast<unsigned char>(c) < 0x7f;
  });
  if (value.empty() || value.size() > kMaxMetadataBytes || !printable) {
    return Unauthenticated(key +
                           " must be 1..128 printable ASCII bytes, no spaces");
  }
  return value;
}

// The one message for an object the caller may not see, whether or not
// it exists, so that the answer never tells which.
std::string HiddenObject(std::string_view field, std::string_view what) {
  return std::string(field) + ": no " + std::string(what) +
         " you may read has this id (it may not exist)";
}

// Page tokens: the sort key of the last item sent, hex-encoded so clients
// treat it as opaque.
std::string EncodeToken(const Date& date, std::string_view id) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string plain = date.ToString() + "|" + std::string(id);
  std::string out;
  for (const char c : plain) {
    const auto u = static_cast<unsigned char>(c);
    out += kHex[u >> 4];
    out += kHex[u & 0xf];
  }
  return out;
}

struct PageKey {
  Date date;
  std::string id;
  friend auto operator<=>(const PageKey&, const PageKey&) = default;
};

std::optional<PageKey> DecodeToken(std::string_view token) {
  if (token.size() % 2 != 0 || token.size() > 600) return std::nullopt;
  std::string plain;
  for (std::size_t i = 0; i < token.size(); i += 2) {
    int v = 0;
    for (const char c : token.substr(i, 2)) {
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= c - '0';
      } else if (c >= 'a' && c <= 'f') {
        v |= c - 'a' + 10;
      } else {
        return std::nullopt;
      }
    }
    plain += static_cast<char>(v);
  }
  const std::size_t bar = plain.find('|');
  if (bar == std::string::npos) return std::nullopt;
  const Result<Date> date = Date::Parse("page_token", plain.substr(0, bar));
  if (!date.ok()) return std::nullopt;
  return PageKey{*date, plain.substr(bar + 1)};
}

// The page size to use: 0 means the limit, larger values are lowered.
std::size_t PageSize(int requested, const ServerLimits& limits) {
  if (requested <= 0) return limits.max_list_items;
  return std::min(static_cast<std::size_t>(requested), limits.max_list_items);
}

void CheckPaging(int page_size, const std::string& token,
                 std::optional<PageKey>& after, FieldViolations& violations) {
  if (page_size < 0) violations.Add("page_size", "negative");
  if (!token.empty()) {
    after = DecodeToken(token);
    if (!after) {
      violations.Add("page_token", "not a page token from this service");
    }
  }
}

// A page of a list-shaped answer, bounded by count and by bytes: at most
// `size` items, and no more than three quarters of the message limit, so
// that however large the items (a 4 KiB purpose on every audit entry) no
// answer outgrows the limit. The rest of the answer (a token) and gRPC's
// framing fit in the quarter left.
class PageBudget {
 public:
  PageBudget(std::size_t size, const ServerLimits& limits)
      : size_(size),
        bytes_(static_cast<std::size_t>(limits.max_message_bytes) / 4 * 3) {}

  // Whether an item whose encoding is `bytes` long still fits (then it is
  // counted); false once the page is full.
  bool Take(std::size_t bytes) {
    const std::size_t framed = bytes + 6;  // Its tag and length.
    if (count_ == size_ || used_ + framed > bytes_) return false;
    ++count_;
    used_ += framed;
    return true;
  }
  std::size_t count() const { return count_; }

 private:
  std::size_t size_;
  std::size_t bytes_;
  std::size_t count_ = 0;
  std::size_t used_ = 0;
};

// Adds `item` to `list` when `page` has room; false (and `list` unchanged)
// otherwise.
template <typename Item>
bool AddWithin(PageBudget& page, google::protobuf::RepeatedPtrField<Item>* list,
               Item item) {
  if (!page.Take(item.ByteSizeLong())) return false;
  *list->Add() = std::move(item);
  return true;
}

// The referral ids of the cases a stored agenda document lists (its
// "cases"; a whole one's "deferred" and "not_eligible" too).
std::vector<std::string> AgendaReferralIds(const std::string& json) {
  std::vector<std::string> ids;
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (!doc.is_object()) return ids;
  for (const char* list : {"cases", "deferred", "not_eligible"}) {
    const auto it = doc.find(list);
    if (it == doc.end() || !it->is_array()) continue;
    for (const nlohmann::json& c : *it) {
      const auto id = c.find("referral_id");
      if (id != c.end() && id->is_string()) {
        ids.push_back(id->get<std::string>());
      }
    }
  }
  return ids;
}

// A fingerprint of a list of ids and which list it is (FNV-1a, 64 bits,
// hex): the same on every server and run.
std::string ListFingerprint(int which, const std::vector<std::string>& ids) {
  std::uint64_t h = 14695981039346656037ULL;
  const auto mix = [&h](std::string_view bytes) {
    for (const char c : bytes) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= 0xff;  // A separator no id holds.
    h *= 1099511628211ULL;
  };
  mix(std::to_string(which));
  for (const std::string& id : ids) mix(id);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  return hex;
}

// Whether two circulated agenda documents list the same meeting and cases,
// ranked and explained alike, under the same policy: the counts beside them
// move as referrals arrive for later meetings, the agenda does not.
bool SameListing(const std::string& a, const std::string& b) {
  const nlohmann::json x = nlohmann::json::parse(a, nullptr, false);
  const nlohmann::json y = nlohmann::json::parse(b, nullptr, false);
  if (!x.is_object() || !y.is_object()) return false;
  for (const char* key : {"meeting_id", "area", "date", "referral_cutoff",
                          "view", "policy_version", "capacity", "cases"}) {
    if (x.value(key, nlohmann::json()) != y.value(key, nlohmann::json())) {
      return false;
    }
  }
  return true;
}

// One item larger than a whole page: only under a message limit too small
// for the store's bounded items.
grpc::Status ItemTooLarge(std::string_view what) {
  return Code(grpc::StatusCode::RESOURCE_EXHAUSTED,
              std::string(what) +
                  " is larger than a page may be under limits."
                  "max_message_bytes; raise it");
}

// Waits for the writer's commits, in the order they were queued (the
// order the writer commits them), and runs each continuation; so that
// no gRPC or worker thread blocks on a commit.
class CommitWaiter {
 public:
  using Done = std::function<void(Result<SubmitOutcome>)>;

  CommitWaiter() : thread_([this] { Run(); }) {}
  ~CommitWaiter() { Stop(); }

  void Add(std::future<Result<SubmitOutcome>> commit, Done done) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      waiting_.push_back({std::move(commit), std::move(done)});
    }
    ready_.notify_one();
  }

  // Runs the continuations of every commit added, then joins.
  void Stop() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

 private:
  struct Waiting {
    std::future<Result<SubmitOutcome>> commit;
    Done done;
  };

  void Run() {
    for (;;) {
      Waiting next;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
        if (waiting_.empty()) return;
        next = std::move(waiting_.front());
        waiting_.pop_front();
      }
      next.done(next.commit.get());
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Waiting> waiting_;
  bool stopping_ = false;
  std::thread thread_;
};

// A call's Cancellation: gRPC's word on whether the client has gone (it
// cancelled, or gRPC acted on its deadline), and the service's clock. Lives
// on the worker's stack while the call's work runs there, so a Deadline
// made with it must not reach work that outlives that (a commit's
// continuation).
class CallCancellation final : public Cancellation {
 public:
  CallCancellation(
      grpc::CallbackServerContext* context,
      const std::function<std::chrono::steady_clock::time_point()>& clock)
      : context_(context), clock_(clock) {}

  bool cancelled() const override { return context_->IsCancelled(); }
  Clock::time_point now() const override {
    return clock_ ? clock_() : Clock::now();
  }

  // The call's deadline on this clock: what is left of gRPC's (a system
  // clock time) from now. A call without one (gRPC gives the clock's
  // maximum) or with one over a year away is bounded by cancellation only.
  Deadline deadline() const {
    using std::chrono::system_clock;
    const system_clock::time_point wall = context_->deadline();
    if (wall == system_clock::time_point::max()) {
      return Deadline::UntilCancelled(this);
    }
    const system_clock::duration left = wall - system_clock::now();
    if (left > std::chrono::hours(24 * 366)) {
      return Deadline::UntilCancelled(this);
    }
    return Deadline::At(
        now() + std::chrono::duration_cast<Clock::duration>(left), this);
  }

 private:
  grpc::CallbackServerContext* const context_;
  const std::function<Clock::time_point()>& clock_;
};

// A Deadline's refusal of what the call was about to do, or OK.
grpc::Status Late(const Deadline& deadline, std::string_view what) {
  return ToGrpcStatus(deadline.Check(what));
}

// What every handler shares.
class Core {
 public:
  Core(Store& store, ReferralWriter& writer, Scorer scorer,
       InstrumentSet instruments, ServiceOptions options)
      : store_(store),
        writer_(writer),
        scorer_(std::move(scorer)),
        instruments_(std::move(instruments)),
        options_(std::move(options)),
        work_(options_.worker_threads, options_.limits.max_queued_calls),
        random_(std::random_device{}()) {}

  Store& store() { return store_; }
  ReferralWriter& writer() { return writer_; }
  CommitWaiter& commits() { return commits_; }
  const ServiceOptions& options() const { return options_; }
  const ServerLimits& limits() const { return options_.limits; }

  WireLimits wire_limits() const {
    return {.max_string_bytes = options_.limits.max_string_bytes,
            .max_list_items = options_.limits.max_list_items,
            .earliest = Date{1990, 1, 1},
            .latest = options_.today()};
  }

  // Scores `assessment`; an INVALID_ARGUMENT names fields under `field`.
  grpc::Status Score(const v1::Assessment& assessment, std::string_view field,
                     v1::RiskScore* out, FieldViolations& violations) const {
    const std::optional<WireAssessment> in = AssessmentFromWire(
        assessment, instruments_, wire_limits(), field, violations);
    if (!in) return violations.ToStatus();
    const Result<RiskScore> score =
        scorer_.Score(in->checklist, in->history, in->completed_on);
    if (!score.ok()) {
      if (score.status().code() == StatusCode::kInvalidArgument) {
        violations.AddStatus(std::string(field) + ".history", score.status());
        return violations.ToStatus();
      }
      return ToGrpcStatus(score.status());
    }
    RiskScoreToWire(in->assessment_id, *score, out);
    return grpc::Status::OK;
  }

  // A fresh id: `prefix` and 16 hex digits ("R-" for referrals, "C-" for
  // calls).
  std::string NewId(const char* prefix) {
    const std::lock_guard<std::mutex> lock(random_mutex_);
    char buffer[24];
    std::snprintf(buffer, sizeof buffer, "%s%016llx", prefix,
                  static_cast<unsigned long long>(random_()));
    return buffer;
  }

  bool OpenStream() {
    if (open_streams_.fetch_add(1) < options_.limits.max_open_streams) {
      return true;
    }
    open_streams_.fetch_sub(1);
    return false;
  }
  void CloseStream() { open_streams_.fetch_sub(1); }

  // The caller of `context`. A call that may reach the store is traced
  // too (Trace); scoring, which reads and writes nothing, is traced only
  // when it is refused (the refusal is audited).
  RpcResult<Principal> Authenticate(grpc::CallbackServerContext* context) {
    if (!options_.authenticate) {
      return Unauthenticated("no callers are configured on this server");
    }
    return options_.authenticate(*context);
  }

  // Gives the call a fresh request id, which every audit entry it causes
  // carries, and sends it back in the initial metadata (x-marac-request-id)
  // for support calls. Before the call finishes.
  void Trace(grpc::CallbackServerContext* context, Principal& p) {
    p.request_id = NewId("C-");
    context->AddInitialMetadata("x-marac-request-id", p.request_id);
  }

  // Refuses a call: writes the refusal to the store's audit log, then
  // answers PERMISSION_DENIED with `message`. When the audit entry cannot
  // be written, the store's error is the answer instead. The entry is a
  // read of no audit entries whose purpose names the refusal (the store
  // has no call for refusals alone): "permission_denied <method>
  // [<object type> <ids>]".
  grpc::Status Deny(const Principal& p, Method method,
                    std::string_view object_type,
                    const std::vector<std::string>& ids,
                    const std::string& message) {
    // The purpose names the method; the entry names the objects and says
    // permission_denied. A denial that cannot be audited fails the call.
    const Status audited = store_.AuditRefusal(
        ActorFor(p, "permission_denied " + std::string(MethodName(method))),
        AuditAction::kConsult, object_type.empty() ? "method" : object_type,
        ids, "permission_denied");
    if (!audited.ok()) return ToGrpcStatus(audited);
    return Code(grpc::StatusCode::PERMISSION_DENIED, message);
  }

  // Records what the call is about to return (people's data: referrals,
  // agenda cases, records) as disclosed to the caller. An empty list needs
  // no entry. When the entry cannot be written, the call fails with the
  // store's error and returns nothing.
  grpc::Status Disclose(const Principal& p, const std::string& purpose,
                        std::string_view object_type,
                        const std::vector<std::string>& ids) {
    if (ids.empty()) return grpc::Status::OK;
    const Status audited =
        store_.AuditDisclosure(ActorFor(p, purpose), object_type, ids);
    return audited.ok() ? grpc::Status::OK : ToGrpcStatus(audited);
  }

  // The answer of a write that has committed: `answer`, unless a test
  // loses it (ServiceOptions::lose_answer_after_commit).
  grpc::Status AfterCommit(Method method, grpc::Status answer) const {
    if (answer.ok() && options_.lose_answer_after_commit &&
        options_.lose_answer_after_commit(MethodName(method))) {
      return Code(grpc::StatusCode::UNAVAILABLE,
                  "the answer was lost after the commit");
    }
    return answer;
  }

  // The method-level refusal: a role the principal does not hold, or one
  // that may not call `method`. Nothing of the request is looked at.
  grpc::Status DenyMethod(const Principal& p, Method method) {
    if (!HoldsRole(p)) {
      return Deny(p, method, "", {},
                  "x-marac-role: you do not hold the role " + p.role);
    }
    return Deny(p, method, "", {},
                "the role " + p.role + " may not call " +
                    std::string(MethodName(method)));
  }

  // Whether `p` may call `method` at all (access.h).
  static bool Allowed(const Principal& p, Method method) {
    return HoldsRole(p) && RoleMayCall(method, p.role);
  }

  // Runs DenyMethod on a worker (it writes to the store) and finishes
  // with its answer: for calls that otherwise run on gRPC's threads.
  void DenyLater(const Principal& p, Method method, Finish finish) {
    const WorkQueue::Posted posted = work_.Post([this, p, method, finish] {
      try {
        finish(DenyMethod(p, method));
      } catch (const std::exception&) {
        finish(Code(grpc::StatusCode::INTERNAL, "the server failed"));
      }
    });
    if (posted == WorkQueue::Posted::kFull) {
      finish(Busy());
    } else if (posted == WorkQueue::Posted::kStopped) {
      finish(Stopping());
    }
  }

  // Runs `work` on a worker for the authenticated caller, once access.h
  // allows it `method`, finishing the call with what it returns. A call
  // already cancelled or past its deadline never starts its work; `work`
  // gets the call's deadline (and cancellation) for its reads, valid while
  // it runs. An exception becomes INTERNAL.
  grpc::ServerUnaryReactor* Unary(
      grpc::CallbackServerContext* context, Method method,
      std::function<grpc::Status(const Principal&, const Deadline&)> work) {
    return UnaryAsync(context, method,
                      [work = std::move(work)](
                          const Principal& p, const Deadline& deadline,
                          const Finish& finish) { finish(work(p, deadline)); });
  }

  // The same, for work that finishes the call later (after a commit). The
  // deadline is valid only until `work` returns.
  grpc::ServerUnaryReactor* UnaryAsync(
      grpc::CallbackServerContext* context, Method method,
      std::function<void(const Principal&, const Deadline&, const Finish&)>
          work) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    RpcResult<Principal> principal = Authenticate(context);
    if (!principal.ok()) {
      reactor->Finish(principal.status());
      return reactor;
    }
    Trace(context, *principal);
    const Finish finish = [reactor](grpc::Status status) {
      reactor->Finish(std::move(status));
    };
    const WorkQueue::Posted posted = work_.Post([this, context, method, finish,
                                                 work = std::move(work),
                                                 p = *std::move(principal)] {
      const CallCancellation call(context, options_.steady_now);
      const Deadline deadline = call.deadline();
      if (const grpc::Status late = Late(deadline, "before the call started");
          !late.ok()) {
        finish(late);
        return;
      }
      try {
        if (!Allowed(p, method)) return finish(DenyMethod(p, method));
        work(p, deadline, finish);
      } catch (const std::exception&) {
        finish(Code(grpc::StatusCode::INTERNAL, "the server failed"));
      }
    });
    if (posted == WorkQueue::Posted::kFull) {
      reactor->Finish(Busy());
    } else if (posted == WorkQueue::Posted::kStopped) {
      reactor->Finish(Stopping());
    }
    return reactor;
  }

  static grpc::Status Busy() {
    return Code(grpc::StatusCode::RESOURCE_EXHAUSTED,
                "the server is busy (queued calls at the configured limit); "
                "retry with backoff");
  }
  static grpc::Status Stopping() {
    return Code(grpc::StatusCode::UNAVAILABLE, "the server is shutting down");
  }

  void Stop() {
    work_.Stop();
    commits_.Stop();
  }

 private:
  Store& store_;
  ReferralWriter& writer_;
  const Scorer scorer_;
  const InstrumentSet instruments_;
  const ServiceOptions options_;
  WorkQueue work_;
  CommitWaiter commits_;
  std::mutex random_mutex_;
  std::mt19937_64 random_;
  std::atomic<int> open_streams_{0};
};

// ---- AssessmentService ----------------------------------------------------

// One scoring stream: read, score, write, read again. Scoring is pure and
// takes microseconds, so it runs on the reactor's thread.
class ScoreStream final
    : public grpc::ServerBidiReactor<v1::StreamScoreAssessmentsRequest,
                                     v1::StreamScoreAssessmentsResponse> {
 public:
  ScoreStream(Core& core, grpc::CallbackServerContext* context) : core_(core) {
    RpcResult<Principal> principal = core_.Authenticate(context);
    if (!principal.ok()) {
      Finish(principal.status());
      return;
    }
    if (!Core::Allowed(*principal, Method::kStreamScoreAssessments)) {
      core_.Trace(context, *principal);
      core_.DenyLater(*principal, Method::kStreamScoreAssessments,
                      [this](grpc::Status status) { Finish(status); });
      return;
    }
    if (!core_.OpenStream()) {
      Finish(Code(grpc::StatusCode::RESOURCE_EXHAUSTED,
                  "too many scoring streams open (the configured limit); "
                  "retry with backoff"));
      return;
    }
    counted_ = true;
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {  // The client half-closed, or the call ended.
      Finish(grpc::Status::OK);
      return;
    }
    if (index_ >= core_.limits().max_stream_messages) {
      Finish(Code(grpc::StatusCode::RESOURCE_EXHAUSTED,
                  "more than " +
                      std::to_string(core_.limits().max_stream_messages) +
                      " assessments on one stream (the configured limit); "
                      "open another stream"));
      return;
    }
    response_.Clear();
    response_.set_index(index_++);
    grpc::Status status;
    FieldViolations violations;
    try {
      if (!request_.has_assessment()) {
        violations.Add("assessment", "required");
        status = violations.ToStatus();
      } else {
        status = core_.Score(request_.assessment(), "assessment",
                             response_.mutable_score(), violations);
      }
    } catch (const std::exception&) {
      status = Code(grpc::StatusCode::INTERNAL, "the server failed");
    }
    if (!status.ok()) {
      response_.clear_score();
      google::rpc::Status* error = response_.mutable_error();
      if (!violations.empty()) {
        *error = violations.ToRpcStatus();
      } else {
        error->set_code(status.error_code());
        error->set_message(status.error_message());
      }
    }
    StartWrite(&response_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(Code(grpc::StatusCode::CANCELLED, "the stream was closed"));
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override {
    if (counted_) core_.CloseStream();
    delete this;
  }

 private:
  Core& core_;
  bool counted_ = false;
  std::int64_t index_ = 0;
  v1::StreamScoreAssessmentsRequest request_;
  v1::StreamScoreAssessmentsResponse response_;
};

// The request and response of one unary call on a protobuf arena whose
// first block lives in the holder: the message trees (the answers, the
// findings and their strings) are carved from one allocation instead of a
// few hundred. A released holder is kept (up to kKept of them) for the
// next call with its response cleared in place, not freed: ClearForReuse
// clears the score itself rather than the response (a proto3 Clear() drops
// a singular submessage, leaving it on the arena), and RiskScore::Clear()
// keeps its findings and their string capacity, so a steady stream of
// scoring calls fills the same findings and buffers again. The request
// cannot be kept so: parsing clears it, dropping its assessment, which is
// what the arena grows by from call to call. Once it has grown past
// kMaxKeptBytes it is reset (everything freed). What the kept response
// holds on the heap is bounded by the largest score written into it,
// whose strings are the instrument's texts and ids within the wire limits.
void ClearForReuse(v1::ScoreAssessmentResponse& response) {
  if (response.has_score()) response.mutable_score()->Clear();
}

template <typename Request, typename Response>
class ArenaAllocator final : public grpc::MessageAllocator<Request, Response> {
 public:
  ArenaAllocator() = default;
  ArenaAllocator(const ArenaAllocator&) = delete;
  ArenaAllocator& operator=(const ArenaAllocator&) = delete;
  // The server is shut down (every call released) before its services go.
  ~ArenaAllocator() override {
    for (Holder* h : kept_) delete h;
  }

  grpc::MessageHolder<Request, Response>* AllocateMessages() override {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (!kept_.empty()) {
        Holder* h = kept_.back();
        kept_.pop_back();
        return h;
      }
    }
    return new Holder(*this);
  }

 private:
  // Enough for every call in flight on a busy server; beyond it holders are
  // freed, so a burst does not pin its memory.
  static constexpr std::size_t kKept = 64;
  // What one kept holder's arena may grow to before it is reset.
  static constexpr std::size_t kMaxKeptBytes = 32 * 1024;

  class Holder final : public grpc::MessageHolder<Request, Response> {
   public:
    explicit Holder(ArenaAllocator& owner)
        : owner_(owner), arena_(Options(block_, sizeof block_)) {
      CreateMessages();
    }
    void Release() override { owner_.Keep(this); }
    // Ready for the next call: the response cleared, keeping its memory,
    // or all of it freed (the arena keeps its first block) and new messages
    // made once the arena has grown past kMaxKeptBytes.
    void Recycle() {
      if (arena_.SpaceUsed() > kMaxKeptBytes) {
        arena_.Reset();
        CreateMessages();
        return;
      }
      this->request()->Clear();
      ClearForReuse(*this->response());
    }

   private:
    void CreateMessages() {
      this->set_request(
          google::protobuf::Arena::CreateMessage<Request>(&arena_));
      this->set_response(
          google::protobuf::Arena::CreateMessage<Response>(&arena_));
    }
    static google::protobuf::ArenaOptions Options(char* block,
                                                  std::size_t size) {
      google::protobuf::ArenaOptions options;
      options.initial_block = block;
      options.initial_block_size = size;
      return options;
    }
    ArenaAllocator& owner_;
    // A scored response is about 1.5 KB on the wire, a few KB in memory.
    alignas(std::max_align_t) char block_[16 * 1024];
    google::protobuf::Arena arena_;
  };

  void Keep(Holder* h) {
    h->Recycle();  // Outside the lock.
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (kept_.size() < kKept) {
        kept_.push_back(h);
        return;
      }
    }
    delete h;
  }

  std::mutex mutex_;
  std::vector<Holder*> kept_;
};

class AssessmentHandler final : public v1::AssessmentService::CallbackService {
 public:
  explicit AssessmentHandler(Core& core) : core_(core) {
    SetMessageAllocatorFor_ScoreAssessment(&allocator_);
  }

  grpc::ServerUnaryReactor* ScoreAssessment(
      grpc::CallbackServerContext* context,
      const v1::ScoreAssessmentRequest* request,
      v1::ScoreAssessmentResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    RpcResult<Principal> principal = core_.Authenticate(context);
    if (!principal.ok()) {
      reactor->Finish(principal.status());
      return reactor;
    }
    if (!Core::Allowed(*principal, Method::kScoreAssessment)) {
      core_.Trace(context, *principal);
      core_.DenyLater(*principal, Method::kScoreAssessment,
                      [reactor](grpc::Status status) {
                        reactor->Finish(std::move(status));
                      });
      return reactor;
    }
    try {
      FieldViolations violations;
      if (!request->has_assessment()) {
        violations.Add("assessment", "required");
        reactor->Finish(violations.ToStatus());
      } else {
        reactor->Finish(core_.Score(request->assessment(), "assessment",
                                    response->mutable_score(), violations));
      }
    } catch (const std::exception&) {
      reactor->Finish(Code(grpc::StatusCode::INTERNAL, "the server failed"));
    }
    return reactor;
  }

  grpc::ServerBidiReactor<v1::StreamScoreAssessmentsRequest,
                          v1::StreamScoreAssessmentsResponse>*
  StreamScoreAssessments(grpc::CallbackServerContext* context) override {
    return new ScoreStream(core_, context);
  }

 private:
  ArenaAllocator<v1::ScoreAssessmentRequest, v1::ScoreAssessmentResponse>
      allocator_;
  Core& core_;
};

// ---- ReferralService ------------------------------------------------------

class ReferralHandler final : public v1::ReferralService::CallbackService {
 public:
  explicit ReferralHandler(Core& core) : core_(core) {}

  grpc::ServerUnaryReactor* SubmitReferral(
      grpc::CallbackServerContext* context,
      const v1::SubmitReferralRequest* request,
      v1::SubmitReferralResponse* response) override {
    return core_.UnaryAsync(
        context, Method::kSubmitReferral,
        [this, request, response](const Principal& p, const Deadline& deadline,
                                  const Finish& finish) {
          FieldViolations violations;
          CheckId(request->request_id(), "request_id", false, violations);
          std::optional<StoredReferral> referral;
          if (!request->has_referral()) {
            violations.Add("referral", "required");
          } else {
            referral =
                ReferralFromWire(request->referral(), p.agency,
                                 core_.wire_limits(), "referral", violations);
          }
          if (!violations.empty()) return finish(violations.ToStatus());
          if (!MaySubmitIn(p, referral->area)) {
            return finish(core_.Deny(p, Method::kSubmitReferral, "referral",
                                     {request->request_id()},
                                     "referral.area: not one of your areas"));
          }
          referral->submission_id = request->request_id();
          referral->referral_id = core_.NewId("R-");

          if (!referral->assessment_id.empty()) {
            const Result<std::vector<StoredAssessment>> assessments =
                core_.store().Assessments(ActorFor(
                    p, "check the assessment a referral names", deadline));
            if (!assessments.ok())
              return finish(ToGrpcStatus(assessments.status()));
            const bool known =
                std::any_of(assessments->begin(), assessments->end(),
                            [&](const StoredAssessment& a) {
                              return a.assessment_id == referral->assessment_id;
                            });
            if (!known) {
              return finish(
                  Code(grpc::StatusCode::FAILED_PRECONDITION,
                       "referral.assessment_id: no such assessment is "
                       "stored; store it first"));
            }
          }
          // The last point at which the call may stop: once queued, the
          // referral is written and acknowledged.
          if (const grpc::Status late =
                  Late(deadline, "before the referral was written");
              !late.ok()) {
            return finish(late);
          }
          const Actor actor = ActorFor(p, "");
          core_.commits().Add(
              core_.writer().Submit(actor, *referral),
              [this, p, finish, response,
               submitted = *referral](Result<SubmitOutcome> outcome) {
                try {
                  finish(core_.AfterCommit(
                      Method::kSubmitReferral,
                      Acknowledge(p, submitted, outcome, response)));
                } catch (const std::exception&) {
                  finish(Code(grpc::StatusCode::INTERNAL, "the server failed"));
                }
              });
        });
  }

  grpc::ServerUnaryReactor* GetReferral(
      grpc::CallbackServerContext* context,
      const v1::GetReferralRequest* request,
      v1::GetReferralResponse* response) override {
    return core_.Unary(
        context, Method::kGetReferral,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckId(request->referral_id(), "referral_id", false, violations);
          CheckPurpose(request->purpose(), "purpose", core_.wire_limits(),
                       violations);
          if (!violations.empty()) return violations.ToStatus();
          const Result<StoredReferral> found = core_.store().GetReferral(
              ActorFor(p, request->purpose(), deadline),
              request->referral_id());
          // Absent and out of scope answer alike, after the same work: one
          // audited read, then one audited refusal.
          if ((!found.ok() && found.status().code() == StatusCode::kNotFound) ||
              (found.ok() && !MayReadReferral(p, *found))) {
            return core_.Deny(p, Method::kGetReferral, "referral",
                              {request->referral_id()},
                              HiddenObject("referral_id", "referral"));
          }
          if (!found.ok()) return ToGrpcStatus(found.status());
          if (const grpc::Status disclosed = core_.Disclose(
                  p, request->purpose(), "referral", {found->referral_id});
              !disclosed.ok()) {
            return disclosed;
          }
          ReferralToWire(*found, response->mutable_referral());
          return grpc::Status::OK;
        });
  }

  grpc::ServerUnaryReactor* ListReferrals(
      grpc::CallbackServerContext* context,
      const v1::ListReferralsRequest* request,
      v1::ListReferralsResponse* response) override {
    return core_.Unary(
        context, Method::kListReferrals,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckPurpose(request->purpose(), "purpose", core_.wire_limits(),
                       violations);
          CheckLabel(request->area(), "area", true, violations);
          std::optional<Date> until;
          if (request->has_referred_until()) {
            until = DateFromWire(request->referred_until(), "referred_until",
                                 violations);
          }
          std::optional<PageKey> after;
          CheckPaging(request->page_size(), request->page_token(), after,
                      violations);
          if (!violations.empty()) return violations.ToStatus();
          if (!MayListReferralsOf(p, request->area())) {
            return core_.Deny(p, Method::kListReferrals, "", {},
                              "area: not one of your areas");
          }
          const Result<std::vector<StoredReferral>> all =
              core_.store().Referrals(ActorFor(p, request->purpose(), deadline),
                                      request->area(), until);
          if (!all.ok()) return ToGrpcStatus(all.status());
          PageBudget page(PageSize(request->page_size(), core_.limits()),
                          core_.limits());
          const StoredReferral* last = nullptr;
          bool more = false;
          std::vector<std::string> shown;
          for (const StoredReferral& r : *all) {  // In (date, id) order.
            if (!MayReadReferral(p, r)) continue;
            if (after && !(PageKey{r.referred_on, r.referral_id} > *after)) {
              continue;
            }
            v1::Referral wire;
            ReferralToWire(r, &wire);
            if (!AddWithin(page, response->mutable_referrals(),
                           std::move(wire))) {
              if (page.count() == 0) return ItemTooLarge("a referral");
              more = true;
              break;
            }
            shown.push_back(r.referral_id);
            last = &r;
          }
          if (more && last != nullptr) {
            response->set_next_page_token(
                EncodeToken(last->referred_on, last->referral_id));
          }
          return core_.Disclose(p, request->purpose(), "referral", shown);
        });
  }

 private:
  // The answer to a submission once its batch has committed.
  grpc::Status Acknowledge(const Principal& p, const StoredReferral& submitted,
                           const Result<SubmitOutcome>& outcome,
                           v1::SubmitReferralResponse* response) {
    if (!outcome.ok()) {
      if (outcome.status().code() == StatusCode::kAlreadyExists) {
        // A referral id collision: the client may retry as it is.
        return Code(grpc::StatusCode::ABORTED,
                    "the referral could not be given an id; retry");
      }
      return ToGrpcStatus(outcome.status());
    }
    if (!outcome->duplicate) {
      ReferralToWire(submitted, response->mutable_referral());
      return grpc::Status::OK;
    }
    // The request id was used before: the same referral, or a conflict.
    // After the commit, on the waiter's thread: the call's deadline is
    // gone, and the answer (the stored referral) is due.
    const Result<StoredReferral> stored = core_.store().GetReferral(
        ActorFor(p, "idempotent retry of a referral submission"),
        outcome->referral_id);
    if (!stored.ok()) return ToGrpcStatus(stored.status());
    if (!SameReferral(*stored, submitted)) {
      return Code(grpc::StatusCode::ALREADY_EXISTS,
                  "request_id: already used for a different referral; use a "
                  "new request_id for a new referral");
    }
    // The stored referral goes back to the caller: disclosed.
    if (const grpc::Status disclosed =
            core_.Disclose(p, "idempotent retry of a referral submission",
                           "referral", {stored->referral_id});
        !disclosed.ok()) {
      return disclosed;
    }
    ReferralToWire(*stored, response->mutable_referral());
    response->set_replayed(true);
    return grpc::Status::OK;
  }

  Core& core_;
};

// ---- IdentityService ------------------------------------------------------

// Everything resolution needs from the store.
struct StoredPeople {
  std::vector<PersonRecord> records;
  std::vector<ReviewDecision> decisions;
  // With earlier person ids and the actor's deadline, without decisions.
  ResolveOptions options;
};

// Reads under the actor's deadline, which then bounds resolution too.
Result<StoredPeople> LoadPeople(Store& store, const Actor& actor) {
  StoredPeople out;
  MARAC_ASSIGN_OR_RETURN(out.records, store.Records(actor));
  MARAC_ASSIGN_OR_RETURN(const auto people, store.People(actor));
  MARAC_ASSIGN_OR_RETURN(out.decisions, store.ReviewDecisions(actor));
  for (const auto& [record, person] : people) {
    out.options.earlier_person_of.emplace(record, person);
  }
  out.options.training.threads = 1;  // Leave the cores to other calls.
  out.options.deadline = actor.deadline;
  return out;
}

void AddDecisions(const std::vector<ReviewDecision>& decisions,
                  const std::vector<PersonRecord>& records,
                  ResolveOptions& options) {
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    index.emplace(records[i].record_id, i);
  }
  for (const ReviewDecision& d : decisions) {
    const auto l = index.find(d.record_id_l);
    const auto r = index.find(d.record_id_r);
    if (l != index.end() && r != index.end()) {
      options.decisions.push_back({l->second, r->second, d.same});
    }
  }
}

std::optional<std::uint32_t> FindRecord(const std::vector<PersonRecord>& all,
                                        std::string_view id) {
  for (std::uint32_t i = 0; i < all.size(); ++i) {
    if (all[i].record_id == id) return i;
  }
  return std::nullopt;
}

grpc::Status NoModel() {
  return Code(grpc::StatusCode::FAILED_PRECONDITION,
              "the stored records cannot train a linkage model yet; store "
              "more records first");
}

// The answer for a resolution that failed: stopped by the call's deadline
// or cancellation, or else no model could be trained.
grpc::Status Unresolved(const Status& status) {
  if (status.code() == StatusCode::kDeadlineExceeded ||
      status.code() == StatusCode::kCancelled) {
    return ToGrpcStatus(status);
  }
  return NoModel();
}

class IdentityHandler final : public v1::IdentityService::CallbackService {
 public:
  explicit IdentityHandler(Core& core) : core_(core) {}

  grpc::ServerUnaryReactor* ResolveRecord(
      grpc::CallbackServerContext* context,
      const v1::ResolveRecordRequest* request,
      v1::ResolveRecordResponse* response) override {
    return core_.Unary(
        context, Method::kResolveRecord,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          std::optional<PersonRecord> record;
          if (!request->has_record()) {
            violations.Add("record", "required");
          } else {
            record = PersonRecordFromWire(
                request->record(), core_.wire_limits(), "record", violations);
          }
          CheckPurpose(request->purpose(), "purpose", core_.wire_limits(),
                       violations);
          if (!violations.empty()) return violations.ToStatus();
          const Actor actor = ActorFor(p, request->purpose(), deadline);
          Store& store = core_.store();
          Result<StoredPeople> people = LoadPeople(store, actor);
          if (!people.ok()) return ToGrpcStatus(people.status());
          // Resolve with the record in place, in memory; store only after.
          std::vector<PersonRecord>& all = people->records;
          const std::optional<std::uint32_t> found =
              FindRecord(all, record->record_id);
          const std::uint32_t self =
              found ? *found : static_cast<std::uint32_t>(all.size());
          if (found) {
            all[self] = *record;
          } else {
            all.push_back(*record);
          }
          AddDecisions(people->decisions, all, people->options);
          const Result<Resolution> resolution = Resolve(all, people->options);
          if (!resolution.ok()) return Unresolved(resolution.status());
          // The last point at which the call may stop: writes never look
          // at the deadline (store.h), so once the record is stored its
          // people are too.
          if (const grpc::Status late =
                  Late(deadline, "before the record was stored");
              !late.ok()) {
            return late;
          }

          // The answer, and its disclosure, before anything is written: a
          // call that has stored the record then fails at nothing.
          const std::string& person = resolution->person_of[self];
          response->set_person_id(person);
          response->set_new_person(std::count(resolution->person_of.begin(),
                                              resolution->person_of.end(),
                                              person) == 1);
          std::vector<std::string> shown;
          for (const ScoredPair& pair : resolution->review) {
            if (pair.a != self && pair.b != self) continue;
            v1::MatchCandidate* c = response->add_review();
            c->set_record_id(all[pair.a == self ? pair.b : pair.a].record_id);
            c->set_probability(pair.probability);
            shown.push_back(c->record_id());
          }
          if (const grpc::Status disclosed =
                  core_.Disclose(p, request->purpose(), "record", shown);
              !disclosed.ok()) {
            response->Clear();
            return disclosed;
          }

          const Status put = store.PutRecords(actor, {&*record, 1});
          if (!put.ok()) return ToGrpcStatus(put, "record");
          std::vector<std::pair<std::string, std::string>> record_person;
          for (std::size_t i = 0; i < all.size(); ++i) {
            record_person.emplace_back(all[i].record_id,
                                       resolution->person_of[i]);
          }
          const Status saved =
              store.SavePeople(actor, record_person, resolution->events);
          if (!saved.ok()) return ToGrpcStatus(saved);
          return core_.AfterCommit(Method::kResolveRecord, grpc::Status::OK);
        });
  }

  grpc::ServerUnaryReactor* ExplainMatch(
      grpc::CallbackServerContext* context,
      const v1::ExplainMatchRequest* request,
      v1::ExplainMatchResponse* response) override {
    return core_.Unary(
        context, Method::kExplainMatch,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckPair(request->record_id_a(), request->record_id_b(),
                    request->purpose(), violations);
          if (!violations.empty()) return violations.ToStatus();
          const Actor actor = ActorFor(p, request->purpose(), deadline);
          Result<StoredPeople> people = LoadPeople(core_.store(), actor);
          if (!people.ok()) return ToGrpcStatus(people.status());
          const auto a = FindRecord(people->records, request->record_id_a());
          const auto b = FindRecord(people->records, request->record_id_b());
          if (!a || !b) return NotStored(!a ? "record_id_a" : "record_id_b");
          AddDecisions(people->decisions, people->records, people->options);
          const Result<Resolution> resolution =
              Resolve(people->records, people->options);
          if (!resolution.ok()) return Unresolved(resolution.status());
          if (!resolution->model) return NoModel();
          const LinkageModel& model = *resolution->model;
          const NormalisedRecord& ra = resolution->normalised[*a];
          const NormalisedRecord& rb = resolution->normalised[*b];
          response->set_match_probability(model.MatchProbability(ra, rb));
          response->set_match_weight(model.MatchWeight(ra, rb));
          for (const WeightTerm& t : model.Explain(ra, rb)) {
            WeightTermToWire(t, response->add_terms());
          }
          return core_.Disclose(
              p, request->purpose(), "record",
              {request->record_id_a(), request->record_id_b()});
        });
  }

  grpc::ServerUnaryReactor* RecordReviewDecision(
      grpc::CallbackServerContext* context,
      const v1::RecordReviewDecisionRequest* request,
      v1::RecordReviewDecisionResponse* response) override {
    return core_.Unary(
        context, Method::kRecordReviewDecision,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckPair(request->record_id_a(), request->record_id_b(),
                    request->purpose(), violations);
          const v1::ReviewVerdict verdict = request->verdict();
          if (verdict != v1::REVIEW_VERDICT_SAME &&
              verdict != v1::REVIEW_VERDICT_NOT_SAME) {
            violations.Add("verdict", verdict == v1::REVIEW_VERDICT_UNSPECIFIED
                                          ? "required"
                                          : "not a ReviewVerdict value");
          }
          if (!violations.empty()) return violations.ToStatus();
          const Actor actor = ActorFor(p, request->purpose(), deadline);
          const Result<std::vector<PersonRecord>> records =
              core_.store().Records(actor);
          if (!records.ok()) return ToGrpcStatus(records.status());
          const bool a =
              FindRecord(*records, request->record_id_a()).has_value();
          const bool b =
              FindRecord(*records, request->record_id_b()).has_value();
          if (!a || !b) return NotStored(!a ? "record_id_a" : "record_id_b");
          if (const grpc::Status late =
                  Late(deadline, "before the decision was stored");
              !late.ok()) {
            return late;
          }
          const ReviewDecision decision{request->record_id_a(),
                                        request->record_id_b(),
                                        verdict == v1::REVIEW_VERDICT_SAME,
                                        {},
                                        {}};
          const Status put =
              core_.store().PutReviewDecisions(actor, {&decision, 1});
          if (!put.ok()) return ToGrpcStatus(put);
          response->set_decided_by(p.user);
          return core_.AfterCommit(Method::kRecordReviewDecision,
                                   grpc::Status::OK);
        });
  }

 private:
  void CheckPair(const std::string& a, const std::string& b,
                 const std::string& purpose, FieldViolations& violations) {
    CheckId(a, "record_id_a", false, violations);
    CheckId(b, "record_id_b", false, violations);
    if (!a.empty() && a == b) {
      violations.Add("record_id_b", "the same record as record_id_a");
    }
    CheckPurpose(purpose, "purpose", core_.wire_limits(), violations);
  }

  static grpc::Status NotStored(const std::string& field) {
    return Code(grpc::StatusCode::NOT_FOUND,
                field + ": no record with this id is stored");
  }

  Core& core_;
};

// ---- AgendaService --------------------------------------------------------

class AgendaHandler final : public v1::AgendaService::CallbackService {
 public:
  explicit AgendaHandler(Core& core) : core_(core) {}

  grpc::ServerUnaryReactor* GenerateAgenda(
      grpc::CallbackServerContext* context,
      const v1::GenerateAgendaRequest* request,
      v1::GenerateAgendaResponse* response) override {
    return core_.Unary(
        context, Method::kGenerateAgenda,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          const std::optional<AgendaMeeting> meeting =
              MeetingOf(*request, violations);
          if (!violations.empty()) return violations.ToStatus();
          if (!MayGenerateAgendaFor(p, request->area())) {
            return core_.Deny(p, Method::kGenerateAgenda, "", {},
                              "area: you are not a coordinator of this area");
          }

          const Actor actor = ActorFor(p, request->purpose(), deadline);
          const PriorityPolicy& policy = core_.options().priority;
          const Result<Agenda> ranked =
              AgendaFromStore(core_.store(), actor, *meeting, policy);
          if (!ranked.ok()) return ToGrpcStatus(ranked.status());
          // The deferred and not-eligible cases are counted here and listed
          // by ListAgendaCases: the answer follows the meeting's capacity,
          // never the area's backlog.
          const Agenda agenda = CountedOnly(*ranked);
          const std::string json =
              AgendaJson(agenda, AgendaView::kCirculated, policy);
          AgendaToWire(agenda, response->mutable_agenda());
          response->set_circulated_json(json);
          switch (request->format()) {
            case v1::OUTPUT_FORMAT_JSON:
              response->set_rendered(json);
              break;
            case v1::OUTPUT_FORMAT_MARKDOWN:
              response->set_rendered(
                  AgendaMarkdown(agenda, AgendaView::kCirculated, policy));
              break;
            case v1::OUTPUT_FORMAT_HTML:
              response->set_rendered(
                  AgendaHtml(agenda, AgendaView::kCirculated, policy));
              break;
            default:
              break;
          }
          if (request->save()) response->set_agenda_id(meeting->meeting_id);
          // What will be sent is known before anything is saved: an answer
          // too large to send is refused before the commit, never after.
          if (response->ByteSizeLong() >
              static_cast<std::size_t>(core_.limits().max_message_bytes) / 4 *
                  3) {
            response->Clear();
            return Code(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "the listed cases are larger than an answer may be "
                        "under limits.max_message_bytes: ask without a "
                        "format, for fewer cases, or raise the limit; "
                        "nothing was saved");
          }
          std::vector<std::string> shown;
          for (const RankedCase& c : agenda.listed) {
            shown.push_back(c.item.referral_id);
          }
          if (!request->save()) {
            return core_.Disclose(p, request->purpose(), "referral", shown);
          }
          // Saved already: a retry is answered from the stored document,
          // another agenda is final.
          Saved existing = Existing(actor, meeting->meeting_id, json);
          if (!existing.status.ok()) {
            response->Clear();
            return existing.status;
          }
          if (!existing.json) {
            if (const grpc::Status late =
                    Late(deadline, "before the agenda was saved");
                !late.ok()) {
              return late;
            }
          }
          // Recorded before the save, so that nothing can fail once it has
          // committed (a save that then fails leaves a disclosure of cases
          // the caller did not get: the safe side of the log).
          if (const grpc::Status disclosed =
                  core_.Disclose(p, request->purpose(), "referral", shown);
              !disclosed.ok()) {
            return disclosed;
          }
          if (existing.json) {
            response->set_circulated_json(*existing.json);
            if (request->format() == v1::OUTPUT_FORMAT_JSON) {
              response->set_rendered(*existing.json);
            }
            return grpc::Status::OK;
          }
          const grpc::Status saved = Save(actor, *meeting, policy, json);
          if (saved.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
            // Another call saved first: the same agenda (a retry racing
            // its original) or a different one.
            existing = Existing(actor, meeting->meeting_id, json);
            if (existing.status.ok() && existing.json) {
              response->set_circulated_json(*existing.json);
              return grpc::Status::OK;
            }
          }
          return core_.AfterCommit(Method::kGenerateAgenda, saved);
        });
  }

  grpc::ServerUnaryReactor* ListAgendaCases(
      grpc::CallbackServerContext* context,
      const v1::ListAgendaCasesRequest* request,
      v1::ListAgendaCasesResponse* response) override {
    return core_.Unary(
        context, Method::kListAgendaCases,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          const std::optional<AgendaMeeting> meeting =
              MeetingOf(*request, violations);
          const v1::AgendaCaseList which = request->which();
          if (which != v1::AGENDA_CASE_LIST_DEFERRED &&
              which != v1::AGENDA_CASE_LIST_NOT_ELIGIBLE) {
            violations.Add("which", which == v1::AGENDA_CASE_LIST_UNSPECIFIED
                                        ? "required"
                                        : "not an AgendaCaseList value");
          }
          std::optional<PageKey> after;
          CheckPaging(request->page_size(), request->page_token(), after,
                      violations);
          if (!violations.empty()) return violations.ToStatus();
          if (!MayReadAgendasOf(p, request->area())) {
            return core_.Deny(p, Method::kListAgendaCases, "", {},
                              "area: not one of your areas");
          }
          const PriorityPolicy& policy = core_.options().priority;
          const Result<Agenda> agenda = AgendaFromStore(
              core_.store(), ActorFor(p, request->purpose(), deadline),
              *meeting, policy);
          if (!agenda.ok()) return ToGrpcStatus(agenda.status());
          // The token is the list's fingerprint and the last id sent: the
          // page resumes after it on the same list, and a list that has
          // changed (a case ranked in or out) is refused, never paged
          // through with a case skipped or repeated.
          std::vector<std::string> ids;
          if (which == v1::AGENDA_CASE_LIST_DEFERRED) {
            for (const DeferredCase& d : agenda->deferred) {
              ids.push_back(d.ranked.item.referral_id);
            }
          } else {
            for (const LeftOut& l : agenda->not_eligible) {
              ids.push_back(l.referral_id);
            }
          }
          const std::string print =
              ListFingerprint(static_cast<int>(which), ids);
          std::size_t first = 0;
          if (after) {
            const std::size_t bar = after->id.find('|');
            const auto at = bar == std::string::npos
                                ? ids.end()
                                : std::find(ids.begin(), ids.end(),
                                            after->id.substr(bar + 1));
            if (after->date != meeting->date || bar == std::string::npos ||
                after->id.substr(0, bar) != print || at == ids.end()) {
              return Code(grpc::StatusCode::FAILED_PRECONDITION,
                          "page_token: this list has changed since the "
                          "previous page (or the token is for another "
                          "list); start again from the first page");
            }
            first = static_cast<std::size_t>(at - ids.begin()) + 1;
          }
          PageBudget page(PageSize(request->page_size(), core_.limits()),
                          core_.limits());
          std::vector<std::string> shown;
          bool more = false;
          for (std::size_t i = first; i < ids.size(); ++i) {
            bool added = false;
            if (which == v1::AGENDA_CASE_LIST_DEFERRED) {
              v1::DeferredCase wire;
              DeferredCaseToWire(agenda->deferred[i], agenda->meeting, &wire);
              added = AddWithin(page, response->mutable_deferred(),
                                std::move(wire));
            } else {
              v1::NotEligible wire;
              NotEligibleToWire(agenda->not_eligible[i], &wire);
              added = AddWithin(page, response->mutable_not_eligible(),
                                std::move(wire));
            }
            if (!added) {
              if (page.count() == 0) return ItemTooLarge("a case");
              more = true;
              break;
            }
            shown.push_back(ids[i]);
          }
          if (more) {
            response->set_next_page_token(
                EncodeToken(agenda->meeting.date, print + "|" + shown.back()));
          }
          return core_.Disclose(p, request->purpose(), "referral", shown);
        });
  }

  grpc::ServerUnaryReactor* GetAgenda(
      grpc::CallbackServerContext* context, const v1::GetAgendaRequest* request,
      v1::GetAgendaResponse* response) override {
    return core_.Unary(
        context, Method::kGetAgenda,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckId(request->agenda_id(), "agenda_id", false, violations);
          CheckPurpose(request->purpose(), "purpose", core_.wire_limits(),
                       violations);
          const v1::AgendaView view = request->view();
          if (!v1::AgendaView_IsValid(view)) {
            violations.Add("view", "not an AgendaView value");
          }
          if (!violations.empty()) return violations.ToStatus();
          const std::string& id = request->agenda_id();
          const bool chair_view = view == v1::AGENDA_VIEW_CHAIR;
          if (chair_view && !MayReadChairView(p)) {
            return core_.Deny(p, Method::kGetAgenda, "agenda", {id},
                              "view: the chair's view is for chairs");
          }
          const auto hidden = [&] {
            return core_.Deny(p, Method::kGetAgenda, "agenda", {id},
                              HiddenObject("agenda_id", "agenda"));
          };
          // The area is in the id: checked before the store is asked, so an
          // agenda of another area is refused without looking it up.
          if (!MayReadAgendasOf(p, AgendaIdArea(id))) return hidden();
          const Result<StoredAgenda> agenda = core_.store().GetAgenda(
              ActorFor(p, request->purpose(), deadline), id);
          if (!agenda.ok()) {
            if (agenda.status().code() == StatusCode::kNotFound)
              return hidden();
            return ToGrpcStatus(agenda.status());
          }
          if (agenda->meeting_id != id) return hidden();  // Not this server's.
          if (chair_view) {
            const grpc::Status chair = ChairView(
                ActorFor(p, request->purpose(), deadline), *agenda, response);
            if (!chair.ok()) return chair;
          }
          response->set_agenda_id(agenda->agenda_id);
          response->set_meeting_id(agenda->meeting_id);
          response->set_policy_version(agenda->policy_version);
          response->set_circulated_json(agenda->json);
          if (response->ByteSizeLong() >
              static_cast<std::size_t>(core_.limits().max_message_bytes) / 4 *
                  3) {
            // Saved whole by an earlier version or the command line, with
            // a long deferred list: the service saves counted agendas.
            response->Clear();
            return Code(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "agenda_id: this saved agenda is larger than an "
                        "answer may be under limits.max_message_bytes; "
                        "raise the limit to read it");
          }
          // Every case the agenda lists (and, for a chair, names) is now
          // disclosed to the caller, as is the agenda.
          std::vector<std::string> shown{agenda->agenda_id};
          for (const std::string& referral : AgendaReferralIds(agenda->json)) {
            shown.push_back(referral);
          }
          return core_.Disclose(p, request->purpose(), "agenda", shown);
        });
  }

  grpc::ServerUnaryReactor* ListMeetings(
      grpc::CallbackServerContext* context,
      const v1::ListMeetingsRequest* request,
      v1::ListMeetingsResponse* response) override {
    return core_.Unary(
        context, Method::kListMeetings,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckLabel(request->area(), "area", true, violations);
          CheckPurpose(request->purpose(), "purpose", core_.wire_limits(),
                       violations);
          std::optional<PageKey> after;
          CheckPaging(request->page_size(), request->page_token(), after,
                      violations);
          if (!violations.empty()) return violations.ToStatus();
          if (!request->area().empty() &&
              !MayReadAgendasOf(p, request->area())) {
            return core_.Deny(p, Method::kListMeetings, "", {},
                              "area: not one of your areas");
          }
          const Result<std::vector<Meeting>> all = core_.store().Meetings(
              ActorFor(p, request->purpose(), deadline), request->area());
          if (!all.ok()) return ToGrpcStatus(all.status());
          PageBudget page(PageSize(request->page_size(), core_.limits()),
                          core_.limits());
          const Meeting* last = nullptr;
          bool more = false;
          for (const Meeting& m : *all) {  // In (date, id) order.
            if (!MayReadAgendasOf(p, m.area)) continue;
            if (after && !(PageKey{m.date, m.meeting_id} > *after)) continue;
            v1::Meeting wire;
            MeetingToWire(m, &wire);
            if (!AddWithin(page, response->mutable_meetings(),
                           std::move(wire))) {
              if (page.count() == 0) return ItemTooLarge("a meeting");
              more = true;
              break;
            }
            last = &m;
          }
          if (more && last != nullptr) {
            response->set_next_page_token(
                EncodeToken(last->date, last->meeting_id));
          }
          return grpc::Status::OK;
        });
  }

 private:
  // The chair's view of a saved agenda: ranked again from the store, which
  // must still give the agenda that was circulated (else the chair would
  // see other cases than the agencies did).
  grpc::Status ChairView(const Actor& actor, const StoredAgenda& saved,
                         v1::GetAgendaResponse* response) {
    const std::string area(AgendaIdArea(saved.meeting_id));
    const Result<std::vector<Meeting>> meetings =
        core_.store().Meetings(actor, area);
    if (!meetings.ok()) return ToGrpcStatus(meetings.status());
    const auto m = std::find_if(
        meetings->begin(), meetings->end(),
        [&](const Meeting& x) { return x.meeting_id == saved.meeting_id; });
    if (m == meetings->end()) return Changed();
    const PriorityPolicy& policy = core_.options().priority;
    const AgendaMeeting meeting{m->meeting_id,     m->area,
                                m->date,           m->referral_cutoff,
                                m->capacity_cases, m->capacity_minutes};
    const Result<Agenda> agenda =
        AgendaFromStore(core_.store(), actor, meeting, policy);
    if (!agenda.ok()) return ToGrpcStatus(agenda.status());
    // The same cases as circulated (the counts beside them may have moved);
    // rendered as it was saved: counted by this service, whole by the
    // command line.
    if (!SameListing(saved.json,
                     AgendaJson(*agenda, AgendaView::kCirculated, policy))) {
      return Changed();
    }
    const bool counted =
        !nlohmann::json::parse(saved.json, nullptr, false).contains("deferred");
    response->set_chair_json(AgendaJson(
        counted ? CountedOnly(*agenda) : *agenda, AgendaView::kChair, policy));
    return grpc::Status::OK;
  }

  // The meeting a GenerateAgenda or ListAgendaCases request describes;
  // nullopt with its violations added when it describes none. Checks the
  // request's purpose too.
  template <typename Request>
  std::optional<AgendaMeeting> MeetingOf(const Request& request,
                                         FieldViolations& violations) const {
    const std::size_t before = violations.all().size();
    CheckLabel(request.area(), "area", false, violations);
    std::optional<Date> date;
    if (!request.has_meeting_date()) {
      violations.Add("meeting_date", "required");
    } else {
      date = DateFromWire(request.meeting_date(), "meeting_date", violations);
      // Not a MARAC meeting, and its default cut-off a week before could
      // fall outside the calendar (the RPC fuzzer's finding).
      if (date && *date < core_.wire_limits().earliest) {
        violations.Add("meeting_date",
                       "before " + core_.wire_limits().earliest.ToString());
        date.reset();
      }
    }
    std::optional<Date> cutoff;
    if (request.has_referral_cutoff()) {
      cutoff = DateFromWire(request.referral_cutoff(), "referral_cutoff",
                            violations);
      if (cutoff && date && *cutoff > *date) {
        violations.Add("referral_cutoff", "after the meeting date");
      }
    } else if (date) {
      cutoff = date->AddDays(-7);
    }
    const int cases = request.capacity_cases();
    const int minutes = request.capacity_minutes();
    if (cases < 0) violations.Add("capacity_cases", "negative");
    if (minutes < 0) violations.Add("capacity_minutes", "negative");
    if (cases == 0 && minutes == 0) {
      violations.Add("capacity_cases",
                     "a meeting needs a capacity in cases or minutes");
    }
    CheckPurpose(request.purpose(), "purpose", core_.wire_limits(), violations);
    if (violations.all().size() != before || !date || !cutoff) {
      return std::nullopt;
    }
    return AgendaMeeting{"M-" + date->ToString() + "-" + request.area(),
                         request.area(),
                         *date,
                         *cutoff,
                         cases,
                         minutes};
  }

  static grpc::Status Changed() {
    return Code(grpc::StatusCode::FAILED_PRECONDITION,
                "view: the stored referrals no longer give the agenda that "
                "was circulated, so no chair's view can match it");
  }

  // Stores the meeting and its agenda; the same agenda again is a retry.
  // The agenda saved for `meeting`, when there is one: a retry of this
  // save (the same meeting, policy and listed cases) answers from it; any
  // other agenda is final (FAILED_PRECONDITION).
  struct Saved {
    grpc::Status status;
    std::optional<std::string> json;  // The stored document, on a retry.
  };
  Saved Existing(const Actor& actor, const std::string& meeting_id,
                 const std::string& json) {
    const Result<StoredAgenda> existing =
        core_.store().GetAgenda(actor, meeting_id);
    if (!existing.ok()) {
      if (existing.status().code() == StatusCode::kNotFound) return {};
      return {ToGrpcStatus(existing.status()), std::nullopt};
    }
    if (!SameListing(existing->json, json)) return {AlreadyFinal(), {}};
    return {grpc::Status::OK, existing->json};
  }

  // Stores the meeting and its agenda in one transaction: saved whole, or
  // not at all.
  grpc::Status Save(const Actor& actor, const AgendaMeeting& meeting,
                    const PriorityPolicy& policy, const std::string& json) {
    const Status saved = core_.store().SaveMeetingAgenda(
        actor,
        {meeting.meeting_id, meeting.area, meeting.date,
         meeting.referral_cutoff, meeting.capacity_cases,
         meeting.capacity_minutes},
        {meeting.meeting_id, meeting.meeting_id, policy.version, json});
    if (saved.code() == StatusCode::kAlreadyExists) return AlreadyFinal();
    return ToGrpcStatus(saved, "meeting");
  }

  static grpc::Status AlreadyFinal() {
    return Code(grpc::StatusCode::FAILED_PRECONDITION,
                "a different agenda is already saved for this meeting");
  }

  Core& core_;
};

// ---- StatisticsService ----------------------------------------------------

// Keeps what belongs to `area`: its referrals, incidents and meetings, the
// agendas of those meetings and the IDVA allocations of those referrals.
void KeepArea(const std::string& area, StatisticsInput& input) {
  std::erase_if(input.referrals,
                [&](const StoredReferral& r) { return r.area != area; });
  std::erase_if(input.incidents,
                [&](const StoredIncident& i) { return i.area != area; });
  std::erase_if(input.meetings,
                [&](const Meeting& m) { return m.area != area; });
  std::set<std::string> meetings;
  for (const Meeting& m : input.meetings) meetings.insert(m.meeting_id);
  std::erase_if(input.agendas, [&](const StoredAgenda& a) {
    return !meetings.contains(a.meeting_id);
  });
  std::set<std::string> referrals;
  for (const StoredReferral& r : input.referrals) {
    referrals.insert(r.referral_id);
  }
  std::erase_if(input.idva, [&](const IdvaSupport& s) {
    return !referrals.contains(s.referral_id);
  });
}

class StatisticsHandler final : public v1::StatisticsService::CallbackService {
 public:
  explicit StatisticsHandler(Core& core) : core_(core) {}

  grpc::ServerUnaryReactor* GetStatistics(
      grpc::CallbackServerContext* context,
      const v1::GetStatisticsRequest* request,
      v1::GetStatisticsResponse* response) override {
    return core_.Unary(
        context, Method::kGetStatistics,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckLabel(request->area(), "area", false, violations);
          std::optional<Date> from;
          std::optional<Date> to;
          if (!request->has_period_start()) {
            violations.Add("period_start", "required");
          } else {
            from = DateFromWire(request->period_start(), "period_start",
                                violations);
          }
          if (!request->has_period_end()) {
            violations.Add("period_end", "required");
          } else {
            to = DateFromWire(request->period_end(), "period_end", violations);
          }
          if (from && to && *to < *from) {
            violations.Add("period_end", "before period_start");
          }
          if (request->adult_women() < 0) {
            violations.Add("adult_women", "negative");
          }
          CheckPurpose(request->purpose(), "purpose", core_.wire_limits(),
                       violations);
          if (!violations.empty()) return violations.ToStatus();
          if (!MayReadStatisticsOf(p, request->area())) {
            return core_.Deny(p, Method::kGetStatistics, "", {},
                              "area: you are not a coordinator of this area");
          }
          Result<StatisticsInput> input = StatisticsInputFromStore(
              core_.store(), ActorFor(p, request->purpose(), deadline));
          if (!input.ok()) return ToGrpcStatus(input.status());
          KeepArea(request->area(), *input);
          const Result<Statistics> statistics = ComputeStatistics(
              *input, *from, *to, {.adult_women = request->adult_women()});
          if (!statistics.ok()) return ToGrpcStatus(statistics.status());
          StatisticsToWire(*statistics, response->mutable_statistics());
          switch (request->format()) {
            case v1::OUTPUT_FORMAT_JSON:
              response->set_rendered(StatisticsJson(*statistics));
              break;
            case v1::OUTPUT_FORMAT_MARKDOWN:
              response->set_rendered(StatisticsMarkdown(*statistics));
              break;
            case v1::OUTPUT_FORMAT_HTML:
              response->set_rendered(StatisticsHtml(*statistics));
              break;
            default:
              break;
          }
          return grpc::Status::OK;
        });
  }

 private:
  Core& core_;
};

// ---- AuditService ---------------------------------------------------------

class AuditHandler final : public v1::AuditService::CallbackService {
 public:
  explicit AuditHandler(Core& core) : core_(core) {}

  grpc::ServerUnaryReactor* VerifyAudit(
      grpc::CallbackServerContext* context,
      const v1::VerifyAuditRequest* request,
      v1::VerifyAuditResponse* response) override {
    return core_.Unary(
        context, Method::kVerifyAudit,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckPurpose(request->purpose(), "purpose", core_.wire_limits(),
                       violations);
          const std::string& hash = request->anchor_hash();
          if (request->anchor_sequence() < 0) {
            violations.Add("anchor_sequence", "negative");
          } else if ((request->anchor_sequence() == 0) != hash.empty()) {
            violations.Add(hash.empty() ? "anchor_hash" : "anchor_sequence",
                           "an anchor needs both a sequence and a hash");
          }
          if (!hash.empty() && (hash.size() != 64 ||
                                hash.find_first_not_of("0123456789abcdef") !=
                                    std::string::npos)) {
            violations.Add("anchor_hash", "not 64 lowercase hex digits");
          }
          if (!violations.empty()) return violations.ToStatus();
          std::optional<std::pair<std::int64_t, std::string>> anchor;
          if (!hash.empty()) anchor.emplace(request->anchor_sequence(), hash);
          const Result<AuditVerification> verified = core_.store().VerifyAudit(
              ActorFor(p, request->purpose(), deadline), anchor);
          if (!verified.ok()) return ToGrpcStatus(verified.status());
          AuditVerificationToWire(*verified, response);
          return grpc::Status::OK;
        });
  }

  grpc::ServerUnaryReactor* ListAuditEntries(
      grpc::CallbackServerContext* context,
      const v1::ListAuditEntriesRequest* request,
      v1::ListAuditEntriesResponse* response) override {
    return core_.Unary(
        context, Method::kListAuditEntries,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckPurpose(request->purpose(), "purpose", core_.wire_limits(),
                       violations);
          if (request->after_sequence() < 0) {
            violations.Add("after_sequence", "negative");
          }
          if (request->page_size() < 0) violations.Add("page_size", "negative");
          if (!request->object_id().empty()) {
            CheckId(request->object_id(), "object_id", false, violations);
          }
          if (!violations.empty()) return violations.ToStatus();
          const std::size_t size =
              PageSize(request->page_size(), core_.limits());
          // One more than a page, to know whether another follows.
          const Actor actor = ActorFor(p, request->purpose(), deadline);
          const Result<std::vector<AuditEntry>> entries =
              request->object_id().empty()
                  ? core_.store().Audit(actor, request->after_sequence(),
                                        size + 1)
                  : core_.store().AuditMentioning(actor, request->object_id(),
                                                  request->after_sequence(),
                                                  size + 1);
          if (!entries.ok()) return ToGrpcStatus(entries.status());
          PageBudget page(size, core_.limits());
          for (const AuditEntry& e : *entries) {
            v1::AuditEntry wire;
            AuditEntryToWire(e, &wire);
            if (!AddWithin(page, response->mutable_entries(),
                           std::move(wire))) {
              if (page.count() == 0) return ItemTooLarge("an audit entry");
              response->set_next_after_sequence(
                  response->entries(response->entries_size() - 1).sequence());
              break;
            }
          }
          return grpc::Status::OK;
        });
  }

 private:
  Core& core_;
};

}  // namespace

Authenticator PrincipalAuthenticator(
    std::shared_ptr<const PrincipalSource> source,
    std::function<Date()> today) {
  return [source = std::move(source),
          today = std::move(today)](const grpc::CallbackServerContext& context)
             -> RpcResult<Principal> {
    // The verified client certificate's subject (mutual TLS only: without
    // a client CA the server asks for no certificate).
    std::string subject;
    const std::shared_ptr<const grpc::AuthContext> auth =
        context.auth_context();
    if (auth != nullptr && auth->IsPeerAuthenticated()) {
      const std::vector<grpc::string_ref> values =
          auth->FindPropertyValues(GRPC_X509_SUBJECT_PROPERTY_NAME);
      if (!values.empty()) subject.assign(values[0].data(), values[0].size());
    }
    std::string_view token;
    const auto& metadata = context.client_metadata();
    const auto [begin, end] = metadata.equal_range("authorization");
    if (begin != end) {
      if (std::next(begin) != end) {
        return Unauthenticated("authorization given twice");
      }
      const std::string_view value(begin->second.data(), begin->second.size());
      constexpr std::string_view kBearer = "Bearer ";
      if (!value.starts_with(kBearer) || value.size() == kBearer.size() ||
          value.size() > kBearer.size() + kMaxTokenBytes) {
        return Unauthenticated(
            "authorization: expected \"Bearer <token>\", the token 1..4096 "
            "bytes");
      }
      token = value.substr(kBearer.size());
    }
    std::string error;
    // Held while the entry is copied: a reload may replace the directory.
    const std::shared_ptr<const PrincipalDirectory> directory =
        source->current();
    const PrincipalEntry* entry =
        Identify(*directory, token, subject, today, error);
    if (entry == nullptr) return Unauthenticated(std::move(error));
    RpcResult<std::string> role = MetadataValue(context, "x-marac-role");
    if (!role.ok()) return role.status();
    if (!role->empty() && !IsRoleName(*role)) {
      return Unauthenticated(
          "x-marac-role must be referrer, idva, coordinator, chair or auditor");
    }
    Principal p;
    p.user = entry->user;
    p.role = role->empty() ? entry->roles.front() : *std::move(role);
    p.agency = entry->agency;
    p.roles = entry->roles;
    p.areas = entry->areas;
    p.peer = std::move(subject);
    return p;
  };
}

Actor ActorFor(const Principal& principal, std::string purpose,
               const Deadline& deadline) {
  Actor actor;  // Field by field: the store may add audit fields.
  actor.user = principal.user;
  actor.role = principal.role;
  actor.agency = principal.agency;
  actor.purpose = std::move(purpose);
  actor.request_id = principal.request_id;
  actor.peer = principal.peer;
  actor.deadline = deadline;
  return actor;
}

Date TodayUtc() {
  const auto days =
      std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date::FromDays(days.time_since_epoch().count());
}

struct MaracService::Impl {
  Impl(Store& store, ReferralWriter& writer, Scorer scorer,
       InstrumentSet instruments, ServiceOptions options)
      : core(store, writer, std::move(scorer), std::move(instruments),
             std::move(options)),
        assessment(core),
        referral(core),
        identity(core),
        agenda(core),
        statistics(core),
        audit(core) {}

  Core core;
  AssessmentHandler assessment;
  ReferralHandler referral;
  IdentityHandler identity;
  AgendaHandler agenda;
  StatisticsHandler statistics;
  AuditHandler audit;
};

MaracService::MaracService(Store& store, ReferralWriter& writer, Scorer scorer,
                           InstrumentSet instruments, ServiceOptions options)
    : impl_(std::make_unique<Impl>(store, writer, std::move(scorer),
                                   std::move(instruments),
                                   std::move(options))) {}

MaracService::~MaracService() { Stop(); }

std::vector<grpc::Service*> MaracService::services() {
  return {&impl_->assessment, &impl_->referral,   &impl_->identity,
          &impl_->agenda,     &impl_->statistics, &impl_->audit};
}

std::vector<std::string> MaracService::ServiceNames() {
  return {v1::AssessmentService::service_full_name(),
          v1::ReferralService::service_full_name(),
          v1::IdentityService::service_full_name(),
          v1::AgendaService::service_full_name(),
          v1::StatisticsService::service_full_name(),
          v1::AuditService::service_full_name()};
}

void MaracService::Stop() { impl_->core.Stop(); }

}  // namespace marac
