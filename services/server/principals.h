// Who may call marac-server: the principals file ("marac-principals/1"),
// and the caller of one call as the service sees it.
//
//   {"format": "marac-principals/1", "principals": [
//     {"user": "u-17", "agency": "police-north", "roles": ["referrer"],
//      "areas": ["north"], "token_sha256": "<64 hex digits>"},
//     {"user": "idva-north-01", "agency": "idva-north", "roles": ["idva"],
//      "certificate_subject": "CN=idva-north-01"},
//     {"user": "u-18", "agency": "police-north", "roles": ["referrer"],
//      "token_sha256": "<64 hex digits>", "token_valid_until": "2027-03-31"}]}
//
// A caller is identified by a bearer token (kept here only as its SHA-256)
// or by a verified client certificate's subject, or both when they name the
// same principal. Tokens never appear in messages or logs.
#ifndef MARAC_SERVICES_SERVER_PRINCIPALS_H_
#define MARAC_SERVICES_SERVER_PRINCIPALS_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

// The roles, in the order docs/server.md lists them.
inline constexpr std::string_view kRoleNames[] = {
    "referrer", "idva", "coordinator", "chair", "auditor"};
bool IsRoleName(std::string_view role);

// One entry of the principals file.
struct PrincipalEntry {
  std::string user;                // 1..128 printable ASCII, no spaces.
  std::string agency;              // Required.
  std::vector<std::string> roles;  // At least one; the first is default.
  std::vector<std::string> areas;  // MARAC areas; may be empty.
  std::string token_sha256;        // 64 lowercase hex digits, or empty.
  // The last day (UTC) the token is accepted; none: until it is removed.
  std::optional<Date> token_valid_until;
  std::string certificate_subject;  // e.g. "CN=idva-north-01", or empty.
};

// The caller of one call: a principal acting in one of its roles.
struct Principal {
  std::string user;
  std::string role;  // The role this call acts in (x-marac-role or the first).
  std::string agency;
  std::vector<std::string> roles;  // Every role the principal holds.
  std::vector<std::string> areas;
  std::string peer;        // The verified client certificate's subject.
  std::string request_id;  // This call's id, set by the service.
};

// The principals, indexed by token hash and certificate subject.
// Immutable once loaded, so safe to share between threads.
class PrincipalDirectory {
 public:
  // Parses a "marac-principals/1" document. kInvalidArgument naming the
  // entry and key ("principals[2].token_sha256: ...") for an unknown key, a
  // missing user, agency or role, an unknown role, a malformed hash, an
  // entry with neither a token nor a subject, or a user, token or subject
  // given twice. Messages never repeat a hash.
  static Result<PrincipalDirectory> Parse(std::string_view json_text);
  // Reads and parses the file; kNotFound naming "principals".
  static Result<PrincipalDirectory> Load(const std::string& path);

  // The entry a token hash or a subject names; nullptr for none.
  const PrincipalEntry* ByTokenSha256(std::string_view hash) const;
  const PrincipalEntry* BySubject(std::string_view subject) const;
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<PrincipalEntry> entries_;
  std::unordered_map<std::string, std::size_t> by_token_;
  std::unordered_map<std::string, std::size_t> by_subject_;
};

// The directory the server checks callers against, replaced whole while
// it serves when the principals file is reloaded (SIGHUP): each call reads
// the current one once, so a call sees the old directory or the new, never
// a mix. Thread-safe.
class PrincipalSource {
 public:
  explicit PrincipalSource(PrincipalDirectory directory);
  std::shared_ptr<const PrincipalDirectory> current() const {
    return current_.load(std::memory_order_acquire);
  }
  void Replace(PrincipalDirectory directory);

 private:
  std::atomic<std::shared_ptr<const PrincipalDirectory>> current_;
};

// Identifies a caller from what the call carries: `bearer_token` (from
// "authorization: Bearer <token>"; empty when none), `certificate_subject`
// (the verified client certificate's; empty when none). Returns nullptr
// and sets `error` (a message for UNAUTHENTICATED, naming no secret) when
// the token names nobody or is past its token_valid_until (`today`, UTC,
// is asked only then), the certificate and the token name different
// principals, or neither names anyone. A certificate that names nobody
// identifies nobody, so a valid token still does; an expired token is
// refused even beside a certificate that names its principal.
const PrincipalEntry* Identify(const PrincipalDirectory& directory,
                               std::string_view bearer_token,
                               std::string_view certificate_subject,
                               const std::function<Date()>& today,
                               std::string& error);

}  // namespace marac

#endif  // MARAC_SERVICES_SERVER_PRINCIPALS_H_
