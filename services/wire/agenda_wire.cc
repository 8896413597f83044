#include "services/wire/agenda_wire.h"

namespace marac {
namespace {

void AgendaCaseToWire(const RankedCase& ranked, const AgendaMeeting& meeting,
                      v1::AgendaCase* out) {
  const AgendaCase& c = ranked.item;
  out->set_referral_id(c.referral_id);
  out->set_case_reference(c.case_reference);
  if (!c.given_name.empty() || !c.family_name.empty()) {
    out->set_initials(Initials(c.given_name, c.family_name));
  }
  if (c.date_of_birth && c.date_of_birth->IsValid() &&
      *c.date_of_birth <= meeting.date) {
    out->set_age_years(WholeYears(*c.date_of_birth, meeting.date));
  }
  out->set_area(c.area);
  out->set_agency(c.agency);
  DateToWire(c.referred_on, out->mutable_referred_on());
  out->set_rank(ranked.rank);
  out->set_priority(ranked.priority);
  for (const Contribution& k : ranked.contributions) {
    v1::Contribution* w = out->add_contributions();
    w->set_factor(k.factor);
    w->set_points(k.points);
    w->set_detail(k.detail);
  }
  out->set_days_waiting(ranked.days_waiting);
  out->set_escalated(ranked.escalated);
  out->set_under_18(ranked.under_18);
  out->set_grade(GradeToWire(c.grade));
  out->set_score(c.score);
  for (const std::string& s : c.criteria) out->add_criteria(s);
  for (const std::string& s : c.high_harm_indicators) {
    out->add_high_harm_indicators(s);
  }
  out->set_repeat(c.repeat);
  out->set_serial_perpetrator(c.serial_perpetrator);
  out->set_children(c.children);
}

}  // namespace

void MeetingToWire(const Meeting& m, v1::Meeting* out) {
  out->set_meeting_id(m.meeting_id);
  out->set_area(m.area);
  DateToWire(m.date, out->mutable_date());
  DateToWire(m.referral_cutoff, out->mutable_referral_cutoff());
  out->set_capacity_cases(m.capacity_cases);
  out->set_capacity_minutes(m.capacity_minutes);
}

void AgendaToWire(const Agenda& agenda, v1::Agenda* out) {
  const AgendaMeeting& m = agenda.meeting;
  MeetingToWire({m.meeting_id, m.area, m.date, m.referral_cutoff,
                 m.capacity_cases, m.capacity_minutes},
                out->mutable_meeting());
  out->set_policy_version(agenda.policy_version);
  out->set_capacity(agenda.capacity);
  for (const RankedCase& c : agenda.listed) {
    AgendaCaseToWire(c, m, out->add_listed());
  }
  for (const DeferredCase& d : agenda.deferred) {
    DeferredCaseToWire(d, m, out->add_deferred());
  }
  for (const LeftOut& l : agenda.not_eligible) {
    NotEligibleToWire(l, out->add_not_eligible());
  }
  std::size_t plans = 0;
  for (const DeferredCase& d : agenda.deferred) plans += d.interim_safety_plan;
  const Agenda::Counted counted = agenda.counted.value_or(Agenda::Counted{
      agenda.deferred.size(), agenda.not_eligible.size(), plans});
  out->set_deferred_count(static_cast<std::int32_t>(counted.deferred));
  out->set_not_eligible_count(static_cast<std::int32_t>(counted.not_eligible));
  out->set_interim_safety_plans(
      static_cast<std::int32_t>(counted.interim_safety_plans));
}

void DeferredCaseToWire(const DeferredCase& d, const AgendaMeeting& meeting,
                        v1::DeferredCase* out) {
  AgendaCaseToWire(d.ranked, meeting, out->mutable_agenda_case());
  out->set_reason(d.reason);
  out->set_interim_safety_plan(d.interim_safety_plan);
}

void NotEligibleToWire(const LeftOut& l, v1::NotEligible* out) {
  out->set_referral_id(l.referral_id);
  out->set_reason(l.reason);
}

}  // namespace marac
