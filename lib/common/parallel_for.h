// Data-parallel loops for the library's own use (not part of the public
// API): results written by index are the same whatever the thread count.
#ifndef MARAC_LIB_COMMON_PARALLEL_FOR_H_
#define MARAC_LIB_COMMON_PARALLEL_FOR_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
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
  // An exception in a thread (bad_alloc at a million records) is caught
  // there and rethrown here once every thread has joined, never
  // std::terminate.
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> workers;
  const std::size_t slice = (n + threads - 1) / threads;
  for (unsigned t = 0; t < threads; ++t) {
    const std::size_t from = t * slice;
    const std::size_t to = std::min(n, from + slice);
    workers.emplace_back([&body, &errors, t, from, to] {
      try {
        for (std::size_t k = from; k < to; ++k) body(k);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  }
  for (std::thread& w : workers) w.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

// Calls task(k) for k in [0, n), each task taken by the next free thread:
// for a few uneven tasks (one per blocking rule).
template <typename Task>
void ParallelTasks(std::size_t n, unsigned threads, const Task& task) {
  threads =
      static_cast<unsigned>(std::min<std::size_t>(ThreadCount(threads), n));
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(std::max(1u, threads));
  const auto worker = [&](unsigned t) {
    try {
      for (std::size_t k = next++; k < n; k = next++) task(k);
    } catch (...) {
      errors[t] = std::current_exception();
      next = n;  // The others stop at their next task.
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(worker, t);
  worker(0);
  for (std::thread& w : workers) w.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace marac

#endif  // MARAC_LIB_COMMON_PARALLEL_FOR_H_
