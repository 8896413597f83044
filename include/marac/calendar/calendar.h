// The MARAC meeting calendar: which days are working days in England and
// Wales (Monday to Friday, not a bank holiday), whether a proposed meeting
// date is one, a regular meeting schedule kept to working days, and when to
// propose an extra meeting. Pure: the bank holidays come from a table handed
// in (the built-in one or a file the service loads) and today's date is an
// argument.
//
//   MARAC_ASSIGN_OR_RETURN(const WorkingCalendar calendar,
//                          WorkingCalendar::BuiltIn());
//   const MeetingCheck check = CheckMeetingDate(calendar, Date{2026, 12, 28});
//   // check.ok == false, check.reason == "2026-12-28 is a bank holiday
//   // (Boxing Day (substitute day))", *check.suggested == 2026-12-29.
//
// The built-in table (lib/calendar/data/, from GOV.UK) covers 2018 to 2028.
// Outside the years a table covers only weekends are known: IsWorkingDay
// still answers, and Covers() says when that answer may miss a bank holiday.
#ifndef MARAC_CALENDAR_CALENDAR_H_
#define MARAC_CALENDAR_CALENDAR_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

// The bank holidays of whole years and the working days they leave. A value:
// cheap to move, safe to share between threads once built.
class WorkingCalendar {
 public:
  // The table shipped with the library (England and Wales, 2018 to 2028).
  // Fails only if the shipped table is broken, which the tests rule out.
  static Result<WorkingCalendar> BuiltIn();
  // The shipped table, parsed once for the process and shared; null only if
  // the shipped table is broken.
  static const WorkingCalendar* Shipped();

  // Reads a table in the built-in format, so a service can load a newer one:
  // the header line `date,name`, then one `YYYY-MM-DD,name` a line (the name
  // is the rest of the line, commas and all). Blank lines, a final newline,
  // CRLF line ends and a UTF-8 byte order mark are accepted. The table covers
  // every year from its earliest date's to its latest date's.
  //
  // Returns kInvalidArgument, the message starting with
  // "<source_name>:<line>: <field>" (field `header`, `date` or `name`), for
  // a wrong header, a date that is not a real YYYY-MM-DD date, a date on a
  // Saturday or Sunday (a bank holiday on a weekend is listed on its
  // substitute weekday), an empty name, or a date listed twice; and, the
  // message starting with "<source_name>: ", for a table with no bank
  // holidays or with a year inside its span that lists none.
  static Result<WorkingCalendar> FromCsv(std::string_view source_name,
                                         std::string_view csv_text);

  // Whether `date` is in the table.
  bool IsBankHoliday(Date date) const;
  // The holiday's name ("Boxing Day (substitute day)"), or nullopt if `date`
  // is not a bank holiday. The view is valid while this calendar lives.
  std::optional<std::string_view> HolidayName(Date date) const;
  // Monday to Friday and not a bank holiday. Outside Covers() only weekends
  // are excluded.
  bool IsWorkingDay(Date date) const;
  // `date` if it is a working day, else the first working day after it.
  Date NextWorkingDay(Date date) const;
  // `date` if it is a working day, else the last working day before it.
  Date PreviousWorkingDay(Date date) const;

  // 1 January of the first year covered and 31 December of the last.
  Date first() const { return first_; }
  Date last() const { return last_; }
  // Whether `date` falls in a covered year, so its bank holidays are known.
  bool Covers(Date date) const { return first_ <= date && date <= last_; }

 private:
  WorkingCalendar() = default;

  // Sorted by date, no two alike.
  std::vector<std::pair<Date, std::string>> holidays_;
  Date first_;
  Date last_;
};

// The answer to "may the MARAC meet on this date?".
struct MeetingCheck {
  bool ok = false;
  // Why not, in plain English, when !ok ("2026-12-26 is a Saturday"); a
  // warning when ok but the year's bank holidays are not known; else empty.
  std::string reason;
  // The next working day when !ok; nullopt when ok.
  std::optional<Date> suggested;
};

// Refuses a Saturday, a Sunday or a bank holiday, naming the day or the
// holiday and suggesting the next working day. A weekday outside the years
// `calendar` covers is ok, with a reason saying that year's bank holidays are
// not known.
MeetingCheck CheckMeetingDate(const WorkingCalendar& calendar, Date date);

// A regular schedule: the dates first, first + every_days, first +
// 2 * every_days, ... up to and including `until`, each moved to the next
// working day when it is not one. The cycle keeps its rhythm from the planned
// dates: a meeting moved off a bank holiday does not move the ones after it.
// A planned date on or before `until` is kept even if its move takes it past
// `until`; planned dates that move to the same day give it once. Empty when
// every_days < 1 or until < first.
std::vector<Date> MeetingDates(const WorkingCalendar& calendar, Date first,
                               int every_days, Date until);

// One past meeting and how many cases on its deferred list had already waited
// past the waiting limit.
struct DeferralHistory {
  Date meeting;
  int deferred_past_limit = 0;
};

// Local policy, not a national rule: a MARAC whose deferred list has had
// cases waiting past the limit at two meetings running is over capacity, and
// one extra meeting clears that backlog sooner than waiting for the next
// regular one.
//
// Proposes an extra meeting when the last two meetings held on or before
// `today` (by date; `history` may be in any order) each had at least one case
// deferred past the waiting limit. The proposal is the first working day at
// least 7 days after `today` (notice for agencies to research the cases),
// provided it is no more than `within_days` days after `today`. Returns
// nullopt otherwise: fewer than two past meetings, either of the last two
// with no case past the limit, or no working day in that window.
std::optional<Date> ProposeExtraMeeting(
    const WorkingCalendar& calendar, std::span<const DeferralHistory> history,
    Date today, int within_days = 14);

}  // namespace marac

#endif  // MARAC_CALENDAR_CALENDAR_H_
