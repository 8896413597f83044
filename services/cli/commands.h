// The subcommands of `marac`, callable in-process (tests, benchmarks) as
// well as from main(). Each returns the process exit status:
// 0 success, 1 an I/O or internal failure, 2 bad input or bad usage.
#ifndef MARAC_SERVICES_CLI_COMMANDS_H_
#define MARAC_SERVICES_CLI_COMMANDS_H_

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "marac/assess/instrument.h"
#include "marac/assess/score.h"
#include "services/cli/assessment_json.h"
#include "services/cli/progress.h"
#include "services/cli/record_csv.h"

namespace marac {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;
// `marac audit verify`: the audit log's hash chain is broken.
inline constexpr int kExitTampered = 3;

class RemoteClient;

struct ScoreCommandOptions {
  bool jsonl = false;
  // With --server: each assessment, parsed and checked here, is scored by
  // the server (not owned).
  RemoteClient* remote = nullptr;
  // A line (or, without --jsonl, the whole input) longer than this is refused.
  std::size_t max_input_bytes = 1 << 20;
  ParseLimits limits;
};

// Scores what `in` holds and writes one result line per assessment to `out`;
// messages go to `err`. With `jsonl`, bad lines become {"line": N, "error":
// "..."} in place and the rest are still scored.
int RunScore(const Scorer& scorer, const InstrumentSet& instruments,
             const ScoreCommandOptions& options, std::istream& in,
             std::ostream& out, std::ostream& err);

struct DemoCommandOptions {
  std::uint64_t seed = 20261123;
  std::size_t count = 2000;
  std::size_t people = 600;  // Invented people whose records are linked.
  // When set, writes assessments.jsonl and results.jsonl there.
  std::optional<std::string> out_dir;
  // The store the borough's year goes into: a PostgreSQL URI (an empty
  // database); when unset, marac.db in out_dir.
  std::optional<std::string> store = {};
};

int RunDemo(const DemoCommandOptions& options, std::ostream& out,
            std::ostream& err);

struct LinkCommandOptions {
  std::vector<std::string> inputs;  // --in, at least one.
  std::string out;                  // record_id,person_id
  std::optional<std::string> review_out;
  std::optional<std::string> explain_out;
  // record_id_l,record_id_r,decision: a person's same / not_same verdicts,
  // respected in this and every later run they are passed to.
  std::optional<std::string> decisions;
  // An earlier run's --out file: its person ids stay stable.
  std::optional<std::string> earlier;
  // event,person_id,other_person_id: merges and splits of earlier people.
  std::optional<std::string> history_out;
  RecordFormat format = RecordFormat::kMarac;
  double link_threshold = 0.995;  // Merge at or above.
  double review_threshold = 0.5;  // List for review at or above.
  // Dates of birth that mean "not known"; empty keeps the defaults.
  std::vector<std::string> dob_placeholders;
  ProgressOptions progress;  // --quiet, --progress-every
};

// Resolves the people in `inputs`; writes the outputs atomically. A long
// run reports its progress on `err` (see progress.h).
int RunLink(const LinkCommandOptions& options, std::ostream& out,
            std::ostream& err);

struct ReturnSafeLivesCommandOptions {
  std::string store;           // --store FILE (must exist)
  std::string quarter;         // --quarter YYYYQn, e.g. 2026Q3
  std::string format = "csv";  // csv | json
  std::string area;            // --area (empty: every area)
  std::string agency_map;      // --agency-map FILE (JSON; default built in)
  std::string user;            // --user (audit); default $USER
};

// `marac return safelives`: the quarterly MARAC data return for SafeLives
// (see marac/report/safelives_return.h), counted up to today, from the
// store. Exit 2 for a bad quarter (or one not begun), format or mapping.
int RunReturnSafeLives(const ReturnSafeLivesCommandOptions& options,
                       std::ostream& out, std::ostream& err);

// The program: parses argv and dispatches.
int RunMain(int argc, char** argv, std::istream& in, std::ostream& out,
            std::ostream& err);

}  // namespace marac

#endif  // MARAC_SERVICES_CLI_COMMANDS_H_
