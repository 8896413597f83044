// The research list: who each listed case names, with the other names and
// dates of birth of their linked records; an agency's list without the
// cases excluded from it; never an address, a phone number, the
// safe-contact note or equality monitoring. People here are invented.
#include "marac/agenda/research_list.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "marac/agenda/case_file_agenda.h"
#include "tests/agenda/invented_records.h"

namespace marac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Date D(const char* text) { return *Date::Parse("date", text); }

StoredReferral Referral(const char* id, const char* on, const char* victim,
                        const char* perpetrator) {
  StoredReferral r;
  r.referral_id = id;
  r.submission_id = std::string("s-") + id;
  r.area = "north";
  r.agency = "Police";
  r.source = ReferralSource::kPolice;
  r.referred_on = D(on);
  r.victim_record_id = victim;
  r.perpetrator_record_ids = {perpetrator};
  r.criteria = {"visible_high_risk"};
  return r;
}

// Elspeth Marlowe (two records: a maiden name, and a date of birth typed
// differently) harmed by Corin Ashby, with two children, one named, and
// Housing excluded (he works there); Tamsin Oakes harmed by Hal Venn.
CaseFile File() {
  CaseFile f;
  PersonRecord v1 =
      Record("V1", "Elspeth", "Marlowe", "1990-07-03", Role::kVictim);
  v1.previous_family_names = {"Brannagh"};
  f.records = {
      v1,
      Record("V1b", "Elspeth", "Marlow", "1990-03-07", Role::kVictim),
      Record("V2", "Tamsin", "Oakes", "1985-11-20", Role::kVictim),
      Record("X1", "Corin", "Ashby", "1984-01-09", Role::kPerpetrator),
      Record("X1b", "Corin", "Ashbey", "1984-01-09", Role::kPerpetrator),
      Record("X2", "Hal", "Venn", "", Role::kPerpetrator)};
  f.people = {{"V1", "P1"}, {"V1b", "P1"}, {"V2", "P2"},
              {"X1", "P3"}, {"X1b", "P3"}, {"X2", "P4"}};
  StoredReferral r1 = Referral("R1", "2026-03-02", "V1", "X1");
  r1.children_in_household = 2;
  r1.criteria = {"professional_judgement"};
  ReferralDetails& d = r1.details;
  d.referrer = {"Wren Alderton", "PC", "0300 000 0001"};
  d.consent = VictimConsent::kAwareNotConsented;
  d.relationship = Relationship::kExPartner;
  d.children = {{"Ivo", "Ashby", D("2019-03-02"), {"School", "Health"}}};
  d.language = "Polish";
  d.interpreter_needed = true;
  d.safe_contact = "Mobile after 6pm only";
  d.excluded_agencies = {"Housing"};
  d.equality = {"woman", "white_other", "yes", "bisexual", "35-44"};
  f.referrals = {r1, Referral("R2", "2026-03-04", "V2", "X2")};
  return f;
}

Agenda AgendaOf(const CaseFile& f) {
  const AgendaMeeting meeting{"M-2026-03-20-north", "north", D("2026-03-20"),
                              D("2026-03-13"),      10,      0};
  Result<Agenda> a = AgendaFromCaseFile(f, meeting);
  EXPECT_TRUE(a.ok()) << a.status();
  return *a;
}

TEST(ResearchListTest, NamesEveryoneWithTheirOtherNamesAndDatesOfBirth) {
  const CaseFile f = File();
  const Result<ResearchList> list = BuildResearchList(AgendaOf(f), f, "");
  ASSERT_TRUE(list.ok()) << list.status();
  ASSERT_EQ(list->cases.size(), 2u);
  EXPECT_TRUE(list->withheld_referral_ids.empty());
  const ResearchCase& c =
      list->cases[0].referral_id == "R1" ? list->cases[0] : list->cases[1];
  EXPECT_EQ(c.victim.name, "Elspeth Marlowe");
  EXPECT_THAT(c.victim.other_names,
              ElementsAre("Elspeth Brannagh", "Elspeth Marlow"));
  EXPECT_THAT(c.victim.dates_of_birth, ElementsAre("1990-03-07", "1990-07-03"));
  ASSERT_EQ(c.perpetrators.size(), 1u);
  EXPECT_THAT(c.perpetrators[0].other_names, ElementsAre("Corin Ashbey"));
  ASSERT_EQ(c.children.size(), 1u);
  EXPECT_EQ(c.children[0].name, "Ivo Ashby");
  EXPECT_THAT(c.children[0].known_to, ElementsAre("School", "Health"));
  EXPECT_EQ(c.children_not_named, 1);
  EXPECT_EQ(c.route, "professional judgement");
  EXPECT_EQ(c.relationship, "ex-partner");
  EXPECT_EQ(c.consent, "aware, not consented");
  EXPECT_EQ(c.language, "Polish (interpreter needed)");
  EXPECT_THAT(c.excluded_agencies, ElementsAre("Housing"));
  // The other case, with no details recorded, says so.
  const ResearchCase& other =
      &c == &list->cases[0] ? list->cases[1] : list->cases[0];
  EXPECT_EQ(other.relationship, "not recorded");
  EXPECT_TRUE(other.perpetrators[0].dates_of_birth.empty());
}

TEST(ResearchListTest, AnAgencysListLeavesOutTheCasesExcludedFromIt) {
  const CaseFile f = File();
  const Agenda agenda = AgendaOf(f);
  // Matched without regard to case or spaces.
  const Result<ResearchList> housing =
      BuildResearchList(agenda, f, " housing ");
  ASSERT_TRUE(housing.ok()) << housing.status();
  ASSERT_EQ(housing->cases.size(), 1u);
  EXPECT_EQ(housing->cases[0].referral_id, "R2");
  EXPECT_THAT(housing->withheld_referral_ids, ElementsAre("R1"));
  EXPECT_TRUE(housing->cases[0].excluded_agencies.empty());
  for (const std::string& text :
       {ResearchListJson(*housing), ResearchListMarkdown(*housing),
        ResearchListHtml(*housing)}) {
    EXPECT_THAT(text, Not(HasSubstr("R1")));
    EXPECT_THAT(text, Not(HasSubstr("Marlowe")));
    EXPECT_THAT(text, Not(HasSubstr("Ashby")));
  }
  const Result<ResearchList> health = BuildResearchList(agenda, f, "Health");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->cases.size(), 2u);
  EXPECT_TRUE(health->withheld_referral_ids.empty());
}

TEST(ResearchListTest, RenderingsNeverCarryAddressesContactsOrEquality) {
  const CaseFile f = File();
  const Result<ResearchList> list = BuildResearchList(AgendaOf(f), f, "");
  ASSERT_TRUE(list.ok());
  PriorityPolicy policy;
  const std::string json = ResearchListJson(*list, policy);
  for (const std::string& text : {json, ResearchListMarkdown(*list, policy),
                                  ResearchListHtml(*list, policy)}) {
    SCOPED_TRACE(text.substr(0, 60));
    EXPECT_THAT(text, HasSubstr("OFFICIAL-SENSITIVE"));
    EXPECT_THAT(text, HasSubstr("Elspeth Brannagh"));
    EXPECT_THAT(text, HasSubstr("1990-03-07"));
    EXPECT_THAT(text, HasSubstr("Ivo Ashby"));
    for (const char* never :
         {"Wren Yard", "LS6", "6pm", "0300 000", "white_other", "bisexual",
          "35-44", "Wren Alderton"}) {
      EXPECT_THAT(text, Not(HasSubstr(never))) << never;
    }
  }
  const nlohmann::json j = nlohmann::json::parse(json);
  EXPECT_EQ(j["meeting_id"], "M-2026-03-20-north");
  EXPECT_EQ(j["agency"], "");
  ASSERT_EQ(j["cases"].size(), 2u);
  for (const auto& c : j["cases"]) {
    for (const char* key :
         {"position", "referral_id", "case_reference", "referring_agency",
          "referred_on", "route", "relationship", "consent", "language",
          "victim", "perpetrators", "children", "children_not_named",
          "excluded_agencies"}) {
      EXPECT_TRUE(c.contains(key)) << key;
    }
  }
  EXPECT_THAT(ResearchListHtml(*list), HasSubstr("MUST NOT be sent to"));
}

TEST(ResearchListTest, AListedReferralMissingFromTheCaseFileIsRefused) {
  CaseFile f = File();
  const Agenda agenda = AgendaOf(f);
  f.referrals.pop_back();
  const Result<ResearchList> list = BuildResearchList(agenda, f, "");
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(list.status().message(), HasSubstr("R2"));
}

}  // namespace
}  // namespace marac
