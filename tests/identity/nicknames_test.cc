#include "marac/identity/nicknames.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace marac {
namespace {

using ::testing::HasSubstr;

struct PairCase {
  const char* a;
  const char* b;
  bool want;
};
constexpr PairCase kBuiltIn[] = {
    {"liz", "elizabeth", true}, {"elizabeth", "liz", true},
    {"bill", "william", true},  {"tom", "thomas", true},
    {"gaz", "gary", true},      {"bex", "rebecca", true},  // UK supplement.
    {"del", "derek", true},     {"kaz", "karen", true},
    {"liz", "beth", true},       // Both under elizabeth.
    {"aaron", "ronald", false},  // Share "ron", but no group holds both.
    {"kieran", "kerry", false},  // Both have "kez", no group holds both.
    {"tom", "tom", false},       // Exact is its own level.
    {"liz", "", false},         {"zzzz", "elizabeth", false},
};

TEST(NicknamesTest, BuiltInTableKnowsUsAndUkForms) {
  const NicknameTable& t = NicknameTable::BuiltIn();
  EXPECT_GT(t.group_count(), 1000u);
  for (const PairCase& c : kBuiltIn) {
    SCOPED_TRACE(std::string(c.a) + "/" + c.b);
    EXPECT_EQ(t.Equivalent(c.a, c.b), c.want);
  }
}

TEST(NicknamesTest, LoadsTheSharedTableFromAFile) {
  std::ifstream file(MARAC_SHARED_DATA "/nicknames/names.csv");
  if (!file) GTEST_SKIP() << "../shared/data/nicknames/names.csv not present";
  std::stringstream text;
  text << file.rdbuf();
  const Result<NicknameTable> t = NicknameTable::FromCsv(text.str());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_TRUE(t->Equivalent("william", "bill"));
  EXPECT_FALSE(t->Equivalent("gary", "gaz")) << "only in the UK supplement";
}

TEST(NicknamesTest, BadTablesNameTheLine) {
  struct Bad {
    const char* text;
    const char* want;
  };
  const Bad cases[] = {
      {"name,nick\nx,y", "line 1: expected the header"},
      {"name1,relationship,name2\nann,has_nickname",
       "line 2: expected 3 fields"},
      {"name1,relationship,name2\nann,is,annie", "line 2: relationship"},
      {"name1,relationship,name2\n\nann,has_nickname,", "line 3: empty name"},
  };
  for (const Bad& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<NicknameTable> t = NicknameTable::FromCsv(c.text);
    ASSERT_FALSE(t.ok());
    EXPECT_THAT(t.status().message(), HasSubstr(c.want));
  }
}

}  // namespace
}  // namespace marac
