// `marac report`: the statistics returns over a period.
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "marac/identity/resolver.h"
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

int RunReport(const ReportCommandOptions& options, std::ostream& out,
              std::ostream& err) {
  const auto fail = [&](const Status& s) { return Fail(err, "report", s); };
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
    const Result<std::string> text = options.remote->Report(
        *from, *to, options.adult_women, options.format, purpose);
    if (!text.ok()) return fail(text.status());
    out << *text;
    return kExitOk;
  }
  Result<std::unique_ptr<Store>> store = cli::OpenCommandStore(options.store);
  if (!store.ok()) return fail(store.status());
  const Actor actor = CliActor(options.user, "coordinator", purpose);
  const Result<StatisticsInput> input = LoadCaseFile(**store, actor, "");
  if (!input.ok()) return fail(input.status());
  const Result<Statistics> statistics = ComputeStatistics(
      *input, *from, *to, {.adult_women = options.adult_women});
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
