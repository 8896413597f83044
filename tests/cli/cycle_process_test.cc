// The MARAC cycle as a coordinator's scripts run it: the real `marac`
// binary as a child process, from referrals with their record through the
// saved agenda, each agency's research list, the minutes and the actions,
// with the exit status and the streams each step gives. Everyone here is
// invented.
//
// MARAC_BIN is the path of the marac program, set by tests/cli/CMakeLists.txt.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/cli/invented_records_csv.h"
#include "tests/cli/run_process.h"
#include "tests/cli/temp_dir.h"

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CycleProcessTest : public ::testing::Test {
 protected:
  ProcessResult Marac(const std::vector<std::string>& args) {
    return RunProgram(MARAC_BIN, args, "/dev/null", dir_.Path(""));
  }
  std::string Store() const { return dir_.Path("marac.db"); }

  TempDir dir_{"marac-cycle"};
};

TEST_F(CycleProcessTest, ReferralToResearchListToMinutesToActions) {
  const std::string records = dir_.Write("records.csv", kInventedRecordsCsv);
  const std::string referrals = dir_.Write(
      "referrals.csv",
      "referral_id,submission_id,area,agency,source,referred_on,"
      "victim_record_id,perpetrator_record_ids,incident_id,assessment_id,"
      "criteria,children_in_household,referrer_name,consent,relationship,"
      "children,excluded_agencies\n"
      "R1,s1,north,Police,police,2026-03-02,V1,X1,,,visible_high_risk,1,"
      "Wren Alderton,consented,ex_partner,Ivo|Ashby|2019-03-02|School,"
      "Housing\n"
      "R2,s2,north,Police,police,2026-03-04,V2,X2,,,visible_high_risk,0,,,,,"
      "\n");
  ProcessResult r = Marac({"import", "--store", Store(), "--records", records,
                           "--referrals", referrals});
  ASSERT_EQ(r.exit_status, 0) << Describe(r);
  EXPECT_THAT(r.out, HasSubstr("2 referrals stored"));

  // A Saturday is no meeting day.
  r = Marac({"agenda", "--store", Store(), "--meeting", "2026-03-21", "--area",
             "north", "--capacity", "5"});
  EXPECT_EQ(r.exit_status, 2) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("--meeting: 2026-03-21 is a Saturday"));

  r = Marac({"agenda", "--store", Store(), "--meeting", "2026-03-20", "--area",
             "north", "--capacity", "5", "--save", "--format", "json"});
  ASSERT_EQ(r.exit_status, 0) << Describe(r);

  // Housing's list leaves out the case kept from it; Police's has both.
  r = Marac({"agenda", "--store", Store(), "--meeting", "2026-03-20", "--area",
             "north", "--capacity", "5", "--view", "research", "--agency",
             "Housing", "--format", "json"});
  ASSERT_EQ(r.exit_status, 0) << Describe(r);
  const nlohmann::json housing = nlohmann::json::parse(r.out);
  ASSERT_EQ(housing["cases"].size(), 1u);
  EXPECT_EQ(housing["cases"][0]["referral_id"], "R2");
  EXPECT_THAT(r.out, Not(HasSubstr("Marlowe")));
  EXPECT_THAT(r.err, HasSubstr("1 withheld as excluded"));
  r = Marac({"agenda", "--store", Store(), "--meeting", "2026-03-20", "--area",
             "north", "--capacity", "5", "--view", "research", "--agency",
             "Police", "--format", "md"});
  ASSERT_EQ(r.exit_status, 0) << Describe(r);
  EXPECT_THAT(r.out, HasSubstr("Elspeth Marlowe"));
  EXPECT_THAT(r.out, HasSubstr("Ivo Ashby"));
  EXPECT_THAT(r.out, Not(HasSubstr("Quay Row")));

  const std::string minutes = dir_.Write("minutes.json", R"({
    "attendance": ["Police", "Housing"],
    "cases": [
      {"referral_id": "R1", "outcome": "heard",
       "actions": [{"agency": "Police", "owner": "DS Ravel",
                    "text": "Flag the address", "due_on": "2026-03-23"}]},
      {"referral_id": "R2", "outcome": "adjourned",
       "reason": "The IDVA's report was not ready"}]})");
  r = Marac({"meeting", "record", "--store", Store(), "--meeting", "2026-03-20",
             "--area", "north", "--minutes", minutes});
  ASSERT_EQ(r.exit_status, 0) << Describe(r);
  r = Marac({"actions", "list", "--store", Store(), "--agency", "Police",
             "--open", "--format", "csv"});
  ASSERT_EQ(r.exit_status, 0) << Describe(r);
  EXPECT_THAT(r.out, HasSubstr("M-2026-03-20-north/R1/1,"));
  r = Marac({"actions", "update", "--store", Store(), "--action",
             "M-2026-03-20-north/R1/1", "--status", "done", "--on",
             "2026-03-22"});
  ASSERT_EQ(r.exit_status, 0) << Describe(r);
  r = Marac(
      {"actions", "list", "--store", Store(), "--open", "--format", "json"});
  ASSERT_EQ(r.exit_status, 0) << Describe(r);
  EXPECT_TRUE(nlohmann::json::parse(r.out)["actions"].empty());

  // A bad referral record is exit 2, naming the file, line and field, and
  // adds nothing.
  const std::string bad = dir_.Write(
      "bad.csv",
      "referral_id,submission_id,area,agency,source,referred_on,"
      "victim_record_id,perpetrator_record_ids,incident_id,assessment_id,"
      "criteria,children_in_household,consent\n"
      "R3,s3,north,Police,police,2026-03-04,V2,X2,,,repeat,0,maybe\n");
  r = Marac({"import", "--store", Store(), "--referrals", bad});
  EXPECT_EQ(r.exit_status, 2) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("bad.csv line 2: consent"));
  EXPECT_TRUE(r.out.empty()) << r.out;
}

}  // namespace
}  // namespace marac
