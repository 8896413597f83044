// String and field comparisons for identity resolution: Jaro-Winkler as the
// reference linkage tools define it, name and UK postcode normalisation, and
// the date-of-birth comparison ladder. Pure functions, thread-safe.
//
//   JaroWinkler("martha", "marhta")  // 0.9611...
//   NormaliseName("  O'Brien-Smith ")  // "obrien smith"
//   ParseUkPostcode("sw1a1aa")->sector  // "SW1A 1"
//   CompareDob("1990-07-03", "1990-03-07")  // DobLevel::kDayMonthSwap
#ifndef MARAC_IDENTITY_COMPARE_H_
#define MARAC_IDENTITY_COMPARE_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace marac {

// Jaro similarity in [0, 1], byte-wise and case-sensitive (normalise first).
// Matching window floor(max(|a|, |b|) / 2) - 1; transpositions are the
// out-of-order matched characters halved with integer division, as in
// Splink's DuckDB kernel (vendored from rapidfuzz). Two empty strings are 1;
// one empty string is 0.
double Jaro(std::string_view a, std::string_view b);

// Jaro-Winkler: Jaro plus 0.1 per character of common prefix (at most 4)
// times (1 - Jaro), applied only when Jaro > 0.7. Anchors (linkage.md 5.1):
// martha/marhta 0.9611, dwayne/duane 0.84, dixon/dicksonx 0.8133,
// CRATE/TRACE 0.7333, "0"/"00" 0.85, green/hendricks 0.5333.
double JaroWinkler(std::string_view a, std::string_view b);

// A cheap upper bound on JaroWinkler(a, b), from the characters the two have
// in common (whatever their place) and their common prefix: when it is
// below a level's threshold the full comparison can be skipped. Linear in
// the lengths, where Jaro is quadratic.
double JaroWinklerUpperBound(std::string_view a, std::string_view b);

// Lower-case ASCII letters and digits; every run of anything else
// (whitespace, hyphens, full stops, commas) becomes one space, apostrophes
// vanish ("O'Brien" -> "obrien"); trimmed. Bytes of 0x80 and above (UTF-8)
// are kept as they are.
std::string NormaliseName(std::string_view raw);

// The space-separated parts of a normalised name: "hughes carter" ->
// {"hughes", "carter"}, so a double-barrelled or hyphenated surname can match
// on either part.
std::vector<std::string> NameParts(std::string_view normalised);

// A UK postcode split into the parts the comparison ladder uses.
struct UkPostcode {
  std::string unit;      // "SW1A 1AA": the full postcode, single-spaced.
  std::string sector;    // "SW1A 1"
  std::string district;  // "SW1A"
  std::string area;      // "SW"
};

// Parses a UK postcode in any case and spacing ("sw1a1aa", " SW1A  1AA ").
// nullopt when it is not of the form [A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}.
std::optional<UkPostcode> ParseUkPostcode(std::string_view raw);

// At most one insertion, deletion, substitution or swap of two adjacent
// characters turns `a` into `b` (Damerau-Levenshtein distance <= 1).
bool AtMostOneEdit(std::string_view a, std::string_view b);

// Date-of-birth comparison levels, strongest first (linkage.md 5.2).
enum class DobLevel {
  kMissing,         // Either side empty or a placeholder.
  kExact,           // Same YYYY-MM-DD text.
  kOneEdit,         // One digit different, or two adjacent digits swapped.
  kDayMonthSwap,    // Same year, day and month exchanged.
  kWithinMonth,     // Both valid dates, at most 31 days apart.
  kWithinYear,      // At most 365 days apart.
  kWithinTenYears,  // At most 3652 days apart.
  kDifferent,
};

// The placeholders treated as missing by default (e.g. 1900-01-01).
std::span<const std::string_view> DefaultDobPlaceholders();

// Compares two YYYY-MM-DD strings. Impossible dates (month 86) still take
// part in the text levels (exact, one edit) but not in the date-difference
// levels; they are never rejected here.
DobLevel CompareDob(
    std::string_view a, std::string_view b,
    std::span<const std::string_view> placeholders = DefaultDobPlaceholders());

}  // namespace marac

#endif  // MARAC_IDENTITY_COMPARE_H_
