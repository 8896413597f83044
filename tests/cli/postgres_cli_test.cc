// `marac` on a PostgreSQL store (MARAC_TEST_POSTGRES_DIR names the running
// test server: scripts/test-postgres). The demo's year loaded into
// PostgreSQL gives the agenda, the SafeLives return and the One Stop Shop
// report the SQLite run gives, byte for byte; its audit chain verifies;
// and a database that already holds records is never the demo's to load.
// Every person is invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "services/cli/commands.h"
#include "tests/cli/run_cli.h"
#include "tests/cli/run_process.h"
#include "tests/cli/temp_dir.h"
#include "tests/common/test_postgres.h"

namespace marac {
namespace {

using ::testing::HasSubstr;

// A database of its own on the test server, dropped after.
class PostgresDatabase {
 public:
  explicit PostgresDatabase(const std::string& server)
      : server_(server), name_("cli_" + std::to_string(::getpid())) {
    PostgresAdmin(server_,
                  "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    created_ = PostgresAdmin(server_, "CREATE DATABASE " + name_);
  }
  ~PostgresDatabase() {
    PostgresAdmin(server_,
                  "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  }
  std::string uri() const { return server_ + "/" + name_; }
  const std::string& created() const { return created_; }  // "" when made.

 private:
  std::string server_;
  std::string name_;
  std::string created_;
};

TEST(PostgresCliTest, TheDemoOnPostgresqlWritesWhatItWritesOnSqlite) {
  const std::string server = TestPostgresServer();
  if (server.empty()) GTEST_SKIP() << "no test PostgreSQL server";
  const PostgresDatabase db(server);
  ASSERT_EQ(db.created(), "");
  const TempDir sqlite("marac-demo-sqlite");
  const TempDir postgres("marac-demo-postgres");

  const CliRun on_sqlite = RunCli({"demo", "--out", sqlite.Path("")});
  ASSERT_EQ(on_sqlite.status, 0) << on_sqlite.err;
  const CliRun on_postgres =
      RunCli({"demo", "--out", postgres.Path(""), "--store", db.uri()});
  ASSERT_EQ(on_postgres.status, 0) << on_postgres.err;
  EXPECT_THAT(on_postgres.out, HasSubstr("Wrote the PostgreSQL store"));
  EXPECT_FALSE(std::filesystem::exists(postgres.Path("marac.db")));
  for (const char* file : {"agenda.json", "agenda.md", "agenda-chair.html",
                           "safelives-return.csv", "one-stop-shops.md"}) {
    SCOPED_TRACE(file);
    const std::string expected = ReadFileBytes(sqlite.Path(file));
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(ReadFileBytes(postgres.Path(file)), expected);
  }

  const CliRun verified = RunCli({"audit", "verify", "--store", db.uri()});
  EXPECT_EQ(verified.status, 0) << verified.err;
  EXPECT_THAT(verified.out + verified.err, HasSubstr("intact"));

  const CliRun again =
      RunCli({"demo", "--out", postgres.Path(""), "--store", db.uri()});
  EXPECT_EQ(again.status, kExitBadInput);
  EXPECT_THAT(again.err, HasSubstr("already holds records"));

  const CliRun not_postgres =
      RunCli({"demo", "--out", postgres.Path(""), "--store", "x.db"});
  EXPECT_EQ(not_postgres.status, kExitBadInput);
  EXPECT_THAT(not_postgres.err, HasSubstr("not a postgresql:// URI"));
}

}  // namespace
}  // namespace marac
