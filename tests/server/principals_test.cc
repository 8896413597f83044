// The principals file and how a call's token and certificate name one.
#include "services/server/principals.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/store/sha256.h"

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// SHA-256("tok-a") and ("tok-b"), as a principals file holds them.
const std::string kHashA = *Sha256Hex("tok-a");
const std::string kHashB = *Sha256Hex("tok-b");

std::string Doc(const std::string& entries) {
  return R"({"format": "marac-principals/1", "principals": [)" + entries + "]}";
}
std::string Entry(const std::string& user, const std::string& extra) {
  return R"({"user": ")" + user +
         R"(", "agency": "police-north", "roles": ["referrer"])" + extra + "}";
}

TEST(PrincipalsTest, HashesAreSha256Hex) {
  EXPECT_EQ(*Sha256Hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(PrincipalsTest, IdentifiesByTokenOrSubjectWhenTheyAgree) {
  const Result<PrincipalDirectory> d = PrincipalDirectory::Parse(
      Doc(Entry("u-a", R"(, "token_sha256": ")" + kHashA +
                           R"(", "certificate_subject": "CN=a")") +
          "," + Entry("u-b", R"(, "token_sha256": ")" + kHashB + R"(")")));
  ASSERT_TRUE(d.ok()) << d.status();
  std::string error;
  const auto user = [&](std::string_view token, std::string_view subject) {
    error.clear();
    const PrincipalEntry* e = Identify(*d, token, subject, error);
    return e == nullptr ? std::string("-") : e->user;
  };
  EXPECT_EQ(user("tok-a", ""), "u-a");
  EXPECT_EQ(user("", "CN=a"), "u-a");
  EXPECT_EQ(user("tok-a", "CN=a"), "u-a");
  EXPECT_EQ(user("tok-b", ""), "u-b");
  EXPECT_EQ(user("tok-b", "CN=a"), "-");
  EXPECT_THAT(error, HasSubstr("different callers"));
  EXPECT_EQ(user("tok-b", "CN=unknown"), "u-b");
  EXPECT_EQ(user("", "CN=unknown"), "-");
  EXPECT_EQ(user("tok-c", "CN=a"), "-");
  EXPECT_THAT(error, HasSubstr("not valid"));
  EXPECT_THAT(error, Not(HasSubstr("tok-c")));
  EXPECT_EQ(user("", ""), "-");
}

struct BadCase {
  const char* label;
  std::string doc;
  const char* error;
};

TEST(PrincipalsTest, RefusesEachBadEntryNamingItsKey) {
  const std::string hash = R"(, "token_sha256": ")" + kHashA + R"(")";
  const BadCase cases[] = {
      {"WrongFormat", R"({"format": "x", "principals": []})", "format"},
      {"NoList", R"({"format": "marac-principals/1"})", "principals"},
      {"NoUser", Doc(R"({"agency": "a", "roles": ["idva"])" + hash + "}"),
       "principals[0].user"},
      {"NoAgency", Doc(R"({"user": "u", "roles": ["idva"])" + hash + "}"),
       "principals[0].agency"},
      {"NoRoles", Doc(R"({"user": "u", "agency": "a")" + hash + "}"),
       "principals[0].roles"},
      {"UnknownRole",
       Doc(R"({"user": "u", "agency": "a", "roles": ["idva", "root"])" + hash +
           "}"),
       "principals[0].roles[1]"},
      {"NoWayToIdentify", Doc(Entry("u", "")), "token_sha256 or"},
      {"TokenInTheClear", Doc(Entry("u", R"(, "token_sha256": "tok-a")")),
       "principals[0].token_sha256"},
      {"UpperCaseHash",
       Doc(Entry("u", R"(, "token_sha256": ")" +
                          Sha256Hex("x")->replace(0, 1, "A") + R"(")")),
       "principals[0].token_sha256"},
      {"UnknownKey", Doc(Entry("u", hash + R"(, "password": "x")")),
       "principals[0].password"},
      {"UserTwice",
       Doc(Entry("u", hash) + "," +
           Entry("u", R"(, "token_sha256": ")" + kHashB + R"(")")),
       "principals[1].user"},
      {"HashTwice", Doc(Entry("u", hash) + "," + Entry("v", hash)),
       "principals[1].token_sha256"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.label);
    const Result<PrincipalDirectory> d = PrincipalDirectory::Parse(c.doc);
    ASSERT_FALSE(d.ok());
    EXPECT_EQ(d.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(d.status().message(), HasSubstr(c.error));
    EXPECT_THAT(d.status().message(), Not(HasSubstr(kHashA)));
  }
}

}  // namespace
}  // namespace marac
