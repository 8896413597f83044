// The main job end to end (`marac demo --out DIR`) and `marac agenda` on the
// store it writes: the files, what the circulated agenda must not contain,
// the contract's errors. Everyone here is invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "marac/store/store.h"
#include "services/cli/commands.h"

namespace marac {
namespace {

using ::testing::HasSubstr;

struct CliRun {
  int status;
  std::string out;
  std::string err;
};

CliRun Main(std::vector<std::string> args) {
  args.insert(args.begin(), "marac");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::istringstream in;
  std::ostringstream out, err;
  const int status =
      RunMain(static_cast<int>(argv.size()), argv.data(), in, out, err);
  return {status, out.str(), err.str()};
}

std::string Read(const std::filesystem::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

class DemoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ =
        new std::filesystem::path(std::filesystem::temp_directory_path() /
                                  ("marac-demo-" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    demo_ = new CliRun(Main({"demo", "--out", dir_->string(), "--count", "200",
                             "--people", "100"}));
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete demo_;
  }
  static std::filesystem::path* dir_;
  static CliRun* demo_;
};
std::filesystem::path* DemoTest::dir_ = nullptr;
CliRun* DemoTest::demo_ = nullptr;

TEST_F(DemoTest, WritesTheStoreAndTheNextMeetingsAgenda) {
  ASSERT_EQ(demo_->status, 0) << demo_->err;
  for (const char* name :
       {"marac.db", "agenda.md", "agenda.html", "agenda.json"}) {
    EXPECT_TRUE(std::filesystem::exists(*dir_ / name)) << name;
  }
  EXPECT_THAT(demo_->out, HasSubstr("Next meeting: "));
  const nlohmann::json agenda =
      nlohmann::json::parse(Read(*dir_ / "agenda.json"));
  EXPECT_EQ(agenda["view"], "circulated");
  ASSERT_FALSE(agenda["cases"].empty());
  EXPECT_LE(agenda["cases"].size(), 16u);
  // Every case's explanation adds up to its priority, in rank order.
  int rank = 0;
  for (const auto& c : agenda["cases"]) {
    EXPECT_EQ(c["rank"], ++rank);
    double sum = 0;
    for (const auto& k : c["contributions"]) sum += k["points"].get<double>();
    EXPECT_NEAR(sum, c["priority"].get<double>(), 1e-9);
  }
  // The store holds the year, and the agenda was disclosed under audit.
  Result<std::unique_ptr<Store>> store =
      OpenSqliteStore((*dir_ / "marac.db").string(), {.create = false});
  ASSERT_TRUE(store.ok());
  const Actor auditor{"u-900", "auditor", "IG", "test"};
  EXPECT_GT((*store)->Incidents(auditor)->size(), 500u);
  EXPECT_GT((*store)->Referrals(auditor, "", std::nullopt)->size(), 50u);
  EXPECT_FALSE((*store)->People(auditor)->empty());
}

TEST_F(DemoTest, TheCirculatedAgendaCarriesNoNamesOrAddresses) {
  ASSERT_EQ(demo_->status, 0) << demo_->err;
  Result<std::unique_ptr<Store>> store =
      OpenSqliteStore((*dir_ / "marac.db").string(), {.create = false});
  ASSERT_TRUE(store.ok());
  const Actor auditor{"u-900", "auditor", "IG", "test"};
  const Result<std::vector<PersonRecord>> records = (*store)->Records(auditor);
  ASSERT_TRUE(records.ok());
  const std::string texts[] = {Read(*dir_ / "agenda.md"),
                               Read(*dir_ / "agenda.html"),
                               Read(*dir_ / "agenda.json")};
  std::size_t checked = 0;
  for (const PersonRecord& r : *records) {
    if (r.family_name.size() < 5 || r.address_line.size() < 8) continue;
    for (const std::string& text : texts) {
      ASSERT_EQ(text.find(r.family_name), std::string::npos) << r.family_name;
      ASSERT_EQ(text.find(r.address_line), std::string::npos) << r.address_line;
    }
    ++checked;
  }
  EXPECT_GT(checked, 100u);
}

TEST_F(DemoTest, AgendaCommandReadsTheStore) {
  ASSERT_EQ(demo_->status, 0) << demo_->err;
  const std::string db = (*dir_ / "marac.db").string();
  const nlohmann::json demo_agenda =
      nlohmann::json::parse(Read(*dir_ / "agenda.json"));
  const std::string date = demo_agenda["date"];
  const CliRun json = Main({"agenda", "--store", db, "--meeting", "2026-12-01",
                            "--capacity", "5", "--format", "json"});
  ASSERT_EQ(json.status, 0) << json.err;
  const nlohmann::json a = nlohmann::json::parse(json.out);
  EXPECT_EQ(a["date"], "2026-12-01");
  EXPECT_LE(a["cases"].size(), 5u);
  const CliRun md =
      Main({"agenda", "--store", db, "--meeting", "2026-12-01", "--capacity",
            "5", "--format", "md", "--view", "chair"});
  ASSERT_EQ(md.status, 0) << md.err;
  EXPECT_THAT(md.out, HasSubstr("View: chair"));
  const CliRun html = Main({"agenda", "--store", db, "--meeting", "2026-12-01",
                            "--capacity", "5", "--format", "html"});
  ASSERT_EQ(html.status, 0) << html.err;
  EXPECT_THAT(html.out, HasSubstr("<!DOCTYPE html>"));
}

TEST_F(DemoTest, AgendaCommandErrorsNameTheOption) {
  const std::string db = (*dir_ / "marac.db").string();
  const struct {
    std::vector<std::string> args;
    const char* want;
  } cases[] = {
      {{"--store", db, "--meeting", "2026-13-01", "--capacity", "5"},
       "--meeting"},
      {{"--store", db, "--meeting", "2026-12-01", "--capacity", "0"},
       "--capacity"},
      {{"--store", db, "--meeting", "2026-12-01", "--capacity", "5", "--format",
        "xml"},
       "--format"},
      {{"--store", db, "--meeting", "2026-12-01", "--capacity", "5", "--view",
        "everyone"},
       "--view"},
      {{"--store", (*dir_ / "absent.db").string(), "--meeting", "2026-12-01",
        "--capacity", "5"},
       "no such file"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = c.args;
    args.insert(args.begin(), "agenda");
    const CliRun r = Main(args);
    EXPECT_NE(r.status, 0);
    EXPECT_THAT(r.err, HasSubstr(c.want));
  }
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "absent.db"));
}

TEST_F(DemoTest, ReportCountsTheStoredYear) {
  ASSERT_EQ(demo_->status, 0) << demo_->err;
  const std::string db = (*dir_ / "marac.db").string();
  const CliRun r =
      Main({"report", "--store", db, "--from", "2025-11-01", "--to",
            "2026-10-31", "--format", "json", "--adult-women", "45000"});
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> figure;
  for (const auto& f : j["figures"]) figure[f["id"]] = f;
  EXPECT_GT(figure["incidents"]["value"].get<double>(), 500);
  const double rate = figure["repeat_rate"]["value"].get<double>();
  EXPECT_GT(rate, 0.1);
  EXPECT_LT(rate, 0.5);
  EXPECT_EQ(figure["repeat_rate"]["national"], 0.32);
  EXPECT_TRUE(figure["idva_supported_share"]["value"].is_null());
  EXPECT_GT(figure["cases_heard"]["value"].get<double>(), 50);
  const CliRun bad = Main(
      {"report", "--store", db, "--from", "2026-10-31", "--to", "2025-11-01"});
  EXPECT_EQ(bad.status, kExitBadInput);
  EXPECT_THAT(bad.err, HasSubstr("--to"));
}

TEST(DemoSafetyTest, NeverOverwritesAStoreItDidNotMake) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("marac-demo-safe-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "marac.db") << "someone's data";
  const CliRun r =
      Main({"demo", "--out", dir.string(), "--count", "20", "--people", "20"});
  EXPECT_NE(r.status, 0);
  EXPECT_THAT(r.err, HasSubstr("not made by the demo"));
  EXPECT_EQ(Read(dir / "marac.db"), "someone's data");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace marac
