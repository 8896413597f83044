// Equality monitoring counted over a set of cases, shared by the returns
// (statistics.cc, safelives_return.cc). Private to lib/report.
#ifndef MARAC_LIB_REPORT_EQUALITY_H_
#define MARAC_LIB_REPORT_EQUALITY_H_

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>

namespace marac {

// One equality figure over the period's cases: how many recorded the
// field (not empty, not "not_stated") and how many of those count.
struct EqualityTally {
  int recorded = 0;
  int counted = 0;
  void Add(const std::string& value,
           std::initializer_list<std::string_view> counts) {
    if (value.empty() || value == "not_stated") return;
    ++recorded;
    counted += std::find(counts.begin(), counts.end(), value) != counts.end();
  }
};

}  // namespace marac

#endif  // MARAC_LIB_REPORT_EQUALITY_H_
