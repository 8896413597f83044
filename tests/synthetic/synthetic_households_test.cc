#include "lib/synthetic/synthetic_households.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "marac/common/date.h"

namespace marac {
namespace {

constexpr std::size_t kPeople = 20'000;
constexpr std::uint64_t kSeed = 20261201;

// The first (clean) record of each person.
std::vector<const PersonRecord*> FirstRecords(const HouseholdPopulation& p) {
  std::vector<const PersonRecord*> first(p.person_count, nullptr);
  for (std::size_t i = 0; i < p.records.size(); ++i) {
    if (first[p.person[i]] == nullptr) first[p.person[i]] = &p.records[i];
  }
  return first;
}

auto Fields(const PersonRecord& r) {
  return std::tie(r.record_id, r.source, r.given_name, r.middle_name,
                  r.family_name, r.previous_family_names, r.dob, r.gender,
                  r.postcode, r.address_line, r.town, r.email, r.other_id,
                  r.role, r.incident_id, r.trusted_id);
}

auto Fields(const ConfusablePair& p) { return std::tie(p.a, p.b, p.kind); }

int Year(const std::string& dob) { return std::atoi(dob.substr(0, 4).c_str()); }

TEST(SyntheticHouseholdsTest, SameSeedSameOutputOtherSeedDiffers) {
  const HouseholdPopulation a = SyntheticHouseholds(2000, 7);
  const HouseholdPopulation b = SyntheticHouseholds(2000, 7);
  ASSERT_EQ(a.records.size(), b.records.size());
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    ASSERT_TRUE(Fields(a.records[i]) == Fields(b.records[i])) << i;
  }
  EXPECT_EQ(a.person, b.person);
  EXPECT_EQ(a.person_role, b.person_role);
  ASSERT_EQ(a.confusable.size(), b.confusable.size());
  for (std::size_t i = 0; i < a.confusable.size(); ++i) {
    ASSERT_TRUE(Fields(a.confusable[i]) == Fields(b.confusable[i])) << i;
  }
  const HouseholdPopulation c = SyntheticHouseholds(2000, 8);
  std::size_t same = 0;
  for (std::size_t i = 0; i < std::min(a.records.size(), c.records.size());
       ++i) {
    same += Fields(a.records[i]) == Fields(c.records[i]);
  }
  EXPECT_EQ(same, 0u);
}

struct SizeCase {
  const char* label;
  std::size_t people;
};
constexpr SizeCase kSizes[] = {
    {"None", 0}, {"One", 1}, {"Two", 2}, {"Few", 37}, {"Town", 3000},
};

TEST(SyntheticHouseholdsTest, ExactlyThePeopleAskedForWithValidRecords) {
  for (const SizeCase& c : kSizes) {
    SCOPED_TRACE(c.label);
    const HouseholdPopulation p = SyntheticHouseholds(c.people, 11);
    EXPECT_EQ(p.person_count, c.people);
    ASSERT_EQ(p.person.size(), p.records.size());
    ASSERT_EQ(p.person_role.size(), c.people);
    std::vector<int> records_of(c.people, 0);
    for (std::size_t i = 0; i < p.records.size(); ++i) {
      ASSERT_LT(p.person[i], c.people);
      ++records_of[p.person[i]];
      const PersonRecord& r = p.records[i];
      char id[32];
      std::snprintf(id, sizeof id, "H%07zu", i + 1);
      EXPECT_EQ(r.record_id, id);
      EXPECT_TRUE(r.dob.empty() || Date::Parse("dob", r.dob).ok()) << r.dob;
      EXPECT_TRUE(r.email.empty() && r.other_id.empty() &&
                  r.trusted_id.empty());
    }
    for (std::size_t person = 0; person < c.people; ++person) {
      EXPECT_GE(records_of[person], 1) << person;
      EXPECT_LE(records_of[person], 8) << person;
      EXPECT_NE(p.person_role[person], Role::kUnknown) << person;
    }
    for (std::size_t i = 0; i < p.confusable.size(); ++i) {
      const ConfusablePair& pair = p.confusable[i];
      EXPECT_LT(pair.a, pair.b);
      EXPECT_LT(pair.b, c.people);
      if (i > 0) {
        const ConfusablePair& before = p.confusable[i - 1];
        EXPECT_LT(std::tie(before.a, before.b), std::tie(pair.a, pair.b));
      }
    }
  }
}

struct NameCase {
  ConfusableKind kind;
  const char* name;
};
constexpr NameCase kNames[] = {
    {ConfusableKind::kCouple, "couple"},
    {ConfusableKind::kSharedShortName, "shared_short_name"},
    {ConfusableKind::kTwins, "twins"},
    {ConfusableKind::kParentChild, "parent_child"},
    {ConfusableKind::kSiblings, "siblings"},
    {ConfusableKind::kHousemates, "housemates"},
    {ConfusableKind::kRefuge, "refuge"},
    {ConfusableKind::kMultiOccupancy, "multi_occupancy"},
    {ConfusableKind::kCommonName, "common_name"},
};
static_assert(std::size(kNames) == kConfusableKindCount);

TEST(SyntheticHouseholdsTest, KindNames) {
  for (const NameCase& c : kNames) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(ConfusableKindName(c.kind), c.name);
  }
}

// Pairs of each kind among 20,000 people: the proportions the generator
// aims at, with room for chance.
struct CountCase {
  ConfusableKind kind;
  std::size_t min;
  std::size_t max;
};
constexpr CountCase kCounts[] = {
    {ConfusableKind::kCouple, 3'300, 4'200},
    {ConfusableKind::kSharedShortName, 10, 60},
    {ConfusableKind::kTwins, 40, 80},
    {ConfusableKind::kParentChild, 40, 80},
    {ConfusableKind::kSiblings, 150, 500},
    {ConfusableKind::kHousemates, 150, 600},
    {ConfusableKind::kRefuge, 200, 800},
    {ConfusableKind::kMultiOccupancy, 300, 5'000},
    {ConfusableKind::kCommonName, 6'000, 20'000},
};

TEST(SyntheticHouseholdsTest, EveryKindOfConfusablePairAtTwentyThousand) {
  const HouseholdPopulation p = SyntheticHouseholds(kPeople, kSeed);
  std::map<ConfusableKind, std::size_t> count;
  for (const ConfusablePair& pair : p.confusable) {
    ASSERT_LT(pair.a, pair.b);
    ASSERT_LT(pair.b, p.person_count);
    ++count[pair.kind];
  }
  for (const CountCase& c : kCounts) {
    SCOPED_TRACE(ConfusableKindName(c.kind));
    EXPECT_GE(count[c.kind], c.min);
    EXPECT_LE(count[c.kind], c.max);
  }
}

// What the clean records of a pair of each kind show: nullopt when the rule
// does not apply to the pair.
using Check = std::optional<bool> (*)(const PersonRecord& a,
                                      const PersonRecord& b, Role role_a,
                                      Role role_b);
struct StructureCase {
  ConfusableKind kind;
  const char* rule;
  Check check;
  double min_share;  // Of the pairs the rule applies to.
};
constexpr StructureCase kStructures[] = {
    {ConfusableKind::kCouple, "with one surname, at one address",
     [](const PersonRecord& a, const PersonRecord& b, Role,
        Role) -> std::optional<bool> {
       if (a.family_name != b.family_name) return std::nullopt;
       return a.address_line == b.address_line;
     },
     0.7},
    {ConfusableKind::kCouple, "a victim and a perpetrator",
     [](const PersonRecord&, const PersonRecord&, Role x,
        Role y) -> std::optional<bool> { return x != y; },
     0.95},
    {ConfusableKind::kSharedShortName, "different given names",
     [](const PersonRecord& a, const PersonRecord& b, Role,
        Role) -> std::optional<bool> {
       return a.given_name != b.given_name && a.gender != b.gender;
     },
     1.0},
    {ConfusableKind::kTwins, "one surname, dob and address; two given names",
     [](const PersonRecord& a, const PersonRecord& b, Role,
        Role) -> std::optional<bool> {
       return a.family_name == b.family_name && a.dob == b.dob &&
              a.address_line == b.address_line && a.given_name != b.given_name;
     },
     1.0},
    {ConfusableKind::kParentChild, "one full name, born 20-30 years apart",
     [](const PersonRecord& a, const PersonRecord& b, Role,
        Role) -> std::optional<bool> {
       const int gap = std::abs(Year(a.dob) - Year(b.dob));
       return a.given_name == b.given_name && a.family_name == b.family_name &&
              a.gender == b.gender && a.address_line == b.address_line &&
              gap >= 20 && gap <= 30;
     },
     1.0},
    {ConfusableKind::kSiblings, "one surname and address, different dobs",
     [](const PersonRecord& a, const PersonRecord& b, Role,
        Role) -> std::optional<bool> {
       return a.family_name == b.family_name &&
              a.address_line == b.address_line && a.dob != b.dob &&
              a.given_name != b.given_name;
     },
     1.0},
    {ConfusableKind::kHousemates, "one address, different surnames",
     [](const PersonRecord& a, const PersonRecord& b, Role,
        Role) -> std::optional<bool> {
       return a.address_line == b.address_line &&
              a.family_name != b.family_name;
     },
     1.0},
    {ConfusableKind::kRefuge, "two women victims, different surnames",
     [](const PersonRecord& a, const PersonRecord& b, Role x,
        Role y) -> std::optional<bool> {
       return x == Role::kVictim && y == Role::kVictim && a.gender == "f" &&
              b.gender == "f" && a.family_name != b.family_name;
     },
     1.0},
    {ConfusableKind::kMultiOccupancy, "one postcode, different flats",
     [](const PersonRecord& a, const PersonRecord& b, Role,
        Role) -> std::optional<bool> {
       return a.postcode == b.postcode && a.address_line != b.address_line &&
              a.address_line.starts_with("Flat ") &&
              b.address_line.starts_with("Flat ");
     },
     1.0},
    {ConfusableKind::kCommonName, "one full name in one town",
     [](const PersonRecord& a, const PersonRecord& b, Role,
        Role) -> std::optional<bool> {
       return a.given_name == b.given_name && a.family_name == b.family_name &&
              a.town == b.town;
     },
     1.0},
};

TEST(SyntheticHouseholdsTest, ConfusablePairsShowTheirStructure) {
  const HouseholdPopulation p = SyntheticHouseholds(kPeople, kSeed);
  const std::vector<const PersonRecord*> first = FirstRecords(p);
  for (const StructureCase& c : kStructures) {
    SCOPED_TRACE(std::string(ConfusableKindName(c.kind)) + ": " + c.rule);
    std::size_t applies = 0, holds = 0;
    for (const ConfusablePair& pair : p.confusable) {
      if (pair.kind != c.kind) continue;
      const std::optional<bool> ok =
          c.check(*first[pair.a], *first[pair.b], p.person_role[pair.a],
                  p.person_role[pair.b]);
      if (!ok) continue;
      ++applies;
      holds += *ok;
    }
    ASSERT_GT(applies, 0u);
    EXPECT_GE(static_cast<double>(holds),
              c.min_share * static_cast<double>(applies))
        << holds << " of " << applies;
  }
}

TEST(SyntheticHouseholdsTest, RecordsPerPersonAndRoles) {
  const HouseholdPopulation p = SyntheticHouseholds(kPeople, kSeed);
  const double mean = static_cast<double>(p.records.size()) / p.person_count;
  EXPECT_GE(mean, 1.9);
  EXPECT_LE(mean, 2.4);
  std::vector<int> records_of(p.person_count, 0);
  std::vector<std::set<Role>> roles_of(p.person_count);
  std::size_t with_role = 0;
  for (std::size_t i = 0; i < p.records.size(); ++i) {
    ++records_of[p.person[i]];
    if (p.records[i].role != Role::kUnknown) {
      ++with_role;
      roles_of[p.person[i]].insert(p.records[i].role);
    }
  }
  std::size_t single = 0, dual = 0;
  for (std::uint32_t person = 0; person < p.person_count; ++person) {
    single += records_of[person] == 1;
    dual += roles_of[person].size() == 2;
  }
  EXPECT_GE(single, p.person_count * 45 / 100);
  EXPECT_LE(single, p.person_count * 65 / 100);
  EXPECT_GE(with_role, p.records.size() * 90 / 100);
  EXPECT_GT(dual, 0u) << "counter-allegations";
  EXPECT_LT(dual, p.person_count / 50);
  // A victim record and a perpetrator record from one household.
  const std::vector<const PersonRecord*> first = FirstRecords(p);
  std::size_t households = 0;
  for (const ConfusablePair& pair : p.confusable) {
    if (pair.kind != ConfusableKind::kCouple ||
        first[pair.a]->address_line != first[pair.b]->address_line) {
      continue;
    }
    households += (roles_of[pair.a].contains(Role::kVictim) &&
                   roles_of[pair.b].contains(Role::kPerpetrator)) ||
                  (roles_of[pair.a].contains(Role::kPerpetrator) &&
                   roles_of[pair.b].contains(Role::kVictim));
  }
  EXPECT_GT(households, 2'000u);
}

TEST(SyntheticHouseholdsTest, ASharedIncidentNamesPartners) {
  const HouseholdPopulation p = SyntheticHouseholds(kPeople, kSeed);
  std::map<std::string, std::vector<std::size_t>> by_incident;
  for (std::size_t i = 0; i < p.records.size(); ++i) {
    if (!p.records[i].incident_id.empty()) {
      by_incident[p.records[i].incident_id].push_back(i);
    }
  }
  std::set<std::pair<std::uint32_t, std::uint32_t>> partners;
  for (const ConfusablePair& pair : p.confusable) {
    if (pair.kind == ConfusableKind::kCouple ||
        pair.kind == ConfusableKind::kSharedShortName) {
      partners.emplace(pair.a, pair.b);
    }
  }
  std::size_t shared = 0;
  for (const auto& [incident, records] : by_incident) {
    SCOPED_TRACE(incident);
    ASSERT_LE(records.size(), 2u);
    if (records.size() < 2) continue;
    ++shared;
    const std::uint32_t a = p.person[records[0]];
    const std::uint32_t b = p.person[records[1]];
    EXPECT_TRUE(partners.contains({std::min(a, b), std::max(a, b)}));
    EXPECT_EQ(p.records[records[0]].source, "police");
    EXPECT_EQ(p.records[records[1]].source, "police");
  }
  EXPECT_GT(shared, 500u);
  EXPECT_LT(by_incident.size(), p.records.size() / 2) << "most have none";
}

// Later records drift from the first only as often as variant_rate says.
struct VariantCase {
  const char* label;
  double variant_rate;
  bool drift;
};
constexpr VariantCase kVariants[] = {
    {"Clean", 0.0, false},
    {"Usual", 1.0, true},
};

TEST(SyntheticHouseholdsTest, LaterRecordsDriftWithVariantRate) {
  for (const VariantCase& c : kVariants) {
    SCOPED_TRACE(c.label);
    const HouseholdPopulation p =
        SyntheticHouseholds(3000, 5, {.variant_rate = c.variant_rate});
    const std::vector<const PersonRecord*> first = FirstRecords(p);
    std::size_t given = 0, family = 0, dob = 0, gender = 0;
    for (std::size_t i = 0; i < p.records.size(); ++i) {
      const PersonRecord& r = p.records[i];
      const PersonRecord& f = *first[p.person[i]];
      given += r.given_name != f.given_name;
      family += r.family_name != f.family_name;
      dob += r.dob != f.dob;
      gender += r.gender != f.gender;
    }
    EXPECT_EQ(given > 0, c.drift) << given;
    EXPECT_EQ(family > 0, c.drift) << family;
    EXPECT_EQ(dob > 0, c.drift) << dob;
    EXPECT_EQ(gender > 0, c.drift) << gender;
  }
}

}  // namespace
}  // namespace marac
