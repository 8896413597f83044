// Runs the `marac` program in process for the CLI tests, as main() would.
#ifndef MARAC_TESTS_CLI_RUN_CLI_H_
#define MARAC_TESTS_CLI_RUN_CLI_H_

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "services/cli/commands.h"

namespace marac {

struct CliRun {
  int status;
  std::string out;
  std::string err;
};

// `marac ARGS...` with `input` on standard input.
inline CliRun RunCli(std::vector<std::string> args,
                     std::string_view input = "") {
  args.insert(args.begin(), "marac");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::istringstream in{std::string(input)};
  std::ostringstream out;
  std::ostringstream err;
  const int status =
      RunMain(static_cast<int>(args.size()), argv.data(), in, out, err);
  return {status, out.str(), err.str()};
}

}  // namespace marac

#endif  // MARAC_TESTS_CLI_RUN_CLI_H_
