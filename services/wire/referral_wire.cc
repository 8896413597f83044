#include "services/wire/referral_wire.h"

#include <algorithm>
#include <set>

namespace marac {

using wire_detail::Index;
using wire_detail::Path;

namespace {

constexpr int kMaxChildren = 50;

constexpr struct {
  v1::ReferralSource wire;
  ReferralSource core;
} kSources[] = {
    {v1::REFERRAL_SOURCE_POLICE, ReferralSource::kPolice},
    {v1::REFERRAL_SOURCE_IDVA, ReferralSource::kIdva},
    {v1::REFERRAL_SOURCE_HEALTH, ReferralSource::kHealth},
    {v1::REFERRAL_SOURCE_HOUSING, ReferralSource::kHousing},
    {v1::REFERRAL_SOURCE_CHILDRENS_SERVICES,
     ReferralSource::kChildrensServices},
    {v1::REFERRAL_SOURCE_ONE_STOP_SHOP, ReferralSource::kOneStopShop},
    {v1::REFERRAL_SOURCE_OTHER, ReferralSource::kOther},
};

}  // namespace

std::optional<StoredReferral> ReferralFromWire(const v1::Referral& r,
                                               std::string_view agency,
                                               const WireLimits& limits,
                                               std::string_view field,
                                               FieldViolations& violations) {
  const std::size_t before = violations.all().size();
  StoredReferral out;
  if (!r.referral_id().empty()) {
    violations.Add(Path(field, "referral_id"),
                   "set by the server; leave it empty");
  }
  if (!r.agency().empty()) {
    violations.Add(Path(field, "agency"),
                   "set by the server from the caller's agency; leave it "
                   "empty");
  }
  CheckLabel(r.area(), Path(field, "area"), false, violations);
  out.area = r.area();
  out.agency = std::string(agency);
  const auto source =
      std::find_if(std::begin(kSources), std::end(kSources),
                   [&](const auto& s) { return s.wire == r.source(); });
  if (source == std::end(kSources)) {
    violations.Add(Path(field, "source"),
                   r.source() == v1::REFERRAL_SOURCE_UNSPECIFIED
                       ? "required"
                       : "not a ReferralSource value");
  } else {
    out.source = source->core;
  }
  if (!r.has_referred_on()) {
    violations.Add(Path(field, "referred_on"), "required");
  } else if (const std::optional<Date> d =
                 EventDateFromWire(r.referred_on(), Path(field, "referred_on"),
                                   limits, violations)) {
    out.referred_on = *d;
  }
  CheckId(r.victim_record_id(), Path(field, "victim_record_id"), false,
          violations);
  out.victim_record_id = r.victim_record_id();
  const std::string perps = Path(field, "perpetrator_record_ids");
  if (CheckListSize(r.perpetrator_record_ids_size(), perps, limits,
                    violations)) {
    for (int i = 0; i < r.perpetrator_record_ids_size(); ++i) {
      CheckId(r.perpetrator_record_ids(i), Index(perps, i), false, violations);
      if (r.perpetrator_record_ids(i) == r.victim_record_id()) {
        violations.Add(Index(perps, i), "the victim's record");
      }
      out.perpetrator_record_ids.push_back(r.perpetrator_record_ids(i));
    }
  }
  CheckId(r.incident_id(), Path(field, "incident_id"), true, violations);
  out.incident_id = r.incident_id();
  CheckId(r.assessment_id(), Path(field, "assessment_id"), true, violations);
  out.assessment_id = r.assessment_id();
  const std::string criteria = Path(field, "criteria");
  std::set<int> seen;
  const int criteria_count =
      CheckListSize(r.criteria_size(), criteria, limits, violations)
          ? r.criteria_size()
          : 0;
  for (int i = 0; i < criteria_count; ++i) {
    const int c = r.criteria(i);
    const auto known =
        std::find_if(std::begin(kWireCriteria), std::end(kWireCriteria),
                     [&](const auto& k) { return k.wire == c; });
    if (known == std::end(kWireCriteria)) {
      violations.Add(Index(criteria, i), c == v1::CRITERION_UNSPECIFIED
                                             ? "CRITERION_UNSPECIFIED is not "
                                               "a criterion"
                                             : "not a Criterion value");
    } else if (!seen.insert(c).second) {
      violations.Add(Index(criteria, i), "repeated");
    } else {
      out.criteria.emplace_back(CriterionName(known->core));
    }
  }
  if (r.children_in_household() < 0 ||
      r.children_in_household() > kMaxChildren) {
    violations.Add(Path(field, "children_in_household"), "must be 0..50");
  }
  out.children_in_household = r.children_in_household();
  if (violations.all().size() != before) return std::nullopt;
  return out;
}

void ReferralToWire(const StoredReferral& r, v1::Referral* out) {
  out->set_referral_id(r.referral_id);
  out->set_area(r.area);
  out->set_agency(r.agency);
  for (const auto& s : kSources) {
    if (s.core == r.source) out->set_source(s.wire);
  }
  DateToWire(r.referred_on, out->mutable_referred_on());
  out->set_victim_record_id(r.victim_record_id);
  for (const std::string& p : r.perpetrator_record_ids) {
    out->add_perpetrator_record_ids(p);
  }
  out->set_incident_id(r.incident_id);
  out->set_assessment_id(r.assessment_id);
  for (const std::string& name : r.criteria) {
    for (const auto& k : kWireCriteria) {
      if (CriterionName(k.core) == name) out->add_criteria(k.wire);
    }
  }
  out->set_children_in_household(r.children_in_household);
}

bool SameReferral(const StoredReferral& a, const StoredReferral& b) {
  return a.submission_id == b.submission_id && a.area == b.area &&
         a.agency == b.agency && a.source == b.source &&
         a.referred_on == b.referred_on &&
         a.victim_record_id == b.victim_record_id &&
         a.perpetrator_record_ids == b.perpetrator_record_ids &&
         a.incident_id == b.incident_id && a.assessment_id == b.assessment_id &&
         a.criteria == b.criteria &&
         a.children_in_household == b.children_in_household;
}

}  // namespace marac
