#include "marac/assess/policy.h"

#include <string>

#include "lib/common/strict_json.h"

namespace marac {
namespace {

constexpr int kMaxCount = 1000;
constexpr int kMaxMonths = 120;

Status ReadIntField(const Json& object, std::string_view path,
                    std::string_view key, int min, int max, int& out) {
  if (const Json* v = FindMember(object, key)) {
    MARAC_ASSIGN_OR_RETURN(const std::int64_t n,
                           ReadInt(*v, JoinPath(path, key), min, max));
    out = static_cast<int>(n);
  }
  return Status::Ok();
}

Status ReadBoolField(const Json& object, std::string_view path,
                     std::string_view key, bool& out) {
  if (const Json* v = FindMember(object, key)) {
    MARAC_ASSIGN_OR_RETURN(out, ReadBool(*v, JoinPath(path, key)));
  }
  return Status::Ok();
}

Status ValidateBands(const std::string& path, const GradeBands& b) {
  if (b.min_answered < 0 || b.min_answered > 64) {
    return InvalidArgument(path + ".min_answered", "must be 0 to 64");
  }
  if (!b.graded) return Status::Ok();
  if (b.medium_min < 1) {
    return InvalidArgument(path + ".medium_min", "must be at least 1");
  }
  if (b.high_min <= b.medium_min) {
    return InvalidArgument(
        path + ".high_min",
        "must be above medium_min (" + std::to_string(b.medium_min) + ")");
  }
  if (b.high_min > 64) {
    return InvalidArgument(path + ".high_min", "must be at most 64");
  }
  return Status::Ok();
}

}  // namespace

const ScoringPolicy& ScoringPolicy::Default() {
  static const ScoringPolicy* const kDefault = new ScoringPolicy();
  return *kDefault;
}

Status ScoringPolicy::Validate() const {
  if (version.empty() || version.size() > 64) {
    return InvalidArgument("version", "must be 1 to 64 characters");
  }
  if (ShownText(version, 1000) != version) {
    return InvalidArgument(
        "version", "must be printable UTF-8 text, no control characters");
  }
  for (const auto& [id, bands] : instruments) {
    if (id.empty() || ShownText(id, 1000) != id) {
      return InvalidArgument("instruments",
                             "an instrument id is empty or not "
                             "printable UTF-8");
    }
  }
  for (std::size_t i = 0; i < judgement_prompt_tags.size(); ++i) {
    const std::string& tag = judgement_prompt_tags[i];
    if (tag.empty() || ShownText(tag, 1000) != tag) {
      return InvalidArgument("judgement_prompt.tags[" + std::to_string(i) + "]",
                             "must be printable UTF-8 text");
    }
  }
  for (const auto& [id, bands] : instruments) {
    MARAC_RETURN_IF_ERROR(ValidateBands("instruments." + id, bands));
  }
  if (escalation_incidents < 1 || escalation_incidents > kMaxCount) {
    return InvalidArgument("escalation.incidents", "must be 1 to 1000");
  }
  if (escalation_window_months < 1 || escalation_window_months > kMaxMonths) {
    return InvalidArgument("escalation.window_months", "must be 1 to 120");
  }
  if (repeat_window_months < 1 || repeat_window_months > kMaxMonths) {
    return InvalidArgument("repeat.window_months", "must be 1 to 120");
  }
  if (judgement_prompt_min_tags < 1 || judgement_prompt_min_tags > 64) {
    return InvalidArgument("judgement_prompt.min_tags", "must be 1 to 64");
  }
  return Status::Ok();
}

Result<ScoringPolicy> ScoringPolicy::FromJson(std::string_view json_text) {
  MARAC_ASSIGN_OR_RETURN(const Json doc, ParseStrictJson(json_text));
  if (!doc.is_object())
    return InvalidArgument("<policy>", "expected an object");
  MARAC_RETURN_IF_ERROR(CheckKnownKeys(
      doc, "",
      {"format", "version", "instruments", "escalation", "repeat",
       "judgement_prompt", "raise_grade_on_judgement"}));
  const Json* format = FindMember(doc, "format");
  if (format == nullptr) return InvalidArgument("format", "required");
  MARAC_ASSIGN_OR_RETURN(const std::string format_name,
                         ReadString(*format, "format", 64));
  if (format_name != "marac-policy/1") {
    return InvalidArgument("format", "\"" + format_name +
                                         "\" is not supported (expected "
                                         "\"marac-policy/1\")");
  }
  ScoringPolicy policy;
  const Json* version = FindMember(doc, "version");
  if (version == nullptr) {
    return InvalidArgument("version",
                           "required: every local policy names its version");
  }
  MARAC_ASSIGN_OR_RETURN(policy.version, ReadString(*version, "version", 64));

  if (const Json* instruments = FindMember(doc, "instruments")) {
    if (!instruments->is_object()) {
      return InvalidArgument("instruments", "expected an object");
    }
    for (const auto& [id, value] : instruments->items()) {
      const std::string path = "instruments." + id;
      if (!value.is_object())
        return InvalidArgument(path, "expected an object");
      MARAC_RETURN_IF_ERROR(CheckKnownKeys(
          value, path, {"graded", "medium_min", "high_min", "min_answered"}));
      GradeBands& bands = policy.instruments[id];
      MARAC_RETURN_IF_ERROR(ReadBoolField(value, path, "graded", bands.graded));
      MARAC_RETURN_IF_ERROR(
          ReadIntField(value, path, "medium_min", 0, 64, bands.medium_min));
      MARAC_RETURN_IF_ERROR(
          ReadIntField(value, path, "high_min", 0, 64, bands.high_min));
      MARAC_RETURN_IF_ERROR(
          ReadIntField(value, path, "min_answered", 0, 64, bands.min_answered));
    }
  }
  if (const Json* e = FindMember(doc, "escalation")) {
    if (!e->is_object())
      return InvalidArgument("escalation", "expected an object");
    MARAC_RETURN_IF_ERROR(
        CheckKnownKeys(*e, "escalation", {"incidents", "window_months"}));
    MARAC_RETURN_IF_ERROR(ReadIntField(*e, "escalation", "incidents", 1,
                                       kMaxCount, policy.escalation_incidents));
    MARAC_RETURN_IF_ERROR(ReadIntField(*e, "escalation", "window_months", 1,
                                       kMaxMonths,
                                       policy.escalation_window_months));
  }
  if (const Json* r = FindMember(doc, "repeat")) {
    if (!r->is_object()) return InvalidArgument("repeat", "expected an object");
    MARAC_RETURN_IF_ERROR(CheckKnownKeys(*r, "repeat", {"window_months"}));
    MARAC_RETURN_IF_ERROR(ReadIntField(*r, "repeat", "window_months", 1,
                                       kMaxMonths,
                                       policy.repeat_window_months));
  }
  if (const Json* j = FindMember(doc, "judgement_prompt")) {
    if (!j->is_object()) {
      return InvalidArgument("judgement_prompt", "expected an object");
    }
    MARAC_RETURN_IF_ERROR(
        CheckKnownKeys(*j, "judgement_prompt", {"min_tags", "tags"}));
    MARAC_RETURN_IF_ERROR(ReadIntField(*j, "judgement_prompt", "min_tags", 1,
                                       64, policy.judgement_prompt_min_tags));
    if (const Json* tags = FindMember(*j, "tags")) {
      if (!tags->is_array()) {
        return InvalidArgument("judgement_prompt.tags",
                               "expected an array of strings");
      }
      policy.judgement_prompt_tags.clear();
      for (std::size_t i = 0; i < tags->size(); ++i) {
        MARAC_ASSIGN_OR_RETURN(
            std::string tag,
            ReadString((*tags)[i],
                       "judgement_prompt.tags[" + std::to_string(i) + "]", 64));
        policy.judgement_prompt_tags.push_back(std::move(tag));
      }
    }
  }
  MARAC_RETURN_IF_ERROR(ReadBoolField(doc, "", "raise_grade_on_judgement",
                                      policy.raise_grade_on_judgement));
  MARAC_RETURN_IF_ERROR(policy.Validate());
  return policy;
}

std::string ScoringPolicy::ToJson() const {
  Json doc = Json::object();
  doc["format"] = "marac-policy/1";
  doc["version"] = version;
  Json& out = doc["instruments"] = Json::object();
  for (const auto& [id, b] : instruments) {
    out[id] = {{"graded", b.graded},
               {"medium_min", b.medium_min},
               {"high_min", b.high_min},
               {"min_answered", b.min_answered}};
  }
  doc["escalation"] = {{"incidents", escalation_incidents},
                       {"window_months", escalation_window_months}};
  doc["repeat"] = {{"window_months", repeat_window_months}};
  doc["judgement_prompt"] = {{"min_tags", judgement_prompt_min_tags},
                             {"tags", judgement_prompt_tags}};
  doc["raise_grade_on_judgement"] = raise_grade_on_judgement;
  // Validate() keeps the strings valid UTF-8; replace, never throw, if not.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace marac
