// Seeded synthetic people living in households, with the structures that
// make domestic-abuse records hard to resolve (linkage.md 7a): couples at one
// address (about half sharing a surname), couples whose given names share a
// short form (Sam), twins, a parent and child with the same full name,
// siblings, housemates, refuges, flats in one building and very common full
// names concentrated in one town. Ground truth comes with the records: the
// person of each record and, by kind, the pairs of different people that a
// linker could mistake for one person. Everyone is invented: names, dates of
// birth, streets, towns and postcodes are drawn at random.
//
//   const HouseholdPopulation p = SyntheticHouseholds(20'000, 7);
//   // p.records[i] belongs to person p.person[i]; p.confusable lists, e.g.,
//   // {.a = 12, .b = 13, .kind = ConfusableKind::kTwins}.
//
// A person's first record in `records` is their clean one; their later
// records drift from it as records do between police, IDVA, refuge, housing,
// health and children's services systems: nicknames, typos, a new surname,
// swapped, mistyped, placeholder or missing dates of birth, moves, missing
// fields and formatting. Pure: the same count, seed and options give the same
// population on every platform (own PRNG, no <random> distributions).
#ifndef MARAC_SYNTHETIC_SYNTHETIC_HOUSEHOLDS_H_
#define MARAC_SYNTHETIC_SYNTHETIC_HOUSEHOLDS_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "marac/identity/person_record.h"

namespace marac {

// Why two different people look alike.
enum class ConfusableKind : std::uint8_t {
  kCouple,           // Cohabiting partners (about half share a surname), or a
                     // serial perpetrator and a later partner elsewhere.
  kSharedShortName,  // A couple whose given names share a short form
                     // (Samantha and Samuel, both "Sam").
  kTwins,            // Same surname, date of birth and address; different
                     // given names (some near: Jack and Jake).
  kParentChild,      // Sr and Jr: same full name at one address, born 20-30
                     // years apart.
  kSiblings,         // Same surname and address, different dates of birth.
  kHousemates,       // Unrelated adults at one address.
  kRefuge,           // Unrelated women at one refuge address over the year.
  kMultiOccupancy,   // People in different flats of one street address.
  kCommonName,       // Same given and family name, different people, one
                     // town.
};
inline constexpr int kConfusableKindCount = 9;

// "couple", "shared_short_name", "twins", "parent_child", "siblings",
// "housemates", "refuge", "multi_occupancy" or "common_name".
std::string_view ConfusableKindName(ConfusableKind kind);

// Two different people who could be taken for one.
struct ConfusablePair {
  std::uint32_t a = 0;  // Person indices (ground truth ids), a < b.
  std::uint32_t b = 0;
  ConfusableKind kind = ConfusableKind::kCouple;
};

struct HouseholdOptions {
  // Scales every record variation's probability (0: later records repeat
  // the first, except where the person really lived elsewhere).
  double variant_rate = 1.0;
  double missing_role_share = 0.06;  // Records with Role::kUnknown.
};

struct HouseholdPopulation {
  // In a seeded random order, ids "H0000001", "H0000002"... in that order.
  // A person's first record here is their clean one.
  std::vector<PersonRecord> records;
  std::vector<std::uint32_t> person;  // Ground truth: the person of each
                                      // record, in [0, person_count).
  std::uint32_t person_count = 0;
  // Each person's true role, kVictim or kPerpetrator. A few people (about
  // 0.5%, as in counter-allegations) have records in both roles; this is
  // the role of their first record.
  std::vector<Role> person_role;
  // Pairs of different people, sorted by (a, b), one entry per pair: when a
  // pair is of more than one kind, the kind listed first in ConfusableKind.
  // Every pair of people whose first records agree on given name, family
  // name and town, by design or by chance, is here (as kCommonName unless
  // of an earlier kind, such as kParentChild).
  std::vector<ConfusablePair> confusable;
};

// Exactly `people` invented people, in households, with their records: per
// 20,000 people about 43,000 records (55% of people with one record, up to
// 8), 3,600 couples, 30 couples sharing a short name, 60 twins, 60 Sr/Jr,
// a few hundred sibling and housemate pairs, 10 refuges, 200 buildings of
// flats and 10 groups of about 50 people with one common full name in one
// town. Counts scale linearly with `people`; small populations may lack some
// structures. Record ids have 7 digits up to 9,999,999 records.
HouseholdPopulation SyntheticHouseholds(std::size_t people, std::uint64_t seed,
                                        const HouseholdOptions& options = {});

}  // namespace marac

#endif  // MARAC_SYNTHETIC_SYNTHETIC_HOUSEHOLDS_H_
