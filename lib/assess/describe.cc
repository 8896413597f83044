// Plain-English reasons for a RiskScore, rendered on demand. Each sentence
// should read back to a victim or a MARAC chair without translation.
//
// Every finding is rendered once, into one reused text buffer and item
// array, and handed to a FindingSink; the Describe* lists are that sink
// collecting one kind. A scoring service renders every response, so the
// texts are appended in place rather than concatenated from temporaries.
#include <array>
#include <bit>
#include <charconv>
#include <string>

#include "marac/assess/score.h"

namespace marac {
namespace {

// The finding being rendered: its text and items, reused for the next.
class Renderer {
 public:
  Renderer(const RiskScore& s, FindingSink& sink)
      : s_(s), sink_(sink), judged_(s.judgement_graded()) {
    text_.reserve(256);
  }

  const RiskScore& score() const { return s_; }

  Renderer& operator<<(std::string_view text) {
    text_ += text;
    return *this;
  }
  Renderer& operator<<(int n) {
    char digits[16];
    const auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
    text_.append(digits, end);
    return *this;
  }
  Renderer& operator<<(const Date& d) { return *this << d.ToString(); }

  // "<n> one" or "<n> many".
  Renderer& Plural(int n, std::string_view one, std::string_view many) {
    return *this << n << " " << (n == 1 ? one : many);
  }
  // "8, 14 and 15": the items so far.
  Renderer& ItemList() {
    for (std::size_t i = 0; i < count_; ++i) {
      if (i > 0) *this << (i + 1 == count_ ? " and " : ", ");
      *this << items_[i];
    }
    return *this;
  }
  // "the high-risk threshold of 14 in policy <version>"
  Renderer& Threshold() {
    return *this << "the high-risk threshold of " << s_.context->bands.high_min
                 << " in policy " << s_.context->policy_version;
  }
  // "16 questions of 24 answered yes"
  Renderer& YesCount() {
    return Plural(s_.score, "question", "questions")
           << " of " << s_.instrument().item_count() << " answered yes";
  }
  Renderer& Months(int months) { return Plural(months, "month", "months"); }

  void AddItem(int number) { items_[count_++] = number; }
  void SetItems(std::uint64_t mask) {
    count_ = 0;
    for (; mask != 0; mask &= mask - 1) AddItem(std::countr_zero(mask) + 1);
  }
  std::span<const int> items() const { return {items_.data(), count_}; }

  // Hands the finding to the sink and starts the next. Every reason of a
  // judgement-graded result says whose grade it is.
  void Emit(FindingKind kind, std::string_view id) {
    if (judged_) {
      text_ += " (";
      text_ += s_.instrument().id();
      text_ += ": the grade is the officer's judgement, not a count)";
    }
    sink_.Add(kind, id, text_, items());
    text_.clear();
    count_ = 0;
  }

 private:
  const RiskScore& s_;
  FindingSink& sink_;
  const bool judged_;  // Every reason says the grade is the officer's.
  std::string text_;
  std::array<int, kMaxItems> items_{};
  std::size_t count_ = 0;
};

void VisibleHighRisk(Renderer& r, bool met) {
  const RiskScore& s = r.score();
  if (s.judgement_graded()) {
    r << "The officer graded the risk " << GradeName(s.grade)
      << (met ? "" : "; visible high risk needs a high grade")
      << ". Rationale recorded: " << s.officer_rationale;
  } else if (!s.context->bands.graded) {
    r << s.instrument().id() << " has no count threshold in policy "
      << s.context->policy_version << ", so it cannot meet this alone";
  } else if (met) {
    r.YesCount() << ", at or above ";
    r.Threshold();
    r.SetItems(s.yes_items);
  } else {
    r.YesCount() << ", below ";
    r.Threshold();
  }
}

void Judgement(Renderer& r, bool met) {
  if (met) {
    r << "Referred on professional judgement: "
      << r.score().professional_judgement_reason;
  } else {
    r << "The practitioner has not referred on professional judgement";
  }
}

void Escalation(Renderer& r) {
  const RiskScore& s = r.score();
  const int window = s.context->escalation_window_months;
  if (!s.incident_count) {
    r << "No incident count was given, so escalation ("
      << s.context->escalation_incidents << " or more incidents in ";
    r.Months(window) << ") could not be checked";
  } else {
    r.Plural(*s.incident_count, "incident", "incidents")
        << " known in the last ";
    r.Months(window) << " (the current one included); the threshold is "
                     << s.context->escalation_incidents;
  }
}

void Repeat(Renderer& r, bool met) {
  const RiskScore& s = r.score();
  if (!s.last_marac_referral_on) {
    r << "No earlier MARAC referral is known for this victim";
    return;
  }
  const int window = s.context->repeat_window_months;
  const Date& last = *s.last_marac_referral_on;
  const Date until = last.AddMonths(window);
  r << "The incident on " << s.incident_on;
  if (met) {
    r << " is within ";
    r.Months(window) << " of the last MARAC referral on " << last
                     << " (repeat window ends " << until
                     << "); a repeat is referred whatever the score";
  } else if (s.incident_on <= last) {
    r << " is not after the last MARAC referral on " << last;
  } else {
    r << " is more than ";
    r.Months(window) << " after the last MARAC referral on " << last
                     << " (repeat window ended " << until
                     << "): a new referral, not a repeat";
  }
}

// The criteria met (or not), in Criterion order.
void Criteria(Renderer& r, bool met) {
  const FindingKind kind =
      met ? FindingKind::kCriterionMet : FindingKind::kCriterionNotMet;
  for (int i = 0; i < kCriterionCount; ++i) {
    const auto c = static_cast<Criterion>(i);
    if (r.score().Meets(c) != met) continue;
    switch (c) {
      case Criterion::kVisibleHighRisk:
        VisibleHighRisk(r, met);
        break;
      case Criterion::kProfessionalJudgement:
        Judgement(r, met);
        break;
      case Criterion::kPotentialEscalation:
        Escalation(r);
        break;
      case Criterion::kRepeat:
        Repeat(r, met);
        break;
    }
    r.Emit(kind, CriterionName(c));
  }
}

void HighHarmIndicators(Renderer& r) {
  const RiskScore& s = r.score();
  const Instrument& instrument = s.instrument();
  std::uint64_t seen = 0;
  // In order of the lowest "yes" item raising each tag.
  for (std::uint64_t yes = s.yes_items; yes != 0; yes &= yes - 1) {
    const int number = std::countr_zero(yes) + 1;
    for (std::uint64_t tags = instrument.tag_mask(number) & ~seen; tags != 0;
         tags &= tags - 1) {
      const int t = std::countr_zero(tags);
      seen |= std::uint64_t{1} << t;
      r << "Answered yes to ";
      r.SetItems(s.yes_items & instrument.tag_items(t));
      bool first = true;
      for (const int item : r.items()) {
        if (!first) r << "; ";
        first = false;
        r << item << ": " << instrument.item(item).label;
      }
      r.Emit(FindingKind::kHighHarmIndicator,
             instrument.tags()[static_cast<std::size_t>(t)]);
    }
  }
}

// "question 11 (harm_to_children)" for each yes item in `mask`, joined;
// "Question" when it opens the sentence.
void YesItems(Renderer& r, std::uint64_t mask, bool opens) {
  const bool several = std::popcount(mask) > 1;
  bool first = true;
  for (; mask != 0; mask &= mask - 1) {
    const int number = std::countr_zero(mask) + 1;
    r.AddItem(number);
    if (!first) r << ", ";
    r << (first && opens ? "Question " : "question ") << number << " ("
      << r.score().instrument().item(number).key << ")";
    first = false;
  }
  r << (several ? " are yes" : " is yes");
}

// Each safeguarding prompt raised: what raised it, then the advice.
void SafeguardingPrompts(Renderer& r) {
  const RiskScore& s = r.score();
  const ScoreContext& ctx = *s.context;
  const int children = s.children_in_household.value_or(0);
  for (std::size_t k = 0; k < ctx.safeguarding.size(); ++k) {
    if (((s.safeguarding >> k) & 1u) == 0) continue;
    const SafeguardingRule& rule = ctx.safeguarding[k];
    const ScoreContext::SafeguardingItems& items = ctx.safeguarding_items[k];
    bool first = true;
    // Whether this fact opens the sentence (and a "; " before it if not).
    const auto opens = [&] {
      const bool was = first;
      if (!first) r << "; ";
      first = false;
      return was;
    };
    if (const std::uint64_t yes = s.yes_items & items.yes; yes != 0) {
      YesItems(r, yes, opens());
    }
    if (const std::uint64_t yes = s.yes_items & items.yes_with_children;
        yes != 0 && children > 0) {
      YesItems(r, yes, opens());
      r << " with ";
      r.Plural(children, "child", "children") << " in the household";
    }
    if (items.count_applies && s.score >= rule.min_yes) {
      opens();
      r << s.score << " of " << s.instrument().item_count()
        << " questions are yes (the rule's threshold is " << rule.min_yes
        << ")";
    }
    if (rule.high_with_children && children > 0 && s.grade == Grade::kHigh) {
      r << (opens() ? "The" : "the") << " grade is high with ";
      r.Plural(children, "child", "children") << " in the household";
    }
    if (rule.victim_age_at_least > 0 && s.victim_age &&
        *s.victim_age >= rule.victim_age_at_least) {
      r << (opens() ? "The" : "the") << " victim is " << *s.victim_age;
    }
    if (rule.victim_disability && s.victim_disability) {
      r << (opens() ? "A" : "a") << " disability is recorded";
    }
    if (rule.hbv_concern && s.hbv_concern) {
      r << (opens() ? "An" : "an")
        << " honour-based abuse or forced-marriage concern is recorded";
    }
    r << ": " << rule.advice;
    if (rule.local_policy) r << " (local policy " << ctx.policy_version << ")";
    r.Emit(FindingKind::kPrompt, rule.id);
  }
}

void Prompts(Renderer& r) {
  const RiskScore& s = r.score();
  const Instrument& instrument = s.instrument();
  const GradeBands& bands = s.context->bands;
  if (s.Raised(Prompt::kConsiderProfessionalJudgement)) {
    r.SetItems(s.judgement_prompt_items);
    r << "Below the referral threshold, but high-harm indicators are "
         "present (";
    // The tags of the items behind the prompt, in order of their lowest item.
    std::uint64_t seen = 0;
    for (const int number : r.items()) {
      for (std::uint64_t t = instrument.tag_mask(number) & ~seen; t != 0;
           t &= t - 1) {
        const int index = std::countr_zero(t);
        if (seen != 0) r << ", ";
        seen |= std::uint64_t{1} << index;
        r << instrument.tags()[static_cast<std::size_t>(index)];
      }
    }
    r << "; questions ";
    r.ItemList() << "). Consider a referral on professional judgement; the "
                    "decision is the practitioner's";
    r.Emit(FindingKind::kPrompt,
           PromptName(Prompt::kConsiderProfessionalJudgement));
  }
  if (s.Raised(Prompt::kCouldBeHigh)) {
    r.SetItems(s.not_known_items | s.unanswered_items);
    r << "Score " << s.score << ", but ";
    r.Plural(std::popcount(s.not_known_items), "answer is", "answers are")
        << " not known and ";
    r.Plural(std::popcount(s.unanswered_items), "question was",
             "questions were")
        << " not asked: the score could reach " << s.max_possible
        << ", at or above the high threshold of " << bands.high_min
        << ". Ask the remaining questions before relying on this grade";
    r.Emit(FindingKind::kPrompt, PromptName(Prompt::kCouldBeHigh));
  }
  if (s.Raised(Prompt::kIncomplete)) {
    r.SetItems(s.not_known_items | s.unanswered_items);
    r << "Only " << s.answered << " of " << instrument.item_count()
      << (s.answered == 1 ? " questions has" : " questions have")
      << " a yes or no answer; policy " << s.context->policy_version
      << " needs " << bands.min_answered << ". ";
    if (s.count_grade == Grade::kNotGraded) {
      r << "Ask the remaining questions before relying on this assessment";
    } else if (s.count_grade == Grade::kStandard) {
      r << "A standard grade is withheld until more is known";
    } else {
      r << "The grade shown is a floor: unanswered questions can only "
           "raise it";
    }
    r.Emit(FindingKind::kPrompt, PromptName(Prompt::kIncomplete));
  }
  if (s.Raised(Prompt::kFollowUpChecklist)) {
    bool first = true;
    for (std::uint64_t yes = s.yes_items; yes != 0; yes &= yes - 1) {
      const int number = std::countr_zero(yes) + 1;
      const InstrumentItem& item = instrument.item(number);
      if (item.follow_up_instrument.empty()) continue;
      r.AddItem(number);
      if (!first) r << "; ";
      first = false;
      r << "Question " << number << " (" << item.key << ") is yes: complete "
        << item.follow_up_instrument;
    }
    r.Emit(FindingKind::kPrompt, PromptName(Prompt::kFollowUpChecklist));
  }
  SafeguardingPrompts(r);
}

// Keeps the findings of one kind.
class Collect final : public FindingSink {
 public:
  explicit Collect(FindingKind kind) : kind_(kind) {}
  void Add(FindingKind kind, std::string_view id, std::string_view reason,
           std::span<const int> items) override {
    if (kind != kind_) return;
    out.push_back(Finding{std::string(id), std::string(reason),
                          std::vector<int>(items.begin(), items.end())});
  }
  std::vector<Finding> out;

 private:
  FindingKind kind_;
};

std::vector<Finding> DescribeKind(const RiskScore& s, FindingKind kind) {
  Collect collect(kind);
  Renderer r(s, collect);
  switch (kind) {
    case FindingKind::kCriterionMet:
      Criteria(r, true);
      break;
    case FindingKind::kCriterionNotMet:
      Criteria(r, false);
      break;
    case FindingKind::kHighHarmIndicator:
      HighHarmIndicators(r);
      break;
    case FindingKind::kPrompt:
      Prompts(r);
      break;
  }
  return std::move(collect.out);
}

}  // namespace

std::vector<std::string> SafeguardingRaised(const RiskScore& score) {
  std::vector<std::string> out;
  const std::vector<SafeguardingRule>& rules = score.context->safeguarding;
  for (std::size_t k = 0; k < rules.size(); ++k) {
    if ((score.safeguarding >> k) & 1u) out.push_back(rules[k].id);
  }
  return out;
}

std::vector<int> ItemNumbers(std::uint64_t mask) {
  std::vector<int> out;
  out.reserve(static_cast<std::size_t>(std::popcount(mask)));
  for (; mask != 0; mask &= mask - 1) out.push_back(std::countr_zero(mask) + 1);
  return out;
}

void DescribeFindings(const RiskScore& score, FindingSink& sink) {
  Renderer r(score, sink);
  Criteria(r, true);
  Criteria(r, false);
  HighHarmIndicators(r);
  Prompts(r);
}

std::vector<Finding> DescribeCriteria(const RiskScore& score) {
  return DescribeKind(score, FindingKind::kCriterionMet);
}

std::vector<Finding> DescribeCriteriaNotMet(const RiskScore& score) {
  return DescribeKind(score, FindingKind::kCriterionNotMet);
}

std::vector<Finding> DescribeHighHarmIndicators(const RiskScore& score) {
  return DescribeKind(score, FindingKind::kHighHarmIndicator);
}

std::vector<Finding> DescribePrompts(const RiskScore& score) {
  return DescribeKind(score, FindingKind::kPrompt);
}

}  // namespace marac
