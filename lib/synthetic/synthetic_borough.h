// A seeded synthetic borough for the main job: a year of domestic-abuse
// incidents in one area, each with a police record of the victim and of
// the perpetrator (names drifting between records as in practice: nicknames,
// typos, new surnames, moves), an assessment completed at the incident, and
// the children in the household. Sized like the domain notes' local example
// (about 800 incidents a year, a quarter of victims repeat, a few
// perpetrators harm more than one victim), most couples in one household,
// half of those under one surname. Every person is invented.
#ifndef MARAC_SYNTHETIC_SYNTHETIC_BOROUGH_H_
#define MARAC_SYNTHETIC_SYNTHETIC_BOROUGH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "lib/synthetic/synthetic_assessments.h"
#include "marac/common/date.h"
#include "marac/identity/person_record.h"

namespace marac {

struct BoroughIncident {
  std::string incident_id;
  Date occurred_on;
  std::size_t victim_record = 0;       // Index into records.
  std::size_t perpetrator_record = 0;  // Index into records.
  std::string agency;  // Who heard of it: police, idva, health, housing...
  int children = 0;
  SyntheticAssessment assessment;  // Completed on the incident date.
};

struct SyntheticBorough {
  std::string area;
  Date first_day;
  std::vector<PersonRecord> records;
  std::vector<std::uint32_t> person;       // Ground truth per record.
  std::vector<BoroughIncident> incidents;  // In date order.
};

struct BoroughOptions {
  std::string area = "Eastbrook";  // Invented.
  Date first_day{2025, 11, 1};
  int days = 365;
  std::size_t victims = 620;
  double repeat_share = 0.25;  // Victims with more than one incident.
  double serial_share = 0.04;  // Perpetrators with a second victim.
  // Couples living together (the perpetrator's records carry the victim's
  // address); about half of them share a surname.
  double cohabiting_share = 0.6;
};

SyntheticBorough SyntheticBoroughYear(std::uint64_t seed,
                                      const BoroughOptions& options = {});

}  // namespace marac

#endif  // MARAC_SYNTHETIC_SYNTHETIC_BOROUGH_H_
