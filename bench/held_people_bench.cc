// Identity calls against a store of a million records, on the people a
// server holds in memory (HeldPeople over the SQLite store, durable):
//   BM_StartUp       load and resolve every stored record, ready to serve
//                    (target: at most 60 s, the `seconds` counter), against
//                    BM_ReadRecords, reading the same records only;
//   BM_ResolveRecord one record at a time: catch up on the store's changes,
//                    place, store the record and its person (target: p99 at
//                    most 5 ms), against BM_ExactKeyLookup, an exact
//                    name-and-date index of the same records.
//
//   build/bin/held_people_bench            # ~1,000,000 stored records
//   MARAC_BENCH_SMALL=1 build/bin/held_people_bench   # ~10,000
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/bench_data.h"
#include "bench/bench_people.h"
#include "bench/bench_report.h"
#include "lib/synthetic/synthetic_people.h"
#include "services/casework/held_people.h"
#include "services/casework/people.h"

namespace marac {
namespace {

constexpr std::size_t kResolved = 2'000;
const Actor kServer{"marac-server", "system", "", "holding the people"};
const Actor kCaller{"u-bench", "coordinator", "MARAC-North", "new referral"};

// Invented people, stored and linked as `marac import --link` would; the
// last record of kResolved people is held out, to be resolved one at a
// time (about a third of them return, the rest are new).
struct Input {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  std::vector<PersonRecord> stored;
  std::vector<PersonRecord> later;
};

Input& TheInput() {
  static Input* const input = [] {
    auto* in = new Input();
    HeldOut held = HoldOutLastRecords(
        SyntheticPeople(BenchCount(1'000'000) * 2 / 3, kBenchSeed), kResolved);
    in->stored = std::move(held.kept);
    in->later = std::move(held.later);
    in->dir = std::filesystem::temp_directory_path() /
              ("marac_held_" + std::to_string(::getpid()));
    std::filesystem::create_directories(in->dir);
    Result<std::unique_ptr<Store>> store =
        OpenSqliteStore((in->dir / "marac.db").string());
    if (!store.ok()) return in;
    in->store = *std::move(store);
    constexpr std::size_t kBatch = 20'000;
    for (std::size_t from = 0; from < in->stored.size(); from += kBatch) {
      const std::size_t n = std::min(kBatch, in->stored.size() - from);
      if (!in->store->PutRecords(kServer, {in->stored.data() + from, n}).ok()) {
        in->store.reset();
        return in;
      }
    }
    Result<StoredPeople> stored = LoadPeople(*in->store, kServer);
    Result<Resolution> r = stored.ok()
                               ? Resolve(stored->records, stored->options)
                               : Result<Resolution>(stored.status());
    if (!r.ok() || !SaveResolvedPeople(*in->store, kServer, stored->records,
                                       stored->options, *r)
                        .ok()) {
      in->store.reset();
    }
    return in;
  }();
  return *input;
}

struct Cleanup {
  ~Cleanup() {
    std::error_code ignored;
    std::filesystem::remove_all(TheInput().dir, ignored);
  }
};

void BM_ReadRecords(benchmark::State& state) {
  Input& in = TheInput();
  if (!in.store) return state.SkipWithError("the store could not be made");
  for (auto _ : state) {
    const Stopwatch watch;
    const Result<std::vector<PersonRecord>> records =
        in.store->Records(kServer);
    const double seconds = watch.Seconds();
    if (!records.ok()) return state.SkipWithError("reading failed");
    state.SetIterationTime(seconds);
    state.counters["seconds"] = seconds;
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(in.stored.size()));
}

void BM_StartUp(benchmark::State& state) {
  Input& in = TheInput();
  if (!in.store) return state.SkipWithError("the store could not be made");
  for (auto _ : state) {
    HeldPeople people(*in.store);
    const Stopwatch watch;
    const Status loaded = people.Load(kServer);
    const double seconds = watch.Seconds();
    if (!loaded.ok()) return state.SkipWithError(loaded.ToString().c_str());
    state.SetIterationTime(seconds);
    state.counters["seconds"] = seconds;
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(in.stored.size()));
  state.counters["records"] = static_cast<double>(in.stored.size());
  state.counters["peak_rss_mib"] = PeakRssMib();
}

// Baseline: an exact name-and-date index of the stored records; each
// held-out record looks its key up.
void BM_ExactKeyLookup(benchmark::State& state) {
  const Input& in = TheInput();
  std::unordered_map<std::string, std::size_t> index;
  const auto key = ExactNameDobKey;
  for (std::size_t i = 0; i < in.stored.size(); ++i) {
    index.try_emplace(key(in.stored[i]), i);
  }
  std::vector<double> latencies;
  std::size_t next = 0;
  for (auto _ : state) {
    const Stopwatch watch;
    const auto it = index.find(key(in.later[next++ % in.later.size()]));
    benchmark::DoNotOptimize(it);
    const double seconds = watch.Seconds();
    state.SetIterationTime(seconds);
    latencies.push_back(seconds);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  ReportLatencies(state, std::move(latencies));
}

// Contender: HeldPeople::Resolve, as the server's ResolveRecord runs it,
// each record stored durably with its person.
void BM_ResolveRecord(benchmark::State& state) {
  Input& in = TheInput();
  if (!in.store) return state.SkipWithError("the store could not be made");
  HeldPeople people(*in.store);
  if (const Status loaded = people.Load(kServer); !loaded.ok()) {
    return state.SkipWithError(loaded.ToString().c_str());
  }
  const auto approve = [](const HeldPeople::Placed&) { return Status::Ok(); };
  const auto everywhere = [](std::string_view) { return true; };
  static int run = 0;  // Each run stores its records under ids of its own.
  ++run;
  std::vector<double> latencies;
  std::size_t next = 0, joined = 0;
  for (auto _ : state) {
    PersonRecord r = in.later[next % in.later.size()];
    r.record_id += "-" + std::to_string(run) + "-" +
                   std::to_string(next / in.later.size());
    ++next;
    const Stopwatch watch;
    const Result<HeldPeople::Placed> placed =
        people.Resolve(kCaller, r, everywhere, approve);
    const double seconds = watch.Seconds();
    if (!placed.ok()) {
      return state.SkipWithError(placed.status().ToString().c_str());
    }
    if (!placed->new_person) ++joined;
    state.SetIterationTime(seconds);
    latencies.push_back(seconds);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["joined"] = static_cast<double>(joined);
  state.counters["records"] = static_cast<double>(in.stored.size());
  ReportLatencies(state, std::move(latencies));
}

BENCHMARK(BM_ReadRecords)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseManualTime();
BENCHMARK(BM_StartUp)->Unit(benchmark::kSecond)->Iterations(1)->UseManualTime();
BENCHMARK(BM_ExactKeyLookup)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(kResolved)
    ->UseManualTime();
BENCHMARK(BM_ResolveRecord)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(kResolved)
    ->UseManualTime();

const Cleanup cleanup;

}  // namespace
}  // namespace marac

BENCHMARK_MAIN();
