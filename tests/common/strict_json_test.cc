#include "lib/common/strict_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace marac {
namespace {

using ::testing::HasSubstr;

struct JsonCase {
  const char* label;
  std::string text;
  const char* want_problem;  // Empty when the text must parse.
};

TEST(StrictJsonTest, RefusesWhatOtherParsersGuessAt) {
  const JsonCase cases[] = {
      {"Valid", R"({"a": {"b": [1, 2]}, "c": "x"})", ""},
      {"DuplicateTopLevel", R"({"a": 1, "a": 2})", "a: duplicate key"},
      {"DuplicateNested", R"({"answers": {"1": "yes", "1": "no"}})",
       "answers.1: duplicate key"},
      {"DuplicateInArrayObject", R"({"x": [{"k": 1, "k": 1}]})",
       "k: duplicate key"},
      {"BadUtf8InString", "{\"a\": \"\xC3\x28\"}", "UTF-8"},
      {"BadUtf8Outside", "{\"a\": 1}\xFF", "syntax error"},
      {"Truncated", R"({"a": )", "syntax error"},
      {"TrailingComma", R"({"a": 1,})", "syntax error"},
      {"Comment", "{\"a\": 1 /* no */}", "syntax error"},
      {"TwoDocuments", R"({"a": 1} {"b": 2})", "syntax error"},
      {"Deep", std::string(100, '[') + std::string(100, ']'),
       "nesting deeper than 16"},
      {"Empty", "", "syntax error"},
  };
  for (const JsonCase& c : cases) {
    SCOPED_TRACE(c.label);
    const Result<Json> parsed = ParseStrictJson(c.text);
    if (std::string(c.want_problem).empty()) {
      EXPECT_TRUE(parsed.ok()) << parsed.status();
    } else {
      ASSERT_FALSE(parsed.ok());
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(parsed.status().message(), HasSubstr(c.want_problem));
    }
  }
}

TEST(StrictJsonTest, ReadIntRefusesFractionsAndRange) {
  const Json doc = Json::parse(R"({"a": 3, "b": 3.5, "c": -1, "d": "3",
                                   "e": 18446744073709551615})");
  EXPECT_EQ(*ReadInt(doc["a"], "a", 0, 10), 3);
  EXPECT_THAT(ReadInt(doc["b"], "b", 0, 10).status().message(),
              HasSubstr("b: expected a whole number"));
  EXPECT_THAT(ReadInt(doc["c"], "c", 0, 10).status().message(),
              HasSubstr("c: -1 is out of range (0 to 10)"));
  EXPECT_THAT(ReadInt(doc["d"], "d", 0, 10).status().message(),
              HasSubstr("d: expected a whole number, got a string"));
  EXPECT_THAT(ReadInt(doc["e"], "e", 0, 10).status().message(),
              HasSubstr("e: out of range"));
}

TEST(StrictJsonTest, UnknownKeysAreNamed) {
  const Json doc = Json::parse(R"({"known": 1, "extra": 2})");
  const Status s = CheckKnownKeys(doc, "top", {"known"});
  EXPECT_EQ(s.message(), "top.extra: unknown field");
  EXPECT_TRUE(CheckKnownKeys(doc, "", {"known", "extra"}).ok());
}

}  // namespace
}  // namespace marac

namespace marac {
namespace {

TEST(StrictJsonTest, PathsCarryArrayIndices) {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {R"({"items": [{"key": "a"}, {"key": "b", "key": "c"}]})",
       "items[1].key: duplicate key"},
      {R"({"items": [1, 2, tru]})", "items[2]: parse error"},
      {R"({"a": {"b": [[1], [2, {"c": 1, "c": 2}]]}})",
       "a.b[1][1].c: duplicate key"},
      {R"({"x": 1, "x": 2})", "x: duplicate key"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const Result<Json> parsed = ParseStrictJson(c.text);
    ASSERT_FALSE(parsed.ok());
    EXPECT_THAT(parsed.status().message(), ::testing::StartsWith(c.want));
  }
}

}  // namespace
}  // namespace marac
