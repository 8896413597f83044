#include "lib/store/db.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace marac::db {

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

Result<Transaction> Transaction::Begin(Connection& connection) {
  MARAC_RETURN_IF_ERROR(connection.impl().Begin());
  return Transaction(&connection);
}

Transaction::Transaction(Transaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

Transaction::~Transaction() {
  if (connection_ != nullptr) (void)connection_->impl().Rollback();
}

Status Transaction::Commit() {
  if (connection_ == nullptr) return Internal("transaction already ended");
  const Status committed = connection_->impl().Commit();
  if (!committed.ok()) return committed;  // Rolled back by the destructor.
  connection_ = nullptr;
  return Status::Ok();
}

InterruptAt::InterruptAt(Connection& connection, const Deadline& deadline,
                         std::string_view what)
    : deadline_(deadline), what_(what) {
  if (!deadline_.active()) return;
  connection_ = &connection.impl();
  connection_->SetInterrupt(this);
}

InterruptAt::~InterruptAt() {
  if (connection_ != nullptr) connection_->SetInterrupt(nullptr);
}

bool InterruptAt::Expired() {
  if (!stopped_.ok()) return true;  // Stopped already: stay stopped.
  Status checked = deadline_.Check(what_);
  if (checked.ok()) return false;
  stopped_ = std::move(checked);
  return true;
}

void InterruptAt::Stopped() {
  if (!stopped_.ok()) return;
  Status checked = deadline_.Check(what_);
  stopped_ =
      checked.ok()
          ? DeadlineExceeded(std::string(what_) + ": the deadline passed")
          : std::move(checked);
}

std::string_view LastInsertIdSql(Engine engine) {
  return engine == Engine::kSqlite ? "SELECT last_insert_rowid()"
                                   : "SELECT lastval()";
}

std::string ContainsSql(Engine engine, std::string_view haystack,
                        std::string_view needle) {
  return std::string(engine == Engine::kSqlite ? "instr(" : "strpos(") +
         std::string(haystack) + ", " + std::string(needle) + ") > 0";
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

}  // namespace marac::db
