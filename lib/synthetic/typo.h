// One typing slip, shared by the synthetic generators: two adjacent
// letters swapped, or one dropped (names shorter than four letters stay).
#ifndef MARAC_SYNTHETIC_TYPO_H_
#define MARAC_SYNTHETIC_TYPO_H_

#include <string>
#include <utility>

#include "lib/synthetic/synthetic_assessments.h"

namespace marac {

inline std::string Typo(std::string s, SplitMix64& rng) {
  if (s.size() < 4) return s;
  const std::size_t at = 1 + rng.Below(s.size() - 2);
  if (rng.Uniform() < 0.5) {
    std::swap(s[at], s[at + 1]);
  } else {
    s.erase(at, 1);
  }
  return s;
}

}  // namespace marac

#endif  // MARAC_SYNTHETIC_TYPO_H_
