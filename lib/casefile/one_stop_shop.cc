#include "marac/casefile/one_stop_shop.h"

#include <array>
#include <set>
#include <string>

namespace marac {
namespace {

constexpr std::size_t kMaxId = 64;
constexpr std::size_t kMaxText = 128;
constexpr int kMaxChildren = 50;

template <typename E>
struct Named {
  E value;
  std::string_view name;
};

constexpr std::array<Named<VisitorGender>, 4> kGenders = {{
    {VisitorGender::kNotRecorded, "not_recorded"},
    {VisitorGender::kFemale, "female"},
    {VisitorGender::kMale, "male"},
    {VisitorGender::kOther, "other"},
}};

constexpr std::array<Named<VisitFeedback>, 3> kFeedback = {{
    {VisitFeedback::kNotGiven, "not_given"},
    {VisitFeedback::kHelpful, "helpful"},
    {VisitFeedback::kNotHelpful, "not_helpful"},
}};

// The row for `value`; nullptr when `value` is no enumerator (a bad cast).
template <typename E, std::size_t N>
const Named<E>* Row(const std::array<Named<E>, N>& table, E value) {
  for (const Named<E>& row : table) {
    if (row.value == value) return &row;
  }
  return nullptr;
}

template <typename E, std::size_t N>
Result<E> ParseNamed(const std::array<Named<E>, N>& table,
                     std::string_view field, std::string_view name) {
  std::string choices;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) choices += i + 1 == N ? " or " : ", ";
    choices += table[i].name;
  }
  for (const Named<E>& row : table) {
    if (row.name == name) return row.value;
  }
  return InvalidArgument(
      field, "'" + std::string(name.substr(0, 40)) + "' is not " + choices);
}

std::string At(std::string_view where, std::string_view name) {
  if (where.empty()) return std::string(name);
  return std::string(where) + "." + std::string(name);
}

std::string Index(const std::string& field, std::size_t i) {
  return field + "[" + std::to_string(i) + "]";
}

// The text as shown in an error: at most 40 bytes.
std::string Quoted(std::string_view text) {
  return "'" + std::string(text.substr(0, 40)) + "'";
}

// Required, at most kMaxId bytes, each byte in `allowed`; `what` says
// which bytes those are.
Status CheckToken(const std::string& field, std::string_view text,
                  std::string_view allowed, std::string_view what) {
  if (text.empty()) return InvalidArgument(field, "required");
  if (text.size() > kMaxId) {
    return InvalidArgument(field, "longer than 64 bytes");
  }
  if (text.find_first_not_of(allowed) != std::string_view::npos) {
    return InvalidArgument(field, Quoted(text) + " " + std::string(what));
  }
  return Status::Ok();
}

Status CheckId(const std::string& field, std::string_view id) {
  return CheckToken(
      field, id,
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:/",
      "holds a character other than letters, digits and -_.:/");
}

Status CheckSite(const std::string& field, std::string_view site) {
  return CheckToken(field, site, "abcdefghijklmnopqrstuvwxyz0123456789-_",
                    "is not lower-case letters, digits, '-' and '_' (as "
                    "\"ashford-gateway\")");
}

// A name or code: not blank, no surrounding spaces, no control characters,
// within kMaxText.
Status CheckName(const std::string& field, std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  if (text.find_first_not_of(kSpace) == std::string_view::npos) {
    return InvalidArgument(field, "blank");
  }
  if (kSpace.find(text.front()) != std::string_view::npos ||
      kSpace.find(text.back()) != std::string_view::npos) {
    return InvalidArgument(field, Quoted(text) + " has surrounding spaces");
  }
  if (text.size() > kMaxText) {
    return InvalidArgument(field, "longer than 128 bytes");
  }
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return InvalidArgument(field, "holds a control character");
    }
  }
  return Status::Ok();
}

Status CheckDate(const std::string& field, const Date& date) {
  if (!date.IsValid()) return InvalidArgument(field, "not a real date");
  return Status::Ok();
}

Status CheckAgencies(const std::string& field,
                     const std::vector<std::string>& agencies) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < agencies.size(); ++i) {
    const std::string at = Index(field, i);
    MARAC_RETURN_IF_ERROR(CheckName(at, agencies[i]));
    if (!seen.insert(agencies[i]).second) {
      return InvalidArgument(at, Quoted(agencies[i]) + " repeated");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view VisitorGenderName(VisitorGender gender) {
  const Named<VisitorGender>* row = Row(kGenders, gender);
  return row == nullptr ? "not_recorded" : row->name;
}
Result<VisitorGender> ParseVisitorGender(std::string_view field,
                                         std::string_view name) {
  return ParseNamed(kGenders, field, name);
}

std::string_view VisitFeedbackName(VisitFeedback feedback) {
  const Named<VisitFeedback>* row = Row(kFeedback, feedback);
  return row == nullptr ? "not_given" : row->name;
}
Result<VisitFeedback> ParseVisitFeedback(std::string_view field,
                                         std::string_view name) {
  return ParseNamed(kFeedback, field, name);
}

Status CheckOneStopShopVisit(std::string_view where,
                             const OneStopShopVisit& v) {
  MARAC_RETURN_IF_ERROR(CheckId(At(where, "visit_id"), v.visit_id));
  MARAC_RETURN_IF_ERROR(CheckDate(At(where, "visited_on"), v.visited_on));
  MARAC_RETURN_IF_ERROR(CheckSite(At(where, "site"), v.site));
  if (!v.visitor_record_id.empty()) {
    MARAC_RETURN_IF_ERROR(
        CheckId(At(where, "visitor_record_id"), v.visitor_record_id));
  }
  if (!v.referred_by.empty()) {
    MARAC_RETURN_IF_ERROR(CheckName(At(where, "referred_by"), v.referred_by));
  }
  if (v.children && (*v.children < 0 || *v.children > kMaxChildren)) {
    return InvalidArgument(At(where, "children"),
                           std::to_string(*v.children) + " is not 0 to 50");
  }
  if (Row(kGenders, v.gender) == nullptr) {
    return InvalidArgument(At(where, "gender"), "not a gender");
  }
  if (!v.ethnicity.empty()) {
    MARAC_RETURN_IF_ERROR(CheckName(At(where, "ethnicity"), v.ethnicity));
  }
  if (Row(kFeedback, v.feedback) == nullptr) {
    return InvalidArgument(At(where, "feedback"), "not a feedback value");
  }
  return Status::Ok();
}

Status CheckOneStopShopSession(std::string_view where,
                               const OneStopShopSession& s) {
  MARAC_RETURN_IF_ERROR(CheckId(At(where, "session_id"), s.session_id));
  MARAC_RETURN_IF_ERROR(CheckDate(At(where, "held_on"), s.held_on));
  MARAC_RETURN_IF_ERROR(CheckSite(At(where, "site"), s.site));
  MARAC_RETURN_IF_ERROR(
      CheckAgencies(At(where, "committed_agencies"), s.committed_agencies));
  MARAC_RETURN_IF_ERROR(
      CheckAgencies(At(where, "attended_agencies"), s.attended_agencies));
  return Status::Ok();
}

}  // namespace marac
