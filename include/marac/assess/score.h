// Scoring of one checklist in one call: the yes-count, the grade, the
// high-harm indicators present, and the MARAC referral criteria met, each
// with a reason a practitioner can read back. Pure and thread-safe.
//
//   Result<Scorer> scorer = Scorer::Create(ScoringPolicy::Default(),
//                                          InstrumentSet::BuiltIn());
//   Result<RiskScore> s = scorer->Score(checklist, history, completed_on);
//   for (const Finding& f : DescribeCriteria(*s)) Print(f.id, f.reason);
//
// A RiskScore is compact (no text); the Describe* functions render the
// reasons on demand, so scoring a million assessments allocates nothing.
#ifndef MARAC_ASSESS_SCORE_H_
#define MARAC_ASSESS_SCORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "marac/assess/checklist.h"
#include "marac/assess/instrument.h"
#include "marac/assess/policy.h"
#include "marac/casefile/grade.h"
#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

enum class ProfessionalJudgement : std::uint8_t { kNone, kRefer };

// What the case system knows beyond the checklist. Field names are those of
// the CLI's JSON, so errors name the same path.
struct CaseHistory {
  // Date of the incident the assessment is about; the completion date when
  // absent. Must not be after completion.
  std::optional<Date> incident_on;
  // Incidents known to any agency within the escalation window (12 months by
  // default), the current one included.
  std::optional<int> incidents_last_12_months;
  // Alternatively, the dates of known incidents (the current one included);
  // those within the escalation window are counted. Give one or the other.
  std::vector<Date> incident_dates;
  // Most recent MARAC referral of this victim, if any.
  std::optional<Date> last_marac_referral_on;
  ProfessionalJudgement professional_judgement = ProfessionalJudgement::kNone;
  // Required (not blank) when professional_judgement is kRefer.
  std::string professional_judgement_reason;
  // What else is known of the victim and the household, for the
  // safeguarding prompts; absent raises nothing.
  std::optional<int> victim_age;             // 0 to 120.
  std::optional<int> children_in_household;  // 0 to 50.
  bool victim_disability = false;            // A disability recorded.
  // An honour-based abuse or forced-marriage concern recorded by the
  // practitioner, whatever the answers.
  bool hbv_concern = false;
  // For an instrument graded by the officer's judgement (DARA), required
  // there and refused elsewhere: the officer's grade (standard, medium or
  // high) and the rationale the officer recorded for it.
  std::optional<Grade> officer_grade;
  std::string officer_rationale;
};

// Criterion ids, reported in this order.
enum class Criterion : std::uint8_t {
  kVisibleHighRisk = 0,
  kProfessionalJudgement = 1,
  kPotentialEscalation = 2,
  kRepeat = 3,
};
inline constexpr int kCriterionCount = 4;
// "visible_high_risk", "professional_judgement", "potential_escalation",
// "repeat".
std::string_view CriterionName(Criterion criterion);

// Prompts for the practitioner; never decisions.
enum class Prompt : std::uint8_t {
  kConsiderProfessionalJudgement = 0,
  kCouldBeHigh = 1,
  kIncomplete = 2,
  kFollowUpChecklist = 3,
};
inline constexpr int kPromptCount = 4;
// "consider_professional_judgement", "could_be_high", "incomplete",
// "follow_up_checklist".
std::string_view PromptName(Prompt prompt);

// The policy values a score was made under, shared by every score made for
// one instrument under one policy. Contexts are interned for the life of the
// process (one per distinct policy and instrument definition), so a
// RiskScore's pointer to its context never dangles and copying a score costs
// no reference count.
struct ScoreContext {
  std::shared_ptr<const Instrument> instrument;
  std::string policy_version;
  GradeBands bands;
  int escalation_incidents = 0;
  int escalation_window_months = 0;
  int repeat_window_months = 0;
  bool raise_grade_on_judgement = false;
  int judgement_prompt_min_tags = 0;
  std::uint64_t judgement_prompt_tag_mask = 0;  // Over instrument->tags().
  // The policy's safeguarding rules, and for each its items on this
  // instrument (bit n-1 for item n) and whether its yes-count applies here.
  std::vector<SafeguardingRule> safeguarding;
  struct SafeguardingItems {
    std::uint64_t yes = 0;
    std::uint64_t yes_with_children = 0;
    bool count_applies = false;
  };
  std::vector<SafeguardingItems> safeguarding_items;
};

// The outcome. Item sets are bit masks: bit n-1 stands for item n.
struct RiskScore {
  const ScoreContext* context = nullptr;  // Never null in a scored result.
  int score = 0;                          // Number of "yes" answers.
  int answered = 0;                       // Items answered yes or no.
  // score + not known + not asked: what the score could be if every unknown
  // were a yes.
  int max_possible = 0;
  // For an instrument mapped to the RIC (police form): yes answers on
  // mapped items, comparable with a RIC score.
  std::optional<int> ric_equivalent_score;
  std::uint64_t yes_items = 0;
  std::uint64_t not_known_items = 0;
  std::uint64_t unanswered_items = 0;  // Not asked.
  std::uint64_t high_harm_tags = 0;    // Over instrument->tags().
  Grade grade = Grade::kNotGraded;
  Grade count_grade = Grade::kNotGraded;  // From the yes-count alone.
  bool incomplete = false;
  bool could_be_high = false;
  bool marac_referral = false;
  std::uint8_t criteria = 0;  // Bit per Criterion met.
  std::uint8_t prompts = 0;   // Bit per Prompt raised.
  // Items whose tags raised the judgement prompt.
  std::uint64_t judgement_prompt_items = 0;
  // Facts behind the criteria, for their reasons.
  Date as_of;
  Date incident_on;
  std::optional<int> incident_count;
  std::optional<Date> last_marac_referral_on;
  std::string professional_judgement_reason;
  // Safeguarding prompts raised: bit r for context->safeguarding[r]; and
  // the facts behind them.
  std::uint16_t safeguarding = 0;
  std::optional<int> victim_age;
  std::optional<int> children_in_household;
  bool victim_disability = false;
  bool hbv_concern = false;
  // For a judgement-graded instrument: the officer's rationale (the grade
  // is the officer's; score and count_grade mean nothing there).
  std::string officer_rationale;

  bool Meets(Criterion c) const {
    return (criteria >> static_cast<int>(c)) & 1u;
  }
  bool Raised(Prompt p) const { return (prompts >> static_cast<int>(p)) & 1u; }
  const Instrument& instrument() const { return *context->instrument; }
  // The grade is the officer's judgement, not a count (DARA).
  bool judgement_graded() const { return instrument().judgement_graded(); }
};

// Scores checklists under one policy. Build once, share between threads.
class Scorer {
 public:
  // kInvalidArgument, naming the policy field, when `policy` is inconsistent
  // (see ScoringPolicy::Validate), names a prompt tag no instrument has, or
  // sets a threshold beyond an instrument's item count.
  static Result<Scorer> Create(const ScoringPolicy& policy,
                               const InstrumentSet& instruments);

  // Scores `checklist`, completed on `as_of`, with `history`.
  // kInvalidArgument naming the field when a history date is after `as_of`,
  // a count is negative or implausible (over 10000), both a count and dates
  // are given, a date is not a real calendar date, or a judgement referral
  // has no reason (blank: no letter, digit or symbol), a judgement-graded
  // instrument (DARA) lacks the officer's grade or rationale, or another
  // instrument is given them. kFailedPrecondition
  // when the checklist's instrument is not one this scorer was built with.
  Result<RiskScore> Score(const Checklist& checklist,
                          const CaseHistory& history, Date as_of) const;

  const ScoringPolicy& policy() const { return policy_; }

 private:
  ScoringPolicy policy_;
  // The instrument objects this scorer was built with, each with its
  // (interned) context; looked up by the checklist's instrument object.
  struct Entry {
    std::shared_ptr<const Instrument> instrument;
    const ScoreContext* context = nullptr;
  };
  std::vector<Entry> entries_;
};

// One-off scoring with the built-in instruments; use a Scorer for bulk work.
Result<RiskScore> Score(const Checklist& checklist, const CaseHistory& history,
                        Date as_of,
                        const ScoringPolicy& policy = ScoringPolicy::Default());

// A reported criterion, prompt or indicator: machine id, plain-English reason
// and the items behind it (by number on the form).
struct Finding {
  std::string id;
  std::string reason;
  std::vector<int> items;
};

// The criteria met, in Criterion order.
std::vector<Finding> DescribeCriteria(const RiskScore& score);
// The criteria not met, with why not, in Criterion order.
std::vector<Finding> DescribeCriteriaNotMet(const RiskScore& score);
// High-harm indicators present, in order of the lowest "yes" item raising
// each; reason lists the items' labels.
std::vector<Finding> DescribeHighHarmIndicators(const RiskScore& score);
// Prompts raised, in Prompt order.
std::vector<Finding> DescribePrompts(const RiskScore& score);
// The ids of the safeguarding prompts raised, in the policy's rule order
// (what a store keeps with the assessment).
std::vector<std::string> SafeguardingRaised(const RiskScore& score);
// Item numbers in `mask`, ascending.
std::vector<int> ItemNumbers(std::uint64_t mask);

// Which of the four lists above a finding belongs to.
enum class FindingKind {
  kCriterionMet,
  kCriterionNotMet,
  kHighHarmIndicator,
  kPrompt,
};

// Receives findings as they are rendered. The views are valid only during
// the call: a sink copies what it keeps.
class FindingSink {
 public:
  virtual void Add(FindingKind kind, std::string_view id,
                   std::string_view reason, std::span<const int> items) = 0;

 protected:
  ~FindingSink() = default;
};

// Renders every finding of `score` into `sink` in one pass: the criteria
// met, the criteria not met, the high-harm indicators, then the prompts,
// each in the order (and with the text) of its Describe* list above. For
// callers that write findings straight into their own output, without a
// vector of strings in between.
void DescribeFindings(const RiskScore& score, FindingSink& sink);

}  // namespace marac

#endif  // MARAC_ASSESS_SCORE_H_
