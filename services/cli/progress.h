// Progress lines on stderr for the commands that can run for minutes
// (`marac link`, `marac import`):
//
//   marac link: comparing candidate pairs: 120000 of 2318406 (14 s)
//
// At most one line per interval (2 s by default), and none before the first
// interval has passed, so a short run prints none and its stderr is what it
// always was. The lines are the same whether stderr is a terminal or a log:
// warnings and the summary also go to stderr, and a line rewritten in place
// with '\r' would garble them.
#ifndef MARAC_SERVICES_CLI_PROGRESS_H_
#define MARAC_SERVICES_CLI_PROGRESS_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>

namespace marac {

struct ProgressOptions {
  bool quiet = false;        // --quiet: no progress lines at all.
  double every_seconds = 2;  // --progress-every: 0 prints every report.
};

class ProgressLines {
 public:
  using Clock = std::chrono::steady_clock;

  // Lines go to `err` (not owned; it must outlive this), each starting
  // with `prefix` ("marac link"). The interval starts now. `now` is the
  // clock; a test passes its own.
  ProgressLines(std::ostream& err, std::string prefix,
                const ProgressOptions& options,
                std::function<Clock::time_point()> now = Clock::now);

  // Reports that `step` ("comparing candidate pairs") has done `done` of
  // `total` items (total 0: the step has no count). Prints it when the
  // interval has passed since the start or the last line printed; else
  // nothing. One read of the clock: cheap enough for every few thousand
  // items.
  void Update(std::string_view step, std::size_t done, std::size_t total);

  // Update as ResolveOptions::progress takes it, referring to this (which
  // must outlive it); empty with --quiet, so that work is not sliced up
  // for reports nobody sees.
  std::function<void(std::string_view, std::size_t, std::size_t)> Callback();

 private:
  std::ostream& err_;
  std::string prefix_;
  bool quiet_;
  Clock::duration every_;
  std::function<Clock::time_point()> now_;
  Clock::time_point start_;
  Clock::time_point next_;  // No line before this.
};

}  // namespace marac

#endif  // MARAC_SERVICES_CLI_PROGRESS_H_
