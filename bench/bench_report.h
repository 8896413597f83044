// Counters the benches report beside their rates: the process's peak
// memory, and percentiles of per-operation latencies.
#ifndef MARAC_BENCH_BENCH_REPORT_H_
#define MARAC_BENCH_BENCH_REPORT_H_

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace marac {

// The process's peak resident memory so far, in MiB.
inline double PeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // KiB on Linux.
}

// Seconds since it was made, on the steady clock: one operation's time.
class Stopwatch {
 public:
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start_)
        .count();
  }

 private:
  std::chrono::steady_clock::time_point start_ =
      std::chrono::steady_clock::now();
};

// Sets p50_ms, p99_ms and max_ms from `seconds`, one per operation.
inline void ReportLatencies(benchmark::State& state,
                            std::vector<double> seconds) {
  if (seconds.empty()) return;
  std::sort(seconds.begin(), seconds.end());
  const auto at = [&](double q) {
    return seconds[std::min(
        seconds.size() - 1,
        static_cast<std::size_t>(q * static_cast<double>(seconds.size())))];
  };
  state.counters["p50_ms"] = at(0.50) * 1e3;
  state.counters["p99_ms"] = at(0.99) * 1e3;
  state.counters["max_ms"] = seconds.back() * 1e3;
}

}  // namespace marac

#endif  // MARAC_BENCH_BENCH_REPORT_H_
