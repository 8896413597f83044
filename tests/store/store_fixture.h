// The store tests' shared fixture: a fresh directory per test, invented
// people and referrals, and a check that the audit chain holds. People here
// are invented.
#ifndef MARAC_TESTS_STORE_STORE_FIXTURE_H_
#define MARAC_TESTS_STORE_STORE_FIXTURE_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "marac/store/referral_writer.h"
#include "marac/store/store.h"
#include "tests/common/late_caller.h"
#include "tests/common/test_postgres.h"

namespace marac::store_test {

using ::testing::HasSubstr;

// The suite runs on SQLite (a file per store in a fresh directory) and, with
// MARAC_TEST_POSTGRES_DIR naming a running server's folder
// (scripts/test-postgres), on PostgreSQL (a fresh database per store,
// dropped after the test).
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test =
        ::testing::UnitTest::GetInstance()->current_test_info()->name();
    dir_ = std::filesystem::temp_directory_path() /
           ("marac-store-" + std::to_string(::getpid()) + "-" + test);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    if (std::getenv("MARAC_TEST_POSTGRES_DIR") != nullptr) {
      postgres_ = TestPostgresServer();
      ASSERT_FALSE(postgres_.empty())
          << "no server address (scripts/test-postgres)";
      char tag[32];
      std::snprintf(tag, sizeof tag, "t%d_%zx", static_cast<int>(::getpid()),
                    std::hash<std::string>{}(test));
      database_prefix_ = tag;
    }
  }
  void TearDown() override {
    for (const std::string& db : databases_) {
      (void)Admin("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    }
    std::filesystem::remove_all(dir_);
  }

  bool postgres() const { return !postgres_.empty(); }
  // A SQLite file in the test's directory.
  std::string Path(const std::string& name = "marac.db") const {
    return (dir_ / name).string();
  }
  // Where store `name` lives: a SQLite file, or a PostgreSQL database
  // (created empty on first use).
  std::string Location(const std::string& name = "marac") {
    if (!postgres()) return Path(name + ".db");
    const std::string db = Database(name);
    if (std::find(databases_.begin(), databases_.end(), db) ==
        databases_.end()) {
      const std::string made = Admin("CREATE DATABASE " + db);
      EXPECT_EQ(made, "") << made;
      databases_.push_back(db);
    }
    return postgres_ + "/" + db;
  }
  std::unique_ptr<Store> Open(const StoreOptions& options = {},
                              const std::string& name = "marac") {
    Result<std::unique_ptr<Store>> store = OpenStore(Location(name), options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? *std::move(store) : nullptr;
  }
  // A copy of store `from` (closed) as store `to`.
  void Copy(const std::string& from, const std::string& to) {
    if (!postgres()) {
      std::filesystem::copy_file(Path(from + ".db"), Path(to + ".db"));
      return;
    }
    Location(from);
    const std::string db = Database(to);
    const std::string made =
        Admin("CREATE DATABASE " + db + " TEMPLATE " + Database(from));
    ASSERT_EQ(made, "") << made;
    databases_.push_back(db);
  }

  // Runs `sql` on store `name` behind the store's back, as someone with
  // the file (and the sqlite3 shell) or the database's owner could: "" when
  // it succeeded, else the engine's message.
  std::string Sql(const std::string& sql, const std::string& name = "marac") {
    if (postgres()) {
      try {
        pqxx::connection c(Location(name));
        pqxx::nontransaction work(c);
        work.exec(sql);
        return "";
      } catch (const std::exception& e) {
        return std::string("failed: ") + e.what();
      }
    }
    sqlite3* db = nullptr;
    if (sqlite3_open(Path(name + ".db").c_str(), &db) != SQLITE_OK) {
      sqlite3_close(db);
      return "failed: cannot open";
    }
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    std::string out =
        rc == SQLITE_OK ? "" : "failed: " + std::string(message ? message : "");
    sqlite3_free(message);
    sqlite3_close(db);
    return out;
  }
  // SQL that lifts the audit log's append-only trigger `name`.
  std::string DropTrigger(const std::string& trigger) const {
    return "DROP TRIGGER " + trigger + (postgres() ? " ON audit_log" : "");
  }

  // The rows of `table` in store `name` (-1 when it cannot be read).
  std::int64_t Count(const std::string& table,
                     const std::string& name = "marac") {
    if (postgres()) {
      try {
        pqxx::connection c(Location(name));
        pqxx::nontransaction work(c);
        return work.exec("SELECT count(*) FROM " + table)[0][0]
            .as<std::int64_t>();
      } catch (const std::exception&) {
        return -1;
      }
    }
    sqlite3* db = nullptr;
    sqlite3_open_v2(Path(name + ".db").c_str(), &db, SQLITE_OPEN_READONLY,
                    nullptr);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &s,
                       nullptr);
    std::int64_t n = -1;
    if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    return n;
  }

  // Another process's hold on the store's write lock, until destroyed.
  class WriteLock {
   public:
    WriteLock(const std::string& location, bool postgres) {
      if (postgres) {
        pg_ = std::make_unique<pqxx::connection>(location);
        pqxx::nontransaction work(*pg_);
        work.exec("BEGIN");
        work.exec("SELECT pg_advisory_xact_lock(" +
                  std::to_string(0x6d61726163) + ")");
        return;
      }
      sqlite3_open(location.c_str(), &sqlite_);
      held_ = sqlite3_exec(sqlite_, "BEGIN IMMEDIATE", nullptr, nullptr,
                           nullptr) == SQLITE_OK;
    }
    ~WriteLock() {
      if (sqlite_ != nullptr) {
        sqlite3_exec(sqlite_, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(sqlite_);
      }
    }
    bool held() const { return pg_ != nullptr || held_; }

   private:
    std::unique_ptr<pqxx::connection> pg_;
    sqlite3* sqlite_ = nullptr;
    bool held_ = false;
  };
  std::unique_ptr<WriteLock> HoldWriteLock() {
    return std::make_unique<WriteLock>(Location(), postgres());
  }

  std::filesystem::path dir_;

 private:
  // The database of store `name`: unquoted names fold to lower case.
  std::string Database(const std::string& name) const {
    std::string db = database_prefix_ + "_" + name;
    for (char& c : db) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return db;
  }
  std::string Admin(const std::string& sql) {
    return PostgresAdmin(postgres_, sql);
  }

  std::string postgres_;  // The server's address; empty on SQLite.
  std::string database_prefix_;
  std::vector<std::string> databases_;  // Created here, dropped after.
};

inline const Actor kCoordinator{"u-017", "coordinator", "MARAC-North",
                                "agenda"};

// The store's audit hash chain verifies from its first entry.
inline void ExpectAuditIntact(Store& store) {
  const Result<AuditVerification> v = store.VerifyAudit(kCoordinator, {});
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->intact) << v->problem;
}

inline PersonRecord Person(std::string id, std::string given,
                           std::string family, Role role) {
  PersonRecord r;
  r.record_id = std::move(id);
  r.source = "police";
  r.given_name = std::move(given);
  r.family_name = std::move(family);
  r.dob = "1990-07-03";
  r.postcode = "LS6 2AB";
  r.address_line = "1 Quay Row";
  r.previous_family_names = {"Brannagh"};
  r.role = role;
  return r;
}

// Victim V1 and perpetrator X1, whom the referrals below name.
inline Status PutVictimAndPerpetrator(Store& store) {
  const std::vector<PersonRecord> records = {
      Person("V1", "Elspeth", "Marlowe", Role::kVictim),
      Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
  return store.PutRecords(kCoordinator, records);
}

inline StoredReferral Referral(std::string id, std::string submission) {
  StoredReferral r;
  r.referral_id = std::move(id);
  r.submission_id = std::move(submission);
  r.area = "North";
  r.agency = "Police";
  r.source = ReferralSource::kPolice;
  r.referred_on = *Date::Parse("d", "2026-03-02");
  r.victim_record_id = "V1";
  r.perpetrator_record_ids = {"X1"};
  r.criteria = {"visible_high_risk"};
  r.children_in_household = 2;
  return r;
}

}  // namespace marac::store_test

#endif  // MARAC_TESTS_STORE_STORE_FIXTURE_H_
