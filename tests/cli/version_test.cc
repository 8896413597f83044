// `marac --version` and `marac-server --version`, the real programs run as
// child processes with nothing else on the command line and no
// configuration: exit 0, nothing on stderr, and on stdout one fact a line
// (the project version, the commit, the store's schema version, the
// default policies' versions).
//
// MARAC_BIN and MARAC_SERVER_BIN (when the server is built) are the
// programs' paths and MARAC_EXPECTED_VERSION CMake's project version, set
// by tests/cli/CMakeLists.txt.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "marac/agenda/agenda.h"
#include "marac/assess/policy.h"
#include "marac/store/store.h"
#include "tests/cli/run_process.h"
#include "tests/cli/temp_dir.h"

namespace marac {
namespace {

using ::testing::ElementsAre;
using ::testing::MatchesRegex;

// Runs `program --version` with nothing on stdin.
ProcessResult RunVersion(const std::string& program, const TempDir& dir) {
  return RunProgram(program, {"--version"}, "/dev/null", dir.Path(""));
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string::size_type from = 0;
  for (auto nl = text.find('\n'); nl != std::string::npos;
       nl = text.find('\n', from)) {
    lines.push_back(text.substr(from, nl - from));
    from = nl + 1;
  }
  EXPECT_EQ(from, text.size()) << "the last line has no newline";
  return lines;
}

struct ProgramCase {
  const char* label;
  const char* name;  // The first word of the first line.
  const char* path;  // Null when not built.
};
constexpr ProgramCase kPrograms[] = {
    {"Cli", "marac", MARAC_BIN},
#ifdef MARAC_SERVER_BIN
    {"Server", "marac-server", MARAC_SERVER_BIN},
#else
    {"Server", "marac-server", nullptr},
#endif
};

TEST(VersionTest, BothProgramsPrintTheSameFactsAndExitZero) {
  const std::string commit_line = "commit ([0-9a-f]{7,40}|unknown)";
  const std::string store =
      "store-schema " + std::to_string(LatestSchemaVersion());
  const std::string scoring =
      "default-scoring-policy " + ScoringPolicy::Default().version;
  const std::string priority =
      "default-priority-policy " + PriorityPolicy().version;
  std::vector<std::string> commits;
  for (const ProgramCase& c : kPrograms) {
    SCOPED_TRACE(c.label);
    if (c.path == nullptr) continue;  // Built without the server.
    const TempDir dir(std::string("marac-version-") + c.label);
    const ProcessResult run = RunVersion(c.path, dir);
    EXPECT_EQ(run.exit_status, 0) << run.err;
    EXPECT_EQ(run.err, "");
    const std::vector<std::string> lines = Lines(run.out);
    EXPECT_THAT(
        lines,
        ElementsAre(std::string(c.name) + " " + MARAC_EXPECTED_VERSION,
                    MatchesRegex(commit_line), store, scoring, priority));
    if (lines.size() > 1) commits.push_back(lines[1]);
  }
  // One build: one commit, whichever program says it.
  for (const std::string& commit : commits) EXPECT_EQ(commit, commits[0]);
}

}  // namespace
}  // namespace marac
