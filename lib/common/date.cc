#include "marac/common/date.h"

#include <cstdio>
#include <string>

#include "lib/common/strict_json.h"

namespace marac {
namespace {

// Days from civil, after Howard Hinnant's public-domain algorithm
// (howardhinnant.github.io/date_algorithms.html).
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool Digits(std::string_view text, std::size_t from, std::size_t count,
            int& out) {
  int value = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

}  // namespace

bool IsLeapYear(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

Result<Date> Date::Parse(std::string_view field, std::string_view text) {
  Date date;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' ||
      !Digits(text, 0, 4, date.year) || !Digits(text, 5, 2, date.month) ||
      !Digits(text, 8, 2, date.day)) {
    const std::string shown = ShownText(text, 40);
    return InvalidArgument(field, "\"" + shown +
                                      "\" is not a date in the form "
                                      "YYYY-MM-DD");
  }
  if (date.year < 1) {
    return InvalidArgument(field,
                           std::string(text) + " is not a date (year 0000)");
  }
  if (date.month < 1 || date.month > 12) {
    return InvalidArgument(
        field, std::string(text) + " is not a date (month must be 01-12)");
  }
  if (date.day < 1 || date.day > DaysInMonth(date.year, date.month)) {
    std::string why = " is not a date (";
    if (date.month == 2 && date.day == 29) {
      why += std::to_string(date.year) + " is not a leap year)";
    } else {
      why += "month " + std::to_string(date.month) + " has " +
             std::to_string(DaysInMonth(date.year, date.month)) + " days)";
    }
    return InvalidArgument(field, std::string(text) + why);
  }
  return date;
}

Date Date::FromDays(std::int64_t days) {
  // Civil from days, the inverse of DaysFromCivil.
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m),
              static_cast<int>(d)};
}

bool Date::IsValid() const {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

std::int64_t Date::ToDays() const {
  return DaysFromCivil(year, static_cast<unsigned>(month),
                       static_cast<unsigned>(day));
}

std::string Date::ToString() const {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  return buffer;
}

int WholeYears(const Date& from, const Date& to) {
  int years = to.year - from.year;
  if (to.month < from.month || (to.month == from.month && to.day < from.day)) {
    --years;
  }
  return years;
}

Date Date::AddMonths(int months) const {
  // 64-bit: no overflow whatever the (possibly invalid) fields hold.
  const std::int64_t index = std::int64_t{year} * 12 + (month - 1) + months;
  std::int64_t y = index / 12;
  std::int64_t m = index % 12;
  if (m < 0) {  // Floor division for dates before year 0.
    m += 12;
    --y;
  }
  Date out;
  out.year = static_cast<int>(y);
  out.month = static_cast<int>(m) + 1;
  const int last = DaysInMonth(out.year, out.month);
  out.day = day > last ? last : day;
  return out;
}

std::ostream& operator<<(std::ostream& os, const Date& date) {
  return os << date.ToString();
}

}  // namespace marac
