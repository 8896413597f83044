// The synthetic borough a coordinator is shown must be believable: answers
// that fit the victim, the national mix of victims and relationships,
// judgement referrals in the referrer's words, DARA after the switch, and
// One Stop Shop years on working days. Everyone here is invented.
#include "lib/synthetic/synthetic_borough.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "lib/synthetic/synthetic_one_stop_shop.h"
#include "marac/assess/instrument.h"
#include "marac/calendar/calendar.h"
#include "marac/report/one_stop_shop.h"

namespace marac {
namespace {

constexpr std::uint64_t kSeed = 20261123;  // The demo's default.

const SyntheticBorough& Borough() {
  static const SyntheticBorough* const borough =
      new SyntheticBorough(SyntheticBoroughYear(kSeed));
  return *borough;
}

// The answer to the item with indicator `key`, if asked.
std::optional<Answer> AnswerTo(const SyntheticAssessment& a,
                               std::string_view key) {
  const Result<std::shared_ptr<const Instrument>> instrument =
      InstrumentSet::BuiltIn().Find(a.instrument);
  if (!instrument.ok()) return std::nullopt;
  for (const InstrumentItem& item : (*instrument)->items()) {
    if (item.key != key) continue;
    for (const auto& [number, answer] : a.answers) {
      if (number == item.number) return answer;
    }
  }
  return std::nullopt;
}

TEST(SyntheticBoroughTest, SameSeedSameBorough) {
  const SyntheticBorough again = SyntheticBoroughYear(kSeed);
  ASSERT_EQ(again.incidents.size(), Borough().incidents.size());
  for (std::size_t k = 0; k < again.incidents.size(); ++k) {
    const BoroughIncident& a = again.incidents[k];
    const BoroughIncident& b = Borough().incidents[k];
    EXPECT_EQ(a.occurred_on, b.occurred_on);
    EXPECT_EQ(a.assessment.answers, b.assessment.answers);
    EXPECT_EQ(a.judgement_narrative, b.judgement_narrative);
  }
}

TEST(SyntheticBoroughTest, AnswersFitTheVictim) {
  int pregnant = 0;
  int child_items = 0;
  for (const BoroughIncident& i : Borough().incidents) {
    SCOPED_TRACE(i.incident_id);
    const PersonRecord& victim = Borough().records[i.victim_record];
    const SyntheticAssessment& a = i.assessment;
    ASSERT_TRUE(a.history.victim_age.has_value());
    EXPECT_GE(*a.history.victim_age, 16) << "MARAC is for victims of 16+";
    EXPECT_EQ(a.history.children_in_household, i.children);
    if (AnswerTo(a, "pregnancy_new_baby") == Answer::kYes) {
      ++pregnant;
      EXPECT_EQ(victim.gender, "f");
      EXPECT_GE(*a.history.victim_age, 16);
      EXPECT_LE(*a.history.victim_age, 49);
    }
    for (const char* key : {"child_contact_conflict", "dependants_in_household",
                            "harm_to_children", "threat_to_children"}) {
      if (AnswerTo(a, key) == Answer::kYes) {
        ++child_items;
        EXPECT_GT(i.children, 0) << key;
      }
    }
    if (AnswerTo(a, "sexual_abuse") == Answer::kYes) {
      EXPECT_NE(i.relationship, Relationship::kFamilyMember);
    }
  }
  EXPECT_GT(pregnant, 10) << "the item is still answered yes where it fits";
  EXPECT_GT(child_items, 50);
}

TEST(SyntheticBoroughTest, VictimsAndRelationshipsFollowTheNationalMix) {
  std::map<std::uint32_t, const BoroughIncident*> first_of;
  for (const BoroughIncident& i : Borough().incidents) {
    first_of.emplace(Borough().person[i.victim_record], &i);
  }
  int women = 0, family = 0, same_sex = 0, male_perpetrators = 0, minors = 0;
  for (const auto& [person, i] : first_of) {
    const PersonRecord& v = Borough().records[i->victim_record];
    const PersonRecord& p = Borough().records[i->perpetrator_record];
    women += v.gender == "f";
    male_perpetrators += p.gender == "m";
    const bool couple = i->relationship == Relationship::kPartner ||
                        i->relationship == Relationship::kExPartner;
    same_sex += couple && v.gender == p.gender;
    family += i->relationship == Relationship::kFamilyMember;
    minors += *i->assessment.history.victim_age < 18;
    EXPECT_NE(i->relationship, Relationship::kNotRecorded);
  }
  const double n = static_cast<double>(first_of.size());
  EXPECT_GT(women / n, 0.88);
  EXPECT_LT(women / n, 0.97);
  EXPECT_GT(male_perpetrators / n, 0.8);
  EXPECT_GT(same_sex / n, 0.01) << "some same-sex couples";
  EXPECT_LT(same_sex / n, 0.08);
  EXPECT_GT(family / n, 0.05) << "some family abuse";
  EXPECT_LT(family / n, 0.2);
  EXPECT_GT(minors, 0) << "a few victims aged 16 or 17";
  EXPECT_LT(minors / n, 0.05);
}

TEST(SyntheticBoroughTest, JudgementDaraAndSupplementsAreWhereTheyBelong) {
  const BoroughOptions options;
  int judged = 0, dara = 0, police_after = 0, crimes = 0, police = 0;
  std::set<std::string> narratives;
  for (const BoroughIncident& i : Borough().incidents) {
    SCOPED_TRACE(i.incident_id);
    const SyntheticAssessment& a = i.assessment;
    const bool by_police = i.agency == "police";
    EXPECT_NE(i.agency, "one_stop_shop") << "a venue, not an agency";
    EXPECT_EQ(i.crime.has_value(), by_police);
    police += by_police;
    crimes += i.crime.value_or(false);
    if (by_police && !(i.occurred_on < options.dara_from)) ++police_after;
    if (a.history.professional_judgement == ProfessionalJudgement::kRefer) {
      ++judged;
      EXPECT_FALSE(a.history.professional_judgement_reason.empty());
      EXPECT_GT(i.judgement_narrative.size(), 80u);
      narratives.insert(i.judgement_narrative);
    } else {
      EXPECT_TRUE(i.judgement_narrative.empty());
    }
    if (a.instrument == "dara") {
      ++dara;
      EXPECT_TRUE(by_police);
      EXPECT_FALSE(i.occurred_on < options.dara_from);
      EXPECT_TRUE(a.answers.empty());
      ASSERT_TRUE(a.history.officer_grade.has_value());
      EXPECT_FALSE(a.history.officer_rationale.empty());
      EXPECT_EQ(a.history.professional_judgement, ProfessionalJudgement::kNone);
    } else {
      EXPECT_EQ(a.instrument, by_police ? "police-dash-2009" : "safelives-ric");
      EXPECT_FALSE(a.history.officer_grade.has_value());
    }
    if (i.supplement) {
      EXPECT_EQ(i.supplement->instrument, "s-dash");
      EXPECT_EQ(AnswerTo(a, "stalking_harassment"), Answer::kYes);
    }
  }
  EXPECT_GT(judged, 15);
  EXPECT_EQ(narratives.size(), static_cast<std::size_t>(judged))
      << "each account in its own words";
  EXPECT_GT(dara, police_after / 2);
  EXPECT_LT(dara, police_after);
  EXPECT_GT(crimes / double(police), 0.5);
  EXPECT_LT(crimes / double(police), 0.65);
}

TEST(SyntheticOneStopShopTest, FiveYearsOfSessionsOnWorkingDays) {
  const WorkingCalendar* calendar = WorkingCalendar::Shipped();
  ASSERT_NE(calendar, nullptr);
  const SyntheticOneStopShops oss =
      SyntheticOneStopShopYears(Borough(), *calendar, 7, {});
  std::set<std::pair<Date, std::string>> sessions;
  for (const OneStopShopSession& s : oss.sessions) {
    EXPECT_TRUE(calendar->IsWorkingDay(s.held_on)) << s.held_on;
    EXPECT_TRUE(CheckOneStopShopSession("", s).ok());
    sessions.emplace(s.held_on, s.site);
  }
  std::set<std::string> victim_records;
  for (const BoroughIncident& i : Borough().incidents) {
    victim_records.insert(Borough().records[i.victim_record].record_id);
  }
  std::map<int, int> visits_by_year;
  int linked = 0, women = 0, feedback = 0;
  for (const OneStopShopVisit& v : oss.visits) {
    EXPECT_TRUE(CheckOneStopShopVisit("", v).ok()) << v.visit_id;
    EXPECT_TRUE(sessions.contains({v.visited_on, v.site})) << v.visit_id;
    ++visits_by_year[OneStopShopYearEnding(v.visited_on)];
    if (!v.visitor_record_id.empty()) {
      ++linked;
      EXPECT_TRUE(victim_records.contains(v.visitor_record_id));
    }
    women += v.gender == VisitorGender::kFemale;
    feedback += v.feedback != VisitFeedback::kNotGiven;
  }
  ASSERT_EQ(visits_by_year.size(), 5u);
  EXPECT_EQ(visits_by_year.begin()->first, 2022);
  EXPECT_EQ(visits_by_year.rbegin()->first, 2026);
  for (const auto& [year, visits] : visits_by_year) {
    EXPECT_GT(visits, 800) << year;
    EXPECT_LT(visits, 1400) << year;
  }
  const double n = static_cast<double>(oss.visits.size());
  EXPECT_GT(linked / n, 0.2);
  EXPECT_LT(linked / n, 0.6);
  EXPECT_GT(women / n, 0.85);
  EXPECT_NEAR(feedback / n, 0.6, 0.05);
}

}  // namespace
}  // namespace marac
