// The case file read into agenda cases through the case graph: the step
// between loading (services/casework) and ranking (agenda.cc).
#include "marac/agenda/case_file_agenda.h"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>

#include "marac/calendar/calendar.h"
#include "marac/graph/case_graph.h"

namespace marac {

Result<std::vector<AgendaCase>> AgendaCasesFromCaseFile(
    const CaseFile& file, const AgendaMeeting& meeting) {
  std::vector<const StoredReferral*> referrals;
  for (const StoredReferral& r : file.referrals) {
    if (meeting.area.empty() || r.area == meeting.area) referrals.push_back(&r);
  }
  std::unordered_map<std::string, const PersonRecord*> record_of;
  for (const PersonRecord& r : file.records) record_of.emplace(r.record_id, &r);
  // A record without a resolved person stands for itself.
  std::unordered_map<std::string, std::string> person_of;
  for (const auto& [record, person] : file.people) {
    person_of.emplace(record, person);
  }
  const auto person = [&](const std::string& record) {
    const auto it = person_of.find(record);
    return it == person_of.end() ? "record:" + record : it->second;
  };
  std::unordered_map<std::string, const StoredAssessment*> assessment_of;
  // Supplements (S-DASH, H-DASH) by the assessment they followed.
  std::unordered_multimap<std::string, const StoredAssessment*> supplements;
  for (const StoredAssessment& a : file.assessments) {
    assessment_of.emplace(a.assessment_id, &a);
    if (!a.parent_assessment_id.empty()) {
      supplements.emplace(a.parent_assessment_id, &a);
    }
  }
  std::unordered_map<std::string, const StoredIncident*> incident_of;

  // The graph: incidents, then the assessments of them (their grade is the
  // incident's gravity), referrals, meetings and what each meeting heard.
  CaseGraph graph;
  for (const StoredIncident& i : file.incidents) {
    incident_of.emplace(i.incident_id, &i);
    GraphIncident g{
        i.incident_id, i.occurred_on, person(i.victim_record_id), {}, 0};
    for (const std::string& p : i.perpetrator_record_ids) {
      const std::string pid = person(p);
      if (pid != g.victim) g.perpetrators.push_back(pid);
    }
    MARAC_RETURN_IF_ERROR(graph.AddIncident(g));
  }
  for (const StoredAssessment& a : file.assessments) {
    MARAC_RETURN_IF_ERROR(graph.AddAssessment(
        {a.assessment_id, person(a.victim_record_id),
         incident_of.contains(a.incident_id) ? a.incident_id : "",
         a.completed_on, GradeSeverity(a.grade), a.score}));
  }
  std::set<std::string> referral_ids;
  for (const StoredReferral* r : referrals) {
    MARAC_RETURN_IF_ERROR(graph.AddReferral(
        {r->referral_id, person(r->victim_record_id), r->referred_on}));
    referral_ids.insert(r->referral_id);
  }
  // Heard: listed on the saved agenda of a meeting, unless its record
  // says the case was adjourned; or recorded as dealt with there.
  std::unordered_map<std::string, Date> meeting_date;
  for (const Meeting& m : file.meetings) {
    MARAC_RETURN_IF_ERROR(graph.AddMeeting({m.meeting_id, m.area, m.date}));
    meeting_date.emplace(m.meeting_id, m.date);
  }
  std::unordered_map<std::string, const MeetingRecord*> minutes_of;
  for (const MeetingRecord& r : file.meeting_records) {
    minutes_of.emplace(r.meeting_id, &r);
  }
  const auto recorded = [&](const std::string& meeting_id,
                            const std::string& referral) -> const CaseHearing* {
    const auto r = minutes_of.find(meeting_id);
    if (r == minutes_of.end()) return nullptr;
    for (const CaseHearing& c : r->second->cases) {
      if (c.referral_id == referral) return &c;
    }
    return nullptr;
  };
  for (const AgendaListing& a : file.listings) {
    for (const std::string& id : a.referral_ids) {
      // Referrals of other areas are not in this graph.
      if (!referral_ids.contains(id)) continue;
      const CaseHearing* c = recorded(a.meeting_id, id);
      if (c != nullptr && c->outcome == HearingOutcome::kAdjourned) continue;
      MARAC_RETURN_IF_ERROR(graph.AddHearing(id, a.meeting_id));
    }
  }
  // What each victim's cases met with at recorded meetings, by person.
  struct Dealt {
    Date date;
    std::string meeting_id;
    const CaseHearing* hearing;
  };
  std::unordered_map<std::string, std::string> victim_of_referral;
  for (const StoredReferral& r : file.referrals) {
    victim_of_referral.emplace(r.referral_id, person(r.victim_record_id));
  }
  std::unordered_map<std::string, std::vector<Dealt>> dealt_with;
  for (const MeetingRecord& r : file.meeting_records) {
    const auto date = meeting_date.find(r.meeting_id);
    if (date == meeting_date.end()) continue;
    for (const CaseHearing& c : r.cases) {
      if (referral_ids.contains(c.referral_id) &&
          c.outcome != HearingOutcome::kAdjourned) {
        MARAC_RETURN_IF_ERROR(graph.AddHearing(c.referral_id, r.meeting_id));
      }
      const auto victim = victim_of_referral.find(c.referral_id);
      if (victim == victim_of_referral.end()) continue;
      dealt_with[victim->second].push_back({date->second, r.meeting_id, &c});
    }
  }
  std::unordered_map<std::string, const IdvaSupport*> idva_of;
  for (const IdvaSupport& x : file.idva) idva_of.emplace(x.referral_id, &x);

  std::vector<AgendaCase> cases;
  for (const StoredReferral* referral : referrals) {
    const StoredReferral& r = *referral;
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
    for (const std::string& p : r.perpetrator_record_ids) {
      const auto perpetrator = record_of.find(p);
      if (perpetrator != record_of.end()) {
        c.perpetrator_initials.push_back(Initials(
            perpetrator->second->given_name, perpetrator->second->family_name));
      }
      c.perpetrator_people.push_back(person(p));
    }
    if (rec != record_of.end() && !rec->second->address_line.empty() &&
        !rec->second->postcode.empty()) {
      c.household = rec->second->address_line + "|" + rec->second->postcode;
    }
    const auto a = assessment_of.find(r.assessment_id);
    if (a != assessment_of.end()) {
      c.instrument = a->second->instrument;
      c.grade = a->second->grade;
      c.score = a->second->score;
      c.high_harm_indicators = a->second->high_harm_indicators;
      c.officer_graded = !a->second->officer_rationale.empty();
      c.safeguarding = a->second->safeguarding;
      const auto [from, to] = supplements.equal_range(r.assessment_id);
      for (auto s = from; s != to; ++s) {
        for (const std::string& id : s->second->safeguarding) {
          if (std::find(c.safeguarding.begin(), c.safeguarding.end(), id) ==
              c.safeguarding.end()) {
            c.safeguarding.push_back(id);
          }
        }
      }
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
    // Earlier meetings: the last that dealt with this victim's cases, this
    // referral's adjournment, and the actions still open.
    const auto dealt = dealt_with.find(person(r.victim_record_id));
    if (dealt != dealt_with.end()) {
      for (const Dealt& d : dealt->second) {
        if (!(d.date < meeting.date)) continue;
        const CaseHearing& h = *d.hearing;
        if (!c.last_hearing || c.last_hearing->date < d.date) {
          c.last_hearing = LastHearing{d.meeting_id, d.date, h.outcome,
                                       h.reason, h.referral_id};
        }
        if (h.referral_id == r.referral_id &&
            h.outcome == HearingOutcome::kAdjourned) {
          c.adjourned_reason = h.reason;
        }
        for (const CaseAction& x : h.actions) {
          if (x.status == ActionStatus::kOpen) c.open_actions.push_back(x);
        }
      }
    }
    c.consent = r.details.consent;
    c.language = LanguageWords(r.details);
    c.judgement_narrative = r.details.judgement_narrative;
    cases.push_back(std::move(c));
  }
  return cases;
}

namespace {

int DeferredPastLimit(const Agenda& agenda) {
  int n = 0;
  for (const DeferredCase& d : agenda.deferred) n += d.ranked.escalated;
  return n;
}

}  // namespace

Result<Agenda> AgendaFromCaseFile(const CaseFile& file,
                                  const AgendaMeeting& meeting,
                                  const PriorityPolicy& policy,
                                  const WorkingCalendar* given) {
  MARAC_ASSIGN_OR_RETURN(const std::vector<AgendaCase> cases,
                         AgendaCasesFromCaseFile(file, meeting));
  MARAC_ASSIGN_OR_RETURN(Agenda agenda, BuildAgenda(meeting, cases, policy));
  const int now = DeferredPastLimit(agenda);
  const WorkingCalendar* calendar =
      given != nullptr ? given : WorkingCalendar::Shipped();
  if (now == 0 || calendar == nullptr) return agenda;
  // The area's meeting before this one, as its cases stood then.
  const Meeting* before = nullptr;
  for (const Meeting& m : file.meetings) {
    if (m.area != meeting.area || !(m.date < meeting.date)) continue;
    if (before == nullptr || before->date < m.date) before = &m;
  }
  if (before == nullptr) return agenda;
  const AgendaMeeting then{before->meeting_id,     before->area,
                           before->date,           before->referral_cutoff,
                           before->capacity_cases, before->capacity_minutes};
  const Result<std::vector<AgendaCase>> earlier =
      AgendaCasesFromCaseFile(file, then);
  if (!earlier.ok()) return agenda;
  const Result<Agenda> previous = BuildAgenda(then, *earlier, policy);
  if (!previous.ok()) return agenda;
  const DeferralHistory history[] = {
      {before->date, DeferredPastLimit(*previous)}, {meeting.date, now}};
  const std::optional<Date> extra =
      ProposeExtraMeeting(*calendar, history, meeting.date);
  if (extra) {
    agenda.extra_meeting = Agenda::ExtraMeeting{
        *extra,
        std::to_string(now) + (now == 1 ? " case" : " cases") +
            " deferred past the " + std::to_string(policy.escalate_after_days) +
            "-day limit, as at the meeting of " + before->date.ToString() +
            ": an extra meeting would hear them sooner than the "
            "next regular one"};
  }
  return agenda;
}

StoredAgenda AgendaToStore(const Agenda& agenda, const PriorityPolicy& policy) {
  StoredAgenda stored{agenda.meeting.meeting_id, agenda.meeting.meeting_id,
                      policy.version,
                      AgendaJson(agenda, AgendaView::kCirculated, policy)};
  for (const RankedCase& r : agenda.listed) {
    stored.listed_referral_ids.push_back(r.item.referral_id);
  }
  return stored;
}

}  // namespace marac
