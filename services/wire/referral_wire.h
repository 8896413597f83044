// The referral area (marac/v1/referral.proto): a referral to submit, from
// the wire and checked; a stored referral to the wire.
//
//   const std::optional<StoredReferral> referral = ReferralFromWire(
//       request.referral(), caller.agency, limits, "referral", violations);
//   if (!referral) return violations.ToStatus();
#ifndef MARAC_SERVICES_WIRE_REFERRAL_WIRE_H_
#define MARAC_SERVICES_WIRE_REFERRAL_WIRE_H_

#include <optional>
#include <string_view>

#include "marac/casefile/case_file.h"
#include "marac/v1/referral.pb.h"
#include "services/wire/common_wire.h"

namespace marac {

// A referral to submit. referral_id and agency must be empty on the wire
// (the server sets them); `agency` is the caller's.
std::optional<StoredReferral> ReferralFromWire(const v1::Referral& referral,
                                               std::string_view agency,
                                               const WireLimits& limits,
                                               std::string_view field,
                                               FieldViolations& violations);
// Whether a referral on the wire carries its equality monitoring: only
// back to the submission it came with (the caller sent it) and on the way
// in; a read of a stored referral leaves it out, since it is counted in
// returns and never disclosed case by case.
enum class EqualityOnWire { kInclude, kOmit };
void ReferralToWire(const StoredReferral& referral, v1::Referral* out,
                    EqualityOnWire equality = EqualityOnWire::kInclude);
// Whether two referrals say the same, apart from their referral ids (an
// idempotent retry).
bool SameReferral(const StoredReferral& a, const StoredReferral& b);

}  // namespace marac

#endif  // MARAC_SERVICES_WIRE_REFERRAL_WIRE_H_
