// What each marac.v1 handler checks of its request before it reads or
// writes anything, and what it makes of it: one function per request, so
// that the handlers and the RPC fuzz target (tests/fuzz/rpc_request_fuzz.cc)
// run the same code. Each adds one violation per rule broken, naming the
// field (FieldViolations), and returns what it converted; a value is
// returned only when no violation was added by it.
//
//   FieldViolations violations;
//   const AgendaRequest r = CheckAgendaRequest(*request, limits, violations);
//   if (!violations.empty()) return violations.ToStatus();
//   ... r.meeting->meeting_id ...
#ifndef MARAC_SERVICES_SERVER_REQUESTS_H_
#define MARAC_SERVICES_SERVER_REQUESTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "marac/agenda/agenda.h"
#include "marac/common/date.h"
#include "marac/v1/agenda.pb.h"
#include "marac/v1/audit.pb.h"
#include "marac/v1/linkage.pb.h"
#include "marac/v1/meeting.pb.h"
#include "marac/v1/referral.pb.h"
#include "marac/v1/statistics.pb.h"
#include "services/server/paging.h"
#include "services/wire/convert.h"
#include "services/wire/rpc_status.h"

namespace marac::server {

// GetReferralRequest: an id and a purpose.
void CheckGetReferral(const v1::GetReferralRequest& r, const WireLimits& limits,
                      FieldViolations& violations);

// ListReferralsRequest: a purpose, an optional area and last date, paging.
struct ReferralsQuery {
  std::optional<Date> until;
  std::optional<PageKey> after;
};
ReferralsQuery CheckListReferrals(const v1::ListReferralsRequest& r,
                                  const WireLimits& limits,
                                  FieldViolations& violations);

// ExplainMatchRequest and RecordReviewDecisionRequest: two different
// record ids and a purpose (and for a decision, its verdict).
void CheckRecordPair(const std::string& a, const std::string& b,
                     const std::string& purpose, const WireLimits& limits,
                     FieldViolations& violations);
void CheckReviewDecision(const v1::RecordReviewDecisionRequest& r,
                         const WireLimits& limits, FieldViolations& violations);

// GenerateAgendaRequest and ListAgendaCasesRequest: the meeting they name
// (area, date, cut-off, capacity; the id "M-<date>-<area>") and a purpose;
// for ListAgendaCases also which list and the paging.
std::optional<AgendaMeeting> CheckGenerateAgenda(
    const v1::GenerateAgendaRequest& r, const WireLimits& limits,
    FieldViolations& violations);
struct AgendaCasesQuery {
  std::optional<AgendaMeeting> meeting;
  std::optional<PageKey> after;
};
AgendaCasesQuery CheckListAgendaCases(const v1::ListAgendaCasesRequest& r,
                                      const WireLimits& limits,
                                      FieldViolations& violations);

// GetResearchListRequest: the meeting (as GenerateAgenda), an optional
// agency label and a format.
std::optional<AgendaMeeting> CheckGetResearchList(
    const v1::GetResearchListRequest& r, const WireLimits& limits,
    FieldViolations& violations);

// GetAgendaRequest: an id, a purpose and a view.
void CheckGetAgenda(const v1::GetAgendaRequest& r, const WireLimits& limits,
                    FieldViolations& violations);

// ListMeetingsRequest: an optional area, a purpose, paging.
std::optional<PageKey> CheckListMeetings(const v1::ListMeetingsRequest& r,
                                         const WireLimits& limits,
                                         FieldViolations& violations);

// GetStatisticsRequest: an area, a period (both ends, in order), a purpose.
// RecordMeeting: the area, the meeting's date, the purpose and the record
// (MeetingRecordFromWire), as the record of MeetingId(date, area).
std::optional<MeetingRecord> CheckRecordMeeting(
    const v1::RecordMeetingRequest& r, const WireLimits& limits,
    FieldViolations& violations);

// ListActions: the area (optional here; the handler requires it of
// coordinators and chairs), the date, the purpose and the paging.
struct ActionsQuery {
  std::optional<Date> overdue_on;
  std::optional<PageKey> after;
};
ActionsQuery CheckListActions(const v1::ListActionsRequest& r,
                              const WireLimits& limits,
                              FieldViolations& violations);

// UpdateAction: the action id, the status, the date, the note and the
// purpose.
std::optional<Store::ActionUpdate> CheckUpdateAction(
    const v1::UpdateActionRequest& r, const WireLimits& limits,
    FieldViolations& violations);

std::optional<std::pair<Date, Date>> CheckGetStatistics(
    const v1::GetStatisticsRequest& r, const WireLimits& limits,
    FieldViolations& violations);

// VerifyAuditRequest: a purpose and an anchor (both parts or neither).
std::optional<std::pair<std::int64_t, std::string>> CheckVerifyAudit(
    const v1::VerifyAuditRequest& r, const WireLimits& limits,
    FieldViolations& violations);

// ListAuditEntriesRequest: a purpose, where to start, a page size, an
// optional object id.
void CheckListAuditEntries(const v1::ListAuditEntriesRequest& r,
                           const WireLimits& limits,
                           FieldViolations& violations);

}  // namespace marac::server

#endif  // MARAC_SERVICES_SERVER_REQUESTS_H_
