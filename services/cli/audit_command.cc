// `marac audit verify` and `marac audit who-saw`: the audit log's chain, and
// who has seen an object.
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "marac/identity/resolver.h"
#include "marac/report/statistics.h"
#include "services/cli/agenda_command.h"
#include "services/cli/commands.h"
#include "services/cli/input_file.h"
#include "services/cli/progress.h"
#include "services/cli/record_csv.h"
#include "services/cli/remote_client.h"
#include "services/cli/store_command.h"

namespace marac {

using cli::CliActor;
using cli::Fail;

int RunAuditVerify(const AuditVerifyCommandOptions& options, std::ostream& out,
                   std::ostream& err) {
  const auto fail = [&](const Status& s) {
    return Fail(err, "audit verify", s);
  };
  std::optional<std::pair<std::int64_t, std::string>> anchor;
  if (!options.expect_head.empty()) {
    const std::string& head = options.expect_head;
    const std::size_t colon = head.find(':');
    const std::string number = head.substr(0, colon);
    const std::string hash =
        colon == std::string::npos ? "" : head.substr(colon + 1);
    if (number.empty() || number.size() > 18 ||
        number.find_first_not_of("0123456789") != std::string::npos ||
        hash.size() != 64 ||
        hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return fail(
          InvalidArgument("--expect-head",
                          "not SEQUENCE:HASH (a number, a colon and 64 "
                          "lower-case hex digits, as verify printed it)"));
    }
    anchor.emplace(std::stoll(number), hash);
  }
  Result<std::unique_ptr<Store>> store =
      OpenStore(options.store, {.create = false});
  if (!store.ok()) return fail(store.status());
  const Actor actor =
      CliActor(options.user, "auditor", "verify the audit hash chain");
  const Result<AuditVerification> v = (*store)->VerifyAudit(actor, anchor);
  if (!v.ok()) return fail(v.status());
  if (!v->intact) {
    err << "marac audit verify: the audit chain is BROKEN at entry "
        << v->broken_at << ": " << v->problem << " (" << v->entries
        << " entries read)\n";
    return kExitTampered;
  }
  out << "marac audit verify: the audit chain is intact: " << v->entries
      << " entries" << (anchor ? ", including the recorded head" : "")
      << "; head " << v->head_sequence << ":" << v->head_hash
      << " (record it to check the log is never cut back past it)\n";
  return kExitOk;
}

namespace {

// A field of a who-saw line: a tab, line break or other control character
// in it (a caller's purpose may hold any) is written as an escape, so that
// no field can forge a line or a column.
std::string Field(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (u < 0x20 || u == 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

int RunAuditWhoSaw(const AuditWhoSawCommandOptions& options, std::ostream& out,
                   std::ostream& err) {
  const auto fail = [&](const Status& s) {
    return Fail(err, "audit who-saw", s);
  };
  if (options.object.empty()) {
    return fail(InvalidArgument("--object", "required: the id to look for"));
  }
  const std::string purpose = "who has seen " + options.object;
  std::vector<AuditEntry> entries;
  if (options.remote != nullptr) {
    Result<std::vector<AuditEntry>> got =
        options.remote->AuditMentioning(options.object, purpose);
    if (!got.ok()) return fail(got.status());
    entries = *std::move(got);
  } else {
    Result<std::unique_ptr<Store>> store = cli::OpenCommandStore(options.store);
    if (!store.ok()) return fail(store.status());
    const Actor actor = CliActor(options.user, "auditor", purpose);
    // A page at a time, as a server would: the log may be long.
    constexpr std::size_t kPage = 1000;
    std::int64_t after = 0;
    for (;;) {
      Result<std::vector<AuditEntry>> page =
          (*store)->AuditMentioning(actor, options.object, after, kPage);
      if (!page.ok()) return fail(page.status());
      if (page->empty()) break;
      after = page->back().sequence;
      const bool last = page->size() < kPage;
      entries.insert(entries.end(), std::make_move_iterator(page->begin()),
                     std::make_move_iterator(page->end()));
      if (last) break;
    }
  }
  const auto saw = [](const AuditEntry& e) {
    return e.action == "disclose" && e.outcome == "ok";
  };
  std::set<std::string> users;
  std::size_t shown = 0;
  for (const AuditEntry& e : entries) {
    if (saw(e)) users.insert(e.user);
  }
  out << "marac audit who-saw " << options.object << ": " << users.size()
      << (users.size() == 1 ? " caller has" : " callers have") << " seen it; "
      << entries.size() << " audit entries name it\n";
  for (const AuditEntry& e : entries) {
    if (!options.all && !saw(e)) continue;
    if (shown++ == 0) {
      out << "sequence\tat\tuser\trole\tagency\taction\toutcome\t"
             "request_id\tpurpose\n";
    }
    out << e.sequence << "\t" << Field(e.at) << "\t" << Field(e.user) << "\t"
        << Field(e.role) << "\t" << Field(e.agency) << "\t" << Field(e.action)
        << "\t" << Field(e.outcome) << "\t" << Field(e.request_id) << "\t"
        << Field(e.purpose) << "\n";
  }
  return kExitOk;
}

}  // namespace marac
