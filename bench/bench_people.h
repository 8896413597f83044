// What the identity benches share: records held out of an invented
// population to be added or resolved one at a time, and the exact-key
// baseline's key.
#ifndef MARAC_BENCH_BENCH_PEOPLE_H_
#define MARAC_BENCH_BENCH_PEOPLE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "lib/synthetic/synthetic_people.h"
#include "marac/identity/compare.h"

namespace marac {

struct HeldOut {
  std::vector<PersonRecord> kept;   // In the population from the start.
  std::vector<PersonRecord> later;  // Added one at a time.
};

// The last record of `count` people, spread over the population rather
// than its first people, held out (about a third of them return, the rest
// are new).
inline HeldOut HoldOutLastRecords(const SyntheticPopulation& people,
                                  std::size_t count) {
  std::map<std::uint32_t, std::size_t> last;
  for (std::size_t i = 0; i < people.records.size(); ++i) {
    last[people.person[i]] = i;
  }
  std::set<std::size_t> held;
  const std::size_t step = std::max<std::size_t>(1, last.size() / count);
  std::size_t k = 0;
  for (const auto& [person, i] : last) {
    if (k++ % step == 0 && held.size() < count) held.insert(i);
  }
  HeldOut out;
  for (std::size_t i = 0; i < people.records.size(); ++i) {
    (held.contains(i) ? out.later : out.kept).push_back(people.records[i]);
  }
  return out;
}

// The baselines' exact key: normalised given and family names, and the
// date of birth as recorded.
inline std::string ExactNameDobKey(const PersonRecord& r) {
  return NormaliseName(r.given_name) + "|" + NormaliseName(r.family_name) +
         "|" + r.dob;
}

}  // namespace marac

#endif  // MARAC_BENCH_BENCH_PEOPLE_H_
