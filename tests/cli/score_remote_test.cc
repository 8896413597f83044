// `marac score --server`: what the CLI sends for an assessment's answers
// (answers_in_order, ending at the last question asked), seen by a proxy in
// front of an in-process marac-server; that it scores as locally, gaps and
// "not known" answers included; and that a question no form has is refused
// as before, naming it by number. Every id here is invented.
#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "marac/v1/assessment.grpc.pb.h"
#include "services/cli/commands.h"
#include "tests/cli/run_cli.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

// The server's today is tests/server's kToday, 2026-03-01.
constexpr const char* kToday = "2026-03-01";

// An AssessmentService in front of the real one: passes each call on with
// the caller's metadata and keeps the request, so a test sees what the CLI
// sent.
class RecordingProxy final : public v1::AssessmentService::Service {
 public:
  explicit RecordingProxy(const std::shared_ptr<grpc::Channel>& upstream)
      : upstream_(v1::AssessmentService::NewStub(upstream)) {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port_);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
  }
  ~RecordingProxy() override { server_->Shutdown(); }

  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // The assessments received so far, in order; forgets them.
  std::vector<v1::Assessment> Take() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(received_, {});
  }

  grpc::Status ScoreAssessment(grpc::ServerContext* context,
                               const v1::ScoreAssessmentRequest* request,
                               v1::ScoreAssessmentResponse* response) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      received_.push_back(request->assessment());
    }
    grpc::ClientContext upstream;
    for (const auto& [key, value] : context->client_metadata()) {
      const std::string name(key.data(), key.size());
      if (name == "authorization" || name == "x-marac-role") {
        upstream.AddMetadata(name, std::string(value.data(), value.size()));
      }
    }
    upstream.set_deadline(context->deadline());
    return upstream_->ScoreAssessment(&upstream, *request, response);
  }

 private:
  std::unique_ptr<v1::AssessmentService::Stub> upstream_;
  int port_ = 0;
  std::unique_ptr<grpc::Server> server_;
  std::mutex mutex_;
  std::vector<v1::Assessment> received_;
};

// A server, the proxy before it and a referrer's token file.
struct Remote {
  TestServer server{{}, ServerLimits{}};
  RecordingProxy proxy{server.channel()};
  std::string token_file = server.dir() + "/referrer.token";

  Remote() {
    EXPECT_TRUE(server.ok()) << server.start_error();
    EXPECT_TRUE(WriteTextFile(token_file,
                              TestToken("police-north", "referrer") + "\n"));
  }

  // `marac score --today kToday ARGS... --server` through the proxy.
  CliRun Score(std::vector<std::string> args, std::string_view input) {
    args.insert(args.begin(), {"score", "--today", kToday});
    args.insert(args.end(), {"--server", proxy.address(), "--plaintext",
                             "--token-file", token_file});
    return RunCli(std::move(args), input);
  }
};

CliRun ScoreLocally(std::vector<std::string> args, std::string_view input) {
  args.insert(args.begin(), {"score", "--today", kToday});
  return RunCli(std::move(args), input);
}

// One character a question, from question 1: Y(es), N(o), K (not known),
// '.' (not asked, ANSWER_UNSPECIFIED), '?' for anything else.
std::string InOrder(const v1::Assessment& a) {
  std::string out;
  for (const int answer : a.answers_in_order()) {
    switch (answer) {
      case v1::ANSWER_YES:
        out += 'Y';
        break;
      case v1::ANSWER_NO:
        out += 'N';
        break;
      case v1::ANSWER_NOT_KNOWN:
        out += 'K';
        break;
      case v1::ANSWER_UNSPECIFIED:
        out += '.';
        break;
      default:
        out += '?';
    }
  }
  return out;
}

// An assessment line of `marac score --jsonl`; `extra` adds the history.
// Line breaks in `answers` and `extra` are dropped.
std::string AssessmentLine(const std::string& id, const char* instrument,
                           const char* answers, const char* extra = "") {
  std::string line =
      "{\"assessment_id\": \"" + id + "\", \"instrument\": \"" + instrument +
      "\", \"completed_on\": \"2026-02-20\", \"answers\": " + answers + extra +
      "}";
  std::erase(line, '\n');
  return line + "\n";
}

struct InOrderCase {
  const char* label;
  const char* instrument;
  const char* answers;  // The input's "answers" object.
  const char* extra;    // More of the input's fields, after a comma.
  const char* want;     // What answers_in_order must hold (see InOrder).
};
constexpr InOrderCase kInOrderCases[] = {
    {"Gaps", "safelives-ric",
     R"({"1": "yes", "3": "not_known", "4": "no", "9": "yes",
         "11": "not_known"})",
     "", "Y.KN....Y.K"},
    {"LastQuestionOnly", "safelives-ric", R"({"24": "yes"})",
     R"(, "incidents_last_12_months": 3)", ".......................Y"},
    {"NothingAsked", "safelives-ric", "{}", "", ""},
    {"AllAskedSomeNotKnown", "safelives-ric",
     R"({"1": "yes", "2": "yes", "3": "yes", "4": "yes", "5": "yes",
         "6": "yes", "7": "yes", "8": "yes", "9": "yes", "10": "yes",
         "11": "yes", "12": "yes", "13": "no", "14": "no", "15": "no",
         "16": "no", "17": "no", "18": "no", "19": "not_known",
         "20": "not_known", "21": "not_known", "22": "no", "23": "no",
         "24": "no"})",
     R"(, "last_marac_referral_on": "2025-09-01")", "YYYYYYYYYYYYNNNNNNKKKNNN"},
    {"UnaskedAtTheEnd", "safelives-ric",
     R"({"2": "yes", "1": "no", "10": "yes", "5": "not_known"})",
     R"(, "professional_judgement": "refer",
        "professional_judgement_reason": "Invented reason",
        "incident_on": "2026-02-19")",
     "NY..K....Y"},
    {"PoliceForm", "police-dash-2009",
     R"({"27": "yes", "2": "yes", "5": "not_known", "14": "no"})", "",
     ".Y..K........N............Y"},
    {"Stalking", "s-dash", R"({"11": "not_known", "1": "yes"})", "",
     "Y.........K"},
};

TEST(ScoreRemoteTest, AnswersGoInOrderAndScoreAsLocally) {
  Remote remote;
  std::string lines;
  for (const InOrderCase& c : kInOrderCases) {
    lines += AssessmentLine(c.label, c.instrument, c.answers, c.extra);
  }
  const CliRun local = ScoreLocally({"--jsonl"}, lines);
  const CliRun sent = remote.Score({"--jsonl"}, lines);
  ASSERT_EQ(local.status, kExitOk) << local.err;
  EXPECT_EQ(sent.status, local.status) << sent.err;
  EXPECT_EQ(sent.err, local.err);
  EXPECT_EQ(sent.out, local.out);

  const std::vector<v1::Assessment> received = remote.proxy.Take();
  ASSERT_EQ(received.size(), std::size(kInOrderCases));
  for (std::size_t i = 0; i < received.size(); ++i) {
    SCOPED_TRACE(kInOrderCases[i].label);
    EXPECT_EQ(received[i].assessment_id(), kInOrderCases[i].label);
    EXPECT_THAT(received[i].answers(), IsEmpty());
    EXPECT_EQ(InOrder(received[i]), kInOrderCases[i].want);
  }

  // One document, not JSON Lines: the same.
  const std::string gaps = AssessmentLine("Doc", "safelives-ric",
                                          R"({"2": "not_known", "7": "yes"})");
  const CliRun local_document = ScoreLocally({"-"}, gaps);
  const CliRun sent_document = remote.Score({"-"}, gaps);
  ASSERT_EQ(local_document.status, kExitOk) << local_document.err;
  EXPECT_EQ(sent_document.status, kExitOk) << sent_document.err;
  EXPECT_EQ(sent_document.out, local_document.out);
  const std::vector<v1::Assessment> document = remote.proxy.Take();
  ASSERT_EQ(document.size(), 1u);
  EXPECT_EQ(InOrder(document[0]), ".K....Y");
}

TEST(ScoreRemoteTest, QuestionsNoFormHasAreRefusedAsLocally) {
  Remote remote;
  for (const char* question :
       {"0", "25", "1000", "-1", "01", "abc", "99999999999", "2147483648"}) {
    SCOPED_TRACE(question);
    const std::string line = AssessmentLine(
        "Q", "safelives-ric",
        ("{\"1\": \"yes\", \"" + std::string(question) + "\": \"no\"}")
            .c_str());
    for (const char* mode : {"-", "--jsonl"}) {
      SCOPED_TRACE(mode);
      const CliRun local = ScoreLocally({mode}, line);
      const CliRun sent = remote.Score({mode}, line);
      EXPECT_EQ(local.status, kExitBadInput);
      EXPECT_EQ(sent.status, local.status);
      EXPECT_EQ(sent.out, local.out);
      EXPECT_EQ(sent.err, local.err);
      EXPECT_THAT(local.err + local.out,
                  HasSubstr(std::string("answers.") + question + ": "));
    }
  }
  // The input names the problem itself: nothing was sent.
  EXPECT_THAT(remote.proxy.Take(), IsEmpty());
}

// The shipped RIC with `extra` questions more, as an --instrument file.
std::string LongerRic(const std::string& dir, int extra) {
  std::ifstream in(MARAC_INSTRUMENTS_DIR "/safelives-ric.json");
  std::stringstream text;
  text << in.rdbuf();
  json ric = json::parse(text.str());
  const int items = static_cast<int>(ric["items"].size());
  for (int n = items + 1; n <= items + extra; ++n) {
    ric["items"].push_back({{"number", n},
                            {"key", "invented_" + std::to_string(n)},
                            {"label", "An invented question"},
                            {"high_harm_tags", json::array()}});
  }
  const std::string path = dir + "/ric-longer.json";
  EXPECT_TRUE(WriteTextFile(path, ric.dump()));
  return path;
}

TEST(ScoreRemoteTest, ALongerLocalFormIsRefusedOnlyWhereTheMapWas) {
  Remote remote;
  const std::string ric27 = LongerRic(remote.server.dir(), 3);

  // Asked within the server's 24 questions: scored as the built-in form
  // scores it, the list ending at the last question asked, not at 27.
  const std::string within = AssessmentLine(
      "Within", "safelives-ric", R"({"1": "yes", "24": "not_known"})");
  const CliRun built_in = remote.Score({"-"}, within);
  const CliRun longer = remote.Score({"-", "--instrument", ric27}, within);
  ASSERT_EQ(built_in.status, kExitOk) << built_in.err;
  EXPECT_EQ(longer.status, kExitOk) << longer.err;
  EXPECT_EQ(longer.out, built_in.out);
  EXPECT_EQ(longer.out, ScoreLocally({"-"}, within).out);
  const std::vector<v1::Assessment> scored = remote.proxy.Take();
  ASSERT_EQ(scored.size(), 2u);
  for (const v1::Assessment& a : scored) {
    EXPECT_EQ(InOrder(a), "Y......................K");
  }

  // Beyond them: the refusal names each question asked by its number, as
  // the map's did, and no question that was not asked.
  struct Beyond {
    const char* label;
    const char* answers;
    const char* error;
  };
  const Beyond cases[] = {
      {"OneBeyond", R"({"1": "yes", "26": "no"})",
       "answers.26: safelives-ric has questions 1-24"},
      {"TwoBeyondWithAGap", R"({"25": "no", "27": "yes", "3": "no"})",
       "answers.25: safelives-ric has questions 1-24; answers.27: "
       "safelives-ric has questions 1-24"},
  };
  for (const Beyond& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string line =
        AssessmentLine(c.label, "safelives-ric", c.answers);
    const CliRun document = remote.Score({"-", "--instrument", ric27}, line);
    EXPECT_EQ(document.status, kExitBadInput);
    EXPECT_EQ(document.out, "");
    EXPECT_EQ(document.err, "marac score: " + std::string(c.error) + "\n");
    const CliRun lines = remote.Score({"--jsonl", "--instrument", ric27}, line);
    EXPECT_EQ(lines.status, kExitBadInput);
    EXPECT_EQ(lines.out,
              "{\"line\":1,\"error\":\"" + std::string(c.error) + "\"}\n");
  }
  // Each was sent as the list, then once more as the map.
  const std::vector<v1::Assessment> received = remote.proxy.Take();
  ASSERT_EQ(received.size(), 8u);
  EXPECT_EQ(InOrder(received[0]), "Y........................N");
  EXPECT_THAT(received[0].answers(), IsEmpty());
  EXPECT_EQ(InOrder(received[1]), "");
  EXPECT_THAT(
      received[1].answers(),
      UnorderedElementsAre(Pair(1, v1::ANSWER_YES), Pair(26, v1::ANSWER_NO)));
  EXPECT_EQ(InOrder(received[4]), "..N.....................N.Y");
  EXPECT_THAT(
      received[5].answers(),
      UnorderedElementsAre(Pair(3, v1::ANSWER_NO), Pair(25, v1::ANSWER_NO),
                           Pair(27, v1::ANSWER_YES)));
}

}  // namespace
}  // namespace marac
