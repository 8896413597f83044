// The audit area (marac/v1/audit.proto): entries of the log and a
// verification to the wire, and entries back (the client's who-saw).
//
//   for (const AuditEntry& e : *page) AuditEntryToWire(e,
//   response->add_entries());
#ifndef MARAC_SERVICES_WIRE_AUDIT_WIRE_H_
#define MARAC_SERVICES_WIRE_AUDIT_WIRE_H_

#include "marac/store/store.h"
#include "marac/v1/audit.pb.h"
#include "services/wire/common_wire.h"

namespace marac {

void AuditEntryToWire(const AuditEntry& entry, v1::AuditEntry* out);
AuditEntry AuditEntryFromWire(const v1::AuditEntry& entry);
void AuditVerificationToWire(const AuditVerification& verification,
                             v1::VerifyAuditResponse* out);

}  // namespace marac

#endif  // MARAC_SERVICES_WIRE_AUDIT_WIRE_H_
