// Progress lines of the long commands, `marac link` and `marac import`:
// none before the interval has passed (so a short run's stderr is what it
// always was), at most one per interval after that, none at all with
// --quiet; and reporting progress changes no output. Everyone here is
// invented (lib/synthetic).
#include "services/cli/progress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "lib/synthetic/synthetic_people.h"
#include "services/cli/record_csv.h"
#include "tests/cli/run_cli.h"
#include "tests/cli/temp_dir.h"

namespace marac {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;

struct UpdateCase {
  const char* label;
  int at_ms;  // Since the reporter was made.
  const char* step;
  std::size_t done;
  std::size_t total;
  const char* want;  // What it prints; "" for nothing.
};
// Two seconds apart, counted from the start, then from the last line.
constexpr UpdateCase kUpdateCases[] = {
    {"BeforeTheInterval", 1999, "reading files", 0, 1, ""},
    {"AtTheInterval", 2000, "comparing candidate pairs", 5, 10,
     "marac link: comparing candidate pairs: 5 of 10 (2 s)\n"},
    {"WithinTheNextInterval", 3999, "comparing candidate pairs", 9, 10, ""},
    {"NoCount", 4000, "training the linkage model", 0, 0,
     "marac link: training the linkage model (4 s)\n"},
    {"LongAfter", 9500, "clustering records", 3, 10,
     "marac link: clustering records: 3 of 10 (9 s)\n"},
    {"NoBurstAfterAGap", 11000, "clustering records", 4, 10, ""},
    {"FromTheLastLine", 11500, "clustering records", 10, 10,
     "marac link: clustering records: 10 of 10 (11 s)\n"},
};

TEST(ProgressLinesTest, AtMostOneLinePerIntervalAndNoneBeforeTheFirst) {
  using Clock = ProgressLines::Clock;
  const Clock::time_point start{std::chrono::hours(1)};
  Clock::time_point now = start;
  std::ostringstream err;
  ProgressLines progress(err, "marac link", {.every_seconds = 2},
                         [&now] { return now; });
  for (const UpdateCase& c : kUpdateCases) {
    SCOPED_TRACE(c.label);
    err.str("");
    now = start + std::chrono::milliseconds(c.at_ms);
    progress.Update(c.step, c.done, c.total);
    EXPECT_EQ(err.str(), c.want);
  }
}

TEST(ProgressLinesTest, QuietPrintsNothingAndAsksForNoReports) {
  std::ostringstream err;
  ProgressLines progress(err, "marac link",
                         {.quiet = true, .every_seconds = 0});
  progress.Update("comparing candidate pairs", 1, 2);
  EXPECT_EQ(err.str(), "");
  EXPECT_FALSE(progress.Callback());
}

std::string Read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// About 300 invented records of 200 people, as `marac link` reads them.
std::string RecordsCsv() {
  const SyntheticPopulation people = SyntheticPeople(200, 20260611);
  std::string csv =
      "record_id,given_name,family_name,dob,gender,postcode,address_line,"
      "role\n";
  for (const PersonRecord& r : people.records) {
    csv += CsvField(r.record_id) + "," + CsvField(r.given_name) + "," +
           CsvField(r.family_name) + "," + r.dob + "," + r.gender + "," +
           CsvField(r.postcode) + "," + CsvField(r.address_line) + "," +
           (r.role == Role::kVictim ? "victim" : "perpetrator") + "\n";
  }
  return csv;
}

// A progress line: "<command>: <step>[: <done> of <total>] (<seconds> s)".
const std::regex& ProgressLine() {
  static const std::regex kLine(
      R"(marac (link|import): ([a-z ]+)(: [0-9]+ of [0-9]+)? \([0-9]+ s\))");
  return kLine;
}

// The lines of `err` that are progress lines.
std::vector<std::string> ProgressLinesOf(const std::string& err) {
  std::vector<std::string> lines;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, ProgressLine())) lines.push_back(line);
  }
  return lines;
}

// The step each progress line of `err` names.
std::vector<std::string> StepsOf(const std::string& err) {
  std::vector<std::string> steps;
  for (const std::string& line : ProgressLinesOf(err)) {
    std::smatch match;
    std::regex_match(line, match, ProgressLine());
    steps.push_back(match[2].str());
  }
  return steps;
}

// `err` without its progress lines.
std::string WithoutProgress(const std::string& err) {
  const std::vector<std::string> progress = ProgressLinesOf(err);
  std::string rest;
  std::istringstream in(err);
  for (std::string line; std::getline(in, line);) {
    if (std::find(progress.begin(), progress.end(), line) == progress.end()) {
      rest += line + "\n";
    }
  }
  return rest;
}

TEST(LinkProgressTest, EveryStepIsReportedAndNothingElseChanges) {
  const TempDir dir("marac-link-progress");
  const std::string in = dir.Write("records.csv", RecordsCsv());
  const auto link = [&](const std::string& out,
                        std::vector<std::string> progress) {
    std::vector<std::string> args = {"link", "--in", in, "--out",
                                     dir.Path(out)};
    args.insert(args.end(), progress.begin(), progress.end());
    return RunCli(args);
  };
  const CliRun every = link("every.csv", {"--progress-every", "0"});
  ASSERT_EQ(every.status, 0) << every.err;
  const std::vector<std::string> lines = ProgressLinesOf(every.err);
  EXPECT_THAT(StepsOf(every.err),
              IsSupersetOf({"reading files", "normalising records",
                            "blocking records", "comparing candidate pairs",
                            "training the linkage model", "weighting records",
                            "scoring candidate pairs", "clustering records",
                            "numbering people", "writing files"}));
  EXPECT_THAT(lines, Contains(HasSubstr("reading files: 0 of 1 (")));
  EXPECT_THAT(lines, Contains(HasSubstr("writing files: 0 of 1 (")));

  const CliRun quiet = link("quiet.csv", {"--quiet", "--progress-every", "0"});
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_THAT(ProgressLinesOf(quiet.err), IsEmpty()) << quiet.err;
  // An interval longer than the run: the default's behaviour for a short
  // run, without depending on how fast this machine is.
  const CliRun hour = link("hour.csv", {"--progress-every", "3600"});
  ASSERT_EQ(hour.status, 0) << hour.err;
  EXPECT_THAT(ProgressLinesOf(hour.err), IsEmpty()) << hour.err;

  // Progress lines come before the summary and change nothing else.
  EXPECT_EQ(WithoutProgress(every.err), quiet.err);
  EXPECT_EQ(hour.err, quiet.err);
  EXPECT_EQ(every.out, quiet.out);
  EXPECT_EQ(Read(dir.Path("every.csv")), Read(dir.Path("quiet.csv")));
  EXPECT_EQ(Read(dir.Path("hour.csv")), Read(dir.Path("quiet.csv")));
}

TEST(ImportProgressTest, StoringAndLinkingAreReportedUnlessQuiet) {
  const TempDir dir("marac-import-progress");
  const std::string records = dir.Write("records.csv", RecordsCsv());
  const std::size_t count = SyntheticPeople(200, 20260611).records.size();
  const CliRun every =
      RunCli({"import", "--store", dir.Path("every.db"), "--records", records,
              "--link", "--progress-every", "0"});
  ASSERT_EQ(every.status, 0) << every.err;
  const std::vector<std::string> lines = ProgressLinesOf(every.err);
  EXPECT_THAT(lines,
              Contains(HasSubstr("marac import: reading files: 0 of 1 (")));
  EXPECT_THAT(lines, Contains(HasSubstr("marac import: storing rows: 0 of " +
                                        std::to_string(count) + " (")));
  EXPECT_THAT(StepsOf(every.err),
              IsSupersetOf({"reading files", "storing rows",
                            "reading the stored records",
                            "comparing candidate pairs", "storing people"}));
  EXPECT_EQ(WithoutProgress(every.err), "");

  const CliRun quiet =
      RunCli({"import", "--store", dir.Path("quiet.db"), "--records", records,
              "--link", "--quiet", "--progress-every", "0"});
  ASSERT_EQ(quiet.status, 0) << quiet.err;
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(every.out, quiet.out);
}

TEST(ProgressOptionsTest, ABadIntervalIsRefusedNamingTheOption) {
  const TempDir dir("marac-progress-options");
  const std::string in = dir.Write("records.csv", RecordsCsv());
  for (const char* command : {"link", "import"}) {
    SCOPED_TRACE(command);
    const CliRun r =
        RunCli({command, std::string(command) == "link" ? "--in" : "--records",
                in, "--progress-every", "-1"});
    EXPECT_EQ(r.status, kExitBadInput);
    EXPECT_THAT(r.err, HasSubstr("--progress-every"));
  }
}

}  // namespace
}  // namespace marac
