#include "marac/identity/compare.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "marac/common/date.h"

namespace marac {
namespace {

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char Upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

bool AtMostOneEdit(std::string_view a, std::string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // Equal, or one appended character.
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // Substitution.
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);  // Adjacent swap.
  }
  return a.substr(i) == b.substr(i + 1);  // One deletion.
}

double Jaro(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  const std::size_t longer = std::max(a.size(), b.size());
  const std::size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
  // Names are short: flags on the stack, the heap only for long strings.
  constexpr std::size_t kInline = 64;
  std::array<char, kInline> a_inline{};
  std::array<char, kInline> b_inline{};
  std::vector<char> a_heap;
  std::vector<char> b_heap;
  char* a_matched = a_inline.data();
  char* b_matched = b_inline.data();
  if (a.size() > kInline || b.size() > kInline) {
    a_heap.assign(a.size(), 0);
    b_heap.assign(b.size(), 0);
    a_matched = a_heap.data();
    b_matched = b_heap.data();
  }
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::size_t lo = i > window ? i - window : 0;
    const std::size_t hi = std::min(b.size(), i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (!b_matched[j] && a[i] == b[j]) {
        a_matched[i] = b_matched[j] = 1;
        ++matches;
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t out_of_order = 0;
  for (std::size_t i = 0, j = 0; i < a.size(); ++i) {
    if (!a_matched[i]) continue;
    while (!b_matched[j]) ++j;
    if (a[i] != b[j]) ++out_of_order;
    ++j;
  }
  const std::size_t transpositions = out_of_order / 2;  // Integer halving.
  const double m = static_cast<double>(matches);
  return (m / static_cast<double>(a.size()) +
          m / static_cast<double>(b.size()) +
          (m - static_cast<double>(transpositions)) / m) /
         3.0;
}

double JaroWinkler(std::string_view a, std::string_view b) {
  const double jaro = Jaro(a, b);
  if (jaro <= 0.7) return jaro;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() &&
         a[prefix] == b[prefix]) {
    ++prefix;
  }
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

double JaroWinklerUpperBound(std::string_view a, std::string_view b) {
  if (a.empty() && b.empty()) return 1.0;
  if (a.empty() || b.empty()) return 0.0;
  // Jaro's matches are at most the characters in common, counted with
  // multiplicity; bytes share 32 bins (c & 31), which can only raise the
  // count, so the bound holds.
  std::array<std::uint32_t, 32> count{};
  for (const char c : a) ++count[static_cast<unsigned char>(c) & 31u];
  std::size_t common = 0;
  for (const char c : b) {
    std::uint32_t& n = count[static_cast<unsigned char>(c) & 31u];
    if (n > 0) --n, ++common;
  }
  if (common == 0) return 0.0;
  const double m = static_cast<double>(common);
  // No transpositions at best.
  const double jaro = (m / static_cast<double>(a.size()) +
                       m / static_cast<double>(b.size()) + 1.0) /
                      3.0;
  if (jaro <= 0.7) return jaro;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && prefix < b.size() &&
         a[prefix] == b[prefix]) {
    ++prefix;
  }
  // Jaro-Winkler grows with Jaro for a given prefix.
  return std::min(1.0, jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro));
}

std::string NormaliseName(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  bool pending_space = false;
  for (const char c : raw) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\'') continue;  // O'Brien -> obrien
    if (IsAsciiLetter(c) || IsDigit(c) || u >= 0x80) {
      if (pending_space && !out.empty()) out += ' ';
      pending_space = false;
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    } else {
      pending_space = true;
    }
  }
  return out;
}

std::vector<std::string> NameParts(std::string_view normalised) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < normalised.size()) {
    std::size_t end = normalised.find(' ', start);
    if (end == std::string_view::npos) end = normalised.size();
    if (end > start) parts.emplace_back(normalised.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::optional<UkPostcode> ParseUkPostcode(std::string_view raw) {
  std::string compact;
  for (const char c : raw) {
    if (c == ' ' || c == '\t') continue;
    if (!IsAsciiLetter(c) && !IsDigit(c)) return std::nullopt;
    compact += Upper(c);
    if (compact.size() > 7) return std::nullopt;
  }
  // Inward code: the last three characters, digit letter letter.
  if (compact.size() < 5) return std::nullopt;
  const std::string_view inward =
      std::string_view(compact).substr(compact.size() - 3);
  const std::string_view outward =
      std::string_view(compact).substr(0, compact.size() - 3);
  if (!IsDigit(inward[0]) || !IsAsciiLetter(inward[1]) ||
      !IsAsciiLetter(inward[2])) {
    return std::nullopt;
  }
  // Outward code: [A-Z]{1,2}[0-9][A-Z0-9]?
  std::size_t letters = 0;
  while (letters < outward.size() && IsAsciiLetter(outward[letters])) ++letters;
  if (letters < 1 || letters > 2 || letters >= outward.size() ||
      !IsDigit(outward[letters])) {
    return std::nullopt;
  }
  const std::size_t rest = outward.size() - letters - 1;
  if (rest > 1) return std::nullopt;
  UkPostcode p;
  p.area = std::string(outward.substr(0, letters));
  p.district = std::string(outward);
  p.sector = p.district + " " + inward[0];
  p.unit = p.district + " " + std::string(inward);
  return p;
}

std::span<const std::string_view> DefaultDobPlaceholders() {
  static constexpr std::string_view kPlaceholders[] = {
      "1900-01-01", "1800-01-01", "1901-01-01", "1970-01-01", "0001-01-01",
  };
  return kPlaceholders;
}

DobLevel CompareDob(std::string_view a, std::string_view b,
                    std::span<const std::string_view> placeholders) {
  for (const std::string_view p : placeholders) {
    if (a == p || b == p) return DobLevel::kMissing;
  }
  if (a.empty() || b.empty()) return DobLevel::kMissing;
  if (a == b) return DobLevel::kExact;
  // 1 January is what a system fills in when only the year is known: such
  // a date says nothing beyond its year, and agreeing years say nothing
  // the blocking did not.
  const auto year_only = [](std::string_view d) {
    return d.size() == 10 && d.substr(4) == "-01-01";
  };
  if ((year_only(a) || year_only(b)) && a.size() == 10 && b.size() == 10 &&
      a.substr(0, 4) == b.substr(0, 4)) {
    return DobLevel::kMissing;
  }
  if (AtMostOneEdit(a, b)) return DobLevel::kOneEdit;
  if (a.size() == 10 && b.size() == 10 && a.substr(0, 5) == b.substr(0, 5) &&
      a.substr(5, 2) == b.substr(8, 2) && a.substr(8, 2) == b.substr(5, 2)) {
    return DobLevel::kDayMonthSwap;
  }
  const Result<Date> da = Date::Parse("dob", a);
  const Result<Date> db = Date::Parse("dob", b);
  if (!da.ok() || !db.ok()) return DobLevel::kDifferent;
  const std::int64_t days = std::llabs(DaysBetween(*da, *db));
  if (days <= 31) return DobLevel::kWithinMonth;
  if (days <= 365) return DobLevel::kWithinYear;
  if (days <= 3652) return DobLevel::kWithinTenYears;
  return DobLevel::kDifferent;
}

}  // namespace marac
