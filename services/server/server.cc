#include "services/server/server.h"

#include <grpcpp/health_check_service_interface.h>

#include <chrono>

namespace marac {
namespace {

constexpr int kMaxMetadataBytes = 16 * 1024;

// A PEM file's text; kInvalidArgument naming `field` when it holds no PEM
// block (gRPC would only say later that it cannot listen).
Result<std::string> ReadPem(const std::string& path, std::string_view field) {
  MARAC_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path, field));
  if (text.find("-----BEGIN ") == std::string::npos) {
    return InvalidArgument(field, "not a PEM file: " + path);
  }
  return text;
}

// The listening credentials the configuration asks for.
Result<std::shared_ptr<grpc::ServerCredentials>> Credentials(
    const ServerConfig& config) {
  if (!config.tls) return grpc::InsecureServerCredentials();
  const TlsConfig& tls = *config.tls;
  MARAC_ASSIGN_OR_RETURN(const std::string certificate,
                         ReadPem(tls.certificate, "tls.certificate"));
  MARAC_ASSIGN_OR_RETURN(const std::string key,
                         ReadPem(tls.private_key, "tls.private_key"));
  grpc::SslServerCredentialsOptions options(
      tls.client_ca.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  if (!tls.client_ca.empty()) {
    MARAC_ASSIGN_OR_RETURN(options.pem_root_certs,
                           ReadPem(tls.client_ca, "tls.client_ca"));
  }
  options.pem_key_cert_pairs.push_back({key, certificate});
  return grpc::SslServerCredentials(options);
}

}  // namespace

std::string_view TransportName(const ServerConfig& config) {
  if (!config.tls) return "PLAINTEXT, for development only";
  return config.tls->client_ca.empty() ? "TLS" : "mutual TLS";
}

Result<std::unique_ptr<MaracServer>> MaracServer::Start(
    const ServerConfig& config, ServiceOptions options) {
  ScoringPolicy scoring = ScoringPolicy::Default();
  if (!config.scoring_policy.empty()) {
    MARAC_ASSIGN_OR_RETURN(
        const std::string text,
        ReadTextFile(config.scoring_policy, "scoring_policy"));
    const Result<ScoringPolicy> parsed = ScoringPolicy::FromJson(text);
    if (!parsed.ok()) {
      return InvalidArgument("scoring_policy " + config.scoring_policy,
                             parsed.status().message());
    }
    scoring = *parsed;
  }
  if (!config.priority_policy.empty()) {
    MARAC_ASSIGN_OR_RETURN(
        const std::string text,
        ReadTextFile(config.priority_policy, "priority_policy"));
    const Result<PriorityPolicy> parsed = ParsePriorityPolicy(text);
    if (!parsed.ok()) {
      return InvalidArgument("priority_policy " + config.priority_policy,
                             parsed.status().message());
    }
    options.priority = *parsed;
  }
  if (!config.bank_holidays.empty()) {
    MARAC_ASSIGN_OR_RETURN(const std::string text,
                           ReadTextFile(config.bank_holidays, "bank_holidays"));
    Result<WorkingCalendar> loaded =
        WorkingCalendar::FromCsv(config.bank_holidays, text);
    if (!loaded.ok()) {
      return InvalidArgument("bank_holidays", loaded.status().message());
    }
    options.bank_holidays = *std::move(loaded);
  }
  MARAC_RETURN_IF_ERROR(CheckTransport(config));
  MARAC_ASSIGN_OR_RETURN(
      const std::shared_ptr<grpc::ServerCredentials> credentials,
      Credentials(config));
  std::shared_ptr<PrincipalSource> principals;
  if (!options.authenticate) {
    if (config.principals.empty()) {
      return InvalidArgument("principals", "required: who may call");
    }
    MARAC_ASSIGN_OR_RETURN(PrincipalDirectory directory,
                           PrincipalDirectory::Load(config.principals));
    principals = std::make_shared<PrincipalSource>(std::move(directory));
    options.authenticate = PrincipalAuthenticator(principals, options.today);
  }
  const InstrumentSet instruments = InstrumentSet::BuiltIn();
  MARAC_ASSIGN_OR_RETURN(Scorer scorer, Scorer::Create(scoring, instruments));

  std::unique_ptr<MaracServer> server(new MaracServer());
  server->grace_ms_ = config.shutdown_grace_ms;
  server->principals_ = std::move(principals);
  server->principals_path_ = config.principals;
  MARAC_ASSIGN_OR_RETURN(server->store_, OpenStore(config.store));
  server->writer_ = std::make_unique<ReferralWriter>(
      *server->store_,
      ReferralWriter::Options{.max_batch = config.writer_max_batch,
                              .max_queue = config.writer_max_queue});
  options.limits = config.limits;
  options.worker_threads = config.worker_threads;
  const std::vector<grpc::Service*> extra = options.extra_services;
  server->service_ = std::make_unique<MaracService>(
      *server->store_, *server->writer_, std::move(scorer), instruments,
      std::move(options));

  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.listen, credentials, &server->port_);
  builder.SetMaxReceiveMessageSize(config.limits.max_message_bytes);
  builder.SetMaxSendMessageSize(config.limits.max_message_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, kMaxMetadataBytes);
  for (grpc::Service* s : server->service_->services()) {
    builder.RegisterService(s);
  }
  for (grpc::Service* s : extra) builder.RegisterService(s);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) {
    // Stop in order: nothing listens, so nothing is in flight.
    server->shut_down_ = true;
    if (server->server_ != nullptr) server->server_->Shutdown();
    server->service_->Stop();
    server->writer_->Stop();
    return Status(StatusCode::kUnavailable,
                  "listen: cannot listen on " + config.listen);
  }
  grpc::HealthCheckServiceInterface* health =
      server->server_->GetHealthCheckService();
  if (health != nullptr) {
    health->SetServingStatus("", true);
    for (const std::string& name : MaracService::ServiceNames()) {
      health->SetServingStatus(name, true);
    }
  }
  return server;
}

MaracServer::~MaracServer() { Shutdown(); }

std::shared_ptr<grpc::Channel> MaracServer::InProcessChannel() {
  return server_->InProcessChannel(grpc::ChannelArguments());
}

Result<std::size_t> MaracServer::ReloadPrincipals() {
  if (principals_ == nullptr) {
    return Status(StatusCode::kFailedPrecondition,
                  "principals: this server's callers are not from a file");
  }
  MARAC_ASSIGN_OR_RETURN(PrincipalDirectory directory,
                         PrincipalDirectory::Load(principals_path_));
  const std::size_t count = directory.size();
  principals_->Replace(std::move(directory));
  return count;
}

void MaracServer::Shutdown() {
  const std::lock_guard<std::mutex> lock(shutdown_mutex_);
  if (shut_down_) return;
  shut_down_ = true;
  if (server_ != nullptr) {
    if (grpc::HealthCheckServiceInterface* health =
            server_->GetHealthCheckService()) {
      health->Shutdown();  // Everything reads NOT_SERVING from now on.
    }
    server_->Shutdown(std::chrono::system_clock::now() +
                      std::chrono::milliseconds(grace_ms_));
    server_->Wait();
  }
  // No call is in flight now; what they queued still completes.
  if (service_ != nullptr) service_->Stop();
  if (writer_ != nullptr) writer_->Stop();
  server_.reset();
  service_.reset();
  writer_.reset();
  store_.reset();  // Closes the database.
}

}  // namespace marac
