#include "marac/identity/stable_ids.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace marac {
namespace {

using ::testing::ElementsAre;

// "merge P1 P2" and the like, for short expectations.
std::vector<std::string> Events(const StableIds& ids) {
  std::vector<std::string> out;
  for (const PersonEvent& e : ids.events) {
    out.push_back(std::string(PersonEventName(e.kind)) + " " + e.person + " " +
                  e.other);
  }
  return out;
}

TEST(StableIdsTest, FirstRunNumbersPeopleByTheirFirstRecord) {
  const std::vector<std::string> records = {"r1", "r2", "r3", "r4"};
  const std::vector<std::uint32_t> clusters = {1, 0, 1, 2};
  const Result<StableIds> ids = AssignStableIds(records, clusters);
  ASSERT_TRUE(ids.ok());
  EXPECT_THAT(ids->person_of,
              ElementsAre("P000001", "P000002", "P000001", "P000003"));
  EXPECT_TRUE(ids->events.empty());
}

TEST(StableIdsTest, EarlierIdsStayAndNewPeopleNumberOn) {
  // r1, r2 were P000007; r3 was P000002; r4 and r5 are new records, r5 of
  // a new person. Cluster numbers change between runs; the ids do not.
  const std::vector<std::string> records = {"r3", "r1", "r2", "r4", "r5"};
  const std::vector<std::uint32_t> clusters = {0, 1, 1, 1, 2};
  const std::map<std::string, std::string, std::less<>> before = {
      {"r1", "P000007"}, {"r2", "P000007"}, {"r3", "P000002"}};
  const Result<StableIds> ids = AssignStableIds(records, clusters, before);
  ASSERT_TRUE(ids.ok());
  EXPECT_THAT(ids->person_of, ElementsAre("P000002", "P000007", "P000007",
                                          "P000007", "P000008"));
  EXPECT_TRUE(ids->events.empty());
}

TEST(StableIdsTest, AMergeKeepsTheOlderIdAndIsRecorded) {
  const std::vector<std::string> records = {"a", "b", "c"};
  const std::vector<std::uint32_t> clusters = {0, 0, 0};
  const std::map<std::string, std::string, std::less<>> before = {
      {"a", "P000005"}, {"b", "P000003"}, {"c", "P000005"}};
  const Result<StableIds> ids = AssignStableIds(records, clusters, before);
  ASSERT_TRUE(ids.ok());
  EXPECT_THAT(ids->person_of, ElementsAre("P000003", "P000003", "P000003"));
  EXPECT_THAT(Events(*ids), ElementsAre("merge P000003 P000005"));
}

TEST(StableIdsTest, ASplitKeepsTheIdWithTheLargerPartAndIsRecorded) {
  // P000004 had a, b, c; now c stands alone, and d (P000009) moved over to
  // a and b's person, which keeps P000004 as the larger share.
  const std::vector<std::string> records = {"a", "b", "c", "d", "e"};
  const std::vector<std::uint32_t> clusters = {0, 0, 1, 0, 2};
  const std::map<std::string, std::string, std::less<>> before = {
      {"a", "P000004"},
      {"b", "P000004"},
      {"c", "P000004"},
      {"d", "P000009"},
      {"e", "P000009"}};
  const Result<StableIds> ids = AssignStableIds(records, clusters, before);
  ASSERT_TRUE(ids.ok());
  // P000009's records split one and one: the tie goes to the cluster whose
  // first record comes first, so it merges into P000004 and e leaves it.
  EXPECT_THAT(ids->person_of, ElementsAre("P000004", "P000004", "P000010",
                                          "P000004", "P000011"));
  EXPECT_THAT(Events(*ids),
              ElementsAre("merge P000004 P000009", "split P000004 P000010",
                          "split P000009 P000011"));
}

TEST(StableIdsTest, TheSameInputTwiceGivesTheSameIds) {
  const std::vector<std::string> records = {"a", "b", "c", "d"};
  const std::vector<std::uint32_t> clusters = {0, 1, 0, 2};
  const std::map<std::string, std::string, std::less<>> before = {
      {"a", "P000001"}, {"b", "P000001"}, {"d", "P000002"}};
  const Result<StableIds> x = AssignStableIds(records, clusters, before);
  const Result<StableIds> y = AssignStableIds(records, clusters, before);
  ASSERT_TRUE(x.ok() && y.ok());
  EXPECT_EQ(x->person_of, y->person_of);
  EXPECT_EQ(Events(*x), Events(*y));
}

TEST(StableIdsTest, BadEarlierIdsAndLengthsAreErrors) {
  const std::vector<std::string> records = {"a"};
  const std::vector<std::uint32_t> clusters = {0};
  const std::map<std::string, std::string, std::less<>> before = {
      {"a", "person-1"}};
  const Result<StableIds> bad = AssignStableIds(records, clusters, before);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("person-1"), std::string::npos);
  const std::vector<std::uint32_t> none;
  EXPECT_FALSE(AssignStableIds(records, none).ok());
}

}  // namespace
}  // namespace marac
