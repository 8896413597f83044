// The scoring policy: grade bands per instrument, the referral criteria's
// counts and windows, and when to prompt for professional judgement. A value
// that a local service can configure and version; every result names the
// policy version it used.
//
//   Result<ScoringPolicy> p = ScoringPolicy::FromJson(text);  // local policy
//   ScoringPolicy q = ScoringPolicy::Default();
//   q.instruments["safelives-ric"].high_min = 12;  // a stricter area
//
// The defaults are those of docs/scoring.md: SafeLives' bands for the RIC
// (standard < 10 <= medium < 14 <= high), the same bands for the police form
// (no count threshold is published for it), S-DASH not graded.
#ifndef MARAC_ASSESS_POLICY_H_
#define MARAC_ASSESS_POLICY_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/result.h"

namespace marac {

// How one instrument's yes-count becomes a grade.
struct GradeBands {
  bool graded = true;   // false: grade is not_graded whatever the count.
  int medium_min = 10;  // medium at or above, below high_min.
  int high_min = 14;    // high ("visible high risk") at or above.
  // Fewer questions than this answered yes or no flags the assessment
  // incomplete: a standard grade is then withheld (not_graded).
  int min_answered = 18;

  friend bool operator==(const GradeBands&, const GradeBands&) = default;
};

// A safeguarding prompt: raised when any one of its conditions holds, with
// the advice to give in words. Prompts never change a grade or a referral:
// they say what else the practitioner should consider. Rules are data; a
// local policy may change, add or remove any (docs/scoring.md).
struct SafeguardingRule {
  std::string id;      // "safeguarding_children"; [a-z0-9_], unique.
  std::string advice;  // What to consider, for the practitioner.
  // True when no national source fixes the rule: the reason says so.
  bool local_policy = false;
  // Conditions, any one of which raises the prompt (each off when empty or
  // zero):
  std::vector<std::string> items_yes;  // Item keys: any answered yes.
  // Item keys answered yes while the household has children.
  std::vector<std::string> items_yes_with_children;
  // On these instruments, at least `min_yes` yes answers.
  std::vector<std::string> min_yes_instruments;
  int min_yes = 0;
  bool high_with_children = false;  // A high grade, children in the home.
  int victim_age_at_least = 0;      // The victim's age, when given.
  bool victim_disability = false;   // A disability recorded.
  // An honour-based abuse or forced-marriage concern recorded.
  bool hbv_concern = false;

  friend bool operator==(const SafeguardingRule&,
                         const SafeguardingRule&) = default;
};

// The shipped rules: safeguarding_children, stalking_service, suicide_risk,
// honour_based_abuse, adult_safeguarding (docs/scoring.md says which rest
// on a source and which are local policy).
std::vector<SafeguardingRule> DefaultSafeguardingRules();

struct ScoringPolicy {
  // Named in every result. Change it whenever a value below changes.
  std::string version = "marac-default-2026.3";
  // By instrument id. An instrument without an entry cannot be scored.
  std::map<std::string, GradeBands, std::less<>> instruments = {
      {"safelives-ric",
       {.graded = true, .medium_min = 10, .high_min = 14, .min_answered = 18}},
      {"police-dash-2009",
       {.graded = true, .medium_min = 10, .high_min = 14, .min_answered = 21}},
      {"s-dash",
       {.graded = false, .medium_min = 0, .high_min = 0, .min_answered = 9}},
      // Graded by the officer (Instrument::judgement_graded): the count
      // bands do not apply and nothing is counted.
      {"dara",
       {.graded = true, .medium_min = 1, .high_min = 2, .min_answered = 0}},
  };
  // potential_escalation: at least this many incidents (the current one
  // included) within the window before the incident.
  int escalation_incidents = 3;
  int escalation_window_months = 12;
  // repeat: an incident after the last MARAC referral and no later than
  // this many calendar months after it (end inclusive).
  int repeat_window_months = 12;
  // Raise the shown grade to high on a professional-judgement referral.
  bool raise_grade_on_judgement = false;
  // Below the high threshold, prompt "consider professional judgement" when
  // this many distinct high-harm indicators are present, or any one of
  // `judgement_prompt_tags`.
  int judgement_prompt_min_tags = 4;
  std::vector<std::string> judgement_prompt_tags = {"strangulation",
                                                    "threat_to_kill", "weapon"};
  // Safeguarding prompts, in the order reported.
  std::vector<SafeguardingRule> safeguarding = DefaultSafeguardingRules();

  // The shipped defaults.
  static const ScoringPolicy& Default();
  // Parses a "marac-policy/1" JSON document (docs/scoring.md). Keys left out
  // keep their defaults; unknown keys, wrong types and inconsistent bands are
  // kInvalidArgument naming the field, e.g.
  // "instruments.safelives-ric.high_min: must be above medium_min (10)".
  static Result<ScoringPolicy> FromJson(std::string_view json_text);
  // Checks the invariants FromJson enforces, for a policy built in code.
  Status Validate() const;
  // The policy as "marac-policy/1" JSON (round-trips through FromJson).
  std::string ToJson() const;
};

}  // namespace marac

#endif  // MARAC_ASSESS_POLICY_H_
