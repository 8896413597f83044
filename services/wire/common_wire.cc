#include "services/wire/common_wire.h"

#include <algorithm>

#include "marac/store/store.h"

namespace marac {
namespace wire_detail {

std::string Path(std::string_view field, std::string_view child) {
  if (field.empty()) return std::string(child);
  return std::string(field) + "." + std::string(child);
}

std::string Index(std::string_view field, int i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

}  // namespace wire_detail

using wire_detail::CheckIdAt;
using wire_detail::CheckTextAt;
using wire_detail::DateAt;
using wire_detail::EventDateAt;
using wire_detail::kMaxIdBytes;
using wire_detail::Whole;

namespace {
bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7f; }

}  // namespace

void CheckLabel(std::string_view text, std::string_view field, bool optional,
                FieldViolations& violations) {
  if (text.empty()) {
    if (!optional) violations.Add(std::string(field), "required");
  } else if (text.size() > kMaxIdBytes) {
    violations.Add(std::string(field), "longer than 128 bytes");
  } else if (std::any_of(text.begin(), text.end(), [](char c) {
               return IsControl(static_cast<unsigned char>(c));
             })) {
    violations.Add(std::string(field), "holds a control character");
  }
}

// Whether the list at `field` is within the limit; a violation if not.
bool CheckListSize(int size, std::string_view field, const WireLimits& limits,
                   FieldViolations& violations) {
  if (static_cast<std::size_t>(size) <= limits.max_list_items) return true;
  violations.Add(std::string(field), "more than " +
                                         std::to_string(limits.max_list_items) +
                                         " items (the configured list limit)");
  return false;
}

void CheckId(std::string_view id, std::string_view field, bool optional,
             FieldViolations& violations) {
  CheckIdAt(id, Whole(field), optional, violations);
}

void CheckText(std::string_view text, std::string_view field,
               const WireLimits& limits, FieldViolations& violations) {
  CheckTextAt(text, Whole(field), limits, violations);
}

void CheckPurpose(std::string_view purpose, std::string_view field,
                  const WireLimits& limits, FieldViolations& violations) {
  const bool blank = std::all_of(purpose.begin(), purpose.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  });
  if (blank) {
    violations.Add(std::string(field),
                   "required: a read must say why (DPA 2018 s.62)");
    return;
  }
  CheckText(purpose, field, limits, violations);
  // Beyond the store's limit too (when the string limit is set higher).
  if (purpose.size() > kMaxPurposeBytes &&
      purpose.size() <= limits.max_string_bytes) {
    violations.Add(std::string(field), "longer than " +
                                           std::to_string(kMaxPurposeBytes) +
                                           " bytes (the purpose limit)");
  }
}

std::optional<Date> DateFromWire(const v1::Date& date, std::string_view field,
                                 FieldViolations& violations) {
  return DateAt(date, Whole(field), violations);
}

std::optional<Date> EventDateFromWire(const v1::Date& date,
                                      std::string_view field,
                                      const WireLimits& limits,
                                      FieldViolations& violations) {
  return EventDateAt(date, Whole(field), limits, violations);
}

void DateToWire(const Date& date, v1::Date* out) {
  out->set_year(date.year);
  out->set_month(date.month);
  out->set_day(date.day);
}

v1::Grade GradeToWire(std::optional<Grade> grade) {
  if (!grade) return v1::GRADE_UNSPECIFIED;
  switch (*grade) {
    case Grade::kStandard:
      return v1::GRADE_STANDARD;
    case Grade::kMedium:
      return v1::GRADE_MEDIUM;
    case Grade::kHigh:
      return v1::GRADE_HIGH;
    case Grade::kNotGraded:
      break;
  }
  return v1::GRADE_NOT_GRADED;
}

std::optional<Grade> GradeFromWire(v1::Grade grade) {
  switch (grade) {
    case v1::GRADE_STANDARD:
      return Grade::kStandard;
    case v1::GRADE_MEDIUM:
      return Grade::kMedium;
    case v1::GRADE_HIGH:
      return Grade::kHigh;
    case v1::GRADE_NOT_GRADED:
      return Grade::kNotGraded;
    default:
      return std::nullopt;
  }
}

v1::OutputFormat OutputFormatToWire(std::string_view format) {
  if (format == "md") return v1::OUTPUT_FORMAT_MARKDOWN;
  if (format == "html") return v1::OUTPUT_FORMAT_HTML;
  return v1::OUTPUT_FORMAT_JSON;
}

}  // namespace marac
