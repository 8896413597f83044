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

constexpr struct {
  v1::VictimConsent wire;
  VictimConsent core;
} kConsents[] = {
    {v1::VICTIM_CONSENT_UNSPECIFIED, VictimConsent::kNotRecorded},
    {v1::VICTIM_CONSENT_CONSENTED, VictimConsent::kConsented},
    {v1::VICTIM_CONSENT_AWARE_NOT_CONSENTED, VictimConsent::kAwareNotConsented},
    {v1::VICTIM_CONSENT_NOT_AWARE, VictimConsent::kNotAware},
};

constexpr struct {
  v1::Relationship wire;
  Relationship core;
} kRelationships[] = {
    {v1::RELATIONSHIP_UNSPECIFIED, Relationship::kNotRecorded},
    {v1::RELATIONSHIP_PARTNER, Relationship::kPartner},
    {v1::RELATIONSHIP_EX_PARTNER, Relationship::kExPartner},
    {v1::RELATIONSHIP_FAMILY_MEMBER, Relationship::kFamilyMember},
    {v1::RELATIONSHIP_OTHER, Relationship::kOther},
};

// The row of `table` whose `.wire` (or `.core`) is `value`; null if none.
template <typename Table, typename Value>
auto FindWire(const Table& table, Value value) {
  const auto it =
      std::find_if(std::begin(table), std::end(table),
                   [&](const auto& row) { return row.wire == value; });
  return it == std::end(table) ? nullptr : &*it;
}
template <typename Table, typename Value>
auto FindCore(const Table& table, Value value) {
  const auto it =
      std::find_if(std::begin(table), std::end(table),
                   [&](const auto& row) { return row.core == value; });
  return it == std::end(table) ? nullptr : &*it;
}

// Agency names in a list: labels, the list within the limit.
std::vector<std::string> AgenciesFromWire(
    const google::protobuf::RepeatedPtrField<std::string>& agencies,
    const std::string& field, const WireLimits& limits,
    FieldViolations& violations) {
  std::vector<std::string> out;
  if (!CheckListSize(agencies.size(), field, limits, violations)) return out;
  for (int i = 0; i < agencies.size(); ++i) {
    CheckLabel(agencies.Get(i), Index(field, i), false, violations);
    out.push_back(agencies.Get(i));
  }
  return out;
}

// The referral record's details; the library's rules (CheckReferralDetails)
// once the fields themselves are well formed.
ReferralDetails DetailsFromWire(const v1::ReferralDetails& d,
                                const StoredReferral& referral,
                                const WireLimits& limits,
                                const std::string& field,
                                FieldViolations& violations) {
  const std::size_t before = violations.all().size();
  ReferralDetails out;
  const std::string referrer = Path(field, "referrer");
  CheckText(d.referrer().name(), Path(referrer, "name"), limits, violations);
  CheckText(d.referrer().role(), Path(referrer, "role"), limits, violations);
  CheckText(d.referrer().contact(), Path(referrer, "contact"), limits,
            violations);
  out.referrer = {d.referrer().name(), d.referrer().role(),
                  d.referrer().contact()};
  CheckText(d.judgement_narrative(), Path(field, "judgement_narrative"), limits,
            violations);
  out.judgement_narrative = d.judgement_narrative();
  if (const auto* c = FindWire(kConsents, d.consent())) {
    out.consent = c->core;
  } else {
    violations.Add(Path(field, "consent"), "not a VictimConsent value");
  }
  if (const auto* r = FindWire(kRelationships, d.relationship())) {
    out.relationship = r->core;
  } else {
    violations.Add(Path(field, "relationship"), "not a Relationship value");
  }
  const std::string children = Path(field, "children");
  if (CheckListSize(d.children_size(), children, limits, violations)) {
    for (int i = 0; i < d.children_size(); ++i) {
      const v1::ChildInHousehold& c = d.children(i);
      const std::string at = Index(children, i);
      ChildInHousehold child;
      CheckText(c.given_name(), Path(at, "given_name"), limits, violations);
      CheckText(c.family_name(), Path(at, "family_name"), limits, violations);
      child.given_name = c.given_name();
      child.family_name = c.family_name();
      if (c.has_date_of_birth()) {
        child.date_of_birth = DateFromWire(
            c.date_of_birth(), Path(at, "date_of_birth"), violations);
      }
      child.known_to = AgenciesFromWire(c.known_to(), Path(at, "known_to"),
                                        limits, violations);
      out.children.push_back(std::move(child));
    }
  }
  CheckText(d.language(), Path(field, "language"), limits, violations);
  out.language = d.language();
  out.interpreter_needed = d.interpreter_needed();
  CheckText(d.safe_contact(), Path(field, "safe_contact"), limits, violations);
  out.safe_contact = d.safe_contact();
  out.excluded_agencies =
      AgenciesFromWire(d.excluded_agencies(), Path(field, "excluded_agencies"),
                       limits, violations);
  const v1::EqualityMonitoring& e = d.equality();
  out.equality = {e.gender_identity(), e.ethnicity(), e.disability(),
                  e.sexual_orientation(), e.age_band()};
  if (violations.all().size() == before) {
    const Status rules =
        CheckReferralDetails("", out, referral.agency, referral.referred_on,
                             referral.children_in_household);
    if (!rules.ok()) violations.AddStatus(field, rules);
  }
  return out;
}

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
  out.details = DetailsFromWire(r.details(), out, limits,
                                Path(field, "details"), violations);
  if (violations.all().size() != before) return std::nullopt;
  return out;
}

void ReferralToWire(const StoredReferral& r, v1::Referral* out,
                    EqualityOnWire equality) {
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
  ReferralDetails d = r.details;
  if (equality == EqualityOnWire::kOmit) d.equality = {};
  if (d == ReferralDetails{}) return;
  v1::ReferralDetails* w = out->mutable_details();
  w->mutable_referrer()->set_name(d.referrer.name);
  w->mutable_referrer()->set_role(d.referrer.role);
  w->mutable_referrer()->set_contact(d.referrer.contact);
  w->set_judgement_narrative(d.judgement_narrative);
  if (const auto* c = FindCore(kConsents, d.consent)) w->set_consent(c->wire);
  if (const auto* x = FindCore(kRelationships, d.relationship)) {
    w->set_relationship(x->wire);
  }
  for (const ChildInHousehold& c : d.children) {
    v1::ChildInHousehold* child = w->add_children();
    child->set_given_name(c.given_name);
    child->set_family_name(c.family_name);
    if (c.date_of_birth) {
      DateToWire(*c.date_of_birth, child->mutable_date_of_birth());
    }
    for (const std::string& a : c.known_to) child->add_known_to(a);
  }
  w->set_language(d.language);
  w->set_interpreter_needed(d.interpreter_needed);
  w->set_safe_contact(d.safe_contact);
  for (const std::string& a : d.excluded_agencies) {
    w->add_excluded_agencies(a);
  }
  if (d.equality == EqualityMonitoring{}) return;
  v1::EqualityMonitoring* e = w->mutable_equality();
  e->set_gender_identity(d.equality.gender_identity);
  e->set_ethnicity(d.equality.ethnicity);
  e->set_disability(d.equality.disability);
  e->set_sexual_orientation(d.equality.sexual_orientation);
  e->set_age_band(d.equality.age_band);
}

bool SameReferral(const StoredReferral& a, const StoredReferral& b) {
  return a.submission_id == b.submission_id && a.area == b.area &&
         a.agency == b.agency && a.source == b.source &&
         a.referred_on == b.referred_on &&
         a.victim_record_id == b.victim_record_id &&
         a.perpetrator_record_ids == b.perpetrator_record_ids &&
         a.incident_id == b.incident_id && a.assessment_id == b.assessment_id &&
         a.criteria == b.criteria &&
         a.children_in_household == b.children_in_household &&
         a.details == b.details;
}

}  // namespace marac
