// marac.v1.AuditService: the audit log, for auditors: verify its chain, read it
// a page at a time.
#include <memory>

#include "marac/v1/audit.grpc.pb.h"
#include "services/server/handlers.h"
#include "services/server/paging.h"
#include "services/server/requests.h"

namespace marac::server {
namespace {

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
          const std::optional<std::pair<std::int64_t, std::string>> anchor =
              CheckVerifyAudit(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
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
          CheckListAuditEntries(*request, core_.wire_limits(), violations);
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

std::unique_ptr<grpc::Service> NewAuditService(Core& core) {
  return std::make_unique<AuditHandler>(core);
}

}  // namespace marac::server
