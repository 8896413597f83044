// marac-server as an object: opens the store, starts the referral writer
// and the services, listens, and shuts down in order. main.cc, the tests
// and (later) benchmarks and `marac --server` all start it this way.
//
//   Result<std::unique_ptr<MaracServer>> server = MaracServer::Start(config);
//   ... (*server)->port() ...
//   (*server)->Shutdown();  // also on destruction
#ifndef MARAC_SERVICES_SERVER_SERVER_H_
#define MARAC_SERVICES_SERVER_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>

#include "marac/common/result.h"
#include "marac/store/referral_writer.h"
#include "marac/store/store.h"
#include "services/server/config.h"
#include "services/server/marac_service.h"

namespace marac {

// How `config` serves, for the start-up line: "mutual TLS", "TLS" or
// "PLAINTEXT, for development only".
std::string_view TransportName(const ServerConfig& config);

class MaracServer {
 public:
  // Reads the policy files, opens (creating) the store, listens on
  // config.listen and reports SERVING on the health service. kInvalidArgument
  // naming the file for a bad policy; the store's errors (kDataLoss for a
  // corrupt file); kUnavailable when the address cannot be bound.
  // kInvalidArgument naming "tls", "listen" or "principals" for a transport
  // CheckTransport refuses, a file that is not PEM, or a bad principals
  // file; kNotFound naming a certificate, key or principals file that
  // cannot be read.
  // `options` may replace the authenticator (then config.principals is
  // not read) or the clock (tests); its limits and worker count are taken
  // from `config`.
  static Result<std::unique_ptr<MaracServer>> Start(
      const ServerConfig& config, ServiceOptions options = {});

  MaracServer(const MaracServer&) = delete;
  MaracServer& operator=(const MaracServer&) = delete;
  ~MaracServer();  // Shutdown().

  // The port bound (the one picked when config.listen ends in ":0").
  int port() const { return port_; }
  // A channel to this server without a socket.
  std::shared_ptr<grpc::Channel> InProcessChannel();

  // Reads the principals file again and, if it parses, checks every call
  // from now on against it (a call already authenticated keeps its
  // caller): so a token is revoked by removing its hash, or rotated, with
  // no restart. Returns how many principals it holds. A file that does not
  // parse changes nothing (the error names it and the entry, as at start);
  // kFailedPrecondition when Start was given its own authenticator.
  Result<std::size_t> ReloadPrincipals();

  // Reports NOT_SERVING, stops accepting calls, gives in-flight calls
  // config.shutdown_grace_ms to finish (then cancels them), writes the
  // queued referrals and closes the store. Idempotent and thread-safe;
  // not from a signal handler.
  void Shutdown();

 private:
  MaracServer() = default;

  std::mutex shutdown_mutex_;
  bool shut_down_ = false;
  int grace_ms_ = 0;
  int port_ = 0;
  std::shared_ptr<PrincipalSource> principals_;  // Null: not from a file.
  std::string principals_path_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<ReferralWriter> writer_;
  std::unique_ptr<MaracService> service_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace marac

#endif  // MARAC_SERVICES_SERVER_SERVER_H_
