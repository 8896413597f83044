// marac-server: the marac.v1 gRPC services over one SQLite store.
//
//   marac-server --config /etc/marac/server.json
//   marac-server --version   # what to quote in an incident report
//
// Runs until SIGTERM or SIGINT, then shuts down gracefully (docs/server.md).
// SIGHUP reads the principals file again (a file that does not parse is
// reported and changes nothing).
// Exit status: 0 after a clean shutdown, 1 when it cannot start, 2 for bad
// usage or a bad configuration.
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <string>
#include <string_view>

#include "services/server/config.h"
#include "services/server/server.h"
#include "services/version/version.h"

namespace {

constexpr const char* kUsage =
    "usage: marac-server --config FILE\n"
    "       marac-server --check-config FILE\n"
    "       marac-server --version\n";

}  // namespace

int main(int argc, char** argv) {
  std::string config_path;
  bool check_only = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "--config" || arg == "--check-config") && i + 1 < argc) {
      check_only = arg == "--check-config";
      config_path = argv[++i];
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--version") {
      std::cout << marac::VersionText("marac-server");
      return 0;
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  if (config_path.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const marac::Result<marac::ServerConfig> config =
      marac::LoadServerConfig(config_path);
  if (!config.ok()) {
    std::cerr << "marac-server: " << config.status() << "\n";
    return 2;
  }
  if (check_only) {
    std::cout << "marac-server: " << config_path << " is valid\n";
    return 0;
  }

  // Every thread started from here on inherits the blocked signals; the
  // main thread takes them with sigwait, outside any signal handler.
  // A shell starts background jobs with SIGINT ignored, and an ignored
  // signal never reaches sigwait: take both back to their defaults first.
  signal(SIGTERM, SIG_DFL);
  signal(SIGINT, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  marac::ServiceOptions options;
  options.log = [](std::string_view line) {
    std::cerr << "marac-server: " + std::string(line) + "\n";
  };
  marac::Result<std::unique_ptr<marac::MaracServer>> server =
      marac::MaracServer::Start(*config, std::move(options));
  if (!server.ok()) {
    std::cerr << "marac-server: " << server.status() << "\n";
    return server.status().code() == marac::StatusCode::kInvalidArgument ? 2
                                                                         : 1;
  }
  if (!config->tls) {
    std::cerr << "marac-server: WARNING: PLAINTEXT, development only: no "
                 "TLS, callers' tokens and case data cross the connection "
                 "unencrypted; listening on loopback ("
              << config->listen << ") only\n";
  }
  std::cerr << "marac-server: serving on port " << (*server)->port() << " ("
            << marac::TransportName(*config) << ")\n";
  int received = 0;
  for (;;) {
    sigwait(&signals, &received);
    if (received != SIGHUP) break;
    const marac::Result<std::size_t> reloaded = (*server)->ReloadPrincipals();
    if (reloaded.ok()) {
      std::cerr << "marac-server: SIGHUP: principals reloaded (" << *reloaded
                << ")\n";
    } else {
      std::cerr << "marac-server: SIGHUP: principals not reloaded, the "
                   "previous ones stay: "
                << reloaded.status() << "\n";
    }
  }
  std::cerr << "marac-server: signal " << received << ", shutting down\n";
  (*server)->Shutdown();
  std::cerr << "marac-server: stopped cleanly\n";
  return 0;
}
