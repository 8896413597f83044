// The one place where wire messages (marac.v1) meet the library's types,
// one file per proto area: common_wire (limits, field checks, dates,
// grades, criteria, formats), assessment_wire, referral_wire,
// linkage_wire, agenda_wire, statistics_wire, audit_wire and meeting_wire;
// the status mapping is rpc_status. This header includes them all, for a
// caller that speaks several areas.
//
//   FieldViolations violations;
//   const std::optional<StoredReferral> referral = ReferralFromWire(
//       request.referral(), limits, "referral", violations);
//   if (!referral) return violations.ToStatus();
#ifndef MARAC_SERVICES_WIRE_CONVERT_H_
#define MARAC_SERVICES_WIRE_CONVERT_H_

#include "services/wire/agenda_wire.h"
#include "services/wire/assessment_wire.h"
#include "services/wire/audit_wire.h"
#include "services/wire/common_wire.h"
#include "services/wire/linkage_wire.h"
#include "services/wire/meeting_wire.h"
#include "services/wire/referral_wire.h"
#include "services/wire/rpc_status.h"
#include "services/wire/statistics_wire.h"

#endif  // MARAC_SERVICES_WIRE_CONVERT_H_
