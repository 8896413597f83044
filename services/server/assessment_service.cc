// marac.v1.AssessmentService: scoring: one checklist, or a stream of them;
// reads and writes nothing.
#include <memory>

#include "marac/v1/assessment.grpc.pb.h"
#include "services/server/handlers.h"
#include "services/server/paging.h"

namespace marac::server {
namespace {

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

}  // namespace

std::unique_ptr<grpc::Service> NewAssessmentService(Core& core) {
  return std::make_unique<AssessmentHandler>(core);
}

}  // namespace marac::server
