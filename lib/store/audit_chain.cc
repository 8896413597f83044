#include "lib/store/audit_chain.h"

#include <nlohmann/json.hpp>

#include "lib/store/sha256.h"

namespace marac {

// The canonical form of an audit entry that its row_hash covers: a JSON
// array of every column in order, object ids as stored, then prev_hash.
std::string CanonicalAudit(std::int64_t sequence, const AuditEntry& e,
                           std::string_view object_ids_json,
                           std::string_view prev_hash) {
  nlohmann::json row = nlohmann::json::array(
      {sequence, e.at, e.user, e.role, e.agency, e.purpose, e.action,
       e.object_type, std::string(object_ids_json), e.outcome, e.request_id,
       e.peer, std::string(prev_hash)});
  return row.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

AuditRow ReadAuditRow(const db::Statement& select) {
  AuditRow r;
  AuditEntry& e = r.entry;
  e.sequence = select.Int(0);
  e.at = select.Text(1);
  e.user = select.Text(2);
  e.role = select.Text(3);
  e.agency = select.Text(4);
  e.purpose = select.Text(5);
  e.action = select.Text(6);
  e.object_type = select.Text(7);
  r.object_ids_json = select.Text(8);
  e.object_ids = db::ParseList(r.object_ids_json);
  e.outcome = select.Text(9);
  e.request_id = select.Text(10);
  e.peer = select.Text(11);
  e.prev_hash = select.Text(12);
  e.row_hash = select.Text(13);
  return r;
}

// Migration 4's second half: the entries written before the chain get
// their hashes, in order (the update trigger is lifted for this alone,
// inside the migration's transaction).
Status ChainExistingAudit(db::Connection& db) {
  const bool sqlite = db.engine() == db::Engine::kSqlite;
  MARAC_RETURN_IF_ERROR(db.Exec(sqlite
                                    ? "DROP TRIGGER audit_log_no_update"
                                    : "ALTER TABLE audit_log DISABLE TRIGGER "
                                      "audit_log_no_update"));
  MARAC_ASSIGN_OR_RETURN(db::Statement select,
                         db.Prepare("SELECT " + std::string(kAuditColumns) +
                                    " FROM audit_log ORDER BY sequence"));
  MARAC_ASSIGN_OR_RETURN(
      db::Statement update,
      db.Prepare("UPDATE audit_log SET prev_hash = ?2, row_hash = ?3 WHERE "
                 "sequence = ?1"));
  // Sequences run from 1 without gaps: rows were never deleted, and a
  // rolled-back insert rolls its AUTOINCREMENT back too.
  std::string prev(kChainStart);
  for (;;) {
    MARAC_ASSIGN_OR_RETURN(const bool row, select.Step());
    if (!row) break;
    const AuditRow r = ReadAuditRow(select);
    MARAC_ASSIGN_OR_RETURN(const std::string hash,
                           Sha256Hex(CanonicalAudit(r.entry.sequence, r.entry,
                                                    r.object_ids_json, prev)));
    update.Bind(1, r.entry.sequence).Bind(2, prev).Bind(3, hash);
    MARAC_RETURN_IF_ERROR(update.Run());
    prev = hash;
  }
  return db.Exec(
      sqlite ? "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
               "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
             : "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update");
}

}  // namespace marac
