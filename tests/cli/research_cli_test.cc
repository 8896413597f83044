// `marac import --referrals` with the referral record's details, and
// `marac agenda --view research`: the full list and an agency's, with the
// excluded case left out and every production in the circulation log.
// Everyone here is invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "marac/store/store.h"
#include "services/cli/commands.h"
#include "tests/cli/invented_records_csv.h"
#include "tests/cli/run_cli.h"

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kReferralHeader =
    "referral_id,submission_id,area,agency,source,referred_on,"
    "victim_record_id,perpetrator_record_ids,incident_id,assessment_id,"
    "criteria,children_in_household,referrer_name,referrer_role,"
    "referrer_contact,judgement_narrative,consent,relationship,children,"
    "language,interpreter_needed,safe_contact,excluded_agencies,"
    "gender_identity,ethnicity,disability,sexual_orientation,age_band\n";

class ResearchCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("marac-research-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string records = Write("records.csv", kInventedRecordsCsv);
    const CliRun imported = RunCli(
        {"import", "--store", Store(), "--records", records, "--referrals",
         Write("referrals.csv",
               std::string(kReferralHeader) +
                   "R1,s1,north,Police,police,2026-03-02,V1,X1,,,"
                   "professional_judgement,2,Wren Alderton,PC,0300 000 0001,"
                   "\"Frightened to go home; controls the money\",consented,"
                   "ex_partner,Ivo|Ashby|2019-03-02|School+Health;Nell|||,"
                   "Polish,true,Mobile after 6pm,Housing,woman,white_other,no,"
                   ",35-44\n"
                   "R2,s2,north,Police,police,2026-03-04,V2,X2,,,"
                   "visible_high_risk,0,,,,,,,,,,,,,,,,\n")});
    ASSERT_EQ(imported.status, 0) << imported.err;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Store() const { return (dir_ / "marac.db").string(); }
  std::string Write(const char* name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  CliRun Research(const std::string& format, const std::string& agency = "") {
    std::vector<std::string> args = {
        "agenda",   "--store",  Store(),      "--meeting", "2026-03-20",
        "--area",   "north",    "--capacity", "10",        "--view",
        "research", "--format", format};
    if (!agency.empty()) {
      args.push_back("--agency");
      args.push_back(agency);
    }
    return RunCli(args);
  }

  std::filesystem::path dir_;
};

TEST_F(ResearchCliTest, ImportKeepsTheDetailsAndOldFilesStayValid) {
  Result<std::unique_ptr<marac::Store>> store = OpenSqliteStore(Store());
  ASSERT_TRUE(store.ok());
  const Actor reader{"u-1", "coordinator", "MARAC", "check the import"};
  const Result<StoredReferral> r1 = (*store)->GetReferral(reader, "R1");
  ASSERT_TRUE(r1.ok()) << r1.status();
  const ReferralDetails& d = r1->details;
  EXPECT_EQ(d.referrer.name, "Wren Alderton");
  EXPECT_EQ(d.judgement_narrative, "Frightened to go home; controls the money");
  EXPECT_EQ(d.consent, VictimConsent::kConsented);
  EXPECT_EQ(d.relationship, Relationship::kExPartner);
  ASSERT_EQ(d.children.size(), 2u);
  EXPECT_EQ(d.children[0].known_to,
            (std::vector<std::string>{"School", "Health"}));
  EXPECT_FALSE(d.children[1].date_of_birth.has_value());
  EXPECT_TRUE(d.interpreter_needed);
  EXPECT_EQ(d.excluded_agencies, std::vector<std::string>{"Housing"});
  EXPECT_EQ(d.equality.age_band, "35-44");
  EXPECT_EQ((*store)->GetReferral(reader, "R2")->details, ReferralDetails{});
}

TEST_F(ResearchCliTest, ABadDetailNamesTheFileLineAndFieldAndImportsNothing) {
  const struct {
    const char* row;
    const char* error;
  } kCases[] = {
      {"R3,s3,north,Police,police,2026-03-04,V2,X2,,,repeat,1,,,,,maybe,,,,,,,,"
       ","
       ",,\n",
       "bad.csv line 2: consent"},
      {"R3,s3,north,Police,police,2026-03-04,V2,X2,,,repeat,1,,,,,,,"
       "Pip|Oakes|2027-01-01|,,,,,,,,,\n",
       "bad.csv line 2: children[0].date_of_birth"},
      {"R3,s3,north,Police,police,2026-03-04,V2,X2,,,repeat,1,,,,,,,Pip|Oakes,"
       ",,,,,,,,\n",
       "bad.csv line 2: children[0]"},
      {"R3,s3,north,Police,police,2026-03-04,V2,X2,,,repeat,0,,,,,,,,,,,Police,"
       ",,,,\n",
       "bad.csv line 2: excluded_agencies[0]"},
      {"R3,s3,north,Police,police,2026-03-04,V2,X2,,,repeat,0,,,,,,,,,yes,,,,,"
       ",,\n",
       "bad.csv line 2: interpreter_needed"},
      {"R3,s3,north,Police,police,2026-03-04,V2,X2,,,repeat,0,,,,,,,,,,,,,"
       "white,,,\n",
       "bad.csv line 2: equality.ethnicity"},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.error);
    const CliRun r =
        RunCli({"import", "--store", Store(), "--referrals",
                Write("bad.csv", std::string(kReferralHeader) + c.row)});
    EXPECT_EQ(r.status, kExitBadInput);
    EXPECT_THAT(r.err, HasSubstr(c.error));
  }
  Result<std::unique_ptr<marac::Store>> store = OpenSqliteStore(Store());
  ASSERT_TRUE(store.ok());
  const Actor reader{"u-1", "coordinator", "MARAC", "check"};
  EXPECT_EQ((*store)->Referrals(reader, "", std::nullopt)->size(), 2u);
}

TEST_F(ResearchCliTest, TheFullListAndAnAgencysListAreProducedAndLogged) {
  const CliRun full = Research("json");
  ASSERT_EQ(full.status, 0) << full.err;
  const nlohmann::json j = nlohmann::json::parse(full.out);
  EXPECT_EQ(j["agency"], "");
  ASSERT_EQ(j["cases"].size(), 2u);
  EXPECT_THAT(full.out, HasSubstr("Ivo Ashby"));
  EXPECT_THAT(full.out, HasSubstr("Housing"));
  for (const char* never : {"Quay Row", "LS6", "6pm", "0300", "white_other"}) {
    EXPECT_THAT(full.out, Not(HasSubstr(never))) << never;
  }

  const CliRun housing = Research("html", "Housing");
  ASSERT_EQ(housing.status, 0) << housing.err;
  EXPECT_THAT(housing.out, HasSubstr("Tamsin Oakes"));
  EXPECT_THAT(housing.out, Not(HasSubstr("Marlowe")));
  EXPECT_THAT(housing.out, Not(HasSubstr("Ashby")));
  EXPECT_THAT(housing.err, HasSubstr("1 on the list, 1 withheld as excluded"));
  const CliRun health = Research("md", "Health");
  ASSERT_EQ(health.status, 0) << health.err;
  EXPECT_THAT(health.out, HasSubstr("Elspeth Marlowe"));

  Result<std::unique_ptr<marac::Store>> store = OpenSqliteStore(Store());
  ASSERT_TRUE(store.ok());
  const Actor reader{"u-1", "coordinator", "MARAC", "check the log"};
  const Result<std::vector<Circulation>> log =
      (*store)->Circulations(reader, "M-2026-03-20-north");
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].agency, "");
  EXPECT_EQ((*log)[1].agency, "Housing");
  EXPECT_EQ((*log)[1].withheld_referral_ids, std::vector<std::string>{"R1"});
  EXPECT_EQ((*log)[1].referral_ids, std::vector<std::string>{"R2"});
  EXPECT_EQ((*log)[1].format, "html");
  EXPECT_EQ((*log)[2].role, "coordinator");

  // The coordinator asks who was sent what.
  const CliRun circulated =
      RunCli({"meeting", "circulated", "--store", Store(), "--meeting",
              "2026-03-20", "--area", "north"});
  ASSERT_EQ(circulated.status, 0) << circulated.err;
  EXPECT_THAT(circulated.out, HasSubstr("(coordinator's full list)"));
  EXPECT_THAT(circulated.out, HasSubstr("| Housing |"));
  const CliRun as_json =
      RunCli({"meeting", "circulated", "--store", Store(), "--meeting",
              "2026-03-20", "--area", "north", "--format", "json"});
  ASSERT_EQ(as_json.status, 0) << as_json.err;
  const nlohmann::json sent = nlohmann::json::parse(as_json.out);
  ASSERT_EQ(sent["circulations"].size(), 3u);
  EXPECT_EQ(sent["circulations"][1]["withheld_referral_ids"][0], "R1");
  const CliRun none = RunCli({"meeting", "circulated", "--store", Store(),
                              "--meeting", "2026-04-17", "--area", "north"});
  ASSERT_EQ(none.status, 0) << none.err;
  EXPECT_THAT(none.out, HasSubstr("None yet."));

  // Contract errors, each naming its option.
  const CliRun agency_alone =
      RunCli({"agenda", "--store", Store(), "--meeting", "2026-03-20",
              "--capacity", "10", "--agency", "Health"});
  EXPECT_EQ(agency_alone.status, kExitBadInput);
  EXPECT_THAT(agency_alone.err, HasSubstr("--agency"));
  const CliRun saved =
      RunCli({"agenda", "--store", Store(), "--meeting", "2026-03-20",
              "--capacity", "10", "--view", "research", "--save"});
  EXPECT_EQ(saved.status, kExitBadInput);
  EXPECT_THAT(saved.err, HasSubstr("--save"));
}

TEST_F(ResearchCliTest, ASavedAgendaDecidesTheCasesAndTheirOrder) {
  // Capacity one: only the first-ranked case is listed and saved.
  const CliRun saved =
      RunCli({"agenda", "--store", Store(), "--meeting", "2026-03-20", "--area",
              "north", "--capacity", "1", "--save", "--format", "json"});
  ASSERT_EQ(saved.status, 0) << saved.err;
  const std::string listed =
      nlohmann::json::parse(saved.out)["cases"][0]["referral_id"];
  const CliRun research = Research("json");  // Asked with capacity 10.
  ASSERT_EQ(research.status, 0) << research.err;
  const nlohmann::json j = nlohmann::json::parse(research.out);
  ASSERT_EQ(j["cases"].size(), 1u);
  EXPECT_EQ(j["cases"][0]["referral_id"], listed);
}

}  // namespace
}  // namespace marac
