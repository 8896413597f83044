// The yearly return of a One Stop Shop service (see casefile/one_stop_shop.h):
// visits and visitors per year by site over several years, with the change
// on the year before, repeat, male and in-borough visitors, children in the
// visitors' households, how visitors heard of the shop, feedback, the
// busiest and quietest months, and which agencies staffed the sessions
// against their commitment. Years run from 1 July to 30 June and are named
// "2025/26". Figures the records do not hold are not recorded
// (std::nullopt), never 0.
//
//   MARAC_ASSIGN_OR_RETURN(
//       OneStopShopReport r,
//       ComputeOneStopShopReport(visits, sessions, file.people,
//                                {.last_year_ending = 2026, .as_of = today}));
//   std::string md = OneStopShopMarkdown(r);
#ifndef MARAC_REPORT_ONE_STOP_SHOP_H_
#define MARAC_REPORT_ONE_STOP_SHOP_H_

#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "marac/casefile/one_stop_shop.h"
#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

// "2025/26" for the year ending in June 2026.
std::string OneStopShopYearName(int year_ending);
// The year (by the June it ends in) that holds `date`: 2026 for 2025-07-01
// to 2026-06-30.
int OneStopShopYearEnding(Date date);

struct OneStopShopOptions {
  // The last year reported, by the June it ends in: 2026 for 2025/26.
  // Required: up to 9999, and at least `years` + 2 (the year before the
  // first reported is counted for its change).
  int last_year_ending = 0;
  int years = 5;  // Years reported, ending with the last (1 to 50).
  // Today. A year not over by this date is partial: counted up to it.
  Date as_of;
};

struct MonthVisits {
  std::string month;  // "2025-07"
  int visits = 0;
  friend bool operator==(const MonthVisits&, const MonthVisits&) = default;
};

// The figures of one year, for all sites or for one. A visitor is a person
// after identity resolution (`people`); each anonymous visit counts as one
// visit and one visitor, and never as a repeat visitor. Gender, living in the
// borough and children are each visitor's latest recorded value in the year.
struct OneStopShopFigures {
  int visits = 0;
  int sessions = 0;  // Sessions held (on or before as_of).
  int visitors = 0;  // identified_visitors + anonymous_visits.
  int identified_visitors = 0;
  int anonymous_visits = 0;
  // People who visited more than once in the year (for all sites: visits to
  // different sites count together). Absent when no visitor was identified.
  std::optional<int> repeat_visitors;
  std::optional<double> repeat_share;  // Of identified visitors.
  // Visitors whose gender is recorded as male; the share is of those whose
  // gender is recorded. Absent when no visitor's gender is recorded.
  std::optional<int> male_visitors;
  int gender_recorded = 0;
  int gender_not_recorded = 0;
  std::optional<double> male_share;
  // Likewise, visitors recorded as living in the borough.
  std::optional<int> in_borough_visitors;
  int borough_recorded = 0;
  int borough_not_recorded = 0;
  std::optional<double> in_borough_share;
  // Children in the households of the visitors who recorded it (their
  // latest count each); absent when none did.
  std::optional<int> children;
  int visitors_with_children_recorded = 0;
  int visits_with_children_recorded = 0;
  // How visitors heard of the shop, by visit; visits recording nothing are
  // counted apart.
  std::map<std::string, int> referred_by;
  int referred_by_not_recorded = 0;
  // Feedback: the helpful share is of the visits that gave feedback; the
  // response rate is feedback given / visits. All three are absent when no
  // visit gave feedback (it was not collected, as far as the records say).
  int feedback_given = 0;
  std::optional<int> feedback_helpful;
  std::optional<double> helpful_share;
  std::optional<double> response_rate;
  // Visits in each month of the year begun by as_of, in order.
  std::vector<MonthVisits> months;
  // Among the months over by as_of in which the shop was open (a session
  // held or a visit made): the most and the fewest visits. Tied months are
  // all listed, in calendar order; empty when no month qualifies.
  std::vector<MonthVisits> busiest_months;
  std::vector<MonthVisits> quietest_months;
  // The same period of the year before (the whole year; for a partial year,
  // 1 July to as_of a year earlier), and the change on it:
  // (now - then) / then, absent when then is 0.
  int previous_visits = 0;
  int previous_visitors = 0;
  std::optional<double> visits_change;
  std::optional<double> visitors_change;
};

struct OneStopShopYear {
  int year_ending = 0;   // 2026
  std::string name;      // "2025/26"
  Date from;             // 1 July
  Date to;               // 30 June
  bool partial = false;  // Not over by as_of: counted to as_of only.
  Date counted_to;       // The earlier of `to` and as_of.
  OneStopShopFigures all_sites;
  // Every site of the report, also in years it had no visit.
  std::map<std::string, OneStopShopFigures> by_site;
};

// One agency's staffing of the sessions held in the report's last year.
struct AgencyStaffing {
  std::string agency;
  int sessions_committed = 0;
  int attended_when_committed = 0;
  int shortfall = 0;  // sessions_committed - attended_when_committed
  std::optional<double> shortfall_share;  // Of sessions committed.
  int attended_without_commitment = 0;    // Extra help.
};

struct OneStopShopReport {
  Date as_of;
  std::vector<std::string> sites;      // Sorted.
  std::vector<OneStopShopYear> years;  // Oldest first.
  // Sessions held in the last year up to as_of, and each agency named in
  // them, by name. Sessions after as_of are planned and left out.
  int staffing_sessions = 0;
  int sessions_after_as_of = 0;
  std::vector<AgencyStaffing> staffing;
  std::vector<std::string> notes;  // How things were counted, in words.
};

// Computes the return for the `options.years` years ending with
// `options.last_year_ending`. `people` maps person record ids to resolved
// person ids (as CaseFile::people); a record id it does not map is a person
// of its own. Visits and sessions outside the years are left out, except
// that the year before the first gives its change. Returns kInvalidArgument
// naming the field for: options out of range; an as_of before the last year
// begins; a visit or session refused by CheckOneStopShopVisit or
// CheckOneStopShopSession ("visits[3].children"); a visit_id or session_id
// used twice; a visit dated after as_of. Pure and thread-safe.
Result<OneStopShopReport> ComputeOneStopShopReport(
    std::span<const OneStopShopVisit> visits,
    std::span<const OneStopShopSession> sessions,
    const std::vector<std::pair<std::string, std::string>>& people,
    const OneStopShopOptions& options);

// Renderings: JSON (absent figures are null), Markdown, and a plain
// printable HTML page with all text escaped.
std::string OneStopShopJson(const OneStopShopReport& report);
std::string OneStopShopMarkdown(const OneStopShopReport& report);
std::string OneStopShopHtml(const OneStopShopReport& report);

}  // namespace marac

#endif  // MARAC_REPORT_ONE_STOP_SHOP_H_
