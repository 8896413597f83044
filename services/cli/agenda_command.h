// The store commands, one file each: `marac agenda` (agenda_command.cc; the
// pipeline behind it is services/casework, shared with `marac demo` and
// the server), `marac report` (report_command.cc), `marac import`
// (import_command.cc), `marac audit verify` and `who-saw`
// (audit_command.cc); what they share is store_command.h.
#ifndef MARAC_SERVICES_CLI_AGENDA_COMMAND_H_
#define MARAC_SERVICES_CLI_AGENDA_COMMAND_H_

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "marac/agenda/agenda.h"
#include "marac/report/statistics.h"
#include "marac/store/store.h"
#include "services/casework/casework.h"
#include "services/cli/progress.h"

namespace marac {

class RemoteClient;

struct AgendaCommandOptions {
  std::string store;                // --store FILE (must exist)
  RemoteClient* remote = nullptr;   // --server: ask it instead of a store
  std::string meeting;              // --meeting YYYY-MM-DD
  int capacity = 0;                 // --capacity N (cases)
  std::string format = "md";        // json | md | html
  std::string view = "circulated";  // circulated | chair | research
  std::string agency;         // --agency: the research list's receiving agency
  std::string area;           // --area (empty: every area)
  std::string cutoff;         // --cutoff YYYY-MM-DD (default: 7 days before)
  bool save = false;          // --save: store it (its cases count as heard)
  std::string user;           // --user (audit); default $USER
  std::string policy_file;    // --priority-policy FILE (JSON)
  std::string bank_holidays;  // --bank-holidays FILE (date,name CSV)
};

int RunAgenda(const AgendaCommandOptions& options, std::ostream& out,
              std::ostream& err);

struct ReportCommandOptions {
  std::string store;               // --store FILE (must exist)
  RemoteClient* remote = nullptr;  // --server: ask it instead of a store
  std::string from;                // --from YYYY-MM-DD
  std::string to;                  // --to YYYY-MM-DD
  std::string format = "md";       // json | md | html
  std::int64_t adult_women = 0;    // --adult-women N
  bool compare_previous = false;   // --compare-previous
  std::string area;                // --area A (with --store; empty: all)
  std::string user;                // --user (audit); default $USER
  // --one-stop-shops: the One Stop Shops' yearly return instead, over
  // `years` July-to-June years ending with the one holding `to` (default
  // today), counted up to `to`.
  bool one_stop_shops = false;
  int years = 5;  // --years N
};

struct AuditVerifyCommandOptions {
  std::string store;        // --store FILE (must exist)
  std::string expect_head;  // --expect-head SEQUENCE:HASH (optional)
  std::string user;         // --user (audit); default $USER
};

struct AuditWhoSawCommandOptions {
  std::string store;               // --store FILE (must exist)
  RemoteClient* remote = nullptr;  // --server: ask it (as an auditor)
  std::string object;              // --object ID (a referral, record, agenda)
  bool all = false;                // --all: every entry naming it
  std::string user;                // --user (audit); default $USER
};

struct ImportCommandOptions {
  std::string store;  // --store FILE (created when absent)
  // --server: records are resolved and referrals submitted through it
  // (the other files have no RPC and are refused).
  RemoteClient* remote = nullptr;
  std::vector<std::string> records;  // --records CSV (marac link's layout)
  std::string incidents;             // --incidents CSV
  std::string assessments;           // --assessments CSV
  std::string referrals;             // --referrals CSV
  std::string idva;                  // --idva CSV (IDVA allocations)
  std::string visits;                // --visits CSV (One Stop Shop visits)
  std::string sessions;              // --sessions CSV (their sessions)
  bool link = false;         // --link: resolve every stored record into people
  std::string user;          // --user (audit); default $USER
  ProgressOptions progress;  // --quiet, --progress-every
};

// `marac import`: a coordinator's files into the store. Every file is read
// and checked before anything is written; each file is then written in one
// transaction, in the order records, incidents, assessments, referrals,
// IDVA allocations. A long run reports its progress on `err` (see
// progress.h).
int RunImport(const ImportCommandOptions& options, std::ostream& out,
              std::ostream& err);

// `marac audit verify`: recomputes the audit log's hash chain. Prints the
// entries checked and the head (sequence:hash) to record for the next
// check; exit 3 naming the first broken entry when it fails.
int RunAuditVerify(const AuditVerifyCommandOptions& options, std::ostream& out,
                   std::ostream& err);

// `marac audit who-saw`: who has seen an object. Reads the audit entries
// naming it (the read is itself audited) and prints those that disclosed
// it to a caller, oldest first, with who, when, in which role and agency,
// and why; with `all`, every entry naming it (reads by the server, writes,
// refusals). Exit 0 also when nobody has seen it.
int RunAuditWhoSaw(const AuditWhoSawCommandOptions& options, std::ostream& out,
                   std::ostream& err);

// `marac report`: the statistics returns over a period, from the store.
int RunReport(const ReportCommandOptions& options, std::ostream& out,
              std::ostream& err);

}  // namespace marac

#endif  // MARAC_SERVICES_CLI_AGENDA_COMMAND_H_
