#include "services/wire/audit_wire.h"

namespace marac {

void AuditEntryToWire(const AuditEntry& e, v1::AuditEntry* out) {
  out->set_sequence(e.sequence);
  out->set_at(e.at);
  out->set_user(e.user);
  out->set_role(e.role);
  out->set_agency(e.agency);
  out->set_purpose(e.purpose);
  out->set_action(e.action);
  out->set_object_type(e.object_type);
  for (const std::string& id : e.object_ids) out->add_object_ids(id);
  out->set_outcome(e.outcome);
  out->set_request_id(e.request_id);
  out->set_peer(e.peer);
  out->set_prev_hash(e.prev_hash);
  out->set_row_hash(e.row_hash);
}

void AuditVerificationToWire(const AuditVerification& v,
                             v1::VerifyAuditResponse* out) {
  out->set_intact(v.intact);
  out->set_entries(v.entries);
  out->set_head_sequence(v.head_sequence);
  out->set_head_hash(v.head_hash);
  out->set_broken_at(v.broken_at);
  out->set_problem(v.problem);
}

AuditEntry AuditEntryFromWire(const v1::AuditEntry& e) {
  return {e.sequence(),
          e.at(),
          e.user(),
          e.role(),
          e.agency(),
          e.purpose(),
          e.action(),
          e.object_type(),
          {e.object_ids().begin(), e.object_ids().end()},
          e.outcome(),
          e.request_id(),
          e.peer(),
          e.prev_hash(),
          e.row_hash()};
}

}  // namespace marac
