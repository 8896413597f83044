// `marac score --jsonl` end to end, in-process: RunScore reads JSON lines
// from a stream, parses and validates each assessment, scores it and writes
// one result line (with every reason rendered). The baseline only splits the
// same stream into lines with std::getline and parses each with
// nlohmann::json, the library the CLI uses; the ratio of their rates says
// what validation, scoring and writing the results cost on top of parsing.
//
//   build/bin/score_cli_bench                      # 100,000 lines
//   MARAC_BENCH_SMALL=1 build/bin/score_cli_bench  # 10,000 lines
//   python3 bench/report_ratios.py   # prints end-to-end / parse-only rate
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>
#include <vector>

#include "bench/bench_data.h"
#include "lib/synthetic/synthetic_assessments.h"
#include "marac/assess/instrument.h"
#include "marac/assess/policy.h"
#include "marac/assess/score.h"
#include "marac/common/result.h"
#include "services/cli/commands.h"

namespace marac {
namespace {

const std::int64_t kLines = static_cast<std::int64_t>(BenchCount(100'000));

// `count` synthetic assessments as JSON Lines, each line ending in '\n'.
struct JsonLines {
  std::string text;
  std::int64_t lines = 0;
};

// Built on first use, outside any timed loop; every benchmark here asks for
// the same count.
const JsonLines& Input(std::size_t count) {
  static const JsonLines input = [count] {
    JsonLines built;
    for (const SyntheticAssessment& a :
         SyntheticAssessments(count, kBenchSeed)) {
      built.text += ToJsonLine(a);
      built.text += '\n';
      ++built.lines;
    }
    return built;
  }();
  return input;
}

// An output sink that keeps nothing and counts the bytes written, so the
// contender pays for formatting its results but not for storing them.
class CountingNullBuf : public std::streambuf {
 public:
  std::int64_t bytes() const { return bytes_; }

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes_ += n;
    return n;
  }
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) ++bytes_;
    return traits_type::not_eof(c);
  }

 private:
  std::int64_t bytes_ = 0;
};

void Rewind(std::istringstream& in) {
  in.clear();
  in.seekg(0);
}

void SetRates(benchmark::State& state, const JsonLines& input) {
  state.SetItemsProcessed(state.iterations() * input.lines);
  state.SetBytesProcessed(state.iterations() *
                          static_cast<std::int64_t>(input.text.size()));
}

// Baseline: split with std::getline and parse each line, nothing more.
void BM_ParseOnly(benchmark::State& state) {
  const JsonLines& input = Input(static_cast<std::size_t>(state.range(0)));
  std::istringstream in(input.text);
  std::int64_t discarded = 0;
  for (auto _ : state) {
    Rewind(in);
    std::string line;
    while (std::getline(in, line)) {
      nlohmann::json doc = nlohmann::json::parse(line, nullptr,
                                                 /*allow_exceptions=*/false);
      discarded += doc.is_discarded() ? 1 : 0;
      benchmark::DoNotOptimize(doc);
    }
  }
  SetRates(state, input);
  // A line that does not parse costs less, so the rate would flatter it.
  if (discarded > 0) {
    state.SkipWithError(
        (std::to_string(discarded) + " lines were not valid JSON").c_str());
  }
}

// Contender: the whole command, as `marac score --jsonl` runs it.
void BM_ScoreJsonl(benchmark::State& state) {
  const JsonLines& input = Input(static_cast<std::size_t>(state.range(0)));
  const InstrumentSet instruments = InstrumentSet::BuiltIn();
  const Result<Scorer> scorer =
      Scorer::Create(ScoringPolicy::Default(), instruments);
  if (!scorer.ok()) {
    state.SkipWithError(scorer.status().ToString().c_str());
    return;
  }
  // Defaults otherwise. limits.latest stays unset: no "in the future" check,
  // so what is scored does not depend on the day the bench runs.
  ScoreCommandOptions options;
  options.jsonl = true;
  options.limits.latest.reset();
  std::istringstream in(input.text);
  CountingNullBuf sink;
  std::ostream out(&sink);
  std::ostringstream err;
  for (auto _ : state) {
    Rewind(in);
    const int exit_code = RunScore(*scorer, instruments, options, in, out, err);
    if (exit_code != kExitOk) {
      // Failed lines are cheaper than scored ones: no rate to report.
      state.SkipWithError(("RunScore exited with " + std::to_string(exit_code) +
                           ": " + err.str().substr(0, 200))
                              .c_str());
      break;
    }
  }
  SetRates(state, input);
  if (state.iterations() > 0) {
    state.counters["out_bytes_per_line"] = benchmark::Counter(
        static_cast<double>(sink.bytes()) /
        static_cast<double>(state.iterations() * input.lines));
  }
}

BENCHMARK(BM_ParseOnly)  // baseline
    ->Arg(kLines)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScoreJsonl)  // contender
    ->Arg(kLines)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace marac

BENCHMARK_MAIN();
