#include "services/server/config.h"

#include <fstream>
#include <sstream>

#include "lib/common/strict_json.h"
#include "marac/store/store.h"

namespace marac {
namespace {

constexpr std::size_t kMaxConfigBytes = 1 << 20;

std::string Resolve(std::string_view base_dir, std::string path) {
  if (path.empty() || path.front() == '/' || base_dir.empty()) return path;
  return std::string(base_dir) + "/" + path;
}

// Reads an integer member `key` of `object` into `out` when present.
template <typename T>
Status ReadIntMember(const Json& object, std::string_view path,
                     std::string_view key, std::int64_t min, std::int64_t max,
                     T& out) {
  const Json* value = FindMember(object, key);
  if (value == nullptr) return Status::Ok();
  MARAC_ASSIGN_OR_RETURN(const std::int64_t n,
                         ReadInt(*value, JoinPath(path, key), min, max));
  out = static_cast<T>(n);
  return Status::Ok();
}

Status ReadStringMember(const Json& object, std::string_view key,
                        std::string& out) {
  const Json* value = FindMember(object, key);
  if (value == nullptr) return Status::Ok();
  MARAC_ASSIGN_OR_RETURN(out, ReadString(*value, key));
  return Status::Ok();
}

Status ReadLimits(const Json& limits, ServerLimits& out) {
  if (!limits.is_object()) {
    return InvalidArgument("limits", "expected an object");
  }
  MARAC_RETURN_IF_ERROR(CheckKnownKeys(
      limits, "limits",
      {"max_message_bytes", "max_string_bytes", "max_list_items",
       "max_stream_messages", "max_open_streams", "max_queued_calls"}));
  MARAC_RETURN_IF_ERROR(ReadIntMember(limits, "limits", "max_message_bytes",
                                      1024, 64 << 20, out.max_message_bytes));
  MARAC_RETURN_IF_ERROR(ReadIntMember(limits, "limits", "max_string_bytes", 16,
                                      1 << 20, out.max_string_bytes));
  MARAC_RETURN_IF_ERROR(ReadIntMember(limits, "limits", "max_list_items", 1,
                                      1000000, out.max_list_items));
  MARAC_RETURN_IF_ERROR(ReadIntMember(limits, "limits", "max_stream_messages",
                                      1, std::int64_t{1} << 40,
                                      out.max_stream_messages));
  MARAC_RETURN_IF_ERROR(ReadIntMember(limits, "limits", "max_open_streams", 1,
                                      100000, out.max_open_streams));
  MARAC_RETURN_IF_ERROR(ReadIntMember(limits, "limits", "max_queued_calls", 1,
                                      10000000, out.max_queued_calls));
  return Status::Ok();
}

Status ReadTls(const Json& tls, std::string_view base_dir, TlsConfig& out) {
  if (!tls.is_object()) return InvalidArgument("tls", "expected an object");
  MARAC_RETURN_IF_ERROR(
      CheckKnownKeys(tls, "tls", {"certificate", "private_key", "client_ca"}));
  for (const auto& [key, field] : {std::pair<std::string_view, std::string*>{
                                       "certificate", &out.certificate},
                                   {"private_key", &out.private_key},
                                   {"client_ca", &out.client_ca}}) {
    const Json* value = FindMember(tls, key);
    if (value == nullptr) continue;
    MARAC_ASSIGN_OR_RETURN(*field, ReadString(*value, JoinPath("tls", key)));
    if (field->empty()) return InvalidArgument(JoinPath("tls", key), "empty");
    *field = Resolve(base_dir, *field);
  }
  return Status::Ok();
}

}  // namespace

Status CheckTransport(const ServerConfig& config) {
  if (config.listen.empty()) return InvalidArgument("listen", "empty");
  if (config.tls && config.development_plaintext) {
    return InvalidArgument("development_plaintext",
                           "cannot be set together with tls");
  }
  if (config.tls) {
    if (config.tls->certificate.empty()) {
      return InvalidArgument("tls.certificate", "required");
    }
    if (config.tls->private_key.empty()) {
      return InvalidArgument("tls.private_key", "required");
    }
    return Status::Ok();
  }
  if (!config.development_plaintext) {
    return InvalidArgument("tls",
                           "required: a certificate and private key (or, for "
                           "development on loopback only, "
                           "\"development_plaintext\": true)");
  }
  if (!IsLoopbackAddress(config.listen)) {
    return InvalidArgument("listen",
                           "not a loopback address: development_plaintext "
                           "serves only 127.0.0.0/8, [::1], localhost or a "
                           "unix: socket; use tls to listen elsewhere");
  }
  return Status::Ok();
}

bool IsLoopbackAddress(std::string_view listen) {
  if (listen.starts_with("unix:")) return true;  // A local socket.
  std::string_view host = listen;
  if (host.starts_with("[")) {
    const std::size_t end = host.find(']');
    if (end == std::string_view::npos) return false;
    return host.substr(1, end - 1) == "::1";
  }
  const std::size_t colon = host.rfind(':');
  if (colon != std::string_view::npos) host = host.substr(0, colon);
  return host == "localhost" || host.starts_with("127.");
}

Result<ServerConfig> ParseServerConfig(std::string_view json_text,
                                       std::string_view base_dir) {
  MARAC_ASSIGN_OR_RETURN(const Json doc,
                         ParseStrictJson(json_text, {.where = "config"}));
  if (!doc.is_object())
    return InvalidArgument("<config>", "expected an object");
  MARAC_RETURN_IF_ERROR(CheckKnownKeys(
      doc, "",
      {"format", "listen", "allow_plaintext_remote", "tls",
       "development_plaintext", "principals", "store", "scoring_policy",
       "priority_policy", "bank_holidays", "limits", "worker_threads",
       "shutdown_grace_ms", "writer_max_batch", "writer_max_queue"}));
  if (FindMember(doc, "allow_plaintext_remote") != nullptr) {
    return InvalidArgument("allow_plaintext_remote",
                           "removed: the server serves TLS (\"tls\"); "
                           "plaintext is only \"development_plaintext\" on "
                           "loopback");
  }
  std::string format;
  MARAC_RETURN_IF_ERROR(ReadStringMember(doc, "format", format));
  if (format != "marac-server/1") {
    return InvalidArgument("format", "must be \"marac-server/1\"");
  }
  ServerConfig config;
  MARAC_RETURN_IF_ERROR(ReadStringMember(doc, "listen", config.listen));
  if (const Json* tls = FindMember(doc, "tls")) {
    config.tls.emplace();
    MARAC_RETURN_IF_ERROR(ReadTls(*tls, base_dir, *config.tls));
  }
  if (const Json* plain = FindMember(doc, "development_plaintext")) {
    MARAC_ASSIGN_OR_RETURN(config.development_plaintext,
                           ReadBool(*plain, "development_plaintext"));
  }
  MARAC_RETURN_IF_ERROR(ReadStringMember(doc, "store", config.store));
  if (config.store.empty()) return InvalidArgument("store", "required");
  MARAC_RETURN_IF_ERROR(ReadStringMember(doc, "principals", config.principals));
  if (config.principals.empty()) {
    return InvalidArgument("principals",
                           "required: the marac-principals/1 file of who may "
                           "call");
  }
  config.principals = Resolve(base_dir, config.principals);
  MARAC_RETURN_IF_ERROR(
      ReadStringMember(doc, "scoring_policy", config.scoring_policy));
  MARAC_RETURN_IF_ERROR(
      ReadStringMember(doc, "priority_policy", config.priority_policy));
  // A PostgreSQL URI is an address, not a path relative to the config.
  if (!IsPostgresUri(config.store)) {
    config.store = Resolve(base_dir, config.store);
  }
  config.scoring_policy = Resolve(base_dir, config.scoring_policy);
  config.priority_policy = Resolve(base_dir, config.priority_policy);
  MARAC_RETURN_IF_ERROR(
      ReadStringMember(doc, "bank_holidays", config.bank_holidays));
  config.bank_holidays = Resolve(base_dir, config.bank_holidays);
  if (const Json* limits = FindMember(doc, "limits")) {
    MARAC_RETURN_IF_ERROR(ReadLimits(*limits, config.limits));
  }
  MARAC_RETURN_IF_ERROR(
      ReadIntMember(doc, "", "worker_threads", 1, 256, config.worker_threads));
  MARAC_RETURN_IF_ERROR(ReadIntMember(doc, "", "shutdown_grace_ms", 0, 600000,
                                      config.shutdown_grace_ms));
  MARAC_RETURN_IF_ERROR(ReadIntMember(doc, "", "writer_max_batch", 1, 100000,
                                      config.writer_max_batch));
  MARAC_RETURN_IF_ERROR(ReadIntMember(doc, "", "writer_max_queue", 1, 10000000,
                                      config.writer_max_queue));
  MARAC_RETURN_IF_ERROR(CheckTransport(config));
  return config;
}

Result<std::string> ReadTextFile(const std::string& path,
                                 std::string_view field) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(std::string(field) + ": cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return NotFound(std::string(field) + ": cannot read " + path);
  }
  std::string out = std::move(text).str();
  if (out.size() > kMaxConfigBytes) {
    return InvalidArgument(field, "larger than 1 MiB");
  }
  return out;
}

Result<ServerConfig> LoadServerConfig(const std::string& path) {
  MARAC_ASSIGN_OR_RETURN(const std::string text, ReadTextFile(path, "config"));
  const std::size_t slash = path.rfind('/');
  const std::string base =
      slash == std::string::npos ? "" : path.substr(0, slash);
  return ParseServerConfig(text, base);
}

}  // namespace marac
