// Data-parallel loops for the library's own use (not part of the public
// API): results written by index are the same whatever the thread count.
#ifndef MARAC_LIB_COMMON_PARALLEL_FOR_H_
#define MARAC_LIB_COMMON_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace marac {

// The thread count to use for `requested` (0: one per core).
inline unsigned ThreadCount(unsigned requested) {
  return requested > 0 ? requested
                       : std::max(1u, std::thread::hardware_concurrency());
}

// Calls body(k) for k in [0, n) on `threads` threads (0: one per core),
// each taking a contiguous slice; small loops stay on the calling thread.
template <typename Body>
void ParallelFor(std::size_t n, unsigned threads, const Body& body) {
  threads = static_cast<unsigned>(std::min<std::size_t>(
      ThreadCount(threads), std::max<std::size_t>(1, n / 10'000)));
  if (threads <= 1) {
    for (std::size_t k = 0; k < n; ++k) body(k);
    return;
  }
  std::vector<std::thread> workers;
  const std::size_t slice = (n + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    const std::size_t from = t * slice;
    const std::size_t to = std::min(n, from + slice);
    workers.emplace_back([&body, from, to] {
      for (std::size_t k = from; k < to; ++k) body(k);
    });
  }
  for (std::thread& w : workers) w.join();
}

// Calls task(k) for k in [0, n), each task taken by the next free thread:
// for a few uneven tasks (one per blocking rule).
template <typename Task>
void ParallelTasks(std::size_t n, unsigned threads, const Task& task) {
  threads =
      static_cast<unsigned>(std::min<std::size_t>(ThreadCount(threads), n));
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t k = next++; k < n; k = next++) task(k);
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(worker);
  worker();
  for (std::thread& w : workers) w.join();
}

}  // namespace marac

#endif  // MARAC_LIB_COMMON_PARALLEL_FOR_H_
