// Deadline: when a caller stops waiting for an answer, and whether it has
// gone already. Long work (a store read, resolving every record) checks it
// now and then and stops with kDeadlineExceeded or kCancelled, so that no
// thread keeps working for an answer nobody will read.
//
//   using std::chrono::steady_clock;
//   const Deadline deadline =
//       Deadline::At(steady_clock::now() + std::chrono::seconds(2));
//   for (std::size_t i = 0; i < n; ++i) {
//     if (i % 4096 == 0) MARAC_RETURN_IF_ERROR(deadline.Check("scoring"));
//     ...
//   }
//
// The default Deadline never expires: checking it is one branch, and work
// given it runs exactly as it would without one. A Deadline is a small
// value (a time point and a pointer), cheap to copy. It reads the steady
// clock only to decide whether to stop, never to compute a result: work
// that finishes returns what it would have returned without a deadline.
#ifndef MARAC_COMMON_DEADLINE_H_
#define MARAC_COMMON_DEADLINE_H_

#include <chrono>
#include <string_view>

#include "marac/common/status.h"

namespace marac {

// What a Deadline asks at each check besides its time point: whether the
// caller has given up (a server wraps its call's context in one), and the
// time now. Not owned by the Deadline: it must outlive every copy of a
// Deadline made with it. Both calls must be thread-safe and quick, as long
// work makes them every few microseconds.
class Cancellation {
 public:
  using Clock = std::chrono::steady_clock;

  virtual bool cancelled() const = 0;
  // The time a Deadline made with this is compared with: the steady clock.
  // A test overrides it to make time pass exactly when it wants.
  virtual Clock::time_point now() const { return Clock::now(); }

 protected:
  ~Cancellation() = default;
};

class Deadline {
 public:
  using Clock = std::chrono::steady_clock;

  // No deadline: never expires, never cancelled.
  constexpr Deadline() = default;

  // Expires at `when` (on `cancellation`'s clock when given), or as soon as
  // `cancellation` says so. `cancellation` may be null.
  static constexpr Deadline At(Clock::time_point when,
                               const Cancellation* cancellation = nullptr) {
    return Deadline(when, cancellation);
  }
  // No time limit; expires once `cancellation` (not null) says so.
  static constexpr Deadline UntilCancelled(const Cancellation* cancellation) {
    return Deadline(Clock::time_point::max(), cancellation);
  }

  // Whether this can ever expire (false only for "no deadline").
  constexpr bool active() const {
    return when_ != Clock::time_point::max() || cancellation_ != nullptr;
  }
  // The time point; Clock::time_point::max() when there is none.
  constexpr Clock::time_point when() const { return when_; }

  // OK while the time point is ahead and the caller has not cancelled.
  // Otherwise kDeadlineExceeded "<what>: the deadline passed", or
  // kCancelled "<what>: the caller cancelled". The time is asked first,
  // once, then the cancellation, once.
  Status Check(std::string_view what) const {
    if (!active()) return Status::Ok();
    return CheckActive(what);
  }

 private:
  constexpr Deadline(Clock::time_point when, const Cancellation* cancellation)
      : when_(when), cancellation_(cancellation) {}
  Status CheckActive(std::string_view what) const;

  Clock::time_point when_ = Clock::time_point::max();
  const Cancellation* cancellation_ = nullptr;
};

}  // namespace marac

#endif  // MARAC_COMMON_DEADLINE_H_
