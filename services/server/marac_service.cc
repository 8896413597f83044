#include "services/server/marac_service.h"

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>

#include "marac/v1/agenda.grpc.pb.h"
#include "marac/v1/assessment.grpc.pb.h"
#include "marac/v1/audit.grpc.pb.h"
#include "marac/v1/linkage.grpc.pb.h"
#include "marac/v1/meeting.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "marac/v1/statistics.grpc.pb.h"
#include "services/server/call.h"
#include "services/server/handlers.h"

namespace marac {

using server::kMaxTokenBytes;
using server::MetadataValue;
using server::Unauthenticated;

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
             std::move(options)) {
    handlers.push_back(server::NewAssessmentService(core));
    handlers.push_back(server::NewReferralService(core));
    handlers.push_back(server::NewIdentityService(core));
    handlers.push_back(server::NewAgendaService(core));
    handlers.push_back(server::NewStatisticsService(core));
    handlers.push_back(server::NewAuditService(core));
    handlers.push_back(server::NewMeetingService(core));
  }

  server::Core core;
  std::vector<std::unique_ptr<grpc::Service>> handlers;  // In that order.
};

MaracService::MaracService(Store& store, ReferralWriter& writer, Scorer scorer,
                           InstrumentSet instruments, ServiceOptions options)
    : impl_(std::make_unique<Impl>(store, writer, std::move(scorer),
                                   std::move(instruments),
                                   std::move(options))) {}

MaracService::~MaracService() { Stop(); }

std::vector<grpc::Service*> MaracService::services() {
  std::vector<grpc::Service*> out;
  for (const auto& h : impl_->handlers) out.push_back(h.get());
  return out;
}

std::vector<std::string> MaracService::ServiceNames() {
  return {v1::AssessmentService::service_full_name(),
          v1::ReferralService::service_full_name(),
          v1::IdentityService::service_full_name(),
          v1::AgendaService::service_full_name(),
          v1::StatisticsService::service_full_name(),
          v1::AuditService::service_full_name(),
          v1::MeetingService::service_full_name()};
}

void MaracService::Stop() { impl_->core.Stop(); }

}  // namespace marac
