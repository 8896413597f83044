#include "marac/identity/person_record.h"

#include <gtest/gtest.h>

namespace marac {
namespace {

// Invented people only.
PersonRecord Record(std::string given, std::string family, std::string dob,
                    std::string postcode = "") {
  PersonRecord r;
  r.given_name = std::move(given);
  r.family_name = std::move(family);
  r.dob = std::move(dob);
  r.postcode = std::move(postcode);
  return r;
}

TEST(PersonRecordTest, ThirdReferralUnderVariantsStillCompares) {
  // The same invented victim in a police and an IDVA system.
  PersonRecord police =
      Record("Elspeth Ann", "Marlowe", "1990-07-03", "LS6 2AB");
  PersonRecord idva =
      Record("Elspeth", "Marlowe-Quayle", "1990-03-07", "ls62ab");
  police.given_name = "Elspeth";
  const ComparisonVector v = Compare(Normalise(police), Normalise(idva));
  EXPECT_EQ(v.given, NameLevel::kExact);
  EXPECT_EQ(v.family, FamilyLevel::kPartOrPrevious);
  EXPECT_EQ(v.dob, DobLevel::kDayMonthSwap);
  EXPECT_EQ(v.postcode, PostcodeLevel::kUnit);
  EXPECT_FALSE(v.names_swapped);
}

TEST(PersonRecordTest, PreviousSurnameMatches) {
  PersonRecord now = Record("Tamsin", "Okonkwo", "1985-11-20");
  PersonRecord before = Record("Tamsin", "Pelham", "1985-11-20");
  now.previous_family_names = {"Pelham"};
  EXPECT_EQ(Compare(Normalise(now), Normalise(before)).family,
            FamilyLevel::kPartOrPrevious);
  EXPECT_EQ(Compare(Normalise(before), Normalise(now)).family,
            FamilyLevel::kPartOrPrevious)
      << "symmetric";
}

struct GivenCase {
  const char* a;
  const char* b;
  NameLevel want;
};
constexpr GivenCase kGivenCases[] = {
    {"elizabeth", "elizabeth", NameLevel::kExact},
    {"martha", "marhta", NameLevel::kJaroWinkler92},
    {"dwayne", "duane", NameLevel::kJaroWinkler70},  // JW 0.84.
    {"elizabeth", "liz", NameLevel::kNickname},
    {"william", "bill", NameLevel::kNickname},
    {"green", "hendricks", NameLevel::kDifferent},
    {"", "liz", NameLevel::kMissing},
};

TEST(PersonRecordTest, GivenNameLevels) {
  for (const GivenCase& c : kGivenCases) {
    SCOPED_TRACE(std::string(c.a) + "/" + c.b);
    EXPECT_EQ(CompareGivenNames(c.a, c.b, NicknameTable::BuiltIn()), c.want);
  }
}

// Near spellings are flagged as a short form only when one is shorter and
// the nickname table or a prefix relates them: Sophie and Sophia are two
// names, Steve and Steven one person's.
TEST(PersonRecordTest, GivenShortFormOfNearSpellings) {
  const auto flagged = [](const char* a, const char* b) {
    const ComparisonVector v = Compare(Normalise(Record(a, "Tolland", "")),
                                       Normalise(Record(b, "Tolland", "")));
    EXPECT_TRUE(v.given == NameLevel::kJaroWinkler92 ||
                v.given == NameLevel::kJaroWinkler88)
        << a << "/" << b;
    return v.given_short_form;
  };
  EXPECT_TRUE(flagged("Steve", "Steven"));
  EXPECT_TRUE(flagged("Katie", "Kate"));
  EXPECT_FALSE(flagged("Sophie", "Sophia"));
  EXPECT_FALSE(flagged("Connor", "Conor"));
}

TEST(PersonRecordTest, SwappedNamesAndPostcodeLadder) {
  const ComparisonVector swapped =
      Compare(Normalise(Record("Ashby", "Corin", "")),
              Normalise(Record("Corin", "Ashby", "")));
  EXPECT_TRUE(swapped.names_swapped);

  struct PostcodeCase {
    const char* a;
    const char* b;
    PostcodeLevel want;
  };
  const PostcodeCase cases[] = {
      {"LS6 2AB", "LS6 2AB", PostcodeLevel::kUnit},
      {"LS6 2AB", "LS6 2ZZ", PostcodeLevel::kSector},
      {"LS6 2AB", "LS6 4AB", PostcodeLevel::kDistrict},
      {"LS6 2AB", "LS16 2AB", PostcodeLevel::kArea},
      {"LS6 2AB", "M1 1AE", PostcodeLevel::kDifferent},
      {"", "M1 1AE", PostcodeLevel::kMissing},
      {"2600", "2600", PostcodeLevel::kUnit},  // Non-UK: exact only.
      {"2600", "2601", PostcodeLevel::kDifferent},
  };
  for (const PostcodeCase& c : cases) {
    SCOPED_TRACE(std::string(c.a) + "/" + c.b);
    EXPECT_EQ(ComparePostcodes(Normalise(Record("a", "b", "", c.a)),
                               Normalise(Record("a", "b", "", c.b))),
              c.want);
  }
}

TEST(PersonRecordTest, PlaceholderDatesAreMissingAndConfigurable) {
  const PersonRecord r = Record("Orla", "Fenwick", "1900-01-01");
  EXPECT_EQ(Normalise(r).dob, "") << "a default placeholder";
  const std::string_view none[] = {"1999-12-31"};
  EXPECT_EQ(Normalise(r, none).dob, "1900-01-01") << "the list is replaced";
  const PersonRecord s = Record("Orla", "Fenwick", "1970-01-01");
  EXPECT_EQ(Compare(Normalise(s, none), Normalise(s, none)).dob,
            DobLevel::kExact)
      << "a real 1 January 1970 birthday still counts when configured";
}

TEST(PersonRecordTest, AddressLevels) {
  const auto level = [](std::string a, std::string b) {
    PersonRecord x;
    PersonRecord y;
    x.address_line = std::move(a);
    y.address_line = std::move(b);
    return Compare(Normalise(x), Normalise(y)).address;
  };
  EXPECT_EQ(level("", "7 Wallaby Place"), AddressLevel::kMissing);
  EXPECT_EQ(level("7 Wallaby Place", "7, WALLABY  place"),
            AddressLevel::kExact);
  EXPECT_EQ(level("7 Wallaby Place", "7 Wallaby Plcae"),
            AddressLevel::kSimilar);
  EXPECT_EQ(level("Flat 2 7 Wallaby Place", "7 Wallaby Place Delmar"),
            AddressLevel::kOverlap);
  EXPECT_EQ(level("7 Wallaby Place", "19 Orchard Rise"),
            AddressLevel::kDifferent);
}

TEST(PersonRecordTest, TownEmailAndOtherIdentifierLevels) {
  EXPECT_EQ(CompareTowns("", "leeds"), TextLevel::kMissing);
  EXPECT_EQ(CompareTowns("leeds", "leeds"), TextLevel::kExact);
  EXPECT_EQ(CompareTowns("harrogate", "harrogat"), TextLevel::kClose);
  EXPECT_EQ(CompareTowns("leeds", "york"), TextLevel::kDifferent);

  EXPECT_EQ(CompareEmails("a.b@example.org", ""), TextLevel::kMissing);
  EXPECT_EQ(CompareEmails("a.b@example.org", "a.b@example.org"),
            TextLevel::kExact);
  EXPECT_EQ(CompareEmails("ab55@example.org", "ab55@example.net"),
            TextLevel::kClose);  // Same name, other provider.
  EXPECT_EQ(CompareEmails("robert255@example.net", "roberta25@example.net"),
            TextLevel::kClose);  // A typo.
  EXPECT_EQ(CompareEmails("@x", "@y"), TextLevel::kDifferent);
  EXPECT_EQ(CompareEmails("zed@example.org", "quill@mail.test"),
            TextLevel::kDifferent);

  EXPECT_EQ(CompareOtherIds("", "123"), TextLevel::kMissing);
  EXPECT_EQ(CompareOtherIds("QQ123456C", "QQ123456C"), TextLevel::kExact);
  EXPECT_EQ(CompareOtherIds("QQ123456C", "QQ124356C"), TextLevel::kClose);
  EXPECT_EQ(CompareOtherIds("QQ123456C", "QQ12345C"), TextLevel::kClose);
  EXPECT_EQ(CompareOtherIds("QQ123456C", "QQ654321C"), TextLevel::kDifferent);
}

struct EmailOrderCase {
  const char* label;
  const char* a;
  const char* b;
  TextLevel want;
};
constexpr EmailOrderCase kEmailOrderCases[] = {
    {"NoAtOnOneSide", "wenna.p@example.org", "wenna.p", TextLevel::kDifferent},
    {"NameAtOtherProvider", "wenna.p@example.org", "wenna.p@example.net",
     TextLevel::kClose},
    {"NoAtEitherSide", "wenna.p", "wenna.q", TextLevel::kClose},
};

// Records are compared in whatever order they were read: the level of a
// pair of addresses is the same both ways round.
TEST(PersonRecordTest, EmailLevelDoesNotDependOnOrder) {
  for (const EmailOrderCase& c : kEmailOrderCases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(CompareEmails(c.a, c.b), c.want);
    EXPECT_EQ(CompareEmails(c.b, c.a), c.want);
  }
}

TEST(PersonRecordTest, NormalisesContactFieldsAndIdentifiers) {
  PersonRecord r;
  r.address_line = "Flat 2, 7 Wallaby Place";
  r.town = " Harrogate ";
  r.email = " Dace.Quill@Example.ORG ";
  r.other_id = "qq 12 34 56-c";
  const NormalisedRecord n = Normalise(r);
  EXPECT_EQ(n.address, "flat 2 7 wallaby place");
  const std::vector<std::string> parts = {"2", "7", "flat", "place", "wallaby"};
  EXPECT_EQ(n.address_parts, parts);  // Sorted, unique.
  EXPECT_EQ(n.town, "harrogate");
  EXPECT_EQ(n.email, "dace.quill@example.org");
  EXPECT_EQ(n.other_id, "QQ123456C");
}

}  // namespace
}  // namespace marac
