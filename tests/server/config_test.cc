// The server configuration file: what it accepts and what it refuses.
#include "services/server/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace marac {
namespace {

using ::testing::HasSubstr;

struct ConfigCase {
  const char* label;
  const char* json;
  const char* error;  // nullptr: accepted.
};
// Every accepted config names principals; most serve development
// plaintext on loopback, the shortest way to a valid file.
#define MARAC_BASE \
  R"("format": "marac-server/1", "store": "m.db", "principals": "p.json")"
#define MARAC_DEV MARAC_BASE R"(, "development_plaintext": true)"
#define MARAC_TLS \
  MARAC_BASE R"(, "tls": {"certificate": "c.pem", "private_key": "k.pem")"
constexpr ConfigCase kConfigs[] = {
    {"MinimalPlaintext", "{" MARAC_DEV "}", nullptr},
    {"MinimalTls", "{" MARAC_TLS "}}", nullptr},
    {"MutualTlsAnywhere",
     "{" MARAC_TLS R"(, "client_ca": "ca.pem"}, "listen": "0.0.0.0:5")"
     "}",
     nullptr},
    {"Everything", "{" MARAC_DEV R"(, "listen": "[::1]:7000",
         "limits": {"max_message_bytes": 2048, "max_string_bytes": 100,
                    "max_list_items": 10, "max_stream_messages": 5,
                    "max_open_streams": 3, "max_queued_calls": 9},
         "worker_threads": 2, "shutdown_grace_ms": 500,
         "writer_max_batch": 8, "writer_max_queue": 80})",
     nullptr},
    {"BankHolidays", "{" MARAC_DEV R"(, "bank_holidays": "holidays.csv"})",
     nullptr},
    {"BankHolidaysNotText", "{" MARAC_DEV R"(, "bank_holidays": 3})",
     "bank_holidays"},
    {"NoFormat", R"({"store": "m.db"})", "format"},
    {"WrongFormat", R"({"format": "marac-server/2", "store": "m.db"})",
     "format"},
    {"NoStore", R"({"format": "marac-server/1"})", "store"},
    {"NoPrincipals",
     R"({"format": "marac-server/1", "store": "m.db",
         "development_plaintext": true})",
     "principals"},
    {"NeitherTlsNorPlaintext", "{" MARAC_BASE "}", "tls"},
    {"TlsNotAnObject", "{" MARAC_BASE R"(, "tls": 1})", "tls"},
    {"TlsWithoutKey", "{" MARAC_BASE R"(, "tls": {"certificate": "c.pem"}})",
     "tls.private_key"},
    {"TlsUnknownKey", "{" MARAC_TLS R"(, "crl": "x"}})", "tls.crl"},
    {"TlsAndPlaintext", "{" MARAC_TLS R"(}, "development_plaintext": true})",
     "development_plaintext"},
    {"PlaintextOffLoopback", "{" MARAC_DEV R"(, "listen": "0.0.0.0:50051"})",
     "listen"},
    {"PlaintextOnAnyIpv6", "{" MARAC_DEV R"(, "listen": "[::]:50051"})",
     "listen"},
    {"OldRemoteKeyRefused",
     "{" MARAC_TLS R"(}, "allow_plaintext_remote": true})",
     "allow_plaintext_remote"},
    {"UnknownKey", "{" MARAC_DEV R"(, "tsl": 1})", "tsl"},
    {"UnknownLimit", "{" MARAC_DEV R"(, "limits": {"x": 1}})", "limits.x"},
    {"LimitOutOfRange", "{" MARAC_DEV R"(, "limits": {"max_list_items": 0}})",
     "limits.max_list_items"},
    {"NotJson", R"({"format": )", "parse error"},
};
#undef MARAC_TLS
#undef MARAC_DEV
#undef MARAC_BASE

TEST(ConfigTest, AcceptsOrNamesTheKey) {
  for (const ConfigCase& c : kConfigs) {
    SCOPED_TRACE(c.label);
    const Result<ServerConfig> config = ParseServerConfig(c.json, "/etc/marac");
    if (c.error == nullptr) {
      ASSERT_TRUE(config.ok()) << config.status();
      EXPECT_EQ(config->store, "/etc/marac/m.db");
      EXPECT_EQ(config->principals, "/etc/marac/p.json");
      if (config->tls) {
        EXPECT_EQ(config->tls->certificate, "/etc/marac/c.pem");
      }
      if (!config->bank_holidays.empty()) {
        EXPECT_EQ(config->bank_holidays, "/etc/marac/holidays.csv");
      }
    } else {
      ASSERT_FALSE(config.ok());
      EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(config.status().message(), HasSubstr(c.error));
    }
  }
}

// A PostgreSQL store is an address: kept as written, never taken for a path
// relative to the config's folder.
TEST(ConfigTest, APostgresqlStoreIsKeptAsWritten) {
  const Result<ServerConfig> config = ParseServerConfig(
      R"({"format": "marac-server/1", "development_plaintext": true,
          "store": "postgresql://marac@db.internal:5432/marac",
          "principals": "p.json"})",
      "/etc/marac");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->store, "postgresql://marac@db.internal:5432/marac");
  EXPECT_EQ(config->principals, "/etc/marac/p.json");
}

struct AddressCase {
  const char* address;
  bool loopback;
};
constexpr AddressCase kAddresses[] = {
    {"127.0.0.1:50051", true},  {"127.8.9.1:1", true},
    {"localhost:80", true},     {"[::1]:50051", true},
    {"unix:/run/m.sock", true}, {"0.0.0.0:50051", false},
    {"[::]:50051", false},      {"10.0.0.1:50051", false},
    {"example.org:443", false},
};

TEST(ConfigTest, OnlyLoopbackAddressesAreLoopback) {
  for (const AddressCase& c : kAddresses) {
    SCOPED_TRACE(c.address);
    EXPECT_EQ(IsLoopbackAddress(c.address), c.loopback);
  }
}

TEST(ConfigTest, ACodeBuiltConfigFollowsTheSameTransportRules) {
  ServerConfig config;
  config.store = "m.db";
  EXPECT_THAT(CheckTransport(config).message(), HasSubstr("tls"));
  config.development_plaintext = true;
  EXPECT_TRUE(CheckTransport(config).ok());
  config.listen = "10.0.0.1:50051";
  EXPECT_THAT(CheckTransport(config).message(), HasSubstr("listen"));
  config.development_plaintext = false;
  config.tls = TlsConfig{.certificate = "c.pem", .private_key = "k.pem"};
  EXPECT_TRUE(CheckTransport(config).ok());
}

}  // namespace
}  // namespace marac
