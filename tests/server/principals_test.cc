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

// A clock a lookup must not read: no entry it reaches has an expiry.
Date NotAsked() {
  ADD_FAILURE() << "today() was asked for a token without an expiry";
  return Date{2026, 3, 1};
}

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
    const PrincipalEntry* e = Identify(*d, token, subject, NotAsked, error);
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

TEST(PrincipalsTest, ATokenIsRefusedAfterItsLastDayEvenWithItsCertificate) {
  const Result<PrincipalDirectory> d = PrincipalDirectory::Parse(
      Doc(Entry("u-a", R"(, "token_sha256": ")" + kHashA +
                           R"(", "token_valid_until": "2026-03-31")" +
                           R"(, "certificate_subject": "CN=a")")));
  ASSERT_TRUE(d.ok()) << d.status();
  Date today{2026, 3, 31};
  int asked = 0;
  const std::function<Date()> clock = [&] {
    ++asked;
    return today;
  };
  std::string error;
  const PrincipalEntry* e = Identify(*d, "tok-a", "", clock, error);
  ASSERT_NE(e, nullptr) << error;
  EXPECT_EQ(e->user, "u-a");
  EXPECT_EQ(e->token_valid_until, (Date{2026, 3, 31}));
  EXPECT_EQ(asked, 1);
  today = Date{2026, 4, 1};
  EXPECT_EQ(Identify(*d, "tok-a", "", clock, error), nullptr);
  EXPECT_EQ(error,
            "authorization: the bearer token has expired; ask for a new one");
  // The expired token is refused even beside the principal's certificate,
  // which alone still identifies it.
  EXPECT_EQ(Identify(*d, "tok-a", "CN=a", clock, error), nullptr);
  EXPECT_THAT(error, HasSubstr("expired"));
  error.clear();
  e = Identify(*d, "", "CN=a", clock, error);
  ASSERT_NE(e, nullptr) << error;
  EXPECT_EQ(e->user, "u-a");
  // A token that names nobody is "not valid", whatever the date.
  EXPECT_EQ(Identify(*d, "tok-b", "", clock, error), nullptr);
  EXPECT_THAT(error, HasSubstr("not valid"));
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
      {"ExpiryWithoutToken",
       Doc(Entry("u", R"(, "certificate_subject": "CN=u", )"
                      R"("token_valid_until": "2026-03-31")")),
       "principals[0].token_valid_until: given without token_sha256"},
      {"ExpiryNotADate",
       Doc(Entry("u", hash + R"(, "token_valid_until": "2026-02-30")")),
       "principals[0].token_valid_until"},
      {"ExpiryNotAString",
       Doc(Entry("u", hash + R"(, "token_valid_until": 20260331)")),
       "principals[0].token_valid_until"},
      {"ExpiryWithATime",
       Doc(Entry("u", hash + R"(, "token_valid_until": "2026-03-31T00:00Z")")),
       "principals[0].token_valid_until"},
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
