#include "lib/synthetic/synthetic_borough.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <string_view>

#include "lib/synthetic/synthetic_people.h"

namespace marac {
namespace {

// Who harms whom in one couple (or family pair), decided before the names.
struct Pair {
  Relationship relationship = Relationship::kPartner;
  bool victim_female = true;
  bool perpetrator_female = false;
  int victim_age = 30;  // On the borough's first day.
  Date victim_dob;
  int perpetrator_age = 32;
  // The perpetrator in the victim's words: "partner", "son", ...
  const char* perpetrator_noun = "partner";
  int children = 0;
  bool disability = false;
  bool hbv_concern = false;
  double risk = 0;  // The victim's standing risk; each incident varies it.
};

int Clamp(int v, int lo, int hi) { return std::max(lo, std::min(v, hi)); }

int UniformAge(SplitMix64& rng, int from, int to) {
  return from + static_cast<int>(rng.Below(
                    static_cast<std::uint64_t>(std::max(1, to - from + 1))));
}

// An intimate couple: mostly a woman harmed by a man; some men harmed by
// women; a few couples of one sex. The perpetrator is about the victim's
// age, a little older when a man.
Pair IntimatePair(SplitMix64& rng) {
  Pair p;
  const double u = rng.Uniform();
  p.victim_female = u < 0.945 ? u < 0.89 : u < 0.97;
  p.perpetrator_female = u < 0.945 ? u >= 0.89 : u < 0.97;
  p.victim_age = SyntheticVictimAge(rng);
  const int gap = static_cast<int>(
      std::lround(rng.Normal() * 5.0 + (p.perpetrator_female ? 0.0 : 2.0)));
  p.perpetrator_age = p.victim_age < 18 ? UniformAge(rng, 16, 21)
                                        : Clamp(p.victim_age + gap, 18, 88);
  p.children = SyntheticChildren(rng, p.victim_age);
  return p;
}

// Family abuse: an adult son on his mother most often; a daughter on her
// mother, a son on his father, a father on his daughter, a brother on his
// sister, a grandson on his grandmother.
Pair FamilyPair(SplitMix64& rng) {
  Pair p;
  p.relationship = Relationship::kFamilyMember;
  const double u = rng.Uniform();
  if (u < 0.50) {
    p.victim_age = UniformAge(rng, 42, 80);
    p.perpetrator_age = std::max(18, p.victim_age - UniformAge(rng, 19, 38));
    p.perpetrator_noun = "son";
  } else if (u < 0.62) {
    p.victim_age = UniformAge(rng, 40, 78);
    p.perpetrator_age = std::max(18, p.victim_age - UniformAge(rng, 19, 38));
    p.perpetrator_female = true;
    p.perpetrator_noun = "daughter";
  } else if (u < 0.72) {
    p.victim_female = false;
    p.victim_age = UniformAge(rng, 45, 82);
    p.perpetrator_age = std::max(18, p.victim_age - UniformAge(rng, 20, 38));
    p.perpetrator_noun = "son";
  } else if (u < 0.82) {
    p.victim_age = UniformAge(rng, 16, 30);
    p.perpetrator_age = p.victim_age + UniformAge(rng, 20, 34);
    p.perpetrator_noun = "father";
  } else if (u < 0.94) {
    p.victim_age = UniformAge(rng, 16, 40);
    p.perpetrator_age = Clamp(p.victim_age + UniformAge(rng, -6, 8), 17, 60);
    p.perpetrator_noun = "brother";
  } else {
    p.victim_age = UniformAge(rng, 66, 88);
    p.perpetrator_age = UniformAge(rng, 18, 32);
    p.perpetrator_noun = "grandson";
  }
  p.children = SyntheticChildren(rng, p.victim_age);
  return p;
}

Date BornAged(Date day, int age, SplitMix64& rng) {
  return day.AddMonths(-12 * age).AddDays(
      -static_cast<std::int64_t>(rng.Below(365)));
}

// Replaces the pronoun placeholders of `text`: {she} {her} {her_o} for the
// victim (subject, possessive, object), {he} {his} {him} for the
// perpetrator, {rel} for the perpetrator in the victim's words; a capital
// placeholder ({She}, {He}, {His}) capitalises.
std::string Voice(std::string_view text, const Pair& p) {
  const bool vf = p.victim_female;
  const bool pf = p.perpetrator_female;
  const std::pair<std::string_view, std::string_view> kWords[] = {
      {"{she}", vf ? "she" : "he"},    {"{She}", vf ? "She" : "He"},
      {"{her}", vf ? "her" : "his"},   {"{Her}", vf ? "Her" : "His"},
      {"{her_o}", vf ? "her" : "him"}, {"{he}", pf ? "she" : "he"},
      {"{He}", pf ? "She" : "He"},     {"{his}", pf ? "her" : "his"},
      {"{His}", pf ? "Her" : "His"},   {"{him}", pf ? "her" : "him"},
      {"{rel}", p.perpetrator_noun},
  };
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    if (text[i] == '{') {
      for (const auto& [key, word] : kWords) {
        if (text.substr(i, key.size()) == key) {
          out += word;
          i += key.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

template <std::size_t N>
const char* PickOne(SplitMix64& rng, const char* const (&items)[N]) {
  return items[rng.Below(N)];
}

// A serious-harm factor a referrer may name: the item's key, a few words
// for the reason, and sentences in a referrer's words.
struct Concern {
  const char* key;
  bool serious;  // Enough, on its own, for a referrer to consider one.
  const char* words;
  const char* sentences[2];
};
constexpr Concern kConcerns[] = {
    {"strangulation",
     true,
     "non-fatal strangulation disclosed",
     {"{She} told me {he} put {his} hands round {her} neck during the last "
      "incident and {she} could not breathe.",
      "{She} disclosed that {he} held {her_o} by the throat until {she} "
      "nearly passed out; there were no marks to see."}},
    {"stalking_harassment",
     true,
     "stalking and harassment",
     {"{He} keeps turning up outside {her} work and sends dozens of "
      "messages a day, some from new numbers.",
      "{He} drives past the house late at night and has been asking "
      "{her} friends where {she} is staying."}},
    {"threat_to_kill",
     true,
     "threats to kill",
     {"{He} has told {her_o} more than once that {he} will kill {her_o}, "
      "and {she} believes it.",
      "{She} described a threat to kill made in front of a neighbour last "
      "week."}},
    {"weapon_use",
     true,
     "a weapon used",
     {"{He} picked up a kitchen knife during the last argument and held it "
      "towards {her_o}.",
      "{He} threw a glass at {her_o} that cut {her} arm."}},
    {"escalation_severity",
     true,
     "escalating violence",
     {"What started as shouting and damage to the house has become "
      "physical in the last few weeks.",
      "Each incident this year has been worse than the one before."}},
    {"escalation_frequency",
     false,
     "incidents more frequent",
     {"The incidents are coming closer together: three in the last two "
      "months.",
      "{She} says it now happens most weekends."}},
    {"breach_of_conditions",
     true,
     "bail conditions breached",
     {"{He} is on bail not to contact {her_o} and has already breached it "
      "twice.",
      "{He} ignored the non-molestation order within a week of it being "
      "served."}},
    {"abuser_suicide_threat",
     true,
     "perpetrator threatening suicide",
     {"{He} has threatened to take {his} own life if {she} does not do as "
      "{he} wants, which I know is a risk factor for homicide too.",
      "{He} sent {her_o} a photo of tablets and said it would be {her} "
      "fault."}},
    {"victim_fear",
     false,
     "victim very frightened",
     {"{She} is more frightened than I have seen {her_o} and thinks {he} "
      "will seriously hurt {her_o}.",
      "{She} sleeps downstairs with the light on and jumps at every car "
      "that stops outside."}},
    {"coercive_control",
     false,
     "coercive control",
     {"{He} checks {her} phone, keeps the bank cards and decides who {she} "
      "may see.",
      "{She} has to account for every minute {she} is out and send {him} "
      "photos of where {she} is."}},
    {"pregnancy_new_baby",
     false,
     "abuse during pregnancy",
     {"{She} is pregnant and the abuse has carried on through the "
      "pregnancy.",
      "The baby is eight weeks old and the incidents started again soon "
      "after the birth."}},
};

const Concern* FindConcern(std::string_view key) {
  for (const Concern& c : kConcerns) {
    if (key == c.key) return &c;
  }
  return nullptr;
}

// The keys answered yes.
std::set<std::string, std::less<>> YesKeys(
    const Instrument& instrument,
    const std::vector<std::pair<int, Answer>>& answers) {
  std::set<std::string, std::less<>> keys;
  for (const auto& [number, answer] : answers) {
    if (answer != Answer::kYes) continue;
    for (const InstrumentItem& item : instrument.items()) {
      if (item.number == number) keys.insert(item.key);
    }
  }
  return keys;
}

int YesCount(const std::vector<std::pair<int, Answer>>& answers) {
  int n = 0;
  for (const auto& a : answers) n += a.second == Answer::kYes;
  return n;
}

// A professional-judgement referral: the reason (a few words per concern)
// and the referrer's account, opening as the agency would, naming up to
// three concerns present, closing with the referrer's view.
std::pair<std::string, std::string> Judgement(
    SplitMix64& rng, const Pair& p, std::string_view agency,
    std::vector<const Concern*> concerns, int score, int children) {
  // Up to three concerns, in a shuffled order.
  for (std::size_t k = concerns.size(); k > 1; --k) {
    std::swap(concerns[k - 1], concerns[rng.Below(k)]);
  }
  if (concerns.size() > 3) concerns.resize(3);
  static constexpr const char* kPolice[] = {
      "The DASH score is {score} but I am referring on professional "
      "judgement.",
      "Attending officer's view: the score of {score} understates the "
      "risk."};
  static constexpr const char* kIdva[] = {
      "I am referring on professional judgement although the checklist "
      "came to {score}.",
      "I have been supporting {her_o} for a few weeks and the risk has "
      "changed."};
  static constexpr const char* kHealth[] = {
      "{She} disclosed to me during a routine appointment today.",
      "I saw {her_o} in clinic this week without {his} knowledge."};
  static constexpr const char* kHousing[] = {
      "{She} came to the housing office asking to be moved urgently.",
      "{She} rang the repairs line in tears and was put through to me."};
  static constexpr const char* kChildren[] = {
      "We have been working with the family since the spring.",
      "The school raised a concern and I visited the home on Tuesday."};
  static constexpr const char* kOneStopShop[] = {
      "{She} came to the One Stop Shop for the first time this week.",
      "{She} has been coming to the One Stop Shop for a month and told me "
      "more this time."};
  static constexpr const char* kClose[] = {
      "I believe the risk of serious harm is high and the score does not "
      "show it.",
      "I do not think {she} is safe at home at the moment.",
      "{She} knows I am referring and wants the support.",
      "Please list for the next MARAC; I will bring an update."};
  const char* open = agency == "police"    ? PickOne(rng, kPolice)
                     : agency == "idva"    ? PickOne(rng, kIdva)
                     : agency == "health"  ? PickOne(rng, kHealth)
                     : agency == "housing" ? PickOne(rng, kHousing)
                     : agency == "childrens_services"
                         ? PickOne(rng, kChildren)
                         : PickOne(rng, kOneStopShop);
  std::string narrative = open;
  const std::size_t at = narrative.find("{score}");
  if (at != std::string::npos) {
    narrative.replace(at, 7, std::to_string(score));
  }
  std::string reason;
  for (const Concern* c : concerns) {
    narrative += std::string(" ") + c->sentences[rng.Below(2)];
    reason += (reason.empty() ? "" : "; ") + std::string(c->words);
  }
  if (p.hbv_concern) {
    narrative +=
        " {She} fears what the wider family will do if {she} does not do as "
        "they say, and I am worried about honour-based abuse.";
    reason += (reason.empty() ? "" : "; ") +
              std::string("honour-based abuse concern");
  }
  if (children > 0 && rng.Uniform() < 0.5) {
    narrative += children == 1 ? " The child was in the house at the time."
                               : " The children were in the house at the "
                                 "time.";
  }
  narrative += std::string(" ") + PickOne(rng, kClose);
  reason[0] =
      static_cast<char>(std::toupper(static_cast<unsigned char>(reason[0])));
  return {Voice(reason, p), Voice(narrative, p)};
}

// The officer's DARA grade and rationale, in police shorthand, from what
// the officer found (the answers a DASH form would have had).
std::pair<Grade, std::string> OfficerJudgement(
    SplitMix64& rng, const Pair& p,
    const std::set<std::string, std::less<>>& yes, int children) {
  const int count = static_cast<int>(yes.size());
  Grade grade = count >= 14   ? Grade::kHigh
                : count >= 10 ? Grade::kMedium
                              : Grade::kStandard;
  // DARA weighs coercive control and the serious-harm factors more: an
  // officer who records strangulation, a threat to kill or a weapon never
  // grades standard (nor with coercive control or stalking), and two such
  // factors (or one with stalking) make it high more often than not.
  const int serious = yes.contains("strangulation") +
                      yes.contains("threat_to_kill") +
                      yes.contains("weapon_use");
  const bool control = yes.contains("coercive_control");
  if (serious > 0 || control || yes.contains("stalking_harassment")) {
    grade = std::max(grade, Grade::kMedium, [](Grade a, Grade b) {
      return GradeSeverity(a) < GradeSeverity(b);
    });
  }
  if (grade == Grade::kMedium &&
      serious + yes.contains("stalking_harassment") >= 2 &&
      rng.Uniform() < 0.6) {
    grade = Grade::kHigh;
  }
  static constexpr std::pair<const char*, const char*> kFindings[] = {
      {"strangulation",
       "Victim describes being held by the throat (non-fatal strangulation)."},
      {"threat_to_kill", "Suspect threatened to kill victim during incident."},
      {"weapon_use", "Suspect used a weapon (kitchen knife) in the incident."},
      {"stalking_harassment",
       "Pattern of stalking: repeated messages and visits to the home "
       "address."},
      {"coercive_control",
       "Coercive control evident: suspect monitors victim's phone and "
       "money."},
      {"isolation", "Victim cut off from family and friends by suspect."},
      {"escalation_frequency", "Call-outs increasing; several this year."},
      {"current_injury", "Visible injuries to face and arms, photographed."},
      {"victim_fear", "Victim very frightened of what suspect will do next."},
      {"criminal_history", "Suspect has previous convictions for violence."},
      {"abuser_substance_mental_health",
       "Suspect intoxicated at scene; known alcohol misuse."},
  };
  std::string rationale;
  int named = 0;
  for (const auto& [key, text] : kFindings) {
    if (named < (grade == Grade::kStandard ? 2 : 4) && yes.contains(key)) {
      rationale += (rationale.empty() ? "" : " ") + std::string(text);
      ++named;
    }
  }
  if (named == 0) {
    rationale = rng.Uniform() < 0.5
                    ? "Verbal argument only; no injuries; no previous "
                      "incidents between the parties on record."
                    : "Victim reports no fear of further harm; first call "
                      "to the address.";
  }
  if (children > 0) rationale += " Children present at the address.";
  if (p.relationship == Relationship::kFamilyMember) {
    rationale += " Suspect is victim's {rel}.";
  }
  rationale += grade == Grade::kHigh
                   ? " Graded HIGH: MARAC and IDVA referral made."
               : grade == Grade::kMedium
                   ? " Graded MEDIUM: safety advice given, referred to the "
                     "local domestic abuse service."
                   : " Graded STANDARD: advice given and details of support "
                     "left.";
  return {grade, Voice(rationale, p)};
}

// Whether police recorded the incident as a crime: most with an injury,
// a weapon, strangulation, a threat to kill or sexual abuse; some others.
bool RecordedAsCrime(SplitMix64& rng,
                     const std::set<std::string, std::less<>>& yes) {
  const bool offence =
      yes.contains("current_injury") || yes.contains("weapon_use") ||
      yes.contains("strangulation") || yes.contains("threat_to_kill") ||
      yes.contains("sexual_abuse") || yes.contains("breach_of_conditions");
  return rng.Uniform() < (offence ? 0.75 : 0.28);
}

}  // namespace

SyntheticBorough SyntheticBoroughYear(std::uint64_t seed,
                                      const BoroughOptions& options) {
  SplitMix64 rng(seed);
  SyntheticBorough out;
  out.area = options.area;
  out.first_day = options.first_day;
  const std::size_t n = options.victims;
  // Perpetrators: one person each; a few are shared by two victims.
  std::vector<std::size_t> perpetrator_of(n);
  for (std::size_t v = 0; v < n; ++v) {
    perpetrator_of[v] = v;
    if (v > 0 && rng.Uniform() < options.serial_share) {
      perpetrator_of[v] = perpetrator_of[rng.Below(v)];  // A serial one.
    }
  }
  // Who harms whom, from a generator of its own: about one pair in nine
  // is family; a serial perpetrator's later victims are ex-partners of the
  // sex of the first, near the perpetrator's age.
  SplitMix64 pair_rng(seed ^ 0x5eed0005);
  std::vector<Pair> pairs(n);
  for (std::size_t v = 0; v < n; ++v) {
    Pair& p = pairs[v];
    p = pair_rng.Uniform() < 0.11 ? FamilyPair(pair_rng)
                                  : IntimatePair(pair_rng);
    if (perpetrator_of[v] != v) {
      const Pair& first = pairs[perpetrator_of[v]];
      p.relationship = Relationship::kExPartner;
      p.perpetrator_female = first.perpetrator_female;
      p.perpetrator_age = first.perpetrator_age;
      p.perpetrator_noun = "ex-partner";
      p.victim_female = first.perpetrator_female ? pair_rng.Uniform() < 0.2
                                                 : pair_rng.Uniform() < 0.95;
      p.victim_age =
          Clamp(first.perpetrator_age - 2 +
                    static_cast<int>(std::lround(pair_rng.Normal() * 5.0)),
                18, 80);
      p.children = SyntheticChildren(pair_rng, p.victim_age);
    }
    p.disability = pair_rng.Uniform() < 0.10;
    p.hbv_concern =
        pair_rng.Uniform() <
        (p.relationship == Relationship::kFamilyMember ? 0.08 : 0.01);
    p.risk = pair_rng.Normal();
  }
  // Victims: one record per incident, drifting from the first (the
  // people generator's variants); a quarter have more than one.
  SyntheticPeopleOptions victim_options;
  victim_options.repeat_share = options.repeat_share;
  SyntheticPeopleOptions one_record;
  one_record.repeat_share = 0;
  for (std::size_t v = 0; v < n; ++v) {
    victim_options.traits.push_back(
        {pairs[v].victim_female,
         BornAged(options.first_day, pairs[v].victim_age, pair_rng)});
    pairs[v].victim_dob = victim_options.traits.back().dob;
    one_record.traits.push_back(
        {pairs[v].perpetrator_female,
         BornAged(options.first_day, pairs[v].perpetrator_age, pair_rng)});
  }
  const SyntheticPopulation victims =
      SyntheticPeople(n, seed ^ 0x5eed0001, victim_options);
  const SyntheticPopulation perpetrators =
      SyntheticPeople(n, seed ^ 0x5eed0002, one_record);
  // Households: most couples live together (the perpetrator's records
  // carry the victim's address of the time), and about half of those
  // share a surname, unless the perpetrator has another victim; a relative
  // mostly lives with the victim under one surname.
  SplitMix64 household_rng(seed ^ 0x5eed0004);
  std::vector<int> victims_of(n, 0);
  for (std::size_t v = 0; v < n; ++v) ++victims_of[perpetrator_of[v]];
  std::vector<std::size_t> first_record(n, 0);
  for (std::size_t k = victims.records.size(); k-- > 0;) {
    first_record[victims.person[k]] = k;
  }
  std::vector<char> cohabits(n, 0);
  std::vector<char> shares_surname(n, 0);
  for (std::size_t v = 0; v < n; ++v) {
    const bool family = pairs[v].relationship == Relationship::kFamilyMember;
    cohabits[v] =
        household_rng.Uniform() < (family ? 0.7 : options.cohabiting_share);
    shares_surname[v] = cohabits[v] && victims_of[perpetrator_of[v]] == 1 &&
                        household_rng.Uniform() < (family ? 0.9 : 0.5);
    if (perpetrator_of[v] != v) cohabits[v] = 0;
    if (pairs[v].relationship == Relationship::kPartner && !cohabits[v] &&
        household_rng.Uniform() < 0.85) {
      pairs[v].relationship = Relationship::kExPartner;
      pairs[v].perpetrator_noun = "ex-partner";
    }
  }
  // About two in three referrals come from the police nationally; the
  // IDVA at the One Stop Shop refers as the IDVA service.
  static constexpr std::pair<const char*, double> kAgencies[] = {
      {"police", 0.64},  {"idva", 0.11},
      {"health", 0.08},  {"childrens_services", 0.06},
      {"housing", 0.05}, {"IDVA service", 0.06}};
  const auto agency = [&] {
    double draw = rng.Uniform();
    for (const auto& [name, share] : kAgencies) {
      if (draw < share) return name;
      draw -= share;
    }
    return kAgencies[0].first;
  };
  // Incidents: the first on a random day, later ones after gaps of weeks.
  struct Draft {
    Date on;
    std::size_t victim_record;
    std::size_t perpetrator;  // Person index in `perpetrators`.
    std::string agency;
  };
  std::vector<Draft> drafts;
  std::size_t r = 0;
  while (r < victims.records.size()) {
    const std::uint32_t v = victims.person[r];
    std::int64_t day = static_cast<std::int64_t>(
        rng.Below(static_cast<std::uint64_t>(std::max(1, options.days))));
    for (; r < victims.records.size() && victims.person[r] == v; ++r) {
      if (day >= options.days) break;  // The rest fall after the year.
      drafts.push_back(
          {options.first_day.AddDays(day), r, perpetrator_of[v], agency()});
      day += 7 + static_cast<std::int64_t>(rng.Below(90));
    }
    while (r < victims.records.size() && victims.person[r] == v) ++r;
  }
  std::sort(drafts.begin(), drafts.end(), [](const Draft& a, const Draft& b) {
    return a.on != b.on ? a.on < b.on : a.victim_record < b.victim_record;
  });
  const InstrumentSet set = InstrumentSet::BuiltIn();
  const std::shared_ptr<const Instrument> ric = *set.Find("safelives-ric");
  const std::shared_ptr<const Instrument> police =
      *set.Find("police-dash-2009");
  const std::shared_ptr<const Instrument> sdash = *set.Find("s-dash");
  SplitMix64 answer_rng(seed ^ 0x5eed0003);
  SplitMix64 judgement_rng(seed ^ 0x5eed0006);
  std::vector<std::vector<Date>> incidents_of(n);
  std::vector<std::optional<Date>> last_referral(n);
  int referred = 0;  // Referrals so far, by the true people,
  int judged = 0;    // of them on professional judgement.
  for (std::size_t k = 0; k < drafts.size(); ++k) {
    const Draft& d = drafts[k];
    const std::uint32_t couple = victims.person[d.victim_record];
    const Pair& pair = pairs[couple];
    char id[32];
    std::snprintf(id, sizeof id, "INC-%05zu", k + 1);
    BoroughIncident incident;
    incident.incident_id = id;
    incident.occurred_on = d.on;
    incident.agency = d.agency;
    incident.children = pair.children;
    incident.relationship = pair.relationship;
    // The victim's record of this incident.
    PersonRecord victim = victims.records[d.victim_record];
    std::snprintf(id, sizeof id, "V-%05zu", k + 1);
    victim.record_id = id;
    victim.role = Role::kVictim;
    victim.incident_id = incident.incident_id;
    // The perpetrator's, as recorded this time.
    PersonRecord perpetrator = perpetrators.records[d.perpetrator];
    std::snprintf(id, sizeof id, "X-%05zu", k + 1);
    perpetrator.record_id = id;
    perpetrator.role = Role::kPerpetrator;
    perpetrator.incident_id = incident.incident_id;
    perpetrator.source = victim.source;
    if (cohabits[couple]) {
      perpetrator.address_line = victim.address_line;
      perpetrator.postcode = victim.postcode;
      perpetrator.town = victim.town;
    }
    if (shares_surname[couple]) {
      perpetrator.family_name =
          victims.records[first_record[couple]].family_name;
    }
    if (rng.Uniform() < 0.1) perpetrator.postcode.clear();
    incident.victim_record = out.records.size();
    out.records.push_back(std::move(victim));
    out.person.push_back(couple);
    incident.perpetrator_record = out.records.size();
    out.records.push_back(std::move(perpetrator));
    out.person.push_back(static_cast<std::uint32_t>(n + d.perpetrator));

    // What the MARAC will make of it, by the true people: escalation (three
    // incidents in twelve months) and a repeat (within twelve months of a
    // referral, made the day after its incident).
    std::vector<Date>& dates = incidents_of[couple];
    dates.push_back(d.on);
    const bool escalation =
        std::count_if(dates.begin(), dates.end(),
                      [&](Date x) { return d.on.AddMonths(-12) < x; }) >= 3;
    const std::optional<Date> last = last_referral[couple];
    const bool repeat = last && *last < d.on && !(last->AddMonths(12) < d.on);

    // The assessment at the incident, fitting the victim.
    const int age = WholeYears(pair.victim_dob, d.on);
    const AssessedPerson person{
        .female = pair.victim_female,
        .age = age,
        .children = pair.children,
        .partner = pair.relationship != Relationship::kFamilyMember};
    const double risk = 0.75 * pair.risk + 0.66 * answer_rng.Normal() - 0.15;
    const bool by_police = d.agency == "police";
    const bool dara = by_police && !(d.on < options.dara_from) &&
                      answer_rng.Uniform() < options.dara_share;
    const Instrument& form = by_police ? *police : *ric;
    // On DARA the officer asks in their own way; the answers a DASH form
    // would have had decide what they find, and are not kept.
    const std::vector<std::pair<int, Answer>> answers =
        SyntheticAnswers(form, risk, person, answer_rng);
    const std::set<std::string, std::less<>> yes = YesKeys(form, answers);
    SyntheticAssessment a;
    std::snprintf(id, sizeof id, "ASM-%05zu", k + 1);
    a.assessment_id = id;
    a.completed_on = d.on;
    a.history.victim_age = age;
    a.history.children_in_household = pair.children;
    a.history.victim_disability = pair.disability;
    a.history.hbv_concern = pair.hbv_concern;
    if (by_police) incident.crime = RecordedAsCrime(answer_rng, yes);
    bool referred_now = escalation || repeat;
    if (dara) {
      a.instrument = "dara";
      auto [grade, rationale] =
          OfficerJudgement(answer_rng, pair, yes, pair.children);
      referred_now = referred_now || grade == Grade::kHigh;
      a.history.officer_grade = grade;
      a.history.officer_rationale = std::move(rationale);
    } else {
      a.instrument = form.id();
      a.answers = answers;
      // Below the threshold, a serious-harm factor may bring a referral
      // on professional judgement.
      std::vector<const Concern*> concerns;
      int serious = 0;
      for (const std::string& key : yes) {
        if (const Concern* c = FindConcern(key)) {
          concerns.push_back(c);
          serious += c->serious;
        }
      }
      const int score = YesCount(answers);
      const bool others = score >= 14 || referred_now;
      if (score < 14 && (serious > 0 || pair.hbv_concern) &&
          static_cast<double>(judged + 1) <=
              options.judgement_share *
                      static_cast<double>(referred + (others ? 0 : 1)) +
                  1.0 &&
          judgement_rng.Uniform() < 0.3 * (1.0 + serious)) {
        auto [reason, narrative] = Judgement(judgement_rng, pair, d.agency,
                                             concerns, score, pair.children);
        a.history.professional_judgement = ProfessionalJudgement::kRefer;
        ++judged;
        a.history.professional_judgement_reason = std::move(reason);
        incident.judgement_narrative = std::move(narrative);
      }
      referred_now = others || a.history.professional_judgement ==
                                   ProfessionalJudgement::kRefer;
      // Stalking (item 8 on both forms) brings the S-DASH, most times.
      if (yes.contains("stalking_harassment") && answer_rng.Uniform() < 0.8) {
        SyntheticAssessment s;
        s.assessment_id = a.assessment_id + "-S";
        s.instrument = sdash->id();
        s.completed_on = d.on;
        s.answers = SyntheticAnswers(*sdash, risk, person, answer_rng);
        incident.supplement = std::move(s);
      }
    }
    if (referred_now) {
      ++referred;
      last_referral[couple] = d.on.AddDays(1);
    }
    incident.assessment = std::move(a);
    out.incidents.push_back(std::move(incident));
  }
  return out;
}

}  // namespace marac
