// A seeded synthetic borough for the main job: a year of domestic-abuse
// incidents in one area, each with a police record of the victim and of
// the perpetrator (names drifting between records as in practice: nicknames,
// typos, new surnames, moves), an assessment completed at the incident, and
// the children in the household. Sized like the domain notes' local example
// (about 800 incidents a year, a quarter of victims repeat, a few
// perpetrators harm more than one victim), most couples in one household,
// half of those under one surname. Every person is invented.
//
// Who is harmed by whom follows MARAC caseloads: about 93% of victims are
// women, most harmed by a male partner or ex-partner; a few couples are of
// one sex; about one case in nine is family abuse (an adult son on his
// mother, a father on his daughter, a brother on his sister...). Victims'
// ages are those MARAC victims have (a few aged 16 or 17), and every
// answer fits the victim (see ItemApplies). Police incidents are assessed
// on the police DASH form, or on DARA after the force's switch; other
// agencies use the SafeLives RIC; a stalking "yes" brings an S-DASH. Some
// practitioners refer below the threshold on professional judgement, in
// their own words.
#ifndef MARAC_SYNTHETIC_SYNTHETIC_BOROUGH_H_
#define MARAC_SYNTHETIC_SYNTHETIC_BOROUGH_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/synthetic/synthetic_assessments.h"
#include "marac/casefile/referral_details.h"
#include "marac/common/date.h"
#include "marac/identity/person_record.h"

namespace marac {

struct BoroughIncident {
  std::string incident_id;
  Date occurred_on;
  std::size_t victim_record = 0;       // Index into records.
  std::size_t perpetrator_record = 0;  // Index into records.
  // Who heard of it: police, idva, health, housing, childrens_services, or
  // "IDVA service" (the IDVA at the One Stop Shop).
  std::string agency;
  int children = 0;
  Relationship relationship = Relationship::kNotRecorded;  // Victim's to
                                                           // perpetrator.
  // Police incidents: recorded as a crime (true) or a non-crime incident.
  // Absent for incidents other agencies heard of.
  std::optional<bool> crime;
  // Completed on the incident date. Its history holds what the generator
  // knows of the victim (age, children, disability, an HBV concern), a
  // professional-judgement referral with its reason, and on DARA the
  // officer's grade and rationale; the incident dates and earlier MARAC
  // referrals are left to the caller's linked records.
  SyntheticAssessment assessment;
  // An S-DASH completed after a stalking "yes", with no history.
  std::optional<SyntheticAssessment> supplement;
  // With a judgement referral: the referrer's account, for the referral.
  std::string judgement_narrative;
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
  // The force moves from the police DASH form to DARA on this day; after it
  // this share of police incidents is assessed on DARA (the rest on DASH,
  // by officers not yet trained).
  Date dara_from{2026, 2, 1};
  double dara_share = 0.8;
  // The share of MARAC referrals made on professional judgement: below
  // the threshold, with a serious-harm factor present (strangulation,
  // stalking, threats to kill, a weapon, escalation...). Held near this
  // share as the year goes, against the referrals the other criteria make
  // (by the generator's own reckoning of high scores, escalation and
  // repeats with the true people).
  double judgement_share = 0.15;
};

SyntheticBorough SyntheticBoroughYear(std::uint64_t seed,
                                      const BoroughOptions& options = {});

}  // namespace marac

#endif  // MARAC_SYNTHETIC_SYNTHETIC_BOROUGH_H_
