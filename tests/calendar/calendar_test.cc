// The MARAC meeting calendar: the shipped England and Wales bank holidays,
// working days, meeting date checks, regular schedules and the extra meeting
// proposal, and the errors of a bank holiday file loaded at run time.
#include "marac/calendar/calendar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Date D(const char* text) { return *Date::Parse("date", text); }

WorkingCalendar BuiltIn() {
  Result<WorkingCalendar> calendar = WorkingCalendar::BuiltIn();
  EXPECT_TRUE(calendar.ok()) << calendar.status();
  return *std::move(calendar);
}

// 0 Monday .. 6 Sunday; 1970-01-01 was a Thursday.
int WeekdayOf(Date date) {
  return static_cast<int>(((date.ToDays() + 3) % 7 + 7) % 7);
}

TEST(CalendarBuiltInTest, EveryBankHolidayOf2026And2027ByDateAndName) {
  const struct {
    const char* label;
    const char* date;
    const char* name;
  } kCases[] = {
      {"NewYear2026", "2026-01-01", "New Year's Day"},
      {"GoodFriday2026", "2026-04-03", "Good Friday"},
      {"EasterMonday2026", "2026-04-06", "Easter Monday"},
      {"EarlyMay2026", "2026-05-04", "Early May bank holiday"},
      {"Spring2026", "2026-05-25", "Spring bank holiday"},
      {"Summer2026", "2026-08-31", "Summer bank holiday"},
      {"Christmas2026", "2026-12-25", "Christmas Day"},
      {"BoxingDaySubstitute2026", "2026-12-28", "Boxing Day (substitute day)"},
      {"NewYear2027", "2027-01-01", "New Year's Day"},
      {"GoodFriday2027", "2027-03-26", "Good Friday"},
      {"EasterMonday2027", "2027-03-29", "Easter Monday"},
      {"EarlyMay2027", "2027-05-03", "Early May bank holiday"},
      {"Spring2027", "2027-05-31", "Spring bank holiday"},
      {"Summer2027", "2027-08-30", "Summer bank holiday"},
      {"ChristmasSubstitute2027", "2027-12-27",
       "Christmas Day (substitute day)"},
      {"BoxingDaySubstitute2027", "2027-12-28", "Boxing Day (substitute day)"},
  };
  const WorkingCalendar calendar = BuiltIn();
  int in_2026_2027 = 0;
  for (Date d = D("2026-01-01"); d <= D("2027-12-31"); d = d.AddDays(1)) {
    if (calendar.IsBankHoliday(d)) ++in_2026_2027;
  }
  EXPECT_EQ(in_2026_2027, static_cast<int>(std::size(kCases)))
      << "a bank holiday in 2026-27 that the table below does not list";
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    EXPECT_TRUE(calendar.IsBankHoliday(D(c.date)));
    EXPECT_FALSE(calendar.IsWorkingDay(D(c.date)));
    EXPECT_EQ(calendar.HolidayName(D(c.date)), c.name);
  }
}

TEST(CalendarBuiltInTest, GoodFridayAndEasterMondayFrom2019To2028) {
  const struct {
    const char* label;
    const char* good_friday;
    const char* easter_monday;
  } kCases[] = {
      {"Easter2019", "2019-04-19", "2019-04-22"},
      {"Easter2020", "2020-04-10", "2020-04-13"},
      {"Easter2021", "2021-04-02", "2021-04-05"},
      {"Easter2022", "2022-04-15", "2022-04-18"},
      {"Easter2023", "2023-04-07", "2023-04-10"},
      {"Easter2024", "2024-03-29", "2024-04-01"},
      {"Easter2025", "2025-04-18", "2025-04-21"},
      {"Easter2026", "2026-04-03", "2026-04-06"},
      {"Easter2027", "2027-03-26", "2027-03-29"},
      {"Easter2028", "2028-04-14", "2028-04-17"},
  };
  const WorkingCalendar calendar = BuiltIn();
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(calendar.HolidayName(D(c.good_friday)), "Good Friday");
    EXPECT_EQ(calendar.HolidayName(D(c.easter_monday)), "Easter Monday");
    EXPECT_EQ(WeekdayOf(D(c.good_friday)), 4);
    EXPECT_EQ(DaysBetween(D(c.good_friday), D(c.easter_monday)), 3);
  }
}

TEST(CalendarBuiltInTest, SubstituteAndOneOffDays) {
  const struct {
    const char* label;
    const char* date;
    const char* name;  // nullptr: not a bank holiday.
  } kCases[] = {
      {"BoxingDaySaturday2020", "2020-12-28", "Boxing Day (substitute day)"},
      {"ChristmasSaturday2021", "2021-12-27", "Christmas Day (substitute day)"},
      {"BoxingDaySunday2021", "2021-12-28", "Boxing Day (substitute day)"},
      {"NewYearSaturday2022", "2022-01-03", "New Year's Day (substitute day)"},
      {"ChristmasSunday2022", "2022-12-27", "Christmas Day (substitute day)"},
      {"BoxingDayMonday2022", "2022-12-26", "Boxing Day"},
      {"NewYearSunday2023", "2023-01-02", "New Year's Day (substitute day)"},
      {"NewYearSaturday2028", "2028-01-03", "New Year's Day (substitute day)"},
      {"VeDay2020", "2020-05-08", "Early May bank holiday (VE day)"},
      {"NotFirstMondayInMay2020", "2020-05-04", nullptr},
      {"SpringMovedTo2June2022", "2022-06-02", "Spring bank holiday"},
      {"NotLastMondayInMay2022", "2022-05-30", nullptr},
      {"PlatinumJubilee2022", "2022-06-03", "Platinum Jubilee bank holiday"},
      {"StateFuneral2022", "2022-09-19",
       "Bank Holiday for the State Funeral of Queen Elizabeth II"},
      {"Coronation2023", "2023-05-08",
       "Bank holiday for the coronation of King Charles III"},
  };
  const WorkingCalendar calendar = BuiltIn();
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    if (c.name == nullptr) {
      EXPECT_FALSE(calendar.IsBankHoliday(D(c.date)));
      EXPECT_EQ(calendar.HolidayName(D(c.date)), std::nullopt);
    } else {
      EXPECT_EQ(calendar.HolidayName(D(c.date)), c.name);
    }
  }
}

TEST(CalendarBuiltInTest, EveryYearHasEightOrMoreBankHolidaysAllOnWeekdays) {
  const WorkingCalendar calendar = BuiltIn();
  EXPECT_EQ(calendar.first(), D("2018-01-01"));
  EXPECT_EQ(calendar.last(), D("2028-12-31"));
  std::map<int, int> per_year;
  for (Date d = calendar.first(); d <= calendar.last(); d = d.AddDays(1)) {
    if (!calendar.IsBankHoliday(d)) continue;
    ++per_year[d.year];
    SCOPED_TRACE(d.ToString());
    EXPECT_LT(WeekdayOf(d), 5) << "a bank holiday on a weekend: a substitute "
                                  "day is missing or wrong";
  }
  for (int year = 2018; year <= 2028; ++year) {
    SCOPED_TRACE(year);
    EXPECT_GE(per_year[year], 8);
  }
}

TEST(CalendarFromCsvTest, ReadsAnUpdatedTable) {
  const Result<WorkingCalendar> calendar =
      WorkingCalendar::FromCsv("bank_holidays.csv",
                               "\xEF\xBB\xBF"
                               "date,name\r\n"
                               "2030-12-25,Christmas Day\r\n"
                               "\r\n"
                               "2029-01-01,New Year's Day\r\n"
                               "2030-01-01,New Year's Day\r\n"
                               "2029-12-25,Christmas Day, observed\r\n");
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  EXPECT_EQ(calendar->first(), D("2029-01-01"));
  EXPECT_EQ(calendar->last(), D("2030-12-31"));
  EXPECT_EQ(calendar->HolidayName(D("2030-12-25")), "Christmas Day");
  EXPECT_EQ(calendar->HolidayName(D("2029-12-25")), "Christmas Day, observed");
  EXPECT_FALSE(calendar->IsWorkingDay(D("2029-01-01")));
  EXPECT_TRUE(calendar->IsWorkingDay(D("2029-01-02")));
}

TEST(CalendarFromCsvTest, ErrorsNameTheSourceLineAndField) {
  const struct {
    const char* label;
    const char* csv;
    const char* where;  // The message starts with this.
  } kCases[] = {
      {"EmptyFile", "", "bank_holidays.csv:1: header"},
      {"BadHeader", "day,name\n2026-12-25,Christmas Day\n",
       "bank_holidays.csv:1: header"},
      {"NoHeader", "2026-12-25,Christmas Day\n", "bank_holidays.csv:1: header"},
      {"BadDate", "date,name\n2026-01-01,New Year's Day\n2026-02-30,Nothing\n",
       "bank_holidays.csv:3: date"},
      {"NotIsoDate", "date,name\n25/12/2026,Christmas Day\n",
       "bank_holidays.csv:2: date"},
      {"WeekendDate", "date,name\n2026-12-26,Boxing Day\n",
       "bank_holidays.csv:2: date"},
      {"EmptyName", "date,name\n2026-12-25,\n", "bank_holidays.csv:2: name"},
      {"BlankName", "date,name\n2026-12-25,  \n", "bank_holidays.csv:2: name"},
      {"NoComma", "date,name\n2026-12-25\n", "bank_holidays.csv:2: name"},
      {"DuplicateDate",
       "date,name\n2026-12-25,Christmas Day\n2026-01-01,New Year's Day\n"
       "2026-12-25,Christmas Day\n",
       "bank_holidays.csv:4: date"},
      {"NoHolidays", "date,name\n", "bank_holidays.csv: "},
      {"MissingYear", "date,name\n2026-12-25,Christmas Day\n2028-12-25,X\n",
       "bank_holidays.csv: "},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    const Result<WorkingCalendar> calendar =
        WorkingCalendar::FromCsv("bank_holidays.csv", c.csv);
    ASSERT_FALSE(calendar.ok());
    EXPECT_EQ(calendar.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(calendar.status().message(), StartsWith(c.where));
  }
}

TEST(CalendarFromCsvTest, ADuplicateNamesBothLines) {
  const Result<WorkingCalendar> calendar = WorkingCalendar::FromCsv(
      "bank_holidays.csv",
      "date,name\n2026-12-25,Christmas Day\n2026-12-25,Christmas Day\n");
  ASSERT_FALSE(calendar.ok());
  EXPECT_EQ(calendar.status().message(),
            "bank_holidays.csv:3: date: 2026-12-25 is listed twice (also on "
            "line 2)");
}

TEST(CalendarWorkingDayTest, WeekendsAndBankHolidaysAreNotWorkingDays) {
  const struct {
    const char* label;
    const char* date;
    bool working;
    bool covered;
  } kCases[] = {
      {"Monday", "2026-03-02", true, true},
      {"Friday", "2026-03-06", true, true},
      {"Saturday", "2026-03-07", false, true},
      {"Sunday", "2026-03-08", false, true},
      {"BankHoliday", "2026-05-04", false, true},
      {"ChristmasEveThursday", "2026-12-24", true, true},
      {"BoxingDaySaturdayItself", "2026-12-26", false, true},
      {"FirstDayCovered", "2018-01-01", false, true},
      {"LastDayCovered", "2028-12-29", true, true},
      {"WeekdayBeforeTheTable", "2017-12-29", true, false},
      {"WeekendAfterTheTable", "2029-01-06", false, false},
      {"UnknownHolidayAfterTheTable", "2029-01-01", true, false},
  };
  const WorkingCalendar calendar = BuiltIn();
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(calendar.IsWorkingDay(D(c.date)), c.working);
    EXPECT_EQ(calendar.Covers(D(c.date)), c.covered);
  }
}

TEST(CalendarWorkingDayTest, NextAndPreviousWorkingDay) {
  const struct {
    const char* label;
    const char* date;
    const char* next;
    const char* previous;
  } kCases[] = {
      {"ChristmasEveIsWorking", "2026-12-24", "2026-12-24", "2026-12-24"},
      {"ChristmasDay", "2026-12-25", "2026-12-29", "2026-12-24"},
      {"BoxingDaySaturday", "2026-12-26", "2026-12-29", "2026-12-24"},
      {"Sunday", "2026-12-27", "2026-12-29", "2026-12-24"},
      {"BoxingDaySubstitute", "2026-12-28", "2026-12-29", "2026-12-24"},
      {"NewYearsEve", "2026-12-31", "2026-12-31", "2026-12-31"},
      {"NewYearsDay", "2027-01-01", "2027-01-04", "2026-12-31"},
      {"Saturday", "2027-01-02", "2027-01-04", "2026-12-31"},
      {"EasterWeekend2027", "2027-03-27", "2027-03-30", "2027-03-25"},
      {"ChristmasSubstitutes2027", "2027-12-25", "2027-12-29", "2027-12-24"},
  };
  const WorkingCalendar calendar = BuiltIn();
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(calendar.NextWorkingDay(D(c.date)), D(c.next));
    EXPECT_EQ(calendar.PreviousWorkingDay(D(c.date)), D(c.previous));
  }
}

TEST(CalendarCheckMeetingTest, RefusesWeekendsAndBankHolidaysAndSuggests) {
  const struct {
    const char* label;
    const char* date;
    bool ok;
    const char* reason;     // Whole reason when ok is false.
    const char* suggested;  // nullptr: none.
  } kCases[] = {
      {"BoxingDaySubstitute", "2026-12-28", false,
       "2026-12-28 is a bank holiday (Boxing Day (substitute day))",
       "2026-12-29"},
      {"ChristmasDay", "2026-12-25", false,
       "2026-12-25 is a bank holiday (Christmas Day)", "2026-12-29"},
      {"Saturday", "2026-12-26", false, "2026-12-26 is a Saturday",
       "2026-12-29"},
      {"Sunday", "2026-03-08", false, "2026-03-08 is a Sunday", "2026-03-09"},
      {"WorkingDay", "2026-12-24", true, "", nullptr},
  };
  const WorkingCalendar calendar = BuiltIn();
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    const MeetingCheck check = CheckMeetingDate(calendar, D(c.date));
    EXPECT_EQ(check.ok, c.ok);
    EXPECT_EQ(check.reason, c.reason);
    if (c.suggested == nullptr) {
      EXPECT_EQ(check.suggested, std::nullopt);
    } else {
      EXPECT_EQ(check.suggested, D(c.suggested));
    }
  }
}

TEST(CalendarCheckMeetingTest, OutsideTheTableOnlyWeekendsAreKnown) {
  const WorkingCalendar calendar = BuiltIn();

  const MeetingCheck weekday = CheckMeetingDate(calendar, D("2029-01-01"));
  EXPECT_TRUE(weekday.ok);
  EXPECT_THAT(weekday.reason,
              HasSubstr("the bank holidays of 2029 are not known"));
  EXPECT_EQ(weekday.suggested, std::nullopt);

  const MeetingCheck weekend = CheckMeetingDate(calendar, D("2029-01-06"));
  EXPECT_FALSE(weekend.ok);
  EXPECT_THAT(weekend.reason, StartsWith("2029-01-06 is a Saturday"));
  EXPECT_THAT(weekend.reason,
              HasSubstr("the bank holidays of 2029 are not known"));
  EXPECT_EQ(weekend.suggested, D("2029-01-08"));
}

TEST(CalendarMeetingDatesTest, MovesOffNonWorkingDaysAndKeepsTheRhythm) {
  const struct {
    const char* label;
    const char* first;
    int every_days;
    const char* until;
    std::vector<const char*> want;
  } kCases[] = {
      // Thursdays every 28 days: Christmas Eve 2026 is a working day, so
      // nothing moves over Christmas and New Year.
      {"Every28DaysOverChristmas",
       "2026-11-26",
       28,
       "2027-02-18",
       {"2026-11-26", "2026-12-24", "2027-01-21", "2027-02-18"}},
      // Mondays every 28 days from 2026-03-09: Easter Monday and the early
      // May bank holiday each move a meeting to the Tuesday, and the next
      // stays on Monday 2026-06-01.
      {"Every28DaysOverEarlyMay",
       "2026-03-09",
       28,
       "2026-06-01",
       {"2026-03-09", "2026-04-07", "2026-05-05", "2026-06-01"}},
      // Fridays every 28 days: Christmas Day 2026 moves to 29 December, the
      // next meeting is still 2027-01-22, not 28 days after the move.
      {"Every28DaysFromAFriday",
       "2026-11-27",
       28,
       "2027-01-22",
       {"2026-11-27", "2026-12-29", "2027-01-22"}},
      {"MovedPastUntilIsKept",
       "2026-11-27",
       28,
       "2026-12-25",
       {"2026-11-27", "2026-12-29"}},
      {"SameDayOnce", "2026-12-25", 1, "2026-12-29", {"2026-12-29"}},
      {"UntilBeforeFirst", "2026-12-01", 28, "2026-11-30", {}},
      {"ZeroInterval", "2026-12-01", 0, "2027-12-01", {}},
  };
  const WorkingCalendar calendar = BuiltIn();
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    std::vector<Date> want;
    for (const char* date : c.want) want.push_back(D(date));
    EXPECT_EQ(MeetingDates(calendar, D(c.first), c.every_days, D(c.until)),
              want);
  }
}

TEST(CalendarExtraMeetingTest, ProposesAfterTwoMeetingsOverTheLimit) {
  const struct {
    const char* label;
    std::vector<DeferralHistory> history;
    const char* today;
    int within_days;
    const char* want;  // nullptr: no proposal.
  } kCases[] = {
      {"LastTwoOverTheLimit",
       {{D("2026-01-08"), 0}, {D("2026-02-05"), 1}, {D("2026-03-05"), 2}},
       "2026-03-06",
       14,
       "2026-03-13"},
      {"AnyOrder",
       {{D("2026-03-05"), 2}, {D("2026-01-08"), 0}, {D("2026-02-05"), 1}},
       "2026-03-06",
       14,
       "2026-03-13"},
      {"SevenDaysOnIsABankHoliday",
       {{D("2026-11-26"), 3}, {D("2026-12-17"), 1}},
       "2026-12-18",
       14,
       "2026-12-29"},
      {"SevenDaysOnIsASaturday",
       {{D("2026-02-05"), 1}, {D("2026-03-05"), 1}},
       "2026-03-07",
       14,
       "2026-03-16"},
      {"OnlyTheLastOverTheLimit",
       {{D("2026-02-05"), 0}, {D("2026-03-05"), 4}},
       "2026-03-06",
       14,
       nullptr},
      {"OnlyTheOneBeforeOverTheLimit",
       {{D("2026-02-05"), 4}, {D("2026-03-05"), 0}},
       "2026-03-06",
       14,
       nullptr},
      {"OlderMeetingsDoNotCount",
       {{D("2026-01-08"), 2}, {D("2026-02-05"), 2}, {D("2026-03-05"), 0}},
       "2026-03-06",
       14,
       nullptr},
      {"OneMeeting", {{D("2026-03-05"), 5}}, "2026-03-06", 14, nullptr},
      {"NoHistory", {}, "2026-03-06", 14, nullptr},
      {"FutureMeetingsIgnored",
       {{D("2026-02-05"), 1}, {D("2026-03-05"), 1}, {D("2026-04-02"), 0}},
       "2026-03-06",
       14,
       "2026-03-13"},
      {"NoWorkingDayWithinTheWindow",
       {{D("2026-11-26"), 3}, {D("2026-12-17"), 1}},
       "2026-12-18",
       10,
       nullptr},
  };
  const WorkingCalendar calendar = BuiltIn();
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    const std::optional<Date> proposed =
        ProposeExtraMeeting(calendar, c.history, D(c.today), c.within_days);
    if (c.want == nullptr) {
      EXPECT_EQ(proposed, std::nullopt);
    } else {
      EXPECT_EQ(proposed, D(c.want));
    }
  }
}

}  // namespace
}  // namespace marac
