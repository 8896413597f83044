// `marac return safelives` in-process, on a store filled through the CLI:
// referrals imported, an agenda saved, minutes recorded, then the return
// as CSV and JSON, a local agency mapping, and the contract's refusals.
// Everyone here is invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "services/cli/commands.h"
#include "tests/cli/run_cli.h"

namespace marac {
namespace {

using ::testing::HasSubstr;

const nlohmann::json& Figure(const nlohmann::json& j, const std::string& id) {
  for (const nlohmann::json& f : j["figures"]) {
    if (f["id"] == id) return f;
  }
  static const nlohmann::json none;
  ADD_FAILURE() << "no figure " << id;
  return none;
}

TEST(ReturnCliTest, SafeLivesReturnFromAStoreAsCsvAndJson) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("marac-return-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const auto write = [&](const char* name, const std::string& text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  const std::string records = write(
      "records.csv",
      "record_id,given_name,family_name,dob,gender,postcode,address_line,role,"
      "incident_id\n"
      "V1,Elspeth,Marlowe,1990-07-03,f,LS6 2AB,1 Quay Row,victim,I1\n"
      "V2,Tobias,Wrenfield,1999-02-14,m,LS7 4CD,9 Mill Lane,victim,I2\n"
      "V3,Maren,Oakhurst,1985-11-30,f,LS8 1EF,3 Kiln Yard,victim,I3\n"
      "V4,Isolde,Penhale,1979-05-21,f,S1 2GH,5 Weir Street,victim,I4\n");
  // R1 police; R2 probation by name (source other); R3 made at a One Stop
  // Shop by an agency the default mapping does not know; R4 another area.
  const std::string referrals = write(
      "referrals.csv",
      "referral_id,submission_id,area,agency,source,referred_on,"
      "victim_record_id,perpetrator_record_ids,incident_id,assessment_id,"
      "criteria,children_in_household,gender_identity,ethnicity,disability,"
      "sexual_orientation,age_band\n"
      "R1,s1,north,Police,police,2026-07-01,V1,,,,visible_high_risk,2,"
      "woman,asian,no,heterosexual,25-34\n"
      "R2,s2,north,Probation Service,other,2026-07-02,V2,,,,visible_high_risk,"
      "1,man,white_british,yes,,18-24\n"
      "R3,s3,north,Riverside Hub,one_stop_shop,2026-07-03,V3,,,,"
      "visible_high_risk,4,,,,,\n"
      "R4,s4,south,Police,police,2026-07-02,V4,,,,visible_high_risk,3,,,,,\n");
  const std::string db = (dir / "store.db").string();
  const CliRun imported = RunCli({"import", "--store", db, "--records", records,
                                  "--referrals", referrals});
  ASSERT_EQ(imported.status, 0) << imported.err;
  // The north meeting of 16 July lists R1, R2 and R3; R3 is adjourned.
  const CliRun saved =
      RunCli({"agenda", "--store", db, "--meeting", "2026-07-16", "--area",
              "north", "--capacity", "5", "--save", "--format", "json"});
  ASSERT_EQ(saved.status, 0) << saved.err;
  const std::string minutes = write("minutes.json", R"({
    "attendance": ["police-north", "probation-north"],
    "cases": [
      {"referral_id": "R1", "outcome": "heard", "actions": []},
      {"referral_id": "R2", "outcome": "heard", "actions": []},
      {"referral_id": "R3", "outcome": "adjourned",
       "reason": "The hub's report was not ready"}]})");
  const CliRun recorded =
      RunCli({"meeting", "record", "--store", db, "--meeting", "2026-07-16",
              "--area", "north", "--minutes", minutes});
  ASSERT_EQ(recorded.status, 0) << recorded.err;

  // Counted by hand for north, 2026Q3: one meeting; R1 and R2 discussed
  // (R3 adjourned), 2 + 1 children; R1, R2, R3 received: police 1,
  // probation 1, Riverside Hub unmapped. Equality of R1, R2: one man of
  // two; asian of two; one disabled of two; orientation only R1's.
  const CliRun csv = RunCli({"return", "safelives", "--store", db, "--quarter",
                             "2026Q3", "--area", "north"});
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
            "section,figure,label,agency,value,recorded_of,note");
  EXPECT_THAT(csv.out, HasSubstr("return,quarter,Quarter,,2026Q3,,"));
  EXPECT_THAT(csv.out, HasSubstr("meetings,meetings_held,Meetings held,,1,,"));
  EXPECT_THAT(csv.out, HasSubstr("cases,cases_discussed,Cases discussed,,2,,"));
  EXPECT_THAT(csv.out, HasSubstr("cases,repeat_cases,Repeat cases,,0,,"));
  EXPECT_THAT(csv.out, HasSubstr("referrals,referrals_received,Referrals "
                                 "received,,3,,"));
  EXPECT_THAT(csv.out, HasSubstr("referrals,referrals_police,Police,,1,,"));
  EXPECT_THAT(csv.out,
              HasSubstr("referrals,referrals_probation,Probation,,1,,"));
  EXPECT_THAT(csv.out, HasSubstr("referrals,unmapped,Unmapped agency,"
                                 "Riverside Hub,1,,"));
  EXPECT_THAT(csv.out, HasSubstr("equality,male_victims,Male victims,,1,2,"));
  EXPECT_THAT(csv.out, HasSubstr("equality,lgbt_victims,\"Lesbian, gay or "
                                 "bisexual victims\",,0,1,"));

  const CliRun json = RunCli({"return", "safelives", "--store", db, "--quarter",
                              "2026Q3", "--area", "north", "--format", "json"});
  ASSERT_EQ(json.status, 0) << json.err;
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["quarter"], "2026Q3");
  EXPECT_EQ(j["area"], "north");
  EXPECT_EQ(j["counted_to"], "2026-09-30");
  EXPECT_EQ(Figure(j, "meetings_held")["value"], 1);
  EXPECT_EQ(Figure(j, "cases_discussed")["value"], 2);
  EXPECT_EQ(Figure(j, "children")["value"], 3);
  EXPECT_EQ(Figure(j, "repeat_rate")["value"], 0.0);
  EXPECT_EQ(Figure(j, "minoritised_ethnic_victims")["value"], 1);
  EXPECT_EQ(Figure(j, "minoritised_ethnic_victims")["recorded_of"], 2);
  EXPECT_EQ(Figure(j, "unmapped")["agency"], "Riverside Hub");

  // A local mapping replaces the default.
  const std::string map = write("agency-map.json", R"({
    "version": "north-2026.1",
    "by_source": {"police": "police"},
    "by_agency": {"Riverside Hub": "voluntary_sector",
                  "Probation Service": "probation"}})");
  const CliRun mapped =
      RunCli({"return", "safelives", "--store", db, "--quarter", "2026Q3",
              "--area", "north", "--agency-map", map});
  ASSERT_EQ(mapped.status, 0) << mapped.err;
  EXPECT_THAT(mapped.out,
              HasSubstr("return,mapping,Agency mapping,,north-2026.1,,"));
  EXPECT_THAT(mapped.out,
              HasSubstr("referrals,referrals_voluntary_sector,Voluntary sector "
                        "/ other specialist DA service,,1,,"));
  EXPECT_THAT(mapped.out,
              HasSubstr("referrals,referrals_unmapped,Referrals from agencies "
                        "the mapping does not cover,,0,,"));

  // Refusals: exit 2, naming the option and field.
  struct Refusal {
    const char* label;
    std::vector<std::string> args;
    const char* message;
  };
  const Refusal refusals[] = {
      {"QuarterFive", {"--quarter", "2026Q5"}, "--quarter: '2026Q5'"},
      {"QuarterDash", {"--quarter", "2026-Q3"}, "--quarter: '2026-Q3'"},
      {"NotBegun", {"--quarter", "2999Q1"}, "--quarter: 2999Q1 begins on"},
      {"Format", {"--quarter", "2026Q3", "--format", "md"}, "--format"},
      {"BadMap",
       {"--quarter", "2026Q3", "--agency-map",
        write("bad-map.json", R"({"by_agency": {"Riverside Hub": "hub"}})")},
       "agency_map.by_agency.Riverside Hub: 'hub'"},
      {"MissingMap",
       {"--quarter", "2026Q3", "--agency-map", (dir / "none.json").string()},
       "--agency-map"},
  };
  for (const Refusal& r : refusals) {
    SCOPED_TRACE(r.label);
    std::vector<std::string> args = {"return", "safelives", "--store", db};
    args.insert(args.end(), r.args.begin(), r.args.end());
    const CliRun refused = RunCli(args);
    EXPECT_EQ(refused.status, kExitBadInput);
    EXPECT_THAT(refused.err, HasSubstr(r.message));
    EXPECT_EQ(refused.out, "");
  }
  const CliRun no_quarter = RunCli({"return", "safelives", "--store", db});
  EXPECT_EQ(no_quarter.status, kExitBadInput);
  EXPECT_THAT(no_quarter.err, HasSubstr("--quarter"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace marac
