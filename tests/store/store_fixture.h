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

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "marac/store/referral_writer.h"
#include "marac/store/store.h"
#include "tests/common/late_caller.h"

namespace marac::store_test {

using ::testing::HasSubstr;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("marac-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name = "marac.db") const {
    return (dir_ / name).string();
  }
  std::unique_ptr<Store> Open(const StoreOptions& options = {}) {
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(Path(), options);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? *std::move(store) : nullptr;
  }

  std::filesystem::path dir_;
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

inline std::int64_t Count(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, ("SELECT count(*) FROM " + table).c_str(), -1, &s,
                     nullptr);
  std::int64_t n = -1;
  if (sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return n;
}

}  // namespace marac::store_test

#endif  // MARAC_TESTS_STORE_STORE_FIXTURE_H_
