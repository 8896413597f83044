// The marac-server configuration file: a JSON object (format
// "marac-server/1", every key documented in docs/server.md).
//
//   {"format": "marac-server/1", "listen": "127.0.0.1:50051",
//    "store": "/var/lib/marac/marac.db",
//    "limits": {"max_message_bytes": 1048576}}
//
// Relative paths are read from the directory of the file.
#ifndef MARAC_SERVICES_SERVER_CONFIG_H_
#define MARAC_SERVICES_SERVER_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "marac/common/result.h"

namespace marac {

// What one call may send; each is a config value.
struct ServerLimits {
  int max_message_bytes = 1 << 20;            // Per message, either way.
  std::size_t max_string_bytes = 4096;        // Any one string field.
  std::size_t max_list_items = 1000;          // Any repeated field, and a page.
  std::int64_t max_stream_messages = 100000;  // Requests on one stream.
  int max_open_streams = 64;                  // Scoring streams at once.
  std::size_t max_queued_calls = 1000;        // Calls waiting for a worker.
};

// The server's certificate and key, and for mutual TLS the CA that signs
// the clients' certificates. Paths to PEM files.
struct TlsConfig {
  std::string certificate;
  std::string private_key;
  // When set, every client must present a certificate this CA signed
  // (mutual TLS); its subject may identify the caller.
  std::string client_ca = {};
};

struct ServerConfig {
  // host:port; port 0 picks a free one.
  std::string listen = "127.0.0.1:50051";
  // TLS (the default transport); absent only with development_plaintext.
  std::optional<TlsConfig> tls;
  // Plaintext for development: only on a loopback address, and the server
  // says so loudly at start. Never with tls.
  bool development_plaintext = false;
  // The "marac-principals/1" file of who may call (principals.h).
  std::string principals;
  std::string store;            // The SQLite file; created when absent.
  std::string scoring_policy;   // "marac-policy/1" JSON; empty: defaults.
  std::string priority_policy;  // Priority policy JSON; empty: defaults.
  // A newer England and Wales bank-holiday table (`date,name` CSV,
  // docs/calendar.md); empty: the table built into the library.
  std::string bank_holidays;
  ServerLimits limits;
  int worker_threads = 4;                // Threads running store calls.
  int shutdown_grace_ms = 10000;         // In-flight calls get this long.
  std::size_t writer_max_batch = 512;    // Referrals per commit at most.
  std::size_t writer_max_queue = 20000;  // Referrals waiting at most.
};

// Parses a configuration. kInvalidArgument naming the key ("limits.
// max_list_items: ...") for an unknown key, a wrong type, a value out of
// range, no "tls" without "development_plaintext", plaintext off loopback,
// no "principals", or the removed "allow_plaintext_remote". Relative paths
// are resolved
// against `base_dir` (empty: as given).
Result<ServerConfig> ParseServerConfig(std::string_view json_text,
                                       std::string_view base_dir = "");
// Reads and parses the file at `path`; kNotFound when it cannot be read.
Result<ServerConfig> LoadServerConfig(const std::string& path);

// The transport rules on an assembled config (the file's, or one built in
// code): TLS with a certificate and key, or development plaintext on
// loopback. kInvalidArgument naming "tls" or "listen".
Status CheckTransport(const ServerConfig& config);

// Whether `listen` (host:port) names a loopback interface.
bool IsLoopbackAddress(std::string_view listen);

// The text of the file at `path`; kNotFound naming `field` when it cannot
// be read.
Result<std::string> ReadTextFile(const std::string& path,
                                 std::string_view field);

}  // namespace marac

#endif  // MARAC_SERVICES_SERVER_CONFIG_H_
