#include "lib/synthetic/synthetic_people.h"

#include <cstdio>
#include <string>

#include "lib/synthetic/invented_names.h"
#include "lib/synthetic/synthetic_assessments.h"
#include "lib/synthetic/typo.h"

namespace marac {
namespace {

struct GivenName {
  const char* name;
  const char* nickname;  // "" when none.
  bool female;
};
constexpr GivenName kGiven[] = {
    {"Elizabeth", "Liz", true},
    {"Rebecca", "Becky", true},
    {"Samantha", "Sam", true},
    {"Victoria", "Vicky", true},
    {"Karen", "Kaz", true},
    {"Sharon", "Shaz", true},
    {"Jacqueline", "Jackie", true},
    {"Natasha", "Tash", true},
    {"Charlotte", "Lottie", true},
    {"Stephanie", "Steph", true},
    {"Gemma", "", true},
    {"Aisha", "", true},
    {"Chloe", "", true},
    {"Priya", "", true},
    {"Joanne", "Jo", true},
    {"Margaret", "Maggie", true},
    {"Katherine", "Kate", true},
    {"Deborah", "Debbie", true},
    {"Siobhan", "", true},
    {"Amina", "", true},
    {"Gary", "Gaz", false},
    {"Darren", "Daz", false},
    {"Michael", "Mick", false},
    {"Anthony", "Tony", false},
    {"Christopher", "Chris", false},
    {"Daniel", "Danny", false},
    {"James", "Jim", false},
    {"William", "Bill", false},
    {"Stephen", "Steve", false},
    {"Matthew", "Matt", false},
    {"Mohammed", "Mo", false},
    {"Kieran", "", false},
    {"Wayne", "", false},
    {"Lee", "", false},
    {"Craig", "", false},
    {"Terence", "Terry", false},
    {"Edward", "Ted", false},
    {"Derek", "Del", false},
    {"Ryan", "", false},
    {"Imran", "", false},
    {"Abigail", "", true},
    {"Bethany", "", true},
    {"Caitlin", "", true},
    {"Danielle", "", true},
    {"Eleanor", "", true},
    {"Fiona", "", true},
    {"Georgia", "", true},
    {"Hannah", "", true},
    {"Isla", "", true},
    {"Jasmine", "", true},
    {"Kirsty", "", true},
    {"Laura", "", true},
    {"Megan", "", true},
    {"Nadia", "", true},
    {"Olivia", "", true},
    {"Paige", "", true},
    {"Rachel", "", true},
    {"Sophie", "", true},
    {"Tara", "", true},
    {"Zara", "", true},
    {"Leanne", "", true},
    {"Kelly", "", true},
    {"Nicola", "", true},
    {"Amy", "", true},
    {"Lucy", "", true},
    {"Holly", "", true},
    {"Yasmin", "", true},
    {"Shannon", "", true},
    {"Naomi", "", true},
    {"Ruth", "", true},
    {"Aaron", "", false},
    {"Ben", "", false},
    {"Callum", "", false},
    {"Dean", "", false},
    {"Ethan", "", false},
    {"Fraser", "", false},
    {"George", "", false},
    {"Harry", "", false},
    {"Ian", "", false},
    {"Jordan", "", false},
    {"Kyle", "", false},
    {"Liam", "", false},
    {"Nathan", "", false},
    {"Owen", "", false},
    {"Paul", "", false},
    {"Reece", "", false},
    {"Scott", "", false},
    {"Tom", "", false},
    {"Usman", "", false},
    {"Adam", "", false},
    {"Bilal", "", false},
    {"Connor", "", false},
    {"Dylan", "", false},
    {"Jamie", "", false},
    {"Luke", "", false},
    {"Mark", "", false},
    {"Neil", "", false},
    {"Rhys", "", false},
    {"Sean", "", false},
    {"Tariq", "", false},
};
constexpr const char* kFamily[] = {
    "Smith",   "Jones",    "Taylor",   "Brown",    "Williams", "Wilson",
    "Johnson", "Davies",   "Patel",    "Robinson", "Wright",   "Thompson",
    "Evans",   "Walker",   "White",    "Roberts",  "Green",    "Hall",
    "Wood",    "Jackson",  "Clarke",   "Khan",     "Hughes",   "Edwards",
    "Hill",    "Moore",    "Clark",    "Harrison", "Scott",    "Young",
    "Morris",  "Hussain",  "Carter",   "Begum",    "Lewis",    "Ahmed",
    "Kelly",   "Bailey",   "Cooper",   "Ward",     "Marlowe",  "Fenwick",
    "Okonkwo", "Brannagh", "Quennell", "Tallis",   "Pelham",   "Ashby",
    "Dacre",   "Ellery",   "Gaunt",    "Hollis",   "Ireton",   "Kowalski",
};
constexpr const char* kStreetEnd[] = {"Road",   "Street", "Close",    "Lane",
                                      "Avenue", "Grove",  "Crescent", "Way"};

constexpr const char* kAreas[] = {"LS", "M", "B",  "BS", "NE", "CF",
                                  "L",  "S", "SW", "E",  "N",  "TQ"};
constexpr const char* kSources[] = {"police", "idva", "refuge", "housing"};
constexpr char kLetters[] = "ABDEFGHJLNPQRSTUWXYZ";

std::string Postcode(SplitMix64& rng) {
  std::string p = kAreas[rng.Below(std::size(kAreas))];
  p += std::to_string(1 + rng.Below(20));
  p += ' ';
  p += static_cast<char>('0' + rng.Below(10));
  p += kLetters[rng.Below(sizeof kLetters - 1)];
  p += kLetters[rng.Below(sizeof kLetters - 1)];
  return p;
}

// A surname: one of the common ones a third of the time, otherwise an
// invented one.
std::string FamilyName(SplitMix64& rng) {
  if (rng.Uniform() < 0.35) return kFamily[rng.Below(std::size(kFamily))];
  return std::string(
             kInventedNameStart[rng.Below(std::size(kInventedNameStart))]) +
         kInventedNameEnd[rng.Below(std::size(kInventedNameEnd))];
}

std::string AddressLine(SplitMix64& rng) {
  return std::to_string(1 + rng.Below(120)) + " " +
         kInventedNameStart[rng.Below(std::size(kInventedNameStart))] +
         kInventedNameEnd[rng.Below(std::size(kInventedNameEnd))] + " " +
         kStreetEnd[rng.Below(std::size(kStreetEnd))];
}

// A given name of one sex, uniformly among that sex's names.
const GivenName& GivenOfSex(SplitMix64& rng, bool female) {
  std::uint64_t count = 0;
  for (const GivenName& g : kGiven) count += g.female == female;
  std::uint64_t k = rng.Below(count);
  for (const GivenName& g : kGiven) {
    if (g.female != female) continue;
    if (k-- == 0) return g;
  }
  return kGiven[0];  // Not reached: k < count, and both sexes have names.
}

}  // namespace

SyntheticPopulation SyntheticPeople(std::size_t people, std::uint64_t seed,
                                    const SyntheticPeopleOptions& options) {
  SplitMix64 rng(seed);
  SyntheticPopulation out;
  const double v = options.variant_rate;
  for (std::uint32_t p = 0; p < people; ++p) {
    const bool chosen = p < options.traits.size();
    const GivenName& given = chosen ? GivenOfSex(rng, options.traits[p].female)
                                    : kGiven[rng.Below(std::size(kGiven))];
    const std::string family = FamilyName(rng);
    const Date dob = chosen
                         ? options.traits[p].dob
                         : Date{1950, 1, 1}.AddDays(
                               static_cast<std::int64_t>(rng.Below(365 * 55)));
    const std::string postcode = Postcode(rng);
    const std::string address = AddressLine(rng);
    const bool victim =
        given.female ? rng.Uniform() < 0.9 : rng.Uniform() < 0.2;
    std::size_t count = 1;
    if (rng.Uniform() < options.repeat_share) {
      count = 2;
      while (count < 6 && rng.Uniform() < 0.4) ++count;
    }
    const std::string new_family = FamilyName(rng);
    for (std::size_t k = 0; k < count; ++k) {
      PersonRecord r;
      char id[32];
      std::snprintf(id, sizeof id, "R%06zu", out.records.size() + 1);
      r.record_id = id;
      r.source = kSources[rng.Below(std::size(kSources))];
      r.role = victim ? Role::kVictim : Role::kPerpetrator;
      r.gender = given.female ? "f" : "m";
      r.given_name = given.name;
      r.family_name = family;
      r.dob = dob.ToString();
      r.postcode = postcode;
      r.address_line = address;
      if (k > 0) {  // Later records drift from the first.
        if (given.nickname[0] != '\0' && rng.Uniform() < 0.2 * v) {
          r.given_name = given.nickname;
        }
        if (rng.Uniform() < 0.1 * v) r.family_name = Typo(r.family_name, rng);
        if (given.female && rng.Uniform() < 0.08 * v) {
          r.previous_family_names = {family};
          r.family_name = new_family;
        }
        const double d = rng.Uniform();
        if (d < 0.05 * v && dob.day <= 12) {
          r.dob = Date{dob.year, dob.day, dob.month}.ToString();
        } else if (d < 0.10 * v) {
          r.dob[static_cast<std::size_t>(9)] =
              static_cast<char>('0' + rng.Below(10));
          if (!Date::Parse("dob", r.dob).ok()) r.dob = dob.ToString();
        } else if (d < 0.18 * v) {
          r.dob.clear();
        }
        const double m = rng.Uniform();
        if (m < 0.15 * v) {  // Moved.
          r.postcode = Postcode(rng);
          r.address_line = AddressLine(rng);
        } else if (m < 0.25 * v) {
          r.postcode.clear();
        } else if (m < 0.40 * v) {
          r.address_line.clear();  // Not taken down.
        }
      }
      out.records.push_back(std::move(r));
      out.person.push_back(p);
    }
  }
  out.person_count = static_cast<std::uint32_t>(people);
  return out;
}

}  // namespace marac
