// The case graph at scale: 1,000,000 people and 2,000,000 incidents (with
// an assessment of each, 300,000 referrals, a meeting every four weeks in
// each of 50 areas hearing each referral), built incrementally; then
// repeat and serial queries
// on random cases, one at a time, against a baseline in the same binary
// that answers the same repeat question from a flat map of each victim's
// referral dates. Targets (issue): the graph within 4 GiB (peak_rss_mib),
// a repeat/serial query p99 at most 1 ms (p99_ms).
//
//   build/bin/graph_bench            # 1M people, 2M incidents
//   MARAC_BENCH_SMALL=1 build/bin/graph_bench   # 10,000 people
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/bench_data.h"
#include "bench/bench_report.h"
#include "marac/graph/case_graph.h"

namespace marac {
namespace {

constexpr std::size_t kQueries = 20'000;

std::string PersonName(std::uint64_t n) { return "P" + std::to_string(n); }

struct Population {
  std::size_t people = 0;
  std::vector<GraphIncident> incidents;
  std::vector<GraphReferral> referrals;
};

// Invented: victims and perpetrators drawn from one population, incidents
// over six years, referrals for about one victim in seven.
const Population& ThePopulation() {
  static const Population* const p = [] {
    auto* out = new Population();
    out->people = BenchCount(1'000'000);
    std::mt19937_64 rng(kBenchSeed);
    std::uniform_int_distribution<std::uint64_t> person(0, out->people - 1);
    std::uniform_int_distribution<std::int64_t> day(0, 6 * 365);
    const Date start = *Date::Parse("start", "2020-01-01");
    const std::size_t incidents = 2 * out->people;
    out->incidents.reserve(incidents);
    for (std::size_t k = 0; k < incidents; ++k) {
      const std::uint64_t v = person(rng);
      std::uint64_t x = person(rng);
      if (x == v) x = (x + 1) % out->people;
      out->incidents.push_back({"I" + std::to_string(k),
                                Date::FromDays(start.ToDays() + day(rng)),
                                PersonName(v),
                                {PersonName(x)},
                                static_cast<double>(k % 4)});
    }
    for (std::size_t k = 0; k < out->people * 3 / 10; ++k) {
      out->referrals.push_back({"R" + std::to_string(k),
                                PersonName(person(rng)),
                                Date::FromDays(start.ToDays() + day(rng))});
    }
    return out;
  }();
  return *p;
}

// Baseline: the repeat question from a flat map of referral dates.
void BM_FlatMapRepeat(benchmark::State& state) {
  const Population& p = ThePopulation();
  std::unordered_map<std::string, std::vector<Date>> referrals;
  for (const GraphReferral& r : p.referrals) {
    referrals[r.victim].push_back(r.referred_on);
  }
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, p.incidents.size() - 1);
  std::vector<double> latencies;
  std::size_t repeats = 0;
  for (auto _ : state) {
    const GraphIncident& i = p.incidents[pick(rng)];
    const auto start = std::chrono::steady_clock::now();
    std::optional<Date> last;
    const auto it = referrals.find(i.victim);
    if (it != referrals.end()) {
      for (const Date d : it->second) {
        if (d < i.occurred_on && (!last || d > *last)) last = d;
      }
    }
    repeats += last && i.occurred_on <= last->AddMonths(12);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    state.SetIterationTime(s);
    latencies.push_back(s);
  }
  benchmark::DoNotOptimize(repeats);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  ReportLatencies(state, std::move(latencies));
}

// Contender: the graph built incrementally, then a repeat and a serial
// query per case (the victim's and the perpetrator's).
void BM_GraphRepeatAndSerial(benchmark::State& state) {
  const Population& p = ThePopulation();
  CaseGraph graph;
  const auto build_start = std::chrono::steady_clock::now();
  for (const GraphIncident& i : p.incidents) {
    if (!graph.AddIncident(i).ok()) {
      state.SkipWithError("AddIncident failed");
      return;
    }
  }
  // An assessment of every incident, its grade from the incident's gravity.
  for (const GraphIncident& i : p.incidents) {
    if (!graph
             .AddAssessment({"A" + i.incident_id.substr(1), i.victim,
                             i.incident_id, i.occurred_on,
                             static_cast<int>(i.gravity),
                             static_cast<int>(i.gravity) * 6})
             .ok()) {
      state.SkipWithError("AddAssessment failed");
      return;
    }
  }
  // Meetings every 28 days over the six years in 50 areas; each referral
  // heard at the first meeting of its area after it.
  constexpr int kAreas = 50;
  const Date first = *Date::Parse("start", "2020-01-01");
  const int rounds = 6 * 365 / 28 + 2;
  for (int area = 0; area < kAreas; ++area) {
    for (int m = 0; m < rounds; ++m) {
      if (!graph
               .AddMeeting(
                   {"M" + std::to_string(area) + "-" + std::to_string(m),
                    "A" + std::to_string(area), first.AddDays(28 * m)})
               .ok()) {
        state.SkipWithError("AddMeeting failed");
        return;
      }
    }
  }
  for (std::size_t k = 0; k < p.referrals.size(); ++k) {
    const GraphReferral& r = p.referrals[k];
    if (!graph.AddReferral(r).ok()) {
      state.SkipWithError("AddReferral failed");
      return;
    }
    const std::int64_t round = DaysBetween(first, r.referred_on) / 28 + 1;
    if (!graph
             .AddHearing(r.referral_id, "M" + std::to_string(k % kAreas) + "-" +
                                            std::to_string(round))
             .ok()) {
      state.SkipWithError("AddHearing failed");
      return;
    }
  }
  const double build_s = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - build_start)
                             .count();
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::size_t> pick(0, p.incidents.size() - 1);
  std::vector<double> latencies;
  std::size_t flagged = 0;
  for (auto _ : state) {
    const GraphIncident& i = p.incidents[pick(rng)];
    const auto start = std::chrono::steady_clock::now();
    const RepeatAnswer r = graph.RepeatVictim(i.victim, i.occurred_on);
    const SerialAnswer s =
        graph.SerialPerpetrator(i.perpetrators.front(), i.occurred_on);
    flagged += r.repeat + s.serial;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    state.SetIterationTime(seconds);
    latencies.push_back(seconds);
  }
  benchmark::DoNotOptimize(flagged);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["people"] = static_cast<double>(graph.people());
  state.counters["incidents"] = static_cast<double>(graph.incidents());
  state.counters["assessments"] = static_cast<double>(graph.assessments());
  state.counters["meetings"] = static_cast<double>(graph.meetings());
  state.counters["build_s"] = build_s;
  state.counters["peak_rss_mib"] = PeakRssMib();
  ReportLatencies(state, std::move(latencies));
}

BENCHMARK(BM_FlatMapRepeat)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(kQueries)
    ->UseManualTime();
BENCHMARK(BM_GraphRepeatAndSerial)
    ->Unit(benchmark::kMicrosecond)
    ->Iterations(kQueries)
    ->UseManualTime();

}  // namespace
}  // namespace marac

BENCHMARK_MAIN();
