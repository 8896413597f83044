// The referral record's details: names parse back, and each bad value is
// refused naming its field. People here are invented.
#include "marac/casefile/referral_details.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace marac {
namespace {

Date D(const char* text) { return *Date::Parse("date", text); }

TEST(ReferralDetailsTest, EnumNamesParseBack) {
  for (const VictimConsent c :
       {VictimConsent::kNotRecorded, VictimConsent::kConsented,
        VictimConsent::kAwareNotConsented, VictimConsent::kNotAware}) {
    const Result<VictimConsent> back =
        ParseVictimConsent("consent", VictimConsentName(c));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, c);
  }
  for (const Relationship r :
       {Relationship::kNotRecorded, Relationship::kPartner,
        Relationship::kExPartner, Relationship::kFamilyMember,
        Relationship::kOther}) {
    const Result<Relationship> back =
        ParseRelationship("relationship", RelationshipName(r));
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, r);
  }
  const Result<VictimConsent> bad = ParseVictimConsent("x.consent", "yes");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("x.consent"), std::string::npos);
  EXPECT_NE(bad.status().message().find("aware_not_consented"),
            std::string::npos);
  EXPECT_EQ(RelationshipWords(Relationship::kExPartner), "ex-partner");
  EXPECT_FALSE(EqualityValues("ethnicity").empty());
  EXPECT_TRUE(EqualityValues("postcode").empty());
}

ReferralDetails Full() {
  ReferralDetails d;
  d.referrer = {"Wren Alderton", "IDVA", "0300 000 0000"};
  d.judgement_narrative = "Controlling, and the victim is frightened.\n";
  d.consent = VictimConsent::kConsented;
  d.relationship = Relationship::kExPartner;
  d.children = {{"Ivo", "Quillfeather", D("2019-03-02"), {"school"}},
                {"Nell", "", std::nullopt, {}}};
  d.language = "Polish";
  d.interpreter_needed = true;
  d.safe_contact = "Mobile after 6pm; no voicemail.";
  d.excluded_agencies = {"housing"};
  d.equality = {"woman", "white_other", "no", "not_stated", "25-34"};
  return d;
}

TEST(ReferralDetailsTest, AFullRecordAndAnEmptyOnePass) {
  EXPECT_TRUE(
      CheckReferralDetails("referral", Full(), "police", D("2026-05-01"), 2)
          .ok());
  EXPECT_TRUE(
      CheckReferralDetails("referral", {}, "police", D("2026-05-01"), 0).ok());
}

TEST(ReferralDetailsTest, EachBadValueNamesItsField) {
  const struct {
    const char* field;
    std::function<void(ReferralDetails&)> spoil;
    int children = 2;
  } kCases[] = {
      {"referral.children",
       [](ReferralDetails& d) {
         d.children.push_back({"Third", "", {}, {}});
       }},
      {"referral.children[1].given_name",
       [](ReferralDetails& d) { d.children[1].given_name = "  "; }},
      {"referral.children[0].date_of_birth",
       [](ReferralDetails& d) {
         d.children[0].date_of_birth = D("2026-06-01");
       }},
      {"referral.children[0].date_of_birth",
       [](ReferralDetails& d) {
         d.children[0].date_of_birth = D("2008-04-30");
       }},
      {"referral.children[0].known_to[1]",
       [](ReferralDetails& d) { d.children[0].known_to.push_back("school"); }},
      {"referral.excluded_agencies[1]",
       [](ReferralDetails& d) { d.excluded_agencies.push_back("police"); }},
      {"referral.excluded_agencies[0]",
       [](ReferralDetails& d) { d.excluded_agencies[0] = ""; }},
      {"referral.interpreter_needed",
       [](ReferralDetails& d) { d.language.clear(); }},
      {"referral.referrer.name",
       [](ReferralDetails& d) { d.referrer.name = "Wren\x01"; }},
      {"referral.referrer.contact",
       [](ReferralDetails& d) { d.referrer.contact = "line\nbreak"; }},
      {"referral.judgement_narrative",
       [](ReferralDetails& d) { d.judgement_narrative.assign(4097, 'x'); }},
      {"referral.equality.ethnicity",
       [](ReferralDetails& d) { d.equality.ethnicity = "white"; }},
      {"referral.equality.age_band",
       [](ReferralDetails& d) { d.equality.age_band = "15"; }},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.field);
    ReferralDetails d = Full();
    c.spoil(d);
    const Status s = CheckReferralDetails("referral", d, "police",
                                          D("2026-05-01"), c.children);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message().rfind(std::string(c.field) + ":", 0), 0u)
        << s.message();
  }
  // A child a day short of 18 on the referral date is still a child.
  ReferralDetails d = Full();
  d.children[0].date_of_birth = D("2008-05-02");
  EXPECT_TRUE(
      CheckReferralDetails("referral", d, "police", D("2026-05-01"), 2).ok());
}

}  // namespace
}  // namespace marac
