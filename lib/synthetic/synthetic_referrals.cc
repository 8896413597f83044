#include "lib/synthetic/synthetic_referrals.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "lib/synthetic/invented_names.h"

namespace marac {
namespace {

template <typename T, std::size_t N>
const T& Pick(SplitMix64& rng, const T (&items)[N]) {
  return items[rng.Below(N)];
}

constexpr const char* kReferrerGiven[] = {
    "Alys",  "Bronwen", "Cai",  "Delyth", "Eamon", "Fenella", "Gethin",
    "Hedda", "Idris",   "Jory", "Kezia",  "Lowri", "Morwen",  "Niamh"};

struct AgencyRoles {
  const char* agency;
  const char* roles[2];
};
constexpr AgencyRoles kRoles[] = {
    {"police", {"PC", "DC"}},
    {"idva", {"IDVA", "Senior IDVA"}},
    {"health", {"Midwife", "Safeguarding nurse"}},
    {"housing", {"Tenancy officer", "Housing options officer"}},
    {"childrens_services", {"Social worker", "Team manager"}},
    {"IDVA service", {"IDVA at the One Stop Shop", "Senior IDVA"}},
};

constexpr const char* kChildGiven[] = {
    "Oliver", "Amelia", "Harry", "Isla", "Noah",  "Ava",   "Leo",  "Freya",
    "Jack",   "Poppy",  "Oscar", "Ivy",  "Alfie", "Rosie", "Theo", "Evie"};

constexpr const char* kLanguages[] = {
    "Polish", "Urdu", "Romanian", "Punjabi", "Arabic", "Portuguese", "Bengali"};

// "{he}" is the perpetrator, "{her}" the victim's (possessive).
constexpr const char* kSafeContact[] = {
    "Mobile only, weekdays 10:00-14:00 while {he} is at work; no voicemail",
    "Through {her} sister's number; do not call the landline",
    "At the GP surgery appointments only",
    "Text first asking if it is safe to call; no agency name in messages",
    "Email to the address on file, which {he} does not know",
};

std::string Pronouns(std::string text, const PersonRecord& victim,
                     const PersonRecord& perpetrator) {
  const auto replace = [&](std::string_view key, std::string_view value) {
    for (std::size_t at = text.find(key); at != std::string::npos;
         at = text.find(key, at + value.size())) {
      text.replace(at, key.size(), value);
    }
  };
  replace("{he}", perpetrator.gender == "f" ? "she" : "he");
  replace("{her}", victim.gender == "m" ? "his" : "her");
  return text;
}

std::string AgeBand(int age) {
  if (age < 18) return "16-17";
  if (age < 25) return "18-24";
  if (age < 35) return "25-34";
  if (age < 45) return "35-44";
  if (age < 55) return "45-54";
  if (age < 65) return "55-64";
  if (age < 75) return "65-74";
  return "75+";
}

}  // namespace

ReferralDetails SyntheticReferralDetails(
    SplitMix64& rng, const PersonRecord& victim,
    const PersonRecord& perpetrator, const StoredReferral& referral,
    std::span<const std::string> exclusions, const ReferralFacts& facts) {
  ReferralDetails d;
  d.referrer.name = std::string(Pick(rng, kReferrerGiven)) + " " +
                    Pick(rng, kInventedNameStart) + Pick(rng, kInventedNameEnd);
  const auto role = std::find_if(
      std::begin(kRoles), std::end(kRoles),
      [&](const AgencyRoles& r) { return referral.agency == r.agency; });
  d.referrer.role =
      role == std::end(kRoles) ? "Support worker" : role->roles[rng.Below(2)];
  const Result<Date> dob = Date::Parse("dob", victim.dob);
  const int victim_age = dob.ok() ? WholeYears(*dob, referral.referred_on) : 40;
  // A midwife refers a woman of an age to have a baby.
  if (d.referrer.role == "Midwife" &&
      (victim.gender != "f" || victim_age > 45)) {
    d.referrer.role = "Safeguarding nurse";
  }
  char phone[32];
  std::snprintf(phone, sizeof phone, "020 7946 0%03d",
                static_cast<int>(rng.Below(1000)));
  d.referrer.contact = phone;

  static constexpr std::pair<const char*, double> kConsent[] = {
      {"consented", 0.72},
      {"aware_not_consented", 0.14},
      {"not_aware", 0.10},
      {"not_recorded", 0.04}};
  d.consent = *ParseVictimConsent("consent", Weighted(rng, kConsent));
  const bool cohabit = !victim.address_line.empty() &&
                       victim.address_line == perpetrator.address_line &&
                       victim.postcode == perpetrator.postcode;
  static constexpr std::pair<const char*, double> kApart[] = {
      {"ex_partner", 0.78}, {"family_member", 0.14}, {"other", 0.08}};
  d.relationship =
      cohabit ? Relationship::kPartner
              : *ParseRelationship("relationship", Weighted(rng, kApart));
  if (facts.relationship != Relationship::kNotRecorded) {
    d.relationship = facts.relationship;
  }
  d.judgement_narrative = facts.judgement_narrative;

  // One referral in five counts its children without naming them.
  if (referral.children_in_household > 0 && rng.Uniform() < 0.8) {
    for (int k = 0; k < referral.children_in_household; ++k) {
      ChildInHousehold c;
      c.given_name = Pick(rng, kChildGiven);
      c.family_name =
          rng.Uniform() < 0.6 ? victim.family_name : perpetrator.family_name;
      // Born when the victim was 16 at the youngest.
      const std::uint64_t age = rng.Below(
          static_cast<std::uint64_t>(std::clamp(victim_age - 15, 1, 17)));
      c.date_of_birth = referral.referred_on.AddDays(
          -static_cast<std::int64_t>(age * 365 + rng.Below(300)) - 1);
      if (age < 5) c.known_to.push_back("Health visiting");
      if (age >= 4) c.known_to.push_back("School");
      if (rng.Uniform() < 0.25) c.known_to.push_back("Children's Services");
      d.children.push_back(std::move(c));
    }
  }
  if (rng.Uniform() < 0.07) {
    d.language = Pick(rng, kLanguages);
    d.interpreter_needed = rng.Uniform() < 0.6;
  }
  d.safe_contact = Pronouns(Pick(rng, kSafeContact), victim, perpetrator);
  if (!exclusions.empty() && rng.Uniform() < 0.05) {
    // Never the referring agency itself (CheckReferralDetails refuses it).
    const std::string& excluded = exclusions[rng.Below(exclusions.size())];
    if (excluded != referral.agency) d.excluded_agencies = {excluded};
  }

  d.equality.gender_identity = victim.gender == "f"   ? "woman"
                               : victim.gender == "m" ? "man"
                                                      : "not_stated";
  static constexpr std::pair<const char*, double> kEthnicity[] = {
      {"white_british", 0.72}, {"white_other", 0.08}, {"asian", 0.08},
      {"black", 0.05},         {"mixed", 0.03},       {"arab", 0.01},
      {"other", 0.01},         {"not_stated", 0.02}};
  d.equality.ethnicity = Weighted(rng, kEthnicity);
  static constexpr std::pair<const char*, double> kDisability[] = {
      {"no", 0.8}, {"yes", 0.12}, {"not_stated", 0.08}};
  d.equality.disability = Weighted(rng, kDisability);
  if (facts.victim_disability) {
    d.equality.disability = *facts.victim_disability ? "yes"
                            : d.equality.disability == "yes"
                                ? "no"
                                : d.equality.disability;
  }
  // A couple's orientation fits their genders; a relative's is drawn.
  static constexpr std::pair<const char*, double> kOrientation[] = {
      {"heterosexual", 0.85},
      {"gay_or_lesbian", 0.03},
      {"bisexual", 0.03},
      {"not_stated", 0.09}};
  static constexpr std::pair<const char*, double> kSameSex[] = {
      {"gay_or_lesbian", 0.65}, {"bisexual", 0.25}, {"not_stated", 0.10}};
  static constexpr std::pair<const char*, double> kOtherSex[] = {
      {"heterosexual", 0.92}, {"bisexual", 0.02}, {"not_stated", 0.06}};
  const bool couple = d.relationship == Relationship::kPartner ||
                      d.relationship == Relationship::kExPartner;
  const bool genders_known =
      !victim.gender.empty() && !perpetrator.gender.empty();
  d.equality.sexual_orientation =
      !couple || !genders_known             ? Weighted(rng, kOrientation)
      : victim.gender == perpetrator.gender ? Weighted(rng, kSameSex)
                                            : Weighted(rng, kOtherSex);
  if (dob.ok()) d.equality.age_band = AgeBand(victim_age);
  return d;
}

}  // namespace marac
