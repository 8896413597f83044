// The audit log's hash chain: what a row_hash covers, where the chain
// starts, and chaining the rows written before the chain existed. Internal
// to lib/store.
#ifndef MARAC_LIB_STORE_AUDIT_CHAIN_H_
#define MARAC_LIB_STORE_AUDIT_CHAIN_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "lib/store/db.h"
#include "marac/common/status.h"
#include "marac/store/store.h"

namespace marac {

// The chain's start: the prev_hash of the first entry.
inline constexpr std::string_view kChainStart =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The canonical form of an audit entry that its row_hash covers: a JSON
// array of every column in order, object ids as stored, then prev_hash.
std::string CanonicalAudit(std::int64_t sequence, const AuditEntry& e,
                           std::string_view object_ids_json,
                           std::string_view prev_hash);

// The audit_log columns, in the order ReadAuditRow reads them.
inline constexpr std::string_view kAuditColumns =
    "sequence, at, \"user\", role, agency, purpose, action, object_type, "
    "object_ids, outcome, request_id, peer, prev_hash, row_hash";

// One audit_log row selected as kAuditColumns: the entry (its object ids
// parsed), and the object ids as stored, which the row_hash covers.
struct AuditRow {
  AuditEntry entry;
  std::string object_ids_json;
};
AuditRow ReadAuditRow(const db::Statement& select);

// Migration 4's second half (see schema.cc).
Status ChainExistingAudit(db::Connection& db);

}  // namespace marac

#endif  // MARAC_LIB_STORE_AUDIT_CHAIN_H_
