// The six marac.v1 services, each in its own file
// (services/server/<name>_service.cc), made over one Core.
#ifndef MARAC_SERVICES_SERVER_HANDLERS_H_
#define MARAC_SERVICES_SERVER_HANDLERS_H_

#include <grpcpp/grpcpp.h>

#include <memory>

#include "services/server/call.h"

namespace marac::server {

std::unique_ptr<grpc::Service> NewAssessmentService(Core& core);
std::unique_ptr<grpc::Service> NewReferralService(Core& core);
std::unique_ptr<grpc::Service> NewIdentityService(Core& core);
std::unique_ptr<grpc::Service> NewAgendaService(Core& core);
std::unique_ptr<grpc::Service> NewStatisticsService(Core& core);
std::unique_ptr<grpc::Service> NewAuditService(Core& core);
std::unique_ptr<grpc::Service> NewMeetingService(Core& core);

}  // namespace marac::server

#endif  // MARAC_SERVICES_SERVER_HANDLERS_H_
