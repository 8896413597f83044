#include "services/wire/statistics_wire.h"

namespace marac {

void StatisticsToWire(const Statistics& s, v1::Statistics* out) {
  DateToWire(s.from, out->mutable_period_start());
  DateToWire(s.to, out->mutable_period_end());
  for (const Figure& f : s.figures) {
    v1::Figure* w = out->add_figures();
    w->set_id(f.id);
    w->set_label(f.label);
    if (f.value) w->set_value(*f.value);
    if (f.national) w->set_national(*f.national);
    w->set_note(f.note);
    if (f.previous) w->set_previous(*f.previous);
  }
  for (const auto& [k, v] : s.referrals_by_agency) {
    (*out->mutable_referrals_by_agency())[k] = v;
  }
  for (const auto& [k, v] : s.referrals_by_source) {
    (*out->mutable_referrals_by_source())[k] = v;
  }
  for (const auto& [k, v] : s.idva_referrals_by_quarter) {
    (*out->mutable_idva_referrals_by_quarter())[k] = v;
  }
  for (const auto& [k, v] : s.idva_allocations_by_quarter) {
    (*out->mutable_idva_allocations_by_quarter())[k] = v;
  }
  for (const std::string& q : s.partial_quarters) out->add_partial_quarters(q);
  if (s.previous_from && s.previous_to) {
    DateToWire(*s.previous_from, out->mutable_previous_start());
    DateToWire(*s.previous_to, out->mutable_previous_end());
  }
}

}  // namespace marac
