#include "services/server/principals.h"

#include <openssl/evp.h>

#include <algorithm>

#include "lib/common/strict_json.h"
#include "lib/store/sha256.h"
#include "services/server/config.h"

namespace marac {
namespace {

bool IsPrintableId(std::string_view s) {
  return !s.empty() && s.size() <= 128 &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return static_cast<unsigned char>(c) > 0x20 &&
                  static_cast<unsigned char>(c) < 0x7f;
         });
}

bool IsLabel(std::string_view s) {
  return !s.empty() && s.size() <= 128 &&
         std::none_of(s.begin(), s.end(), [](char c) {
           return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
         });
}

bool IsSha256Hex(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

Result<std::vector<std::string>> ReadStringList(const Json& value,
                                                const std::string& path) {
  if (!value.is_array()) return InvalidArgument(path, "expected an array");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string item = path + "[" + std::to_string(i) + "]";
    MARAC_ASSIGN_OR_RETURN(std::string s, ReadString(value[i], item, 128));
    if (!IsLabel(s)) {
      return InvalidArgument(item, "1..128 bytes, no control characters");
    }
    if (std::find(out.begin(), out.end(), s) != out.end()) {
      return InvalidArgument(item, "repeated");
    }
    out.push_back(std::move(s));
  }
  return out;
}

Result<PrincipalEntry> ReadEntry(const Json& value, const std::string& path) {
  if (!value.is_object()) return InvalidArgument(path, "expected an object");
  MARAC_RETURN_IF_ERROR(
      CheckKnownKeys(value, path,
                     {"user", "agency", "roles", "areas", "token_sha256",
                      "token_valid_until", "certificate_subject"}));
  PrincipalEntry e;
  const auto string_member = [&](std::string_view key, std::size_t max,
                                 std::string& out) -> Status {
    const Json* member = FindMember(value, key);
    if (member == nullptr) return Status::Ok();
    MARAC_ASSIGN_OR_RETURN(out, ReadString(*member, JoinPath(path, key), max));
    return Status::Ok();
  };
  MARAC_RETURN_IF_ERROR(string_member("user", 128, e.user));
  if (!IsPrintableId(e.user)) {
    return InvalidArgument(JoinPath(path, "user"),
                           "required: 1..128 printable ASCII bytes, no spaces");
  }
  MARAC_RETURN_IF_ERROR(string_member("agency", 128, e.agency));
  if (!IsLabel(e.agency)) {
    return InvalidArgument(JoinPath(path, "agency"),
                           "required: 1..128 bytes, no control characters");
  }
  const Json* roles = FindMember(value, "roles");
  if (roles == nullptr)
    return InvalidArgument(JoinPath(path, "roles"), "required");
  MARAC_ASSIGN_OR_RETURN(e.roles,
                         ReadStringList(*roles, JoinPath(path, "roles")));
  if (e.roles.empty()) {
    return InvalidArgument(JoinPath(path, "roles"), "at least one role");
  }
  for (std::size_t i = 0; i < e.roles.size(); ++i) {
    if (!IsRoleName(e.roles[i])) {
      return InvalidArgument(
          JoinPath(path, "roles") + "[" + std::to_string(i) + "]",
          "not referrer, idva, coordinator, chair or auditor");
    }
  }
  if (const Json* areas = FindMember(value, "areas")) {
    MARAC_ASSIGN_OR_RETURN(e.areas,
                           ReadStringList(*areas, JoinPath(path, "areas")));
  }
  MARAC_RETURN_IF_ERROR(string_member("token_sha256", 64, e.token_sha256));
  if (FindMember(value, "token_sha256") != nullptr &&
      !IsSha256Hex(e.token_sha256)) {
    return InvalidArgument(JoinPath(path, "token_sha256"),
                           "not 64 lowercase hex digits (the SHA-256 of the "
                           "token, never the token itself)");
  }
  if (FindMember(value, "token_valid_until") != nullptr) {
    const std::string field = JoinPath(path, "token_valid_until");
    std::string text;
    MARAC_RETURN_IF_ERROR(string_member("token_valid_until", 10, text));
    if (e.token_sha256.empty()) {
      return InvalidArgument(field, "given without token_sha256");
    }
    MARAC_ASSIGN_OR_RETURN(e.token_valid_until, Date::Parse(field, text));
  }
  MARAC_RETURN_IF_ERROR(
      string_member("certificate_subject", 1024, e.certificate_subject));
  if (FindMember(value, "certificate_subject") != nullptr &&
      !IsLabel(std::string_view(e.certificate_subject).substr(0, 128))) {
    return InvalidArgument(JoinPath(path, "certificate_subject"),
                           "empty or with control characters");
  }
  if (e.token_sha256.empty() && e.certificate_subject.empty()) {
    return InvalidArgument(path,
                           "needs token_sha256 or certificate_subject (or "
                           "both) to identify the caller");
  }
  return e;
}

}  // namespace

bool IsRoleName(std::string_view role) {
  return std::find(std::begin(kRoleNames), std::end(kRoleNames), role) !=
         std::end(kRoleNames);
}

Result<PrincipalDirectory> PrincipalDirectory::Parse(
    std::string_view json_text) {
  MARAC_ASSIGN_OR_RETURN(const Json doc,
                         ParseStrictJson(json_text, {.where = "principals"}));
  if (!doc.is_object()) {
    return InvalidArgument("<principals>", "expected an object");
  }
  MARAC_RETURN_IF_ERROR(CheckKnownKeys(doc, "", {"format", "principals"}));
  const Json* format = FindMember(doc, "format");
  if (format == nullptr || !format->is_string() ||
      format->get<std::string>() != "marac-principals/1") {
    return InvalidArgument("format", "must be \"marac-principals/1\"");
  }
  const Json* list = FindMember(doc, "principals");
  if (list == nullptr || !list->is_array()) {
    return InvalidArgument("principals", "required: an array");
  }
  PrincipalDirectory out;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = "principals[" + std::to_string(i) + "]";
    MARAC_ASSIGN_OR_RETURN(PrincipalEntry e, ReadEntry((*list)[i], path));
    for (const PrincipalEntry& seen : out.entries_) {
      if (seen.user == e.user) {
        return InvalidArgument(path + ".user", "'" + e.user + "' repeated");
      }
    }
    if (!e.token_sha256.empty() &&
        !out.by_token_.emplace(e.token_sha256, i).second) {
      return InvalidArgument(path + ".token_sha256",
                             "the same hash as another principal's");
    }
    if (!e.certificate_subject.empty() &&
        !out.by_subject_.emplace(e.certificate_subject, i).second) {
      return InvalidArgument(path + ".certificate_subject",
                             "the same subject as another principal's");
    }
    out.entries_.push_back(std::move(e));
  }
  return out;
}

Result<PrincipalDirectory> PrincipalDirectory::Load(const std::string& path) {
  MARAC_ASSIGN_OR_RETURN(const std::string text,
                         ReadTextFile(path, "principals"));
  Result<PrincipalDirectory> parsed = Parse(text);
  if (!parsed.ok()) {
    return InvalidArgument("principals " + path, parsed.status().message());
  }
  return parsed;
}

const PrincipalEntry* PrincipalDirectory::ByTokenSha256(
    std::string_view hash) const {
  const auto found = by_token_.find(std::string(hash));
  return found == by_token_.end() ? nullptr : &entries_[found->second];
}

const PrincipalEntry* PrincipalDirectory::BySubject(
    std::string_view subject) const {
  const auto found = by_subject_.find(std::string(subject));
  return found == by_subject_.end() ? nullptr : &entries_[found->second];
}

PrincipalSource::PrincipalSource(PrincipalDirectory directory)
    : current_(
          std::make_shared<const PrincipalDirectory>(std::move(directory))) {}

void PrincipalSource::Replace(PrincipalDirectory directory) {
  current_.store(
      std::make_shared<const PrincipalDirectory>(std::move(directory)),
      std::memory_order_release);
}

const PrincipalEntry* Identify(const PrincipalDirectory& directory,
                               std::string_view bearer_token,
                               std::string_view certificate_subject,
                               const std::function<Date()>& today,
                               std::string& error) {
  const PrincipalEntry* by_subject =
      certificate_subject.empty() ? nullptr
                                  : directory.BySubject(certificate_subject);
  const PrincipalEntry* by_token = nullptr;
  if (!bearer_token.empty()) {
    const Result<std::string> hash = Sha256Hex(bearer_token);
    by_token = hash.ok() ? directory.ByTokenSha256(*hash) : nullptr;
    if (by_token == nullptr) {
      error = "authorization: the bearer token is not valid";
      return nullptr;
    }
    if (by_token->token_valid_until.has_value() &&
        *by_token->token_valid_until < today()) {
      error = "authorization: the bearer token has expired; ask for a new one";
      return nullptr;
    }
  }
  if (by_token != nullptr && by_subject != nullptr && by_token != by_subject) {
    error =
        "authorization: the bearer token and the client certificate name "
        "different callers";
    return nullptr;
  }
  const PrincipalEntry* entry = by_token != nullptr ? by_token : by_subject;
  if (entry == nullptr) {
    error =
        "authorization: a bearer token (\"authorization: Bearer <token>\"), "
        "or a client certificate known to the server, is required";
  }
  return entry;
}

}  // namespace marac
