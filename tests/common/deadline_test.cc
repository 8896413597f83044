// Deadline: "no deadline" never stops anything; a passed time point is
// kDeadlineExceeded and a cancelled caller kCancelled, each naming the
// work; the time is read once per check, on the Cancellation's clock.
#include "marac/common/deadline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "tests/common/late_caller.h"

namespace marac {
namespace {

using ::testing::HasSubstr;
using Clock = std::chrono::steady_clock;
using std::chrono::seconds;

TEST(DeadlineTest, NoDeadlineNeverExpires) {
  constexpr Deadline none;
  static_assert(!none.active());
  static_assert(none.when() == Clock::time_point::max());
  EXPECT_TRUE(none.Check("anything").ok());
}

TEST(DeadlineTest, APassedTimePointIsDeadlineExceededNamingTheWork) {
  const Deadline passed = Deadline::At(Clock::now() - seconds(1));
  EXPECT_TRUE(passed.active());
  const Status s = passed.Check("store: reading record");
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(s.message(), "store: reading record: the deadline passed");
  EXPECT_TRUE(Deadline::At(Clock::now() + seconds(60)).Check("x").ok());
}

struct CallerCase {
  const char* label;
  bool cancelled;
  int reads_before_late;
  StatusCode want;
};
constexpr CallerCase kCallerCases[] = {
    {"InTimeAndWaiting", false, 1, StatusCode::kOk},
    {"InTimeButCancelled", true, 1, StatusCode::kCancelled},
    {"LateAndWaiting", false, 0, StatusCode::kDeadlineExceeded},
    // The time is asked first: a caller whose deadline passed is late,
    // whether or not gRPC has marked the call cancelled for it.
    {"LateAndCancelled", true, 0, StatusCode::kDeadlineExceeded},
};

TEST(DeadlineTest, TheTimeComesFromTheCancellationAndIsAskedFirst) {
  for (const CallerCase& c : kCallerCases) {
    SCOPED_TRACE(c.label);
    const LateCaller caller(c.reads_before_late, c.cancelled);
    const Status s = caller.deadline().Check("resolving records");
    EXPECT_EQ(s.code(), c.want);
    EXPECT_EQ(caller.reads(), 1);  // One clock read per check.
    if (!s.ok()) {
      EXPECT_THAT(s.message(), HasSubstr("resolving records: "));
    }
  }
}

TEST(DeadlineTest, UntilCancelledNeverReadsTheClock) {
  const LateCaller waiting(0, false);
  const LateCaller gone(0, true);
  EXPECT_TRUE(Deadline::UntilCancelled(&waiting).active());
  EXPECT_TRUE(Deadline::UntilCancelled(&waiting).Check("x").ok());
  const Status s = Deadline::UntilCancelled(&gone).Check("listing referrals");
  EXPECT_EQ(s.code(), StatusCode::kCancelled);
  EXPECT_EQ(s.message(), "listing referrals: the caller cancelled");
  EXPECT_EQ(waiting.reads() + gone.reads(), 0);
}

}  // namespace
}  // namespace marac
