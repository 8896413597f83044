// Safeguarding prompts: each rule at its boundary, on every instrument it
// touches; the reason says what raised it and whether it is local policy;
// a prompt never changes the grade or the referral; the rules are data.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "marac/assess/score.h"

namespace marac {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

constexpr Date kAsOf{2026, 3, 1};

const std::set<std::string> kSafeguardingIds = {
    "safeguarding_children", "stalking_service", "suicide_risk",
    "honour_based_abuse", "adult_safeguarding"};

// Every question asked: `yes` items yes, the rest no.
Checklist Answered(std::string_view instrument, std::vector<int> yes) {
  Checklist c(*InstrumentSet::BuiltIn().Find(instrument));
  for (int i = 1; i <= c.instrument().item_count(); ++i) {
    EXPECT_TRUE(c.Record(i, Answer::kNo).ok());
  }
  for (const int i : yes) EXPECT_TRUE(c.Record(i, Answer::kYes).ok());
  return c;
}

std::vector<std::string> SafeguardingIds(const RiskScore& s) {
  std::vector<std::string> ids;
  for (const Finding& f : DescribePrompts(s)) {
    if (kSafeguardingIds.contains(f.id)) ids.push_back(f.id);
  }
  return ids;
}

struct Case {
  const char* label;
  const char* instrument;
  std::vector<int> yes;
  CaseHistory history;
  std::vector<std::string> want;
};

CaseHistory With(std::optional<int> age, std::optional<int> children,
                 bool disability = false) {
  CaseHistory h;
  h.victim_age = age;
  h.children_in_household = children;
  h.victim_disability = disability;
  return h;
}

TEST(SafeguardingTest, EachRuleAtItsBoundary) {
  const std::vector<Case> kCases = {
      {"NothingYes", "safelives-ric", {}, {}, {}},
      // The police form's questions on the children: 11 and 12.
      {"PoliceHurtTheChildren",
       "police-dash-2009",
       {11},
       {},
       {"safeguarding_children"}},
      {"PoliceThreatenedTheChildren",
       "police-dash-2009",
       {12},
       {},
       {"safeguarding_children"}},
      // RIC 18 (harm to others) counts only with children at home.
      {"Ric18WithoutChildren", "safelives-ric", {18}, With({}, 0), {}},
      {"Ric18WithChildren",
       "safelives-ric",
       {18},
       With({}, 2),
       {"safeguarding_children"}},
      // Any child of a high household; not of a medium one.
      {"HighWithAChild",
       "safelives-ric",
       {1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16},
       With({}, 1),
       {"safeguarding_children", "honour_based_abuse"}},
      {"MediumWithAChild",
       "safelives-ric",
       {1, 2, 3, 6, 7, 8, 9, 10, 11, 13},
       With({}, 1),
       {}},
      // Suicidality, the victim's (5) or the abuser's (RIC 22, police 25).
      {"VictimLowInMood", "safelives-ric", {5}, {}, {"suicide_risk"}},
      {"AbuserSuicideThreat", "safelives-ric", {22}, {}, {"suicide_risk"}},
      {"PoliceAbuserSuicideThreat",
       "police-dash-2009",
       {25},
       {},
       {"suicide_risk"}},
      // Isolation (item 4) asks the H-DASH questions.
      {"Isolation", "police-dash-2009", {4}, {}, {"honour_based_abuse"}},
      // Adult safeguarding from 65, or with a disability.
      {"Aged64", "safelives-ric", {}, With(64, {}), {}},
      {"Aged65", "safelives-ric", {}, With(65, {}), {"adult_safeguarding"}},
      {"Aged75", "safelives-ric", {}, With(75, {}), {"adult_safeguarding"}},
      {"Disabled",
       "safelives-ric",
       {},
       With(30, {}, true),
       {"adult_safeguarding"}},
      // S-DASH: threats or violence during the stalking, or 6 of 11 yes.
      {"SDashAllElevenYes",
       "s-dash",
       {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
       {},
       {"stalking_service"}},
      {"SDashFiveYesNoViolence", "s-dash", {1, 2, 3, 4, 5}, {}, {}},
      {"SDashSixYesNoViolence",
       "s-dash",
       {1, 2, 3, 4, 5, 9},
       {},
       {"stalking_service"}},
      {"SDashThreatsAlone", "s-dash", {6}, {}, {"stalking_service"}},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.label);
    const Result<RiskScore> s =
        Score(Answered(c.instrument, c.yes), c.history, kAsOf);
    ASSERT_TRUE(s.ok()) << s.status();
    EXPECT_THAT(SafeguardingIds(*s), ElementsAreArray(c.want));
  }
}

TEST(SafeguardingTest, AnSDashWithEveryItemYesIsPromptedNotReferred) {
  const Result<RiskScore> s =
      Score(Answered("s-dash", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}), {}, kAsOf);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->marac_referral) << "a prompt never refers";
  for (const Finding& f : DescribePrompts(*s)) {
    if (f.id != "stalking_service") continue;
    EXPECT_THAT(f.reason, HasSubstr("Question 6 (threats_of_violence)"));
    EXPECT_THAT(f.reason, HasSubstr("11 of 11 questions are yes"));
    EXPECT_THAT(f.reason, HasSubstr("specialist stalking service"));
    EXPECT_THAT(f.reason, HasSubstr("(local policy marac-default-2026.3)"));
  }
}

TEST(SafeguardingTest, ReasonsSayWhatRaisedThemAndNeverChangeTheGrade) {
  CaseHistory h = With(74, 2, true);
  const Checklist c = Answered("police-dash-2009", {11, 12, 25});
  const Result<RiskScore> s = Score(c, h, kAsOf);
  ASSERT_TRUE(s.ok()) << s.status();
  const Result<RiskScore> plain = Score(c, {}, kAsOf);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(s->grade, plain->grade);
  EXPECT_EQ(s->marac_referral, plain->marac_referral);
  EXPECT_EQ(s->criteria, plain->criteria);
  std::map<std::string, Finding> by_id;
  for (const Finding& f : DescribePrompts(*s)) by_id[f.id] = f;
  ASSERT_TRUE(by_id.contains("safeguarding_children"));
  const Finding& children = by_id["safeguarding_children"];
  EXPECT_THAT(children.reason,
              HasSubstr("Question 11 (harm_to_children), question 12 "
                        "(threat_to_children) are yes"));
  EXPECT_THAT(children.reason, HasSubstr("children's social care"));
  EXPECT_EQ(children.reason.find("local policy"), std::string::npos)
      << "the police form fixes this one";
  EXPECT_THAT(children.items, ElementsAreArray({11, 12}));
  ASSERT_TRUE(by_id.contains("adult_safeguarding"));
  EXPECT_THAT(by_id["adult_safeguarding"].reason,
              HasSubstr("The victim is 74; a disability is recorded: "));
  EXPECT_THAT(by_id["adult_safeguarding"].reason, HasSubstr("s.42"));
  ASSERT_TRUE(by_id.contains("suicide_risk"));
  EXPECT_THAT(by_id["suicide_risk"].items, ElementsAreArray({25}));
}

TEST(SafeguardingTest, BadHouseholdFactsNameTheirField) {
  const Checklist c = Answered("safelives-ric", {});
  for (const auto& [history, field] :
       {std::pair{With(121, {}), "victim_age"},
        std::pair{With(-1, {}), "victim_age"},
        std::pair{With({}, 51), "children_in_household"}}) {
    const Result<RiskScore> s = Score(c, history, kAsOf);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(s.status().message(), HasSubstr(field));
  }
}

TEST(SafeguardingTest, TheRulesAreDataThatRoundTripAndAreChecked) {
  ScoringPolicy policy = ScoringPolicy::Default();
  const Result<ScoringPolicy> back = ScoringPolicy::FromJson(policy.ToJson());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->safeguarding, policy.safeguarding);

  // A local policy: adult safeguarding from 60, suicide prompts off.
  const Result<ScoringPolicy> local = ScoringPolicy::FromJson(R"({
    "format": "marac-policy/1", "version": "north-2026.3",
    "safeguarding": [
      {"id": "adult_safeguarding", "advice": "refer to adult social care",
       "local_policy": true, "victim_age_at_least": 60}]})");
  ASSERT_TRUE(local.ok()) << local.status();
  const Result<RiskScore> s =
      Score(Answered("safelives-ric", {5}), With(60, {}), kAsOf, *local);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_THAT(SafeguardingIds(*s), ElementsAreArray({"adult_safeguarding"}));

  const struct {
    const char* json;
    const char* field;
  } kBad[] = {
      {R"([{"advice": "x", "items_yes": ["isolation"]}])",
       "safeguarding[0].id"},
      {R"([{"id": "Bad Id", "advice": "x", "items_yes": ["isolation"]}])",
       "safeguarding[0].id"},
      {R"([{"id": "a", "advice": "x"}])", "safeguarding[0]"},
      {R"([{"id": "a", "advice": "x", "min_yes": 3}])",
       "safeguarding[0].min_yes"},
      {R"([{"id": "a", "advice": "x", "items_yes": ["isolation"]},
           {"id": "a", "advice": "y", "items_yes": ["isolation"]}])",
       "safeguarding[1].id"},
      {R"([{"id": "a", "advice": "x", "items_yes": ["isolation"],
            "colour": "red"}])",
       "safeguarding[0].colour"},
  };
  for (const auto& b : kBad) {
    SCOPED_TRACE(b.field);
    const Result<ScoringPolicy> p = ScoringPolicy::FromJson(
        std::string(R"({"format": "marac-policy/1", "version": "v",
                        "safeguarding": )") +
        b.json + "}");
    ASSERT_FALSE(p.ok());
    EXPECT_THAT(p.status().message(), HasSubstr(b.field));
  }
  // An item no instrument has is refused when the scorer is built.
  ScoringPolicy typo = ScoringPolicy::Default();
  typo.safeguarding[0].items_yes.push_back("harm_to_childen");
  const Result<Scorer> scorer = Scorer::Create(typo, InstrumentSet::BuiltIn());
  ASSERT_FALSE(scorer.ok());
  EXPECT_THAT(scorer.status().message(),
              HasSubstr("safeguarding[0].items_yes[2]"));
}

TEST(SafeguardingTest, CoerciveControlIsTaggedOnBothForms) {
  for (const auto& [instrument, item] :
       {std::pair{"safelives-ric", 12}, std::pair{"police-dash-2009", 15}}) {
    SCOPED_TRACE(instrument);
    const Result<RiskScore> s = Score(Answered(instrument, {item}), {}, kAsOf);
    ASSERT_TRUE(s.ok()) << s.status();
    std::vector<std::string> tags;
    for (const Finding& f : DescribeHighHarmIndicators(*s)) {
      tags.push_back(f.id);
    }
    EXPECT_THAT(tags, ElementsAreArray({"coercive_control"}));
  }
}

}  // namespace
}  // namespace marac
