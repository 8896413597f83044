#include "lib/store/sqlite_db.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace marac::sqlite {

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

Statement::Statement(Statement&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(std::move(other.bind_error_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = std::exchange(other.db_, nullptr);
    stmt_ = std::exchange(other.stmt_, nullptr);
    bind_error_ = std::move(other.bind_error_);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::Bind(int index, std::string_view text) {
  const int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK && bind_error_.ok()) {
    bind_error_ = Error(db_, rc, "binding a parameter");
  }
  return *this;
}

Statement& Statement::Bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_.ok()) {
    bind_error_ = Error(db_, rc, "binding a parameter");
  }
  return *this;
}

Statement& Statement::BindNull(int index) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_.ok()) {
    bind_error_ = Error(db_, rc, "binding a parameter");
  }
  return *this;
}

Result<bool> Statement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error(db_, rc, "running a statement");
}

Status Statement::Run() {
  // Reset whatever happens, so a statement held for reuse is ready again.
  for (;;) {
    const Result<bool> row = Step();
    if (!row.ok()) {
      Reset();
      return row.status();
    }
    if (!*row) break;
  }
  Reset();
  return Status::Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_ = Status::Ok();
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(size));
}

std::int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<Connection> Connection::Open(const std::string& path, bool create) {
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
  return Connection(db);
}

Connection::Connection(Connection&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Connection::~Connection() { sqlite3_close_v2(db_); }

Result<Statement> Connection::Prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(
      db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(db_, rc, "preparing a statement");
  }
  return Statement(db_, stmt);
}

Status Connection::Exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) return Error(db_, rc, "running SQL");
  return Status::Ok();
}

Result<Transaction> Transaction::Begin(Connection& connection) {
  MARAC_RETURN_IF_ERROR(connection.Exec("BEGIN IMMEDIATE"));
  return Transaction(&connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction::~Transaction() {
  if (connection_ != nullptr) (void)connection_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  if (connection_ == nullptr) return Internal("transaction already ended");
  const Status committed = connection_->Exec("COMMIT");
  if (!committed.ok()) return committed;  // Rolled back by the destructor.
  connection_ = nullptr;
  return Status::Ok();
}

namespace {

// SQLite virtual machine instructions between two checks of a deadline: a
// few microseconds of work, against a check of some tens of nanoseconds.
constexpr int kInstructionsPerCheck = 1000;

}  // namespace

InterruptAt::InterruptAt(Connection& connection, const Deadline& deadline,
                         std::string_view what)
    : deadline_(deadline), what_(what) {
  if (!deadline_.active()) return;
  db_ = connection.get();
  sqlite3_progress_handler(db_, kInstructionsPerCheck, &InterruptAt::OnProgress,
                           this);
}

InterruptAt::~InterruptAt() {
  if (db_ != nullptr) sqlite3_progress_handler(db_, 0, nullptr, nullptr);
}

int InterruptAt::OnProgress(void* self) {
  auto* interrupt = static_cast<InterruptAt*>(self);
  if (!interrupt->stopped_.ok()) return 1;  // Stopped already: stay stopped.
  Status checked = interrupt->deadline_.Check(interrupt->what_);
  if (checked.ok()) return 0;
  interrupt->stopped_ = std::move(checked);
  return 1;
}

std::string JsonList(const std::vector<std::string>& items) {
  return nlohmann::json(items).dump();
}

std::vector<std::string> ParseList(const std::string& text) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> out;
  if (!j.is_array()) return out;
  for (const auto& item : j) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

}  // namespace marac::sqlite
