// `marac link` on the people most easily taken for one another: members of
// one household (a couple, twins, a father and son of one name, two
// households at one house) and unrelated women at one refuge, each among a
// few hundred invented people so that the model has a population to learn
// from. Every person here is invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "lib/synthetic/synthetic_households.h"
#include "services/cli/record_csv.h"
#include "tests/cli/run_cli.h"
#include "tests/cli/temp_dir.h"

namespace marac {
namespace {

using ::testing::HasSubstr;

constexpr char kHeader[] =
    "record_id,given_name,family_name,dob,gender,postcode,address_line,role\n";

std::string RoleName(Role role) {
  switch (role) {
    case Role::kVictim:
      return "victim";
    case Role::kPerpetrator:
      return "perpetrator";
    case Role::kUnknown:
      return "";
  }
  return "";
}

// Invented background people in households (about 650 records), as CSV
// rows.
std::string Background() {
  const HouseholdPopulation p = SyntheticHouseholds(300, 31);
  std::string csv;
  for (const PersonRecord& r : p.records) {
    csv += CsvField("BG" + r.record_id) + "," + CsvField(r.given_name) + "," +
           CsvField(r.family_name) + "," + r.dob + "," + r.gender + "," +
           CsvField(r.postcode) + "," + CsvField(r.address_line) + "," +
           RoleName(r.role) + "\n";
  }
  return csv;
}

std::string Read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

struct Linked {
  CliRun run;
  std::map<std::string, std::string> person;  // record_id -> person_id
  std::string review;
};

// `marac link` over the background and `rows`.
Linked LinkWithBackground(const TempDir& dir, const std::string& rows,
                          std::vector<std::string> extra = {}) {
  const std::string in =
      dir.Write("records.csv", std::string(kHeader) + Background() + rows);
  std::vector<std::string> args = {"link",
                                   "--in",
                                   in,
                                   "--out",
                                   dir.Path("people.csv"),
                                   "--review-out",
                                   dir.Path("review.csv")};
  args.insert(args.end(), extra.begin(), extra.end());
  Linked out;
  out.run = RunCli(std::move(args));
  std::istringstream lines(Read(dir.Path("people.csv")));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    const auto comma = line.find(',');
    out.person[line.substr(0, comma)] = line.substr(comma + 1);
  }
  out.review = Read(dir.Path("review.csv"));
  return out;
}

// One row per kind of household: the records, and the true person of each
// record id (a letter); the linker must find exactly those people.
struct HouseholdCase {
  const char* label;
  const char* rows;
  // Record id -> true person, as "id:person" words.
  const char* truth;
};

constexpr HouseholdCase kCases[] = {
    {"CoupleSharingSurnameAndAddress",
     // She was born in 1967, he in 1958; one of her records has no date.
     "C1,Donna,Petrakis,1967-04-12,f,EB4 7QT,14 Larch Close,victim\n"
     "C2,Donna,Petrakis,,f,EB4 7QT,14 Larch Close,victim\n"
     "C3,Donna,Petrakis,1967-04-12,f,,14 Larch Close,victim\n"
     "C4,Stelios,Petrakis,1958-09-30,m,EB4 7QT,14 Larch Close,perpetrator\n"
     "C5,Stelios,Petrakis,1958-09-30,m,EB4 7QT,14 Larch Close,\n"
     "C6,Stelios,Petrakis,,m,EB4 7QT,14 Larch Close,perpetrator\n",
     "C1:a C2:a C3:a C4:b C5:b C6:b"},
    {"Twins",
     // Same surname, date of birth and address; no roles recorded.
     "T1,Callum,Ferriby,2001-06-05,m,EB2 3LW,7 Osier Lane,\n"
     "T2,Callum,Ferriby,2001-06-05,m,EB2 3LW,7 Osier Lane,\n"
     "T3,Ewan,Ferriby,2001-06-05,m,EB2 3LW,7 Osier Lane,\n"
     "T4,Ewan,Ferriby,2001-06-05,m,EB2 3LW,,\n",
     "T1:a T2:a T3:b T4:b"},
    {"FatherAndSonOfOneName",
     // One name, one address, born 27 years apart.
     "S1,Desmond,Achterberg,1961-03-08,m,EB7 1NP,2 Wherry Road,\n"
     "S2,Desmond,Achterberg,1961-03-08,m,EB7 1NP,2 Wherry Road,\n"
     "S3,Desmond,Achterberg,1988-11-23,m,EB7 1NP,2 Wherry Road,\n"
     "S4,Desmond,Achterberg,1988-11-23,m,EB7 1NP,2 Wherry Road,\n",
     "S1:a S2:a S3:b S4:b"},
    {"Refuge",
     // Five women at one refuge address, each also known at a former home.
     "R1,Ilona,Varga,1984-02-14,f,EB9 9RF,Harbour House 1 Quay Street,victim\n"
     "R2,Ilona,Varga,1984-02-14,f,EB1 4AD,33 Tamar Way,victim\n"
     "R3,Mairead,Kinsella,1979-10-02,f,EB9 9RF,Harbour House 1 Quay Street,"
     "victim\n"
     "R4,Mairead,Kinsella,1979-10-02,f,EB3 8HG,5 Brook Row,victim\n"
     "R5,Olusola,Adeyemi,1991-07-19,f,EB9 9RF,Harbour House 1 Quay Street,"
     "victim\n"
     "R6,Olusola,Adeyemi,1991-07-19,f,EB6 2TT,81 Fosse Road,victim\n"
     "R7,Beata,Nowicka,1988-05-30,f,EB9 9RF,Harbour House 1 Quay Street,"
     "victim\n"
     "R8,Beata,Nowicka,1988-05-30,f,EB2 7PQ,12 Ember Court,victim\n"
     "R9,Shona,Urquhart,1995-12-11,f,EB9 9RF,Harbour House 1 Quay Street,\n"
     "R10,Shona,Urquhart,1995-12-11,f,EB5 3YD,9 Linnet Walk,victim\n",
     "R1:a R2:a R3:b R4:b R5:c R6:c R7:d R8:d R9:e R10:e"},
    {"TwoHouseholdsAtOneHouse",
     // Two surnames, both genders, four dates of birth, one address.
     "H1,Kerry,Lomax,1990-01-21,f,EB8 5DS,40 Chantry Street,victim\n"
     "H2,Kerry,Lomax,,f,EB8 5DS,40 Chantry Street,victim\n"
     "H3,Gavin,Lomax,1988-08-09,m,EB8 5DS,40 Chantry Street,perpetrator\n"
     "H4,Gavin,Lomax,1988-08-09,m,EB8 5DS,40 Chantry Street,\n"
     "H5,Precious,Mhlanga,1995-03-27,f,EB8 5DS,40 Chantry Street,"
     "perpetrator\n"
     "H6,Precious,Mhlanga,1995-03-27,f,EB8 5DS,40 Chantry Street,\n"
     "H7,Tendai,Mhlanga,1993-06-15,m,EB8 5DS,40 Chantry Street,victim\n"
     "H8,Tendai,Mhlanga,,m,EB8 5DS,,victim\n",
     "H1:a H2:a H3:b H4:b H5:c H6:c H7:d H8:d"},
};

TEST(LinkHouseholdsTest, FindsEachPersonOfAHousehold) {
  for (const HouseholdCase& c : kCases) {
    SCOPED_TRACE(c.label);
    const TempDir dir("marac-households");
    const Linked linked = LinkWithBackground(dir, c.rows);
    ASSERT_EQ(linked.run.status, 0) << linked.run.err;
    std::map<std::string, std::string> truth;  // record -> true person
    std::istringstream words(c.truth);
    std::string word;
    while (words >> word) {
      const auto colon = word.find(':');
      truth[word.substr(0, colon)] = word.substr(colon + 1);
    }
    for (const auto& [x, px] : truth) {
      for (const auto& [y, py] : truth) {
        if (x >= y) continue;
        SCOPED_TRACE(x + " and " + y);
        ASSERT_TRUE(linked.person.contains(x) && linked.person.contains(y));
        if (px == py) {
          EXPECT_EQ(linked.person.at(x), linked.person.at(y))
              << "one person's records belong together";
        } else {
          EXPECT_NE(linked.person.at(x), linked.person.at(y))
              << "two people of one address stay two people";
        }
      }
    }
    EXPECT_THAT(
        linked.run.err,
        HasSubstr("people with both victim and perpetrator records: 0"));
  }
}

// `people` invented bearers of `given`, each with `each` records at a home
// of their own, so that the name is as common as the test needs.
std::string Bearers(const std::string& given, int people, int each,
                    const std::string& tag) {
  static constexpr const char* kFamily[] = {
      "Ashdown", "Brigstock", "Colwall", "Dunmere", "Elsdon",
      "Fenwick", "Garside",   "Hexley",  "Ingleby", "Jesmond",
      "Kelsall", "Lydgate",   "Marske",  "Norland", "Otterby",
      "Penrose", "Quenby",    "Rudston", "Sowerby", "Thwaite"};
  std::string rows;
  for (int p = 0; p < people; ++p) {
    for (int r = 0; r < each; ++r) {
      rows += tag + std::to_string(p) + "_" + std::to_string(r) + "," + given +
              "," + kFamily[p % 20] + ",19" + std::to_string(70 + p) + "-0" +
              std::to_string(1 + p % 9) + "-1" + std::to_string(p % 10) + ",," +
              "EB" + std::to_string(1 + p % 9) + " " +
              std::to_string(1 + p % 9) + "ZZ," + std::to_string(100 + p) +
              " " + kFamily[(p + 7) % 20] + " Road,\n";
    }
  }
  return rows;
}

// Twins whose names differ by one letter and are of one length (Sophie and
// Sophia, which the nickname table links), one record each, where Sophia
// is a fifth as common as Sophie: two people. A man recorded three times as
// Steven and once as Steve, at one address with one date of birth, where
// Steve is as rare beside Steven: one person, as a short form is a name
// one person goes by.
TEST(LinkHouseholdsTest, TwinsOfNearNamesAndAShortFormOfOne) {
  const TempDir dir("marac-households");
  const Linked linked = LinkWithBackground(
      dir, Bearers("Sophie", 5, 5, "SB") +
               "N1,Sophie,Dalgarno,1993-09-17,f,EB1 7WS,11 Shelmore Avenue,\n"
               "N2,Sophia,Dalgarno,1993-09-17,f,EB1 7WS,11 Shelmore Avenue,\n" +
               Bearers("Steven", 4, 5, "SV") + Bearers("Steve", 3, 1, "SE") +
               "V1,Steven,Marlowe,1981-04-02,m,EB5 2HT,6 Coldharbour Lane,\n"
               "V2,Steven,Marlowe,1981-04-02,m,EB5 2HT,6 Coldharbour Lane,\n"
               "V3,Steven,Marlowe,1981-04-02,m,EB5 2HT,6 Coldharbour Lane,\n"
               "V4,Steve,Marlowe,1981-04-02,m,EB5 2HT,6 Coldharbour Lane,\n");
  ASSERT_EQ(linked.run.status, 0) << linked.run.err;
  EXPECT_NE(linked.person.at("N1"), linked.person.at("N2"))
      << "twins of near names stay two people";
  EXPECT_EQ(linked.person.at("V1"), linked.person.at("V4"))
      << "a short form is one person's";
  EXPECT_EQ(linked.person.at("V1"), linked.person.at("V2"));
}

// One invented person recorded once as a victim and once as a perpetrator
// (a counter-allegation): identical details, yet no automatic link; the pair
// goes for review as dual_role, and a person's "same" decision joins them.
TEST(LinkHouseholdsTest, DualRoleGuardSendsOppositeRolesToReview) {
  const TempDir dir("marac-households");
  const std::string rows =
      "D1,Rosalind,Quarrie,1983-09-17,f,EB4 2WE,18 Sorrel Drive,victim\n"
      "D2,Rosalind,Quarrie,1983-09-17,f,EB4 2WE,18 Sorrel Drive,"
      "perpetrator\n";
  const Linked linked = LinkWithBackground(dir, rows);
  ASSERT_EQ(linked.run.status, 0) << linked.run.err;
  EXPECT_NE(linked.person.at("D1"), linked.person.at("D2"));
  EXPECT_THAT(linked.review, HasSubstr("D1,D2,"));
  EXPECT_THAT(linked.review, HasSubstr(",dual_role\n"));
  EXPECT_THAT(linked.run.err, HasSubstr("dual_role 1"));
  EXPECT_THAT(linked.run.err,
              HasSubstr("people with both victim and perpetrator records: 0"));

  const std::string decisions = dir.Write(
      "decisions.csv", "record_id_l,record_id_r,decision\nD1,D2,same\n");
  const Linked decided =
      LinkWithBackground(dir, rows, {"--decisions", decisions});
  ASSERT_EQ(decided.run.status, 0) << decided.run.err;
  EXPECT_EQ(decided.person.at("D1"), decided.person.at("D2"));
  EXPECT_THAT(decided.run.err,
              HasSubstr("people with both victim and perpetrator records: 1"));
}

// The guard holds across a person: a record with no role that matches a
// victim record and a perpetrator record equally joins at most one of them.
TEST(LinkHouseholdsTest, DualRoleGuardHoldsThroughAThirdRecord) {
  const TempDir dir("marac-households");
  const Linked linked = LinkWithBackground(
      dir,
      "E1,Imelda,Sarsfield,1979-02-03,f,EB6 6QA,3 Teasel Way,victim\n"
      "E2,Imelda,Sarsfield,1979-02-03,f,EB6 6QA,3 Teasel Way,\n"
      "E3,Imelda,Sarsfield,1979-02-03,f,EB6 6QA,3 Teasel Way,perpetrator\n");
  ASSERT_EQ(linked.run.status, 0) << linked.run.err;
  EXPECT_NE(linked.person.at("E1"), linked.person.at("E3"));
  EXPECT_TRUE(linked.person.at("E2") == linked.person.at("E1") ||
              linked.person.at("E2") == linked.person.at("E3"));
  EXPECT_THAT(linked.review, HasSubstr(",dual_role\n"));
}

}  // namespace
}  // namespace marac
