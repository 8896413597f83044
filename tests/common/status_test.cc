#include "marac/common/status.h"

#include <gtest/gtest.h>

#include "marac/common/result.h"

namespace marac {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return InvalidArgument("n", std::to_string(n) + " is odd");
  return n / 2;
}

Result<int> Quarter(int n) {
  MARAC_ASSIGN_OR_RETURN(const int half, Half(n));
  MARAC_ASSIGN_OR_RETURN(const int quarter, Half(half));
  return quarter;
}

Status CheckEven(int n) {
  MARAC_RETURN_IF_ERROR(Half(n).status());
  return Status::Ok();
}

TEST(StatusTest, CodesKeepGrpcNumbers) {
  EXPECT_EQ(static_cast<int>(StatusCode::kCancelled), 1);
  EXPECT_EQ(static_cast<int>(StatusCode::kInvalidArgument), 3);
  EXPECT_EQ(static_cast<int>(StatusCode::kDeadlineExceeded), 4);
  EXPECT_EQ(static_cast<int>(StatusCode::kNotFound), 5);
  EXPECT_EQ(static_cast<int>(StatusCode::kResourceExhausted), 8);
  EXPECT_EQ(static_cast<int>(StatusCode::kFailedPrecondition), 9);
  EXPECT_EQ(static_cast<int>(StatusCode::kDataLoss), 15);
}

struct NameCase {
  const char* label;
  StatusCode code;
  const char* want;
};
constexpr NameCase kNameCases[] = {
    {"Cancelled", StatusCode::kCancelled, "CANCELLED"},
    {"DeadlineExceeded", StatusCode::kDeadlineExceeded, "DEADLINE_EXCEEDED"},
    {"InvalidArgument", StatusCode::kInvalidArgument, "INVALID_ARGUMENT"},
    {"ResourceExhausted", StatusCode::kResourceExhausted, "RESOURCE_EXHAUSTED"},
    {"DataLoss", StatusCode::kDataLoss, "DATA_LOSS"},
};

TEST(StatusTest, CodesAreNamedAsGrpcNamesThem) {
  for (const NameCase& c : kNameCases) {
    SCOPED_TRACE(c.label);
    EXPECT_EQ(StatusCodeName(c.code), c.want);
  }
  EXPECT_EQ(
      DeadlineExceeded("store: reading record: the deadline passed").ToString(),
      "DEADLINE_EXCEEDED: store: reading record: the deadline passed");
  EXPECT_EQ(Cancelled("x").code(), StatusCode::kCancelled);
}

TEST(StatusTest, InvalidArgumentNamesFieldFirst) {
  const Status s =
      InvalidArgument("answers.25", "safelives-ric has questions 1-24");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "answers.25: safelives-ric has questions 1-24");
  EXPECT_EQ(s.ToString(),
            "INVALID_ARGUMENT: answers.25: safelives-ric has questions 1-24");
  EXPECT_EQ(Status().ToString(), "OK");
}

TEST(StatusTest, MacrosPropagateTheFirstError) {
  ASSERT_TRUE(Quarter(8).ok());
  EXPECT_EQ(*Quarter(8), 2);
  const Result<int> odd_half = Quarter(6);  // 6 -> 3 -> odd
  ASSERT_FALSE(odd_half.ok());
  EXPECT_EQ(odd_half.status().message(), "n: 3 is odd");
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(5).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace marac
