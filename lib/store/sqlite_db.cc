// The SQLite engine of the store's connection (lib/store/db.h).
#include <sqlite3.h>

#include <utility>

#include "lib/store/db.h"

namespace marac::db {
namespace {

// The Status for SQLite result `code` while doing `what` on `db`.
Status Error(sqlite3* db, int code, std::string_view what) {
  const std::string detail =
      std::string(what) + ": " +
      (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code));
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status(StatusCode::kUnavailable,
                    "the store is locked by another writer (" + detail + ")");
    case SQLITE_FULL:
      return Status(StatusCode::kUnavailable,
                    "the disk is full; nothing was written (" + detail + ")");
    case SQLITE_IOERR:
      return Status(StatusCode::kUnavailable,
                    "input/output error; nothing was written (" + detail + ")");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return Status(StatusCode::kUnavailable,
                    "cannot open or write the store (" + detail + ")");
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return Status(
          StatusCode::kDataLoss,
          "the store file is not a database or is corrupt (" + detail + ")");
    case SQLITE_CONSTRAINT:
      // Extended codes are on (Connection::Open): a repeated key is the
      // caller's duplicate; a missing referent or a failed check is not.
      if (code == SQLITE_CONSTRAINT_PRIMARYKEY ||
          code == SQLITE_CONSTRAINT_UNIQUE) {
        return Status(StatusCode::kAlreadyExists,
                      "already stored (" + detail + ")");
      }
      if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return Status(
            StatusCode::kFailedPrecondition,
            "names something the store does not hold (" + detail + ")");
      }
      return Status(StatusCode::kFailedPrecondition,
                    "a store constraint failed (" + detail + ")");
    default:
      return Internal("store: " + detail);
  }
}

class SqliteStatement final : public StatementImpl {
 public:
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }

  void Bind(int index, std::string_view text) override {
    Check(sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                              SQLITE_TRANSIENT, SQLITE_UTF8));
  }
  void Bind(int index, std::int64_t value) override {
    Check(sqlite3_bind_int64(stmt_, index, value));
  }
  void BindNull(int index) override { Check(sqlite3_bind_null(stmt_, index)); }

  Result<bool> Step() override {
    if (!bind_error_.ok()) return bind_error_;
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return Error(db_, rc, "running a statement");
  }

  void Reset() override {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_error_ = Status::Ok();
  }

  std::string Text(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<std::size_t>(size));
  }
  std::int64_t Int(int column) const override {
    return sqlite3_column_int64(stmt_, column);
  }
  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && bind_error_.ok()) {
      bind_error_ = Error(db_, rc, "binding a parameter");
    }
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status bind_error_;
};

// SQLite virtual machine instructions between two checks of a deadline: a
// few microseconds of work, against a check of some tens of nanoseconds.
constexpr int kInstructionsPerCheck = 1000;

class SqliteConnection final : public ConnectionImpl {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;
  ~SqliteConnection() override { sqlite3_close_v2(db_); }

  Engine engine() const override { return Engine::kSqlite; }

  Result<Statement> Prepare(std::string_view sql) override {
    sqlite3_stmt* stmt = nullptr;
    const int rc = sqlite3_prepare_v2(
        db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return Error(db_, rc, "preparing a statement");
    }
    return Statement(std::make_unique<SqliteStatement>(db_, stmt));
  }

  Status Exec(std::string_view sql) override {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return Error(db_, rc, "running SQL");
    return Status::Ok();
  }

  Status Begin() override { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() override { return Exec("COMMIT"); }
  Status Rollback() override { return Exec("ROLLBACK"); }

  void SetInterrupt(InterruptAt* interrupt) override {
    if (interrupt == nullptr) {
      sqlite3_progress_handler(db_, 0, nullptr, nullptr);
    } else {
      sqlite3_progress_handler(db_, kInstructionsPerCheck,
                               &SqliteConnection::OnProgress, interrupt);
    }
  }

 private:
  static int OnProgress(void* interrupt) {
    return static_cast<InterruptAt*>(interrupt)->Expired() ? 1 : 0;
  }

  sqlite3* db_;
};

}  // namespace

Result<Connection> OpenSqlite(const std::string& path, bool create) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
                    (create ? SQLITE_OPEN_CREATE : 0);
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status error = Error(db, rc, "opening " + path);
    sqlite3_close_v2(db);
    if ((rc & 0xff) == SQLITE_CANTOPEN && !create) {
      return NotFound("store " + path + ": no such file");
    }
    return error;
  }
  sqlite3_extended_result_codes(db, 1);
  return Connection(std::make_unique<SqliteConnection>(db));
}

}  // namespace marac::db
