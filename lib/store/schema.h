// The store's schema: the migrations in order, and applying them. Internal
// to lib/store.
#ifndef MARAC_LIB_STORE_SCHEMA_H_
#define MARAC_LIB_STORE_SCHEMA_H_

#include "lib/store/sqlite_db.h"
#include "marac/common/result.h"
#include "marac/common/status.h"

namespace marac {

// The schema version this build creates and migrates to.
extern const int kLatestSchema;

// The file's schema version (PRAGMA user_version).
Result<int> UserVersion(sqlite::Connection& db);

// Applies migrations `from` + 1 .. `to` in order, inside the caller's
// transaction (a failed step leaves the file as it was once the caller
// rolls back); the message names the version that failed. Does not set
// user_version.
Status MigrateSchema(sqlite::Connection& db, int from, int to);

}  // namespace marac

#endif  // MARAC_LIB_STORE_SCHEMA_H_
