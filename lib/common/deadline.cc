#include "marac/common/deadline.h"

#include <string>

namespace marac {

Status Deadline::CheckActive(std::string_view what) const {
  if (when_ != Clock::time_point::max()) {
    const Clock::time_point now =
        cancellation_ != nullptr ? cancellation_->now() : Clock::now();
    if (now >= when_) {
      return DeadlineExceeded(std::string(what) + ": the deadline passed");
    }
  }
  if (cancellation_ != nullptr && cancellation_->cancelled()) {
    return Cancelled(std::string(what) + ": the caller cancelled");
  }
  return Status::Ok();
}

}  // namespace marac
