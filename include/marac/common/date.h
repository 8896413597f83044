// Date: a calendar date with no time zone, as written on a form.
//
//   Result<Date> d = Date::Parse("completed_on", "2026-02-29");
//   // -> kInvalidArgument "completed_on: 2026-02-29 is not a date (2026 is
//   //    not a leap year)"
//
// Month arithmetic clamps to the end of the month: 2024-02-29 plus 12 months
// is 2025-02-28.
#ifndef MARAC_COMMON_DATE_H_
#define MARAC_COMMON_DATE_H_

#include <compare>
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "marac/common/result.h"

namespace marac {

struct Date {
  int year = 1970;  // 1..9999
  int month = 1;    // 1..12
  int day = 1;      // 1..days in month

  // Parses exactly "YYYY-MM-DD" (ISO 8601 calendar date). Errors name `field`.
  static Result<Date> Parse(std::string_view field, std::string_view text);
  // From days since 1970-01-01 (negative before).
  static Date FromDays(std::int64_t days);

  // Whether year/month/day name a real date in 1..9999.
  bool IsValid() const;
  // Days since 1970-01-01.
  std::int64_t ToDays() const;
  // "YYYY-MM-DD".
  std::string ToString() const;
  // Adds calendar months (may be negative), clamping the day to the last day
  // of the target month.
  Date AddMonths(int months) const;
  Date AddDays(std::int64_t days) const { return FromDays(ToDays() + days); }

  friend auto operator<=>(const Date&, const Date&) = default;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);
// Whole years from `from` to `to`: an age on a date (a birthday on 29
// February comes on 1 March in other years).
int WholeYears(const Date& from, const Date& to);

// Whole days from `from` to `to` (negative when `to` is earlier).
inline std::int64_t DaysBetween(const Date& from, const Date& to) {
  return to.ToDays() - from.ToDays();
}

std::ostream& operator<<(std::ostream& os, const Date& date);

}  // namespace marac

#endif  // MARAC_COMMON_DATE_H_
