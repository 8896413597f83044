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

#include "marac/common/date.h"
#include "marac/identity/person_record.h"

namespace marac {

// Who one person is, when the caller decides it (the borough's victims are
// mostly women, of ages MARAC cases have).
struct PersonTraits {
  bool female = true;
  Date dob;
};

struct SyntheticPopulation {
  std::vector<PersonRecord> records;
  std::vector<std::uint32_t>
      person;  // Ground truth: the person of each record.
  std::uint32_t person_count = 0;
};

struct SyntheticPeopleOptions {
  double repeat_share = 0.3;  // People with more than one record.
  double variant_rate = 1.0;  // Scales every variation's probability.
  // Empty: each person's sex and date of birth are drawn (a given name
  // from one list, births 1950 to 2004). Otherwise one entry per person:
  // a given name of that sex is drawn, and the date of birth is this one.
  std::vector<PersonTraits> traits = {};
};

SyntheticPopulation SyntheticPeople(std::size_t people, std::uint64_t seed,
                                    const SyntheticPeopleOptions& options = {});

}  // namespace marac

#endif  // MARAC_SYNTHETIC_SYNTHETIC_PEOPLE_H_
