// The PostgreSQL engine of the store's connection (lib/store/db.h), on
// libpqxx. Statements run with the parameters bound server-side (never
// spliced into the SQL); BEGIN and COMMIT are sent as SQL so that the store
// decides where its transactions start and end, and the connection never
// reconnects on its own (a new session would silently leave the
// transaction).
#include <charconv>
#include <chrono>
#include <optional>
#include <pqxx/pqxx>

#include "lib/store/db.h"

namespace marac::db {
namespace {

// Every store transaction takes this transaction-scoped advisory lock
// first: one call at a time across every server on the database, as
// SQLite's BEGIN IMMEDIATE gives one writer per file. Each call appends to
// the one audit chain, and reads the entry before under the lock it
// commits with, so concurrent servers never fork the chain.
constexpr std::int64_t kStoreLock = 0x6d61726163;  // "marac"

// PostgreSQL numbers parameters $1, $2; the store writes ?1, ?2 as SQLite
// does. Outside quoted text and identifiers only.
std::string DollarParameters(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '?' && i + 1 < sql.size() && sql[i + 1] >= '0' &&
               sql[i + 1] <= '9') {
      out += '$';
      continue;
    }
    out += c;
  }
  return out;
}

Status FromSqlState(const std::string& state, const std::string& detail) {
  const auto is = [&](std::string_view prefix) {
    return state.compare(0, prefix.size(), prefix) == 0;
  };
  if (state == "23505") {
    return Status(StatusCode::kAlreadyExists,
                  "already stored (" + detail + ")");
  }
  if (state == "23503") {
    return Status(StatusCode::kFailedPrecondition,
                  "names something the store does not hold (" + detail + ")");
  }
  if (is("23") || state == "P0001") {
    return Status(StatusCode::kFailedPrecondition,
                  "a store constraint failed (" + detail + ")");
  }
  if (state == "22021" || state == "22P05") {
    return Status(StatusCode::kInvalidArgument,
                  "a text value is not valid UTF-8 (" + detail + ")");
  }
  if (state == "40001" || state == "40P01" || state == "55P03") {
    return Status(StatusCode::kUnavailable,
                  "the store is locked by another writer (" + detail + ")");
  }
  if (is("53")) {
    return Status(StatusCode::kUnavailable,
                  "the database server is out of space or memory; nothing "
                  "was written (" +
                      detail + ")");
  }
  if (is("08") || is("57P")) {
    return Status(StatusCode::kUnavailable,
                  "the database connection failed (" + detail + ")");
  }
  if (state == "3D000") {
    return Status(StatusCode::kNotFound, "no such database (" + detail + ")");
  }
  return Internal("store: " + detail);
}

// The first line of a server message: enough to name the problem.
std::string FirstLine(const char* what) {
  std::string s(what);
  const auto end = s.find('\n');
  return end == std::string::npos ? s : s.substr(0, end);
}

// A new session on `uri` with `session_sql` run in it.
Result<std::unique_ptr<pqxx::connection>> Connect(
    const std::string& uri, const std::string& session_sql) {
  try {
    auto connection = std::make_unique<pqxx::connection>(uri);
    // libpqxx 6 would otherwise reconnect by itself after a lost
    // connection, and the store's next statement would run outside the
    // transaction it belongs to, without the lock or the session's
    // settings: the store reconnects itself, only between transactions.
    // Deprecated because reactivation itself is going; until then it must
    // be off.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    connection->inhibit_reactivation(true);
#pragma GCC diagnostic pop
    if (!session_sql.empty()) {
      pqxx::nontransaction work(*connection);
      work.exec(session_sql);
    }
    return connection;
  } catch (const std::exception& e) {
    // The message may quote the URI with its password: say only what
    // failed, not how the server was addressed.
    std::string why = FirstLine(e.what());
    if (const auto at = why.find("password"); at != std::string::npos) {
      why = "authentication failed";
    }
    return Status(StatusCode::kUnavailable,
                  "cannot connect to the PostgreSQL store: " + why);
  }
}

class PostgresConnection;

class PostgresStatement final : public StatementImpl {
 public:
  PostgresStatement(PostgresConnection* connection, std::string sql)
      : connection_(connection), sql_(std::move(sql)) {}

  void Bind(int index, std::string_view text) override {
    if (text.find('\0') != std::string_view::npos && bind_error_.ok()) {
      bind_error_ = InvalidArgument(
          "parameter " + std::to_string(index),
          "holds a NUL byte, which the store cannot keep in text");
      return;
    }
    Slot(index) = std::string(text);
  }
  void Bind(int index, std::int64_t value) override {
    Slot(index) = std::to_string(value);
  }
  void BindNull(int index) override { Slot(index) = std::nullopt; }

  Result<bool> Step() override;

  void Reset() override {
    params_.clear();
    result_.reset();
    next_ = 0;
    bind_error_ = Status::Ok();
  }

  std::string Text(int column) const override {
    const pqxx::field f = Field(column);
    if (f.is_null()) return {};
    return std::string(f.c_str(), f.size());
  }
  std::int64_t Int(int column) const override {
    const pqxx::field f = Field(column);
    if (f.is_null()) return 0;
    const std::string_view text(f.c_str(), f.size());
    if (text == "t") return 1;  // A boolean expression.
    if (text == "f") return 0;
    std::int64_t value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
  }
  bool IsNull(int column) const override { return Field(column).is_null(); }

 private:
  std::optional<std::string>& Slot(int index) {
    const auto i = static_cast<std::size_t>(index - 1);
    if (params_.size() <= i) params_.resize(i + 1);
    return params_[i];
  }
  pqxx::field Field(int column) const {
    return (*result_)[static_cast<pqxx::result::size_type>(next_ - 1)]
                     [static_cast<pqxx::row::size_type>(column)];
  }

  PostgresConnection* connection_;
  std::string sql_;
  std::vector<std::optional<std::string>> params_;
  std::optional<pqxx::result> result_;
  std::size_t next_ = 0;  // Rows handed out.
  Status bind_error_;
};

class PostgresConnection final : public ConnectionImpl {
 public:
  PostgresConnection(std::unique_ptr<pqxx::connection> connection,
                     std::string uri, std::string session_sql)
      : connection_(std::move(connection)),
        uri_(std::move(uri)),
        session_sql_(std::move(session_sql)) {}

  Engine engine() const override { return Engine::kPostgres; }

  Result<Statement> Prepare(std::string_view sql) override {
    return Statement(
        std::make_unique<PostgresStatement>(this, DollarParameters(sql)));
  }

  Status Exec(std::string_view sql) override {
    return Run(std::string(sql), {}).status();
  }

  Status Begin() override {
    // Between transactions a lost connection is replaced (a database
    // restart or failover): nothing of a transaction is lost with it. Also
    // when BEGIN itself finds the connection gone.
    if (broken_) MARAC_RETURN_IF_ERROR(Reconnect());
    if (const Status begun = Exec("BEGIN"); !begun.ok()) {
      if (!broken_) return begun;
      MARAC_RETURN_IF_ERROR(Reconnect());
      MARAC_RETURN_IF_ERROR(Exec("BEGIN"));
    }
    in_transaction_ = true;
    // One store-wide lock per transaction, released at COMMIT: the audit
    // chain stays linear, and identity_changes' sequence numbers commit in
    // order, so a server following them after number N misses nothing
    // (HeldPeople). Narrowing this lock must keep both true.
    const Status locked = Exec("SELECT pg_advisory_xact_lock(" +
                               std::to_string(kStoreLock) + ")");
    if (!locked.ok()) (void)Rollback();
    return locked;
  }
  Status Commit() override {
    const Status committed = Exec("COMMIT");
    if (committed.ok()) in_transaction_ = false;
    return committed;
  }
  Status Rollback() override {
    in_transaction_ = false;
    return Exec("ROLLBACK");
  }

  void SetInterrupt(InterruptAt* interrupt) override {
    interrupt_ = interrupt;
    if (!in_transaction_) return;
    // The server stops a statement that outlives the deadline; Step checks
    // the deadline (and a cancellation) between rows.
    std::int64_t ms = 0;
    if (interrupt != nullptr &&
        interrupt->deadline().when() != Deadline::Clock::time_point::max()) {
      ms = std::max<std::int64_t>(
          1, std::chrono::duration_cast<std::chrono::milliseconds>(
                 interrupt->deadline().when() - Deadline::Clock::now())
                     .count() +
                 1);
    }
    (void)Exec("SET LOCAL statement_timeout = " + std::to_string(ms));
  }

  InterruptAt* interrupt() const { return interrupt_; }

  // Runs `sql` with `params`. A statement that fails aborts the
  // transaction on PostgreSQL (SQLite undoes only the statement): the
  // store never goes on after a failed statement but through its own
  // SAVEPOINTs (SubmitEach), and rolls back otherwise.
  Result<pqxx::result> Run(
      const std::string& sql,
      const std::vector<std::optional<std::string>>& params) {
    return RunOne(sql, params);
  }

 private:
  Status Reconnect() {
    MARAC_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> fresh,
                           Connect(uri_, session_sql_));
    connection_ = std::move(fresh);
    broken_ = false;
    in_transaction_ = false;
    return Status::Ok();
  }

  Result<pqxx::result> RunOne(
      const std::string& sql,
      const std::vector<std::optional<std::string>>& params) {
    if (broken_) {
      return Status(StatusCode::kUnavailable,
                    "the database connection was lost; the next call "
                    "reconnects");
    }
    try {
      pqxx::nontransaction work(*connection_);
      if (params.empty()) return work.exec(sql);
      std::vector<const char*> values;
      values.reserve(params.size());
      for (const std::optional<std::string>& p : params) {
        values.push_back(p ? p->c_str() : nullptr);
      }
      return work.exec_params(sql, pqxx::prepare::make_dynamic_params(values));
    } catch (const pqxx::broken_connection& e) {
      broken_ = true;  // Whatever the transaction held is gone with it.
      return Status(
          StatusCode::kUnavailable,
          "the database connection was lost (" + FirstLine(e.what()) + ")");
    } catch (const pqxx::sql_error& e) {
      // A session the server ended (57P01 on a terminated backend) is as
      // lost as a broken socket.
      if (!connection_->is_open() || e.sqlstate().starts_with("57P")) {
        broken_ = true;
      }
      if (e.sqlstate() == "57014" && interrupt_ != nullptr) {
        interrupt_->Stopped();
        return interrupt_->stopped();
      }
      return FromSqlState(e.sqlstate(), FirstLine(e.what()));
    } catch (const std::exception& e) {
      return Internal("store: " + FirstLine(e.what()));
    }
  }

  std::unique_ptr<pqxx::connection> connection_;
  std::string uri_;
  std::string session_sql_;  // Run in every new session.
  bool in_transaction_ = false;
  bool broken_ = false;
  InterruptAt* interrupt_ = nullptr;
};

Result<bool> PostgresStatement::Step() {
  if (!bind_error_.ok()) return bind_error_;
  if (InterruptAt* interrupt = connection_->interrupt();
      interrupt != nullptr && interrupt->Expired()) {
    return interrupt->stopped();
  }
  if (!result_) {
    MARAC_ASSIGN_OR_RETURN(pqxx::result r, connection_->Run(sql_, params_));
    result_ = std::move(r);
    next_ = 0;
  }
  if (next_ >= static_cast<std::size_t>(result_->size())) return false;
  ++next_;
  return true;
}

}  // namespace

Result<Connection> OpenPostgres(const std::string& uri,
                                const std::string& session_sql) {
  MARAC_ASSIGN_OR_RETURN(std::unique_ptr<pqxx::connection> connection,
                         Connect(uri, session_sql));
  return Connection(std::make_unique<PostgresConnection>(std::move(connection),
                                                         uri, session_sql));
}

}  // namespace marac::db
