#include "marac/assess/score.h"

#include <bit>
#include <cstring>
#include <string>

namespace marac {
namespace {

constexpr int kMaxIncidentCount = 10000;

// Answer masks of one checklist: bit n-1 for item n.
struct AnswerMasks {
  std::uint64_t yes = 0;
  std::uint64_t no = 0;
  std::uint64_t not_known = 0;
};

// Gathers one bit per answer byte. Answer values are two bits (yes 01, no 10,
// not known 11, not asked 00), so eight answers are classified at once in a
// 64-bit word and packed with one multiply: bytes holding 0 or 1 times
// 0x0102040810204080 put byte i's bit at bit 56+i.
AnswerMasks GatherMasks(const Checklist& checklist) {
  static_assert(static_cast<int>(Answer::kYes) == 1 &&
                static_cast<int>(Answer::kNo) == 2 &&
                static_cast<int>(Answer::kNotKnown) == 3);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kPack = 0x0102040810204080ULL;
  const std::span<const Answer> answers = checklist.answers();
  const std::size_t words = (answers.size() + 7) / 8;
  AnswerMasks masks;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t word = 0;
    // Checklist stores kMaxItems answers, zero past the instrument's items,
    // so whole words are always in bounds.
    std::memcpy(&word, answers.data() + w * 8, sizeof word);
    const std::uint64_t lo = word & kOnes;
    const std::uint64_t hi = (word >> 1) & kOnes;
    const int shift = static_cast<int>(w * 8);
    masks.yes |= (((lo & ~hi) * kPack) >> 56) << shift;
    masks.no |= (((hi & ~lo) * kPack) >> 56) << shift;
    masks.not_known |= (((lo & hi) * kPack) >> 56) << shift;
  }
  return masks;
}

Grade CountGrade(const GradeBands& bands, int score) {
  if (!bands.graded) return Grade::kNotGraded;
  if (score >= bands.high_min) return Grade::kHigh;
  if (score >= bands.medium_min) return Grade::kMedium;
  return Grade::kStandard;
}

Status CheckNotAfter(std::string_view field, const Date& date,
                     const Date& as_of) {
  if (date > as_of) {
    return InvalidArgument(
        field, date.ToString() + " is after completed_on " + as_of.ToString());
  }
  return Status::Ok();
}

bool IsBlank(std::string_view text) {
  for (const char c : text) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

}  // namespace

std::string_view GradeName(Grade grade) {
  switch (grade) {
    case Grade::kStandard:
      return "standard";
    case Grade::kMedium:
      return "medium";
    case Grade::kHigh:
      return "high";
    case Grade::kNotGraded:
      return "not_graded";
  }
  return "not_graded";
}

std::string_view CriterionName(Criterion criterion) {
  switch (criterion) {
    case Criterion::kVisibleHighRisk:
      return "visible_high_risk";
    case Criterion::kProfessionalJudgement:
      return "professional_judgement";
    case Criterion::kPotentialEscalation:
      return "potential_escalation";
    case Criterion::kRepeat:
      return "repeat";
  }
  return "unknown";
}

std::string_view PromptName(Prompt prompt) {
  switch (prompt) {
    case Prompt::kConsiderProfessionalJudgement:
      return "consider_professional_judgement";
    case Prompt::kCouldBeHigh:
      return "could_be_high";
    case Prompt::kIncomplete:
      return "incomplete";
    case Prompt::kFollowUpChecklist:
      return "follow_up_checklist";
  }
  return "unknown";
}

Result<Scorer> Scorer::Create(const ScoringPolicy& policy,
                              const InstrumentSet& instruments) {
  MARAC_RETURN_IF_ERROR(policy.Validate());
  Scorer scorer;
  scorer.policy_ = policy;
  for (const auto& instrument : instruments.all()) {
    const auto bands = policy.instruments.find(instrument->id());
    if (bands == policy.instruments.end()) continue;  // Not scorable.
    auto context = std::make_shared<ScoreContext>();
    context->instrument = instrument;
    context->policy_version = policy.version;
    context->bands = bands->second;
    context->escalation_incidents = policy.escalation_incidents;
    context->escalation_window_months = policy.escalation_window_months;
    context->repeat_window_months = policy.repeat_window_months;
    context->raise_grade_on_judgement = policy.raise_grade_on_judgement;
    context->judgement_prompt_min_tags = policy.judgement_prompt_min_tags;
    for (const std::string& tag : policy.judgement_prompt_tags) {
      if (const std::optional<int> t = instrument->FindTag(tag)) {
        context->judgement_prompt_tag_mask |= std::uint64_t{1} << *t;
      }
    }
    scorer.contexts_.push_back(std::move(context));
  }
  return scorer;
}

Result<RiskScore> Scorer::Score(const Checklist& checklist,
                                const CaseHistory& history, Date as_of) const {
  const Instrument* instrument = &checklist.instrument();
  const std::shared_ptr<const ScoreContext>* found = nullptr;
  for (const auto& context : contexts_) {
    if (context->instrument.get() == instrument) {
      found = &context;
      break;
    }
  }
  if (found == nullptr) {
    return FailedPrecondition("instrument \"" + instrument->id() +
                              "\": this definition has no grading policy in " +
                              policy_.version);
  }
  const ScoreContext& ctx = **found;

  // History first: a bad date must fail before anything is reported.
  const Date incident_on = history.incident_on.value_or(as_of);
  if (history.incident_on) {
    MARAC_RETURN_IF_ERROR(CheckNotAfter("incident_on", incident_on, as_of));
  }
  if (history.last_marac_referral_on) {
    MARAC_RETURN_IF_ERROR(CheckNotAfter(
        "last_marac_referral_on", *history.last_marac_referral_on, as_of));
  }
  std::optional<int> incident_count = history.incidents_last_12_months;
  if (incident_count) {
    if (!history.incident_dates.empty()) {
      return InvalidArgument("incidents_last_12_months",
                             "give either a count or incident_dates, not both");
    }
    if (*incident_count < 0 || *incident_count > kMaxIncidentCount) {
      return InvalidArgument(
          "incidents_last_12_months",
          std::to_string(*incident_count) + " is out of range (0 to 10000)");
    }
  } else if (!history.incident_dates.empty()) {
    if (history.incident_dates.size() >
        static_cast<std::size_t>(kMaxIncidentCount)) {
      return InvalidArgument("incident_dates", "more than 10000 dates");
    }
    const Date window_start =
        incident_on.AddMonths(-ctx.escalation_window_months);
    int count = 0;
    for (std::size_t i = 0; i < history.incident_dates.size(); ++i) {
      const Date& d = history.incident_dates[i];
      MARAC_RETURN_IF_ERROR(
          CheckNotAfter("incident_dates[" + std::to_string(i) + "]", d, as_of));
      if (d > window_start && d <= incident_on) ++count;
    }
    incident_count = count;
  }
  const bool refer =
      history.professional_judgement == ProfessionalJudgement::kRefer;
  if (refer && IsBlank(history.professional_judgement_reason)) {
    return InvalidArgument("professional_judgement_reason",
                           "required when professional_judgement is \"refer\": "
                           "state the concern and the reasons");
  }

  RiskScore out;
  out.context = *found;
  out.as_of = as_of;
  out.incident_on = incident_on;
  out.incident_count = incident_count;
  out.last_marac_referral_on = history.last_marac_referral_on;
  if (refer)
    out.professional_judgement_reason = history.professional_judgement_reason;

  const AnswerMasks masks = GatherMasks(checklist);
  const std::uint64_t all = instrument->all_items();
  out.yes_items = masks.yes;
  out.not_known_items = masks.not_known;
  out.unanswered_items = all & ~(masks.yes | masks.no | masks.not_known);
  out.score = std::popcount(masks.yes);
  out.answered = out.score + std::popcount(masks.no);
  out.max_possible = out.score + std::popcount(masks.not_known) +
                     std::popcount(out.unanswered_items);
  if (const std::uint64_t mapped = instrument->ric_mapped_items();
      mapped != 0 && mapped != all) {
    out.ric_equivalent_score = std::popcount(masks.yes & mapped);
  }

  // High-harm tags and the follow-up checklists they call for.
  std::uint64_t tags = 0;
  bool follow_up = false;
  for (std::uint64_t rest = masks.yes; rest != 0; rest &= rest - 1) {
    const int number = std::countr_zero(rest) + 1;
    tags |= instrument->tag_mask(number);
    follow_up =
        follow_up || !instrument->item(number).follow_up_instrument.empty();
  }
  out.high_harm_tags = tags;

  // Grade: the count band, never lowered by anything below.
  const GradeBands& bands = ctx.bands;
  out.count_grade = CountGrade(bands, out.score);
  out.grade = out.count_grade;
  out.incomplete = out.answered < bands.min_answered;
  if (out.incomplete && out.grade == Grade::kStandard) {
    out.grade = Grade::kNotGraded;  // Never a silent "standard".
  }
  if (refer && ctx.raise_grade_on_judgement && bands.graded) {
    out.grade = Grade::kHigh;
  }
  out.could_be_high = bands.graded && out.score < bands.high_min &&
                      out.max_possible >= bands.high_min;

  // Criteria, each on its own.
  std::uint8_t criteria = 0;
  if (bands.graded && out.score >= bands.high_min) {
    criteria |= 1u << static_cast<int>(Criterion::kVisibleHighRisk);
  }
  if (refer)
    criteria |= 1u << static_cast<int>(Criterion::kProfessionalJudgement);
  if (incident_count && *incident_count >= ctx.escalation_incidents) {
    criteria |= 1u << static_cast<int>(Criterion::kPotentialEscalation);
  }
  if (history.last_marac_referral_on) {
    const Date& last = *history.last_marac_referral_on;
    if (last < incident_on &&
        incident_on <= last.AddMonths(ctx.repeat_window_months)) {
      criteria |= 1u << static_cast<int>(Criterion::kRepeat);
    }
  }
  out.criteria = criteria;
  out.marac_referral = criteria != 0;

  // Prompts.
  std::uint8_t prompts = 0;
  if (!out.marac_referral) {
    const int distinct = std::popcount(tags);
    const bool single = (tags & ctx.judgement_prompt_tag_mask) != 0;
    if (distinct > 0 && (distinct >= ctx.judgement_prompt_min_tags || single)) {
      prompts |= 1u << static_cast<int>(Prompt::kConsiderProfessionalJudgement);
      const std::uint64_t trigger =
          distinct >= ctx.judgement_prompt_min_tags
              ? tags
              : (tags & ctx.judgement_prompt_tag_mask);
      std::uint64_t items = 0;
      for (std::uint64_t rest = masks.yes; rest != 0; rest &= rest - 1) {
        const int number = std::countr_zero(rest) + 1;
        if (instrument->tag_mask(number) & trigger) {
          items |= std::uint64_t{1} << (number - 1);
        }
      }
      out.judgement_prompt_items = items;
    }
  }
  if (out.could_be_high)
    prompts |= 1u << static_cast<int>(Prompt::kCouldBeHigh);
  if (out.incomplete) prompts |= 1u << static_cast<int>(Prompt::kIncomplete);
  if (follow_up) prompts |= 1u << static_cast<int>(Prompt::kFollowUpChecklist);
  out.prompts = prompts;
  return out;
}

Result<RiskScore> Score(const Checklist& checklist, const CaseHistory& history,
                        Date as_of, const ScoringPolicy& policy) {
  InstrumentSet instruments = InstrumentSet::BuiltIn();
  instruments.Put(checklist.shared_instrument());
  MARAC_ASSIGN_OR_RETURN(const Scorer scorer,
                         Scorer::Create(policy, instruments));
  return scorer.Score(checklist, history, as_of);
}

}  // namespace marac
