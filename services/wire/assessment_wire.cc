#include "services/wire/assessment_wire.h"

#include <algorithm>
#include <array>
#include <bit>
#include <span>

namespace marac {
using wire_detail::CheckIdAt;
using wire_detail::CheckTextAt;
using wire_detail::Child;
using wire_detail::DateAt;
using wire_detail::Element;
using wire_detail::EventDateAt;
using wire_detail::Index;
using wire_detail::Path;
using wire_detail::Whole;

namespace {

constexpr int kMaxIncidents = 10000;

std::string KnownInstruments(const InstrumentSet& instruments) {
  std::string out;
  for (const auto& instrument : instruments.all()) {
    if (!out.empty()) out += ", ";
    out += instrument->id();
  }
  return out;
}

// Writes each finding straight into its list of the message.
class WireFindings final : public FindingSink {
 public:
  explicit WireFindings(v1::RiskScore* out) : out_(out) {}
  void Add(FindingKind kind, std::string_view id, std::string_view reason,
           std::span<const int> items) override {
    v1::Finding* w = List(kind)->Add();
    // assign, not set_reason(data, size): that builds a temporary string
    // first (protobuf 3.21 without Abseil), and assign reuses the capacity
    // of a recycled message.
    w->mutable_id()->assign(id.data(), id.size());
    w->mutable_reason()->assign(reason.data(), reason.size());
    w->mutable_items()->Add(items.begin(), items.end());
  }

 private:
  google::protobuf::RepeatedPtrField<v1::Finding>* List(FindingKind kind) {
    switch (kind) {
      case FindingKind::kCriterionMet:
        return out_->mutable_criteria();
      case FindingKind::kCriterionNotMet:
        return out_->mutable_criteria_not_met();
      case FindingKind::kHighHarmIndicator:
        return out_->mutable_high_harm_indicators();
      case FindingKind::kPrompt:
        break;
    }
    return out_->mutable_prompts();
  }
  v1::RiskScore* out_;
};

void AddItems(std::uint64_t mask,
              google::protobuf::RepeatedField<std::int32_t>* out) {
  out->Reserve(std::popcount(mask));
  for (; mask != 0; mask &= mask - 1) out->Add(std::countr_zero(mask) + 1);
}

}  // namespace

std::optional<WireAssessment> AssessmentFromWire(
    const v1::Assessment& a, const InstrumentSet& instruments,
    const WireLimits& limits, std::string_view field,
    FieldViolations& violations) {
  const std::size_t before = violations.all().size();
  const auto at = Whole(field);
  CheckIdAt(a.assessment_id(), Child(at, "assessment_id"), false, violations);

  std::shared_ptr<const Instrument> instrument;
  if (a.instrument().empty()) {
    violations.Add(Path(field, "instrument"), "required");
  } else {
    Result<std::shared_ptr<const Instrument>> found =
        instruments.Find(a.instrument(), "instrument");
    if (found.ok()) {
      instrument = *std::move(found);
    } else {
      violations.Add(
          Path(field, "instrument"),
          "not a known instrument (" + KnownInstruments(instruments) + ")");
    }
  }

  std::optional<Date> completed_on;
  if (!a.has_completed_on()) {
    violations.Add(Path(field, "completed_on"), "required");
  } else {
    completed_on = EventDateAt(a.completed_on(), Child(at, "completed_on"),
                               limits, violations);
  }

  std::optional<Checklist> checklist;
  if (instrument) checklist.emplace(std::move(instrument));
  // One answer: to question `number`, at the field `path` builds. In the
  // dense list ANSWER_UNSPECIFIED marks a question not asked; in the map it
  // is refused (leave the question out instead).
  const auto record = [&](int number, int value, const auto& path,
                          bool in_order) {
    const auto beyond = [&](const Instrument& form) {
      violations.Add(path(), form.id() + " has questions 1-" +
                                 std::to_string(form.item_count()));
    };
    // The dense list is no longer than the form, whatever it holds.
    if (in_order && checklist &&
        number > checklist->instrument().item_count()) {
      beyond(checklist->instrument());
      return;
    }
    Answer answer = Answer::kNotAsked;
    switch (value) {
      case v1::ANSWER_YES:
        answer = Answer::kYes;
        break;
      case v1::ANSWER_NO:
        answer = Answer::kNo;
        break;
      case v1::ANSWER_NOT_KNOWN:
        answer = Answer::kNotKnown;
        break;
      case v1::ANSWER_UNSPECIFIED:
        if (in_order) return;
        violations.Add(path(),
                       "ANSWER_UNSPECIFIED is not an answer; leave out a "
                       "question that was not asked");
        return;
      default:
        violations.Add(path(), "not an Answer value");
        return;
    }
    if (!checklist) return;
    const Instrument& form = checklist->instrument();
    if (number < 1 || number > form.item_count()) {
      beyond(form);
      return;
    }
    const Status recorded = checklist->Record(number, answer);
    if (!recorded.ok()) violations.Add(path(), recorded.message());
  };
  const std::string_view too_many =
      " answers; no instrument has so many";  // After "more than 64".
  if (a.answers_size() > 0 && a.answers_in_order_size() > 0) {
    violations.Add(Path(field, "answers_in_order"),
                   "given with answers; give one or the other");
  } else if (a.answers_in_order_size() > kMaxItems) {
    violations.Add(
        Path(field, "answers_in_order"),
        "more than " + std::to_string(kMaxItems) + std::string(too_many));
  } else if (a.answers_in_order_size() > 0) {
    const auto list = Child(at, "answers_in_order");
    for (int k = 0; k < a.answers_in_order_size(); ++k) {
      record(k + 1, a.answers_in_order(k), Element(list, k), true);
    }
  } else if (a.answers_size() > kMaxItems) {
    // A checklist has at most kMaxItems questions, whatever the list limit.
    violations.Add(
        Path(field, "answers"),
        "more than " + std::to_string(kMaxItems) + std::string(too_many));
  } else {
    // In question order, so that violations come in that order: numbers
    // 1..kMaxItems by position, any others (each a violation) sorted.
    constexpr int kAbsent = -1;
    std::array<int, kMaxItems + 1> by_number;
    by_number.fill(kAbsent);
    std::vector<std::pair<int, int>> outside;
    for (const auto& [number, value] : a.answers()) {
      if (number >= 1 && number <= kMaxItems) {
        by_number[static_cast<std::size_t>(number)] = value;
      } else {
        outside.emplace_back(number, value);
      }
    }
    std::sort(outside.begin(), outside.end());
    const auto entry = [&](int number, int value) {
      // Built only for a violation: the happy path makes no strings.
      const auto path = [field, number] {
        return Path(field, "answers") + "." + std::to_string(number);
      };
      record(number, value, path, false);
    };
    auto rest = outside.begin();
    for (; rest != outside.end() && rest->first < 1; ++rest) {
      entry(rest->first, rest->second);
    }
    for (int number = 1; number <= kMaxItems; ++number) {
      const int value = by_number[static_cast<std::size_t>(number)];
      if (value != kAbsent) entry(number, value);
    }
    for (; rest != outside.end(); ++rest) entry(rest->first, rest->second);
  }

  const v1::CaseHistory& h = a.history();
  const auto hf = Child(at, "history");
  CaseHistory history;
  if (h.has_incident_on()) {
    history.incident_on = EventDateAt(h.incident_on(), Child(hf, "incident_on"),
                                      limits, violations);
  }
  if (h.has_incidents_last_12_months()) {
    const int n = h.incidents_last_12_months();
    if (n < 0 || n > kMaxIncidents) {
      violations.Add(Child(hf, "incidents_last_12_months")(),
                     "must be 0..10000");
    } else {
      history.incidents_last_12_months = n;
    }
    if (h.incident_dates_size() > 0) {
      violations.Add(Child(hf, "incident_dates")(),
                     "given with incidents_last_12_months; give one or the "
                     "other");
    }
  }
  if (h.incident_dates_size() > 0) {
    const auto dates = Child(hf, "incident_dates");
    if (CheckListSize(h.incident_dates_size(), dates(), limits, violations)) {
      for (int i = 0; i < h.incident_dates_size(); ++i) {
        const std::optional<Date> d = EventDateAt(
            h.incident_dates(i), Element(dates, i), limits, violations);
        if (d) history.incident_dates.push_back(*d);
      }
    }
  }
  if (h.has_last_marac_referral_on()) {
    history.last_marac_referral_on =
        EventDateAt(h.last_marac_referral_on(),
                    Child(hf, "last_marac_referral_on"), limits, violations);
  }
  const auto reason_field = Child(hf, "professional_judgement_reason");
  switch (h.professional_judgement()) {
    case v1::PROFESSIONAL_JUDGEMENT_UNSPECIFIED:
    case v1::PROFESSIONAL_JUDGEMENT_NONE:
      if (!h.professional_judgement_reason().empty()) {
        violations.Add(reason_field(),
                       "given, but professional_judgement is not REFER");
      }
      break;
    case v1::PROFESSIONAL_JUDGEMENT_REFER:
      history.professional_judgement = ProfessionalJudgement::kRefer;
      break;
    default:
      violations.Add(Child(hf, "professional_judgement")(),
                     "not a ProfessionalJudgement value");
  }
  CheckTextAt(h.professional_judgement_reason(), reason_field, limits,
              violations);
  history.professional_judgement_reason = h.professional_judgement_reason();
  if (h.has_victim_age()) {
    if (h.victim_age() < 0 || h.victim_age() > 120) {
      violations.Add(Child(hf, "victim_age")(), "must be 0..120");
    } else {
      history.victim_age = h.victim_age();
    }
  }
  if (h.has_children_in_household()) {
    if (h.children_in_household() < 0 || h.children_in_household() > 50) {
      violations.Add(Child(hf, "children_in_household")(), "must be 0..50");
    } else {
      history.children_in_household = h.children_in_household();
    }
  }
  history.victim_disability = h.victim_disability();
  history.hbv_concern = h.hbv_concern();
  if (h.officer_grade() != v1::GRADE_UNSPECIFIED) {
    const std::optional<Grade> grade = GradeFromWire(h.officer_grade());
    if (!grade || *grade == Grade::kNotGraded) {
      violations.Add(Child(hf, "officer_grade")(),
                     "must be STANDARD, MEDIUM or HIGH");
    } else {
      history.officer_grade = grade;
    }
  }
  const auto rationale_field = Child(hf, "officer_rationale");
  CheckTextAt(h.officer_rationale(), rationale_field, limits, violations);
  history.officer_rationale = h.officer_rationale();
  // Whether the instrument takes an officer's grade is the scorer's check
  // (reported under history); the parent is the wire's.
  if (checklist) {
    const Status parent = CheckParentAssessment(
        "parent_assessment_id", instruments, checklist->instrument().id(),
        a.assessment_id(), a.parent_assessment_id());
    if (!parent.ok()) violations.AddStatus(field, parent);
  }

  if (violations.all().size() != before || !checklist || !completed_on) {
    return std::nullopt;
  }
  return WireAssessment{a.assessment_id(), *std::move(checklist), *completed_on,
                        std::move(history), a.parent_assessment_id()};
}

void RiskScoreToWire(std::string_view assessment_id, const RiskScore& s,
                     v1::RiskScore* out,
                     std::string_view parent_assessment_id) {
  out->mutable_assessment_id()->assign(assessment_id);
  if (!parent_assessment_id.empty()) {
    out->mutable_parent_assessment_id()->assign(parent_assessment_id);
  }
  out->set_instrument(s.instrument().id());
  out->set_instrument_version(s.instrument().version());
  out->set_policy_version(s.context->policy_version);
  out->set_score(s.score);
  out->set_answered(s.answered);
  AddItems(s.unanswered_items, out->mutable_unanswered_items());
  AddItems(s.not_known_items, out->mutable_not_known_items());
  out->set_max_possible_score(s.max_possible);
  if (s.ric_equivalent_score) {
    out->set_ric_equivalent_score(*s.ric_equivalent_score);
  }
  out->set_grade(GradeToWire(s.grade));
  out->set_incomplete(s.incomplete);
  out->set_could_be_high(s.could_be_high);
  out->set_marac_referral(s.marac_referral);
  WireFindings findings(out);
  DescribeFindings(s, findings);
}

v1::Answer AnswerToWire(Answer answer) {
  switch (answer) {
    case Answer::kYes:
      return v1::ANSWER_YES;
    case Answer::kNo:
      return v1::ANSWER_NO;
    case Answer::kNotKnown:
      return v1::ANSWER_NOT_KNOWN;
    default:
      return v1::ANSWER_UNSPECIFIED;
  }
}

// Ending at the last question asked keeps the list within any form the
// map's numbers fit, so a server whose instrument has fewer questions than
// the local definition refuses the list only where it would refuse the map.
void AnswersInOrderToWire(const Checklist& checklist, v1::Assessment* out) {
  const std::span<const Answer> answers = checklist.answers();
  std::size_t length = answers.size();
  while (length > 0 && answers[length - 1] == Answer::kNotAsked) --length;
  auto* list = out->mutable_answers_in_order();
  list->Reserve(static_cast<int>(length));
  for (std::size_t k = 0; k < length; ++k) list->Add(AnswerToWire(answers[k]));
}

void AnswersInOrderToMap(v1::Assessment* wire) {
  auto& map = *wire->mutable_answers();
  for (int k = 0; k < wire->answers_in_order_size(); ++k) {
    const v1::Answer answer = wire->answers_in_order(k);
    if (answer != v1::ANSWER_UNSPECIFIED) map[k + 1] = answer;
  }
  wire->clear_answers_in_order();
}

std::vector<Finding> FindingsFromWire(
    const google::protobuf::RepeatedPtrField<v1::Finding>& findings) {
  std::vector<Finding> out;
  out.reserve(static_cast<std::size_t>(findings.size()));
  for (const v1::Finding& f : findings) {
    out.push_back({f.id(), f.reason(), {f.items().begin(), f.items().end()}});
  }
  return out;
}

}  // namespace marac
