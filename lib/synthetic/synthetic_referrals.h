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

#include <span>
#include <string>

#include "lib/synthetic/synthetic_assessments.h"
#include "marac/casefile/case_file.h"
#include "marac/identity/person_record.h"

namespace marac {

// Details for `referral` (its agency, date and children_in_household are
// read; the result passes CheckReferralDetails for it).
ReferralDetails SyntheticReferralDetails(
    SplitMix64& rng, const PersonRecord& victim,
    const PersonRecord& perpetrator, const StoredReferral& referral,
    std::span<const std::string> exclusions);

}  // namespace marac

#endif  // MARAC_SYNTHETIC_SYNTHETIC_REFERRALS_H_
