#include "services/cli/progress.h"

#include <utility>

namespace marac {

ProgressLines::ProgressLines(std::ostream& err, std::string prefix,
                             const ProgressOptions& options,
                             std::function<Clock::time_point()> now)
    : err_(err),
      prefix_(std::move(prefix)),
      quiet_(options.quiet),
      every_(std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(options.every_seconds))),
      now_(std::move(now)),
      start_(now_()),
      next_(start_ + every_) {}

void ProgressLines::Update(std::string_view step, std::size_t done,
                           std::size_t total) {
  if (quiet_) return;
  const Clock::time_point now = now_();
  if (now < next_) return;
  // The next line one interval from now, not from when this one was due:
  // a step without reports for a while must not be followed by a burst.
  next_ = now + every_;
  err_ << prefix_ << ": " << step;
  if (total > 0) err_ << ": " << done << " of " << total;
  err_ << " ("
       << std::chrono::duration_cast<std::chrono::seconds>(now - start_).count()
       << " s)\n";
  err_.flush();
}

std::function<void(std::string_view, std::size_t, std::size_t)>
ProgressLines::Callback() {
  if (quiet_) return nullptr;
  return [this](std::string_view step, std::size_t done, std::size_t total) {
    Update(step, done, total);
  };
}

}  // namespace marac
