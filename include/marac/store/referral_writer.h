// The store's single writer for referrals: callers on any thread queue a
// submission and get a future; one thread drains the queue, writing what
// has gathered in one transaction (one fsync for the batch: group commit),
// and only then fulfils each future. A future that holds OK means the
// referral is committed.
//
//   ReferralWriter writer(store);
//   std::future<Result<SubmitOutcome>> done = writer.Submit(actor, referral);
//   Result<SubmitOutcome> outcome = done.get();  // after COMMIT
#ifndef MARAC_STORE_REFERRAL_WRITER_H_
#define MARAC_STORE_REFERRAL_WRITER_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "marac/store/store.h"

namespace marac {

class ReferralWriter {
 public:
  struct Options {
    std::size_t max_batch = 512;    // Submissions per transaction at most.
    std::size_t max_queue = 20000;  // Beyond this, Submit refuses at once.
  };

  // `store` must outlive the writer.
  explicit ReferralWriter(Store& store) : ReferralWriter(store, Options{}) {}
  ReferralWriter(Store& store, Options options);
  ReferralWriter(const ReferralWriter&) = delete;
  ReferralWriter& operator=(const ReferralWriter&) = delete;
  // Stop(): what is queued is still written.
  ~ReferralWriter();

  // Queues one submission. The future holds the outcome once its batch has
  // committed; at once kResourceExhausted when the queue is full (retry
  // with backoff) or kUnavailable when the writer has stopped.
  std::future<Result<SubmitOutcome>> Submit(Actor actor,
                                            StoredReferral referral);

  // Refuses new submissions, writes the queued ones, joins the thread.
  void Stop();

  std::size_t batches() const;  // Transactions committed so far.

 private:
  struct Pending {
    Store::Submission submission;
    std::promise<Result<SubmitOutcome>> done;
  };
  void Run();

  Store& store_;
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  std::size_t batches_ = 0;
  std::thread thread_;
};

}  // namespace marac

#endif  // MARAC_STORE_REFERRAL_WRITER_H_
