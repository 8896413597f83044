// What a MARAC meeting recorded: who attended (by agency), what became of
// each case heard (heard, adjourned, transferred out, withdrawn, with a
// reason) and the actions agreed (agency, owner, text, due date), and how
// each action stands since. Plain values: the store keeps them, the agenda
// reads them (a repeat's last hearing, open and overdue actions, an
// adjourned case back on the next agenda), the minutes parser makes them.
//
//   MeetingRecord r{"M-2026-03-12-north", {"police-north", "idva-north"},
//                   {{"R1", HearingOutcome::kHeard, "", {action}}}};
//   if (IsOverdue(action, today)) ...
#ifndef MARAC_CASEFILE_MEETING_RECORD_H_
#define MARAC_CASEFILE_MEETING_RECORD_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

// What became of a case at a meeting.
enum class HearingOutcome {
  kHeard,           // Discussed; actions agreed.
  kAdjourned,       // Not finished: back on the next agenda, with the reason.
  kTransferredOut,  // Moved to another area's MARAC.
  kWithdrawn,       // Withdrawn by the referrer (with the reason).
};
std::string_view HearingOutcomeName(HearingOutcome outcome);
// "heard" | "adjourned" | "transferred_out" | "withdrawn"; kInvalidArgument
// naming `field` otherwise.
Result<HearingOutcome> ParseHearingOutcome(std::string_view field,
                                           std::string_view name);

enum class ActionStatus { kOpen, kDone, kCancelled };
std::string_view ActionStatusName(ActionStatus status);
// "open" | "done" | "cancelled"; kInvalidArgument naming `field` otherwise.
Result<ActionStatus> ParseActionStatus(std::string_view field,
                                       std::string_view name);

// An action agreed at a meeting for one case.
struct CaseAction {
  // "<meeting id>/<referral id>/<n>", n from 1 in the order recorded: the
  // same minutes give the same ids.
  std::string action_id;
  std::string meeting_id;
  std::string referral_id;
  std::string agency;  // Who must do it.
  std::string owner;   // The named person or role at that agency.
  std::string text;
  Date due_on;
  ActionStatus status = ActionStatus::kOpen;
  std::optional<Date> status_on;  // When it was done or cancelled.
  std::string note = {};          // The last update's note.
};

// Open and due before `today`.
bool IsOverdue(const CaseAction& action, Date today);

// One case as the meeting dealt with it.
struct CaseHearing {
  std::string referral_id;
  HearingOutcome outcome = HearingOutcome::kHeard;
  std::string reason;  // Required for adjourned, transferred out, withdrawn.
  std::vector<CaseAction> actions;
};

struct MeetingRecord {
  std::string meeting_id;
  std::vector<std::string> attendance;  // Agencies present, as recorded.
  std::vector<CaseHearing> cases;
};

// The action id of the n-th action (from 1) of a case at a meeting.
std::string ActionId(std::string_view meeting_id, std::string_view referral_id,
                     int n);

// Fills each action's id, meeting and referral from where it sits in the
// record (minutes carry none of them).
void NumberActions(MeetingRecord& record);

// The rules a record keeps whatever its source: a meeting id; attendance
// agencies named and not repeated; each case named once, a reason where
// the outcome needs one, and each action with an agency, an owner, a text
// and a real due date not before `meeting_date`. kInvalidArgument naming
// the field ("cases[2].actions[0].due_on").
Status CheckMeetingRecord(const MeetingRecord& record, Date meeting_date);

// Whether two records say the same (attendance as a set; cases and their
// actions in order, ignoring status updates since).
bool SameMeetingRecord(const MeetingRecord& a, const MeetingRecord& b);

}  // namespace marac

#endif  // MARAC_CASEFILE_MEETING_RECORD_H_
