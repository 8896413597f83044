// Who may do what: every authorisation rule of marac-server, in one place
// (docs/server.md, "Roles and access", is the same table in prose).
// Deny by default: a method no row lists, a role no row names, an object
// outside the caller's agency or areas, are all refused.
//
//   if (!RoleMayCall(Method::kGetReferral, p.role)) -> PERMISSION_DENIED
//   ... look the referral up ...
//   if (!found || !MayReadReferral(p, *found))     -> PERMISSION_DENIED
//                                                     (the same answer)
// Pure functions of their arguments; thread-safe.
#ifndef MARAC_SERVICES_SERVER_ACCESS_H_
#define MARAC_SERVICES_SERVER_ACCESS_H_

#include <string_view>

#include "marac/store/store.h"
#include "services/server/principals.h"

namespace marac {

// Every RPC the server offers.
enum class Method {
  kScoreAssessment,
  kStreamScoreAssessments,
  kSubmitReferral,
  kGetReferral,
  kListReferrals,
  kResolveRecord,
  kExplainMatch,
  kRecordReviewDecision,
  kGenerateAgenda,
  kGetAgenda,
  kListMeetings,
  kListAgendaCases,
  kGetResearchList,
  kGetStatistics,
  kRecordMeeting,
  kListActions,
  kUpdateAction,
  kVerifyAudit,
  kListAuditEntries,
};
inline constexpr Method kAllMethods[] = {
    Method::kScoreAssessment,  Method::kStreamScoreAssessments,
    Method::kSubmitReferral,   Method::kGetReferral,
    Method::kListReferrals,    Method::kResolveRecord,
    Method::kExplainMatch,     Method::kRecordReviewDecision,
    Method::kGenerateAgenda,   Method::kGetAgenda,
    Method::kListMeetings,     Method::kListAgendaCases,
    Method::kGetStatistics,    Method::kVerifyAudit,
    Method::kListAuditEntries, Method::kRecordMeeting,
    Method::kListActions,      Method::kUpdateAction,
    Method::kGetResearchList};

// "ReferralService.GetReferral".
std::string_view MethodName(Method method);

// Whether `role` may call `method` at all. The first check of every call,
// before its request is looked at. A principal must also hold the role
// it acts in (HoldsRole).
bool RoleMayCall(Method method, std::string_view role);
bool HoldsRole(const Principal& principal);

// Whether `principal` works in `area` (one of its listed areas).
bool InArea(const Principal& principal, std::string_view area);

// Submitting a referral in `area`: a principal that lists areas submits
// only in those; one that lists none, in any (its agency is what scopes
// the referral).
bool MaySubmitIn(const Principal& principal, std::string_view area);

// Reading one referral: referrer and idva read their agency's; a
// coordinator reads those of its areas; nobody else reads any.
bool MayReadReferral(const Principal& principal,
                     const StoredReferral& referral);

// Listing referrals of `area` (empty: no area named): referrer and idva
// may name any area (they see their agency's referrals only); a
// coordinator must name one of its areas or none (then it sees its areas').
bool MayListReferralsOf(const Principal& principal, std::string_view area);

// Agendas and meetings of `area`: generating and statistics are the
// coordinator's; reading agendas and meetings, the coordinator's and the
// chair's; always only in the principal's own areas.
bool MayGenerateAgendaFor(const Principal& principal, std::string_view area);
bool MayReadAgendasOf(const Principal& principal, std::string_view area);
bool MayReadStatisticsOf(const Principal& principal, std::string_view area);
// A meeting's record: the coordinator's and the chair's, of their areas.
bool MayRecordMeetingOf(const Principal& principal, std::string_view area);
// An action: a referrer or IDVA, their own agency's; a coordinator or
// chair, those of their areas' meetings (`area`, the meeting's).
bool MayChangeAction(const Principal& principal, std::string_view agency,
                     std::string_view area);
// The chair's view of an agenda (names, as the priority policy allows):
// chairs only, on top of MayReadAgendasOf.
bool MayReadChairView(const Principal& principal);

}  // namespace marac

#endif  // MARAC_SERVICES_SERVER_ACCESS_H_
