// The store, the case graph and the agenda wired together: what the
// command line and the server both read from a store to rank a meeting's
// cases or compute the statistics returns.
#include "services/casework/casework.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "marac/graph/case_graph.h"

namespace marac {

Result<Agenda> AgendaFromStore(Store& store, const Actor& actor,
                               const AgendaMeeting& meeting,
                               const PriorityPolicy& policy) {
  MARAC_ASSIGN_OR_RETURN(const std::vector<PersonRecord> records,
                         store.Records(actor));
  MARAC_ASSIGN_OR_RETURN(const auto people, store.People(actor));
  MARAC_ASSIGN_OR_RETURN(const std::vector<StoredIncident> incidents,
                         store.Incidents(actor));
  MARAC_ASSIGN_OR_RETURN(const std::vector<StoredAssessment> assessments,
                         store.Assessments(actor));
  MARAC_ASSIGN_OR_RETURN(const std::vector<StoredReferral> referrals,
                         store.Referrals(actor, meeting.area, std::nullopt));
  MARAC_ASSIGN_OR_RETURN(const std::vector<StoredAgenda> agendas,
                         store.Agendas(actor));
  MARAC_ASSIGN_OR_RETURN(const std::vector<Meeting> meetings,
                         store.Meetings(actor, ""));
  MARAC_ASSIGN_OR_RETURN(const std::vector<IdvaSupport> idva,
                         store.IdvaSupports(actor));

  std::unordered_map<std::string, const PersonRecord*> record_of;
  for (const PersonRecord& r : records) record_of.emplace(r.record_id, &r);
  // A record without a resolved person stands for itself.
  std::unordered_map<std::string, std::string> person_of;
  for (const auto& [record, person] : people) person_of.emplace(record, person);
  const auto person = [&](const std::string& record) {
    const auto it = person_of.find(record);
    return it == person_of.end() ? "record:" + record : it->second;
  };
  std::unordered_map<std::string, const StoredAssessment*> assessment_of;
  for (const StoredAssessment& a : assessments) {
    assessment_of.emplace(a.assessment_id, &a);
  }
  std::unordered_map<std::string, const StoredIncident*> incident_of;

  // The graph: incidents, then the assessments of them (their grade is the
  // incident's gravity), referrals, meetings and what each meeting heard.
  CaseGraph graph;
  for (const StoredIncident& i : incidents) {
    incident_of.emplace(i.incident_id, &i);
    GraphIncident g{
        i.incident_id, i.occurred_on, person(i.victim_record_id), {}, 0};
    for (const std::string& p : i.perpetrator_record_ids) {
      const std::string pid = person(p);
      if (pid != g.victim) g.perpetrators.push_back(pid);
    }
    MARAC_RETURN_IF_ERROR(graph.AddIncident(g));
  }
  for (const StoredAssessment& a : assessments) {
    MARAC_RETURN_IF_ERROR(graph.AddAssessment(
        {a.assessment_id, person(a.victim_record_id),
         incident_of.contains(a.incident_id) ? a.incident_id : "",
         a.completed_on, GradeSeverity(a.grade), a.score}));
  }
  std::set<std::string> referral_ids;
  for (const StoredReferral& r : referrals) {
    MARAC_RETURN_IF_ERROR(graph.AddReferral(
        {r.referral_id, person(r.victim_record_id), r.referred_on}));
    referral_ids.insert(r.referral_id);
  }
  // Heard: listed on the stored agenda of a meeting.
  for (const Meeting& m : meetings) {
    MARAC_RETURN_IF_ERROR(graph.AddMeeting({m.meeting_id, m.area, m.date}));
  }
  for (const StoredAgenda& a : agendas) {
    const nlohmann::json j = nlohmann::json::parse(a.json, nullptr, false);
    if (!j.is_object() || !j.contains("cases") || !j["cases"].is_array()) {
      return Status(
          StatusCode::kDataLoss,
          "agenda '" + a.agenda_id + "' in the store is not an agenda's JSON");
    }
    for (const auto& c : j["cases"]) {
      if (!c.is_object() || !c.contains("referral_id") ||
          !c["referral_id"].is_string()) {
        continue;
      }
      const std::string id = c["referral_id"].get<std::string>();
      // Referrals of other areas are not in this graph.
      if (!referral_ids.contains(id)) continue;
      MARAC_RETURN_IF_ERROR(graph.AddHearing(id, a.meeting_id));
    }
  }
  std::unordered_map<std::string, const IdvaSupport*> idva_of;
  for (const IdvaSupport& x : idva) idva_of.emplace(x.referral_id, &x);

  std::vector<AgendaCase> cases;
  for (const StoredReferral& r : referrals) {
    if (graph.HeardBefore(r.referral_id, meeting.date)) continue;
    AgendaCase c;
    c.referral_id = r.referral_id;
    c.case_reference = r.referral_id;
    c.area = r.area;
    c.agency = r.agency;
    c.referred_on = r.referred_on;
    c.criteria = r.criteria;
    c.children = r.children_in_household;
    const auto rec = record_of.find(r.victim_record_id);
    if (rec != record_of.end()) {
      const PersonRecord& v = *rec->second;
      c.given_name = v.given_name;
      c.family_name = v.family_name;
      const Result<Date> dob = Date::Parse("dob", v.dob);
      if (dob.ok()) c.date_of_birth = *dob;
      c.address = v.address_line;
      c.postcode = v.postcode;
    }
    const auto a = assessment_of.find(r.assessment_id);
    if (a != assessment_of.end()) {
      c.grade = a->second->grade;
      c.score = a->second->score;
      c.high_harm_indicators = a->second->high_harm_indicators;
    }
    Date incident_on = r.referred_on;
    const auto i = incident_of.find(r.incident_id);
    if (i != incident_of.end()) incident_on = i->second->occurred_on;
    const RepeatAnswer repeat =
        graph.RepeatVictim(person(r.victim_record_id), incident_on);
    c.repeat = repeat.repeat;
    c.repeat_reason = repeat.reason;
    c.last_referral_on = repeat.last_referral;
    for (const std::string& id :
         graph.IncidentsOf(person(r.victim_record_id))) {
      const auto prior = incident_of.find(id);
      if (prior != incident_of.end() &&
          prior->second->occurred_on < incident_on) {
        ++c.prior_incidents;
      }
    }
    for (const std::string& p : r.perpetrator_record_ids) {
      const SerialAnswer serial =
          graph.SerialPerpetrator(person(p), meeting.date);
      c.perpetrator_victims = std::max(c.perpetrator_victims,
                                       static_cast<int>(serial.victims.size()));
      if (serial.serial && !c.serial_perpetrator) {
        c.serial_perpetrator = true;
        c.serial_reason = serial.reason;
      }
    }
    const auto support = idva_of.find(r.referral_id);
    if (support != idva_of.end() &&
        !(meeting.date < support->second->allocated_on)) {
      c.idva_allocated = true;
      c.idva_engagement =
          std::string(IdvaEngagementName(support->second->engagement));
    }
    cases.push_back(std::move(c));
  }
  return BuildAgenda(meeting, cases, policy);
}

Result<StatisticsInput> StatisticsInputFromStore(Store& store,
                                                 const Actor& actor) {
  StatisticsInput input;
  const auto load = [&](auto result, auto& into) -> Status {
    if (!result.ok()) return result.status();
    into = *std::move(result);
    return Status::Ok();
  };
  for (const Status& loaded :
       {load(store.Records(actor), input.records),
        load(store.People(actor), input.people),
        load(store.Incidents(actor), input.incidents),
        load(store.Assessments(actor), input.assessments),
        load(store.Referrals(actor, "", std::nullopt), input.referrals),
        load(store.Meetings(actor, ""), input.meetings),
        load(store.Agendas(actor), input.agendas),
        load(store.IdvaSupports(actor), input.idva)}) {
    MARAC_RETURN_IF_ERROR(loaded);
  }
  return input;
}

}  // namespace marac
