// The tests' PostgreSQL server (scripts/test-postgres, a ctest fixture):
// its address, read from MARAC_TEST_POSTGRES_DIR/uri, and statements on its
// maintenance database (CREATE DATABASE, DROP DATABASE) for tests that make
// a database of their own.
#ifndef MARAC_TESTS_COMMON_TEST_POSTGRES_H_
#define MARAC_TESTS_COMMON_TEST_POSTGRES_H_

#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <string>

namespace marac {

// "postgresql://postgres@127.0.0.1:PORT", or empty when the tests run
// without a server (MARAC_TEST_POSTGRES_DIR unset or its uri file empty).
inline std::string TestPostgresServer() {
  const char* dir = std::getenv("MARAC_TEST_POSTGRES_DIR");
  if (dir == nullptr) return "";
  std::string address;
  std::ifstream uri(std::filesystem::path(dir) / "uri");
  std::getline(uri, address);
  return address;
}

// Runs `sql` on `server`'s maintenance database, outside a transaction:
// "" when it succeeded, else the server's message.
inline std::string PostgresAdmin(const std::string& server,
                                 const std::string& sql) {
  try {
    pqxx::connection c(server + "/postgres");
    pqxx::nontransaction work(c);
    work.exec(sql);
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

}  // namespace marac

#endif  // MARAC_TESTS_COMMON_TEST_POSTGRES_H_
