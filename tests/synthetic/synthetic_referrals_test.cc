// The invented referral record: every one passes the library's checks,
// and the shares are plausible (most consent, couples at one address are
// partners, a few exclusions and language needs, most children named).
#include "lib/synthetic/synthetic_referrals.h"

#include <gtest/gtest.h>

namespace marac {
namespace {

TEST(SyntheticReferralsTest, EveryRecordPassesTheChecksInPlausibleShares) {
  SplitMix64 rng(7);
  PersonRecord victim;
  victim.given_name = "Elspeth";
  victim.family_name = "Marlowe";
  victim.gender = "f";
  victim.dob = "1990-07-03";
  victim.address_line = "4 Wren Yard";
  victim.postcode = "LS6 2AB";
  PersonRecord apart = victim;
  apart.given_name = "Corin";
  apart.family_name = "Ashby";
  apart.gender = "m";
  apart.address_line = "9 Fen Lane";
  const std::vector<std::string> exclusions = {"Housing", "Probation"};
  int consented = 0, partners = 0, excluded = 0, language = 0, named = 0;
  const int n = 2000;
  for (int k = 0; k < n; ++k) {
    StoredReferral r;
    r.agency = k % 3 == 0 ? "idva" : "police";
    r.referred_on = *Date::Parse("d", "2026-05-01");
    r.children_in_household = k % 4;
    const bool together = k % 2 == 0;
    PersonRecord perpetrator = apart;
    if (together) perpetrator.address_line = victim.address_line;
    const ReferralDetails d =
        SyntheticReferralDetails(rng, victim, perpetrator, r, exclusions);
    const Status ok = CheckReferralDetails(
        "referral", d, r.agency, r.referred_on, r.children_in_household);
    ASSERT_TRUE(ok.ok()) << ok;
    consented += d.consent == VictimConsent::kConsented;
    if (together) partners += d.relationship == Relationship::kPartner;
    excluded += !d.excluded_agencies.empty();
    language += !d.language.empty();
    named += !d.children.empty();
    EXPECT_EQ(d.equality.gender_identity, "woman");
    EXPECT_EQ(d.equality.age_band, "35-44");
    EXPECT_FALSE(d.referrer.name.empty());
    EXPECT_EQ(d.referrer.contact.rfind("020 7946 0", 0), 0u);
  }
  EXPECT_EQ(partners, n / 2) << "a couple at one address are partners";
  EXPECT_NEAR(consented / double(n), 0.72, 0.05);
  EXPECT_NEAR(excluded / double(n), 0.05, 0.02);
  EXPECT_NEAR(language / double(n), 0.07, 0.02);
  // Three in four referrals have children; four in five of those name them.
  EXPECT_NEAR(named / double(n), 0.75 * 0.8, 0.05);
}

}  // namespace
}  // namespace marac
