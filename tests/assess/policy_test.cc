#include "marac/assess/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace marac {
namespace {

using ::testing::HasSubstr;

TEST(PolicyTest, DefaultsAreSafeLivesBands) {
  const ScoringPolicy& p = ScoringPolicy::Default();
  EXPECT_TRUE(p.Validate().ok());
  const GradeBands& ric = p.instruments.at("safelives-ric");
  EXPECT_EQ(ric.medium_min, 10);
  EXPECT_EQ(ric.high_min, 14);
  EXPECT_EQ(p.instruments.at("police-dash-2009").high_min, 14);
  EXPECT_FALSE(p.instruments.at("s-dash").graded);
  EXPECT_EQ(p.escalation_incidents, 3);
  EXPECT_EQ(p.escalation_window_months, 12);
  EXPECT_EQ(p.repeat_window_months, 12);
  EXPECT_FALSE(p.raise_grade_on_judgement);
}

TEST(PolicyTest, JsonRoundTrips) {
  ScoringPolicy p = ScoringPolicy::Default();
  p.version = "kent-2026";
  p.escalation_window_months = 6;
  p.instruments["safelives-ric"].high_min = 12;
  const Result<ScoringPolicy> back = ScoringPolicy::FromJson(p.ToJson());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->version, "kent-2026");
  EXPECT_EQ(back->escalation_window_months, 6);
  EXPECT_EQ(back->instruments.at("safelives-ric").high_min, 12);
  EXPECT_EQ(back->ToJson(), p.ToJson());
}

TEST(PolicyTest, PartialPolicyKeepsDefaults) {
  const Result<ScoringPolicy> p = ScoringPolicy::FromJson(
      R"({"format": "marac-policy/1", "version": "local-1",
          "escalation": {"incidents": 5}})");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->escalation_incidents, 5);
  EXPECT_EQ(p->escalation_window_months, 12);
  EXPECT_EQ(p->instruments.at("safelives-ric").high_min, 14);
}

struct BadPolicy {
  const char* label;
  const char* text;
  const char* want;
};
constexpr BadPolicy kBadPolicies[] = {
    {"NoVersion", R"({"format": "marac-policy/1"})", "version: required"},
    {"Unknown", R"({"format": "marac-policy/1", "version": "x", "extra": 1})",
     "extra: unknown field"},
    {"HighBelowMedium",
     R"({"format": "marac-policy/1", "version": "x",
         "instruments": {"safelives-ric": {"medium_min": 10, "high_min": 9}}})",
     "instruments.safelives-ric.high_min: must be above medium_min (10)"},
    {"WindowZero",
     R"({"format": "marac-policy/1", "version": "x",
         "repeat": {"window_months": 0}})",
     "repeat.window_months: 0 is out of range"},
    {"WrongType",
     R"({"format": "marac-policy/1", "version": "x",
         "escalation": {"incidents": "3"}})",
     "escalation.incidents: expected a whole number, got a string"},
    {"Duplicate",
     R"({"format": "marac-policy/1", "version": "x", "version": "y"})",
     "version: duplicate key"},
};

TEST(PolicyTest, BadPoliciesNameTheField) {
  for (const BadPolicy& c : kBadPolicies) {
    SCOPED_TRACE(c.label);
    const Result<ScoringPolicy> p = ScoringPolicy::FromJson(c.text);
    ASSERT_FALSE(p.ok());
    EXPECT_THAT(p.status().message(), HasSubstr(c.want));
  }
}

}  // namespace
}  // namespace marac
