// Threads that run the service's blocking work (store calls) off gRPC's
// callback threads, with a bounded queue: a full queue refuses at once,
// so that overload answers RESOURCE_EXHAUSTED instead of piling up.
//
//   WorkQueue work(4, 1000);
//   if (work.Post([] { ... }) != WorkQueue::Posted::kQueued) Refuse();
//   work.Stop();  // runs what is queued, then joins
#ifndef MARAC_SERVICES_SERVER_WORK_QUEUE_H_
#define MARAC_SERVICES_SERVER_WORK_QUEUE_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace marac {

class WorkQueue {
 public:
  enum class Posted { kQueued, kFull, kStopped };

  // `threads` at least 1; at most `max_queued` jobs wait.
  WorkQueue(int threads, std::size_t max_queued);
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;
  ~WorkQueue();  // Stop().

  // Queues `job`. A job must not throw (it is the caller's to catch).
  Posted Post(std::function<void()> job);
  // Refuses new jobs, runs the queued ones, joins the threads. Idempotent.
  void Stop();

 private:
  void Run();

  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace marac

#endif  // MARAC_SERVICES_SERVER_WORK_QUEUE_H_
