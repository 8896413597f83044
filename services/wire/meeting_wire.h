// The meeting area (marac/v1/meeting.proto): a meeting record from the
// wire, checked and numbered; actions to the wire; statuses and outcomes
// both ways.
//
//   const std::optional<MeetingRecord> record = MeetingRecordFromWire(
//       request, meeting_id, limits, violations);
#ifndef MARAC_SERVICES_WIRE_MEETING_WIRE_H_
#define MARAC_SERVICES_WIRE_MEETING_WIRE_H_

#include <optional>
#include <string_view>

#include "marac/casefile/meeting_record.h"
#include "marac/v1/meeting.pb.h"
#include "services/wire/common_wire.h"

namespace marac {

std::optional<HearingOutcome> HearingOutcomeFromWire(v1::HearingOutcome o);
v1::HearingOutcome HearingOutcomeToWire(HearingOutcome outcome);
std::optional<ActionStatus> ActionStatusFromWire(v1::ActionStatus s);
v1::ActionStatus ActionStatusToWire(ActionStatus status);

// The record of `meeting_id` from a RecordMeeting request's attendance and
// cases: every field checked (ids, labels, texts, dates, enums), the
// actions numbered. The server-set fields of an action must be empty.
std::optional<MeetingRecord> MeetingRecordFromWire(
    const v1::RecordMeetingRequest& request, std::string_view meeting_id,
    const WireLimits& limits, FieldViolations& violations);

// An action as it stands; `overdue` as judged on `as_of`.
void CaseActionToWire(const CaseAction& action, Date as_of,
                      v1::CaseAction* out);

}  // namespace marac

#endif  // MARAC_SERVICES_WIRE_MEETING_WIRE_H_
