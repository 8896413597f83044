// What the store commands (agenda, report, import, audit) share: how a
// failure is printed and exits, who the caller is for the audit log, and
// opening the store --store names.
#ifndef MARAC_SERVICES_CLI_STORE_COMMAND_H_
#define MARAC_SERVICES_CLI_STORE_COMMAND_H_

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "marac/common/date.h"
#include "marac/common/status.h"
#include "marac/store/store.h"
#include "services/cli/commands.h"

namespace marac::cli {

// Prints `status` for `command` and gives its exit code.
inline int Fail(std::ostream& err, std::string_view command,
                const Status& status) {
  err << "marac " << command << ": " << status.message() << "\n";
  return status.code() == StatusCode::kInvalidArgument ? kExitBadInput
                                                       : kExitFailure;
}

// Who runs a store command, for the audit log: --user, else $USER.
inline Actor CliActor(const std::string& user, std::string role,
                      std::string purpose) {
  const char* env_user = std::getenv("USER");
  return {!user.empty() ? user : (env_user != nullptr ? env_user : "cli"),
          std::move(role), "", std::move(purpose)};
}

// Today on the service's own calendar (local time, Europe/London on a
// service's machine): the default "today" of the commands that need one.
inline Date Today() {
  const std::time_t now =
      std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  localtime_r(&now, &tm);
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

// The store --store names: kInvalidArgument naming --store when none was
// given; the store's errors (kNotFound for a file that is not there,
// unless `create`).
inline Result<std::unique_ptr<Store>> OpenCommandStore(const std::string& path,
                                                       bool create = false) {
  if (path.empty()) return InvalidArgument("--store", "required (or --server)");
  return OpenStore(path, {.create = create});
}

}  // namespace marac::cli

#endif  // MARAC_SERVICES_CLI_STORE_COMMAND_H_
