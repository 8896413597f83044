#include "marac/identity/person_record.h"

#include <algorithm>
#include <span>

namespace marac {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

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

// JaroWinkler(a, b) when it may reach `floor`, else 0: below every level
// that asks for it, and found without the quadratic comparison.
double JaroWinklerFrom(std::string_view a, std::string_view b, double floor) {
  return JaroWinklerUpperBound(a, b) < floor ? 0.0 : JaroWinkler(a, b);
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
  n.address = NormaliseName(r.address_line);
  n.address_parts = NameParts(n.address);
  std::sort(n.address_parts.begin(), n.address_parts.end());
  n.address_parts.erase(
      std::unique(n.address_parts.begin(), n.address_parts.end()),
      n.address_parts.end());
  n.town = NormaliseName(r.town);
  n.email = Trim(r.email);
  for (char& c : n.email) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const char c : r.other_id) {
    if (c >= 'a' && c <= 'z') {
      n.other_id += static_cast<char>(c - 'a' + 'A');
    } else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      n.other_id += c;
    }
  }
  return n;
}

bool ShortFormOf(std::string_view a, std::string_view b,
                 const NicknameTable& nicknames) {
  if (nicknames.Equivalent(a, b)) return true;
  // A short form that starts the full name ("dan", "daniel"), as most
  // diminutives the table lacks do.
  const std::string_view shorter = a.size() < b.size() ? a : b;
  const std::string_view longer = a.size() < b.size() ? b : a;
  return shorter.size() >= 3 && longer.starts_with(shorter);
}

NameLevel CompareGivenNames(std::string_view a, std::string_view b,
                            const NicknameTable& nicknames) {
  if (a.empty() || b.empty()) return NameLevel::kMissing;
  if (a == b) return NameLevel::kExact;
  const double jw = JaroWinklerFrom(a, b, 0.70);
  if (jw >= 0.92) return NameLevel::kJaroWinkler92;
  if (jw >= 0.88) return NameLevel::kJaroWinkler88;
  if (ShortFormOf(a, b, nicknames)) return NameLevel::kNickname;
  // A slip in the full name beside a nickname of it ("debrah", "debbie"):
  // looked for only between names with one first letter, as most are.
  if (a[0] == b[0] && nicknames.NearEquivalent(a, b)) {
    return NameLevel::kNickname;
  }
  if (jw >= 0.70) return NameLevel::kJaroWinkler70;
  return NameLevel::kDifferent;
}

FamilyLevel CompareFamilyNames(const NormalisedRecord& a,
                               const NormalisedRecord& b) {
  if (a.family.empty() || b.family.empty()) return FamilyLevel::kMissing;
  if (a.family == b.family) return FamilyLevel::kExact;
  const double jw = JaroWinklerFrom(a.family, b.family, 0.70);
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

AddressLevel CompareAddresses(const NormalisedRecord& a,
                              const NormalisedRecord& b) {
  if (a.address.empty() || b.address.empty()) return AddressLevel::kMissing;
  if (a.address == b.address) return AddressLevel::kExact;
  // House and flat numbers (words starting with a digit; sorted first):
  // "16 Grimer Street" and "20 Grimer Street" are two homes however alike
  // the lines look, and "Flat 1" and "Flat 2" of one building too. Lines
  // with different numbers share at most their street.
  const auto numbers = [](const NormalisedRecord& r) {
    std::size_t n = 0;
    while (n < r.address_parts.size() && IsDigit(r.address_parts[n][0])) ++n;
    return std::span<const std::string>(r.address_parts.data(), n);
  };
  const std::span<const std::string> na = numbers(a);
  const std::span<const std::string> nb = numbers(b);
  const bool other_home =
      !na.empty() && !nb.empty() &&
      !std::equal(na.begin(), na.end(), nb.begin(), nb.end());
  if (!other_home && JaroWinklerFrom(a.address, b.address, 0.90) >= 0.90) {
    return AddressLevel::kSimilar;
  }
  // Words in common, both lists sorted and unique.
  std::size_t common = 0;
  auto x = a.address_parts.begin();
  auto y = b.address_parts.begin();
  while (x != a.address_parts.end() && y != b.address_parts.end()) {
    if (*x < *y) {
      ++x;
    } else if (*y < *x) {
      ++y;
    } else {
      ++common, ++x, ++y;
    }
  }
  const std::size_t shorter =
      std::min(a.address_parts.size(), b.address_parts.size());
  return shorter > 0 && 2 * common >= shorter ? AddressLevel::kOverlap
                                              : AddressLevel::kDifferent;
}

TextLevel CompareTowns(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return TextLevel::kMissing;
  if (a == b) return TextLevel::kExact;
  return JaroWinklerFrom(a, b, 0.88) >= 0.88 ? TextLevel::kClose
                                             : TextLevel::kDifferent;
}

TextLevel CompareEmails(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return TextLevel::kMissing;
  if (a == b) return TextLevel::kExact;
  const std::size_t at_a = a.find('@');
  const std::size_t at_b = b.find('@');
  // Both need an "@": an address without one has no name before it, and
  // the level must not depend on which record comes first.
  if (at_a != std::string_view::npos && at_a > 0 &&
      at_b != std::string_view::npos &&
      a.substr(0, at_a) == b.substr(0, at_b)) {
    return TextLevel::kClose;  // The same name at another provider.
  }
  return JaroWinklerFrom(a, b, 0.88) >= 0.88 ? TextLevel::kClose
                                             : TextLevel::kDifferent;
}

TextLevel CompareOtherIds(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return TextLevel::kMissing;
  if (a == b) return TextLevel::kExact;
  return AtMostOneEdit(a, b) ? TextLevel::kClose : TextLevel::kDifferent;
}

ComparisonVector Compare(const NormalisedRecord& a, const NormalisedRecord& b,
                         const NicknameTable& nicknames) {
  ComparisonVector v;
  v.given = CompareGivenNames(a.given, b.given, nicknames);
  v.family = CompareFamilyNames(a, b);
  // Given and family names entered the wrong way round: when the straight
  // comparison is weak, compare crosswise, and take the cross levels when
  // both names then agree at least as nearly as Jaro-Winkler 0.88.
  const auto near_given = [](NameLevel l) {
    return l == NameLevel::kExact || l == NameLevel::kJaroWinkler92 ||
           l == NameLevel::kJaroWinkler88;
  };
  if (!(near_given(v.given) && v.family <= FamilyLevel::kJaroWinkler88 &&
        v.family != FamilyLevel::kMissing) &&
      !a.given.empty() && !a.family.empty() && !b.given.empty() &&
      !b.family.empty() &&
      // A swap with a slip in a first letter too is not looked for: the
      // check then costs two characters for most pairs, not two JWs.
      a.given[0] == b.family[0] && a.family[0] == b.given[0]) {
    const NameLevel cross_given =
        CompareGivenNames(a.given, b.family, nicknames);
    if (near_given(cross_given)) {
      const NameLevel cross_family =
          CompareGivenNames(a.family, b.given, nicknames);
      if (near_given(cross_family)) {
        v.names_swapped = true;
        v.given = cross_given;
        v.family = cross_family == NameLevel::kExact
                       ? FamilyLevel::kExact
                       : (cross_family == NameLevel::kJaroWinkler92
                              ? FamilyLevel::kJaroWinkler92
                              : FamilyLevel::kJaroWinkler88);
      }
    }
  }
  if (!v.names_swapped && (v.given == NameLevel::kJaroWinkler92 ||
                           v.given == NameLevel::kJaroWinkler88)) {
    // Of two names of one length neither is the short form (Sophie and
    // Sophia, though the nickname table links them).
    v.given_short_form = a.given.size() != b.given.size() &&
                         ShortFormOf(a.given, b.given, nicknames);
  }
  v.dob = CompareDob(a.dob, b.dob, {});  // Placeholders went in Normalise.
  v.postcode = ComparePostcodes(a, b);
  v.uk_postcodes = a.postcode.has_value() && b.postcode.has_value();
  v.gender = a.gender.empty() || b.gender.empty()
                 ? GenderLevel::kMissing
                 : (a.gender == b.gender ? GenderLevel::kSame
                                         : GenderLevel::kDifferent);
  v.address = CompareAddresses(a, b);
  v.town = CompareTowns(a.town, b.town);
  v.other_id = CompareOtherIds(a.other_id, b.other_id);
  v.email = CompareEmails(a.email, b.email);
  return v;
}

}  // namespace marac
