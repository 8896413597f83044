#include "marac/identity/person_record.h"

#include <algorithm>

namespace marac {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return std::string(s);
}

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

NormalisedRecord Normalise(const PersonRecord& r,
                           std::span<const std::string_view> dob_placeholders) {
  NormalisedRecord n;
  n.given = NormaliseName(r.given_name);
  n.family = NormaliseName(r.family_name);
  n.family_parts = NameParts(n.family);
  for (const std::string& previous : r.previous_family_names) {
    std::string p = NormaliseName(previous);
    if (!p.empty()) n.previous_family.push_back(std::move(p));
  }
  n.dob = Trim(r.dob);
  for (const std::string_view placeholder : dob_placeholders) {
    if (n.dob == placeholder) n.dob.clear();
  }
  n.gender = NormaliseName(r.gender);
  n.postcode = ParseUkPostcode(r.postcode);
  for (const char c : r.postcode) {
    if (c == ' ' || c == '\t') continue;
    n.raw_postcode +=
        (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return n;
}

NameLevel CompareGivenNames(std::string_view a, std::string_view b,
                            const NicknameTable& nicknames) {
  if (a.empty() || b.empty()) return NameLevel::kMissing;
  if (a == b) return NameLevel::kExact;
  const double jw = JaroWinkler(a, b);
  if (jw >= 0.92) return NameLevel::kJaroWinkler92;
  if (jw >= 0.88) return NameLevel::kJaroWinkler88;
  if (nicknames.Equivalent(a, b)) return NameLevel::kNickname;
  if (jw >= 0.70) return NameLevel::kJaroWinkler70;
  return NameLevel::kDifferent;
}

FamilyLevel CompareFamilyNames(const NormalisedRecord& a,
                               const NormalisedRecord& b) {
  if (a.family.empty() || b.family.empty()) return FamilyLevel::kMissing;
  if (a.family == b.family) return FamilyLevel::kExact;
  const double jw = JaroWinkler(a.family, b.family);
  if (jw >= 0.92) return FamilyLevel::kJaroWinkler92;
  // "Hughes" against "Hughes Carter", or against an earlier "Hughes".
  for (const std::string& part : a.family_parts) {
    if (Contains(b.family_parts, part) || Contains(b.previous_family, part)) {
      return FamilyLevel::kPartOrPrevious;
    }
  }
  for (const std::string& part : b.family_parts) {
    if (Contains(a.previous_family, part)) return FamilyLevel::kPartOrPrevious;
  }
  if (jw >= 0.88) return FamilyLevel::kJaroWinkler88;
  if (jw >= 0.70) return FamilyLevel::kJaroWinkler70;
  return FamilyLevel::kDifferent;
}

PostcodeLevel ComparePostcodes(const NormalisedRecord& a,
                               const NormalisedRecord& b) {
  if (a.raw_postcode.empty() || b.raw_postcode.empty()) {
    return PostcodeLevel::kMissing;
  }
  if (!a.postcode || !b.postcode) {
    // Not UK postcodes (e.g. FEBRL's Australian ones): exact or not.
    return a.raw_postcode == b.raw_postcode ? PostcodeLevel::kUnit
                                            : PostcodeLevel::kDifferent;
  }
  if (a.postcode->unit == b.postcode->unit) return PostcodeLevel::kUnit;
  if (a.postcode->sector == b.postcode->sector) return PostcodeLevel::kSector;
  if (a.postcode->district == b.postcode->district)
    return PostcodeLevel::kDistrict;
  if (a.postcode->area == b.postcode->area) return PostcodeLevel::kArea;
  return PostcodeLevel::kDifferent;
}

ComparisonVector Compare(const NormalisedRecord& a, const NormalisedRecord& b,
                         const NicknameTable& nicknames) {
  ComparisonVector v;
  v.given = CompareGivenNames(a.given, b.given, nicknames);
  v.family = CompareFamilyNames(a, b);
  v.names_swapped = !a.given.empty() && !a.family.empty() &&
                    a.given != a.family && a.given == b.family &&
                    a.family == b.given;
  v.dob = CompareDob(a.dob, b.dob, {});  // Placeholders went in Normalise.
  v.postcode = ComparePostcodes(a, b);
  v.gender = a.gender.empty() || b.gender.empty()
                 ? GenderLevel::kMissing
                 : (a.gender == b.gender ? GenderLevel::kSame
                                         : GenderLevel::kDifferent);
  return v;
}

}  // namespace marac
