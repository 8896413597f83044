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
constexpr ConfigCase kConfigs[] = {
    {"Minimal", R"({"format": "marac-server/1", "store": "m.db"})", nullptr},
    {"Everything",
     R"({"format": "marac-server/1", "listen": "[::1]:7000", "store": "m.db",
         "limits": {"max_message_bytes": 2048, "max_string_bytes": 100,
                    "max_list_items": 10, "max_stream_messages": 5,
                    "max_open_streams": 3, "max_queued_calls": 9},
         "worker_threads": 2, "shutdown_grace_ms": 500,
         "writer_max_batch": 8, "writer_max_queue": 80})",
     nullptr},
    {"RemoteAllowed",
     R"({"format": "marac-server/1", "store": "m.db",
         "listen": "0.0.0.0:50051", "allow_plaintext_remote": true})",
     nullptr},
    {"NoFormat", R"({"store": "m.db"})", "format"},
    {"WrongFormat", R"({"format": "marac-server/2", "store": "m.db"})",
     "format"},
    {"NoStore", R"({"format": "marac-server/1"})", "store"},
    {"UnknownKey", R"({"format": "marac-server/1", "store": "m.db", "tls": 1})",
     "tls"},
    {"UnknownLimit",
     R"({"format": "marac-server/1", "store": "m.db", "limits": {"x": 1}})",
     "limits.x"},
    {"LimitOutOfRange",
     R"({"format": "marac-server/1", "store": "m.db",
         "limits": {"max_list_items": 0}})",
     "limits.max_list_items"},
    {"RemoteRefused",
     R"({"format": "marac-server/1", "store": "m.db",
         "listen": "0.0.0.0:50051"})",
     "listen"},
    {"NotJson", R"({"format": )", "parse error"},
};

TEST(ConfigTest, AcceptsOrNamesTheKey) {
  for (const ConfigCase& c : kConfigs) {
    SCOPED_TRACE(c.label);
    const Result<ServerConfig> config = ParseServerConfig(c.json, "/etc/marac");
    if (c.error == nullptr) {
      ASSERT_TRUE(config.ok()) << config.status();
      EXPECT_EQ(config->store, "/etc/marac/m.db");
    } else {
      ASSERT_FALSE(config.ok());
      EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(config.status().message(), HasSubstr(c.error));
    }
  }
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

}  // namespace
}  // namespace marac
