// Adding one record to a resolved population of a million: the latency of
// Population::Add (block against the indexes, score, check support, index),
// one record at a time, against a baseline in the same binary that adds the
// same records to an exact name-and-date index of the same population.
// Target (issue): p99 at most 10 ms (the p99_ms counter).
//
//   build/bin/identity_add_bench            # a population of ~1,000,000
//   MARAC_BENCH_SMALL=1 build/bin/identity_add_bench   # ~10,000
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/bench_data.h"
#include "bench/bench_people.h"
#include "bench/bench_report.h"
#include "lib/synthetic/synthetic_people.h"
#include "marac/identity/population.h"

namespace marac {
namespace {

constexpr std::size_t kAdded = 2'000;

// Invented people; the last record of kAdded people is held out, to be
// added one at a time (about a third of them return, the rest are new).
struct Input {
  std::vector<PersonRecord> batch;
  std::vector<PersonRecord> later;
};

const Input& TheInput() {
  static const Input* const input = [] {
    HeldOut held = HoldOutLastRecords(
        SyntheticPeople(BenchCount(1'000'000) * 2 / 3, kBenchSeed), kAdded);
    return new Input{std::move(held.kept), std::move(held.later)};
  }();
  return *input;
}

// Baseline: an exact name-and-date index of the population; adding a record
// looks its key up and inserts it.
void BM_ExactIndexAdd(benchmark::State& state) {
  const Input& in = TheInput();
  std::unordered_map<std::string, std::size_t> person_of_key;
  const auto key = ExactNameDobKey;
  for (const PersonRecord& r : in.batch) {
    person_of_key.try_emplace(key(r), person_of_key.size());
  }
  std::vector<double> latencies;
  std::size_t next = 0;
  for (auto _ : state) {
    const Stopwatch watch;
    const PersonRecord& r = in.later[next++ % in.later.size()];
    const auto [it, inserted] =
        person_of_key.try_emplace(key(r), person_of_key.size());
    benchmark::DoNotOptimize(it);
    const double seconds = watch.Seconds();
    state.SetIterationTime(seconds);
    latencies.push_back(seconds);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["population"] = static_cast<double>(TheInput().batch.size());
  ReportLatencies(state, std::move(latencies));
}

// Contender: Population::Add on the population resolved in full.
void BM_AddOneRecord(benchmark::State& state) {
  const Input& in = TheInput();
  Result<Population> population = Population::Build(in.batch);
  if (!population.ok()) {
    state.SkipWithError(population.status().ToString().c_str());
    return;
  }
  std::vector<double> latencies;
  std::size_t next = 0;
  std::size_t joined = 0;
  for (auto _ : state) {
    PersonRecord r = in.later[next % in.later.size()];
    if (next >= in.later.size()) {
      // Past the held-out records: the same again as new referrals.
      r.record_id += "-again-" + std::to_string(next / in.later.size());
    }
    ++next;
    const Stopwatch watch;
    const Result<Population::Added> added = population->Add(std::move(r));
    const double seconds = watch.Seconds();
    if (!added.ok()) {
      state.SkipWithError(added.status().ToString().c_str());
      return;
    }
    if (!added->new_person) ++joined;
    state.SetIterationTime(seconds);
    latencies.push_back(seconds);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["joined"] = static_cast<double>(joined);
  state.counters["population"] = static_cast<double>(TheInput().batch.size());
  ReportLatencies(state, std::move(latencies));
}

BENCHMARK(BM_ExactIndexAdd)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(kAdded)
    ->UseManualTime();
BENCHMARK(BM_AddOneRecord)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(kAdded)
    ->UseManualTime();

}  // namespace
}  // namespace marac

BENCHMARK_MAIN();
