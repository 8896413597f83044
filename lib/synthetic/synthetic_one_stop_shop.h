// Seeded One Stop Shop records for a synthetic borough: the sessions of
// two sites (a weekly hub and a fortnightly library drop-in, on working
// days) over several July-to-June years, the agencies that committed to
// each and those that came (a few absences, now and then extra help), and
// the visits made at them. About 900 to 1,100 visitors a year, as the
// domain notes' Kent example (1,054 in 2011/12, up 18% on 891), rising
// over the years with a dip; quieter in August and December. Some visitors
// are the borough's victims (their visit names one of their records, so
// identity resolution finds the same person), the rest anonymous; most are
// women living in the borough; they heard of the shop from many places;
// about 60% give feedback, mostly that it helped. Invented, like the
// borough.
//
//   const SyntheticOneStopShops oss = SyntheticOneStopShopYears(
//       borough, *WorkingCalendar::Shipped(), seed, {.last_year_ending =
//       2026});
#ifndef MARAC_SYNTHETIC_SYNTHETIC_ONE_STOP_SHOP_H_
#define MARAC_SYNTHETIC_SYNTHETIC_ONE_STOP_SHOP_H_

#include <cstdint>
#include <vector>

#include "lib/synthetic/synthetic_borough.h"
#include "marac/calendar/calendar.h"
#include "marac/casefile/one_stop_shop.h"

namespace marac {

struct SyntheticOneStopShopOptions {
  // The last July-to-June year, by the June it ends in (2026: 2025/26),
  // and how many years end with it.
  int last_year_ending = 2026;
  int years = 5;
  // Visits in the last year across both sites, before chance; earlier
  // years have fewer.
  int last_year_visits = 1180;
};

struct SyntheticOneStopShops {
  std::vector<OneStopShopVisit> visits;      // By date, then site.
  std::vector<OneStopShopSession> sessions;  // By date, then site.
};

// The years' sessions and visits. Sessions fall on working days of
// `calendar` (a bank holiday moves to the next working day), which must
// cover the years. A visitor's record id, when given, is a victim record
// of `borough`.
SyntheticOneStopShops SyntheticOneStopShopYears(
    const SyntheticBorough& borough, const WorkingCalendar& calendar,
    std::uint64_t seed, const SyntheticOneStopShopOptions& options = {});

}  // namespace marac

#endif  // MARAC_SYNTHETIC_SYNTHETIC_ONE_STOP_SHOP_H_
