#include "lib/store/rows.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace marac::rows {
namespace {

using db::JsonList;
using db::ParseList;
using db::Statement;

std::vector<std::string_view> Split(std::string_view columns) {
  std::vector<std::string_view> out;
  while (!columns.empty()) {
    const std::size_t comma = columns.find(',');
    std::string_view name = columns.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    out.push_back(name);
    if (comma == std::string_view::npos) break;
    columns.remove_prefix(comma + 1);
  }
  return out;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kVictim:
      return "victim";
    case Role::kPerpetrator:
      return "perpetrator";
    default:
      return "";
  }
}

Role ParseRole(std::string_view name) {
  if (name == "victim") return Role::kVictim;
  if (name == "perpetrator") return Role::kPerpetrator;
  return Role::kUnknown;
}

// An optional id: NULL when empty (the column is a nullable reference).
void BindOptional(Statement& s, int index, const std::string& id) {
  if (id.empty()) {
    s.BindNull(index);
  } else {
    s.Bind(index, id);
  }
}

constexpr std::string_view kAssessmentColumns =
    "assessment_id, victim_record_id, incident_id, instrument, "
    "policy_version, completed_on, score, grade, marac_referral, criteria, "
    "high_harm_indicators, result_json";

void BindDate(Statement& s, int index, const std::optional<Date>& date) {
  if (date) {
    s.Bind(index, date->ToString());
  } else {
    s.BindNull(index);
  }
}

Result<std::optional<Date>> ReadDate(const Statement& s, int column,
                                     std::string_view field) {
  if (s.IsNull(column)) return std::optional<Date>();
  MARAC_ASSIGN_OR_RETURN(const Date d, Date::Parse(field, s.Text(column)));
  return std::optional<Date>(d);
}

}  // namespace

std::string InsertSql(std::string_view table, std::string_view columns,
                      std::string_view conflict_key) {
  const std::vector<std::string_view> names = Split(columns);
  std::string sql = "INSERT INTO " + std::string(table) + " (" +
                    std::string(columns) + ") VALUES (";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += "?" + std::to_string(i + 1);
  }
  sql += ")";
  if (conflict_key.empty()) return sql;
  const std::vector<std::string_view> keys = Split(conflict_key);
  sql += " ON CONFLICT(" + std::string(conflict_key) + ") DO UPDATE SET ";
  bool first = true;
  for (const std::string_view name : names) {
    if (std::find(keys.begin(), keys.end(), name) != keys.end()) continue;
    if (!first) sql += ", ";
    first = false;
    sql += std::string(name) + " = excluded." + std::string(name);
  }
  return sql;
}

std::string SelectSql(std::string_view columns, std::string_view rest) {
  return "SELECT " + std::string(columns) + " " + std::string(rest);
}

namespace {

constexpr std::string_view kRecordColumns =
    "record_id, source, given_name, middle_name, family_name, "
    "previous_family_names, dob, gender, postcode, address_line, town, "
    "email, other_id, role, incident_id, trusted_id";

std::string Prefixed(std::string_view columns, std::string_view prefix) {
  std::string out;
  for (const std::string_view name : Split(columns)) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += name;
  }
  return out;
}

}  // namespace

std::string RecordRow::Columns(int version, std::string_view prefix) {
  return Prefixed(std::string(kRecordColumns) + (version >= 11 ? ", area" : ""),
                  prefix);
}

std::string RecordRow::SelectColumns(int version, std::string_view prefix) {
  return Prefixed(kRecordColumns, prefix) +
         (version >= 11 ? ", " + std::string(prefix) + "area" : ", ''");
}

void RecordRow::Bind(Statement& s, const PersonRecord& r, int version) {
  s.Bind(1, r.record_id)
      .Bind(2, r.source)
      .Bind(3, r.given_name)
      .Bind(4, r.middle_name)
      .Bind(5, r.family_name)
      .Bind(6, JsonList(r.previous_family_names))
      .Bind(7, r.dob)
      .Bind(8, r.gender)
      .Bind(9, r.postcode)
      .Bind(10, r.address_line)
      .Bind(11, r.town)
      .Bind(12, r.email)
      .Bind(13, r.other_id)
      .Bind(14, RoleName(r.role))
      .Bind(15, r.incident_id)
      .Bind(16, r.trusted_id);
  if (version >= 11) s.Bind(17, r.area);
}

PersonRecord RecordRow::Read(const Statement& s) {
  PersonRecord r;
  r.record_id = s.Text(0);
  r.source = s.Text(1);
  r.given_name = s.Text(2);
  r.middle_name = s.Text(3);
  r.family_name = s.Text(4);
  r.previous_family_names = ParseList(s.Text(5));
  r.dob = s.Text(6);
  r.gender = s.Text(7);
  r.postcode = s.Text(8);
  r.address_line = s.Text(9);
  r.town = s.Text(10);
  r.email = s.Text(11);
  r.other_id = s.Text(12);
  r.role = ParseRole(s.Text(13));
  r.incident_id = s.Text(14);
  r.trusted_id = s.Text(15);
  r.area = s.Text(16);
  return r;
}

constexpr std::string_view kIncidentColumns =
    "incident_id, occurred_on, area, victim_record_id, "
    "perpetrator_record_ids, reported_by";

std::string IncidentRow::Columns(int version) {
  return std::string(kIncidentColumns) + (version >= 8 ? ", crime" : "");
}

std::string IncidentRow::SelectColumns(int version) {
  return std::string(kIncidentColumns) + (version >= 8 ? ", crime" : ", NULL");
}

void IncidentRow::Bind(Statement& s, const StoredIncident& x, int version) {
  s.Bind(1, x.incident_id)
      .Bind(2, x.occurred_on.ToString())
      .Bind(3, x.area)
      .Bind(4, x.victim_record_id)
      .Bind(5, JsonList(x.perpetrator_record_ids))
      .Bind(6, x.reported_by);
  if (version >= 8) {
    if (x.crime) {
      s.Bind(7, std::int64_t{*x.crime ? 1 : 0});
    } else {
      s.BindNull(7);
    }
  }
}

Result<StoredIncident> IncidentRow::Read(const Statement& s) {
  StoredIncident x;
  x.incident_id = s.Text(0);
  MARAC_ASSIGN_OR_RETURN(x.occurred_on, Date::Parse("occurred_on", s.Text(1)));
  x.area = s.Text(2);
  x.victim_record_id = s.Text(3);
  x.perpetrator_record_ids = ParseList(s.Text(4));
  x.reported_by = s.Text(5);
  if (!s.IsNull(6)) x.crime = s.Int(6) != 0;
  return x;
}

constexpr std::string_view kAssessmentColumns8 =
    ", parent_assessment_id, safeguarding, officer_rationale";

std::string AssessmentRow::Columns(int version) {
  return std::string(kAssessmentColumns) +
         (version >= 3 ? ", instrument_version" : "") +
         (version >= 8 ? std::string(kAssessmentColumns8) : "");
}

std::string AssessmentRow::SelectColumns(int version) {
  return std::string(kAssessmentColumns) +
         (version >= 3 ? ", instrument_version" : ", ''") +
         (version >= 8 ? std::string(kAssessmentColumns8) : ", '', '[]', ''");
}

void AssessmentRow::Bind(Statement& s, const StoredAssessment& a, int version) {
  s.Bind(1, a.assessment_id).Bind(2, a.victim_record_id);
  BindOptional(s, 3, a.incident_id);
  s.Bind(4, a.instrument)
      .Bind(5, a.policy_version)
      .Bind(6, a.completed_on.ToString())
      .Bind(7, std::int64_t{a.score})
      .Bind(8, GradeName(a.grade))
      .Bind(9, std::int64_t{a.marac_referral ? 1 : 0})
      .Bind(10, JsonList(a.criteria))
      .Bind(11, JsonList(a.high_harm_indicators))
      .Bind(12, a.result_json);
  if (version >= 3) s.Bind(13, a.instrument_version);
  if (version >= 8) {
    s.Bind(14, a.parent_assessment_id)
        .Bind(15, JsonList(a.safeguarding))
        .Bind(16, a.officer_rationale);
  }
}

Result<StoredAssessment> AssessmentRow::Read(const Statement& s) {
  StoredAssessment a;
  a.assessment_id = s.Text(0);
  a.victim_record_id = s.Text(1);
  a.incident_id = s.Text(2);
  a.instrument = s.Text(3);
  a.policy_version = s.Text(4);
  MARAC_ASSIGN_OR_RETURN(a.completed_on,
                         Date::Parse("completed_on", s.Text(5)));
  a.score = static_cast<int>(s.Int(6));
  MARAC_ASSIGN_OR_RETURN(a.grade, ParseGrade("grade", s.Text(7)));
  a.marac_referral = s.Int(8) != 0;
  a.criteria = ParseList(s.Text(9));
  a.high_harm_indicators = ParseList(s.Text(10));
  a.result_json = s.Text(11);
  a.instrument_version = s.Text(12);
  a.parent_assessment_id = s.Text(13);
  a.safeguarding = ParseList(s.Text(14));
  a.officer_rationale = s.Text(15);
  return a;
}

void ReferralRow::Bind(Statement& s, const StoredReferral& r,
                       std::string_view stored_at) {
  s.Bind(1, r.referral_id)
      .Bind(2, r.submission_id)
      .Bind(3, r.area)
      .Bind(4, r.agency)
      .Bind(5, ReferralSourceName(r.source))
      .Bind(6, r.referred_on.ToString())
      .Bind(7, r.victim_record_id)
      .Bind(8, JsonList(r.perpetrator_record_ids));
  BindOptional(s, 9, r.incident_id);
  BindOptional(s, 10, r.assessment_id);
  s.Bind(11, JsonList(r.criteria))
      .Bind(12, std::int64_t{r.children_in_household})
      .Bind(13, stored_at);
}

Result<StoredReferral> ReferralRow::Read(const Statement& s) {
  StoredReferral r;
  r.referral_id = s.Text(0);
  r.submission_id = s.Text(1);
  r.area = s.Text(2);
  r.agency = s.Text(3);
  MARAC_ASSIGN_OR_RETURN(r.source, ParseReferralSource(s.Text(4)));
  MARAC_ASSIGN_OR_RETURN(r.referred_on, Date::Parse("referred_on", s.Text(5)));
  r.victim_record_id = s.Text(6);
  r.perpetrator_record_ids = ParseList(s.Text(7));
  r.incident_id = s.Text(8);
  r.assessment_id = s.Text(9);
  r.criteria = ParseList(s.Text(10));
  r.children_in_household = static_cast<int>(s.Int(11));
  return r;
}

void ReferralDetailsRow::Bind(Statement& s, std::string_view referral_id,
                              const ReferralDetails& d) {
  s.Bind(1, referral_id)
      .Bind(2, d.referrer.name)
      .Bind(3, d.referrer.role)
      .Bind(4, d.referrer.contact)
      .Bind(5, d.judgement_narrative)
      .Bind(6, VictimConsentName(d.consent))
      .Bind(7, RelationshipName(d.relationship))
      .Bind(8, d.language)
      .Bind(9, std::int64_t{d.interpreter_needed ? 1 : 0})
      .Bind(10, d.safe_contact)
      .Bind(11, JsonList(d.excluded_agencies))
      .Bind(12, d.equality.gender_identity)
      .Bind(13, d.equality.ethnicity)
      .Bind(14, d.equality.disability)
      .Bind(15, d.equality.sexual_orientation)
      .Bind(16, d.equality.age_band);
}

Result<ReferralDetails> ReferralDetailsRow::Read(const Statement& s) {
  ReferralDetails d;
  d.referrer = {s.Text(1), s.Text(2), s.Text(3)};
  d.judgement_narrative = s.Text(4);
  MARAC_ASSIGN_OR_RETURN(d.consent, ParseVictimConsent("consent", s.Text(5)));
  MARAC_ASSIGN_OR_RETURN(d.relationship,
                         ParseRelationship("relationship", s.Text(6)));
  d.language = s.Text(7);
  d.interpreter_needed = s.Int(8) != 0;
  d.safe_contact = s.Text(9);
  d.excluded_agencies = ParseList(s.Text(10));
  d.equality = {s.Text(11), s.Text(12), s.Text(13), s.Text(14), s.Text(15)};
  return d;
}

void ReferralChildRow::Bind(Statement& s, std::string_view referral_id,
                            std::int64_t position, const ChildInHousehold& c) {
  s.Bind(1, referral_id)
      .Bind(2, position)
      .Bind(3, c.given_name)
      .Bind(4, c.family_name);
  BindDate(s, 5, c.date_of_birth);
  s.Bind(6, JsonList(c.known_to));
}

Result<ChildInHousehold> ReferralChildRow::Read(const Statement& s) {
  ChildInHousehold c;
  c.given_name = s.Text(2);
  c.family_name = s.Text(3);
  MARAC_ASSIGN_OR_RETURN(c.date_of_birth, ReadDate(s, 4, "date_of_birth"));
  c.known_to = ParseList(s.Text(5));
  return c;
}

void CirculationRow::Bind(Statement& s, const Circulation& c) {
  s.Bind(1, c.meeting_id)
      .Bind(2, c.agency)
      .Bind(3, JsonList(c.referral_ids))
      .Bind(4, JsonList(c.withheld_referral_ids))
      .Bind(5, c.format)
      .Bind(6, c.sent_at)
      .Bind(7, c.sent_by)
      .Bind(8, c.role);
}

Result<Circulation> CirculationRow::Read(const Statement& s) {
  Circulation c;
  c.sequence = s.Int(0);
  c.meeting_id = s.Text(1);
  c.agency = s.Text(2);
  c.referral_ids = ParseList(s.Text(3));
  c.withheld_referral_ids = ParseList(s.Text(4));
  c.format = s.Text(5);
  c.sent_at = s.Text(6);
  c.sent_by = s.Text(7);
  c.role = s.Text(8);
  return c;
}

void IdvaSupportRow::Bind(Statement& s, const IdvaSupport& x) {
  s.Bind(1, x.referral_id)
      .Bind(2, x.idva_service)
      .Bind(3, x.allocated_on.ToString())
      .Bind(4, IdvaEngagementName(x.engagement));
  if (x.closed_on) {
    s.Bind(5, x.closed_on->ToString());
  } else {
    s.BindNull(5);
  }
}

Result<IdvaSupport> IdvaSupportRow::Read(const Statement& s) {
  IdvaSupport x;
  x.referral_id = s.Text(0);
  x.idva_service = s.Text(1);
  MARAC_ASSIGN_OR_RETURN(x.allocated_on,
                         Date::Parse("allocated_on", s.Text(2)));
  MARAC_ASSIGN_OR_RETURN(x.engagement,
                         ParseIdvaEngagement("engagement", s.Text(3)));
  if (!s.IsNull(4)) {
    MARAC_ASSIGN_OR_RETURN(x.closed_on, Date::Parse("closed_on", s.Text(4)));
  }
  return x;
}

void VisitRow::Bind(Statement& s, const OneStopShopVisit& v) {
  s.Bind(1, v.visit_id).Bind(2, v.visited_on.ToString()).Bind(3, v.site);
  BindOptional(s, 4, v.visitor_record_id);
  if (v.lives_in_borough) {
    s.Bind(5, std::int64_t{*v.lives_in_borough ? 1 : 0});
  } else {
    s.BindNull(5);
  }
  s.Bind(6, v.referred_by);
  if (v.children) {
    s.Bind(7, std::int64_t{*v.children});
  } else {
    s.BindNull(7);
  }
  s.Bind(8, VisitorGenderName(v.gender))
      .Bind(9, v.ethnicity)
      .Bind(10, VisitFeedbackName(v.feedback));
}

Result<OneStopShopVisit> VisitRow::Read(const Statement& s) {
  OneStopShopVisit v;
  v.visit_id = s.Text(0);
  MARAC_ASSIGN_OR_RETURN(v.visited_on, Date::Parse("visited_on", s.Text(1)));
  v.site = s.Text(2);
  v.visitor_record_id = s.Text(3);
  if (!s.IsNull(4)) v.lives_in_borough = s.Int(4) != 0;
  v.referred_by = s.Text(5);
  if (!s.IsNull(6)) v.children = static_cast<int>(s.Int(6));
  MARAC_ASSIGN_OR_RETURN(v.gender, ParseVisitorGender("gender", s.Text(7)));
  v.ethnicity = s.Text(8);
  MARAC_ASSIGN_OR_RETURN(v.feedback, ParseVisitFeedback("feedback", s.Text(9)));
  return v;
}

void SessionRow::Bind(Statement& s, const OneStopShopSession& x) {
  s.Bind(1, x.session_id)
      .Bind(2, x.held_on.ToString())
      .Bind(3, x.site)
      .Bind(4, JsonList(x.committed_agencies))
      .Bind(5, JsonList(x.attended_agencies));
}

Result<OneStopShopSession> SessionRow::Read(const Statement& s) {
  OneStopShopSession x;
  x.session_id = s.Text(0);
  MARAC_ASSIGN_OR_RETURN(x.held_on, Date::Parse("held_on", s.Text(1)));
  x.site = s.Text(2);
  x.committed_agencies = ParseList(s.Text(3));
  x.attended_agencies = ParseList(s.Text(4));
  return x;
}

void MeetingRow::Bind(Statement& s, const Meeting& m) {
  s.Bind(1, m.meeting_id)
      .Bind(2, m.area)
      .Bind(3, m.date.ToString())
      .Bind(4, m.referral_cutoff.ToString())
      .Bind(5, std::int64_t{m.capacity_cases})
      .Bind(6, std::int64_t{m.capacity_minutes});
}

Result<Meeting> MeetingRow::Read(const Statement& s) {
  Meeting m;
  m.meeting_id = s.Text(0);
  m.area = s.Text(1);
  MARAC_ASSIGN_OR_RETURN(m.date, Date::Parse("date", s.Text(2)));
  MARAC_ASSIGN_OR_RETURN(m.referral_cutoff,
                         Date::Parse("referral_cutoff", s.Text(3)));
  m.capacity_cases = static_cast<int>(s.Int(4));
  m.capacity_minutes = static_cast<int>(s.Int(5));
  return m;
}

void AgendaRow::Bind(Statement& s, const StoredAgenda& a,
                     std::string_view generated_at) {
  s.Bind(1, a.agenda_id)
      .Bind(2, a.meeting_id)
      .Bind(3, a.policy_version)
      .Bind(4, a.json)
      .Bind(5, generated_at);
}

StoredAgenda AgendaRow::Read(const Statement& s) {
  return {s.Text(0), s.Text(1), s.Text(2), s.Text(3)};
}

void ReviewDecisionRow::Bind(Statement& s, const ReviewDecision& d) {
  s.Bind(1, d.record_id_l)
      .Bind(2, d.record_id_r)
      .Bind(3, std::int64_t{d.same ? 1 : 0})
      .Bind(4, d.decided_by)
      .Bind(5, d.decided_at);
}

ReviewDecision ReviewDecisionRow::Read(const Statement& s) {
  return {s.Text(0), s.Text(1), s.Int(2) != 0, s.Text(3), s.Text(4)};
}

void HearingRow::Bind(Statement& s, std::string_view meeting_id,
                      std::int64_t position, const CaseHearing& c) {
  s.Bind(1, meeting_id)
      .Bind(2, position)
      .Bind(3, c.referral_id)
      .Bind(4, HearingOutcomeName(c.outcome))
      .Bind(5, c.reason);
}

Result<CaseHearing> HearingRow::Read(const Statement& s, int first) {
  CaseHearing c;
  c.referral_id = s.Text(first);
  MARAC_ASSIGN_OR_RETURN(c.outcome,
                         ParseHearingOutcome("outcome", s.Text(first + 1)));
  c.reason = s.Text(first + 2);
  return c;
}

void ActionRow::Bind(Statement& s, const CaseAction& a) {
  s.Bind(1, a.action_id)
      .Bind(2, a.meeting_id)
      .Bind(3, a.referral_id)
      .Bind(4, a.agency)
      .Bind(5, a.owner)
      .Bind(6, a.text)
      .Bind(7, a.due_on.ToString())
      .Bind(8, ActionStatusName(a.status));
  BindDate(s, 9, a.status_on);
  s.Bind(10, a.note);
}

Result<CaseAction> ActionRow::Read(const Statement& s) {
  CaseAction a;
  a.action_id = s.Text(0);
  a.meeting_id = s.Text(1);
  a.referral_id = s.Text(2);
  a.agency = s.Text(3);
  a.owner = s.Text(4);
  a.text = s.Text(5);
  MARAC_ASSIGN_OR_RETURN(a.due_on, Date::Parse("due_on", s.Text(6)));
  MARAC_ASSIGN_OR_RETURN(a.status, ParseActionStatus("status", s.Text(7)));
  MARAC_ASSIGN_OR_RETURN(a.status_on, ReadDate(s, 8, "status_on"));
  a.note = s.Text(9);
  return a;
}

void ActionChangeRow::Bind(Statement& s, const Store::ActionChange& c) {
  s.Bind(1, c.action_id)
      .Bind(2, c.at)
      .Bind(3, c.user)
      .Bind(4, c.agency)
      .Bind(5, ActionStatusName(c.from_status));
  BindDate(s, 6, c.from_status_on);
  s.Bind(7, c.from_note).Bind(8, ActionStatusName(c.to_status));
  BindDate(s, 9, c.to_status_on);
  s.Bind(10, c.to_note);
}

Result<Store::ActionChange> ActionChangeRow::Read(const Statement& s) {
  Store::ActionChange c;
  c.sequence = s.Int(0);
  c.action_id = s.Text(1);
  c.at = s.Text(2);
  c.user = s.Text(3);
  c.agency = s.Text(4);
  MARAC_ASSIGN_OR_RETURN(c.from_status,
                         ParseActionStatus("from_status", s.Text(5)));
  MARAC_ASSIGN_OR_RETURN(c.from_status_on, ReadDate(s, 6, "from_status_on"));
  c.from_note = s.Text(7);
  MARAC_ASSIGN_OR_RETURN(c.to_status,
                         ParseActionStatus("to_status", s.Text(8)));
  MARAC_ASSIGN_OR_RETURN(c.to_status_on, ReadDate(s, 9, "to_status_on"));
  c.to_note = s.Text(10);
  return c;
}

}  // namespace marac::rows
