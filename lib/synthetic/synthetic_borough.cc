#include "lib/synthetic/synthetic_borough.h"

#include <algorithm>
#include <cstdio>

#include "lib/synthetic/synthetic_people.h"

namespace marac {

SyntheticBorough SyntheticBoroughYear(std::uint64_t seed,
                                      const BoroughOptions& options) {
  SplitMix64 rng(seed);
  SyntheticBorough out;
  out.area = options.area;
  out.first_day = options.first_day;
  // Victims: one record per incident, drifting from the first (the
  // people generator's variants); a quarter have more than one.
  SyntheticPeopleOptions victim_options;
  victim_options.repeat_share = options.repeat_share;
  const SyntheticPopulation victims =
      SyntheticPeople(options.victims, seed ^ 0x5eed0001, victim_options);
  // Perpetrators: one person each; a few are shared by two victims.
  SyntheticPeopleOptions one_record;
  one_record.repeat_share = 0;
  const SyntheticPopulation perpetrators =
      SyntheticPeople(options.victims, seed ^ 0x5eed0002, one_record);
  std::vector<std::size_t> perpetrator_of(options.victims);
  for (std::size_t v = 0; v < options.victims; ++v) {
    perpetrator_of[v] = v;
    if (v > 0 && rng.Uniform() < options.serial_share) {
      perpetrator_of[v] = perpetrator_of[rng.Below(v)];  // A serial one.
    }
  }
  // Households: most couples live together (the perpetrator's records
  // carry the victim's address of the time), and about half of those
  // share a surname, unless the perpetrator has another victim. Drawn from
  // a generator of their own, so the rest of the borough stays as it was.
  SplitMix64 household_rng(seed ^ 0x5eed0004);
  std::vector<int> victims_of(options.victims, 0);
  for (std::size_t v = 0; v < options.victims; ++v)
    ++victims_of[perpetrator_of[v]];
  std::vector<std::size_t> first_record(options.victims, 0);
  for (std::size_t k = victims.records.size(); k-- > 0;) {
    first_record[victims.person[k]] = k;
  }
  std::vector<char> cohabits(options.victims, 0);
  std::vector<char> shares_surname(options.victims, 0);
  for (std::size_t v = 0; v < options.victims; ++v) {
    cohabits[v] = household_rng.Uniform() < options.cohabiting_share;
    shares_surname[v] = cohabits[v] && victims_of[perpetrator_of[v]] == 1 &&
                        household_rng.Uniform() < 0.5;
  }
  // About two in three referrals come from the police nationally.
  static constexpr const char* kAgencies[] = {
      "police", "police", "police",  "police",       "police",
      "police", "police", "police",  "police",       "idva",
      "idva",   "health", "housing", "one_stop_shop"};
  // A few victims are 16 or 17 (1.3% of MARAC cases nationally): their
  // records' birth years move so that they are, keeping each record's
  // variation.
  std::vector<int> birth_year_shift(options.victims, 0);
  for (std::size_t v = 0; v < options.victims; ++v) {
    if (rng.Uniform() < 0.02) birth_year_shift[v] = 1;
  }
  // Incidents: the first on a random day, later ones after gaps of weeks.
  struct Draft {
    Date on;
    std::size_t victim_record;
    std::size_t perpetrator;  // Person index in `perpetrators`.
    int children;
    std::string agency;
  };
  std::vector<Draft> drafts;
  std::vector<int> children(options.victims);
  for (std::size_t v = 0; v < options.victims; ++v) {
    const double c = rng.Uniform();
    children[v] = c < 0.45 ? 0 : (c < 0.7 ? 1 : (c < 0.9 ? 2 : 3));
  }
  std::size_t r = 0;
  while (r < victims.records.size()) {
    const std::uint32_t v = victims.person[r];
    std::int64_t day = static_cast<std::int64_t>(
        rng.Below(static_cast<std::uint64_t>(std::max(1, options.days))));
    for (; r < victims.records.size() && victims.person[r] == v; ++r) {
      if (day >= options.days) break;  // The rest fall after the year.
      drafts.push_back({options.first_day.AddDays(day), r, perpetrator_of[v],
                        children[v],
                        kAgencies[rng.Below(std::size(kAgencies))]});
      day += 7 + static_cast<std::int64_t>(rng.Below(90));
    }
    while (r < victims.records.size() && victims.person[r] == v) ++r;
  }
  std::sort(drafts.begin(), drafts.end(), [](const Draft& a, const Draft& b) {
    return a.on != b.on ? a.on < b.on : a.victim_record < b.victim_record;
  });
  SyntheticOptions assessment_options;
  assessment_options.first_day = options.first_day;
  assessment_options.days = options.days;
  std::vector<SyntheticAssessment> assessments = SyntheticAssessments(
      drafts.size(), seed ^ 0x5eed0003, assessment_options);
  for (std::size_t k = 0; k < drafts.size(); ++k) {
    const Draft& d = drafts[k];
    char id[32];
    std::snprintf(id, sizeof id, "INC-%05zu", k + 1);
    BoroughIncident incident;
    incident.incident_id = id;
    incident.occurred_on = d.on;
    incident.agency = d.agency;
    incident.children = d.children;
    // The victim's record of this incident.
    PersonRecord victim = victims.records[d.victim_record];
    if (birth_year_shift[victims.person[d.victim_record]] != 0 &&
        victim.dob.size() == 10) {
      // Born 16 or 17 years before the year began.
      const int year = options.first_day.year - 16 -
                       static_cast<int>(victims.person[d.victim_record] % 2);
      const std::string moved = std::to_string(year) + victim.dob.substr(4);
      if (Date::Parse("dob", moved).ok()) victim.dob = moved;
    }
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
    const std::uint32_t couple = victims.person[d.victim_record];
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
    out.person.push_back(victims.person[d.victim_record]);
    incident.perpetrator_record = out.records.size();
    out.records.push_back(std::move(perpetrator));
    out.person.push_back(
        static_cast<std::uint32_t>(options.victims + d.perpetrator));
    // The assessment at the incident; the case history comes from the
    // graph and the store, not from the generator.
    SyntheticAssessment a = std::move(assessments[k]);
    std::snprintf(id, sizeof id, "ASM-%05zu", k + 1);
    a.assessment_id = id;
    a.completed_on = d.on;
    a.history = CaseHistory{};
    incident.assessment = std::move(a);
    out.incidents.push_back(std::move(incident));
  }
  return out;
}

}  // namespace marac
