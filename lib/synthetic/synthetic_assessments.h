// Seeded synthetic assessments for the demo, tests and benchmarks. Every
// person here is invented: there are no names, only generated case ids.
// The same count and seed give the same assessments on every platform (the
// generator uses its own PRNG and arithmetic, not <random>'s distributions).
#ifndef MARAC_SYNTHETIC_SYNTHETIC_ASSESSMENTS_H_
#define MARAC_SYNTHETIC_SYNTHETIC_ASSESSMENTS_H_

#include <cstdint>
#include <string>
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

struct SyntheticAssessment {
  std::string assessment_id;
  std::string instrument;  // An id of InstrumentSet::BuiltIn().
  Date completed_on;
  std::vector<std::pair<int, Answer>> answers;  // Asked items only.
  CaseHistory history;
};

struct SyntheticOptions {
  // Share of each instrument; the rest of the mass goes to s-dash.
  double ric_share = 0.6;
  double police_share = 0.3;
  Date first_day{2026, 1, 1};
  int days = 300;  // Completion dates spread over this many days.
};

// `count` assessments from `seed`, with a realistic spread: a latent risk per
// case drives every answer, so yes-counts cluster as in practice (most
// standard, some medium, a minority high); a few answers are not known and a
// few questions are not asked; some cases carry a judgement referral, an
// incident count or an earlier MARAC referral.
std::vector<SyntheticAssessment> SyntheticAssessments(
    std::size_t count, std::uint64_t seed,
    const SyntheticOptions& options = {});

// The assessment as one line of `marac score` input (no newline).
std::string ToJsonLine(const SyntheticAssessment& assessment);

// Builds the checklist for `assessment` from the built-in instruments.
Result<Checklist> ToChecklist(const SyntheticAssessment& assessment);

}  // namespace marac

#endif  // MARAC_SYNTHETIC_SYNTHETIC_ASSESSMENTS_H_
