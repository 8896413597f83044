// Scoring in bulk: Scorer::Score (yes-count, grade, criteria and prompts)
// over a million in-memory checklists, against a baseline that only counts
// the yes answers of the same checklists. The ratio of their rates says what
// grading and the referral criteria cost on top of reading the answers.
//
//   build/bin/assess_bench                      # a few seconds to build
//   MARAC_BENCH_SMALL=1 build/bin/assess_bench  # 10,000 checklists
//   python3 bench/report_ratios.py   # prints Score rate / yes-count rate
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "bench/bench_data.h"
#include "lib/synthetic/synthetic_assessments.h"
#include "marac/assess/checklist.h"
#include "marac/assess/instrument.h"
#include "marac/assess/policy.h"
#include "marac/assess/score.h"
#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {
namespace {

const std::int64_t kAssessments =
    static_cast<std::int64_t>(BenchCount(1'000'000));

// The scorer's input, index by index, built once from the synthetic
// assessments; the generator's strings and answer lists are freed.
struct ScoringInput {
  std::vector<Checklist> checklists;
  std::vector<CaseHistory> histories;
  std::vector<Date> completed_on;
  std::string error;  // The first ToChecklist failure; empty when none.
};

ScoringInput BuildInput(std::size_t count) {
  ScoringInput input;
  std::vector<SyntheticAssessment> assessments =
      SyntheticAssessments(count, kBenchSeed);
  input.checklists.reserve(count);
  input.histories.reserve(count);
  input.completed_on.reserve(count);
  for (SyntheticAssessment& a : assessments) {
    Result<Checklist> checklist = ToChecklist(a);
    if (!checklist.ok()) {
      if (input.error.empty()) input.error = checklist.status().ToString();
      continue;
    }
    input.checklists.push_back(*std::move(checklist));
    input.histories.push_back(std::move(a.history));
    input.completed_on.push_back(a.completed_on);
  }
  return input;
}

// Built on first use (a few seconds for a million), outside any timed loop.
// Every benchmark here asks for the same count.
const ScoringInput& Input(std::size_t count) {
  static const ScoringInput input = BuildInput(count);
  return input;
}

// Baseline: count the yes answers of each checklist.
void BM_CountYes(benchmark::State& state) {
  const ScoringInput& input = Input(static_cast<std::size_t>(state.range(0)));
  if (!input.error.empty()) {
    state.SkipWithError(input.error.c_str());
    return;
  }
  std::uint64_t checksum = 0;
  for (auto _ : state) {
    for (const Checklist& checklist : input.checklists) {
      std::uint64_t yes = 0;
      for (const Answer answer : checklist.answers()) {
        yes += answer == Answer::kYes ? 1 : 0;
      }
      checksum += yes;
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(input.checklists.size()));
}

// Contender: score, grade and check the referral criteria of each checklist.
void BM_Score(benchmark::State& state) {
  const ScoringInput& input = Input(static_cast<std::size_t>(state.range(0)));
  if (!input.error.empty()) {
    state.SkipWithError(input.error.c_str());
    return;
  }
  const Result<Scorer> scorer =
      Scorer::Create(ScoringPolicy::Default(), InstrumentSet::BuiltIn());
  if (!scorer.ok()) {
    state.SkipWithError(scorer.status().ToString().c_str());
    return;
  }
  const std::size_t count = input.checklists.size();
  std::uint64_t checksum = 0;
  std::size_t failed = 0;
  std::string first_error;
  for (auto _ : state) {
    for (std::size_t i = 0; i < count; ++i) {
      const Result<RiskScore> score = scorer->Score(
          input.checklists[i], input.histories[i], input.completed_on[i]);
      if (!score.ok()) {
        ++failed;
        if (first_error.empty()) first_error = score.status().ToString();
        continue;
      }
      checksum = checksum * 31 + static_cast<std::uint64_t>(score->score) +
                 (static_cast<std::uint64_t>(score->grade) << 8) +
                 (std::uint64_t{score->criteria} << 16) +
                 (std::uint64_t{score->prompts} << 24);
    }
    benchmark::DoNotOptimize(checksum);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(count));
  // A score that fails does less work, so the rate would flatter it.
  if (failed > 0) {
    state.SkipWithError(("Score failed " + std::to_string(failed) +
                         " times; first: " + first_error)
                            .c_str());
  }
}

BENCHMARK(BM_CountYes)  // baseline
    ->Arg(kAssessments)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Score)  // contender
    ->Arg(kAssessments)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace marac

BENCHMARK_MAIN();
