#include "services/wire/meeting_wire.h"

#include <string>

namespace marac {

using wire_detail::Index;
using wire_detail::Path;

std::optional<HearingOutcome> HearingOutcomeFromWire(v1::HearingOutcome o) {
  switch (o) {
    case v1::HEARING_OUTCOME_HEARD:
      return HearingOutcome::kHeard;
    case v1::HEARING_OUTCOME_ADJOURNED:
      return HearingOutcome::kAdjourned;
    case v1::HEARING_OUTCOME_TRANSFERRED_OUT:
      return HearingOutcome::kTransferredOut;
    case v1::HEARING_OUTCOME_WITHDRAWN:
      return HearingOutcome::kWithdrawn;
    default:
      return std::nullopt;
  }
}

v1::HearingOutcome HearingOutcomeToWire(HearingOutcome outcome) {
  switch (outcome) {
    case HearingOutcome::kAdjourned:
      return v1::HEARING_OUTCOME_ADJOURNED;
    case HearingOutcome::kTransferredOut:
      return v1::HEARING_OUTCOME_TRANSFERRED_OUT;
    case HearingOutcome::kWithdrawn:
      return v1::HEARING_OUTCOME_WITHDRAWN;
    case HearingOutcome::kHeard:
      break;
  }
  return v1::HEARING_OUTCOME_HEARD;
}

std::optional<ActionStatus> ActionStatusFromWire(v1::ActionStatus s) {
  switch (s) {
    case v1::ACTION_STATUS_OPEN:
      return ActionStatus::kOpen;
    case v1::ACTION_STATUS_DONE:
      return ActionStatus::kDone;
    case v1::ACTION_STATUS_CANCELLED:
      return ActionStatus::kCancelled;
    default:
      return std::nullopt;
  }
}

v1::ActionStatus ActionStatusToWire(ActionStatus status) {
  switch (status) {
    case ActionStatus::kDone:
      return v1::ACTION_STATUS_DONE;
    case ActionStatus::kCancelled:
      return v1::ACTION_STATUS_CANCELLED;
    case ActionStatus::kOpen:
      break;
  }
  return v1::ACTION_STATUS_OPEN;
}

std::optional<MeetingRecord> MeetingRecordFromWire(
    const v1::RecordMeetingRequest& request, std::string_view meeting_id,
    const WireLimits& limits, FieldViolations& violations) {
  const std::size_t before = violations.all().size();
  MeetingRecord record;
  record.meeting_id = std::string(meeting_id);
  if (CheckListSize(request.attendance_size(), "attendance", limits,
                    violations)) {
    for (int i = 0; i < request.attendance_size(); ++i) {
      CheckLabel(request.attendance(i), Index("attendance", i), false,
                 violations);
      record.attendance.push_back(request.attendance(i));
    }
  }
  if (!CheckListSize(request.cases_size(), "cases", limits, violations)) {
    return std::nullopt;
  }
  for (int i = 0; i < request.cases_size(); ++i) {
    const v1::CaseHearing& c = request.cases(i);
    const std::string at = Index("cases", i);
    CaseHearing hearing;
    CheckId(c.referral_id(), Path(at, "referral_id"), false, violations);
    hearing.referral_id = c.referral_id();
    const std::optional<HearingOutcome> outcome =
        HearingOutcomeFromWire(c.outcome());
    if (!outcome) {
      violations.Add(Path(at, "outcome"),
                     c.outcome() == v1::HEARING_OUTCOME_UNSPECIFIED
                         ? "required"
                         : "not a HearingOutcome value");
    } else {
      hearing.outcome = *outcome;
    }
    CheckText(c.reason(), Path(at, "reason"), limits, violations);
    hearing.reason = c.reason();
    const std::string actions = Path(at, "actions");
    if (CheckListSize(c.actions_size(), actions, limits, violations)) {
      for (int k = 0; k < c.actions_size(); ++k) {
        const v1::CaseAction& a = c.actions(k);
        const std::string field = Index(actions, k);
        if (!a.action_id().empty() || !a.meeting_id().empty() ||
            !a.referral_id().empty() ||
            a.status() != v1::ACTION_STATUS_UNSPECIFIED || a.has_status_on() ||
            !a.note().empty() || a.overdue()) {
          violations.Add(field,
                         "ids, status, status_on, note and overdue are set "
                         "by the server; leave them empty");
        }
        CaseAction action;
        CheckLabel(a.agency(), Path(field, "agency"), false, violations);
        action.agency = a.agency();
        CheckText(a.owner(), Path(field, "owner"), limits, violations);
        action.owner = a.owner();
        CheckText(a.text(), Path(field, "text"), limits, violations);
        action.text = a.text();
        if (!a.has_due_on()) {
          violations.Add(Path(field, "due_on"), "required");
        } else if (const std::optional<Date> d = DateFromWire(
                       a.due_on(), Path(field, "due_on"), violations)) {
          action.due_on = *d;
        }
        hearing.actions.push_back(std::move(action));
      }
    }
    record.cases.push_back(std::move(hearing));
  }
  if (violations.all().size() != before) return std::nullopt;
  NumberActions(record);
  return record;
}

void CaseActionToWire(const CaseAction& a, Date as_of, v1::CaseAction* out) {
  out->set_action_id(a.action_id);
  out->set_meeting_id(a.meeting_id);
  out->set_referral_id(a.referral_id);
  out->set_agency(a.agency);
  out->set_owner(a.owner);
  out->set_text(a.text);
  DateToWire(a.due_on, out->mutable_due_on());
  out->set_status(ActionStatusToWire(a.status));
  if (a.status_on) DateToWire(*a.status_on, out->mutable_status_on());
  out->set_note(a.note);
  out->set_overdue(IsOverdue(a, as_of));
}

}  // namespace marac
