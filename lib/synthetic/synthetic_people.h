// Seeded synthetic people and their records, with ground truth, for the
// demo, tests and benchmarks of identity resolution. Everyone is invented:
// names are drawn at random from common given names and surnames and paired
// with random dates and made-up postcodes, so no record describes anyone.
// Records of one person vary as they do between police, IDVA and refuge
// systems: nicknames, typos, a new surname, swapped or missing dates, a move.
#ifndef MARAC_SYNTHETIC_SYNTHETIC_PEOPLE_H_
#define MARAC_SYNTHETIC_SYNTHETIC_PEOPLE_H_

#include <cstdint>
#include <vector>

#include "marac/identity/person_record.h"

namespace marac {

struct SyntheticPopulation {
  std::vector<PersonRecord> records;
  std::vector<std::uint32_t>
      person;  // Ground truth: the person of each record.
  std::uint32_t person_count = 0;
};

struct SyntheticPeopleOptions {
  double repeat_share = 0.3;  // People with more than one record.
  double variant_rate = 1.0;  // Scales every variation's probability.
};

SyntheticPopulation SyntheticPeople(std::size_t people, std::uint64_t seed,
                                    const SyntheticPeopleOptions& options = {});

}  // namespace marac

#endif  // MARAC_SYNTHETIC_SYNTHETIC_PEOPLE_H_
