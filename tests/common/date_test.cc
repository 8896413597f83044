#include "marac/common/date.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace marac {
namespace {

using ::testing::HasSubstr;

struct ParseCase {
  const char* label;
  const char* text;
  bool ok;
  const char* want_problem;
};
constexpr ParseCase kParseCases[] = {
    {"Plain", "2026-03-01", true, ""},
    {"LeapDay", "2024-02-29", true, ""},
    {"NotLeapYear", "2025-02-29", false, "2025 is not a leap year"},
    {"Century", "1900-02-29", false, "1900 is not a leap year"},
    {"FourHundred", "2000-02-29", true, ""},
    {"ThirtiethOfFebruary", "2026-02-30", false, "month 2 has 28 days"},
    {"April31", "2026-04-31", false, "month 4 has 30 days"},
    {"Month13", "2026-13-01", false, "month must be 01-12"},
    {"Month0", "2026-00-10", false, "month must be 01-12"},
    {"Day0", "2026-01-00", false, "month 1 has 31 days"},
    {"Short", "2026-1-5", false, "YYYY-MM-DD"},
    {"Slashes", "01/03/2026", false, "YYYY-MM-DD"},
    {"Time", "2026-03-01T10:00", false, "YYYY-MM-DD"},
    {"Signs", "2026-+3-01", false, "YYYY-MM-DD"},
    {"Empty", "", false, "YYYY-MM-DD"},
    {"Year0", "0000-01-01", false, "year 0000"},
};

TEST(DateTest, ParseAcceptsOnlyRealCalendarDates) {
  for (const ParseCase& c : kParseCases) {
    SCOPED_TRACE(c.label);
    const Result<Date> d = Date::Parse("completed_on", c.text);
    EXPECT_EQ(d.ok(), c.ok) << d.status();
    if (!c.ok) {
      EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(d.status().message(), HasSubstr("completed_on: "));
      EXPECT_THAT(d.status().message(), HasSubstr(c.want_problem));
    } else {
      EXPECT_EQ(d->ToString(), c.text);
    }
  }
}

struct MonthsCase {
  const char* label;
  Date from;
  int months;
  Date want;
};
constexpr MonthsCase kMonthsCases[] = {
    {"Plain", {2025, 6, 10}, 12, {2026, 6, 10}},
    {"LeapDayClamps", {2024, 2, 29}, 12, {2025, 2, 28}},
    {"LeapDayToLeap", {2024, 2, 29}, 48, {2028, 2, 29}},
    {"MonthEndClamps", {2026, 1, 31}, 1, {2026, 2, 28}},
    {"Backwards", {2026, 3, 31}, -1, {2026, 2, 28}},
    {"BackwardsYear", {2026, 1, 15}, -12, {2025, 1, 15}},
    {"AcrossYearEnd", {2025, 11, 30}, 3, {2026, 2, 28}},
};

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  for (const MonthsCase& c : kMonthsCases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(c.from.AddMonths(c.months), c.want);
  }
}

TEST(DateTest, DaysRoundTripAcrossFourCenturies) {
  Date d{1900, 1, 1};
  const std::int64_t start = d.ToDays();
  for (std::int64_t i = 0; i < 146097; ++i) {
    const Date next = Date::FromDays(start + i);
    ASSERT_TRUE(next.IsValid()) << next;
    ASSERT_EQ(next.ToDays(), start + i);
    if (i > 0) {
      ASSERT_LT(d, next);
    }
    d = next;
  }
  EXPECT_EQ((Date{1970, 1, 1}.ToDays()), 0);
  EXPECT_EQ((DaysBetween(Date{2026, 2, 28}, Date{2026, 3, 1})), 1);
  EXPECT_EQ((DaysBetween(Date{2024, 2, 28}, Date{2024, 3, 1})), 2);
}

}  // namespace
}  // namespace marac
