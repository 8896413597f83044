#include "services/server/work_queue.h"

#include <utility>

namespace marac {

WorkQueue::WorkQueue(int threads, std::size_t max_queued)
    : max_queued_(max_queued) {
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

WorkQueue::~WorkQueue() { Stop(); }

WorkQueue::Posted WorkQueue::Post(std::function<void()> job) {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return Posted::kStopped;
    if (jobs_.size() >= max_queued_) return Posted::kFull;
    jobs_.push_back(std::move(job));
  }
  ready_.notify_one();
  return Posted::kQueued;
}

void WorkQueue::Stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void WorkQueue::Run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;  // Stopping, and nothing left.
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace marac
