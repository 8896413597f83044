// Thin RAII wrappers over the SQLite C API for the store (not public):
// one connection, prepared statements with bound parameters only, and
// SQLite result codes mapped to the project's Status.
#ifndef MARAC_LIB_STORE_SQLITE_DB_H_
#define MARAC_LIB_STORE_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/deadline.h"
#include "marac/common/result.h"
#include "marac/common/status.h"

namespace marac::sqlite {

// The Status for SQLite result `code` while doing `what` on `db`.
Status Error(sqlite3* db, int code, std::string_view what);

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters count from 1, as in SQLite.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, std::int64_t value);
  Statement& BindNull(int index);

  // Runs one step: true when a row is ready, false when done.
  Result<bool> Step();
  // Runs to completion (for statements that return no rows), then resets,
  // whether it succeeded or not.
  Status Run();
  void Reset();

  std::string Text(int column) const;
  std::int64_t Int(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  Status bind_error_;
};

class Connection {
 public:
  // Opens `path` read-write (creating it when `create`).
  static Result<Connection> Open(const std::string& path, bool create);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  Result<Statement> Prepare(std::string_view sql);
  // Runs `sql` (one or more statements, no parameters).
  Status Exec(std::string_view sql);
  sqlite3* get() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// A BEGIN IMMEDIATE transaction, rolled back unless committed.
class Transaction {
 public:
  static Result<Transaction> Begin(Connection& connection);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Connection* connection) : connection_(connection) {}
  Connection* connection_ = nullptr;
};

// While alive, stops the statements of `connection` once `deadline`
// expires: the statement running then fails with SQLITE_INTERRUPT, and
// stopped() holds the deadline's status (Deadline::Check(what)). Installs
// nothing for a deadline that cannot expire. For reads only: never keep
// one alive around a write, a COMMIT or a ROLLBACK, where an interrupt
// would make SQLite roll back what the caller asked to keep.
class InterruptAt {
 public:
  // `what` must outlive this object.
  InterruptAt(Connection& connection, const Deadline& deadline,
              std::string_view what);
  InterruptAt(const InterruptAt&) = delete;
  InterruptAt& operator=(const InterruptAt&) = delete;
  ~InterruptAt();  // Removes the handler.

  // OK unless the deadline stopped a statement.
  const Status& stopped() const { return stopped_; }

 private:
  static int OnProgress(void* self);

  sqlite3* db_ = nullptr;  // Null: nothing installed.
  Deadline deadline_;
  std::string_view what_;
  Status stopped_;
};

// A list column: the items as a JSON array of strings, and back (anything
// but an array of strings reads as the strings it holds, or none).
std::string JsonList(const std::vector<std::string>& items);
std::vector<std::string> ParseList(const std::string& text);

}  // namespace marac::sqlite

#endif  // MARAC_LIB_STORE_SQLITE_DB_H_
