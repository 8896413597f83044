// Seeded synthetic assessments for the demo, tests and benchmarks. Every
// person here is invented: there are no names, only generated case ids.
// The same count and seed give the same assessments on every platform (the
// generator uses its own PRNG and arithmetic, not <random>'s distributions).
#ifndef MARAC_SYNTHETIC_SYNTHETIC_ASSESSMENTS_H_
#define MARAC_SYNTHETIC_SYNTHETIC_ASSESSMENTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "marac/assess/checklist.h"
#include "marac/assess/score.h"
#include "marac/common/date.h"

namespace marac {

// A small, fast, seedable generator (SplitMix64).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next();
  // Uniform in [0, 1).
  double Uniform();
  // Uniform in [0, n).
  std::uint64_t Below(std::uint64_t n);
  // Standard normal (Box-Muller).
  double Normal();

 private:
  std::uint64_t state_;
};

// A value by cumulative share: the first whose share the draw falls under
// (the last when the shares sum below 1).
template <std::size_t N>
const char* Weighted(SplitMix64& rng,
                     const std::pair<const char*, double> (&shares)[N]) {
  double draw = rng.Uniform();
  for (const auto& [value, share] : shares) {
    if (draw < share) return value;
    draw -= share;
  }
  return shares[N - 1].first;
}

struct SyntheticAssessment {
  std::string assessment_id;
  std::string instrument;  // An id of InstrumentSet::BuiltIn().
  Date completed_on;
  std::vector<std::pair<int, Answer>> answers;  // Asked items only.
  CaseHistory history;
};

// Who an assessment is about, so that its answers fit the person: no
// pregnancy for a man or a woman of 60, no dispute over child contact in a
// household without children.
struct AssessedPerson {
  bool female = true;
  int age = 30;         // At the incident.
  int children = 0;     // Under-18s in the household.
  bool partner = true;  // The perpetrator is a partner or ex-partner, not
                        // a relative.
};

// A victim's age drawn in bands shaped like MARAC caseloads: 1.5% aged 16
// or 17, most 18 to 44, a few over 65 (up to 84).
int SyntheticVictimAge(SplitMix64& rng);
// Children under 18 in the household of a victim aged `age`: none for most
// teenagers and people over 55, one to four for most aged 25 to 44.
int SyntheticChildren(SplitMix64& rng, int age);

// Whether the item with indicator `key` can be "yes" for `person`:
// pregnancy or a new baby only for a woman aged 16 to 45; disputes over
// child contact only between partners with children; the police form's
// dependants and harm or threats to them only with children in the
// household; sexual abuse only by a partner. Every other key can.
bool ItemApplies(std::string_view key, const AssessedPerson& person);

// The answers to `instrument` in a case of latent risk `risk` (a standard
// normal draw: higher, more yes answers), spread as SyntheticAssessments
// spreads them; an item that cannot apply to `person` is answered no.
std::vector<std::pair<int, Answer>> SyntheticAnswers(
    const Instrument& instrument, double risk, const AssessedPerson& person,
    SplitMix64& rng);

struct SyntheticOptions {
  // Share of each instrument; the rest of the mass goes to s-dash.
  double ric_share = 0.6;
  double police_share = 0.3;
  Date first_day{2026, 1, 1};
  int days = 300;  // Completion dates spread over this many days.
  // Each assessment is about an invented victim (93% women, of the ages
  // MARAC victims have, some with children): the answers fit the person
  // (ItemApplies) and the history records the victim's age and children.
  // Off: answers ignore who the victim is, as benchmarks want.
  bool with_person = false;
};

// `count` assessments from `seed`, with a realistic spread: a latent risk per
// case drives every answer, so yes-counts cluster as in practice (most
// standard, some medium, a minority high); a few answers are not known and a
// few questions are not asked; some cases carry a judgement referral, an
// incident count or an earlier MARAC referral. The same count, seed and
// options give the same assessments.
std::vector<SyntheticAssessment> SyntheticAssessments(
    std::size_t count, std::uint64_t seed,
    const SyntheticOptions& options = {});

// The assessment as one line of `marac score` input (no newline).
std::string ToJsonLine(const SyntheticAssessment& assessment);

// Builds the checklist for `assessment` from the built-in instruments.
Result<Checklist> ToChecklist(const SyntheticAssessment& assessment);

}  // namespace marac

#endif  // MARAC_SYNTHETIC_SYNTHETIC_ASSESSMENTS_H_
