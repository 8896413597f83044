// The meeting cycle's commands: `marac meeting record` (what a meeting did,
// from minutes as strict JSON), `marac meeting circulated` (which research
// list went to whom) and `marac actions list` / `update` (the actions
// agreed, chased by the coordinator), over a store.
//
//   marac meeting record --store marac.db --meeting 2026-03-12
//       --area north --minutes minutes.json
//   marac actions list --store marac.db --open --overdue-on 2026-04-01
//   marac actions update --store marac.db --action ID --status done
//       --on 2026-03-20 --note "locks fitted"
#ifndef MARAC_SERVICES_CLI_MEETING_COMMAND_H_
#define MARAC_SERVICES_CLI_MEETING_COMMAND_H_

#include <ostream>
#include <string>
#include <string_view>

#include "marac/casefile/meeting_record.h"
#include "marac/common/result.h"

namespace marac {

// Minutes as `marac meeting record` reads them: a JSON object
//   {"attendance": ["police-north", ...],
//    "cases": [{"referral_id": "R1", "outcome": "heard",
//               "reason": "...",  (required unless heard)
//               "actions": [{"agency": "...", "owner": "...",
//                            "text": "...", "due_on": "YYYY-MM-DD"}]}]}
// with no other keys. kInvalidArgument naming the path
// ("cases[1].actions[0].due_on") for a wrong type, an unknown or missing
// key, or a value the record's rules refuse.
Result<MeetingRecord> ParseMinutes(std::string_view json,
                                   std::string_view meeting_id);

struct MeetingRecordCommandOptions {
  std::string store;    // --store FILE (must exist)
  std::string meeting;  // --meeting YYYY-MM-DD
  std::string area;     // --area (as the agenda was made for)
  std::string minutes;  // --minutes FILE.json
  std::string user;     // --user (audit); default $USER
};

// Records the minutes; prints what was recorded (or that the same minutes
// were already). Exit 2 for bad minutes or other minutes already recorded.
int RunMeetingRecord(const MeetingRecordCommandOptions& options,
                     std::ostream& out, std::ostream& err);

struct CirculatedCommandOptions {
  std::string store;          // --store FILE (must exist)
  std::string meeting;        // --meeting YYYY-MM-DD
  std::string area;           // --area (as the agenda was made for)
  std::string format = "md";  // json | md
  std::string user;           // --user (audit); default $USER
};

// The circulation log of a meeting: which research list went to which
// agency, when and from whom, with the cases on it and those withheld.
int RunMeetingCirculated(const CirculatedCommandOptions& options,
                         std::ostream& out, std::ostream& err);

struct ActionsListCommandOptions {
  std::string store;          // --store FILE (must exist)
  std::string area;           // --area: actions of that area's referrals
  std::string agency;         // --agency: that agency's actions
  bool open = false;          // --open: only open ones
  std::string overdue_on;     // --overdue-on YYYY-MM-DD: open, due before it
  std::string format = "md";  // json | md | csv
  std::string user;           // --user (audit); default $USER
};

int RunActionsList(const ActionsListCommandOptions& options, std::ostream& out,
                   std::ostream& err);

struct ActionsUpdateCommandOptions {
  std::string store;   // --store FILE (must exist)
  std::string action;  // --action ID
  std::string status;  // --status done | cancelled | open
  std::string on;      // --on YYYY-MM-DD
  std::string note;    // --note TEXT
  std::string user;    // --user (audit); default $USER
};

int RunActionsUpdate(const ActionsUpdateCommandOptions& options,
                     std::ostream& out, std::ostream& err);

}  // namespace marac

#endif  // MARAC_SERVICES_CLI_MEETING_COMMAND_H_
