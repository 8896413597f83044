#include "marac/casefile/referral_details.h"

#include <algorithm>
#include <array>
#include <set>
#include <string>

namespace marac {
namespace {

constexpr std::size_t kMaxText = 4096;
constexpr int kAdultAge = 18;

// One row per enum value: its stored name and its words for a person.
template <typename E>
struct Named {
  E value;
  std::string_view name;
  std::string_view words;
};

constexpr std::array<Named<VictimConsent>, 4> kConsent = {{
    {VictimConsent::kNotRecorded, "not_recorded", "not recorded"},
    {VictimConsent::kConsented, "consented", "consented"},
    {VictimConsent::kAwareNotConsented, "aware_not_consented",
     "aware, not consented"},
    {VictimConsent::kNotAware, "not_aware", "not aware of the referral"},
}};

constexpr std::array<Named<Relationship>, 5> kRelationships = {{
    {Relationship::kNotRecorded, "not_recorded", "not recorded"},
    {Relationship::kPartner, "partner", "partner"},
    {Relationship::kExPartner, "ex_partner", "ex-partner"},
    {Relationship::kFamilyMember, "family_member", "family member"},
    {Relationship::kOther, "other", "other"},
}};

template <typename E, std::size_t N>
const Named<E>& Row(const std::array<Named<E>, N>& table, E value) {
  for (const Named<E>& row : table) {
    if (row.value == value) return row;
  }
  return table.front();
}

// "a, b or c".
std::string OrList(std::span<const std::string_view> names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

template <typename E, std::size_t N>
std::string Choices(const std::array<Named<E>, N>& table) {
  std::array<std::string_view, N> names;
  for (std::size_t i = 0; i < N; ++i) names[i] = table[i].name;
  return OrList(names);
}

template <typename E, std::size_t N>
Result<E> ParseNamed(const std::array<Named<E>, N>& table,
                     std::string_view field, std::string_view name) {
  for (const Named<E>& row : table) {
    if (row.name == name) return row.value;
  }
  return InvalidArgument(field, "'" + std::string(name.substr(0, 40)) +
                                    "' is not " + Choices(table));
}

constexpr std::string_view kGenderIdentity[] = {"woman", "man", "non_binary",
                                                "other", "not_stated"};
// The ONS 2021 census's five groups, with white British apart.
constexpr std::string_view kEthnicity[] = {
    "white_british", "white_other", "mixed", "asian",
    "black",         "arab",        "other", "not_stated"};
constexpr std::string_view kDisability[] = {"yes", "no", "not_stated"};
constexpr std::string_view kSexualOrientation[] = {
    "heterosexual", "gay_or_lesbian", "bisexual", "other", "not_stated"};
// The bands of the quarterly MARAC return.
constexpr std::string_view kAgeBand[] = {"16-17", "18-24", "25-34", "35-44",
                                         "45-54", "55-64", "65-74", "75+"};

// No control characters, within kMaxText; `lines` allows line breaks.
Status CheckText(const std::string& field, std::string_view text, bool lines) {
  if (text.size() > kMaxText) {
    return InvalidArgument(field, "longer than 4,096 bytes");
  }
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && !(lines && (c == '\n' || c == '\r' || c == '\t'))) ||
        u == 0x7f) {
      return InvalidArgument(field, "holds a control character");
    }
  }
  return Status::Ok();
}

bool Blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string Index(const std::string& field, std::size_t i) {
  return field + "[" + std::to_string(i) + "]";
}

// Non-blank agency names, none twice.
Status CheckAgencies(const std::string& field,
                     const std::vector<std::string>& agencies) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < agencies.size(); ++i) {
    const std::string at = Index(field, i);
    if (Blank(agencies[i])) return InvalidArgument(at, "blank");
    MARAC_RETURN_IF_ERROR(CheckText(at, agencies[i], false));
    if (!seen.insert(agencies[i]).second) {
      return InvalidArgument(at, "'" + agencies[i] + "' repeated");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view VictimConsentName(VictimConsent consent) {
  return Row(kConsent, consent).name;
}
std::string_view VictimConsentWords(VictimConsent consent) {
  return Row(kConsent, consent).words;
}
Result<VictimConsent> ParseVictimConsent(std::string_view field,
                                         std::string_view name) {
  return ParseNamed(kConsent, field, name);
}

std::string_view RelationshipName(Relationship relationship) {
  return Row(kRelationships, relationship).name;
}
std::string_view RelationshipWords(Relationship relationship) {
  return Row(kRelationships, relationship).words;
}
Result<Relationship> ParseRelationship(std::string_view field,
                                       std::string_view name) {
  return ParseNamed(kRelationships, field, name);
}

std::string LanguageWords(const ReferralDetails& d) {
  if (d.language.empty()) return "";
  return d.language + (d.interpreter_needed ? " (interpreter needed)" : "");
}

std::span<const std::string_view> EqualityValues(std::string_view field) {
  if (field == "gender_identity") return kGenderIdentity;
  if (field == "ethnicity") return kEthnicity;
  if (field == "disability") return kDisability;
  if (field == "sexual_orientation") return kSexualOrientation;
  if (field == "age_band") return kAgeBand;
  return {};
}

Status CheckReferralDetails(std::string_view field_prefix,
                            const ReferralDetails& d, std::string_view agency,
                            Date referred_on, int children_in_household) {
  const std::string field(field_prefix);
  const auto at = [&](std::string_view name) {
    return field.empty() ? std::string(name) : field + "." + std::string(name);
  };
  MARAC_RETURN_IF_ERROR(CheckText(at("referrer.name"), d.referrer.name, false));
  MARAC_RETURN_IF_ERROR(CheckText(at("referrer.role"), d.referrer.role, false));
  MARAC_RETURN_IF_ERROR(
      CheckText(at("referrer.contact"), d.referrer.contact, false));
  MARAC_RETURN_IF_ERROR(
      CheckText(at("judgement_narrative"), d.judgement_narrative, true));
  MARAC_RETURN_IF_ERROR(CheckText(at("language"), d.language, false));
  MARAC_RETURN_IF_ERROR(CheckText(at("safe_contact"), d.safe_contact, true));
  if (d.interpreter_needed && Blank(d.language)) {
    return InvalidArgument(at("interpreter_needed"),
                           "true, but no language is named");
  }
  if (d.children.size() >
      static_cast<std::size_t>(std::max(children_in_household, 0))) {
    return InvalidArgument(at("children"),
                           std::to_string(d.children.size()) + " listed, but " +
                               "children_in_household is " +
                               std::to_string(children_in_household));
  }
  for (std::size_t i = 0; i < d.children.size(); ++i) {
    const ChildInHousehold& c = d.children[i];
    const std::string child = Index(at("children"), i);
    if (Blank(c.given_name)) {
      return InvalidArgument(child + ".given_name", "required");
    }
    MARAC_RETURN_IF_ERROR(
        CheckText(child + ".given_name", c.given_name, false));
    MARAC_RETURN_IF_ERROR(
        CheckText(child + ".family_name", c.family_name, false));
    if (c.date_of_birth) {
      const std::string dob = child + ".date_of_birth";
      if (!c.date_of_birth->IsValid()) {
        return InvalidArgument(dob, "not a date in years 1-9999");
      }
      if (*c.date_of_birth > referred_on) {
        return InvalidArgument(
            dob, "after the referral on " + referred_on.ToString());
      }
      if (WholeYears(*c.date_of_birth, referred_on) >= kAdultAge) {
        return InvalidArgument(
            dob,
            "18 or over on the referral date; list adults in the "
            "household as records, not as children");
      }
    }
    MARAC_RETURN_IF_ERROR(CheckAgencies(child + ".known_to", c.known_to));
  }
  MARAC_RETURN_IF_ERROR(
      CheckAgencies(at("excluded_agencies"), d.excluded_agencies));
  for (std::size_t i = 0; i < d.excluded_agencies.size(); ++i) {
    if (d.excluded_agencies[i] == agency) {
      return InvalidArgument(Index(at("excluded_agencies"), i),
                             "the referring agency itself");
    }
  }
  const std::pair<std::string_view, const std::string*> equality[] = {
      {"gender_identity", &d.equality.gender_identity},
      {"ethnicity", &d.equality.ethnicity},
      {"disability", &d.equality.disability},
      {"sexual_orientation", &d.equality.sexual_orientation},
      {"age_band", &d.equality.age_band}};
  for (const auto& [name, value] : equality) {
    if (value->empty()) continue;
    const std::span<const std::string_view> allowed = EqualityValues(name);
    if (std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
      return InvalidArgument(
          at("equality." + std::string(name)),
          "'" + value->substr(0, 40) + "' is not " + OrList(allowed));
    }
  }
  return Status::Ok();
}

}  // namespace marac
