// The referral record as a referrer fills it in, invented and seeded, for
// the demo and the tests: who referred (by the referring agency's usual
// role), what the victim knows, the relationship (a couple at one address
// are partners; most others ex-partners), the children named with their
// dates of birth and the services that know them, a language need in a
// few, a safe-contact note, an agency excluded now and then (one of
// `exclusions`), and equality monitoring in plausible shares. Every person
// and number is invented (telephone numbers from Ofcom's drama range).
//
//   SplitMix64 rng(seed);
//   r.details = SyntheticReferralDetails(rng, victim, perpetrator, r,
//                                        {"Housing", "Probation"});
#ifndef MARAC_SYNTHETIC_SYNTHETIC_REFERRALS_H_
#define MARAC_SYNTHETIC_SYNTHETIC_REFERRALS_H_

#include <optional>
#include <span>
#include <string>

#include "lib/synthetic/synthetic_assessments.h"
#include "marac/casefile/case_file.h"
#include "marac/identity/person_record.h"

namespace marac {

// What the caller knows of the case beyond the two records, so that the
// details agree with it. Each field left as it is is drawn.
struct ReferralFacts {
  // Not recorded: a couple at one address are partners, others mostly
  // ex-partners, some relatives.
  Relationship relationship = Relationship::kNotRecorded;
  std::optional<bool> victim_disability;  // For equality monitoring.
  // The referrer's account of a judgement referral, kept as it is.
  std::string judgement_narrative;
};

// Details for `referral` (its agency, date and children_in_household are
// read; the result passes CheckReferralDetails for it). The children are
// younger than the victim could have had them (16 years less); the
// wording follows the victim's and the perpetrator's recorded genders;
// a couple's sexual orientation fits their genders.
ReferralDetails SyntheticReferralDetails(
    SplitMix64& rng, const PersonRecord& victim,
    const PersonRecord& perpetrator, const StoredReferral& referral,
    std::span<const std::string> exclusions, const ReferralFacts& facts = {});

}  // namespace marac

#endif  // MARAC_SYNTHETIC_SYNTHETIC_REFERRALS_H_
