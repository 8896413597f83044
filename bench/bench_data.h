// What the benches share: how many synthetic assessments to use and the seed.
// MARAC_BENCH_SMALL=1 in the environment shrinks every data set, so the
// BenchSmoke test checks the benches still run in a second or two.
#ifndef MARAC_BENCH_BENCH_DATA_H_
#define MARAC_BENCH_BENCH_DATA_H_

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace marac {

inline constexpr std::uint64_t kBenchSeed = 20261123;
inline constexpr std::size_t kSmallBenchCount = 10'000;

// `full` assessments, or kSmallBenchCount when MARAC_BENCH_SMALL is set to
// anything but "" or "0". Read at registration, so names show the count.
inline std::size_t BenchCount(std::size_t full) {
  const char* small = std::getenv("MARAC_BENCH_SMALL");
  if (small == nullptr) return full;
  const std::string_view value(small);
  return value.empty() || value == "0" ? full : kSmallBenchCount;
}

}  // namespace marac

#endif  // MARAC_BENCH_BENCH_DATA_H_
