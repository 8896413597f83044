// `marac link` through RunMain: the CSV contract, its errors, and that
// nothing is half-written. People here are invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "services/cli/commands.h"
#include "services/cli/record_csv.h"
#include "tests/cli/run_cli.h"
#include "tests/cli/temp_dir.h"

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using LinkRun = CliRun;

// `marac link ARGS...`.
LinkRun Link(std::vector<std::string> args) {
  args.insert(args.begin(), "link");
  return RunCli(std::move(args));
}

std::string Read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

constexpr char kHeader[] =
    "record_id,given_name,family_name,dob,gender,postcode,address_line,role\n";

TEST(LinkTest, LinksVariantsOfOnePersonAndKeepsOthersApart) {
  const TempDir dir("marac-link");
  std::string csv = kHeader;
  // One invented person under three variants, plus unrelated people.
  csv +=
      "A1,Elspeth,Marlowe,1990-07-03,f,LS6 2AB,\"1 Quay Row, Leeds\",victim\n";
  csv += "A2,Elspeth,Marlowe,1990-07-03,f,LS6 2AB,,victim\n";
  csv += "A3,Elspeth,Marlow,1990-07-03,f,LS6 2AB,,victim\n";
  const char* given[] = {"Ivo",    "Tamsin", "Corin", "Hal",
                         "Bryony", "Odo",    "Wren",  "Perpetua",
                         "Lorcan", "Saffi",  "Anwen", "Iolo"};
  const char* family[] = {"Tallis",   "Okonkwo", "Ashby",    "Pelham",
                          "Quennell", "Fenwick", "Brannagh", "Dacre",
                          "Ellery",   "Gaunt",   "Hollis",   "Ireton"};
  for (int i = 0; i < 12; ++i) {
    csv += "B" + std::to_string(i) + "," + given[i] + "," + family[i] + ",19" +
           std::to_string(60 + i) + "-0" + std::to_string(1 + i % 9) + "-1" +
           std::to_string(i % 9) + ",,M1 1AE,,\n";
  }
  const std::string in = dir.Write("records.csv", csv);
  const LinkRun r = Link({"--in", in, "--out", dir.Path("clusters.csv"),
                          "--review-out", dir.Path("review.csv"),
                          "--explain-out", dir.Path("explain.jsonl")});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string clusters = Read(dir.Path("clusters.csv"));
  std::istringstream lines(clusters);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "record_id,person_id");
  std::map<std::string, std::string> person;
  while (std::getline(lines, line)) {
    const auto comma = line.find(',');
    person[line.substr(0, comma)] = line.substr(comma + 1);
  }
  ASSERT_EQ(person.size(), 15u) << "every record is in the output";
  EXPECT_EQ(person["A1"], person["A2"]);
  EXPECT_EQ(person["A1"], person["A3"]);
  EXPECT_NE(person["A1"], person["B0"]);
  EXPECT_NE(person["B0"], person["B1"]);
  EXPECT_THAT(Read(dir.Path("review.csv")),
              ::testing::StartsWith(
                  "record_id_l,record_id_r,match_probability,reason\n"));
  EXPECT_THAT(Read(dir.Path("explain.jsonl")), HasSubstr("\"terms\""));

  // Deterministic: the same input gives the same output.
  const LinkRun again = Link({"--in", in, "--out", dir.Path("again.csv")});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_EQ(Read(dir.Path("again.csv")), clusters);
}

// record_id -> person_id from a clusters file.
std::map<std::string, std::string> People(const std::string& clusters) {
  std::map<std::string, std::string> person;
  std::istringstream lines(clusters);
  std::string line;
  std::getline(lines, line);  // Header.
  while (std::getline(lines, line)) {
    const auto comma = line.find(',');
    person[line.substr(0, comma)] = line.substr(comma + 1);
  }
  return person;
}

// Invented records: one woman under two variants (A), and unrelated
// people (B), in a first batch.
std::string FirstBatch() {
  std::string csv = kHeader;
  csv += "A1,Elspeth,Marlowe,1990-07-03,f,LS6 2AB,1 Quay Row,victim\n";
  csv += "A2,Elspeth,Marlowe,1990-07-03,f,LS6 2AB,,victim\n";
  const char* given[] = {"Ivo", "Tamsin", "Corin", "Hal", "Bryony", "Odo"};
  const char* family[] = {"Tallis", "Okonkwo",  "Ashby",
                          "Pelham", "Quennell", "Fenwick"};
  for (int i = 0; i < 6; ++i) {
    csv += "B" + std::to_string(i) + "," + given[i] + "," + family[i] + ",19" +
           std::to_string(60 + i) + "-0" + std::to_string(1 + i) + "-1" +
           std::to_string(i) + ",,M1 1AE,,\n";
  }
  return csv;
}

TEST(LinkTest, EarlierIdsStayStableAsABatchIsAdded) {
  const TempDir dir("marac-link");
  const std::string first = dir.Write("first.csv", FirstBatch());
  ASSERT_EQ(Link({"--in", first, "--out", dir.Path("run1.csv")}).status, 0);
  const auto run1 = People(Read(dir.Path("run1.csv")));
  // A second batch: the same woman again, listed first, and a new person.
  std::string second = kHeader;
  second += "C1,Wren,Ellery,1984-02-11,f,NE1 4XT,,victim\n";
  second += "A3,Elspeth,Marlow,1990-07-03,f,LS6 2AB,,victim\n";
  const std::string batch = dir.Write("second.csv", second);
  const LinkRun r = Link(
      {"--in", batch, "--in", first, "--out", dir.Path("run2.csv"), "--earlier",
       dir.Path("run1.csv"), "--history-out", dir.Path("history.csv")});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto run2 = People(Read(dir.Path("run2.csv")));
  for (const auto& [record, person] : run1) {
    EXPECT_EQ(run2.at(record), person) << record << " keeps its person";
  }
  EXPECT_EQ(run2.at("A3"), run1.at("A1")) << "the new record joins her";
  // The new person numbers on after every earlier id.
  std::string highest;
  for (const auto& [record, person] : run1) highest = std::max(highest, person);
  EXPECT_GT(run2.at("C1"), highest);
  EXPECT_EQ(Read(dir.Path("history.csv")), "event,person_id,other_person_id\n");
}

TEST(LinkTest, DecisionsHoldInLaterRunsAndChangesAreRecorded) {
  const TempDir dir("marac-link");
  const std::string first = dir.Write("first.csv", FirstBatch());
  ASSERT_EQ(Link({"--in", first, "--out", dir.Path("run1.csv"), "--review-out",
                  dir.Path("review1.csv")})
                .status,
            0);
  const auto run1 = People(Read(dir.Path("run1.csv")));
  ASSERT_EQ(run1.at("A1"), run1.at("A2"));
  ASSERT_NE(run1.at("B0"), run1.at("B1"));
  // A person decides A1 and A2 are two people, and B0 and B1 one.
  const std::string decisions = dir.Write("decisions.csv",
                                          "record_id_l,record_id_r,decision\n"
                                          "A1,A2,not_same\n"
                                          "B1,B0,same\n");
  const LinkRun r =
      Link({"--in", first, "--out", dir.Path("run2.csv"), "--earlier",
            dir.Path("run1.csv"), "--decisions", decisions, "--review-out",
            dir.Path("review2.csv"), "--history-out", dir.Path("history.csv")});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto run2 = People(Read(dir.Path("run2.csv")));
  EXPECT_NE(run2.at("A1"), run2.at("A2"));
  EXPECT_EQ(run2.at("A1"), run1.at("A1")) << "A1 came first: keeps the id";
  EXPECT_EQ(run2.at("B0"), run2.at("B1"));
  const std::string older = std::min(run1.at("B0"), run1.at("B1"));
  const std::string newer = std::max(run1.at("B0"), run1.at("B1"));
  EXPECT_EQ(run2.at("B0"), older) << "a merge keeps the older id";
  const std::string history = Read(dir.Path("history.csv"));
  EXPECT_THAT(history,
              HasSubstr("split," + run1.at("A1") + "," + run2.at("A2") + "\n"));
  EXPECT_THAT(history, HasSubstr("merge," + older + "," + newer + "\n"));
  EXPECT_THAT(Read(dir.Path("review2.csv")), Not(HasSubstr("A1,A2")));
  // The same inputs again: the same output.
  ASSERT_EQ(Link({"--in", first, "--out", dir.Path("run3.csv"), "--earlier",
                  dir.Path("run1.csv"), "--decisions", decisions})
                .status,
            0);
  EXPECT_EQ(Read(dir.Path("run3.csv")), Read(dir.Path("run2.csv")));
}

TEST(LinkTest, BadDecisionsAndEarlierFilesNameTheLineAndWriteNothing) {
  const TempDir dir("marac-link");
  const std::string first = dir.Write("first.csv", FirstBatch());
  const struct {
    const char* option;
    const char* text;
    const char* want;
  } cases[] = {
      {"--decisions", "record_id_l,record_id_r,decision\nA1,A2,maybe\n",
       "line 2: decision: 'maybe' is not same or not_same"},
      {"--decisions", "record_id_l,record_id_r,decision\nA1,Z9,same\n",
       "line 2: record_id_r: 'Z9' is not a record of the input"},
      {"--decisions",
       "record_id_l,record_id_r,decision\nA1,A2,same\nA2,A1,not_same\n",
       "line 3: decision: contradicts line 2"},
      {"--decisions", "record_id_l,record_id_r,decision\nA1,A1,same\n",
       "line 2: record_id_r: the same record as record_id_l"},
      {"--decisions", "record_id_l,decision\nA1,same\n",
       "line 1: no \"record_id_r\" column"},
      {"--earlier", "record_id,person_id\nA1,someone\n",
       "line 2: person_id: 'someone' is not P and digits"},
      {"--decisions", "record_id_l,record_id_r,decision\nA1,A2,maybe",
       "line 2: decision"},  // No final newline: still line 2.
      {"--earlier", "record_id,person_id\nA1,P000001\nA1,P000002\n",
       "line 3: record_id: 'A1' appears twice"},
      {"--earlier", "record_id,person_id\nA1,P000001,extra\n",
       "line 2: expected 2 fields, got 3"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    const std::string file = dir.Write("state.csv", c.text);
    const LinkRun r =
        Link({"--in", first, "--out", dir.Path("out.csv"), c.option, file});
    EXPECT_EQ(r.status, kExitBadInput);
    EXPECT_THAT(r.err, HasSubstr(c.want));
    EXPECT_FALSE(std::filesystem::exists(dir.Path("out.csv")));
  }
}

struct BadCase {
  const char* label;
  std::string rows;
  const char* want;
};

TEST(LinkTest, BadRowsNameTheLineAndFieldAndWriteNothing) {
  const BadCase cases[] = {
      {"ColumnCount", "R1,Orla,Fenwick,1988-04-12,f,,,\nR2,Orla\n",
       "line 3: expected 8 fields, got 2"},
      {"ImpossibleDate", "R1,Orla,Fenwick,2025-02-29,f,,,\n",
       "line 2: dob: 2025-02-29 is not a date"},
      {"DuplicateId", "R1,Orla,Fenwick,,f,,,\nR1,Ivo,Tallis,,m,,,\n",
       "line 3: record_id: \"R1\" is already used"},
      {"InvalidUtf8", "R1,Orla,Fen\xffwick,,f,,,\n",
       "line 2: family_name: not valid UTF-8"},
      {"BadRole", "R1,Orla,Fenwick,,f,,,witness\n",
       "line 2: role: \"witness\" is not a role"},
      {"EmptyId", ",Orla,Fenwick,,f,,,\n", "line 2: record_id: empty"},
      {"UnterminatedQuote", "R1,\"Orla,Fenwick,,f,,,\n", "not valid CSV"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.label);
    const TempDir dir("marac-link");
    const std::string in = dir.Write("records.csv", kHeader + c.rows);
    const std::string out = dir.Write("clusters.csv", "previous content\n");
    const LinkRun r = Link({"--in", in, "--out", out});
    EXPECT_EQ(r.status, 2);
    EXPECT_THAT(r.err, HasSubstr(c.want));
    EXPECT_EQ(Read(out), "previous content\n") << "nothing half-written";
    EXPECT_FALSE(std::filesystem::exists(out + ".tmp"));
  }
}

TEST(LinkTest, MissingColumnAndUnknownFormat) {
  const TempDir dir("marac-link");
  const std::string in =
      dir.Write("records.csv", "record_id,given_name\nR1,A\n");
  const LinkRun r = Link({"--in", in, "--out", dir.Path("c.csv")});
  EXPECT_EQ(r.status, 2);
  EXPECT_THAT(r.err, HasSubstr("line 1: no \"family_name\" column"));
  const LinkRun f =
      Link({"--in", in, "--out", dir.Path("c.csv"), "--format", "xml"});
  EXPECT_EQ(f.status, 2);
  EXPECT_THAT(f.err, HasSubstr("--format: \"xml\" is not a format"));
}

TEST(LinkTest, OptionalColumnsFeedTheRecord) {
  std::vector<PersonRecord> records;
  const Status read = ReadRecordCsv(
      "record_id,given_name,family_name,dob,gender,postcode,address_line,"
      "role,town,email,other_id,previous_family_names,note\n"
      "R1,Tamsin,Okonkwo,1985-11-20,F,LS6 2AB,7 Wallaby Place,victim,"
      "Leeds,tq@example.org,QQ123456C, Pelham ; Ward ;,ignored\n",
      "a.csv", RecordFormat::kMarac, records);
  ASSERT_TRUE(read.ok()) << read.ToString();
  ASSERT_EQ(records.size(), 1u);
  const PersonRecord& r = records[0];
  EXPECT_EQ(r.town, "Leeds");
  EXPECT_EQ(r.email, "tq@example.org");
  EXPECT_EQ(r.other_id, "QQ123456C");
  const std::vector<std::string> previous = {"Pelham", "Ward"};
  EXPECT_EQ(r.previous_family_names, previous);
  EXPECT_EQ(r.role, Role::kVictim);
  EXPECT_EQ(r.source, "a.csv");

  // FEBRL: the address from three columns, suburb as town, soc_sec_id.
  std::vector<PersonRecord> febrl;
  const Status f = ReadRecordCsv(
      "rec_id, given_name, surname, street_number, address_1, address_2, "
      "suburb, postcode, state, date_of_birth, soc_sec_id\n"
      "rec-1-org, ada, vesk, 7, wallaby place, , delmar, 2119, sa, "
      "19560409, 1804974\n",
      "f.csv", RecordFormat::kFebrl, febrl);
  ASSERT_TRUE(f.ok()) << f.ToString();
  ASSERT_EQ(febrl.size(), 1u);
  EXPECT_EQ(febrl[0].address_line, "7 wallaby place");
  EXPECT_EQ(febrl[0].town, "delmar");
  EXPECT_EQ(febrl[0].other_id, "1804974");
  EXPECT_EQ(febrl[0].dob, "1956-04-09");

  // Eight bytes that are not eight digits stay as they are: a zero-width
  // space (three bytes) must not be cut into invalid UTF-8 (a fuzzer
  // finding).
  std::vector<PersonRecord> odd;
  const Status o = ReadRecordCsv(
      "rec_id, given_name, surname, street_number, address_1, address_2, "
      "suburb, postcode, state, date_of_birth, soc_sec_id\n"
      "rec-2-org, ada, vesk, 7, wallaby place, , delmar, 2119, sa, "
      "198\xe2\x80\x8b"
      "23, 1804974\n",
      "f.csv", RecordFormat::kFebrl, odd);
  ASSERT_TRUE(o.ok()) << o.ToString();
  ASSERT_EQ(odd.size(), 1u);
  EXPECT_EQ(odd[0].dob,
            "198\xe2\x80\x8b"
            "23");
}

TEST(LinkTest, SeveralInputsAndTheFebrlLayout) {
  const std::string febrl =
      std::string(MARAC_SHARED_DATA) + "/febrl/dataset4a.csv";
  if (!std::filesystem::exists(febrl)) GTEST_SKIP() << "no shared FEBRL data";
  const TempDir dir("marac-link");
  const LinkRun r =
      Link({"--in", febrl, "--in",
            std::string(MARAC_SHARED_DATA) + "/febrl/dataset4b.csv", "--format",
            "febrl", "--out", dir.Path("c.csv")});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("10000 records"));
  // The stderr summary; FEBRL's addresses are strong enough that training
  // scales them down to what disagreeing names and dates take away, and
  // says so.
  EXPECT_THAT(r.err, HasSubstr("marac link: 10000 records, "));
  EXPECT_THAT(r.err, HasSubstr("location weights were scaled down"));
  // rec-N-org in 4a and rec-N-dup-0 in 4b are one person: count agreement.
  std::istringstream lines(Read(dir.Path("c.csv")));
  std::string line;
  std::getline(lines, line);
  std::map<std::string, std::string> person;
  while (std::getline(lines, line)) {
    const auto comma = line.find(',');
    person[line.substr(0, comma)] = line.substr(comma + 1);
  }
  int linked = 0, total = 0;
  for (const auto& [id, p] : person) {
    if (id.find("-org") == std::string::npos) continue;
    const std::string n = id.substr(4, id.find('-', 4) - 4);
    const auto dup = person.find("rec-" + n + "-dup-0");
    if (dup == person.end()) continue;
    ++total;
    linked += dup->second == p;
  }
  std::cout << "FEBRL4 a-b pairs linked: " << linked << " of " << total << "\n";
  EXPECT_EQ(total, 5000);
  EXPECT_GE(linked, 4400);
}

TEST(LinkTest, DemoLinksInventedPeopleAndReportsRepeatVictims) {
  const CliRun r = RunCli({"demo", "--count", "50", "--people", "200"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Identity linkage: "));
  EXPECT_THAT(r.out, HasSubstr("repeat victims found: "));
  EXPECT_THAT(r.out, HasSubstr("exact name and date matching finds"));
  // The invented people live in households; none of their victims ends up
  // inside another's perpetrator.
  EXPECT_THAT(
      r.out, HasSubstr("people mixing a victim with another's perpetrator: 0"));
  EXPECT_THAT(r.out, HasSubstr("pairs of different people merged, by kind:"));
  EXPECT_THAT(r.out, HasSubstr(" couple 0/"));
}

TEST(LinkTest, BandsAndPlaceholdersAreConfigurable) {
  const TempDir dir("marac-link");
  std::string csv = kHeader;
  // Two invented people who share only a system-default date of birth.
  csv += "R1,Orla,Fenwick,1900-01-01,f,LS6 2AB,,\n";
  csv += "R2,Ivo,Tallis,1900-01-01,m,M1 1AE,,\n";
  csv += "R3,Orla,Fenwick,1988-04-12,f,LS6 2AB,,\n";
  const std::string in = dir.Write("records.csv", csv);
  const LinkRun bad =
      Link({"--in", in, "--out", dir.Path("c.csv"), "--link-threshold", "0.4",
            "--review-threshold", "0.6"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_THAT(bad.err, HasSubstr("review threshold <= link threshold"));
  const LinkRun out_of_range =
      Link({"--in", in, "--out", dir.Path("c.csv"), "--link-threshold", "2"});
  EXPECT_EQ(out_of_range.status, 2);
  const LinkRun ok =
      Link({"--in", in, "--out", dir.Path("c.csv"), "--dob-placeholder",
            "1900-01-01", "--link-threshold", "0.95"});
  EXPECT_EQ(ok.status, 0) << ok.err;
}

}  // namespace
}  // namespace marac
