// The statistics a MARAC service returns to its council each year and to
// SafeLives each quarter, over a period, each figure beside the national
// one where one exists (domain.md section 9). Figures the store does not
// hold are reported as not recorded, never guessed.
//
//   Result<Statistics> s = ComputeStatistics(data, from, to, {});
//   std::string md = StatisticsMarkdown(*s);
#ifndef MARAC_REPORT_STATISTICS_H_
#define MARAC_REPORT_STATISTICS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "marac/casefile/case_file.h"
#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

// What the statistics are computed from: a case file (the listings say
// which referrals each meeting heard).
using StatisticsInput = CaseFile;

struct StatisticsOptions {
  // Women aged 16 and over in the area, for cases per 10,000 (0: omitted).
  std::int64_t adult_women = 0;
  int repeat_window_months = 12;
  // Also count the period of the same length just before, beside each
  // figure (Figure::previous).
  bool compare_previous = false;
};

struct Figure {
  std::string id;               // e.g. "repeat_rate"
  std::string label;            // Plain English.
  std::optional<double> value;  // Absent: not recorded.
  std::optional<double> national;
  std::string note;  // How it was counted, or why it is absent.
  // The same figure over the previous period (compare_previous); absent
  // when not asked for or not recorded then.
  std::optional<double> previous = {};
};

struct Statistics {
  Date from;
  Date to;
  std::vector<Figure> figures;
  std::map<std::string, int> referrals_by_agency;
  std::map<std::string, int> referrals_by_source;
  // MARAC referrals made BY an IDVA, by quarter ("2026-Q1"): a referral
  // route, not the IDVA service's own intake.
  std::map<std::string, int> idva_referrals_by_quarter;
  // Referrals INTO the IDVA service, by quarter: MARAC cases allocated to
  // an IDVA (IdvaSupport.allocated_on) in the period.
  std::map<std::string, int> idva_allocations_by_quarter = {};
  // The quarters above that the period covers only in part.
  std::vector<std::string> partial_quarters = {};
  // The previous period, when compared.
  std::optional<Date> previous_from = {};
  std::optional<Date> previous_to = {};
};

// kInvalidArgument when `to` is before `from`.
Result<Statistics> ComputeStatistics(const StatisticsInput& input, Date from,
                                     Date to,
                                     const StatisticsOptions& options = {});

std::string StatisticsJson(const Statistics& statistics);
std::string StatisticsMarkdown(const Statistics& statistics);
std::string StatisticsHtml(const Statistics& statistics);

}  // namespace marac

#endif  // MARAC_REPORT_STATISTICS_H_
