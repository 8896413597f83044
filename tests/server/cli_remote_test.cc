// `marac --server`: each command that has an RPC gives, against a server
// over a store, what it gives locally over the same store; the others say
// they work on local files. People here are invented (marac demo).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "lib/synthetic/synthetic_assessments.h"
#include "services/cli/commands.h"
#include "services/server/server.h"
#include "tests/cli/run_cli.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class CliRemoteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(
        std::filesystem::temp_directory_path() /
        ("marac-cli-remote-" + std::to_string(::getpid())));
    std::filesystem::remove_all(*dir_);
    const CliRun demo = RunCli({"demo", "--out", (*dir_ / "demo").string(),
                                "--count", "20", "--people", "20"});
    ASSERT_EQ(demo.status, 0) << demo.err;
    // A referrer and a coordinator of the demo's area, each with a token
    // in a file (as --token-file reads it).
    const std::vector<TestPrincipal> principals = {{"cli-referrer",
                                                    "police-north",
                                                    {"referrer"},
                                                    {"Eastbrook"},
                                                    "tok-cli-referrer",
                                                    ""},
                                                   {"cli-coordinator",
                                                    "marac-eastbrook",
                                                    {"coordinator"},
                                                    {"Eastbrook"},
                                                    "tok-cli-coordinator",
                                                    ""},
                                                   {"cli-auditor",
                                                    "marac-eastbrook",
                                                    {"auditor"},
                                                    {},
                                                    "tok-cli-auditor",
                                                    ""}};
    ASSERT_TRUE(WriteTextFile((*dir_ / "principals.json").string(),
                              PrincipalsJson(principals)));
    ASSERT_TRUE(WriteTextFile(ReferrerToken(), "tok-cli-referrer\n"));
    ASSERT_TRUE(WriteTextFile(CoordinatorToken(), "tok-cli-coordinator\n"));
    ASSERT_TRUE(WriteTextFile(AuditorToken(), "tok-cli-auditor\n"));
    ServerConfig config;
    config.listen = "127.0.0.1:0";
    config.store = Store();
    config.development_plaintext = true;
    config.principals = (*dir_ / "principals.json").string();
    Result<std::unique_ptr<MaracServer>> started = MaracServer::Start(config);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = started->release();
  }
  static void TearDownTestSuite() {
    delete server_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string Store() { return (*dir_ / "demo" / "marac.db").string(); }
  static std::string ReferrerToken() {
    return (*dir_ / "referrer.token").string();
  }
  static std::string CoordinatorToken() {
    return (*dir_ / "coordinator.token").string();
  }
  static std::string AuditorToken() {
    return (*dir_ / "auditor.token").string();
  }
  static std::string Address() {
    return "127.0.0.1:" + std::to_string(server_->port());
  }
  static std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(*dir_ / name) << text;
    return (*dir_ / name).string();
  }

  static std::filesystem::path* dir_;
  static MaracServer* server_;
};
std::filesystem::path* CliRemoteTest::dir_ = nullptr;
MaracServer* CliRemoteTest::server_ = nullptr;

TEST_F(CliRemoteTest, ScoreLinesAreTheSameBytesAsLocally) {
  std::string lines;
  for (const SyntheticAssessment& a : SyntheticAssessments(200, 7)) {
    lines += ToJsonLine(a) + "\n";
  }
  lines += "{\"assessment_id\": \"BAD\"}\n";
  const CliRun local =
      RunCli({"score", "--jsonl", "--today", "2026-12-01"}, lines);
  const CliRun remote =
      RunCli({"score", "--jsonl", "--today", "2026-12-01", "--server",
              Address(), "--plaintext", "--token-file", ReferrerToken()},
             lines);
  EXPECT_EQ(local.status, kExitBadInput) << "the bad line";
  EXPECT_EQ(remote.status, local.status) << remote.err;
  EXPECT_EQ(remote.out, local.out);
  EXPECT_THAT(remote.out, HasSubstr("\"line\":201"));
}

// The part of an agenda document that lists the heard cases, and its
// summary counts: what a server's agenda (which counts the deferred and
// not-eligible cases rather than listing them) shares with a local one.
std::string CasesAndCounts(const std::string& json) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (!doc.is_object()) return "not a JSON document";
  return doc.value("cases", nlohmann::json()).dump() + " " +
         std::to_string(doc["summary"].value("listed", -1)) + " " +
         std::to_string(doc["summary"].value("deferred", -1)) + " " +
         std::to_string(doc["summary"].value("not_eligible", -1));
}

// `text` up to the first of `markers` found (all of it when none is).
std::string UpTo(const std::string& text,
                 const std::vector<std::string>& markers) {
  std::size_t end = text.size();
  for (const std::string& m : markers) end = std::min(end, text.find(m));
  return text.substr(0, end);
}

TEST_F(CliRemoteTest, AgendaAndReportMatchTheLocalStore) {
  for (const char* format : {"json", "md", "html"}) {
    SCOPED_TRACE(format);
    const CliRun local =
        RunCli({"agenda", "--store", Store(), "--meeting", "2026-10-30",
                "--capacity", "16", "--area", "Eastbrook", "--format", format});
    const CliRun remote =
        RunCli({"agenda", "--server", Address(), "--plaintext", "--token-file",
                CoordinatorToken(), "--meeting", "2026-10-30", "--capacity",
                "16", "--area", "Eastbrook", "--format", format});
    ASSERT_EQ(local.status, 0) << local.err;
    ASSERT_EQ(remote.status, 0) << remote.err;
    if (std::string_view(format) == "json") {
      // The same cases, ranked and explained alike, and the same counts.
      EXPECT_EQ(CasesAndCounts(remote.out), CasesAndCounts(local.out));
    } else {
      // The same document up to the end of the listed cases: the server's
      // then counts what the local one lists.
      const std::vector<std::string> after_cases =
          std::string_view(format) == "md"
              ? std::vector<std::string>{"\n## Deferred", "\n## Not eligible"}
              : std::vector<std::string>{"<h2>Deferred", "<h2>Not eligible",
                                         "</body>"};
      EXPECT_EQ(UpTo(remote.out, after_cases), UpTo(local.out, after_cases));
      EXPECT_THAT(remote.out, HasSubstr("could not be listed within the "
                                        "capacity of 16 cases"));
    }
  }
  const CliRun local =
      RunCli({"report", "--store", Store(), "--from", "2025-11-01", "--to",
              "2026-10-31", "--format", "json", "--adult-women", "45000"});
  const CliRun remote = RunCli(
      {"report", "--server", Address(), "--plaintext", "--token-file",
       CoordinatorToken(), "--server-area", "Eastbrook", "--from", "2025-11-01",
       "--to", "2026-10-31", "--format", "json", "--adult-women", "45000"});
  ASSERT_EQ(remote.status, 0) << remote.err;
  EXPECT_EQ(remote.out, local.out);
  // Beside the previous period, the same through the server.
  const CliRun local_compared =
      RunCli({"report", "--store", Store(), "--area", "Eastbrook", "--from",
              "2026-05-01", "--to", "2026-10-31", "--format", "json",
              "--compare-previous"});
  const CliRun remote_compared = RunCli(
      {"report", "--server", Address(), "--plaintext", "--token-file",
       CoordinatorToken(), "--server-area", "Eastbrook", "--from", "2026-05-01",
       "--to", "2026-10-31", "--format", "json", "--compare-previous"});
  ASSERT_EQ(remote_compared.status, 0) << remote_compared.err;
  EXPECT_EQ(remote_compared.out, local_compared.out);
  EXPECT_THAT(remote_compared.out, HasSubstr("\"previous_from\""));
}

TEST_F(CliRemoteTest, ImportSubmitsReferralsOnceAndRefusesWhatHasNoRpc) {
  const std::string referrals =
      Write("referrals.csv",
            "referral_id,submission_id,area,agency,source,referred_on,"
            "victim_record_id,perpetrator_record_ids,incident_id,assessment_id,"
            "criteria,children_in_household\n"
            "X,cli-remote-1,Eastbrook,ignored,police,2026-10-01,V-00001,,,,"
            "visible_high_risk,1\n");
  const CliRun first =
      RunCli({"import", "--server", Address(), "--plaintext", "--token-file",
              ReferrerToken(), "--referrals", referrals});
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_THAT(first.out, HasSubstr("1 referrals submitted"));
  const CliRun again =
      RunCli({"import", "--server", Address(), "--plaintext", "--token-file",
              ReferrerToken(), "--referrals", referrals});
  ASSERT_EQ(again.status, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("1 already stored"));
  const std::string incidents =
      Write("incidents.csv",
            "incident_id,occurred_on,area,victim_record_id,"
            "perpetrator_record_ids,reported_by\n"
            "I-X,2026-10-01,Eastbrook,V-00001,,police\n");
  const CliRun refused =
      RunCli({"import", "--server", Address(), "--plaintext", "--token-file",
              ReferrerToken(), "--incidents", incidents});
  EXPECT_EQ(refused.status, kExitBadInput);
  EXPECT_THAT(refused.err, HasSubstr("--incidents: not with --server"));
}

TEST_F(CliRemoteTest, AuditorsAskWhoHasSeenACaseLocallyOrOverTheServer) {
  // A coordinator's agenda discloses its listed cases.
  const CliRun agenda =
      RunCli({"agenda", "--server", Address(), "--plaintext", "--token-file",
              CoordinatorToken(), "--meeting", "2026-10-30", "--capacity", "16",
              "--area", "Eastbrook", "--format", "json"});
  ASSERT_EQ(agenda.status, 0) << agenda.err;
  const nlohmann::json doc = nlohmann::json::parse(agenda.out);
  ASSERT_FALSE(doc["cases"].empty());
  const std::string heard = doc["cases"][0]["referral_id"];

  const CliRun remote =
      RunCli({"audit", "who-saw", "--server", Address(), "--plaintext",
              "--token-file", AuditorToken(), "--object", heard});
  ASSERT_EQ(remote.status, 0) << remote.err;
  // The demo's coordinator saw it first, on the research lists it sent.
  EXPECT_THAT(remote.out,
              HasSubstr("who-saw " + heard + ": 2 callers have seen it"));
  EXPECT_THAT(remote.out, HasSubstr("\tmarac-demo\tcoordinator\tMARAC "
                                    "Eastbrook\tdisclose\tok\t\tresearch "
                                    "lists for 2026-10-30"));
  EXPECT_THAT(remote.out, HasSubstr("\tcli-coordinator\tcoordinator\t"
                                    "marac-eastbrook\tdisclose\tok\t"));
  // The same answer from the store itself.
  const CliRun local = RunCli({"audit", "who-saw", "--store", Store(),
                               "--object", heard, "--user", "ig-officer"});
  ASSERT_EQ(local.status, 0) << local.err;
  EXPECT_THAT(local.out, HasSubstr("2 callers have seen it"));
  EXPECT_THAT(local.out, HasSubstr("\tcli-coordinator\t"));
  // --all lists the reads behind it and the auditors' own look-ups too.
  const CliRun all = RunCli({"audit", "who-saw", "--store", Store(), "--object",
                             heard, "--all", "--user", "ig-officer"});
  ASSERT_EQ(all.status, 0) << all.err;
  EXPECT_THAT(all.out, HasSubstr("\tcli-auditor\tauditor\t"));
  // Nobody but an auditor may ask the server.
  const CliRun refused =
      RunCli({"audit", "who-saw", "--server", Address(), "--plaintext",
              "--token-file", CoordinatorToken(), "--object", heard});
  EXPECT_NE(refused.status, 0);
  EXPECT_THAT(refused.err, HasSubstr("may not call"));
  // A purpose that tries to forge a line of the report is escaped.
  {
    Result<std::unique_ptr<marac::Store>> store = OpenSqliteStore(Store());
    ASSERT_TRUE(store.ok());
    Actor forger{"forger", "referrer", "police-north",
                 "casework\n999\t2026-01-01\tinnocent\treferrer"};
    const std::vector<std::string> ids = {heard};
    ASSERT_TRUE((*store)->AuditDisclosure(forger, "referral", ids).ok());
  }
  const CliRun escaped = RunCli({"audit", "who-saw", "--store", Store(),
                                 "--object", heard, "--user", "ig-officer"});
  ASSERT_EQ(escaped.status, 0) << escaped.err;
  EXPECT_THAT(escaped.out, HasSubstr("casework\\n999\\t2026-01-01"));
  EXPECT_THAT(escaped.out, Not(HasSubstr("\n999\t")));
  // A referral nobody was shown.
  const CliRun unseen =
      RunCli({"audit", "who-saw", "--store", Store(), "--object",
              "R-never-listed", "--user", "ig-officer"});
  ASSERT_EQ(unseen.status, 0) << unseen.err;
  EXPECT_THAT(unseen.out, HasSubstr("0 callers have seen it"));
}

TEST_F(CliRemoteTest, TheTokenComesFromTheEnvironmentToo) {
  ASSERT_EQ(setenv("MARAC_TOKEN", "tok-cli-coordinator", 1), 0);
  const CliRun remote =
      RunCli({"report", "--server", Address(), "--plaintext", "--server-area",
              "Eastbrook", "--from", "2025-11-01", "--to", "2026-10-31"});
  ASSERT_EQ(unsetenv("MARAC_TOKEN"), 0);
  EXPECT_EQ(remote.status, 0) << remote.err;
  const CliRun anonymous =
      RunCli({"report", "--server", Address(), "--plaintext", "--server-area",
              "Eastbrook", "--from", "2025-11-01", "--to", "2026-10-31"});
  EXPECT_NE(anonymous.status, 0);
  EXPECT_THAT(anonymous.err, HasSubstr("authorization"));
}

TEST_F(CliRemoteTest, LocalOnlyCommandsAndBadAddressesAreRefused) {
  struct Case {
    const char* label;
    std::vector<std::string> args;
    int status;
    const char* says;
  };
  const std::string records = Write("x.csv", "record_id\n");
  const Case cases[] = {
      {"Demo",
       {"demo", "--server", "127.0.0.1:1"},
       kExitBadInput,
       "local files only"},
      {"Link",
       {"link", "--in", records, "--out", "y.csv", "--server", "127.0.0.1:1"},
       kExitBadInput,
       "local files only"},
      {"NotHostPort",
       {"report", "--server", "nowhere", "--from", "2026-01-01", "--to",
        "2026-02-01"},
       kExitBadInput,
       "--server: not host:port"},
      {"RoleWithoutServer",
       {"report", "--store", "x.db", "--role", "chair", "--from", "2026-01-01",
        "--to", "2026-02-01"},
       kExitBadInput,
       "go with --server"},
      {"TokenOnTheCommandLine",
       {"report", "--server", "127.0.0.1:1", "--token", "tok-cli-referrer",
        "--from", "2026-01-01", "--to", "2026-02-01"},
       kExitBadInput,
       "--token"},
      {"EmptyTokenFile",
       {"report", "--server", "127.0.0.1:1", "--token-file",
        Write("empty.token", "\n"), "--from", "2026-01-01", "--to",
        "2026-02-01"},
       kExitBadInput,
       "--token-file: holds no token"},
      {"CertificateWithoutKey",
       {"report", "--server", "127.0.0.1:1", "--client-cert", records, "--from",
        "2026-01-01", "--to", "2026-02-01"},
       kExitBadInput,
       "--client-key"},
      {"NoOneListening",
       {"report", "--server", "127.0.0.1:1", "--from", "2026-01-01", "--to",
        "2026-02-01"},
       kExitFailure,
       "server 127.0.0.1:1"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    const CliRun r = RunCli(c.args);
    EXPECT_EQ(r.status, c.status) << r.err;
    EXPECT_THAT(r.err, HasSubstr(c.says));
  }
}

}  // namespace
}  // namespace marac
