// Plain-English reasons for a RiskScore, rendered on demand. Each sentence
// should read back to a victim or a MARAC chair without translation.
#include <bit>
#include <string>

#include "marac/assess/score.h"

namespace marac {
namespace {

std::string Plural(int n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// "8, 14 and 15"
std::string ListNumbers(const std::vector<int>& numbers) {
  std::string out;
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (i > 0) out += i + 1 == numbers.size() ? " and " : ", ";
    out += std::to_string(numbers[i]);
  }
  return out;
}

std::string ThresholdText(const RiskScore& s) {
  return "the high-risk threshold of " +
         std::to_string(s.context->bands.high_min) + " in policy " +
         s.context->policy_version;
}

std::string YesText(const RiskScore& s) {
  return Plural(s.score, "question", "questions") + " of " +
         std::to_string(s.instrument().item_count()) + " answered yes";
}

std::string MonthsText(int months) { return Plural(months, "month", "months"); }

Finding VisibleHighRisk(const RiskScore& s, bool met) {
  Finding f{std::string(CriterionName(Criterion::kVisibleHighRisk)), "", {}};
  if (!s.context->bands.graded) {
    f.reason = s.instrument().id() + " has no count threshold in policy " +
               s.context->policy_version + ", so it cannot meet this alone";
  } else if (met) {
    f.reason = YesText(s) + ", at or above " + ThresholdText(s);
    f.items = ItemNumbers(s.yes_items);
  } else {
    f.reason = YesText(s) + ", below " + ThresholdText(s);
  }
  return f;
}

Finding Judgement(const RiskScore& s, bool met) {
  Finding f{
      std::string(CriterionName(Criterion::kProfessionalJudgement)), "", {}};
  f.reason = met ? "Referred on professional judgement: " +
                       s.professional_judgement_reason
                 : "The practitioner has not referred on professional "
                   "judgement";
  return f;
}

Finding Escalation(const RiskScore& s, bool met) {
  Finding f{
      std::string(CriterionName(Criterion::kPotentialEscalation)), "", {}};
  const int threshold = s.context->escalation_incidents;
  const std::string window = MonthsText(s.context->escalation_window_months);
  if (!s.incident_count) {
    f.reason = "No incident count was given, so escalation (" +
               std::to_string(threshold) + " or more incidents in " + window +
               ") could not be checked";
  } else {
    f.reason = Plural(*s.incident_count, "incident", "incidents") +
               " known in the last " + window +
               " (the current one included); the threshold is " +
               std::to_string(threshold);
  }
  (void)met;
  return f;
}

Finding Repeat(const RiskScore& s, bool met) {
  Finding f{std::string(CriterionName(Criterion::kRepeat)), "", {}};
  const std::string window = MonthsText(s.context->repeat_window_months);
  if (!s.last_marac_referral_on) {
    f.reason = "No earlier MARAC referral is known for this victim";
    return f;
  }
  const Date& last = *s.last_marac_referral_on;
  const Date until = last.AddMonths(s.context->repeat_window_months);
  const std::string incident = "The incident on " + s.incident_on.ToString();
  if (met) {
    f.reason = incident + " is within " + window +
               " of the last MARAC referral on " + last.ToString() +
               " (repeat window ends " + until.ToString() +
               "); a repeat is referred whatever the score";
  } else if (s.incident_on <= last) {
    f.reason = incident + " is not after the last MARAC referral on " +
               last.ToString();
  } else {
    f.reason = incident + " is more than " + window +
               " after the last MARAC referral on " + last.ToString() +
               " (repeat window ended " + until.ToString() +
               "): a new referral, not a repeat";
  }
  return f;
}

Finding Describe(const RiskScore& s, Criterion c, bool met) {
  switch (c) {
    case Criterion::kVisibleHighRisk:
      return VisibleHighRisk(s, met);
    case Criterion::kProfessionalJudgement:
      return Judgement(s, met);
    case Criterion::kPotentialEscalation:
      return Escalation(s, met);
    case Criterion::kRepeat:
      return Repeat(s, met);
  }
  return {};
}

std::vector<Finding> DescribeWhere(const RiskScore& s, bool met) {
  std::vector<Finding> out;
  for (int i = 0; i < kCriterionCount; ++i) {
    const auto c = static_cast<Criterion>(i);
    if (s.Meets(c) == met) out.push_back(Describe(s, c, met));
  }
  return out;
}

}  // namespace

std::vector<int> ItemNumbers(std::uint64_t mask) {
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(std::popcount(mask)));
  for (; mask != 0; mask &= mask - 1) out.push_back(std::countr_zero(mask) + 1);
  return out;
}

std::vector<Finding> DescribeCriteria(const RiskScore& score) {
  return DescribeWhere(score, true);
}

std::vector<Finding> DescribeCriteriaNotMet(const RiskScore& score) {
  return DescribeWhere(score, false);
}

std::vector<Finding> DescribeHighHarmIndicators(const RiskScore& s) {
  const Instrument& instrument = s.instrument();
  std::vector<Finding> out;
  std::uint64_t seen = 0;
  // In order of the lowest "yes" item raising each tag.
  for (std::uint64_t yes = s.yes_items; yes != 0; yes &= yes - 1) {
    const int number = std::countr_zero(yes) + 1;
    for (std::uint64_t tags = instrument.tag_mask(number) & ~seen; tags != 0;
         tags &= tags - 1) {
      const int t = std::countr_zero(tags);
      seen |= std::uint64_t{1} << t;
      Finding f{instrument.tags()[static_cast<std::size_t>(t)],
                "Answered yes to ",
                ItemNumbers(s.yes_items & instrument.tag_items(t))};
      for (std::size_t i = 0; i < f.items.size(); ++i) {
        if (i > 0) f.reason += "; ";
        f.reason += std::to_string(f.items[i]);
        f.reason += ": ";
        f.reason += instrument.item(f.items[i]).label;
      }
      out.push_back(std::move(f));
    }
  }
  return out;
}

std::vector<Finding> DescribePrompts(const RiskScore& s) {
  std::vector<Finding> out;
  const Instrument& instrument = s.instrument();
  const GradeBands& bands = s.context->bands;
  if (s.Raised(Prompt::kConsiderProfessionalJudgement)) {
    Finding f{std::string(PromptName(Prompt::kConsiderProfessionalJudgement)),
              "", ItemNumbers(s.judgement_prompt_items)};
    // The tags of the items behind the prompt, in order of their lowest item.
    std::string tags;
    std::uint64_t seen = 0;
    for (const int number : f.items) {
      for (std::uint64_t t = instrument.tag_mask(number) & ~seen; t != 0;
           t &= t - 1) {
        const int index = std::countr_zero(t);
        seen |= std::uint64_t{1} << index;
        if (!tags.empty()) tags += ", ";
        tags += instrument.tags()[static_cast<std::size_t>(index)];
      }
    }
    f.reason =
        "Below the referral threshold, but high-harm indicators are "
        "present (" +
        tags + "; questions " + ListNumbers(f.items) +
        "). Consider a referral on professional judgement; the "
        "decision is the practitioner's";
    out.push_back(std::move(f));
  }
  if (s.Raised(Prompt::kCouldBeHigh)) {
    const int not_known = std::popcount(s.not_known_items);
    const int not_asked = std::popcount(s.unanswered_items);
    Finding f{std::string(PromptName(Prompt::kCouldBeHigh)), "",
              ItemNumbers(s.not_known_items | s.unanswered_items)};
    f.reason =
        "Score " + std::to_string(s.score) + ", but " +
        Plural(not_known, "answer is", "answers are") + " not known and " +
        Plural(not_asked, "question was", "questions were") +
        " not asked: the score could reach " + std::to_string(s.max_possible) +
        ", at or above the high "
        "threshold of " +
        std::to_string(bands.high_min) +
        ". Ask the remaining questions before relying on this grade";
    out.push_back(std::move(f));
  }
  if (s.Raised(Prompt::kIncomplete)) {
    Finding f{std::string(PromptName(Prompt::kIncomplete)), "",
              ItemNumbers(s.not_known_items | s.unanswered_items)};
    f.reason = "Only " + std::to_string(s.answered) + " of " +
               std::to_string(instrument.item_count()) +
               (s.answered == 1 ? " questions has" : " questions have") +
               " a yes or no answer; policy " + s.context->policy_version +
               " needs " + std::to_string(bands.min_answered) + ". ";
    if (s.count_grade == Grade::kNotGraded) {
      f.reason +=
          "Ask the remaining questions before relying on this "
          "assessment";
    } else if (s.count_grade == Grade::kStandard) {
      f.reason += "A standard grade is withheld until more is known";
    } else {
      f.reason +=
          "The grade shown is a floor: unanswered questions can only "
          "raise it";
    }
    out.push_back(std::move(f));
  }
  if (s.Raised(Prompt::kFollowUpChecklist)) {
    Finding f{std::string(PromptName(Prompt::kFollowUpChecklist)), "", {}};
    std::string what;
    for (const int number : ItemNumbers(s.yes_items)) {
      const std::string& next = instrument.item(number).follow_up_instrument;
      if (next.empty()) continue;
      f.items.push_back(number);
      if (!what.empty()) what += "; ";
      what += "Question " + std::to_string(number) + " (" +
              instrument.item(number).key + ") is yes: complete " + next;
    }
    f.reason = what;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace marac
