#include "marac/store/referral_writer.h"

#include <exception>
#include <new>
#include <utility>

namespace marac {
namespace {

std::future<Result<SubmitOutcome>> Refused(StatusCode code,
                                           std::string message) {
  std::promise<Result<SubmitOutcome>> p;
  p.set_value(Status(code, std::move(message)));
  return p.get_future();
}

}  // namespace

ReferralWriter::ReferralWriter(Store& store, Options options)
    : store_(store), options_(options) {
  if (options_.max_batch == 0) options_.max_batch = 1;
  thread_ = std::thread([this] { Run(); });
}

ReferralWriter::~ReferralWriter() { Stop(); }

std::future<Result<SubmitOutcome>> ReferralWriter::Submit(
    Actor actor, StoredReferral referral) {
  std::future<Result<SubmitOutcome>> future;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      return Refused(StatusCode::kUnavailable,
                     "the referral writer has stopped");
    }
    if (queue_.size() >= options_.max_queue) {
      return Refused(StatusCode::kResourceExhausted,
                     "the referral writer's queue is full (" +
                         std::to_string(options_.max_queue) + "); try again");
    }
    queue_.push_back(
        {Store::Submission{std::move(actor), std::move(referral)}, {}});
    future = queue_.back().done.get_future();
  }
  ready_.notify_one();
  return future;
}

void ReferralWriter::Stop() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_one();
  if (thread_.joinable()) thread_.join();
}

std::size_t ReferralWriter::batches() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return batches_;
}

void ReferralWriter::Run() {
  for (;;) {
    std::vector<Pending> batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // Stopping, and nothing left.
      // Whatever gathered while the last commit ran: group commit without
      // an added wait.
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<Store::Submission> submissions;
    submissions.reserve(batch.size());
    for (Pending& p : batch) submissions.push_back(p.submission);
    Result<std::vector<Result<SubmitOutcome>>> outcomes =
        Internal("not written");
    try {
      outcomes = store_.SubmitEach(submissions);
    } catch (const std::bad_alloc&) {
      outcomes = Status(StatusCode::kUnavailable, "out of memory writing");
    } catch (const std::exception& e) {
      outcomes = Internal(std::string("writing referrals: ") + e.what());
    }
    for (std::size_t k = 0; k < batch.size(); ++k) {
      if (outcomes.ok()) {
        batch[k].done.set_value(std::move((*outcomes)[k]));
      } else {
        batch[k].done.set_value(outcomes.status());
      }
    }
    if (outcomes.ok()) {
      const std::lock_guard<std::mutex> lock(mutex_);
      ++batches_;
    }
  }
}

}  // namespace marac
