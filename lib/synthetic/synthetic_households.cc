// The household population generator: couples, families, twins, refuges
// and the agency records each person leaves. Longer than 700 lines
// because most of it is data (name lists, the structures' proportions),
// kept beside the code that draws from it.
#include "lib/synthetic/synthetic_households.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <string>
#include <tuple>
#include <unordered_set>
#include <utility>

#include "lib/synthetic/invented_names.h"
#include "lib/synthetic/synthetic_assessments.h"
#include "lib/synthetic/typo.h"
#include "marac/common/date.h"

namespace marac {
namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFF;

// Structures per 20,000 people (scaled linearly, with random rounding).
constexpr double kCouples = 3600;
constexpr double kShortNameCouples = 30;
constexpr double kTwins = 60;
constexpr double kParentChild = 60;
constexpr double kSiblingGroups = 200;    // Of 2 or 3: about 300 pairs.
constexpr double kHousemateGroups = 150;  // Of 2 to 4: about 370 pairs.
constexpr double kRefuges = 10;
constexpr double kCommonNameGroups = 10;
// Refuge residents over the year. Every pair of them is confusable, so the
// size sets the pair count: 8-12 gives about 45 pairs a refuge.
constexpr int kRefugeMin = 8;
constexpr int kRefugeMax = 12;
constexpr double kFlatShare = 0.05;  // Households in a building of flats.

struct GivenName {
  const char* name;
  const char* nickname;  // "" when none.
  bool female;
};
// UK-typical given names, roughly the more common first within each gender.
constexpr GivenName kGiven[] = {{"Sarah", "", true},
                                {"Emma", "", true},
                                {"Claire", "", true},
                                {"Lisa", "", true},
                                {"Rebecca", "Becky", true},
                                {"Samantha", "Sam", true},
                                {"Laura", "", true},
                                {"Elizabeth", "Liz", true},
                                {"Victoria", "Vicky", true},
                                {"Jessica", "Jess", true},
                                {"Karen", "", true},
                                {"Michelle", "Shell", true},
                                {"Nicola", "Nicky", true},
                                {"Kelly", "", true},
                                {"Gemma", "", true},
                                {"Amy", "", true},
                                {"Stephanie", "Steph", true},
                                {"Charlotte", "Lottie", true},
                                {"Jennifer", "Jen", true},
                                {"Hannah", "", true},
                                {"Fatima", "", true},
                                {"Aisha", "", true},
                                {"Chloe", "", true},
                                {"Sophie", "", true},
                                {"Joanne", "Jo", true},
                                {"Danielle", "Dani", true},
                                {"Katherine", "Kate", true},
                                {"Natasha", "Tash", true},
                                {"Jacqueline", "Jackie", true},
                                {"Sharon", "", true},
                                {"Tracey", "", true},
                                {"Donna", "", true},
                                {"Leanne", "", true},
                                {"Stacey", "", true},
                                {"Jade", "", true},
                                {"Louise", "Lou", true},
                                {"Catherine", "Cathy", true},
                                {"Helen", "", true},
                                {"Angela", "Angie", true},
                                {"Patricia", "Trish", true},
                                {"Susan", "Sue", true},
                                {"Deborah", "Debbie", true},
                                {"Margaret", "Maggie", true},
                                {"Kimberley", "Kim", true},
                                {"Alexandra", "Alex", true},
                                {"Christine", "Chris", true},
                                {"Frances", "Fran", true},
                                {"Megan", "Meg", true},
                                {"Bethany", "Beth", true},
                                {"Abigail", "Abbie", true},
                                {"Olivia", "Liv", true},
                                {"Amelia", "Millie", true},
                                {"Isabel", "Izzy", true},
                                {"Eleanor", "Nell", true},
                                {"Jasmine", "Jas", true},
                                {"Roxanne", "Roxy", true},
                                {"Joanna", "Jo", true},
                                {"Agnieszka", "Aga", true},
                                {"Katarzyna", "Kasia", true},
                                {"Ayesha", "", true},
                                {"Priya", "", true},
                                {"Amina", "", true},
                                {"Siobhan", "", true},
                                {"Caitlin", "", true},
                                {"Fiona", "", true},
                                {"Georgia", "", true},
                                {"Isla", "", true},
                                {"Kirsty", "", true},
                                {"Nadia", "", true},
                                {"Paige", "", true},
                                {"Rachel", "", true},
                                {"Tara", "", true},
                                {"Zara", "", true},
                                {"Lucy", "", true},
                                {"Holly", "", true},
                                {"Yasmin", "", true},
                                {"Shannon", "", true},
                                {"Naomi", "", true},
                                {"Ruth", "", true},
                                {"Carly", "", true},
                                {"Lindsey", "", true},
                                {"Demi", "", true},
                                {"Chantelle", "", true},
                                {"Grace", "", true},
                                {"Molly", "", true},
                                {"Evie", "", true},
                                {"Chidinma", "", true},
                                {"Ella", "", true},
                                {"Ellie", "", true},
                                {"Sophia", "", true},
                                {"Emilia", "", true},
                                {"Zoe", "", true},
                                {"Lily", "", true},
                                {"Lilly", "", true},
                                {"Mia", "", true},
                                {"Maya", "", true},
                                {"Leah", "", true},
                                {"Lea", "", true},
                                {"Isobel", "Izzy", true},
                                {"Rhian", "", true},
                                {"Kylie", "", true},
                                {"David", "Dave", false},
                                {"John", "Johnny", false},
                                {"Michael", "Mick", false},
                                {"James", "Jim", false},
                                {"Paul", "", false},
                                {"Mark", "", false},
                                {"Daniel", "Danny", false},
                                {"Christopher", "Chris", false},
                                {"Mohammed", "Mo", false},
                                {"Andrew", "Andy", false},
                                {"Richard", "Rich", false},
                                {"Robert", "Rob", false},
                                {"Thomas", "Tom", false},
                                {"Stephen", "Steve", false},
                                {"Matthew", "Matt", false},
                                {"Anthony", "Tony", false},
                                {"Gary", "Gaz", false},
                                {"Darren", "Daz", false},
                                {"Lee", "", false},
                                {"Craig", "", false},
                                {"Wayne", "", false},
                                {"Jason", "", false},
                                {"Shaun", "", false},
                                {"Carl", "", false},
                                {"Simon", "", false},
                                {"Peter", "Pete", false},
                                {"William", "Bill", false},
                                {"Kevin", "Kev", false},
                                {"Steven", "Steve", false},
                                {"Joshua", "Josh", false},
                                {"Benjamin", "Ben", false},
                                {"Nathan", "Nate", false},
                                {"Oliver", "Ollie", false},
                                {"Samuel", "Sam", false},
                                {"Alexander", "Alex", false},
                                {"Francis", "Frank", false},
                                {"Charles", "Charlie", false},
                                {"Joseph", "Joe", false},
                                {"Nicholas", "Nick", false},
                                {"Terence", "Terry", false},
                                {"Edward", "Ted", false},
                                {"Derek", "Del", false},
                                {"Tomasz", "Tomek", false},
                                {"Kieran", "", false},
                                {"Ryan", "", false},
                                {"Imran", "", false},
                                {"Aaron", "", false},
                                {"Callum", "", false},
                                {"Calum", "", false},
                                {"Dean", "", false},
                                {"Ethan", "", false},
                                {"Evan", "", false},
                                {"Fraser", "", false},
                                {"George", "", false},
                                {"Harry", "", false},
                                {"Ian", "", false},
                                {"Jordan", "", false},
                                {"Kyle", "", false},
                                {"Liam", "", false},
                                {"Owen", "", false},
                                {"Reece", "", false},
                                {"Scott", "", false},
                                {"Usman", "", false},
                                {"Adam", "", false},
                                {"Bilal", "", false},
                                {"Connor", "", false},
                                {"Conor", "", false},
                                {"Dylan", "", false},
                                {"Jamie", "", false},
                                {"Luke", "", false},
                                {"Neil", "", false},
                                {"Rhys", "", false},
                                {"Sean", "", false},
                                {"Tariq", "", false},
                                {"Jack", "", false},
                                {"Jake", "", false},
                                {"Lewis", "", false},
                                {"Louis", "", false},
                                {"Aidan", "", false},
                                {"Aiden", "", false},
                                {"Jayden", "", false},
                                {"Jaden", "", false},
                                {"Harvey", "", false},
                                {"Kamil", "", false},
                                {"Piotr", "", false},
                                {"Emeka", "", false},
                                {"Marcus", "", false},
                                {"Leon", "", false},
                                {"Tyler", "", false},
                                {"Brandon", "", false},
                                {"Ricky", "", false},
                                {"Ali", "", false},
                                {"Hassan", "", false}};

const GivenName& FindGiven(std::string_view name) {
  for (const GivenName& g : kGiven) {
    if (name == g.name) return g;
  }
  assert(false && "every name in the tables below is in kGiven");
  return kGiven[0];
}

// Couples whose given names share a short form, female name first.
struct ShortPair {
  const char* female;
  const char* male;
  const char* female_short;
  const char* male_short;
};
constexpr ShortPair kShortPairs[] = {
    {"Samantha", "Samuel", "Sam", "Sam"},
    {"Alexandra", "Alexander", "Alex", "Alex"},
    {"Christine", "Christopher", "Chris", "Chris"},
    {"Danielle", "Daniel", "Dani", "Danny"},
    {"Frances", "Francis", "Fran", "Fran"},
    {"Charlotte", "Charles", "Charlie", "Charlie"},
    {"Joanne", "Joseph", "Jo", "Joe"},
    {"Nicola", "Nicholas", "Nicky", "Nick"},
};

// Near given names for twins (the genders are those in kGiven).
constexpr std::pair<const char*, const char*> kNearNames[] = {
    {"Jack", "Jake"},     {"Ellie", "Ella"},      {"Lewis", "Louis"},
    {"Aidan", "Aiden"},   {"Connor", "Conor"},    {"Callum", "Calum"},
    {"Sophie", "Sophia"}, {"Amelia", "Emilia"},   {"Chloe", "Zoe"},
    {"Ethan", "Evan"},    {"Lily", "Lilly"},      {"Jayden", "Jaden"},
    {"Leah", "Lea"},      {"Isabel", "Isobel"},   {"Mia", "Maya"},
    {"Ryan", "Rhian"},    {"Daniel", "Danielle"}, {"Kyle", "Kylie"},
    {"Oliver", "Olivia"},
};

// Very common full names, each given to many people in one town.
constexpr std::pair<const char*, const char*> kCommonNames[] = {
    {"John", "Smith"},      {"Mohammed", "Khan"}, {"Sarah", "Jones"},
    {"David", "Evans"},     {"Emma", "Smith"},    {"Michael", "Brown"},
    {"Fatima", "Begum"},    {"James", "Taylor"},  {"Lisa", "Williams"},
    {"Mohammed", "Ali"},    {"Claire", "Davies"}, {"Paul", "Wilson"},
    {"Jessica", "Smith"},   {"David", "Jones"},   {"Ayesha", "Hussain"},
    {"Daniel", "Thompson"}, {"Rebecca", "Brown"}, {"Mark", "Roberts"},
    {"Michelle", "Walker"}, {"Gary", "Wright"},
};

// Common UK surnames, the most common first.
constexpr const char* kFamily[] = {
    "Smith",    "Jones",    "Williams", "Taylor",   "Brown",   "Davies",
    "Evans",    "Wilson",   "Thomas",   "Johnson",  "Roberts", "Robinson",
    "Thompson", "Wright",   "Walker",   "White",    "Edwards", "Hughes",
    "Green",    "Hall",     "Lewis",    "Harris",   "Clarke",  "Patel",
    "Jackson",  "Wood",     "Turner",   "Martin",   "Cooper",  "Hill",
    "Ward",     "Morris",   "Moore",    "Clark",    "Lee",     "King",
    "Baker",    "Harrison", "Morgan",   "Allen",    "Khan",    "Hussain",
    "Ali",      "Ahmed",    "Begum",    "Shah",     "Singh",   "Kaur",
    "Scott",    "Young",    "Carter",   "Kelly",    "Bailey",  "Murphy",
    "O'Neill",  "O'Brien",  "O'Connor", "McDonald", "D'Souza", "Nowak",
    "Kowalski", "Okafor",   "Mensah",   "Marlowe",  "Fenwick", "Okonkwo",
    "Brannagh", "Quennell", "Tallis",   "Pelham",   "Ashby",   "Dacre",
};
// Street types with the abbreviation some systems write.
constexpr std::pair<const char*, const char*> kStreetTypes[] = {
    {"Road", "Rd"},    {"Street", "St"}, {"Close", "Cl"},      {"Lane", "Ln"},
    {"Avenue", "Ave"}, {"Grove", "Gr"},  {"Crescent", "Cres"}, {"Way", "Way"},
};
// Street names found in most towns.
constexpr const char* kCommonStreets[] = {
    "High Street", "Station Road",  "Church Lane", "Victoria Road",
    "Park Avenue", "Mill Lane",     "Green Lane",  "Queens Road",
    "Kings Road",  "New Road",      "Harrow Road", "Manor Close",
    "School Lane", "Albert Street", "London Road", "Chapel Street"};

// Invented towns, each with its own postcode area; weights are relative
// populations. A population of more than 20,000 people gets one more town
// per 2,500 people ("Ashbrook", "Bradmere"...), so that the people sharing
// a town, and the pairs sharing a name in a town by chance, grow linearly.
struct Town {
  const char* name;
  const char* area;
  int weight;
};
constexpr Town kTowns[] = {
    {"Eastbrook", "EB", 22}, {"Millford", "MF", 16},   {"Ashcombe", "AC", 14},
    {"Northwick", "NK", 12}, {"Tallbridge", "TB", 11}, {"Hollowfield", "HF", 9},
    {"Kingsmere", "KM", 8},  {"Oakhurst", "OH", 8},
};
constexpr const char* kTownEnd[] = {"brook", "mere",   "hurst", "combe",
                                    "wick",  "thorpe", "stow",  "bridge",
                                    "field", "minster"};
constexpr std::size_t kPeoplePerTown = 2500;
constexpr std::size_t kMaxTowns =
    std::size(kTowns) + std::size(kInventedNameStart) * std::size(kTownEnd);
using TownId = std::uint16_t;

constexpr char kLetters[] = "ABDEFGHJLNPQRSTUWXYZ";  // Inward-code letters.
constexpr int kUnitsPerSector = 400;                 // 20 x 20 letters.

struct Source {
  const char* name;
  double cumulative;
};
// Where records of victims come from; perpetrators are known mostly to the
// police, seldom to a refuge.
constexpr Source kVictimSources[] = {
    {"police", 0.36}, {"idva", 0.56},   {"housing", 0.68},
    {"health", 0.80}, {"refuge", 0.88}, {"children_services", 1.0},
};
constexpr Source kPerpetratorSources[] = {
    {"police", 0.55}, {"idva", 0.67},   {"housing", 0.79},
    {"health", 0.89}, {"refuge", 0.91}, {"children_services", 1.0},
};

struct Address {
  std::string line;      // "Flat 2, 12 Harrow Road" or "12 Harrow Road".
  std::string postcode;  // "EB4 7QD".
  TownId town = 0;
  std::uint8_t flat_prefix = 0;  // Length of "Flat 2, ", 0 when not a flat.
  bool refuge = false;
  std::uint32_t building = kNone;  // Index of its building, for flats.
};

struct Person {
  const GivenName* given = nullptr;
  const char* short_name = nullptr;  // A form shared with the partner.
  std::string family;                // On the first record.
  std::string maiden;  // Surname before taking the partner's, or empty.
  Date dob;
  bool female = false;
  Role role = Role::kVictim;
  std::uint32_t home = kNone;       // Address of the first record.
  std::uint32_t partner = kNone;    // The (first) partner, if any.
  std::vector<std::uint32_t> away;  // A refuge, a later partner's home.
  bool in_refuge = false;
  bool dual_role = false;  // Has records in both roles.
};

// A town and where its street generator is: the current street, postcode
// sector and unit, and the building of flats being filled.
struct TownState {
  std::string name;
  std::string area;  // Postcode area.
  int weight = 0;
  std::string street;
  int next_number = 1;
  int houses_left = 0;
  int streets_left_in_sector = 0;
  int district = 0;
  int sector = 0;
  int units_used = 0;  // In the sector.
  int unit_offset = 0;
  std::string unit;
  int unit_left = 0;
  std::uint32_t building = kNone;
  std::string building_line;
  std::string building_postcode;
  int flats = 0;
  int next_flat = 0;
  std::unordered_set<std::string> streets;  // Membership only.
};

// "H0000042": `prefix`, then `n` with at least `digits` digits.
std::string Numbered(const char* prefix, std::size_t n, std::size_t digits) {
  const std::string number = std::to_string(n);
  return prefix +
         std::string(number.size() < digits ? digits - number.size() : 0, '0') +
         number;
}

std::string ToUpper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// "12 Harrow Road" -> "12 Harrow Rd".
std::string Abbreviate(const std::string& line) {
  for (const auto& [full, abbreviation] : kStreetTypes) {
    const std::string tail = std::string(" ") + full;
    if (line.size() > tail.size() &&
        line.compare(line.size() - tail.size(), tail.size(), tail) == 0) {
      return line.substr(0, line.size() - tail.size()) + " " + abbreviation;
    }
  }
  return line;
}

// "1985-07-03" with one digit of the year's last two, the month or the day
// changed, when the result is still a date; otherwise unchanged.
std::string DobDigitTypo(const std::string& dob, SplitMix64& rng) {
  static constexpr std::size_t kDigits[] = {2, 3, 5, 6, 8, 9};
  std::string s = dob;
  const std::size_t at = kDigits[rng.Below(std::size(kDigits))];
  const char was = s[at];
  s[at] = static_cast<char>('0' + rng.Below(10));
  if (s[at] == was) return dob;
  const Date d{std::stoi(s.substr(0, 4)), std::stoi(s.substr(5, 2)),
               std::stoi(s.substr(8, 2))};
  return d.IsValid() ? s : dob;
}

class Generator {
 public:
  Generator(std::size_t people, std::uint64_t seed,
            const HouseholdOptions& options)
      : rng_(seed), people_target_(people), budget_(people), options_(options) {
    for (std::size_t i = 0; i < std::size(kGiven); ++i) {
      (kGiven[i].female ? female_ : male_).push_back(&kGiven[i]);
    }
    MakeTowns();
  }

  HouseholdPopulation Run();

 private:
  void MakeTowns();
  // Whether `n` more people fit; takes them if so.
  bool Take(std::size_t n) {
    if (n > budget_) return false;
    budget_ -= n;
    return true;
  }
  // `per_20k` scaled to the population, rounded up or down at random.
  std::size_t Scaled(double per_20k) {
    const double x = per_20k * static_cast<double>(people_target_) / 20000.0;
    const auto whole = static_cast<std::size_t>(x);
    return whole + (rng_.Uniform() < x - static_cast<double>(whole) ? 1 : 0);
  }

  std::uint32_t Add(Person p) {
    people_.push_back(std::move(p));
    return static_cast<std::uint32_t>(people_.size() - 1);
  }
  void Pair(std::uint32_t a, std::uint32_t b, ConfusableKind kind) {
    pairs_.push_back({std::min(a, b), std::max(a, b), kind});
  }

  TownId RandomTown();
  void NewSector(TownState& t);
  void NewUnit(TownState& t);
  void NewStreet(TownState& t);
  std::uint32_t NewAddress(TownId town);
  std::uint32_t NewFlat(TownId town);
  std::uint32_t HomeAddress(TownId town) {
    return rng_.Uniform() < kFlatShare ? NewFlat(town) : NewAddress(town);
  }

  const GivenName* RandomGiven(bool female);
  const GivenName* OtherGiven(bool female, const GivenName* not_this);
  std::string FamilyName();
  Date AdultDob();
  Date Between(int from_year, int to_year);
  static Date ClampAdult(Date d);
  Role RoleByGender(bool female) {
    const double p = female ? 0.85 : 0.25;
    return rng_.Uniform() < p ? Role::kVictim : Role::kPerpetrator;
  }
  // Opposite roles, either way round.
  void OppositeRoles(Person& a, Person& b) {
    a.role = rng_.Uniform() < 0.5 ? Role::kVictim : Role::kPerpetrator;
    b.role = a.role == Role::kVictim ? Role::kPerpetrator : Role::kVictim;
  }
  Person NewPerson(bool female) {
    Person p;
    p.female = female;
    p.given = RandomGiven(female);
    p.family = FamilyName();
    p.dob = AdultDob();
    p.role = RoleByGender(female);
    return p;
  }

  void MakeCouple(bool shared_short_name);
  void MakeSerialPartners();
  void MakeTwins();
  void MakeParentChild();
  void MakeSiblings();
  void MakeHousemates();
  void MakeRefuge();
  void MakeCommonNameGroup(std::size_t group);

  int RecordCount();
  void PlaceRecords();
  void MakeRecords();
  void LinkIncidents();
  void AddCommonNamePairs();
  void AddMultiOccupancyPairs();

  SplitMix64 rng_;
  const std::size_t people_target_;
  std::size_t budget_;  // People not yet placed.
  HouseholdOptions options_;
  std::vector<const GivenName*> female_;
  std::vector<const GivenName*> male_;
  std::vector<TownState> towns_;
  std::vector<int> town_weight_sum_;  // Cumulative, for RandomTown.
  std::vector<Address> addresses_;
  std::uint32_t buildings_ = 0;
  std::vector<Person> people_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> couples_;  // (v, p)
  std::vector<ConfusablePair> pairs_;
  // Records in their final, shuffled order. The k-th record of person p is
  // records_[slot_[first_record_[p] + k]]; the first is the clean one.
  std::vector<PersonRecord> records_;
  std::vector<std::uint32_t> record_person_;  // Of each record in records_.
  std::vector<std::uint32_t> slot_;
  std::vector<std::uint32_t> first_record_;
  std::vector<std::uint32_t> record_count_;
  std::uint32_t incidents_ = 0;
};

void Generator::MakeTowns() {
  const std::size_t count =
      std::clamp((people_target_ + kPeoplePerTown / 2) / kPeoplePerTown,
                 std::size(kTowns), kMaxTowns);
  std::unordered_set<std::string> areas;
  for (const Town& t : kTowns) areas.insert(t.area);
  std::size_t next_area = 0;  // Two letters, "AA" to "ZZ", not yet used.
  for (std::size_t i = 0; i < count; ++i) {
    TownState t;
    if (i < std::size(kTowns)) {
      t.name = kTowns[i].name;
      t.area = kTowns[i].area;
      t.weight = kTowns[i].weight;
    } else {
      const std::size_t k = i - std::size(kTowns);
      t.name =
          std::string(kInventedNameStart[k % std::size(kInventedNameStart)]) +
          kTownEnd[k / std::size(kInventedNameStart)];
      do {
        t.area = {static_cast<char>('A' + next_area / 26),
                  static_cast<char>('A' + next_area % 26)};
        ++next_area;
      } while (areas.contains(t.area));
      t.weight = 8 + static_cast<int>(rng_.Below(15));
    }
    t.district = 1 + static_cast<int>(rng_.Below(9));
    t.sector = static_cast<int>(rng_.Below(10));
    t.unit_offset = static_cast<int>(rng_.Below(kUnitsPerSector));
    town_weight_sum_.push_back(
        (town_weight_sum_.empty() ? 0 : town_weight_sum_.back()) + t.weight);
    towns_.push_back(std::move(t));
  }
}

TownId Generator::RandomTown() {
  const int x = static_cast<int>(
      rng_.Below(static_cast<std::uint64_t>(town_weight_sum_.back())));
  return static_cast<TownId>(
      std::upper_bound(town_weight_sum_.begin(), town_weight_sum_.end(), x) -
      town_weight_sum_.begin());
}

// Next sector of the town: sectors 0-9 of districts 1-99 (districts wrap
// after 99, which only a population of millions reaches).
void Generator::NewSector(TownState& t) {
  if (++t.sector == 10) {
    t.sector = 0;
    t.district = t.district % 99 + 1;
  }
  t.units_used = 0;
  t.unit_offset = static_cast<int>(rng_.Below(kUnitsPerSector));
  t.streets_left_in_sector = 3 + static_cast<int>(rng_.Below(8));
}

// A postcode unit not used before in the sector, for the next 1-4 addresses.
void Generator::NewUnit(TownState& t) {
  if (t.units_used == kUnitsPerSector) NewSector(t);
  // 137 is prime to 400: a walk through all units of the sector.
  const int k = (t.units_used++ * 137 + t.unit_offset) % kUnitsPerSector;
  const int first = k % 20;
  const int second = (k / 20 + 7 * first) % 20;
  t.unit = t.area + std::to_string(t.district) + " " +
           std::to_string(t.sector) + kLetters[first] + kLetters[second];
  t.unit_left = 1 + static_cast<int>(rng_.Below(4));
}

void Generator::NewStreet(TownState& t) {
  if (t.streets_left_in_sector <= 0) NewSector(t);
  --t.streets_left_in_sector;
  std::string name;
  for (int attempt = 0;; ++attempt) {
    if (rng_.Uniform() < 0.12) {
      name = kCommonStreets[rng_.Below(std::size(kCommonStreets))];
    } else {
      name =
          std::string(
              kInventedNameStart[rng_.Below(std::size(kInventedNameStart))]) +
          kInventedNameEnd[rng_.Below(std::size(kInventedNameEnd))] + " " +
          kStreetTypes[rng_.Below(std::size(kStreetTypes))].first;
    }
    // A town of a million people runs out of names: "Upper Oakfield Road".
    if (attempt >= 20) name = "Upper " + name;
    if (attempt >= 40) name = std::to_string(attempt) + " " + name;
    if (t.streets.insert(name).second) break;
  }
  t.street = std::move(name);
  t.houses_left = 6 + static_cast<int>(rng_.Below(40));
  t.next_number = 1 + static_cast<int>(rng_.Below(4));
  t.unit_left = 0;  // A street starts a new unit.
}

// The next house on the town's current street: nearby households share a
// postcode sector and a unit holds 1-4 addresses.
std::uint32_t Generator::NewAddress(TownId town) {
  TownState& t = towns_[town];
  if (t.houses_left <= 0) NewStreet(t);
  if (t.unit_left <= 0) NewUnit(t);
  --t.houses_left;
  --t.unit_left;
  Address a;
  a.line = std::to_string(t.next_number) + " " + t.street;
  a.postcode = t.unit;
  a.town = town;
  t.next_number += 1 + static_cast<int>(rng_.Below(2));
  addresses_.push_back(std::move(a));
  return static_cast<std::uint32_t>(addresses_.size() - 1);
}

// The next flat of the town's building of 2-6 flats, opening a new building
// when the last is full. Flats share the street address and postcode.
std::uint32_t Generator::NewFlat(TownId town) {
  TownState& t = towns_[town];
  if (t.next_flat >= t.flats) {
    const std::uint32_t base = NewAddress(town);
    t.building_line = addresses_[base].line;
    t.building_postcode = addresses_[base].postcode;
    addresses_.pop_back();  // Nobody lives at the bare street address.
    t.building = buildings_++;
    t.flats = 2 + static_cast<int>(rng_.Below(5));
    t.next_flat = 0;
  }
  Address a;
  const std::string prefix = "Flat " + std::to_string(++t.next_flat) + ", ";
  a.line = prefix + t.building_line;
  a.postcode = t.building_postcode;
  a.town = town;
  a.flat_prefix = static_cast<std::uint8_t>(prefix.size());
  a.building = t.building;
  addresses_.push_back(std::move(a));
  return static_cast<std::uint32_t>(addresses_.size() - 1);
}

// Common names are drawn more often: half the draws come from the first
// third of the list.
const GivenName* Generator::RandomGiven(bool female) {
  const std::vector<const GivenName*>& names = female ? female_ : male_;
  const std::size_t n = rng_.Uniform() < 0.5 ? names.size() : names.size() / 3;
  return names[rng_.Below(n)];
}

const GivenName* Generator::OtherGiven(bool female, const GivenName* not_this) {
  const GivenName* g = RandomGiven(female);
  while (g == not_this) g = RandomGiven(female);
  return g;
}

// A common surname 40% of the time (skewed to the most common), otherwise
// an invented one; 2% are double-barrelled.
std::string Generator::FamilyName() {
  const double u = rng_.Uniform();
  const auto common = [&] {
    const std::size_t n = rng_.Uniform() < 0.5 ? std::size(kFamily) : 12;
    return std::string(kFamily[rng_.Below(n)]);
  };
  if (u < 0.02) return common() + "-" + common();
  if (u < 0.42) return common();
  return std::string(
             kInventedNameStart[rng_.Below(std::size(kInventedNameStart))]) +
         kInventedNameEnd[rng_.Below(std::size(kInventedNameEnd))];
}

Date Generator::Between(int from_year, int to_year) {
  const Date from{from_year, 1, 1};
  const std::int64_t days = DaysBetween(from, Date{to_year + 1, 1, 1});
  return from.AddDays(
      static_cast<std::int64_t>(rng_.Below(static_cast<std::uint64_t>(days))));
}

// Most victims and perpetrators are 18-50: seven in ten births fall in
// 1975-2007, peaking about 1991; the rest are spread over 1950-2007.
Date Generator::AdultDob() {
  if (rng_.Uniform() < 0.3) return Between(1950, 2007);
  const Date from{1975, 1, 1};
  const auto span =
      static_cast<std::uint64_t>(DaysBetween(from, Date{2008, 1, 1}));
  return from.AddDays(
      static_cast<std::int64_t>((rng_.Below(span) + rng_.Below(span)) / 2));
}

// Everyone is at least 16 in 2026 and born after 1939.
Date Generator::ClampAdult(Date d) {
  if (d > Date{2009, 12, 31}) return Date{2009, d.month, std::min(d.day, 28)};
  if (d < Date{1940, 1, 1}) return Date{1940, d.month, std::min(d.day, 28)};
  return d;
}

// Partners: mostly a woman victim and a man perpetrator, sometimes the
// other way round, 5% of the same sex; about half share a surname; 80%
// live at one address; up to 12 years apart in age.
void Generator::MakeCouple(bool shared_short_name) {
  const bool same_sex = !shared_short_name && rng_.Uniform() < 0.05;
  const bool woman_victim = rng_.Uniform() < 0.85;
  bool victim_female = true;
  bool perpetrator_female = false;
  if (same_sex) {
    victim_female = perpetrator_female = rng_.Uniform() < 0.5;
  } else if (!woman_victim) {
    victim_female = false;
    perpetrator_female = true;
  }
  Person v = NewPerson(victim_female);
  Person p = NewPerson(perpetrator_female);
  v.role = Role::kVictim;
  p.role = Role::kPerpetrator;
  if (shared_short_name) {
    const ShortPair& s = kShortPairs[rng_.Below(std::size(kShortPairs))];
    Person& woman = victim_female ? v : p;
    Person& man = victim_female ? p : v;
    woman.given = &FindGiven(s.female);
    woman.short_name = s.female_short;
    man.given = &FindGiven(s.male);
    man.short_name = s.male_short;
  } else if (same_sex) {
    p.given = OtherGiven(perpetrator_female, v.given);
  }
  // Ages: the man older more often than not.
  const std::int64_t gap =
      rng_.Uniform() < 0.7
          ? static_cast<std::int64_t>(rng_.Below(365 * 5))
          : 365 * 5 + static_cast<std::int64_t>(rng_.Below(365 * 7));
  const bool victim_older =
      same_sex ? rng_.Uniform() < 0.5 : (rng_.Uniform() < 0.7) != victim_female;
  p.dob = ClampAdult(v.dob.AddDays(victim_older ? gap : -gap));
  if (rng_.Uniform() < 0.5) {  // One took the other's surname.
    const bool woman_took =
        same_sex ? rng_.Uniform() < 0.5 : rng_.Uniform() < 0.9;
    Person& taker = (victim_female == woman_took) ? v : p;
    const Person& giver = &taker == &v ? p : v;
    taker.maiden = taker.family;
    taker.family = giver.family;
  }
  const TownId town = RandomTown();
  v.home = HomeAddress(town);
  p.home = rng_.Uniform() < 0.8
               ? v.home
               : HomeAddress(rng_.Uniform() < 0.8 ? town : RandomTown());
  const std::uint32_t vi = Add(std::move(v));
  const std::uint32_t pi = Add(std::move(p));
  people_[vi].partner = pi;
  people_[pi].partner = vi;
  couples_.emplace_back(vi, pi);
  Pair(vi, pi,
       shared_short_name ? ConfusableKind::kSharedShortName
                         : ConfusableKind::kCouple);
}

// Serial perpetrators: about 4% of all perpetrators (9% of those in a
// couple) have a later partner (a fifth of them two) at another address,
// where some of their own records are made.
void Generator::MakeSerialPartners() {
  const std::size_t couples = couples_.size();
  for (std::size_t c = 0; c < couples; ++c) {
    if (rng_.Uniform() >= 0.09) continue;
    const std::uint32_t perpetrator = couples_[c].second;
    const int later = rng_.Uniform() < 0.2 ? 2 : 1;
    for (int k = 0; k < later && Take(1); ++k) {
      const Person& first_victim = people_[couples_[c].first];
      Person v = NewPerson(first_victim.female);
      v.role = Role::kVictim;
      v.dob = ClampAdult(people_[perpetrator].dob.AddDays(
          static_cast<std::int64_t>(rng_.Below(365 * 16)) - 365 * 6));
      const TownId perpetrator_town =
          addresses_[people_[perpetrator].home].town;
      v.home =
          HomeAddress(rng_.Uniform() < 0.8 ? perpetrator_town : RandomTown());
      v.partner = perpetrator;
      const std::uint32_t home = v.home;
      const std::uint32_t vi = Add(std::move(v));
      people_[perpetrator].away.push_back(home);
      couples_.emplace_back(vi, perpetrator);
      Pair(vi, perpetrator, ConfusableKind::kCouple);
    }
  }
}

// Twins: one surname, date of birth and address; 40% with near given names.
void Generator::MakeTwins() {
  Person a, b;
  if (rng_.Uniform() < 0.4) {
    const auto& [x, y] = kNearNames[rng_.Below(std::size(kNearNames))];
    a = NewPerson(FindGiven(x).female);
    b = NewPerson(FindGiven(y).female);
    a.given = &FindGiven(x);
    b.given = &FindGiven(y);
  } else {
    // Two girls, two boys, or a girl and a boy, about equally often.
    const double g = rng_.Uniform();
    a = NewPerson(g < 0.35 || g >= 0.7);
    b = NewPerson(g < 0.35);
    if (a.female == b.female) b.given = OtherGiven(b.female, a.given);
  }
  b.family = a.family;
  a.dob = b.dob = Between(1975, 2009);
  if (rng_.Uniform() < 0.35) OppositeRoles(a, b);
  a.home = b.home = HomeAddress(RandomTown());
  const std::uint32_t ai = Add(std::move(a));
  Pair(ai, Add(std::move(b)), ConfusableKind::kTwins);
}

// Sr and Jr: the same full name and gender at one address, born 20-30
// years apart, often one the victim of the other.
void Generator::MakeParentChild() {
  const bool female = rng_.Uniform() < 0.2;
  Person child = NewPerson(female);
  child.dob = Between(1988, 2009);
  Person parent = child;
  parent.dob =
      child.dob.AddDays(-(7305 + static_cast<std::int64_t>(rng_.Below(3652))));
  parent.role = RoleByGender(female);
  if (rng_.Uniform() < 0.6) OppositeRoles(parent, child);
  parent.home = child.home = HomeAddress(RandomTown());
  const std::uint32_t pi = Add(std::move(parent));
  Pair(pi, Add(std::move(child)), ConfusableKind::kParentChild);
}

// Two or three siblings at one address: one surname, different given names,
// born 1-6 years apart each.
void Generator::MakeSiblings() {
  const std::size_t size = rng_.Uniform() < 0.75 ? 2 : 3;
  if (!Take(size)) return;
  const std::string family = FamilyName();
  const std::uint32_t home = HomeAddress(RandomTown());
  Date dob = Between(1980, 2009);
  std::vector<std::uint32_t> group;
  for (std::size_t k = 0; k < size; ++k) {
    Person s = NewPerson(rng_.Uniform() < 0.5);
    for (const std::uint32_t other : group) {
      while (s.given == people_[other].given) s.given = RandomGiven(s.female);
    }
    s.family = family;
    s.dob = dob;
    s.home = home;
    dob = dob.AddDays(-(365 + static_cast<std::int64_t>(rng_.Below(365 * 5))));
    group.push_back(Add(std::move(s)));
  }
  if (rng_.Uniform() < 0.4) OppositeRoles(people_[group[0]], people_[group[1]]);
  for (std::size_t i = 0; i < group.size(); ++i) {
    for (std::size_t j = i + 1; j < group.size(); ++j) {
      Pair(group[i], group[j], ConfusableKind::kSiblings);
    }
  }
}

// Two to four unrelated adults sharing a house, each with their own surname.
void Generator::MakeHousemates() {
  const double u = rng_.Uniform();
  const std::size_t size = u < 0.5 ? 2 : (u < 0.85 ? 3 : 4);
  if (!Take(size)) return;
  const std::uint32_t home = HomeAddress(RandomTown());
  std::vector<std::uint32_t> group;
  for (std::size_t k = 0; k < size; ++k) {
    Person h = NewPerson(rng_.Uniform() < 0.5);
    for (const std::uint32_t other : group) {
      while (h.family == people_[other].family) h.family = FamilyName();
    }
    h.dob = Between(1975, 2007);
    h.home = home;
    group.push_back(Add(std::move(h)));
  }
  for (std::size_t i = 0; i < group.size(); ++i) {
    for (std::size_t j = i + 1; j < group.size(); ++j) {
      Pair(group[i], group[j], ConfusableKind::kHousemates);
    }
  }
}

// A refuge receives women fleeing abuse over the year, each with a
// different surname: half of them victims in a couple here, the rest women
// whose abuser is out of the area. Their first record is at home, some
// later ones at the refuge.
void Generator::MakeRefuge() {
  const TownId town = RandomTown();
  const std::uint32_t refuge = NewAddress(town);
  addresses_[refuge].refuge = true;
  const int size =
      kRefugeMin + static_cast<int>(rng_.Below(kRefugeMax - kRefugeMin + 1));
  std::vector<std::uint32_t> residents;
  const auto surname_free = [&](const std::string& family) {
    for (const std::uint32_t r : residents) {
      if (people_[r].family == family) return false;
    }
    return true;
  };
  for (int k = 0; k < size; ++k) {
    std::uint32_t resident = kNone;
    if (!couples_.empty() && rng_.Uniform() < 0.5) {
      for (int attempt = 0; attempt < 20; ++attempt) {
        const std::uint32_t v = couples_[rng_.Below(couples_.size())].first;
        const Person& p = people_[v];
        if (p.female && p.role == Role::kVictim && !p.in_refuge &&
            surname_free(p.family)) {
          resident = v;
          break;
        }
      }
    }
    if (resident == kNone) {
      if (!Take(1)) break;
      Person p = NewPerson(true);
      p.role = Role::kVictim;
      while (!surname_free(p.family)) p.family = FamilyName();
      p.home = HomeAddress(rng_.Uniform() < 0.5 ? town : RandomTown());
      resident = Add(std::move(p));
    }
    people_[resident].in_refuge = true;
    people_[resident].away.push_back(refuge);
    residents.push_back(resident);
  }
  for (std::size_t i = 0; i < residents.size(); ++i) {
    for (std::size_t j = i + 1; j < residents.size(); ++j) {
      Pair(residents[i], residents[j], ConfusableKind::kRefuge);
    }
  }
}

// 40-60 unrelated people with one very common full name in one town. The
// groups take the names in turn, each name in a different town each round.
void Generator::MakeCommonNameGroup(std::size_t group) {
  const std::size_t names = std::size(kCommonNames);
  const auto& [given, family] = kCommonNames[group % names];
  const auto town =
      static_cast<TownId>((group / names + group % names) % towns_.size());
  const std::size_t size = 40 + rng_.Below(21);
  const GivenName& g = FindGiven(given);
  for (std::size_t k = 0; k < size && Take(1); ++k) {
    Person p = NewPerson(g.female);
    p.given = &g;
    p.family = family;
    p.home = HomeAddress(town);
    Add(std::move(p));
  }
}

// 1-8 records: 55% one; the rest 2 and up, each further one with
// probability 0.625. Mean about 2.15.
int Generator::RecordCount() {
  if (rng_.Uniform() < 0.55) return 1;
  int count = 2;
  while (count < 8 && rng_.Uniform() < 0.625) ++count;
  return count;
}

// How many records each person has, and where each lands in the shuffled
// order: each person's records keep their own order over the places they
// drew, so the first of them in the output is the clean one.
void Generator::PlaceRecords() {
  first_record_.resize(people_.size());
  record_count_.resize(people_.size());
  std::uint32_t total = 0;
  for (std::uint32_t pi = 0; pi < people_.size(); ++pi) {
    Person& person = people_[pi];
    // Dual role: a counter-allegation, most often between partners.
    person.dual_role =
        rng_.Uniform() < (person.partner != kNone ? 0.012 : 0.002);
    int count = RecordCount();
    if (person.dual_role || !person.away.empty()) count = std::max(count, 2);
    first_record_[pi] = total;
    record_count_[pi] = static_cast<std::uint32_t>(count);
    total += record_count_[pi];
  }
  std::vector<std::uint32_t> owner(total);  // In person order.
  for (std::uint32_t pi = 0; pi < people_.size(); ++pi) {
    std::fill_n(owner.begin() + first_record_[pi], record_count_[pi], pi);
  }
  for (std::size_t i = total; i > 1; --i) {
    std::swap(owner[i - 1], owner[rng_.Below(i)]);
  }
  slot_.resize(total);
  std::vector<std::uint32_t> taken(people_.size(), 0);
  for (std::uint32_t i = 0; i < total; ++i) {
    const std::uint32_t pi = owner[i];
    slot_[first_record_[pi] + taken[pi]++] = i;
  }
  record_person_ = std::move(owner);
  records_.resize(total);
}

void Generator::MakeRecords() {
  const double v = options_.variant_rate;
  for (std::uint32_t pi = 0; pi < people_.size(); ++pi) {
    const Person& person = people_[pi];
    const bool dual = person.dual_role;
    const Role other_role =
        person.role == Role::kVictim ? Role::kPerpetrator : Role::kVictim;
    const int count = static_cast<int>(record_count_[pi]);
    const int forced_away =
        person.away.empty() ? -1
                            : 1 + static_cast<int>(rng_.Below(
                                      static_cast<std::uint64_t>(count - 1)));
    const int forced_other_role =
        dual ? 1 + static_cast<int>(
                       rng_.Below(static_cast<std::uint64_t>(count - 1)))
             : -1;
    // A new surname: the partner's if they do not share one, otherwise a
    // new partner's.
    std::string new_family;
    if (person.female && rng_.Uniform() < 0.06 * v) {
      new_family = person.partner != kNone &&
                           people_[person.partner].family != person.family
                       ? people_[person.partner].family
                       : FamilyName();
    }
    std::uint32_t moved = kNone;
    for (int k = 0; k < count; ++k) {
      PersonRecord& r =
          records_[slot_[first_record_[pi] + static_cast<std::uint32_t>(k)]];
      r.role = person.role;
      if (k == forced_other_role || (dual && k > 0 && rng_.Uniform() < 0.3)) {
        r.role = other_role;
      }
      if (rng_.Uniform() < options_.missing_role_share) r.role = Role::kUnknown;
      r.given_name = person.given->name;
      r.family_name = person.family;
      if (!person.maiden.empty() && rng_.Uniform() < 0.3) {
        r.previous_family_names = {person.maiden};
      }
      r.dob = person.dob.ToString();
      r.gender = person.female ? "f" : "m";
      std::uint32_t at = person.home;
      if (k > 0) {
        if (!person.away.empty() &&
            (k == forced_away || rng_.Uniform() < 0.4)) {
          at = person.away[rng_.Below(person.away.size())];
        } else if (rng_.Uniform() < 0.15 * v) {  // Moved.
          if (moved == kNone) {
            moved =
                NewAddress(rng_.Uniform() < 0.75 ? addresses_[person.home].town
                                                 : RandomTown());
          }
          at = moved;
        }
      }
      const Address& address = addresses_[at];
      r.address_line = address.line;
      r.postcode = address.postcode;
      r.town = towns_[address.town].name;
      if (address.refuge && rng_.Uniform() < 0.7) {
        r.source = "refuge";
      } else {
        const double s = rng_.Uniform();
        for (const Source& source : r.role == Role::kPerpetrator
                                        ? kPerpetratorSources
                                        : kVictimSources) {
          if (s < source.cumulative) {
            r.source = source.name;
            break;
          }
        }
      }
      if (k > 0) {  // Later records drift from the first.
        if (person.short_name != nullptr && rng_.Uniform() < 0.4 * v) {
          r.given_name = person.short_name;
        } else if (person.given->nickname[0] != '\0' &&
                   rng_.Uniform() < 0.15 * v) {
          r.given_name = person.given->nickname;
        }
        if (rng_.Uniform() < 0.08 * v) r.given_name = Typo(r.given_name, rng_);
        if (!new_family.empty() && rng_.Uniform() < 0.6) {
          r.previous_family_names = {person.family};
          r.family_name = new_family;
        }
        if (rng_.Uniform() < 0.08 * v) {
          r.family_name = Typo(r.family_name, rng_);
        }
        const Date& dob = person.dob;
        const double d = rng_.Uniform();
        if (d < 0.03 * v) {
          if (dob.day <= 12 && dob.day != dob.month) {
            r.dob = Date{dob.year, dob.day, dob.month}.ToString();
          }
        } else if (d < 0.06 * v) {
          r.dob = DobDigitTypo(r.dob, rng_);
        } else if (d < 0.16 * v) {
          r.dob.clear();
        } else if (d < 0.17 * v) {
          r.dob = "1900-01-01";  // A system's placeholder.
        } else if (d < 0.18 * v) {
          r.dob = std::to_string(dob.year) + "-01-01";  // Year only.
        }
        if (rng_.Uniform() < 0.10 * v) r.postcode.clear();
        if (rng_.Uniform() < 0.12 * v) r.address_line.clear();
        if (rng_.Uniform() < 0.08 * v) r.gender.clear();
        if (rng_.Uniform() < 0.10 * v) {
          r.given_name = ToUpper(r.given_name);
          r.family_name = ToUpper(r.family_name);
        }
        if (rng_.Uniform() < 0.20 * v) {
          r.postcode.erase(
              std::remove(r.postcode.begin(), r.postcode.end(), ' '),
              r.postcode.end());
        }
        if (rng_.Uniform() < 0.10 * v) {
          r.address_line = Abbreviate(r.address_line);
        }
        if (address.flat_prefix > 0 && !r.address_line.empty() &&
            rng_.Uniform() < 0.3 * v) {
          r.address_line.erase(0, address.flat_prefix);  // "12 Harrow Road".
        }
      }
    }
  }
}

// About 30% of couples have one police incident naming both: the victim's
// and the perpetrator's record carry its id. A quarter of other police
// records carry an incident of their own.
void Generator::LinkIncidents() {
  const auto next_id = [&] { return Numbered("INC-", ++incidents_, 6); };
  for (const auto& [victim, perpetrator] : couples_) {
    if (rng_.Uniform() >= 0.3) continue;
    // A record of each without an incident yet (a serial perpetrator's
    // may have one with an earlier partner).
    std::array<PersonRecord*, 2> pick{};
    for (std::size_t k = 0; k < 2; ++k) {
      const std::uint32_t p = k == 0 ? victim : perpetrator;
      const std::uint32_t start =
          static_cast<std::uint32_t>(rng_.Below(record_count_[p]));
      for (std::uint32_t j = 0; j < record_count_[p] && !pick[k]; ++j) {
        PersonRecord& r =
            records_[slot_[first_record_[p] + (start + j) % record_count_[p]]];
        if (r.incident_id.empty()) pick[k] = &r;
      }
    }
    if (pick[0] == nullptr || pick[1] == nullptr) continue;
    const std::string id = next_id();
    for (PersonRecord* r : pick) {
      r->source = "police";
      r->incident_id = id;
    }
  }
  for (PersonRecord& r : records_) {
    if (r.source == "police" && r.incident_id.empty() &&
        rng_.Uniform() < 0.25) {
      r.incident_id = next_id();
    }
  }
}

// Every pair of people whose clean records agree on given name, family name
// and town: the designed groups and any pair that agrees by chance.
void Generator::AddCommonNamePairs() {
  using Key = std::tuple<TownId, std::string_view, std::string_view>;
  std::vector<std::pair<Key, std::uint32_t>> order;
  order.reserve(people_.size());
  for (std::uint32_t i = 0; i < people_.size(); ++i) {
    const Person& p = people_[i];
    order.push_back({{addresses_[p.home].town, p.family, p.given->name}, i});
  }
  std::sort(order.begin(), order.end());
  std::size_t begin = 0;
  for (std::size_t end = 1; end <= order.size(); ++end) {
    if (end < order.size() && order[end].first == order[begin].first) continue;
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t j = i + 1; j < end; ++j) {
        Pair(order[i].second, order[j].second, ConfusableKind::kCommonName);
      }
    }
    begin = end;
  }
}

// Every pair of people living in different flats of one building.
void Generator::AddMultiOccupancyPairs() {
  std::vector<std::vector<std::uint32_t>> residents(buildings_);
  for (std::uint32_t i = 0; i < people_.size(); ++i) {
    const Address& home = addresses_[people_[i].home];
    if (home.building != kNone) residents[home.building].push_back(i);
  }
  for (const std::vector<std::uint32_t>& building : residents) {
    for (std::size_t i = 0; i < building.size(); ++i) {
      for (std::size_t j = i + 1; j < building.size(); ++j) {
        const std::uint32_t a = building[i];
        const std::uint32_t b = building[j];
        if (people_[a].home != people_[b].home) {
          Pair(a, b, ConfusableKind::kMultiOccupancy);
        }
      }
    }
  }
}

HouseholdPopulation Generator::Run() {
  // Households with structure first, while people remain; then groups
  // with a common name; everyone else lives alone.
  for (std::size_t n = Scaled(kCouples); n > 0 && Take(2); --n) {
    MakeCouple(false);
  }
  for (std::size_t n = Scaled(kShortNameCouples); n > 0 && Take(2); --n) {
    MakeCouple(true);
  }
  MakeSerialPartners();
  for (std::size_t n = Scaled(kTwins); n > 0 && Take(2); --n) MakeTwins();
  for (std::size_t n = Scaled(kParentChild); n > 0 && Take(2); --n) {
    MakeParentChild();
  }
  for (std::size_t n = Scaled(kSiblingGroups); n > 0; --n) MakeSiblings();
  for (std::size_t n = Scaled(kHousemateGroups); n > 0; --n) MakeHousemates();
  for (std::size_t n = Scaled(kRefuges); n > 0; --n) MakeRefuge();
  const std::size_t groups = Scaled(kCommonNameGroups);
  for (std::size_t g = 0; g < groups; ++g) MakeCommonNameGroup(g);
  while (Take(1)) {
    Person p = NewPerson(rng_.Uniform() < 0.6);
    p.home = HomeAddress(RandomTown());
    Add(std::move(p));
  }

  PlaceRecords();
  MakeRecords();
  LinkIncidents();
  AddCommonNamePairs();
  AddMultiOccupancyPairs();

  HouseholdPopulation out;
  out.person_count = static_cast<std::uint32_t>(people_.size());
  out.person_role.reserve(people_.size());
  for (const Person& p : people_) out.person_role.push_back(p.role);

  for (std::size_t i = 0; i < records_.size(); ++i) {
    records_[i].record_id = Numbered("H", i + 1, 7);
  }
  out.records = std::move(records_);
  out.person = std::move(record_person_);

  std::sort(pairs_.begin(), pairs_.end(),
            [](const ConfusablePair& x, const ConfusablePair& y) {
              return std::tie(x.a, x.b, x.kind) < std::tie(y.a, y.b, y.kind);
            });
  pairs_.erase(
      std::unique(pairs_.begin(), pairs_.end(),
                  [](const ConfusablePair& x, const ConfusablePair& y) {
                    return x.a == y.a && x.b == y.b;
                  }),
      pairs_.end());
  out.confusable = std::move(pairs_);
  return out;
}

}  // namespace

std::string_view ConfusableKindName(ConfusableKind kind) {
  switch (kind) {
    case ConfusableKind::kCouple:
      return "couple";
    case ConfusableKind::kSharedShortName:
      return "shared_short_name";
    case ConfusableKind::kTwins:
      return "twins";
    case ConfusableKind::kParentChild:
      return "parent_child";
    case ConfusableKind::kSiblings:
      return "siblings";
    case ConfusableKind::kHousemates:
      return "housemates";
    case ConfusableKind::kRefuge:
      return "refuge";
    case ConfusableKind::kMultiOccupancy:
      return "multi_occupancy";
    case ConfusableKind::kCommonName:
      return "common_name";
  }
  return "unknown";
}

HouseholdPopulation SyntheticHouseholds(std::size_t people, std::uint64_t seed,
                                        const HouseholdOptions& options) {
  return Generator(people, seed, options).Run();
}

}  // namespace marac
