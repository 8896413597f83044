// The wire's common part (marac/v1/common.proto): the limits a request is
// checked against, the field checks every area uses, dates, grades,
// criteria and output formats. From the wire, every field is checked and
// every violation collected by field path; to the wire, nothing is checked
// (the library's values are valid).
//
//   FieldViolations violations;
//   CheckId(request.referral_id(), "referral_id", false, violations);
//   const std::optional<Date> d =
//       EventDateFromWire(request.date(), "date", limits, violations);
//   if (!violations.empty()) return violations.ToStatus();
//
// A From* function returns nullopt exactly when it added a violation.
// Messages name the rule broken, never the value sent.
#ifndef MARAC_SERVICES_WIRE_COMMON_WIRE_H_
#define MARAC_SERVICES_WIRE_COMMON_WIRE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "marac/assess/score.h"
#include "marac/casefile/grade.h"
#include "marac/common/date.h"
#include "marac/v1/common.pb.h"
#include "services/wire/rpc_status.h"

namespace marac {

// What a request may hold, and which dates are plausible.
struct WireLimits {
  std::size_t max_string_bytes = 4096;
  std::size_t max_list_items = 1000;
  Date earliest{1990, 1, 1};  // Event dates before this are refused.
  Date latest{9999, 12, 31};  // Event dates after this (today) are refused.
};

// An id field: required unless `optional`, at most 128 bytes, printable
// ASCII without spaces.
void CheckId(std::string_view id, std::string_view field, bool optional,
             FieldViolations& violations);
// A label (an area, a source system): required unless `optional`, at most
// 128 bytes, no control characters.
void CheckLabel(std::string_view text, std::string_view field, bool optional,
                FieldViolations& violations);
// A free-text field within the string limit (UTF-8 is checked by protobuf).
void CheckText(std::string_view text, std::string_view field,
               const WireLimits& limits, FieldViolations& violations);
// A required `purpose` of a read: not blank, within the string limit.
void CheckPurpose(std::string_view purpose, std::string_view field,
                  const WireLimits& limits, FieldViolations& violations);
// Whether the list at `field` is within the limit; a violation if not.
bool CheckListSize(int size, std::string_view field, const WireLimits& limits,
                   FieldViolations& violations);

// A calendar date, any real one (1..9999).
std::optional<Date> DateFromWire(const v1::Date& date, std::string_view field,
                                 FieldViolations& violations);
// An event date: real, and within limits.earliest..limits.latest.
std::optional<Date> EventDateFromWire(const v1::Date& date,
                                      std::string_view field,
                                      const WireLimits& limits,
                                      FieldViolations& violations);
void DateToWire(const Date& date, v1::Date* out);

// A grade on the wire; GRADE_UNSPECIFIED for none (a case not assessed).
v1::Grade GradeToWire(std::optional<Grade> grade);
// The grade a wire value names; none for GRADE_UNSPECIFIED or a value
// this build does not know.
std::optional<Grade> GradeFromWire(v1::Grade grade);

// The criteria on the wire and in the library, one row each.
inline constexpr struct {
  v1::Criterion wire;
  Criterion core;
} kWireCriteria[] = {
    {v1::CRITERION_VISIBLE_HIGH_RISK, Criterion::kVisibleHighRisk},
    {v1::CRITERION_PROFESSIONAL_JUDGEMENT, Criterion::kProfessionalJudgement},
    {v1::CRITERION_POTENTIAL_ESCALATION, Criterion::kPotentialEscalation},
    {v1::CRITERION_REPEAT, Criterion::kRepeat},
};

// "md" and "html" by name; JSON for anything else.
v1::OutputFormat OutputFormatToWire(std::string_view format);

// The field checkers the areas share, each given its field's path as a
// callable that builds it: the path is made only for a violation, so a
// valid request (the scoring path runs thousands of times a second) builds
// no strings.
namespace wire_detail {

inline constexpr std::size_t kMaxIdBytes = 128;

std::string Path(std::string_view field, std::string_view child);
std::string Index(std::string_view field, int i);

template <typename PathFn>
void CheckIdAt(std::string_view id, const PathFn& path, bool optional,
               FieldViolations& violations) {
  if (id.empty()) {
    if (!optional) violations.Add(path(), "required");
    return;
  }
  if (id.size() > kMaxIdBytes) {
    violations.Add(path(), "longer than 128 bytes");
    return;
  }
  for (const char c : id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      violations.Add(path(), "not an id (printable ASCII without spaces)");
      return;
    }
  }
}

template <typename PathFn>
void CheckTextAt(std::string_view text, const PathFn& path,
                 const WireLimits& limits, FieldViolations& violations) {
  if (text.size() > limits.max_string_bytes) {
    violations.Add(path(), "longer than " +
                               std::to_string(limits.max_string_bytes) +
                               " bytes (the configured string limit)");
  }
}

template <typename PathFn>
std::optional<Date> DateAt(const v1::Date& date, const PathFn& path,
                           FieldViolations& violations) {
  const Date d{date.year(), date.month(), date.day()};
  if (!d.IsValid()) {
    violations.Add(path(),
                   "not a calendar date (year 1..9999, month 1..12, a day "
                   "of that month)");
    return std::nullopt;
  }
  return d;
}

template <typename PathFn>
std::optional<Date> EventDateAt(const v1::Date& date, const PathFn& path,
                                const WireLimits& limits,
                                FieldViolations& violations) {
  const std::optional<Date> d = DateAt(date, path, violations);
  if (!d) return std::nullopt;
  if (*d < limits.earliest) {
    violations.Add(path(), "before " + limits.earliest.ToString() +
                               ", too early to be right");
    return std::nullopt;
  }
  if (*d > limits.latest) {
    violations.Add(path(),
                   "in the future (today is " + limits.latest.ToString() + ")");
    return std::nullopt;
  }
  return d;
}

// A path known whole.
inline auto Whole(std::string_view field) {
  return [field] { return std::string(field); };
}
// "parent.child", built on demand; `parent` is itself such a callable.
template <typename PathFn>
auto Child(const PathFn& parent, std::string_view child) {
  return [parent, child] { return Path(parent(), child); };
}
// "parent[i]", on demand.
template <typename PathFn>
auto Element(const PathFn& parent, int i) {
  return [parent, i] { return Index(parent(), i); };
}

}  // namespace wire_detail
}  // namespace marac

#endif  // MARAC_SERVICES_WIRE_COMMON_WIRE_H_
