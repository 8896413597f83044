#include "marac/calendar/calendar.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <set>
#include <tuple>

#include "lib/calendar/builtin_bank_holidays.h"

namespace marac {
namespace {

constexpr std::string_view kBuiltInSourceName =
    "bank_holidays_england_wales.csv";
constexpr std::string_view kHeader = "date,name";
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Notice before an extra meeting: agencies research every case on the list.
constexpr int kExtraMeetingNoticeDays = 7;

enum class Weekday {
  kMonday,
  kTuesday,
  kWednesday,
  kThursday,
  kFriday,
  kSaturday,
  kSunday
};

// 1970-01-01 (day 0) was a Thursday.
Weekday WeekdayOf(Date date) {
  const std::int64_t from_monday = ((date.ToDays() + 3) % 7 + 7) % 7;
  return static_cast<Weekday>(from_monday);
}

bool IsWeekend(Date date) {
  const Weekday weekday = WeekdayOf(date);
  return weekday == Weekday::kSaturday || weekday == Weekday::kSunday;
}

std::string_view WeekdayName(Weekday weekday) {
  switch (weekday) {
    case Weekday::kMonday:
      return "Monday";
    case Weekday::kTuesday:
      return "Tuesday";
    case Weekday::kWednesday:
      return "Wednesday";
    case Weekday::kThursday:
      return "Thursday";
    case Weekday::kFriday:
      return "Friday";
    case Weekday::kSaturday:
      return "Saturday";
    case Weekday::kSunday:
      return "Sunday";
  }
  return "";
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

// "the bank holidays of 2030 are not known (the calendar covers 2018 to
// 2028)", for a date outside the years `calendar` covers.
std::string NotKnownNote(const WorkingCalendar& calendar, Date date) {
  return "the bank holidays of " + std::to_string(date.year) +
         " are not known (the calendar covers " +
         std::to_string(calendar.first().year) + " to " +
         std::to_string(calendar.last().year) + ")";
}

}  // namespace

Result<WorkingCalendar> WorkingCalendar::BuiltIn() {
  // One embedded file; a second would be a build change to review here.
  const std::span<const std::string_view> files = BuiltInBankHolidayTables();
  assert(files.size() == 1);
  return FromCsv(kBuiltInSourceName, files.front());
}

const WorkingCalendar* WorkingCalendar::Shipped() {
  static const Result<WorkingCalendar> shipped = BuiltIn();
  return shipped.ok() ? &*shipped : nullptr;
}

Result<WorkingCalendar> WorkingCalendar::FromCsv(std::string_view source_name,
                                                 std::string_view csv_text) {
  const std::string source(source_name);
  if (csv_text.starts_with(kByteOrderMark)) {
    csv_text.remove_prefix(kByteOrderMark.size());
  }
  // A holiday and the line it came from, for the duplicate message.
  struct Row {
    Date date;
    std::size_t line;
    std::string name;
  };
  std::vector<Row> rows;
  std::size_t line_number = 0;
  std::size_t start = 0;
  bool seen_header = false;
  while (start < csv_text.size()) {
    std::size_t end = csv_text.find('\n', start);
    if (end == std::string_view::npos) end = csv_text.size();
    std::string_view line = csv_text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    const std::string where = source + ":" + std::to_string(line_number);
    if (!seen_header) {
      if (line != kHeader) {
        return InvalidArgument(where + ": header",
                               "expected \"date,name\", found \"" +
                                   std::string(line.substr(0, 40)) + "\"");
      }
      seen_header = true;
      continue;
    }
    if (line.empty()) continue;
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos) {
      return InvalidArgument(where + ": name", "missing (expected date,name)");
    }
    MARAC_ASSIGN_OR_RETURN(
        const Date date, Date::Parse(where + ": date", line.substr(0, comma)));
    if (IsWeekend(date)) {
      return InvalidArgument(
          where + ": date",
          date.ToString() + " is a " +
              std::string(WeekdayName(WeekdayOf(date))) +
              "; a bank holiday on a weekend is listed on its substitute "
              "weekday");
    }
    const std::string_view name = line.substr(comma + 1);
    if (IsBlank(name)) {
      return InvalidArgument(where + ": name", "empty");
    }
    rows.push_back({date, line_number, std::string(name)});
  }
  if (!seen_header) {
    return InvalidArgument(source + ":1: header",
                           "expected \"date,name\", found an empty file");
  }
  if (rows.empty()) {
    return InvalidArgument(source, "no bank holidays listed");
  }

  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.date, a.line) < std::tie(b.date, b.line);
  });
  WorkingCalendar calendar;
  calendar.holidays_.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && rows[i - 1].date == rows[i].date) {
      return InvalidArgument(
          source + ":" + std::to_string(rows[i].line) + ": date",
          rows[i].date.ToString() + " is listed twice (also on line " +
              std::to_string(rows[i - 1].line) + ")");
    }
    calendar.holidays_.emplace_back(rows[i].date, std::move(rows[i].name));
  }

  // Every year in the span must list its bank holidays, or Covers() would
  // claim to know a year the file left out.
  const int first_year = calendar.holidays_.front().first.year;
  const int last_year = calendar.holidays_.back().first.year;
  std::set<int> years;
  for (const auto& [date, name] : calendar.holidays_) years.insert(date.year);
  for (int year = first_year; year <= last_year; ++year) {
    if (!years.contains(year)) {
      return InvalidArgument(
          source, std::to_string(year) +
                      " lists no bank holidays, but the file spans " +
                      std::to_string(first_year) + " to " +
                      std::to_string(last_year) +
                      " (each year in between must list its own)");
    }
  }
  calendar.first_ = Date{first_year, 1, 1};
  calendar.last_ = Date{last_year, 12, 31};
  return calendar;
}

bool WorkingCalendar::IsBankHoliday(Date date) const {
  return HolidayName(date).has_value();
}

std::optional<std::string_view> WorkingCalendar::HolidayName(Date date) const {
  const auto it =
      std::lower_bound(holidays_.begin(), holidays_.end(), date,
                       [](const std::pair<Date, std::string>& holiday,
                          const Date& d) { return holiday.first < d; });
  if (it == holidays_.end() || it->first != date) return std::nullopt;
  return std::string_view(it->second);
}

bool WorkingCalendar::IsWorkingDay(Date date) const {
  return !IsWeekend(date) && !IsBankHoliday(date);
}

Date WorkingCalendar::NextWorkingDay(Date date) const {
  // Terminates: the table is finite, and each week has weekdays.
  while (!IsWorkingDay(date)) date = date.AddDays(1);
  return date;
}

Date WorkingCalendar::PreviousWorkingDay(Date date) const {
  while (!IsWorkingDay(date)) date = date.AddDays(-1);
  return date;
}

MeetingCheck CheckMeetingDate(const WorkingCalendar& calendar, Date date) {
  MeetingCheck check;
  const std::string shown = date.ToString();
  if (IsWeekend(date)) {
    check.reason = shown + " is a " + std::string(WeekdayName(WeekdayOf(date)));
  } else if (const std::optional<std::string_view> name =
                 calendar.HolidayName(date)) {
    check.reason = shown + " is a bank holiday (" + std::string(*name) + ")";
  } else {
    check.ok = true;
    if (!calendar.Covers(date)) {
      check.reason = shown + " is a weekday, but " +
                     NotKnownNote(calendar, date) +
                     ": check it is not a bank holiday";
    }
    return check;
  }
  const Date suggested = calendar.NextWorkingDay(date);
  check.suggested = suggested;
  if (!calendar.Covers(suggested)) {
    check.reason += "; " + NotKnownNote(calendar, suggested) + ", so check " +
                    suggested.ToString() + " is not a bank holiday";
  }
  return check;
}

std::vector<Date> MeetingDates(const WorkingCalendar& calendar, Date first,
                               int every_days, Date until) {
  std::vector<Date> dates;
  if (every_days < 1) return dates;
  for (Date planned = first; planned <= until;
       planned = planned.AddDays(every_days)) {
    const Date held = calendar.NextWorkingDay(planned);
    if (dates.empty() || dates.back() != held) dates.push_back(held);
  }
  return dates;
}

// The rule is local policy, not a SafeLives or national one: a MARAC whose
// deferred list has held cases past the waiting limit at two meetings running
// is over capacity (one bad meeting may be chance; two is a backlog), and the
// cases waiting are high-risk, so an extra meeting is proposed rather than
// waiting for the next regular one. Seven days' notice lets agencies research
// the cases; `within_days` bounds how late an "extra" meeting may be.
std::optional<Date> ProposeExtraMeeting(
    const WorkingCalendar& calendar, std::span<const DeferralHistory> history,
    Date today, int within_days) {
  std::vector<DeferralHistory> past;
  for (const DeferralHistory& meeting : history) {
    if (meeting.meeting <= today) past.push_back(meeting);
  }
  if (past.size() < 2) return std::nullopt;
  std::stable_sort(past.begin(), past.end(),
                   [](const DeferralHistory& a, const DeferralHistory& b) {
                     return a.meeting < b.meeting;
                   });
  const DeferralHistory& last = past[past.size() - 1];
  const DeferralHistory& before = past[past.size() - 2];
  if (last.deferred_past_limit < 1 || before.deferred_past_limit < 1) {
    return std::nullopt;
  }
  const Date proposed =
      calendar.NextWorkingDay(today.AddDays(kExtraMeetingNoticeDays));
  if (DaysBetween(today, proposed) > within_days) return std::nullopt;
  return proposed;
}

}  // namespace marac
