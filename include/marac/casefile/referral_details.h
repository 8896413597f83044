// What a MARAC referral says beyond its route: who referred and how to
// reach them, the judgement behind a professional-judgement referral, what
// the victim knows of the referral, the relationship to the perpetrator,
// the children in the household, language, how to contact the victim
// safely, the agencies that must never receive the case, and equality
// monitoring (for aggregate returns only: never printed per case).
//
// Every field is optional: a referral from before these fields existed has
// them empty, and reads as "not recorded".
//
//   ReferralDetails d;
//   d.consent = VictimConsent::kConsented;
//   d.excluded_agencies = {"housing"};
//   MARAC_RETURN_IF_ERROR(CheckReferralDetails("referral", referral));
#ifndef MARAC_CASEFILE_REFERRAL_DETAILS_H_
#define MARAC_CASEFILE_REFERRAL_DETAILS_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/date.h"
#include "marac/common/result.h"

namespace marac {

// What the victim knows of the referral. A MARAC may hear a case without
// consent (the risk justifies sharing), but agencies must know which.
enum class VictimConsent {
  kNotRecorded,
  kConsented,          // Knows and agrees.
  kAwareNotConsented,  // Knows, and did not agree.
  kNotAware,           // Not told (it would raise the risk, or no contact).
};
// "not_recorded" | "consented" | "aware_not_consented" | "not_aware"
std::string_view VictimConsentName(VictimConsent consent);
Result<VictimConsent> ParseVictimConsent(std::string_view field,
                                         std::string_view name);
// In words, for a person: "consented", "aware, not consented", ...
std::string_view VictimConsentWords(VictimConsent consent);

// The victim's relationship to the perpetrator.
enum class Relationship {
  kNotRecorded,
  kPartner,       // Current intimate partner.
  kExPartner,     // Former intimate partner.
  kFamilyMember,  // Parent, child, sibling or other relative.
  kOther,
};
// "not_recorded" | "partner" | "ex_partner" | "family_member" | "other"
std::string_view RelationshipName(Relationship relationship);
Result<Relationship> ParseRelationship(std::string_view field,
                                       std::string_view name);
// In words: "partner", "ex-partner", "family member", ...
std::string_view RelationshipWords(Relationship relationship);

// The professional who made the referral; their agency is the referral's.
struct Referrer {
  std::string name;
  std::string role;     // e.g. "IDVA", "PC", "health visitor"
  std::string contact;  // A work telephone number or secure e-mail.
  friend bool operator==(const Referrer&, const Referrer&) = default;
};

// A child (under 18) living in the victim's household.
struct ChildInHousehold {
  std::string given_name;  // Required.
  std::string family_name;
  std::optional<Date> date_of_birth;
  std::vector<std::string> known_to;  // Agencies that know the child.
  friend bool operator==(const ChildInHousehold&,
                         const ChildInHousehold&) = default;
};

// Equality monitoring, each field empty (not recorded) or one of its
// values (EqualityValues). Counted in returns; never shown per case.
struct EqualityMonitoring {
  std::string gender_identity;
  std::string ethnicity;
  std::string disability;
  std::string sexual_orientation;
  std::string age_band;
  friend bool operator==(const EqualityMonitoring&,
                         const EqualityMonitoring&) = default;
};

// The values a field of EqualityMonitoring may take, by the field's name
// ("gender_identity", ...); empty for any other name.
std::span<const std::string_view> EqualityValues(std::string_view field);

struct ReferralDetails {
  Referrer referrer;
  // Why the referrer judged the case to need a MARAC: required in spirit
  // for a professional-judgement referral, kept for any.
  std::string judgement_narrative;
  VictimConsent consent = VictimConsent::kNotRecorded;
  Relationship relationship = Relationship::kNotRecorded;
  std::vector<ChildInHousehold> children;
  std::string language;  // The victim's first language, when not English.
  bool interpreter_needed = false;
  // How to contact the victim safely (times, number, what not to do).
  std::string safe_contact;
  // Agencies that must not receive the case (for example, one where the
  // perpetrator works): left out of their research list.
  std::vector<std::string> excluded_agencies;
  EqualityMonitoring equality;
  friend bool operator==(const ReferralDetails&,
                         const ReferralDetails&) = default;
};

// The language need in words: "Polish (interpreter needed)", "Urdu";
// empty when no language is recorded.
std::string LanguageWords(const ReferralDetails& details);

// Checks `details` of a referral made by `agency` on `referred_on` that
// counts `children_in_household` children: each refusal is
// kInvalidArgument naming the field under `field` (e.g.
// "referral.children[1].date_of_birth"). Children listed must number no
// more than the count, each named, born on or before the referral and
// under 18 then; agencies (known_to, excluded) are non-blank and not
// repeated, and the referring agency is not excluded; an interpreter needs
// a language; equality values come from EqualityValues; text fields have
// no control characters (the narrative and safe-contact note may hold line
// breaks) and stay within 4,096 bytes.
Status CheckReferralDetails(std::string_view field,
                            const ReferralDetails& details,
                            std::string_view agency, Date referred_on,
                            int children_in_household);

}  // namespace marac

#endif  // MARAC_CASEFILE_REFERRAL_DETAILS_H_
