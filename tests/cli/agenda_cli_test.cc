// The main job end to end (`marac demo --out DIR`) and `marac agenda` on the
// store it writes: the files, what the circulated agenda must not contain,
// the contract's errors. Everyone here is invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "marac/calendar/calendar.h"
#include "marac/store/store.h"
#include "services/cli/commands.h"
#include "tests/cli/run_cli.h"
#include "tests/cli/temp_dir.h"

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

CliRun Main(std::vector<std::string> args) { return RunCli(std::move(args)); }

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
  // Most couples of the borough share an address, half a surname too; no
  // victim is linked into another's perpetrator.
  EXPECT_THAT(
      demo_->out,
      HasSubstr("people mixing a victim with another's perpetrator: 0"));
  const nlohmann::json agenda =
      nlohmann::json::parse(Read(*dir_ / "agenda.json"));
  EXPECT_EQ(agenda["view"], "circulated");
  ASSERT_FALSE(agenda["cases"].empty());
  // Within the meeting's capacity: 300 minutes at 15 a case.
  EXPECT_EQ(agenda["capacity"], 20);
  EXPECT_LE(agenda["cases"].size(), 20u);
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

TEST_F(DemoTest, RunsTheCycleOnWorkingDaysWithMinutesAndActions) {
  ASSERT_EQ(demo_->status, 0) << demo_->err;
  EXPECT_THAT(demo_->out, HasSubstr("minutes recorded: "));
  Result<std::unique_ptr<Store>> store =
      OpenSqliteStore((*dir_ / "marac.db").string(), {.create = false});
  ASSERT_TRUE(store.ok());
  const Actor auditor{"u-900", "auditor", "IG", "test"};
  const Result<WorkingCalendar> calendar = WorkingCalendar::BuiltIn();
  ASSERT_TRUE(calendar.ok());
  const Result<std::vector<Meeting>> meetings = (*store)->Meetings(auditor, "");
  ASSERT_TRUE(meetings.ok());
  ASSERT_GE(meetings->size(), 12u);
  for (const Meeting& m : *meetings) {
    EXPECT_TRUE(calendar->IsWorkingDay(m.date)) << m.date;
  }
  // Every meeting held has its minutes; the last is the next one's agenda.
  const Result<std::vector<MeetingRecord>> records =
      (*store)->MeetingRecords(auditor);
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), meetings->size() - 1);
  const Result<std::vector<CaseAction>> actions = (*store)->Actions(auditor);
  ASSERT_TRUE(actions.ok());
  std::size_t done = 0;
  std::size_t open = 0;
  for (const CaseAction& a : *actions) {
    done += a.status == ActionStatus::kDone;
    open += a.status == ActionStatus::kOpen;
  }
  EXPECT_GT(done, 0u);
  EXPECT_GT(open, 0u) << "some are left to chase";
  // The next agenda shows earlier meetings beside the repeats.
  EXPECT_THAT(Read(*dir_ / "agenda.md"), HasSubstr("last heard "));
}

TEST_F(DemoTest, SendsEachAgencyItsResearchListAndLogsEveryOne) {
  ASSERT_EQ(demo_->status, 0) << demo_->err;
  Result<std::unique_ptr<Store>> store =
      OpenSqliteStore((*dir_ / "marac.db").string(), {.create = false});
  ASSERT_TRUE(store.ok());
  const Actor auditor{"u-900", "auditor", "IG", "test"};
  const Result<std::vector<Circulation>> log =
      (*store)->Circulations(auditor, "");
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_EQ(log->size(), 7u) << "the full list and six agencies'";
  const std::map<std::string, std::string> files = {
      {"", "research-full.html"},
      {"Police", "research-police.html"},
      {"IDVA service", "research-idva-service.html"},
      {"Housing", "research-housing.html"},
      {"Children's Services", "research-children-s-services.html"},
      {"Health (GP)", "research-health-gp.html"},
      {"Probation", "research-probation.html"}};
  const Result<std::vector<PersonRecord>> records = (*store)->Records(auditor);
  ASSERT_TRUE(records.ok());
  for (const Circulation& c : *log) {
    SCOPED_TRACE(c.agency);
    ASSERT_TRUE(files.contains(c.agency));
    const std::string page = Read(*dir_ / files.at(c.agency));
    EXPECT_THAT(page, HasSubstr("MARAC research list"));
    EXPECT_EQ(c.format, "html");
    EXPECT_EQ(c.referral_ids.size() + c.withheld_referral_ids.size(),
              (*log)[0].referral_ids.size());
    for (const std::string& id : c.referral_ids) {
      EXPECT_THAT(page, HasSubstr(id));
    }
    for (const std::string& id : c.withheld_referral_ids) {
      EXPECT_THAT(page, Not(HasSubstr(id))) << "withheld";
    }
    for (const PersonRecord& r : *records) {
      if (r.address_line.size() < 8) continue;
      ASSERT_EQ(page.find(r.address_line), std::string::npos)
          << "no address on a research list";
    }
  }
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
  EXPECT_THAT(md.out, HasSubstr("MARAC chair view"));
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
  // The demo allocates IDVAs as the local example reports (82%, 88%).
  const double supported =
      figure["idva_supported_share"]["value"].get<double>();
  EXPECT_GT(supported, 0.7);
  EXPECT_LT(supported, 0.95);
  const double engaged = figure["idva_engaged_share"]["value"].get<double>();
  EXPECT_GT(engaged, 0.75);
  EXPECT_LT(engaged, 0.98);
  EXPECT_GT(figure["cases_heard"]["value"].get<double>(), 50);
  const CliRun bad = Main(
      {"report", "--store", db, "--from", "2026-10-31", "--to", "2025-11-01"});
  EXPECT_EQ(bad.status, kExitBadInput);
  EXPECT_THAT(bad.err, HasSubstr("--to"));
}

TEST_F(DemoTest, AuditVerifyPassesThenCatchesAnAlteredEntry) {
  ASSERT_EQ(demo_->status, 0) << demo_->err;
  const std::filesystem::path copy = *dir_ / "audit-copy.db";
  std::filesystem::copy_file(*dir_ / "marac.db", copy,
                             std::filesystem::copy_options::overwrite_existing);
  const CliRun ok = Main({"audit", "verify", "--store", copy.string()});
  ASSERT_EQ(ok.status, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("intact"));
  const std::size_t at = ok.out.find("head ") + 5;
  const std::string head = ok.out.substr(at, ok.out.find(' ', at) - at);
  const CliRun anchored = Main(
      {"audit", "verify", "--store", copy.string(), "--expect-head", head});
  ASSERT_EQ(anchored.status, 0) << anchored.err;
  // Someone with the file lifts the trigger and rewrites an entry.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(copy.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_log_no_update; UPDATE audit_log "
                         "SET purpose = 'nothing to see' WHERE sequence = 2",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const CliRun broken = Main({"audit", "verify", "--store", copy.string()});
  EXPECT_EQ(broken.status, kExitTampered);
  EXPECT_THAT(broken.err, HasSubstr("BROKEN at entry 2"));
  const CliRun bad =
      Main({"audit", "verify", "--store", copy.string(), "--expect-head", "7"});
  EXPECT_EQ(bad.status, kExitBadInput);
  EXPECT_THAT(bad.err, HasSubstr("--expect-head"));
}

// DARA rows (the officer's grade and rationale, no count), a supplement
// naming its checklist, stored prompts and crime / non-crime incidents go
// in from CSV; each mistake names its line and field.
TEST(ImportTest, DaraSupplementsAndCrimeFlagsGoInFromCsv) {
  const TempDir dir("marac-import-dara");
  const auto write = [&](const char* name, const std::string& text) {
    return dir.Write(name, text);
  };
  const std::string records =
      write("records.csv",
            "record_id,given_name,family_name,dob,gender,postcode,address_line,"
            "role,incident_id\n"
            "V1,Elspeth,Marlowe,1990-07-03,f,LS6 2AB,1 Quay Row,victim,I1\n"
            "X1,Corin,Ashby,1985-02-11,m,LS6 2AB,1 Quay Row,perpetrator,I1\n");
  const std::string incidents = write(
      "incidents.csv",
      "incident_id,occurred_on,area,victim_record_id,perpetrator_record_ids,"
      "reported_by,crime\n"
      "I1,2026-01-10,North,V1,X1,police,crime\n"
      "I2,2026-02-10,North,V1,X1,police,non_crime\n"
      "I3,2026-03-10,North,V1,X1,police,\n");
  const std::string header =
      "assessment_id,victim_record_id,incident_id,instrument,policy_version,"
      "completed_on,score,grade,marac_referral,criteria,high_harm_indicators,"
      "parent_assessment_id,safeguarding,officer_rationale\n";
  const std::string assessments =
      write("assessments.csv",
            header +
                "A1,V1,I1,safelives-ric,p1,2026-01-10,15,high,true,"
                "visible_high_risk,stalking,,safeguarding_children,\n"
                "S1,V1,I1,s-dash,p1,2026-01-10,9,not_graded,false,,stalking,A1,"
                "stalking_service,\n"
                "D1,V1,I2,dara,p1,2026-02-10,,high,true,visible_high_risk,,,,"
                "Threats to kill after separation\n");
  const std::string db = dir.Path("store.db");
  const CliRun r =
      Main({"import", "--store", db, "--records", records, "--incidents",
            incidents, "--assessments", assessments});
  ASSERT_EQ(r.status, 0) << r.err;
  {
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(db);
    ASSERT_TRUE(store.ok());
    const Actor coordinator{"u-017", "coordinator", "MARAC", "check"};
    const Result<std::vector<StoredAssessment>> stored =
        (*store)->Assessments(coordinator);
    ASSERT_TRUE(stored.ok());
    std::map<std::string, StoredAssessment> by_id;
    for (const StoredAssessment& a : *stored) by_id[a.assessment_id] = a;
    ASSERT_EQ(by_id.size(), 3u);
    EXPECT_EQ(by_id["S1"].parent_assessment_id, "A1");
    EXPECT_EQ(by_id["S1"].safeguarding,
              std::vector<std::string>{"stalking_service"});
    EXPECT_EQ(by_id["D1"].grade, Grade::kHigh);
    EXPECT_EQ(by_id["D1"].score, 0);
    EXPECT_EQ(by_id["D1"].officer_rationale,
              "Threats to kill after separation");
    EXPECT_EQ(by_id["D1"].instrument_version, "2022.1");
    const Result<std::vector<StoredIncident>> x =
        (*store)->Incidents(coordinator);
    ASSERT_TRUE(x.ok());
    std::map<std::string, std::optional<bool>> crime;
    for (const StoredIncident& i : *x) crime[i.incident_id] = i.crime;
    EXPECT_EQ(crime["I1"], true);
    EXPECT_EQ(crime["I2"], false);
    EXPECT_EQ(crime["I3"], std::nullopt);
  }
  const struct {
    const char* label;
    const char* row;
    const char* want;
  } kBad[] = {
      {"DaraWithoutRationale", "D2,V1,I2,dara,p1,2026-02-10,,high,true,,,,,\n",
       "line 2: officer_rationale"},
      {"DaraWithACount",
       "D2,V1,I2,dara,p1,2026-02-10,12,high,true,,,,,Because\n",
       "line 2: score"},
      {"DaraNotGraded",
       "D2,V1,I2,dara,p1,2026-02-10,,not_graded,false,,,,,Because\n",
       "line 2: grade"},
      {"RicWithoutAScore",
       "A2,V1,I2,safelives-ric,p1,2026-02-10,,high,true,,,,,\n",
       "line 2: score"},
      {"RicWithARationale",
       "A2,V1,I2,safelives-ric,p1,2026-02-10,15,high,true,,,,,Because\n",
       "line 2: officer_rationale"},
      {"RicWithAParent",
       "A2,V1,I2,safelives-ric,p1,2026-02-10,15,high,true,,,A1,,\n",
       "line 2: parent_assessment_id"},
  };
  for (const auto& c : kBad) {
    SCOPED_TRACE(c.label);
    const std::string bad = write("bad.csv", header + c.row);
    const CliRun refused =
        Main({"import", "--store", db, "--assessments", bad});
    EXPECT_EQ(refused.status, kExitBadInput);
    EXPECT_THAT(refused.err, HasSubstr(c.want));
  }
  const std::string bad_crime = write(
      "bad-incidents.csv",
      "incident_id,occurred_on,area,victim_record_id,perpetrator_record_ids,"
      "reported_by,crime\n"
      "I4,2026-03-11,North,V1,X1,police,yes\n");
  const CliRun refused =
      Main({"import", "--store", db, "--incidents", bad_crime});
  EXPECT_EQ(refused.status, kExitBadInput);
  EXPECT_THAT(refused.err, HasSubstr("bad-incidents.csv line 2: crime"));
}

// One Stop Shop visits and sessions go in from CSV (twice changes nothing)
// and come out as the yearly return, counted by hand below.
TEST(ImportTest, OneStopShopVisitsMakeTheYearlyReturn) {
  const TempDir dir("marac-import-oss");
  const auto write = [&](const char* name, const std::string& text) {
    return dir.Write(name, text);
  };
  const std::string records =
      write("records.csv",
            "record_id,given_name,family_name,dob,gender,postcode,address_line,"
            "role,incident_id\n"
            "V1,Elspeth,Marlowe,1990-07-03,f,LS6 2AB,1 Quay Row,victim,\n");
  // 2025/26: V1 twice (a repeat visitor), one anonymous man; 2024/25: one
  // visit on its last day, 30 June 2025.
  const std::string visits =
      write("visits.csv",
            "visit_id,visited_on,site,visitor_record_id,lives_in_borough,"
            "referred_by,children,gender,ethnicity,feedback\n"
            "W0,2025-06-30,north-hub,,yes,police,0,female,,helpful\n"
            "W1,2025-07-01,north-hub,V1,yes,gp,2,female,white_british,helpful\n"
            "W2,2025-09-15,north-hub,V1,yes,gp,2,female,white_british,\n"
            "W3,2026-01-20,north-hub,,no,friend,,male,,not_helpful\n");
  const std::string sessions =
      write("sessions.csv",
            "session_id,held_on,site,committed_agencies,attended_agencies\n"
            "S1,2025-07-01,north-hub,police;housing,police;housing\n"
            "S2,2025-09-15,north-hub,police;housing,police\n"
            "S3,2026-01-20,north-hub,police;housing,police\n");
  const std::string db = dir.Path("store.db");
  for (int pass = 0; pass < 2; ++pass) {
    const CliRun r = Main({"import", "--store", db, "--records", records,
                           "--visits", visits, "--sessions", sessions});
    if (pass == 0) {
      ASSERT_EQ(r.status, 0) << r.err;
      EXPECT_THAT(r.out, HasSubstr("4 One Stop Shop visits and 3 sessions"));
    }
  }
  const CliRun report =
      Main({"report", "--store", db, "--one-stop-shops", "--to", "2026-06-30",
            "--years", "2", "--format", "json"});
  ASSERT_EQ(report.status, 0) << report.err;
  const nlohmann::json j = nlohmann::json::parse(report.out);
  ASSERT_TRUE(j.contains("years")) << report.out;
  const nlohmann::json& last = j["years"].back();
  EXPECT_EQ(last["name"], "2025/26");
  const nlohmann::json& all = last["all_sites"];
  EXPECT_EQ(all["visits"], 3) << "W1, W2, W3 (the import twice added none)";
  EXPECT_EQ(all["visitors"], 2) << "V1 and one anonymous visitor";
  EXPECT_EQ(all["repeat_visitors"], 1);
  EXPECT_EQ(all["male_visitors"], 1);
  EXPECT_EQ(all["feedback_given"], 2);
  const nlohmann::json& first = j["years"].front();
  EXPECT_EQ(first["name"], "2024/25");
  EXPECT_EQ(first["all_sites"]["visits"], 1) << "30 June is the year's last";
  // Housing committed to three sessions and came to one.
  bool housing = false;
  for (const nlohmann::json& a : j["staffing"]["agencies"]) {
    if (a["agency"] != "housing") continue;
    housing = true;
    EXPECT_EQ(a["sessions_committed"], 3);
    EXPECT_EQ(a["shortfall"], 2);
  }
  EXPECT_TRUE(housing) << report.out;
  // Mistakes name their file, line and field, and write nothing.
  const std::string bad =
      write("bad-visits.csv",
            "visit_id,visited_on,site,children\nW9,2026-02-01,north-hub,-1\n");
  const CliRun refused = Main({"import", "--store", db, "--visits", bad});
  EXPECT_EQ(refused.status, kExitBadInput);
  EXPECT_THAT(refused.err, HasSubstr("bad-visits.csv line 2: children"));
  const std::string unknown =
      write("unknown-visitor.csv",
            "visit_id,visited_on,site,visitor_record_id\n"
            "W9,2026-02-01,north-hub,V404\n");
  const CliRun unknown_run =
      Main({"import", "--store", db, "--visits", unknown});
  EXPECT_NE(unknown_run.status, 0);
  EXPECT_THAT(unknown_run.err, HasSubstr("visits[0].visitor_record_id"));
  const CliRun with_from = Main(
      {"report", "--store", db, "--one-stop-shops", "--from", "2025-07-01"});
  EXPECT_EQ(with_from.status, kExitBadInput);
  EXPECT_THAT(with_from.err, HasSubstr("--from"));
  const CliRun no_period = Main({"report", "--store", db});
  EXPECT_EQ(no_period.status, kExitBadInput);
  EXPECT_THAT(no_period.err, HasSubstr("--from: required"));
}

// A coordinator's files, imported and linked, then an agenda from them.
TEST(ImportTest, FilesGoIntoTheStoreAndMakeAnAgenda) {
  const TempDir dir("marac-import");
  const auto write = [&](const char* name, const std::string& text) {
    return dir.Write(name, text);
  };
  const std::string records = write(
      "records.csv",
      "record_id,given_name,family_name,dob,gender,postcode,address_line,"
      "role,incident_id,area\n"
      "V1,Elspeth,Marlowe,1990-07-03,f,LS6 2AB,1 Quay Row,victim,I1,North\n"
      "X1,Corin,Ashby,1985-02-11,m,LS6 2AB,1 Quay Row,perpetrator,I1,North\n"
      "V2,Elspeth,Marlow,1990-07-03,f,LS6 2AB,,victim,I2,North\n"
      "X2,Corin,Ashby,1985-02-11,m,,,perpetrator,I2,\n");
  const std::string incidents = write(
      "incidents.csv",
      "incident_id,occurred_on,area,victim_record_id,perpetrator_record_ids,"
      "reported_by\n"
      "I1,2026-01-10,North,V1,X1,police\n"
      "I2,2026-06-02,North,V2,X2,police\n");
  const std::string assessments = write(
      "assessments.csv",
      "assessment_id,victim_record_id,incident_id,instrument,policy_version,"
      "completed_on,score,grade,marac_referral,criteria,high_harm_indicators\n"
      "A1,V1,I1,safelives-ric,p1,2026-01-10,15,high,true,visible_high_risk,"
      "strangulation;threat_to_kill\n"
      "A2,V2,I2,safelives-ric,p1,2026-06-02,9,medium,true,repeat,\n");
  const std::string referrals = write(
      "referrals.csv",
      "referral_id,submission_id,area,agency,source,referred_on,"
      "victim_record_id,perpetrator_record_ids,incident_id,assessment_id,"
      "criteria,children_in_household\n"
      "R1,s1,North,Police,police,2026-01-11,V1,X1,I1,A1,visible_high_risk,2\n"
      "R2,s2,North,Police,police,2026-06-03,V2,X2,I2,A2,repeat,2\n");
  const std::string db = dir.Path("store.db");
  const CliRun r =
      Main({"import", "--store", db, "--records", records, "--incidents",
            incidents, "--assessments", assessments, "--referrals", referrals});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("2 referrals stored"));
  // Four records are too few to train on; a person's stored decisions
  // settle them, and linking respects them.
  {
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(db);
    ASSERT_TRUE(store.ok());
    const Actor coordinator{"u-017", "coordinator", "MARAC", "review"};
    const std::vector<ReviewDecision> decisions = {{"V1", "V2", true, "", ""},
                                                   {"X1", "X2", true, "", ""}};
    ASSERT_TRUE((*store)->PutReviewDecisions(coordinator, decisions).ok());
    // Each record's area as the file gave it; empty: not recorded.
    const Result<std::vector<PersonRecord>> stored =
        (*store)->Records(coordinator);
    ASSERT_TRUE(stored.ok());
    ASSERT_EQ(stored->size(), 4u);
    EXPECT_EQ((*stored)[0].area, "North");
    EXPECT_EQ((*stored)[3].area, "");
  }
  const CliRun linked = Main({"import", "--store", db, "--link"});
  ASSERT_EQ(linked.status, 0) << linked.err;
  EXPECT_THAT(linked.out, HasSubstr("4 stored records are 2 people"));
  // Importing the referrals again repeats nothing.
  const CliRun again =
      Main({"import", "--store", db, "--referrals", referrals});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("2 already stored"));
  // The report for one area, beside the period before.
  for (const auto& [area, want] :
       {std::pair<const char*, int>{"North", 2}, {"South", 0}}) {
    SCOPED_TRACE(area);
    const CliRun report = Main({"report", "--store", db, "--from", "2026-01-01",
                                "--to", "2026-06-30", "--area", area,
                                "--compare-previous", "--format", "json"});
    ASSERT_EQ(report.status, 0) << report.err;
    const nlohmann::json stats = nlohmann::json::parse(report.out);
    EXPECT_EQ(stats["previous_from"], "2025-07-01");
    for (const auto& f : stats["figures"]) {
      if (f["id"] == "marac_cases") {
        EXPECT_EQ(f["value"], want);
        EXPECT_EQ(f["previous"], 0);
      }
    }
  }
  // The second referral is a repeat: the linked records are one woman.
  const CliRun agenda =
      Main({"agenda", "--store", db, "--meeting", "2026-06-19", "--capacity",
            "5", "--format", "json", "--area", "North"});
  ASSERT_EQ(agenda.status, 0) << agenda.err;
  const nlohmann::json j = nlohmann::json::parse(agenda.out);
  bool found = false;
  for (const auto& c : j["cases"]) {
    if (c["referral_id"] == "R2") {
      found = true;
      EXPECT_TRUE(c["repeat"].get<bool>());
    }
  }
  EXPECT_TRUE(found);
  // Without an instrument_version column the built-in version is stored.
  {
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(db);
    ASSERT_TRUE(store.ok());
    const Actor coordinator{"u-017", "coordinator", "MARAC", "check"};
    const Result<std::vector<StoredAssessment>> stored =
        (*store)->Assessments(coordinator);
    ASSERT_TRUE(stored.ok());
    ASSERT_EQ(stored->size(), 2u);
    EXPECT_EQ((*stored)[0].instrument_version, "2026.2");
  }
  // An IDVA allocated to R2 shows on the agenda with the engagement; one
  // for a referral not stored is refused, naming the line and field.
  const std::string idva =
      write("idva.csv",
            "referral_id,idva_service,allocated_on,engagement,closed_on\n"
            "R2,IDVA North,2026-06-05,engaged,\n");
  const CliRun allocated = Main({"import", "--store", db, "--idva", idva});
  ASSERT_EQ(allocated.status, 0) << allocated.err;
  EXPECT_THAT(allocated.out, HasSubstr("1 IDVA allocations stored"));
  const CliRun with_idva =
      Main({"agenda", "--store", db, "--meeting", "2026-06-19", "--capacity",
            "5", "--format", "json", "--area", "North"});
  ASSERT_EQ(with_idva.status, 0) << with_idva.err;
  int r2_listed = 0;
  const nlohmann::json idva_agenda = nlohmann::json::parse(with_idva.out);
  for (const auto& c : idva_agenda["cases"]) {
    if (c["referral_id"] != "R2") continue;
    ++r2_listed;
    EXPECT_TRUE(c["idva_allocated"].get<bool>());
    EXPECT_EQ(c["idva_engagement"], "engaged");
    EXPECT_EQ(c["prior_incidents"], 1) << "I1, of the same linked woman";
    EXPECT_EQ(c["last_referral_on"], "2026-01-11");
  }
  EXPECT_EQ(r2_listed, 1);
  const std::string bad_idva =
      write("bad-idva.csv",
            "referral_id,idva_service,allocated_on,engagement,closed_on\n"
            "R9,IDVA North,2026-06-05,engaged,\n"
            "R2,IDVA North,2026-06-05,maybe,\n");
  const CliRun refused_idva =
      Main({"import", "--store", db, "--idva", bad_idva});
  EXPECT_EQ(refused_idva.status, kExitBadInput);
  EXPECT_THAT(refused_idva.err, HasSubstr("bad-idva.csv line 3: engagement"));
  // A bad file names its line and field and writes nothing.
  const std::string bad =
      write("bad.csv",
            "referral_id,submission_id,area,agency,source,referred_on,"
            "victim_record_id,perpetrator_record_ids,incident_id,assessment_id,"
            "criteria,children_in_household\n"
            "R3,s3,North,Police,pigeon,2026-06-03,V2,X2,I2,A2,repeat,2\n");
  const CliRun refused = Main({"import", "--store", db, "--referrals", bad});
  EXPECT_EQ(refused.status, kExitBadInput);
  EXPECT_THAT(refused.err, HasSubstr("bad.csv line 2: source"));
  // A local priority policy, and a bad one named by field.
  const std::string policy =
      write("policy.json", R"({"version": "north-2026.2", "repeat": 90})");
  const CliRun local =
      Main({"agenda", "--store", db, "--meeting", "2026-06-19", "--capacity",
            "5", "--format", "json", "--priority-policy", policy});
  ASSERT_EQ(local.status, 0) << local.err;
  EXPECT_EQ(nlohmann::json::parse(local.out)["policy_version"], "north-2026.2");
  const std::string wrong = write("wrong.json", R"({"repeat": "lots"})");
  const CliRun bad_policy =
      Main({"agenda", "--store", db, "--meeting", "2026-06-19", "--capacity",
            "5", "--priority-policy", wrong});
  EXPECT_EQ(bad_policy.status, kExitBadInput);
  EXPECT_THAT(bad_policy.err, HasSubstr("policy.repeat"));
  // Meetings are held on working days: a Saturday and a bank holiday are
  // refused with the next working day; a newer table is read when given.
  const CliRun saturday = Main(
      {"agenda", "--store", db, "--meeting", "2026-06-20", "--capacity", "5"});
  EXPECT_EQ(saturday.status, kExitBadInput);
  EXPECT_THAT(saturday.err,
              HasSubstr("--meeting: 2026-06-20 is a Saturday; the next "
                        "working day is 2026-06-22"));
  const CliRun boxing_day = Main(
      {"agenda", "--store", db, "--meeting", "2026-12-28", "--capacity", "5"});
  EXPECT_EQ(boxing_day.status, kExitBadInput);
  EXPECT_THAT(boxing_day.err, HasSubstr("bank holiday"));
  // A table proclaiming 2026-06-19 a one-off holiday (invented).
  std::string table = "date,name\n";
  for (const char* day :
       {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
        "2026-06-19", "2026-08-31", "2026-12-25", "2026-12-28"}) {
    table += std::string(day) + ",Holiday\n";
  }
  const std::string holidays = write("holidays.csv", table);
  const CliRun proclaimed =
      Main({"agenda", "--store", db, "--meeting", "2026-06-19", "--capacity",
            "5", "--bank-holidays", holidays});
  EXPECT_EQ(proclaimed.status, kExitBadInput);
  EXPECT_THAT(proclaimed.err, HasSubstr("2026-06-19 is a bank holiday"));
  const std::string broken =
      write("broken.csv", "date,name\n2026-02-30,Nonsense\n");
  const CliRun unreadable =
      Main({"agenda", "--store", db, "--meeting", "2026-06-19", "--capacity",
            "5", "--bank-holidays", broken});
  EXPECT_EQ(unreadable.status, kExitBadInput);
  EXPECT_THAT(unreadable.err, HasSubstr("--bank-holidays"));
  EXPECT_THAT(unreadable.err, HasSubstr("broken.csv:2"));
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
