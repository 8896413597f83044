#include "services/server/access.h"

#include <algorithm>
#include <array>

namespace marac {
namespace {

struct Rule {
  Method method;
  std::string_view name;
  std::array<std::string_view, 4> roles;  // Unused slots empty.
};

// The table. A method missing here is refused to everyone.
const Rule kRules[] = {
    {Method::kScoreAssessment,
     "AssessmentService.ScoreAssessment",
     {"referrer", "idva", "coordinator"}},
    {Method::kStreamScoreAssessments,
     "AssessmentService.StreamScoreAssessments",
     {"referrer", "idva", "coordinator"}},
    {Method::kSubmitReferral,
     "ReferralService.SubmitReferral",
     {"referrer", "idva"}},
    {Method::kGetReferral,
     "ReferralService.GetReferral",
     {"referrer", "idva", "coordinator"}},
    {Method::kListReferrals,
     "ReferralService.ListReferrals",
     {"referrer", "idva", "coordinator"}},
    {Method::kResolveRecord, "IdentityService.ResolveRecord", {"coordinator"}},
    {Method::kExplainMatch, "IdentityService.ExplainMatch", {"coordinator"}},
    {Method::kRecordReviewDecision,
     "IdentityService.RecordReviewDecision",
     {"coordinator"}},
    {Method::kGenerateAgenda, "AgendaService.GenerateAgenda", {"coordinator"}},
    {Method::kGetAgenda, "AgendaService.GetAgenda", {"coordinator", "chair"}},
    {Method::kListMeetings,
     "AgendaService.ListMeetings",
     {"coordinator", "chair"}},
    {Method::kListAgendaCases,
     "AgendaService.ListAgendaCases",
     {"coordinator", "chair"}},
    {Method::kGetResearchList,
     "AgendaService.GetResearchList",
     {"coordinator", "chair"}},
    {Method::kGetStatistics,
     "StatisticsService.GetStatistics",
     {"coordinator"}},
    {Method::kRecordMeeting,
     "MeetingService.RecordMeeting",
     {"coordinator", "chair"}},
    {Method::kListActions,
     "MeetingService.ListActions",
     {"referrer", "idva", "coordinator", "chair"}},
    {Method::kUpdateAction,
     "MeetingService.UpdateAction",
     {"referrer", "idva", "coordinator", "chair"}},
    {Method::kVerifyAudit, "AuditService.VerifyAudit", {"auditor"}},
    {Method::kListAuditEntries, "AuditService.ListAuditEntries", {"auditor"}},
};

const Rule* RuleOf(Method method) {
  for (const Rule& r : kRules) {
    if (r.method == method) return &r;
  }
  return nullptr;
}

bool Contains(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

std::string_view MethodName(Method method) {
  const Rule* rule = RuleOf(method);
  return rule == nullptr ? std::string_view("unknown method") : rule->name;
}

bool RoleMayCall(Method method, std::string_view role) {
  const Rule* rule = RuleOf(method);
  if (rule == nullptr) return false;
  return !role.empty() && std::find(rule->roles.begin(), rule->roles.end(),
                                    role) != rule->roles.end();
}

bool HoldsRole(const Principal& principal) {
  return Contains(principal.roles, principal.role);
}

bool InArea(const Principal& principal, std::string_view area) {
  return !area.empty() && Contains(principal.areas, area);
}

bool MaySubmitIn(const Principal& principal, std::string_view area) {
  return principal.areas.empty() || InArea(principal, area);
}

bool MayReadReferral(const Principal& principal,
                     const StoredReferral& referral) {
  if (principal.role == "referrer" || principal.role == "idva") {
    return !principal.agency.empty() && referral.agency == principal.agency;
  }
  if (principal.role == "coordinator") {
    return InArea(principal, referral.area);
  }
  return false;
}

bool MayListReferralsOf(const Principal& principal, std::string_view area) {
  if (principal.role == "referrer" || principal.role == "idva") return true;
  if (principal.role == "coordinator") {
    return area.empty() || InArea(principal, area);
  }
  return false;
}

bool MayGenerateAgendaFor(const Principal& principal, std::string_view area) {
  return principal.role == "coordinator" && InArea(principal, area);
}

bool MayReadAgendasOf(const Principal& principal, std::string_view area) {
  return (principal.role == "coordinator" || principal.role == "chair") &&
         InArea(principal, area);
}

bool MayReadStatisticsOf(const Principal& principal, std::string_view area) {
  return principal.role == "coordinator" && InArea(principal, area);
}

bool MayRecordMeetingOf(const Principal& principal, std::string_view area) {
  return (principal.role == "coordinator" || principal.role == "chair") &&
         InArea(principal, area);
}

bool MayChangeAction(const Principal& principal, std::string_view agency,
                     std::string_view area) {
  if (principal.role == "referrer" || principal.role == "idva") {
    return !principal.agency.empty() && agency == principal.agency;
  }
  if (principal.role == "coordinator" || principal.role == "chair") {
    return InArea(principal, area);
  }
  return false;
}

bool MayReadChairView(const Principal& principal) {
  return principal.role == "chair";
}

}  // namespace marac
