// `marac return safelives`: the quarterly MARAC data return for SafeLives.
#include <fstream>
#include <ostream>

#include "marac/report/safelives_return.h"
#include "services/casework/casework.h"
#include "services/cli/commands.h"
#include "services/cli/store_command.h"

namespace marac {
namespace {

constexpr std::size_t kMaxMappingBytes = 1 << 20;

Result<std::string> ReadMappingFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return InvalidArgument("--agency-map", path + ": cannot open the file");
  }
  std::string text;
  char chunk[16 * 1024];
  while (file.read(chunk, sizeof chunk) || file.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(file.gcount()));
    if (text.size() > kMaxMappingBytes) {
      return InvalidArgument("--agency-map", path + ": larger than 1 MiB");
    }
  }
  if (file.bad()) return InvalidArgument("--agency-map", path + ": read error");
  return text;
}

}  // namespace

int RunReturnSafeLives(const ReturnSafeLivesCommandOptions& options,
                       std::ostream& out, std::ostream& err) {
  const auto fail = [&](const Status& s) {
    return cli::Fail(err, "return safelives", s);
  };
  const Result<Quarter> quarter = ParseQuarter("--quarter", options.quarter);
  if (!quarter.ok()) return fail(quarter.status());
  if (options.format != "csv" && options.format != "json") {
    return fail(InvalidArgument("--format",
                                "'" + options.format + "' is not csv or json"));
  }
  AgencyMapping mapping = DefaultAgencyMapping();
  if (!options.agency_map.empty()) {
    const Result<std::string> text = ReadMappingFile(options.agency_map);
    if (!text.ok()) return fail(text.status());
    Result<AgencyMapping> parsed = ParseAgencyMapping(*text);
    if (!parsed.ok()) {
      return fail(InvalidArgument("--agency-map " + options.agency_map,
                                  parsed.status().message()));
    }
    mapping = *std::move(parsed);
  }
  const Date today = cli::Today();
  if (today < quarter->FirstDay()) {
    return fail(InvalidArgument(
        "--quarter", quarter->Name() + " begins on " +
                         quarter->FirstDay().ToString() + ", after today (" +
                         today.ToString() + ")"));
  }
  Result<std::unique_ptr<Store>> store = cli::OpenCommandStore(options.store);
  if (!store.ok()) return fail(store.status());
  const Actor actor =
      cli::CliActor(options.user, "coordinator",
                    "SafeLives MARAC return " + quarter->Name() +
                        (options.area.empty() ? "" : " " + options.area));
  // Every area: a victim's earlier referral elsewhere still makes a repeat.
  const Result<CaseFile> file = LoadCaseFile(**store, actor, "");
  if (!file.ok()) return fail(file.status());
  const Result<SafeLivesReturn> r =
      ComputeSafeLivesReturn(*file, {.quarter = *quarter,
                                     .area = options.area,
                                     .mapping = std::move(mapping),
                                     .as_of = today});
  if (!r.ok()) return fail(r.status());
  out << (options.format == "json" ? SafeLivesReturnJson(*r)
                                   : SafeLivesReturnCsv(*r));
  return kExitOk;
}

}  // namespace marac
