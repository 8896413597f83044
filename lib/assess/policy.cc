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

bool IsRuleId(std::string_view id) {
  return !id.empty() && id.size() <= 64 &&
         id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") ==
             std::string_view::npos;
}

Status ReadStringList(const Json& object, const std::string& path,
                      std::string_view key, std::vector<std::string>& out) {
  const Json* list = FindMember(object, key);
  if (list == nullptr) return Status::Ok();
  const std::string at = JoinPath(path, key);
  if (!list->is_array()) {
    return InvalidArgument(at, "expected an array of strings");
  }
  out.clear();
  for (std::size_t i = 0; i < list->size(); ++i) {
    MARAC_ASSIGN_OR_RETURN(
        std::string item,
        ReadString((*list)[i], at + "[" + std::to_string(i) + "]", 64));
    out.push_back(std::move(item));
  }
  return Status::Ok();
}

Result<SafeguardingRule> ReadRule(const Json& value, const std::string& path) {
  if (!value.is_object()) return InvalidArgument(path, "expected an object");
  MARAC_RETURN_IF_ERROR(CheckKnownKeys(
      value, path,
      {"id", "advice", "local_policy", "items_yes", "items_yes_with_children",
       "min_yes_instruments", "min_yes", "high_with_children",
       "victim_age_at_least", "victim_disability", "hbv_concern"}));
  SafeguardingRule rule;
  for (const auto& [key, out] :
       {std::pair<const char*, std::string*>{"id", &rule.id},
        {"advice", &rule.advice}}) {
    const Json* v = FindMember(value, key);
    if (v == nullptr) return InvalidArgument(JoinPath(path, key), "required");
    MARAC_ASSIGN_OR_RETURN(*out, ReadString(*v, JoinPath(path, key), 1000));
  }
  MARAC_RETURN_IF_ERROR(
      ReadBoolField(value, path, "local_policy", rule.local_policy));
  MARAC_RETURN_IF_ERROR(
      ReadStringList(value, path, "items_yes", rule.items_yes));
  MARAC_RETURN_IF_ERROR(ReadStringList(value, path, "items_yes_with_children",
                                       rule.items_yes_with_children));
  MARAC_RETURN_IF_ERROR(ReadStringList(value, path, "min_yes_instruments",
                                       rule.min_yes_instruments));
  MARAC_RETURN_IF_ERROR(
      ReadIntField(value, path, "min_yes", 0, 64, rule.min_yes));
  MARAC_RETURN_IF_ERROR(ReadBoolField(value, path, "high_with_children",
                                      rule.high_with_children));
  MARAC_RETURN_IF_ERROR(ReadIntField(value, path, "victim_age_at_least", 0, 120,
                                     rule.victim_age_at_least));
  MARAC_RETURN_IF_ERROR(
      ReadBoolField(value, path, "victim_disability", rule.victim_disability));
  MARAC_RETURN_IF_ERROR(
      ReadBoolField(value, path, "hbv_concern", rule.hbv_concern));
  return rule;
}

}  // namespace

std::vector<SafeguardingRule> DefaultSafeguardingRules() {
  std::vector<SafeguardingRule> rules(5);
  // The police form's questions on the children (domain.md section 3); the
  // RIC folds harm to children into question 18, so there it counts only
  // with children in the household; and any child of a high-risk household.
  rules[0].id = "safeguarding_children";
  rules[0].advice =
      "make a referral to children's social care (a child is at risk in "
      "this household)";
  rules[0].items_yes = {"harm_to_children", "threat_to_children"};
  rules[0].items_yes_with_children = {"harm_to_others"};
  rules[0].high_with_children = true;
  // No count threshold is published for the S-DASH (domain.md section 4):
  // threats or violence during the stalking, or most of its questions yes.
  rules[1].id = "stalking_service";
  rules[1].advice =
      "consider a referral on professional judgement and a specialist "
      "stalking service (the answers suggest serious stalking)";
  rules[1].local_policy = true;
  rules[1].items_yes = {"threats_of_violence", "violence_during_stalking"};
  rules[1].min_yes_instruments = {"s-dash"};
  rules[1].min_yes = 6;
  rules[2].id = "suicide_risk";
  rules[2].advice =
      "ask about suicidal thoughts and plans, and refer to mental-health "
      "services or the GP; an abuser's suicide threats are a homicide risk "
      "factor too";
  rules[2].items_yes = {"victim_depression", "abuser_suicide_threat"};
  // The police form prompts the honour-based abuse questions after item 4
  // or an HBV concern (domain.md sections 1 and 3).
  rules[3].id = "honour_based_abuse";
  rules[3].advice =
      "complete the H-DASH questions (isolation can be honour-based abuse or "
      "forced marriage)";
  rules[3].items_yes = {"isolation"};
  rules[3].hbv_concern = true;
  // Care Act 2014 s.42: an adult with care and support needs.
  rules[4].id = "adult_safeguarding";
  rules[4].advice =
      "consider an adult safeguarding referral, a Care Act 2014 s.42 enquiry "
      "(the victim may have care and support needs)";
  rules[4].local_policy = true;
  rules[4].victim_age_at_least = 65;
  rules[4].victim_disability = true;
  return rules;
}

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
  if (safeguarding.size() > 16) {
    return InvalidArgument("safeguarding", "at most 16 rules");
  }
  for (std::size_t i = 0; i < safeguarding.size(); ++i) {
    const SafeguardingRule& rule = safeguarding[i];
    const std::string at = "safeguarding[" + std::to_string(i) + "]";
    if (!IsRuleId(rule.id)) {
      return InvalidArgument(at + ".id", "must be 1 to 64 of a-z, 0-9 and _");
    }
    for (std::size_t k = 0; k < i; ++k) {
      if (safeguarding[k].id == rule.id) {
        return InvalidArgument(at + ".id", "'" + rule.id + "' repeated");
      }
    }
    if (rule.advice.empty() || ShownText(rule.advice, 1000) != rule.advice) {
      return InvalidArgument(at + ".advice", "must be printable UTF-8 text");
    }
    if (rule.min_yes < 0 || rule.min_yes > 64) {
      return InvalidArgument(at + ".min_yes", "must be 0 to 64");
    }
    if ((rule.min_yes > 0) != !rule.min_yes_instruments.empty()) {
      return InvalidArgument(at + ".min_yes",
                             "min_yes and min_yes_instruments go together");
    }
    if (rule.victim_age_at_least < 0 || rule.victim_age_at_least > 120) {
      return InvalidArgument(at + ".victim_age_at_least", "must be 0 to 120");
    }
    if (rule.items_yes.empty() && rule.items_yes_with_children.empty() &&
        rule.min_yes == 0 && !rule.high_with_children &&
        rule.victim_age_at_least == 0 && !rule.victim_disability &&
        !rule.hbv_concern) {
      return InvalidArgument(at, "has no condition: it could never be raised");
    }
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
       "judgement_prompt", "raise_grade_on_judgement", "safeguarding"}));
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
  if (const Json* rules = FindMember(doc, "safeguarding")) {
    if (!rules->is_array()) {
      return InvalidArgument("safeguarding", "expected an array of rules");
    }
    policy.safeguarding.clear();
    for (std::size_t i = 0; i < rules->size(); ++i) {
      MARAC_ASSIGN_OR_RETURN(
          SafeguardingRule rule,
          ReadRule((*rules)[i], "safeguarding[" + std::to_string(i) + "]"));
      policy.safeguarding.push_back(std::move(rule));
    }
  }
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
  Json& rules = doc["safeguarding"] = Json::array();
  for (const SafeguardingRule& r : safeguarding) {
    rules.push_back({{"id", r.id},
                     {"advice", r.advice},
                     {"local_policy", r.local_policy},
                     {"items_yes", r.items_yes},
                     {"items_yes_with_children", r.items_yes_with_children},
                     {"min_yes_instruments", r.min_yes_instruments},
                     {"min_yes", r.min_yes},
                     {"high_with_children", r.high_with_children},
                     {"victim_age_at_least", r.victim_age_at_least},
                     {"victim_disability", r.victim_disability},
                     {"hbv_concern", r.hbv_concern}});
  }
  // Validate() keeps the strings valid UTF-8; replace, never throw, if not.
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace marac
