// A caller for deadline tests: its clock stands still until it has been
// read a set number of times, then reads an hour later, so a Deadline made
// with it passes at exactly that check, however loaded the machine is.
#ifndef MARAC_TESTS_COMMON_LATE_CALLER_H_
#define MARAC_TESTS_COMMON_LATE_CALLER_H_

#include <atomic>
#include <chrono>
#include <limits>

#include "marac/common/deadline.h"

namespace marac {

class LateCaller final : public Cancellation {
 public:
  // In time for the first `reads_in_time` readings of the clock (never
  // late by default); cancelled or not.
  explicit LateCaller(int reads_in_time = std::numeric_limits<int>::max(),
                      bool cancelled = false)
      : reads_in_time_(reads_in_time), cancelled_(cancelled) {}

  // Starts counting again: late from the `reads_in_time`-th reading on.
  void LateAfter(int reads_in_time) {
    reads_ = 0;
    reads_in_time_ = reads_in_time;
  }

  bool cancelled() const override { return cancelled_; }
  Clock::time_point now() const override {
    return reads_++ < reads_in_time_ ? start_ : start_ + std::chrono::hours(1);
  }

  // The time the clock stands still at.
  Clock::time_point start() const { return start_; }
  // A deadline a minute after start(), on this clock.
  Deadline deadline() const {
    return Deadline::At(start_ + std::chrono::minutes(1), this);
  }
  int reads() const { return reads_; }

 private:
  const Clock::time_point start_ = Clock::now();
  std::atomic<int> reads_in_time_;
  const bool cancelled_;
  mutable std::atomic<int> reads_{0};
};

}  // namespace marac

#endif  // MARAC_TESTS_COMMON_LATE_CALLER_H_
