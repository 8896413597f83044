// The statistics area (marac/v1/statistics.proto): the returns' figures to
// the wire.
//
//   StatisticsToWire(*statistics, response->mutable_statistics());
#ifndef MARAC_SERVICES_WIRE_STATISTICS_WIRE_H_
#define MARAC_SERVICES_WIRE_STATISTICS_WIRE_H_

#include "marac/report/statistics.h"
#include "marac/v1/statistics.pb.h"
#include "services/wire/common_wire.h"

namespace marac {

void StatisticsToWire(const Statistics& statistics, v1::Statistics* out);

}  // namespace marac

#endif  // MARAC_SERVICES_WIRE_STATISTICS_WIRE_H_
