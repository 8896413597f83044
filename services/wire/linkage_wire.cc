#include "services/wire/linkage_wire.h"

namespace marac {

using wire_detail::Index;
using wire_detail::Path;

std::optional<PersonRecord> PersonRecordFromWire(const v1::PersonRecord& r,
                                                 const WireLimits& limits,
                                                 std::string_view field,
                                                 FieldViolations& violations) {
  const std::size_t before = violations.all().size();
  PersonRecord out;
  CheckId(r.record_id(), Path(field, "record_id"), false, violations);
  out.record_id = r.record_id();
  CheckLabel(r.source(), Path(field, "source"), false, violations);
  out.source = r.source();
  const struct {
    const char* name;
    const std::string& value;
    std::string& into;
  } texts[] = {
      {"given_name", r.given_name(), out.given_name},
      {"middle_name", r.middle_name(), out.middle_name},
      {"family_name", r.family_name(), out.family_name},
      {"gender", r.gender(), out.gender},
      {"postcode", r.postcode(), out.postcode},
      {"address_line", r.address_line(), out.address_line},
      {"town", r.town(), out.town},
      {"email", r.email(), out.email},
      {"other_id", r.other_id(), out.other_id},
  };
  for (const auto& t : texts) {
    CheckText(t.value, Path(field, t.name), limits, violations);
    t.into = t.value;
  }
  const std::string previous = Path(field, "previous_family_names");
  if (CheckListSize(r.previous_family_names_size(), previous, limits,
                    violations)) {
    for (int i = 0; i < r.previous_family_names_size(); ++i) {
      CheckText(r.previous_family_names(i), Index(previous, i), limits,
                violations);
      out.previous_family_names.push_back(r.previous_family_names(i));
    }
  }
  if (r.has_date_of_birth()) {
    const std::string dob = Path(field, "date_of_birth");
    if (const std::optional<Date> d =
            DateFromWire(r.date_of_birth(), dob, violations)) {
      if (*d > limits.latest) {
        violations.Add(dob, "in the future");
      } else {
        out.dob = d->ToString();
      }
    }
  }
  switch (r.role()) {
    case v1::PERSON_ROLE_UNSPECIFIED:
      out.role = Role::kUnknown;
      break;
    case v1::PERSON_ROLE_VICTIM:
      out.role = Role::kVictim;
      break;
    case v1::PERSON_ROLE_PERPETRATOR:
      out.role = Role::kPerpetrator;
      break;
    default:
      violations.Add(Path(field, "role"), "not a PersonRole value");
  }
  CheckId(r.incident_id(), Path(field, "incident_id"), true, violations);
  out.incident_id = r.incident_id();
  CheckId(r.trusted_id(), Path(field, "trusted_id"), true, violations);
  out.trusted_id = r.trusted_id();
  CheckLabel(r.area(), Path(field, "area"), true, violations);
  out.area = r.area();
  if (violations.all().size() != before) return std::nullopt;
  return out;
}

void WeightTermToWire(const WeightTerm& term, v1::WeightTerm* out) {
  out->set_field(term.field);
  out->set_level(term.level);
  out->set_weight(term.weight);
}

Status PersonRecordToWire(const PersonRecord& r, v1::PersonRecord* out) {
  out->set_record_id(r.record_id);
  out->set_source(r.source);
  out->set_given_name(r.given_name);
  out->set_middle_name(r.middle_name);
  out->set_family_name(r.family_name);
  for (const std::string& n : r.previous_family_names) {
    out->add_previous_family_names(n);
  }
  if (!r.dob.empty()) {
    const Result<Date> dob = Date::Parse("dob", r.dob);
    if (!dob.ok()) return dob.status();
    DateToWire(*dob, out->mutable_date_of_birth());
  }
  out->set_gender(r.gender);
  out->set_postcode(r.postcode);
  out->set_address_line(r.address_line);
  out->set_town(r.town);
  out->set_email(r.email);
  out->set_other_id(r.other_id);
  out->set_role(r.role == Role::kVictim        ? v1::PERSON_ROLE_VICTIM
                : r.role == Role::kPerpetrator ? v1::PERSON_ROLE_PERPETRATOR
                                               : v1::PERSON_ROLE_UNSPECIFIED);
  out->set_incident_id(r.incident_id);
  out->set_trusted_id(r.trusted_id);
  out->set_area(r.area);
  return Status::Ok();
}

}  // namespace marac
