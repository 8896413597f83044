// The plumbing every marac-server call shares: who is calling, its
// deadline and cancellation, the worker pool, refusals and disclosures on
// the audit log, and waiting for the referral writer's commits. A handler
// reads: authenticate, convert, call, convert, finish, through Core::Unary
// (or UnaryAsync when it finishes after a commit).
#ifndef MARAC_SERVICES_SERVER_CALL_H_
#define MARAC_SERVICES_SERVER_CALL_H_

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "marac/v1/assessment.pb.h"
#include "services/casework/held_people.h"
#include "services/server/access.h"
#include "services/server/marac_service.h"
#include "services/server/work_queue.h"
#include "services/wire/convert.h"
#include "services/wire/rpc_status.h"

namespace marac::server {

using Finish = std::function<void(grpc::Status)>;

inline constexpr std::size_t kMaxMetadataBytes = 128;
inline constexpr std::size_t kMaxTokenBytes = 4096;

inline grpc::Status Unauthenticated(std::string message) {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::move(message));
}

inline grpc::Status Code(grpc::StatusCode code, std::string message) {
  return grpc::Status(code, std::move(message));
}

// One metadata value: absent is "", repeated or malformed is an error.
inline RpcResult<std::string> MetadataValue(
    const grpc::CallbackServerContext& context, const std::string& key) {
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
inline std::string HiddenObject(std::string_view field, std::string_view what) {
  return std::string(field) + ": no " + std::string(what) +
         " you may read has this id (it may not exist)";
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
inline grpc::Status Late(const Deadline& deadline, std::string_view what) {
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
        random_(std::random_device{}()),
        people_(store, {.wait_for_load = options_.wait_for_people}) {
    if (options_.load_people_at_start) {
      loader_ = std::thread([this] {
        const auto started = std::chrono::steady_clock::now();
        const Status loaded =
            people_.Load({"marac-server", "system", "",
                          "holding the people in memory for identity calls"});
        // An empty store has nothing to hold yet: nothing to say.
        if (!options_.log || loaded.code() == StatusCode::kFailedPrecondition) {
          return;
        }
        if (loaded.ok()) {
          const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
              std::chrono::steady_clock::now() - started);
          options_.log("identity: " + std::to_string(people_.size()) +
                       " records held, loaded in " +
                       std::to_string(ms.count()) + " ms");
        } else {
          options_.log("identity: the people could not be loaded (" +
                       loaded.ToString() +
                       "); the first identity call tries again");
        }
      });
    }
  }

  Store& store() { return store_; }
  ReferralWriter& writer() { return writer_; }
  HeldPeople& people() { return people_; }
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
    RiskScoreToWire(in->assessment_id, *score, out, in->parent_assessment_id);
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
    people_.Stop();
    if (loader_.joinable()) loader_.join();
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
  HeldPeople people_;
  std::thread loader_;
};

}  // namespace marac::server

#endif  // MARAC_SERVICES_SERVER_CALL_H_
