#include "services/cli/assessment_json.h"

#include <charconv>
#include <cstring>
#include <string>

#include "lib/common/strict_json.h"

namespace marac {
namespace {

constexpr std::size_t kMaxIdLength = 128;
constexpr std::size_t kMaxReasonLength = 4000;

Result<Date> ReadDate(const Json& value, std::string_view field,
                      const ParseLimits& limits) {
  MARAC_ASSIGN_OR_RETURN(const std::string text, ReadString(value, field, 64));
  MARAC_ASSIGN_OR_RETURN(const Date date, Date::Parse(field, text));
  if (date < limits.earliest) {
    return InvalidArgument(field, text + " is before " +
                                      limits.earliest.ToString() +
                                      ", too early to be right");
  }
  if (limits.latest && date > *limits.latest) {
    return InvalidArgument(field, text + " is in the future (today is " +
                                      limits.latest->ToString() + ")");
  }
  return date;
}

// "1".."N" only: no sign, no leading zero, no fraction.
Result<int> ReadQuestionNumber(std::string_view key,
                               const Instrument& instrument) {
  const auto path = [key] { return "answers." + ShownText(key, 20); };
  int number = 0;
  const auto [end, ec] =
      std::from_chars(key.data(), key.data() + key.size(), number);
  const bool digits_only = ec == std::errc() &&
                           end == key.data() + key.size() && !key.empty() &&
                           key[0] != '0' && key[0] != '-' && key[0] != '+';
  if (!digits_only) {
    if (ec == std::errc::result_out_of_range) {
      return InvalidArgument(path(),
                             instrument.id() + " has questions 1-" +
                                 std::to_string(instrument.item_count()));
    }
    return InvalidArgument(path(),
                           "not a question number (expected \"1\" to \"" +
                               std::to_string(instrument.item_count()) + "\")");
  }
  if (number > instrument.item_count()) {
    return InvalidArgument(path(), instrument.id() + " has questions 1-" +
                                       std::to_string(instrument.item_count()));
  }
  return number;
}

void AppendInt(long long value, std::string& out) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void AppendIntList(const std::vector<int>& numbers, std::string& out) {
  out += '[';
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (i > 0) out += ',';
    AppendInt(numbers[i], out);
  }
  out += ']';
}

void AppendKey(std::string_view key, std::string& out) {
  out += '"';
  out.append(key);
  out += "\":";
}

void AppendFindings(std::string_view id_key,
                    const std::vector<Finding>& findings, bool with_items,
                    std::string& out) {
  out += '[';
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (i > 0) out += ',';
    out += '{';
    AppendKey(id_key, out);
    AppendJsonString(findings[i].id, out);
    out += ',';
    AppendKey("reason", out);
    AppendJsonString(findings[i].reason, out);
    if (with_items) {
      out += ',';
      AppendKey("items", out);
      AppendIntList(findings[i].items, out);
    }
    out += '}';
  }
  out += ']';
}

}  // namespace

void AppendJsonString(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // Start of the bytes not yet copied.
  std::size_t i = 0;
  for (; i < text.size(); ++i) {
    // Skip eight plain bytes at a time: no byte below 0x20, no '"', '\\' or
    // DEL (bit tricks from "Bit Twiddling Hacks", haszero/hasless).
    while (i + 8 <= text.size()) {
      std::uint64_t w;
      std::memcpy(&w, text.data() + i, 8);
      constexpr std::uint64_t kLow = 0x0101010101010101ULL;
      constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
      const auto has_zero = [](std::uint64_t v) {
        return (v - kLow) & ~v & kHigh;
      };
      const std::uint64_t special =
          ((w - kLow * 0x20) & ~w & kHigh) | has_zero(w ^ (kLow * '"')) |
          has_zero(w ^ (kLow * '\\')) | has_zero(w ^ (kLow * 0x7f));
      if (special != 0) break;
      i += 8;
    }
    if (i >= text.size()) break;
    const auto u = static_cast<unsigned char>(text[i]);
    if (u >= 0x20 && u != '"' && u != '\\' && u != 0x7f) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (u) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[u >> 4];
        out += kHex[u & 0xf];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

Result<ParsedAssessment> ParseAssessment(std::string_view json_text,
                                         const InstrumentSet& instruments,
                                         const ParseLimits& limits) {
  MARAC_ASSIGN_OR_RETURN(const Json doc, ParseStrictJson(json_text));
  if (!doc.is_object()) {
    return InvalidArgument("<assessment>", "expected a JSON object, got " +
                                               std::string(JsonTypeName(doc)));
  }
  MARAC_RETURN_IF_ERROR(
      CheckKnownKeys(doc, "",
                     {"assessment_id", "instrument", "completed_on", "answers",
                      "professional_judgement", "professional_judgement_reason",
                      "incidents_last_12_months", "last_marac_referral_on",
                      "incident_on", "victim_age", "children_in_household",
                      "victim_disability", "hbv_concern", "officer_grade",
                      "officer_rationale", "parent_assessment_id"}));

  const Json* id = FindMember(doc, "assessment_id");
  if (id == nullptr) return InvalidArgument("assessment_id", "required");
  MARAC_ASSIGN_OR_RETURN(std::string assessment_id,
                         ReadString(*id, "assessment_id", kMaxIdLength));
  if (assessment_id.empty()) return InvalidArgument("assessment_id", "empty");

  const Json* instrument_field = FindMember(doc, "instrument");
  if (instrument_field == nullptr) {
    return InvalidArgument("instrument", "required");
  }
  MARAC_ASSIGN_OR_RETURN(const std::string instrument_id,
                         ReadString(*instrument_field, "instrument", 64));
  MARAC_ASSIGN_OR_RETURN(std::shared_ptr<const Instrument> instrument,
                         instruments.Find(instrument_id, "instrument"));

  const Json* completed = FindMember(doc, "completed_on");
  if (completed == nullptr) return InvalidArgument("completed_on", "required");
  MARAC_ASSIGN_OR_RETURN(const Date completed_on,
                         ReadDate(*completed, "completed_on", limits));

  const Json* answers = FindMember(doc, "answers");
  if (answers == nullptr) {
    return InvalidArgument("answers",
                           "required (an object; {} when nothing was asked)");
  }
  if (!answers->is_object()) {
    return InvalidArgument("answers",
                           "expected an object of question number "
                           "-> answer, got " +
                               std::string(JsonTypeName(*answers)));
  }
  ParsedAssessment parsed{
      std::move(assessment_id), Checklist(instrument), completed_on, {}};
  for (const auto& [key, value] : answers->items()) {
    MARAC_ASSIGN_OR_RETURN(const int number,
                           ReadQuestionNumber(key, *instrument));
    // The common case first, without building the field path.
    Answer answer = Answer::kNotAsked;
    if (value.is_string()) {
      const std::string& text = value.get_ref<const std::string&>();
      if (text == "yes") {
        answer = Answer::kYes;
      } else if (text == "no") {
        answer = Answer::kNo;
      } else if (text == "not_known") {
        answer = Answer::kNotKnown;
      }
    }
    if (answer == Answer::kNotAsked) {
      const std::string path = "answers." + key;
      MARAC_ASSIGN_OR_RETURN(const std::string text,
                             ReadString(value, path, 64));
      MARAC_ASSIGN_OR_RETURN(answer, ParseAnswer(path, text));
    }
    MARAC_RETURN_IF_ERROR(parsed.checklist.Record(number, answer));
  }

  CaseHistory& history = parsed.history;
  if (const Json* pj = FindMember(doc, "professional_judgement", true)) {
    MARAC_ASSIGN_OR_RETURN(const std::string text,
                           ReadString(*pj, "professional_judgement", 64));
    if (text == "refer") {
      history.professional_judgement = ProfessionalJudgement::kRefer;
    } else if (text != "none") {
      return InvalidArgument(
          "professional_judgement",
          "\"" + ShownText(text, 40) + "\" is not allowed (none | refer)");
    }
  }
  if (const Json* reason =
          FindMember(doc, "professional_judgement_reason", true)) {
    MARAC_ASSIGN_OR_RETURN(
        history.professional_judgement_reason,
        ReadString(*reason, "professional_judgement_reason", kMaxReasonLength));
    if (history.professional_judgement != ProfessionalJudgement::kRefer) {
      return InvalidArgument("professional_judgement_reason",
                             "given, but professional_judgement is not "
                             "\"refer\"");
    }
  }
  if (const Json* n = FindMember(doc, "incidents_last_12_months", true)) {
    MARAC_ASSIGN_OR_RETURN(const std::int64_t count,
                           ReadInt(*n, "incidents_last_12_months", 0, 10000));
    history.incidents_last_12_months = static_cast<int>(count);
  }
  if (const Json* d = FindMember(doc, "last_marac_referral_on", true)) {
    MARAC_ASSIGN_OR_RETURN(history.last_marac_referral_on,
                           ReadDate(*d, "last_marac_referral_on", limits));
  }
  if (const Json* d = FindMember(doc, "incident_on", true)) {
    MARAC_ASSIGN_OR_RETURN(history.incident_on,
                           ReadDate(*d, "incident_on", limits));
  }
  if (const Json* n = FindMember(doc, "victim_age", true)) {
    MARAC_ASSIGN_OR_RETURN(const std::int64_t age,
                           ReadInt(*n, "victim_age", 0, 120));
    history.victim_age = static_cast<int>(age);
  }
  if (const Json* n = FindMember(doc, "children_in_household", true)) {
    MARAC_ASSIGN_OR_RETURN(const std::int64_t children,
                           ReadInt(*n, "children_in_household", 0, 50));
    history.children_in_household = static_cast<int>(children);
  }
  if (const Json* b = FindMember(doc, "victim_disability", true)) {
    MARAC_ASSIGN_OR_RETURN(history.victim_disability,
                           ReadBool(*b, "victim_disability"));
  }
  if (const Json* b = FindMember(doc, "hbv_concern", true)) {
    MARAC_ASSIGN_OR_RETURN(history.hbv_concern, ReadBool(*b, "hbv_concern"));
  }
  if (const Json* g = FindMember(doc, "officer_grade", true)) {
    MARAC_ASSIGN_OR_RETURN(const std::string text,
                           ReadString(*g, "officer_grade", 64));
    MARAC_ASSIGN_OR_RETURN(const Grade grade,
                           ParseGrade("officer_grade", text));
    if (grade == Grade::kNotGraded) {
      return InvalidArgument("officer_grade",
                             "\"not_graded\" is not a grade an officer "
                             "gives (standard | medium | high)");
    }
    history.officer_grade = grade;
  }
  if (const Json* t = FindMember(doc, "officer_rationale", true)) {
    MARAC_ASSIGN_OR_RETURN(
        history.officer_rationale,
        ReadString(*t, "officer_rationale", kMaxReasonLength));
  }
  if (const Json* p = FindMember(doc, "parent_assessment_id", true)) {
    MARAC_ASSIGN_OR_RETURN(
        parsed.parent_assessment_id,
        ReadString(*p, "parent_assessment_id", kMaxIdLength));
    MARAC_RETURN_IF_ERROR(CheckParentAssessment(
        "parent_assessment_id", instruments, instrument_id,
        parsed.assessment_id, parsed.parent_assessment_id));
  }
  return parsed;
}

ResultView ViewOf(const ParsedAssessment& a, const RiskScore& s) {
  ResultView v;
  v.assessment_id = a.assessment_id;
  v.parent_assessment_id = a.parent_assessment_id;
  v.instrument = s.instrument().id();
  v.instrument_version = s.instrument().version();
  v.policy_version = s.context->policy_version;
  v.score = s.score;
  v.answered = s.answered;
  v.unanswered = ItemNumbers(s.unanswered_items);
  v.not_known = ItemNumbers(s.not_known_items);
  v.max_possible_score = s.max_possible;
  v.ric_equivalent_score = s.ric_equivalent_score;
  v.grade = GradeName(s.grade);
  v.incomplete = s.incomplete;
  v.could_be_high = s.could_be_high;
  v.marac_referral = s.marac_referral;
  v.criteria = DescribeCriteria(s);
  v.criteria_not_met = DescribeCriteriaNotMet(s);
  v.high_harm_indicators = DescribeHighHarmIndicators(s);
  v.prompts = DescribePrompts(s);
  return v;
}

void AppendResultJson(const ResultView& v, std::string& out) {
  out += '{';
  AppendKey("assessment_id", out);
  AppendJsonString(v.assessment_id, out);
  out += ',';
  if (!v.parent_assessment_id.empty()) {
    AppendKey("parent_assessment_id", out);
    AppendJsonString(v.parent_assessment_id, out);
    out += ',';
  }
  AppendKey("instrument", out);
  AppendJsonString(v.instrument, out);
  out += ',';
  AppendKey("instrument_version", out);
  AppendJsonString(v.instrument_version, out);
  out += ',';
  AppendKey("policy_version", out);
  AppendJsonString(v.policy_version, out);
  out += ',';
  AppendKey("score", out);
  AppendInt(v.score, out);
  out += ',';
  AppendKey("answered", out);
  AppendInt(v.answered, out);
  out += ',';
  AppendKey("unanswered", out);
  AppendIntList(v.unanswered, out);
  out += ',';
  AppendKey("not_known", out);
  AppendIntList(v.not_known, out);
  out += ',';
  AppendKey("max_possible_score", out);
  AppendInt(v.max_possible_score, out);
  if (v.ric_equivalent_score) {
    out += ',';
    AppendKey("ric_equivalent_score", out);
    AppendInt(*v.ric_equivalent_score, out);
  }
  out += ',';
  AppendKey("grade", out);
  AppendJsonString(v.grade, out);
  out += ',';
  AppendKey("incomplete", out);
  out += v.incomplete ? "true" : "false";
  out += ',';
  AppendKey("could_be_high", out);
  out += v.could_be_high ? "true" : "false";
  out += ',';
  AppendKey("marac_referral", out);
  out += v.marac_referral ? "true" : "false";
  out += ',';
  AppendKey("criteria", out);
  AppendFindings("criterion", v.criteria, false, out);
  out += ',';
  AppendKey("criteria_not_met", out);
  AppendFindings("criterion", v.criteria_not_met, false, out);
  out += ',';
  AppendKey("high_harm_indicators", out);
  AppendFindings("indicator", v.high_harm_indicators, true, out);
  out += ',';
  AppendKey("prompts", out);
  AppendFindings("prompt", v.prompts, true, out);
  out += '}';
}

}  // namespace marac
