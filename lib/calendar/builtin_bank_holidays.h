// The bank holiday table shipped with the library
// (lib/calendar/data/bank_holidays_england_wales.csv), embedded at build time.
#ifndef MARAC_CALENDAR_BUILTIN_BANK_HOLIDAYS_H_
#define MARAC_CALENDAR_BUILTIN_BANK_HOLIDAYS_H_

#include <span>
#include <string_view>

namespace marac {

std::span<const std::string_view> BuiltInBankHolidayTables();

}  // namespace marac

#endif  // MARAC_CALENDAR_BUILTIN_BANK_HOLIDAYS_H_
