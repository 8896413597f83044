// The store's schema: the migrations in order, and applying them. Internal
// to lib/store.
#ifndef MARAC_LIB_STORE_SCHEMA_H_
#define MARAC_LIB_STORE_SCHEMA_H_

#include "lib/store/db.h"
#include "marac/common/result.h"
#include "marac/common/status.h"

namespace marac {

// The schema version this build creates and migrates to.
extern const int kLatestSchema;

// The store's schema version (SQLite: PRAGMA user_version; PostgreSQL: the
// marac_schema table, 0 before the first migration made it).
Result<int> UserVersion(db::Connection& db);
// Records `version` as the store's, inside the migrating transaction.
Status SetUserVersion(db::Connection& db, int version);

// Applies migrations `from` + 1 .. `to` in order, inside the caller's
// transaction (a failed step leaves the file as it was once the caller
// rolls back); the message names the version that failed. Does not set
// the version (SetUserVersion).
Status MigrateSchema(db::Connection& db, int from, int to);

}  // namespace marac

#endif  // MARAC_LIB_STORE_SCHEMA_H_
