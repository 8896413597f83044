#include "marac/casefile/meeting_record.h"

#include <algorithm>
#include <set>
#include <string>

namespace marac {
namespace {

Status Named(const std::string& field, std::string_view value) {
  if (value.empty()) return InvalidArgument(field, "empty");
  if (value.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return InvalidArgument(field, "blank");
  }
  return Status::Ok();
}

std::string Index(std::string_view field, std::size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

}  // namespace

std::string_view HearingOutcomeName(HearingOutcome outcome) {
  switch (outcome) {
    case HearingOutcome::kAdjourned:
      return "adjourned";
    case HearingOutcome::kTransferredOut:
      return "transferred_out";
    case HearingOutcome::kWithdrawn:
      return "withdrawn";
    case HearingOutcome::kHeard:
      break;
  }
  return "heard";
}

Result<HearingOutcome> ParseHearingOutcome(std::string_view field,
                                           std::string_view name) {
  for (const HearingOutcome o :
       {HearingOutcome::kHeard, HearingOutcome::kAdjourned,
        HearingOutcome::kTransferredOut, HearingOutcome::kWithdrawn}) {
    if (HearingOutcomeName(o) == name) return o;
  }
  return InvalidArgument(field, "'" + std::string(name) +
                                    "' is not heard, adjourned, "
                                    "transferred_out or withdrawn");
}

std::string_view ActionStatusName(ActionStatus status) {
  switch (status) {
    case ActionStatus::kDone:
      return "done";
    case ActionStatus::kCancelled:
      return "cancelled";
    case ActionStatus::kOpen:
      break;
  }
  return "open";
}

Result<ActionStatus> ParseActionStatus(std::string_view field,
                                       std::string_view name) {
  for (const ActionStatus s :
       {ActionStatus::kOpen, ActionStatus::kDone, ActionStatus::kCancelled}) {
    if (ActionStatusName(s) == name) return s;
  }
  return InvalidArgument(
      field, "'" + std::string(name) + "' is not open, done or cancelled");
}

bool IsOverdue(const CaseAction& action, Date today) {
  return action.status == ActionStatus::kOpen && action.due_on < today;
}

std::string ActionId(std::string_view meeting_id, std::string_view referral_id,
                     int n) {
  return std::string(meeting_id) + "/" + std::string(referral_id) + "/" +
         std::to_string(n);
}

void NumberActions(MeetingRecord& record) {
  for (CaseHearing& c : record.cases) {
    int n = 0;
    for (CaseAction& a : c.actions) {
      a.action_id = ActionId(record.meeting_id, c.referral_id, ++n);
      a.meeting_id = record.meeting_id;
      a.referral_id = c.referral_id;
    }
  }
}

Status CheckMeetingRecord(const MeetingRecord& record, Date meeting_date) {
  MARAC_RETURN_IF_ERROR(Named("meeting_id", record.meeting_id));
  std::set<std::string> agencies;
  for (std::size_t i = 0; i < record.attendance.size(); ++i) {
    const std::string field = Index("attendance", i);
    MARAC_RETURN_IF_ERROR(Named(field, record.attendance[i]));
    if (!agencies.insert(record.attendance[i]).second) {
      return InvalidArgument(field, "'" + record.attendance[i] + "' repeated");
    }
  }
  std::set<std::string> referrals;
  for (std::size_t i = 0; i < record.cases.size(); ++i) {
    const CaseHearing& c = record.cases[i];
    const std::string field = Index("cases", i);
    MARAC_RETURN_IF_ERROR(Named(field + ".referral_id", c.referral_id));
    if (!referrals.insert(c.referral_id).second) {
      return InvalidArgument(field + ".referral_id",
                             "'" + c.referral_id + "' recorded twice");
    }
    if (c.outcome != HearingOutcome::kHeard && !Named("", c.reason).ok()) {
      return InvalidArgument(field + ".reason",
                             "required when the outcome is " +
                                 std::string(HearingOutcomeName(c.outcome)));
    }
    for (std::size_t k = 0; k < c.actions.size(); ++k) {
      const CaseAction& a = c.actions[k];
      const std::string at = Index(field + ".actions", k);
      MARAC_RETURN_IF_ERROR(Named(at + ".agency", a.agency));
      MARAC_RETURN_IF_ERROR(Named(at + ".owner", a.owner));
      MARAC_RETURN_IF_ERROR(Named(at + ".text", a.text));
      if (!a.due_on.IsValid()) {
        return InvalidArgument(at + ".due_on", "not a date in years 1-9999");
      }
      if (a.due_on < meeting_date) {
        return InvalidArgument(
            at + ".due_on", "before the meeting on " + meeting_date.ToString());
      }
    }
  }
  return Status::Ok();
}

bool SameMeetingRecord(const MeetingRecord& a, const MeetingRecord& b) {
  if (a.meeting_id != b.meeting_id || a.cases.size() != b.cases.size()) {
    return false;
  }
  const std::set<std::string> x(a.attendance.begin(), a.attendance.end());
  const std::set<std::string> y(b.attendance.begin(), b.attendance.end());
  if (x != y) return false;
  for (std::size_t i = 0; i < a.cases.size(); ++i) {
    const CaseHearing& p = a.cases[i];
    const CaseHearing& q = b.cases[i];
    if (p.referral_id != q.referral_id || p.outcome != q.outcome ||
        p.reason != q.reason || p.actions.size() != q.actions.size()) {
      return false;
    }
    for (std::size_t k = 0; k < p.actions.size(); ++k) {
      const CaseAction& s = p.actions[k];
      const CaseAction& t = q.actions[k];
      if (s.agency != t.agency || s.owner != t.owner || s.text != t.text ||
          s.due_on != t.due_on) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace marac
