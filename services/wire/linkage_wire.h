// The identity area (marac/v1/linkage.proto): a person record from the
// wire, checked; a record to the wire (the client's ResolveRecord); a
// match weight's terms.
//
//   const std::optional<PersonRecord> record = PersonRecordFromWire(
//       request.record(), limits, "record", violations);
#ifndef MARAC_SERVICES_WIRE_LINKAGE_WIRE_H_
#define MARAC_SERVICES_WIRE_LINKAGE_WIRE_H_

#include <optional>
#include <string_view>

#include "marac/common/status.h"
#include "marac/identity/linkage_model.h"
#include "marac/identity/person_record.h"
#include "marac/v1/linkage.pb.h"
#include "services/wire/common_wire.h"

namespace marac {

std::optional<PersonRecord> PersonRecordFromWire(const v1::PersonRecord& record,
                                                 const WireLimits& limits,
                                                 std::string_view field,
                                                 FieldViolations& violations);
// A record as sent to ResolveRecord: its date of birth must be a date
// (kInvalidArgument naming dob otherwise).
Status PersonRecordToWire(const PersonRecord& record, v1::PersonRecord* out);
void WeightTermToWire(const WeightTerm& term, v1::WeightTerm* out);

}  // namespace marac

#endif  // MARAC_SERVICES_WIRE_LINKAGE_WIRE_H_
