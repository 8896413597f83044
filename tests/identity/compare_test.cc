#include "marac/identity/compare.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace marac {
namespace {

using ::testing::ElementsAre;

struct JwCase {
  const char* a;
  const char* b;
  double want;
};
// The anchors of linkage.md 5.1 (DuckDB's tests and Splink's definition).
constexpr JwCase kJwCases[] = {
    {"martha", "marhta", 0.9611},
    {"dwayne", "duane", 0.8400},
    {"dixon", "dicksonx", 0.8133},
    {"CRATE", "TRACE", 0.7333},
    {"0", "00", 0.85},
    {"green", "hendricks", 0.5333},
    {"same", "same", 1.0},
    {"abc", "xyz", 0.0},
    {"", "", 1.0},
    {"a", "", 0.0},
};

TEST(CompareTest, JaroWinklerMatchesReferenceValues) {
  for (const JwCase& c : kJwCases) {
    SCOPED_TRACE(std::string(c.a) + "/" + c.b);
    EXPECT_NEAR(JaroWinkler(c.a, c.b), c.want, 5e-5);
    EXPECT_NEAR(JaroWinkler(c.b, c.a), c.want, 5e-5) << "symmetric";
  }
}

TEST(CompareTest, WinklerBonusOnlyAboveSevenTenths) {
  // Jaro of these is at most 0.7, so the shared prefix must add nothing.
  const double jaro = Jaro("abcdxyzq", "abcdmnop");
  ASSERT_LE(jaro, 0.7);
  EXPECT_DOUBLE_EQ(JaroWinkler("abcdxyzq", "abcdmnop"), jaro);
}

TEST(CompareTest, UpperBoundNeverFallsBelowJaroWinkler) {
  // Every pair of a set of names and addresses (digits share bins with
  // letters, which may only raise the bound).
  const char* const words[] = {"martha",
                               "marhta",
                               "dwayne",
                               "duane",
                               "dixon",
                               "dicksonx",
                               "CRATE",
                               "TRACE",
                               "0",
                               "00",
                               "green",
                               "hendricks",
                               "",
                               "a",
                               "abba",
                               "baab",
                               "12 orchard row",
                               "21 orchard rd",
                               "p",
                               "pq",
                               "jon",
                               "john",
                               "jonathan",
                               "nathan",
                               "hughes",
                               "hughes carter",
                               "5 the mews",
                               "flat 5 the mews"};
  for (const char* a : words) {
    for (const char* b : words) {
      SCOPED_TRACE(std::string(a) + "/" + b);
      EXPECT_GE(JaroWinklerUpperBound(a, b) + 1e-12, JaroWinkler(a, b));
    }
  }
  // Long strings (a count per byte bin past 255).
  const std::string long_a = std::string(300, 'x') + "1";
  const std::string long_b = std::string(300, 'x') + "2";
  EXPECT_GE(JaroWinklerUpperBound(long_a, long_b), JaroWinkler(long_a, long_b));
  const std::string many_a(256, 'a');
  EXPECT_GE(JaroWinklerUpperBound(many_a, many_a + "b"),
            JaroWinkler(many_a, many_a + "b"));
  // Exact where no reordering helps, and well below any level for
  // strings with little in common.
  EXPECT_DOUBLE_EQ(JaroWinklerUpperBound("same", "same"), 1.0);
  EXPECT_LT(JaroWinklerUpperBound("sarah", "karen"), 0.70);
  EXPECT_LT(JaroWinklerUpperBound("12 orchard row", "7 beech way"), 0.90);
}

struct NameCase {
  const char* raw;
  const char* want;
};
constexpr NameCase kNameCases[] = {
    {"  Elizabeth  Ann ", "elizabeth ann"},
    {"O'Brien", "obrien"},
    {"Hughes-Carter", "hughes carter"},
    {"HUGHES - CARTER", "hughes carter"},
    {"St. John", "st john"},
    {"", ""},
    {"--", ""},
};

TEST(CompareTest, NamesNormaliseCasePunctuationAndSpaces) {
  for (const NameCase& c : kNameCases) {
    SCOPED_TRACE(c.raw);
    EXPECT_EQ(NormaliseName(c.raw), c.want);
  }
  EXPECT_THAT(NameParts(NormaliseName("Hughes-Carter")),
              ElementsAre("hughes", "carter"));
  EXPECT_THAT(NameParts(""), ElementsAre());
}

struct PostcodeCase {
  const char* raw;
  const char* unit;  // nullptr when invalid.
  const char* sector;
  const char* district;
  const char* area;
};
constexpr PostcodeCase kPostcodeCases[] = {
    {"SW1A 1AA", "SW1A 1AA", "SW1A 1", "SW1A", "SW"},
    {"sw1a1aa", "SW1A 1AA", "SW1A 1", "SW1A", "SW"},
    {" m1  1ae ", "M1 1AE", "M1 1", "M1", "M"},
    {"B33 8TH", "B33 8TH", "B33 8", "B33", "B"},
    {"CR2 6XH", "CR2 6XH", "CR2 6", "CR2", "CR"},
    {"DN55 1PT", "DN55 1PT", "DN55 1", "DN55", "DN"},
    {"2600", nullptr, "", "", ""},      // An Australian (FEBRL) code.
    {"SW1A 1A", nullptr, "", "", ""},   // Inward code too short.
    {"ABC1 1AA", nullptr, "", "", ""},  // Three area letters.
    {"SW1A-1AA", nullptr, "", "", ""},  // Punctuation.
    {"", nullptr, "", "", ""},
};

TEST(CompareTest, UkPostcodesSplitIntoParts) {
  for (const PostcodeCase& c : kPostcodeCases) {
    SCOPED_TRACE(c.raw);
    const std::optional<UkPostcode> p = ParseUkPostcode(c.raw);
    if (c.unit == nullptr) {
      EXPECT_FALSE(p.has_value());
      continue;
    }
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->unit, c.unit);
    EXPECT_EQ(p->sector, c.sector);
    EXPECT_EQ(p->district, c.district);
    EXPECT_EQ(p->area, c.area);
  }
}

struct DobCase {
  const char* label;
  const char* a;
  const char* b;
  DobLevel want;
};
constexpr DobCase kDobCases[] = {
    {"Exact", "1990-07-03", "1990-07-03", DobLevel::kExact},
    {"Missing", "", "1990-07-03", DobLevel::kMissing},
    {"Placeholder", "1900-01-01", "1900-01-01", DobLevel::kMissing},
    {"OneDigit", "1990-07-03", "1990-07-08", DobLevel::kOneEdit},
    {"AdjacentSwap", "1990-07-13", "1990-07-31", DobLevel::kOneEdit},
    {"DayMonthSwap", "1990-07-03", "1990-03-07", DobLevel::kDayMonthSwap},
    {"WithinMonth", "1990-07-03", "1990-07-28", DobLevel::kWithinMonth},
    {"WithinYear", "1990-07-03", "1991-01-20", DobLevel::kWithinYear},
    {"WithinTenYears", "1990-07-03", "1996-11-20", DobLevel::kWithinTenYears},
    {"Different", "1950-07-03", "1990-11-20", DobLevel::kDifferent},
    {"ImpossibleDateStillEdits", "1990-86-03", "1990-86-08",
     DobLevel::kOneEdit},
    {"ImpossibleDateNoDifference", "1990-86-03", "1991-02-11",
     DobLevel::kDifferent},
};

TEST(CompareTest, DobLadder) {
  for (const DobCase& c : kDobCases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(CompareDob(c.a, c.b), c.want);
    EXPECT_EQ(CompareDob(c.b, c.a), c.want) << "symmetric";
  }
}

}  // namespace
}  // namespace marac
