// `marac meeting record` and `marac actions list|update` on a store with
// a saved agenda: minutes recorded once (a retry says so, other minutes are
// refused), the actions listed, filtered, chased and updated, and bad
// minutes named by path. Everyone here is invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "marac/store/store.h"
#include "services/cli/meeting_command.h"
#include "tests/cli/run_cli.h"

namespace marac {
namespace {

using ::testing::HasSubstr;

Date D(const char* text) { return *Date::Parse("date", text); }

const Actor kSeeder{"u-001", "coordinator", "MARAC-North", "seed"};

class MeetingCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("marac-meeting-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(StorePath());
    ASSERT_TRUE(store.ok()) << store.status();
    PersonRecord v;
    v.record_id = "V1";
    v.source = "police";
    v.given_name = "Elspeth";
    v.family_name = "Marlowe";
    v.role = Role::kVictim;
    ASSERT_TRUE((*store)->PutRecords(kSeeder, {&v, 1}).ok());
    std::vector<StoredReferral> referrals;
    for (const char* id : {"R1", "R2"}) {
      StoredReferral r;
      r.referral_id = id;
      r.submission_id = std::string("s-") + id;
      r.area = "north";
      r.agency = "police";
      r.source = ReferralSource::kPolice;
      r.referred_on = D("2026-03-02");
      r.victim_record_id = "V1";
      r.criteria = {"visible_high_risk"};
      referrals.push_back(r);
    }
    ASSERT_TRUE((*store)->SubmitReferrals(kSeeder, referrals).ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string StorePath() const { return (dir_ / "marac.db").string(); }
  std::string Write(const std::string& name, const std::string& text) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  CliRun SaveAgenda() {
    return RunCli({"agenda", "--store", StorePath(), "--meeting", "2026-03-12",
                   "--area", "north", "--capacity", "5", "--save"});
  }

  std::filesystem::path dir_;
};

constexpr const char* kMinutes = R"({
  "attendance": ["police-north", "idva-north", "housing-north"],
  "cases": [
    {"referral_id": "R1", "outcome": "heard",
     "actions": [
       {"agency": "police-north", "owner": "DS Ravel",
        "text": "Flag the address for urgent response", "due_on": "2026-03-13"},
       {"agency": "housing-north", "owner": "Tenancy officer",
        "text": "Fit additional locks", "due_on": "2026-03-26"}]},
    {"referral_id": "R2", "outcome": "adjourned",
     "reason": "The IDVA's report was not ready"}]})";

TEST_F(MeetingCliTest, RecordsTheMinutesOnceAndListsTheActions) {
  ASSERT_EQ(SaveAgenda().status, 0);
  const std::string minutes = Write("minutes.json", kMinutes);
  const CliRun recorded =
      RunCli({"meeting", "record", "--store", StorePath(), "--meeting",
              "2026-03-12", "--area", "north", "--minutes", minutes});
  ASSERT_EQ(recorded.status, 0) << recorded.err;
  EXPECT_THAT(recorded.out, HasSubstr("recorded 2 cases, 2 actions"));
  const CliRun again =
      RunCli({"meeting", "record", "--store", StorePath(), "--meeting",
              "2026-03-12", "--area", "north", "--minutes", minutes});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("already recorded with the same minutes"));

  std::string changed = kMinutes;
  changed.replace(changed.find("2026-03-26"), 10, "2026-04-02");
  const CliRun conflict = RunCli({"meeting", "record", "--store", StorePath(),
                                  "--meeting", "2026-03-12", "--area", "north",
                                  "--minutes", Write("changed.json", changed)});
  EXPECT_EQ(conflict.status, kExitBadInput);
  EXPECT_THAT(conflict.err, HasSubstr("already recorded with other minutes"));

  const CliRun listed =
      RunCli({"actions", "list", "--store", StorePath(), "--format", "json",
              "--overdue-on", "2026-03-20"});
  ASSERT_EQ(listed.status, 0) << listed.err;
  const nlohmann::json j = nlohmann::json::parse(listed.out);
  ASSERT_EQ(j["actions"].size(), 1u) << "only the police flag is overdue";
  EXPECT_EQ(j["actions"][0]["action_id"], "M-2026-03-12-north/R1/1");
  EXPECT_EQ(j["actions"][0]["overdue"], true);

  const CliRun done =
      RunCli({"actions", "update", "--store", StorePath(), "--action",
              "M-2026-03-12-north/R1/1", "--status", "done", "--on",
              "2026-03-14", "--note", "flag set"});
  ASSERT_EQ(done.status, 0) << done.err;
  const CliRun csv =
      RunCli({"actions", "list", "--store", StorePath(), "--open", "--agency",
              "housing-north", "--format", "csv"});
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_THAT(csv.out, HasSubstr("M-2026-03-12-north/R1/2,"));
  EXPECT_EQ(csv.out.find("R1/1"), std::string::npos) << "done, and police";
  const CliRun md = RunCli({"actions", "list", "--store", StorePath(),
                            "--overdue-on", "2026-04-01"});
  ASSERT_EQ(md.status, 0) << md.err;
  EXPECT_THAT(md.out, HasSubstr("OVERDUE (6 days)"));
}

TEST_F(MeetingCliTest, BadMinutesAreNamedByPathAndRecordNothing) {
  ASSERT_EQ(SaveAgenda().status, 0);
  const struct {
    const char* label;
    const char* json;
    const char* path;
  } kCases[] = {
      {"NotJson", "{", "minutes"},
      {"UnknownKey", R"({"attendance": [], "cases": [], "chair": "x"})",
       "chair"},
      {"NoCases", R"({"attendance": []})", "cases"},
      {"BadOutcome",
       R"({"attendance": [], "cases": [{"referral_id": "R1", "outcome": "closed"}]})",
       "cases[0].outcome"},
      {"BadDueDate",
       R"({"attendance": [], "cases": [{"referral_id": "R1", "outcome": "heard",
           "actions": [{"agency": "a", "owner": "o", "text": "t",
                        "due_on": "2026-02-30"}]}]})",
       "cases[0].actions[0].due_on"},
      {"AdjournedWithoutReason",
       R"({"attendance": [], "cases": [{"referral_id": "R2", "outcome": "adjourned"}]})",
       "cases[0].reason"},
      {"UnknownReferral",
       R"({"attendance": [], "cases": [{"referral_id": "R9", "outcome": "heard"}]})",
       "cases[0].referral_id"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.label);
    const CliRun run =
        RunCli({"meeting", "record", "--store", StorePath(), "--meeting",
                "2026-03-12", "--area", "north", "--minutes",
                Write(std::string(c.label) + ".json", c.json)});
    EXPECT_EQ(run.status, kExitBadInput) << run.out;
    EXPECT_THAT(run.err, HasSubstr(c.path));
  }
  const CliRun listed =
      RunCli({"actions", "list", "--store", StorePath(), "--format", "csv"});
  ASSERT_EQ(listed.status, 0) << listed.err;
  EXPECT_EQ(listed.out.find('\n'), listed.out.size() - 1) << "header only";
}

TEST_F(MeetingCliTest, AnUnknownActionOrStatusIsBadInput) {
  const CliRun unknown =
      RunCli({"actions", "update", "--store", StorePath(), "--action",
              "M-x/R1/1", "--status", "done", "--on", "2026-03-14"});
  EXPECT_EQ(unknown.status, kExitBadInput);
  EXPECT_THAT(unknown.err, HasSubstr("action_id"));
  const CliRun status =
      RunCli({"actions", "update", "--store", StorePath(), "--action",
              "M-x/R1/1", "--status", "finished", "--on", "2026-03-14"});
  EXPECT_EQ(status.status, kExitBadInput);
  EXPECT_THAT(status.err, HasSubstr("--status"));
}

}  // namespace
}  // namespace marac
