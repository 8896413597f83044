// The store's database connection, for either engine (not public): SQLite,
// the embedded default, or PostgreSQL, where several servers share one
// store. One connection, statements with bound parameters only, written
// as SQLite numbers them (?1, ?2: PostgreSQL's $1, $2 are put in), and each
// engine's errors mapped to the project's Status. The SQL that differs
// between the two (types, the schema version, the last id inserted) asks
// the connection which engine it has.
//
//   MARAC_ASSIGN_OR_RETURN(db::Connection c, db::OpenSqlite(path, true));
//   MARAC_ASSIGN_OR_RETURN(db::Transaction tx, db::Transaction::Begin(c));
//   MARAC_ASSIGN_OR_RETURN(db::Statement s, c.Prepare("SELECT ?1"));
#ifndef MARAC_LIB_STORE_DB_H_
#define MARAC_LIB_STORE_DB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/deadline.h"
#include "marac/common/result.h"
#include "marac/common/status.h"

namespace marac::db {

enum class Engine { kSqlite, kPostgres };

// One engine's prepared statement.
class StatementImpl {
 public:
  virtual ~StatementImpl() = default;
  virtual void Bind(int index, std::string_view text) = 0;
  virtual void Bind(int index, std::int64_t value) = 0;
  virtual void BindNull(int index) = 0;
  virtual Result<bool> Step() = 0;
  virtual void Reset() = 0;
  virtual std::string Text(int column) const = 0;
  virtual std::int64_t Int(int column) const = 0;
  virtual bool IsNull(int column) const = 0;
};

class Statement {
 public:
  Statement() = default;
  explicit Statement(std::unique_ptr<StatementImpl> impl)
      : impl_(std::move(impl)) {}

  // Parameters count from 1, as in SQLite.
  Statement& Bind(int index, std::string_view text) {
    impl_->Bind(index, text);
    return *this;
  }
  Statement& Bind(int index, std::int64_t value) {
    impl_->Bind(index, value);
    return *this;
  }
  Statement& BindNull(int index) {
    impl_->BindNull(index);
    return *this;
  }

  // Runs one step: true when a row is ready, false when done.
  Result<bool> Step() { return impl_->Step(); }
  // Runs to completion (for statements that return no rows), then resets,
  // whether it succeeded or not.
  Status Run();
  void Reset() { impl_->Reset(); }

  std::string Text(int column) const { return impl_->Text(column); }
  std::int64_t Int(int column) const { return impl_->Int(column); }
  bool IsNull(int column) const { return impl_->IsNull(column); }

 private:
  std::unique_ptr<StatementImpl> impl_;
};

class InterruptAt;

// One engine's connection. A failed statement undoes only itself on SQLite
// but aborts the whole transaction on PostgreSQL: callers never go on
// after a failed statement except by rolling back to a SAVEPOINT of their
// own.
class ConnectionImpl {
 public:
  virtual ~ConnectionImpl() = default;
  virtual Engine engine() const = 0;
  virtual Result<Statement> Prepare(std::string_view sql) = 0;
  virtual Status Exec(std::string_view sql) = 0;
  // Starts the transaction every store call runs in: one writer at a time
  // (SQLite's BEGIN IMMEDIATE; on PostgreSQL a transaction-scoped advisory
  // lock, so that calls from several servers append to one audit chain in
  // turn).
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  // While `interrupt` is set, statements stop once its deadline passes
  // (see InterruptAt); nullptr removes it.
  virtual void SetInterrupt(InterruptAt* interrupt) = 0;
};

class Connection {
 public:
  explicit Connection(std::unique_ptr<ConnectionImpl> impl)
      : impl_(std::move(impl)) {}

  Engine engine() const { return impl_->engine(); }
  Result<Statement> Prepare(std::string_view sql) {
    return impl_->Prepare(sql);
  }
  // Runs `sql` (one or more statements, no parameters).
  Status Exec(std::string_view sql) { return impl_->Exec(sql); }
  ConnectionImpl& impl() { return *impl_; }

 private:
  std::unique_ptr<ConnectionImpl> impl_;
};

// The store's transaction (ConnectionImpl::Begin), rolled back unless
// committed.
class Transaction {
 public:
  static Result<Transaction> Begin(Connection& connection);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Connection* connection) : connection_(connection) {}
  Connection* connection_ = nullptr;
};

// While alive, stops the statements of `connection` once `deadline`
// expires: the statement running then fails, and stopped() holds the
// deadline's status (Deadline::Check(what)). Installs nothing for a
// deadline that cannot expire. For reads only, inside a transaction: never
// keep one alive around a write, a COMMIT or a ROLLBACK.
class InterruptAt {
 public:
  // `what` must outlive this object.
  InterruptAt(Connection& connection, const Deadline& deadline,
              std::string_view what);
  InterruptAt(const InterruptAt&) = delete;
  InterruptAt& operator=(const InterruptAt&) = delete;
  ~InterruptAt();  // Removes it.

  // OK unless the deadline stopped a statement.
  const Status& stopped() const { return stopped_; }
  const Deadline& deadline() const { return deadline_; }
  // The engine's: true (and stopped() set) once the deadline has passed or
  // the caller cancelled.
  bool Expired();
  // The engine's, when a statement failed because it was stopped: sets
  // stopped() to the deadline's status, or kDeadlineExceeded when the
  // engine's own clock ran out first.
  void Stopped();

 private:
  ConnectionImpl* connection_ = nullptr;  // Null: nothing installed.
  Deadline deadline_;
  std::string_view what_;
  Status stopped_;
};

// Opens the SQLite file at `path` read-write (creating it when `create`).
Result<Connection> OpenSqlite(const std::string& path, bool create);
// Connects to the PostgreSQL database at `uri` (postgresql://...) and runs
// `session_sql` (SET statements) in the session. A connection lost between
// transactions is replaced at the next Begin, with the same settings; one
// lost inside a transaction fails it (kUnavailable), and the next Begin
// reconnects.
Result<Connection> OpenPostgres(const std::string& uri,
                                const std::string& session_sql);

// The SQL for the id the last INSERT into a table with a generated key
// gave, on this engine.
std::string_view LastInsertIdSql(Engine engine);
// The SQL for "`haystack` contains `needle`" (1-based position > 0).
std::string ContainsSql(Engine engine, std::string_view haystack,
                        std::string_view needle);

// A list column: the items as a JSON array of strings, and back (anything
// but an array of strings reads as the strings it holds, or none).
std::string JsonList(const std::vector<std::string>& items);
std::vector<std::string> ParseList(const std::string& text);

}  // namespace marac::db

#endif  // MARAC_LIB_STORE_DB_H_
