#include "marac/assess/score.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <mutex>
#include <string>

namespace marac {
namespace {

constexpr int kMaxIncidentCount = 10000;

// Bits set in `x`. std::popcount is a libgcc call on plain x86-64 (no
// POPCNT assumed); this is the branch-free SWAR count, inlined.
int BitCount(std::uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int>((x * 0x0101010101010101ULL) >> 56);
}

// Answer masks of one checklist (bit n-1 for item n) and their sizes.
struct AnswerMasks {
  std::uint64_t yes = 0;
  std::uint64_t no = 0;
  std::uint64_t not_known = 0;
  int yes_count = 0;
  int no_count = 0;
};

// Classifies eight answers per 64-bit word. Answer values are two bits (yes
// 01, no 10, not known 11, not asked 00): the low and high bit of every byte
// are gathered into two item masks (multiplying a word of 0/1 bytes by
// 0x0102040810204080 puts byte i's bit at bit 56+i), and the classes follow
// from those two masks.
AnswerMasks GatherMasks(const Checklist& checklist) {
  static_assert(static_cast<int>(Answer::kYes) == 1 &&
                static_cast<int>(Answer::kNo) == 2 &&
                static_cast<int>(Answer::kNotKnown) == 3);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kPack = 0x0102040810204080ULL;
  const std::span<const Answer> answers = checklist.answers();
  const std::size_t words = (answers.size() + 7) / 8;
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t word = 0;
    // Checklist stores kMaxItems answers, zero past the instrument's items,
    // so whole words are always in bounds.
    std::memcpy(&word, answers.data() + w * 8, sizeof word);
    const int shift = static_cast<int>(w * 8);
    low |= (((word & kOnes) * kPack) >> 56) << shift;
    high |= ((((word >> 1) & kOnes) * kPack) >> 56) << shift;
  }
  AnswerMasks m;
  m.yes = low & ~high;
  m.no = high & ~low;
  m.not_known = low & high;
  m.yes_count = BitCount(m.yes);
  m.no_count = BitCount(m.no);
  return m;
}

// Items in `items` carrying any tag in `tags`.
std::uint64_t ItemsWithTags(const Instrument& instrument, std::uint64_t items,
                            std::uint64_t tags) {
  std::uint64_t out = 0;
  for (; tags != 0; tags &= tags - 1) {
    out |= instrument.tag_items(std::countr_zero(tags));
  }
  return out & items;
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

bool SameContext(const ScoreContext& a, const ScoreContext& b) {
  return a.instrument->SameDefinition(*b.instrument) &&
         a.policy_version == b.policy_version && a.bands == b.bands &&
         a.escalation_incidents == b.escalation_incidents &&
         a.escalation_window_months == b.escalation_window_months &&
         a.repeat_window_months == b.repeat_window_months &&
         a.raise_grade_on_judgement == b.raise_grade_on_judgement &&
         a.judgement_prompt_min_tags == b.judgement_prompt_min_tags &&
         a.judgement_prompt_tag_mask == b.judgement_prompt_tag_mask &&
         a.safeguarding == b.safeguarding;
}

// The process-wide table of contexts. Entries are never removed: a RiskScore
// may outlive the Scorer that made it. Contexts equal in content (the same
// policy values and instrument definition, even from another parse) share one
// entry, so the table grows only with distinct policies and definitions.
const ScoreContext* Intern(std::unique_ptr<ScoreContext> candidate) {
  static std::mutex mutex;
  static auto* const contexts =
      new std::vector<std::unique_ptr<ScoreContext>>();
  const std::lock_guard<std::mutex> lock(mutex);
  for (const auto& existing : *contexts) {
    if (SameContext(*existing, *candidate)) return existing.get();
  }
  contexts->push_back(std::move(candidate));
  return contexts->back().get();
}

// Not blank: some code point other than white space, controls and invisible
// format characters (NBSP, zero-width space, BOM...). `text` is UTF-8.
bool HasVisibleText(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c > 0x20 && c != 0x7f) return true;
      ++i;
      continue;
    }
    // Decode one multi-byte sequence (invalid bytes count as visible: the
    // JSON layer has refused them already).
    const std::size_t length = c >= 0xF0 ? 4 : (c >= 0xE0 ? 3 : 2);
    if (i + length > text.size()) return true;
    std::uint32_t cp =
        c & (length == 2 ? 0x1Fu : (length == 3 ? 0x0Fu : 0x07u));
    for (std::size_t k = 1; k < length; ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
    }
    i += length;
    const bool invisible =
        (cp >= 0x80 && cp <= 0xA0) || cp == 0x1680 ||
        (cp >= 0x2000 && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202F) ||
        (cp >= 0x205F && cp <= 0x2064) || cp == 0x3000 || cp == 0xFEFF;
    if (!invisible) return true;
  }
  return false;
}

Status CheckValidDate(std::string_view field, const Date& date) {
  if (!date.IsValid()) [[unlikely]] {
    return InvalidArgument(field, "not a calendar date (" +
                                      std::to_string(date.year) + "-" +
                                      std::to_string(date.month) + "-" +
                                      std::to_string(date.day) + ")");
  }
  return Status::Ok();
}

}  // namespace

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
  // Every prompt tag must be a tag of some instrument: a misspelt tag would
  // silently switch a prompt off.
  for (std::size_t i = 0; i < policy.judgement_prompt_tags.size(); ++i) {
    const std::string& tag = policy.judgement_prompt_tags[i];
    bool known = false;
    for (const auto& instrument : instruments.all()) {
      known = known || instrument->FindTag(tag).has_value();
    }
    if (!known) {
      return InvalidArgument(
          "judgement_prompt.tags[" + std::to_string(i) + "]",
          "\"" + tag + "\" is not a high-harm tag of any instrument");
    }
  }
  // Every item a safeguarding rule names must be an item of some
  // instrument, and every instrument it names one this scorer knows.
  for (std::size_t r = 0; r < policy.safeguarding.size(); ++r) {
    const SafeguardingRule& rule = policy.safeguarding[r];
    const std::string at = "safeguarding[" + std::to_string(r) + "]";
    for (const auto& [field, keys] :
         {std::pair<const char*, const std::vector<std::string>*>{
              "items_yes", &rule.items_yes},
          {"items_yes_with_children", &rule.items_yes_with_children}}) {
      for (std::size_t k = 0; k < keys->size(); ++k) {
        bool known = false;
        for (const auto& instrument : instruments.all()) {
          for (const InstrumentItem& item : instrument->items()) {
            known = known || item.key == (*keys)[k];
          }
        }
        if (!known) {
          return InvalidArgument(
              at + "." + field + "[" + std::to_string(k) + "]",
              "\"" + (*keys)[k] + "\" is not an item of any instrument");
        }
      }
    }
    for (std::size_t k = 0; k < rule.min_yes_instruments.size(); ++k) {
      bool known = false;
      for (const auto& instrument : instruments.all()) {
        known = known || instrument->id() == rule.min_yes_instruments[k];
      }
      if (!known) {
        return InvalidArgument(
            at + ".min_yes_instruments[" + std::to_string(k) + "]",
            "\"" + rule.min_yes_instruments[k] + "\" is not an instrument");
      }
    }
  }
  Scorer scorer;
  scorer.policy_ = policy;
  for (const auto& instrument : instruments.all()) {
    const auto bands = policy.instruments.find(instrument->id());
    if (bands == policy.instruments.end()) continue;  // Not scorable.
    const GradeBands& b = bands->second;
    const std::string path = "instruments." + instrument->id();
    const std::string size = instrument->id() + " has " +
                             std::to_string(instrument->item_count()) +
                             " items";
    // A judgement-graded instrument counts nothing: its bands are unused.
    if (!instrument->judgement_graded()) {
      if (b.graded && b.high_min > instrument->item_count()) {
        return InvalidArgument(path + ".high_min", size);
      }
      if (b.min_answered > instrument->item_count()) {
        return InvalidArgument(path + ".min_answered", size);
      }
    }
    auto context = std::make_unique<ScoreContext>();
    context->instrument = instrument;
    context->policy_version = policy.version;
    context->bands = b;
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
    context->safeguarding = policy.safeguarding;
    for (const SafeguardingRule& rule : policy.safeguarding) {
      ScoreContext::SafeguardingItems items;
      for (const InstrumentItem& item : instrument->items()) {
        const std::uint64_t bit = std::uint64_t{1} << (item.number - 1);
        for (const std::string& key : rule.items_yes) {
          if (item.key == key) items.yes |= bit;
        }
        for (const std::string& key : rule.items_yes_with_children) {
          if (item.key == key) items.yes_with_children |= bit;
        }
      }
      items.count_applies =
          rule.min_yes > 0 &&
          std::find(rule.min_yes_instruments.begin(),
                    rule.min_yes_instruments.end(),
                    instrument->id()) != rule.min_yes_instruments.end();
      context->safeguarding_items.push_back(items);
    }
    scorer.entries_.push_back({instrument, Intern(std::move(context))});
  }
  return scorer;
}

Result<RiskScore> Scorer::Score(const Checklist& checklist,
                                const CaseHistory& history, Date as_of) const {
  const Instrument* instrument = &checklist.instrument();
  const ScoreContext* found = nullptr;
  for (const Entry& entry : entries_) {
    if (entry.instrument.get() == instrument) {
      found = entry.context;
      break;
    }
  }
  if (found == nullptr) {
    if (policy_.instruments.find(instrument->id()) ==
        policy_.instruments.end()) {
      return FailedPrecondition("instrument: \"" + instrument->id() +
                                "\" has no grading policy in " +
                                policy_.version);
    }
    return FailedPrecondition(
        "instrument: this \"" + instrument->id() +
        "\" definition is not one the scorer was built with; build the "
        "checklist from the scorer's InstrumentSet");
  }
  const ScoreContext& ctx = *found;

  // History first: a bad date must fail before anything is reported.
  MARAC_RETURN_IF_ERROR(CheckValidDate("completed_on", as_of));
  const Date incident_on = history.incident_on.value_or(as_of);
  MARAC_RETURN_IF_ERROR(CheckValidDate("incident_on", incident_on));
  if (history.last_marac_referral_on) {
    MARAC_RETURN_IF_ERROR(CheckValidDate("last_marac_referral_on",
                                         *history.last_marac_referral_on));
  }
  if (history.incident_on) {
    MARAC_RETURN_IF_ERROR(CheckNotAfter("incident_on", incident_on, as_of));
  }
  if (history.last_marac_referral_on) {
    MARAC_RETURN_IF_ERROR(CheckNotAfter(
        "last_marac_referral_on", *history.last_marac_referral_on, as_of));
  }
  // A plain int and flag, not an optional, in the hot path: rebuilding an
  // optional on the stack cost a store-forwarding stall per call.
  const bool has_count = history.incidents_last_12_months.has_value();
  int incident_count = history.incidents_last_12_months.value_or(0);
  bool has_incidents = has_count;
  if (has_count) {
    if (!history.incident_dates.empty()) {
      return InvalidArgument("incidents_last_12_months",
                             "give either a count or incident_dates, not both");
    }
    if (incident_count < 0 || incident_count > kMaxIncidentCount) {
      return InvalidArgument(
          "incidents_last_12_months",
          std::to_string(incident_count) + " is out of range (0 to 10000)");
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
          CheckValidDate("incident_dates[" + std::to_string(i) + "]", d));
      MARAC_RETURN_IF_ERROR(
          CheckNotAfter("incident_dates[" + std::to_string(i) + "]", d, as_of));
      if (d > window_start && d <= incident_on) ++count;
    }
    incident_count = count;
    has_incidents = true;
  }
  if (history.victim_age &&
      (*history.victim_age < 0 || *history.victim_age > 120)) {
    return InvalidArgument("victim_age", std::to_string(*history.victim_age) +
                                             " is out of range (0 to 120)");
  }
  if (history.children_in_household && (*history.children_in_household < 0 ||
                                        *history.children_in_household > 50)) {
    return InvalidArgument("children_in_household",
                           std::to_string(*history.children_in_household) +
                               " is out of range (0 to 50)");
  }
  const bool refer =
      history.professional_judgement == ProfessionalJudgement::kRefer;
  if (refer && !HasVisibleText(history.professional_judgement_reason)) {
    return InvalidArgument("professional_judgement_reason",
                           "required when professional_judgement is \"refer\": "
                           "state the concern and the reasons");
  }
  const bool judged = instrument->judgement_graded();
  if (judged) {
    if (!history.officer_grade || *history.officer_grade == Grade::kNotGraded) {
      return InvalidArgument("officer_grade",
                             "required for " + instrument->id() +
                                 ": the officer's grade (standard | medium | "
                                 "high)");
    }
    if (!HasVisibleText(history.officer_rationale)) {
      return InvalidArgument("officer_rationale",
                             "required for " + instrument->id() +
                                 ": the rationale the officer recorded for "
                                 "the grade");
    }
  } else if (history.officer_grade) {
    return InvalidArgument("officer_grade",
                           "given, but " + instrument->id() +
                               " is graded by its yes-count, not by an "
                               "officer's judgement");
  } else if (!history.officer_rationale.empty()) {
    return InvalidArgument("officer_rationale",
                           "given, but " + instrument->id() +
                               " is graded by its yes-count, not by an "
                               "officer's judgement");
  }

  RiskScore out;
  out.context = found;
  out.as_of = as_of;
  out.incident_on = incident_on;
  if (has_incidents) out.incident_count = incident_count;
  out.last_marac_referral_on = history.last_marac_referral_on;
  if (refer)
    out.professional_judgement_reason = history.professional_judgement_reason;

  const AnswerMasks masks = GatherMasks(checklist);
  const std::uint64_t all = instrument->all_items();
  const int item_count = instrument->item_count();
  out.yes_items = masks.yes;
  out.not_known_items = masks.not_known;
  out.unanswered_items = all & ~(masks.yes | masks.no | masks.not_known);
  out.score = masks.yes_count;
  out.answered = masks.yes_count + masks.no_count;
  out.max_possible = item_count - masks.no_count;
  if (const std::uint64_t mapped = instrument->ric_mapped_items();
      mapped != 0 && mapped != all) {
    out.ric_equivalent_score = BitCount(masks.yes & mapped);
  }
  const std::uint64_t tags = instrument->TagsOf(masks.yes);
  out.high_harm_tags = tags;

  // Grade: the count band, never lowered by anything below.
  const GradeBands& bands = ctx.bands;
  out.count_grade = judged ? Grade::kNotGraded : CountGrade(bands, out.score);
  out.grade = judged ? *history.officer_grade : out.count_grade;
  if (judged) out.officer_rationale = history.officer_rationale;
  out.incomplete = !judged && out.answered < bands.min_answered;
  if (out.incomplete && out.grade == Grade::kStandard) {
    out.grade = Grade::kNotGraded;  // Never a silent "standard".
  }
  if (refer && ctx.raise_grade_on_judgement && bands.graded) {
    out.grade = Grade::kHigh;
  }
  out.could_be_high = !judged && bands.graded && out.score < bands.high_min &&
                      out.max_possible >= bands.high_min;

  // Criteria, each on its own.
  unsigned criteria = 0;
  if (judged ? *history.officer_grade == Grade::kHigh
             : bands.graded && out.score >= bands.high_min) {
    criteria |= 1u << static_cast<int>(Criterion::kVisibleHighRisk);
  }
  if (refer) {
    criteria |= 1u << static_cast<int>(Criterion::kProfessionalJudgement);
  }
  if (has_incidents && incident_count >= ctx.escalation_incidents) {
    criteria |= 1u << static_cast<int>(Criterion::kPotentialEscalation);
  }
  if (history.last_marac_referral_on) {
    const Date& last = *history.last_marac_referral_on;
    if (last < incident_on &&
        incident_on <= last.AddMonths(ctx.repeat_window_months)) {
      criteria |= 1u << static_cast<int>(Criterion::kRepeat);
    }
  }
  out.criteria = static_cast<std::uint8_t>(criteria);
  out.marac_referral = criteria != 0;

  // Prompts.
  unsigned prompts = 0;
  if (!out.marac_referral && tags != 0) {
    const bool enough = BitCount(tags) >= ctx.judgement_prompt_min_tags;
    const std::uint64_t trigger =
        enough ? tags : (tags & ctx.judgement_prompt_tag_mask);
    if (trigger != 0) {
      prompts |= 1u << static_cast<int>(Prompt::kConsiderProfessionalJudgement);
      out.judgement_prompt_items =
          ItemsWithTags(*instrument, masks.yes, trigger);
    }
  }
  if (out.could_be_high)
    prompts |= 1u << static_cast<int>(Prompt::kCouldBeHigh);
  if (out.incomplete) prompts |= 1u << static_cast<int>(Prompt::kIncomplete);
  if ((masks.yes & instrument->follow_up_items()) != 0) {
    prompts |= 1u << static_cast<int>(Prompt::kFollowUpChecklist);
  }
  out.prompts = static_cast<std::uint8_t>(prompts);

  // Safeguarding prompts: each rule on its own, never touching the grade.
  if (!ctx.safeguarding.empty()) {
    out.victim_age = history.victim_age;
    out.children_in_household = history.children_in_household;
    out.victim_disability = history.victim_disability;
    out.hbv_concern = history.hbv_concern;
    const bool children = history.children_in_household.value_or(0) > 0;
    unsigned raised = 0;
    for (std::size_t r = 0; r < ctx.safeguarding.size(); ++r) {
      const SafeguardingRule& rule = ctx.safeguarding[r];
      const ScoreContext::SafeguardingItems& items = ctx.safeguarding_items[r];
      const bool hit =
          (masks.yes & items.yes) != 0 ||
          (children && (masks.yes & items.yes_with_children) != 0) ||
          (items.count_applies && out.score >= rule.min_yes) ||
          (rule.high_with_children && children && out.grade == Grade::kHigh) ||
          (rule.victim_age_at_least > 0 && history.victim_age &&
           *history.victim_age >= rule.victim_age_at_least) ||
          (rule.victim_disability && history.victim_disability) ||
          (rule.hbv_concern && history.hbv_concern);
      if (hit) raised |= 1u << r;
    }
    out.safeguarding = static_cast<std::uint16_t>(raised);
  }
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
