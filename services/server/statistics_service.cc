// marac.v1.StatisticsService: the returns' figures for one area and period.
#include <memory>

#include "marac/report/statistics.h"
#include "marac/v1/statistics.grpc.pb.h"
#include "services/casework/casework.h"
#include "services/server/handlers.h"
#include "services/server/paging.h"
#include "services/server/requests.h"

namespace marac::server {
namespace {

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
          const std::optional<std::pair<Date, Date>> period =
              CheckGetStatistics(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          const Date from = period->first;
          const Date to = period->second;
          if (!MayReadStatisticsOf(p, request->area())) {
            return core_.Deny(p, Method::kGetStatistics, "", {},
                              "area: you are not a coordinator of this area");
          }
          Result<StatisticsInput> input = LoadCaseFile(
              core_.store(), ActorFor(p, request->purpose(), deadline), "");
          if (!input.ok()) return ToGrpcStatus(input.status());
          KeepArea(request->area(), *input);
          const Result<Statistics> statistics = ComputeStatistics(
              *input, from, to,
              {.adult_women = request->adult_women(),
               .compare_previous = request->compare_previous()});
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

}  // namespace

std::unique_ptr<grpc::Service> NewStatisticsService(Core& core) {
  return std::make_unique<StatisticsHandler>(core);
}

}  // namespace marac::server
