// Agenda generation at scale: 100,000 open cases across 50 areas, an agenda
// for every area's meeting (rank, explain, defer, count what is left out),
// against a baseline in the same binary that only sorts the same cases by
// score. Target (issue): all of it within 1 s.
//
//   build/bin/agenda_bench
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "bench/bench_data.h"
#include "lib/synthetic/synthetic_assessments.h"
#include "marac/agenda/agenda.h"

namespace marac {
namespace {

constexpr int kAreas = 50;

const std::vector<AgendaCase>& Cases() {
  static const std::vector<AgendaCase>* const cases = [] {
    auto* out = new std::vector<AgendaCase>();
    const std::size_t n = BenchCount(1'000'000) / 10;  // 100,000
    SplitMix64 rng(kBenchSeed);
    const Date start = *Date::Parse("start", "2026-01-01");
    static constexpr Grade kGrades[] = {Grade::kStandard, Grade::kMedium,
                                        Grade::kHigh};
    static constexpr const char* kHarms[] = {
        "strangulation", "threat_to_kill", "weapon", "separation", "stalking"};
    for (std::size_t k = 0; k < n; ++k) {
      AgendaCase c;
      c.referral_id = "R" + std::to_string(k);
      c.case_reference = c.referral_id;
      c.area = "A" + std::to_string(rng.Below(kAreas));
      c.agency = "police";
      c.referred_on = start.AddDays(static_cast<std::int64_t>(rng.Below(60)));
      c.given_name = "Given";
      c.family_name = "Family";
      c.date_of_birth =
          start.AddDays(-static_cast<std::int64_t>(6000 + rng.Below(20000)));
      c.grade = kGrades[rng.Below(3)];
      c.score = static_cast<int>(rng.Below(25));
      c.criteria = {"visible_high_risk"};
      for (const char* h : kHarms) {
        if (rng.Uniform() < 0.2) c.high_harm_indicators.push_back(h);
      }
      c.repeat = rng.Uniform() < 0.3;
      c.serial_perpetrator = rng.Uniform() < 0.05;
      c.children = static_cast<int>(rng.Below(4));
      out->push_back(std::move(c));
    }
    return out;
  }();
  return *cases;
}

// Baseline: group by area and sort each area's cases by score.
void BM_SortByScore(benchmark::State& state) {
  const std::vector<AgendaCase>& cases = Cases();
  for (auto _ : state) {
    std::vector<std::vector<const AgendaCase*>> by_area(kAreas);
    for (const AgendaCase& c : cases) {
      by_area[static_cast<std::size_t>(std::stoi(c.area.substr(1)))].push_back(
          &c);
    }
    for (auto& area : by_area) {
      std::sort(area.begin(), area.end(),
                [](const AgendaCase* x, const AgendaCase* y) {
                  return x->score > y->score;
                });
    }
    benchmark::DoNotOptimize(by_area);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(cases.size()));
}

// Contender: BuildAgenda for every area's meeting on the same cases.
void BM_BuildAgendas(benchmark::State& state) {
  const std::vector<AgendaCase>& cases = Cases();
  const Date date = *Date::Parse("date", "2026-03-10");
  std::size_t listed = 0;
  for (auto _ : state) {
    std::vector<std::vector<AgendaCase>> by_area(kAreas);
    for (const AgendaCase& c : cases) {
      by_area[static_cast<std::size_t>(std::stoi(c.area.substr(1)))].push_back(
          c);
    }
    for (int a = 0; a < kAreas; ++a) {
      const AgendaMeeting meeting{"M" + std::to_string(a),
                                  "A" + std::to_string(a),
                                  date,
                                  date.AddDays(-7),
                                  16,
                                  0};
      const Result<Agenda> agenda =
          BuildAgenda(meeting, by_area[static_cast<std::size_t>(a)]);
      if (!agenda.ok()) {
        state.SkipWithError(agenda.status().ToString().c_str());
        return;
      }
      listed += agenda->listed.size();
    }
  }
  benchmark::DoNotOptimize(listed);
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(cases.size()));
}

BENCHMARK(BM_SortByScore)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BuildAgendas)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace marac

BENCHMARK_MAIN();
