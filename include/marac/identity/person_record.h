// A record of a person as one source system holds it (a police, IDVA or
// refuge record of a victim or perpetrator), its normalised form, and the
// comparison of two records field by field into levels (linkage.md 5).
//
//   const NormalisedRecord a = Normalise(record_a);
//   const ComparisonVector v = Compare(a, Normalise(record_b));
//   // v.family == NameLevel::kExact, v.dob == DobLevel::kDayMonthSwap, ...
#ifndef MARAC_IDENTITY_PERSON_RECORD_H_
#define MARAC_IDENTITY_PERSON_RECORD_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "marac/identity/compare.h"
#include "marac/identity/nicknames.h"

namespace marac {

enum class Role : std::uint8_t { kUnknown, kVictim, kPerpetrator };

struct PersonRecord {
  std::string record_id;  // Unique within its source.
  std::string source;     // The system it came from.
  std::string given_name;
  std::string middle_name;
  std::string family_name;
  std::vector<std::string> previous_family_names;  // Maiden or earlier names.
  std::string dob;  // YYYY-MM-DD as recorded; empty when not known.
  std::string gender;
  std::string postcode;
  std::string address_line;  // House number and street ("7 Wallaby Place").
  std::string town;          // Town, suburb or locality.
  std::string email;
  // An identifier recorded without checking (an NHS or National Insurance
  // number as typed): compared as evidence, with a level for one typo; never
  // a constraint. A verified identifier goes in trusted_id.
  std::string other_id;
  Role role = Role::kUnknown;
  std::string
      incident_id;         // Victim and perpetrator of one incident never link.
  std::string trusted_id;  // E.g. a police national computer number.
  // The MARAC area whose record this is; empty: not recorded (records
  // stored before areas were). Identity calls are scoped by it; linkage
  // ignores it (a person moves between areas).
  std::string area;

  friend bool operator==(const PersonRecord&, const PersonRecord&) = default;
};

struct NormalisedRecord {
  std::string given;                      // NormaliseName(given_name)
  std::string family;                     // NormaliseName(family_name)
  std::vector<std::string> family_parts;  // Parts of a double-barrelled name.
  std::vector<std::string> previous_family;  // Normalised earlier surnames.
  std::string dob;                           // As recorded, trimmed.
  std::string gender;                        // Lower case; empty when missing.
  std::optional<UkPostcode> postcode;        // nullopt when missing or not UK.
  std::string raw_postcode;  // Upper case without spaces, for others.
  std::string address;       // NormaliseName(address_line)
  std::vector<std::string> address_parts;  // Its words, sorted, unique.
  std::string town;                        // NormaliseName(town)
  std::string email;                       // Lower case, trimmed.
  std::string other_id;  // Upper-case letters and digits only.
};

// Normalises `record`. A date of birth in `dob_placeholders` (system
// defaults such as 1900-01-01) becomes missing: it is no evidence.
NormalisedRecord Normalise(const PersonRecord& record,
                           std::span<const std::string_view> dob_placeholders =
                               DefaultDobPlaceholders());

// Name levels, strongest first (linkage.md 5.1).
enum class NameLevel : std::uint8_t {
  kMissing,
  kExact,
  kJaroWinkler92,  // JW >= 0.92
  kJaroWinkler88,  // JW >= 0.88
  kNickname,       // One group of the nickname table holds both, or one
                   // (three letters or more) starts the other: "dan", "daniel".
  kJaroWinkler70,  // JW >= 0.70
  kDifferent,
};

// Family-name levels add a match on part of a double-barrelled name and on
// an earlier surname (a woman who took or dropped a partner's name).
enum class FamilyLevel : std::uint8_t {
  kMissing,
  kExact,
  kJaroWinkler92,
  kPartOrPrevious,  // A part of one equals a part or an earlier name of the
                    // other.
  kJaroWinkler88,
  kJaroWinkler70,
  kDifferent,
};

enum class PostcodeLevel : std::uint8_t {
  kMissing,
  kUnit,
  kSector,
  kDistrict,
  kArea,
  kDifferent,
};

enum class GenderLevel : std::uint8_t { kMissing, kSame, kDifferent };

// Address levels: addresses change often, so a different address is weak
// evidence against, never a veto.
enum class AddressLevel : std::uint8_t {
  kMissing,
  kExact,
  kSimilar,  // Jaro-Winkler >= 0.90 on the whole line (a typo), with the
             // same house and flat numbers when both lines have numbers.
  // ("16 Grimer Street" and "20 Grimer Street" are two homes.)
  kOverlap,  // At least half the words of the shorter line in the other.
  kDifferent,
};

// Levels of a free-text field compared exactly or nearly: town (close =
// Jaro-Winkler >= 0.88), e-mail address (close = the same name before the
// "@", or Jaro-Winkler >= 0.88), other identifier (close = one typo).
enum class TextLevel : std::uint8_t { kMissing, kExact, kClose, kDifferent };

struct ComparisonVector {
  NameLevel given = NameLevel::kMissing;
  FamilyLevel family = FamilyLevel::kMissing;
  // Given of one is (nearly) the family of the other and the other way
  // round; `given` and `family` then hold the crosswise levels.
  bool names_swapped = false;
  // Given names near in spelling (Jaro-Winkler 0.88 or more) that are also
  // a short form and its full name ("steve", "steven"): one person's, not
  // two established names.
  bool given_short_form = false;
  DobLevel dob = DobLevel::kMissing;
  PostcodeLevel postcode = PostcodeLevel::kMissing;
  // Both postcodes are UK ones: their unit is decided by the address (one
  // postcode per delivery point), so an agreeing address implies it.
  bool uk_postcodes = false;
  GenderLevel gender = GenderLevel::kMissing;
  AddressLevel address = AddressLevel::kMissing;
  TextLevel town = TextLevel::kMissing;
  TextLevel other_id = TextLevel::kMissing;
  TextLevel email = TextLevel::kMissing;

  friend bool operator==(const ComparisonVector&,
                         const ComparisonVector&) = default;
};

// One name is a short form of the other: the nickname table holds both, or
// one (three letters or more) starts the other.
bool ShortFormOf(std::string_view a, std::string_view b,
                 const NicknameTable& nicknames);
NameLevel CompareGivenNames(std::string_view a, std::string_view b,
                            const NicknameTable& nicknames);
FamilyLevel CompareFamilyNames(const NormalisedRecord& a,
                               const NormalisedRecord& b);
PostcodeLevel ComparePostcodes(const NormalisedRecord& a,
                               const NormalisedRecord& b);
AddressLevel CompareAddresses(const NormalisedRecord& a,
                              const NormalisedRecord& b);
TextLevel CompareTowns(std::string_view a, std::string_view b);
TextLevel CompareEmails(std::string_view a, std::string_view b);
TextLevel CompareOtherIds(std::string_view a, std::string_view b);

ComparisonVector Compare(
    const NormalisedRecord& a, const NormalisedRecord& b,
    const NicknameTable& nicknames = NicknameTable::BuiltIn());

}  // namespace marac

#endif  // MARAC_IDENTITY_PERSON_RECORD_H_
