// `marac report`: the statistics returns over a period.
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "marac/identity/resolver.h"
#include "marac/report/one_stop_shop.h"
#include "marac/report/statistics.h"
#include "services/cli/agenda_command.h"
#include "services/cli/commands.h"
#include "services/cli/input_file.h"
#include "services/cli/progress.h"
#include "services/cli/record_csv.h"
#include "services/cli/remote_client.h"
#include "services/cli/store_command.h"

namespace marac {

using cli::CliActor;
using cli::Fail;

namespace {

// `marac report --one-stop-shops`: the One Stop Shops' yearly return.
int RunOneStopShopReport(const ReportCommandOptions& options, std::ostream& out,
                         std::ostream& err) {
  const auto fail = [&](const Status& s) { return Fail(err, "report", s); };
  if (!options.from.empty()) {
    return fail(
        InvalidArgument("--from",
                        "not with --one-stop-shops: its years run July to June "
                        "(choose how many with --years)"));
  }
  if (options.remote != nullptr) {
    return fail(InvalidArgument(
        "--one-stop-shops",
        "not with --server: the service has no One Stop Shop call; report "
        "from its store"));
  }
  if (options.years < 1 || options.years > 50) {
    return fail(InvalidArgument("--years", "must be 1 to 50"));
  }
  Date as_of = cli::Today();
  if (!options.to.empty()) {
    const Result<Date> to = Date::Parse("--to", options.to);
    if (!to.ok()) return fail(to.status());
    as_of = *to;
  }
  Result<std::unique_ptr<Store>> store = cli::OpenCommandStore(options.store);
  if (!store.ok()) return fail(store.status());
  const Actor actor = CliActor(options.user, "coordinator",
                               "One Stop Shop return to " + as_of.ToString());
  const Result<std::vector<OneStopShopVisit>> visits = (*store)->Visits(actor);
  if (!visits.ok()) return fail(visits.status());
  const Result<std::vector<OneStopShopSession>> sessions =
      (*store)->Sessions(actor);
  if (!sessions.ok()) return fail(sessions.status());
  const Result<std::vector<std::pair<std::string, std::string>>> people =
      (*store)->People(actor);
  if (!people.ok()) return fail(people.status());
  const Result<OneStopShopReport> report = ComputeOneStopShopReport(
      *visits, *sessions, *people,
      {.last_year_ending = OneStopShopYearEnding(as_of),
       .years = options.years,
       .as_of = as_of});
  if (!report.ok()) return fail(report.status());
  if (options.format == "json") {
    out << OneStopShopJson(*report);
  } else if (options.format == "md") {
    out << OneStopShopMarkdown(*report);
  } else {
    out << OneStopShopHtml(*report);
  }
  return kExitOk;
}

}  // namespace

int RunReport(const ReportCommandOptions& options, std::ostream& out,
              std::ostream& err) {
  const auto fail = [&](const Status& s) { return Fail(err, "report", s); };
  if (options.format != "json" && options.format != "md" &&
      options.format != "html") {
    return fail(InvalidArgument(
        "--format", "'" + options.format + "' is not json, md or html"));
  }
  if (options.one_stop_shops) return RunOneStopShopReport(options, out, err);
  if (options.from.empty()) {
    return fail(InvalidArgument("--from", "required (the period's first day)"));
  }
  if (options.to.empty()) {
    return fail(InvalidArgument("--to", "required (the period's last day)"));
  }
  const Result<Date> from = Date::Parse("--from", options.from);
  if (!from.ok()) return fail(from.status());
  const Result<Date> to = Date::Parse("--to", options.to);
  if (!to.ok()) return fail(to.status());
  if (*to < *from) return fail(InvalidArgument("--to", "before --from"));
  if (options.format != "json" && options.format != "md" &&
      options.format != "html") {
    return fail(InvalidArgument(
        "--format", "'" + options.format + "' is not json, md or html"));
  }
  if (options.adult_women < 0) {
    return fail(InvalidArgument("--adult-women", "negative"));
  }
  const std::string purpose =
      "statistics return " + from->ToString() + " to " + to->ToString();
  if (options.remote != nullptr) {
    if (!options.area.empty()) {
      return fail(
          InvalidArgument("--area", "with --server the area is --server-area"));
    }
    const Result<std::string> text =
        options.remote->Report(*from, *to, options.adult_women, options.format,
                               purpose, options.compare_previous);
    if (!text.ok()) return fail(text.status());
    out << *text;
    return kExitOk;
  }
  Result<std::unique_ptr<Store>> store = cli::OpenCommandStore(options.store);
  if (!store.ok()) return fail(store.status());
  const Actor actor = CliActor(options.user, "coordinator", purpose);
  const Result<StatisticsInput> input =
      LoadCaseFile(**store, actor, options.area);
  if (!input.ok()) return fail(input.status());
  const Result<Statistics> statistics =
      ComputeStatistics(*input, *from, *to,
                        {.adult_women = options.adult_women,
                         .compare_previous = options.compare_previous});
  if (!statistics.ok()) return fail(statistics.status());
  if (options.format == "json") {
    out << StatisticsJson(*statistics);
  } else if (options.format == "md") {
    out << StatisticsMarkdown(*statistics);
  } else {
    out << StatisticsHtml(*statistics);
  }
  return kExitOk;
}

}  // namespace marac
