// The `marac score` contract as other systems see it: the real binary run as
// a child process, its stdout, stderr and exit status. Bad input must exit 2
// with a message naming the field path and the problem; with --jsonl a bad
// line becomes {"line": N, "error": "..."} in its place and the rest are
// still scored. Every stdout line must be JSON (and so valid UTF-8).
// Longer than 700 lines because it is the command's whole contract, case
// by case.
//
// MARAC_BIN is the path of the marac program, set by tests/cli/CMakeLists.txt.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "tests/cli/run_process.h"

namespace marac {
namespace {

using ::nlohmann::json;
using ::testing::HasSubstr;

// Fixed "today" for the future-date check, so results never depend on the
// clock. Good assessments are completed before it.
constexpr const char* kToday = "2026-06-01";

// A folder under the system temp directory, removed with everything in it
// when this goes out of scope. Unique per process and per instance, so tests
// run in parallel by CTest never share files.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("marac-score-process-test-" + std::to_string(getpid()) + "-" +
             std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Writes `content` byte for byte to `name` in the folder; returns its path.
  std::filesystem::path Write(const std::string& name,
                              std::string_view content) const {
    const std::filesystem::path file = path_ / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.close();
    EXPECT_TRUE(out.good()) << "cannot write " << file;
    return file;
  }

 private:
  std::filesystem::path path_;
};

// `marac args...` with stdin read from `stdin_file`.
ProcessResult RunMarac(const std::vector<std::string>& args,
                       const std::filesystem::path& stdin_file,
                       const TempDir& dir) {
  return RunProgram(MARAC_BIN, args, stdin_file, dir.path());
}

// Writes `input` to a file in `dir` and runs `marac score [--jsonl] --today
// kToday -` with that file on stdin.
ProcessResult Score(const TempDir& dir, std::string_view input,
                    bool jsonl = false) {
  static int count = 0;
  const std::filesystem::path in =
      dir.Write("input." + std::to_string(count++), input);
  std::vector<std::string> args = {"score"};
  if (jsonl) args.push_back("--jsonl");
  args.insert(args.end(), {"--today", kToday, "-"});
  return RunMarac(args, in, dir);
}

// Splits stdout into lines; each must end in '\n'.
std::vector<std::string> Lines(const std::string& out) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t nl = out.find('\n', start);
    if (nl == std::string::npos) {
      ADD_FAILURE() << "stdout does not end in a newline";
      lines.push_back(out.substr(start));
      break;
    }
    lines.push_back(out.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

// Parses every stdout line as JSON (nlohmann refuses invalid UTF-8); a line
// that fails is a test failure and becomes a discarded value.
std::vector<json> JsonLines(const std::string& out) {
  std::vector<json> docs;
  for (const std::string& line : Lines(out)) {
    json doc = json::parse(line, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(doc.is_discarded())
        << "stdout line is not JSON: " << line.substr(0, 300);
    docs.push_back(std::move(doc));
  }
  return docs;
}

// doc[key], or null when `doc` is not an object or has no `key`.
json Field(const json& doc, const char* key) {
  if (!doc.is_object() || !doc.contains(key)) return nullptr;
  return doc.at(key);
}

// doc[key] when it is a string, else "".
std::string Text(const json& doc, const char* key) {
  const json value = Field(doc, key);
  return value.is_string() ? value.get<std::string>() : "";
}

// RFC 3629 UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF.
bool IsValidUtf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      const unsigned min = k == 1 ? lo : 0x80;
      const unsigned max = k == 1 ? hi : 0xBF;
      if (c < min || c > max) return false;
    }
    i += n + 1;
  }
  return true;
}

// A good one-line assessment with the given id.
std::string GoodLine(std::string_view id) {
  return json{{"assessment_id", id},
              {"instrument", "safelives-ric"},
              {"completed_on", "2026-03-01"},
              {"answers", {{"1", "yes"}, {"15", "yes"}, {"2", "no"}}}}
      .dump();
}

// One bad input and what its error must name. Each input is one line (no
// '\n'), so the same row serves single-document and --jsonl mode.
struct BadInputCase {
  const char* label;
  const char* input;
  const char* want_path;     // The message has "<want_path>: ".
  const char* want_problem;  // ... and this, after the path.
};

// The shared head of most rows: a valid start of an assessment.
#define MARAC_HEAD \
  R"("assessment_id":"bad-1","instrument":"safelives-ric","completed_on":"2026-03-01")"

constexpr BadInputCase kBadInputCases[] = {
    // Unknown fields.
    {"UnknownTopLevelField",
     "{" MARAC_HEAD R"(,"answers":{},"officer_note":"x"})", "officer_note",
     "unknown field"},
    {"MisspelledField", "{" MARAC_HEAD R"(,"answer":{}})", "answer",
     "unknown field"},
    // Wrong types.
    {"IdIsNumber",
     R"({"assessment_id":42,"instrument":"safelives-ric","completed_on":"2026-03-01","answers":{}})",
     "assessment_id", "expected a string"},
    {"InstrumentIsArray",
     R"({"assessment_id":"bad-1","instrument":["s-dash"],"completed_on":"2026-03-01","answers":{}})",
     "instrument", "expected a string"},
    {"CompletedOnIsNumber",
     R"({"assessment_id":"bad-1","instrument":"safelives-ric","completed_on":20260301,"answers":{}})",
     "completed_on", "expected a string"},
    {"AnswersIsArray", "{" MARAC_HEAD R"(,"answers":["yes"]})", "answers",
     "expected an object"},
    {"AnswerIsBool", "{" MARAC_HEAD R"(,"answers":{"1":true}})", "answers.1",
     "expected a string"},
    {"AnswerIsNull", "{" MARAC_HEAD R"(,"answers":{"1":null}})", "answers.1",
     "expected a string"},
    {"AnswerNotInVocabulary", "{" MARAC_HEAD R"(,"answers":{"1":"Yes"}})",
     "answers.1", "not an answer"},
    {"IncidentsIsString",
     "{" MARAC_HEAD R"(,"answers":{},"incidents_last_12_months":"3"})",
     "incidents_last_12_months", "expected a whole number"},
    {"IncidentsHasFraction",
     "{" MARAC_HEAD R"(,"answers":{},"incidents_last_12_months":2.5})",
     "incidents_last_12_months", "expected a whole number"},
    {"JudgementIsBool",
     "{" MARAC_HEAD R"(,"answers":{},"professional_judgement":true})",
     "professional_judgement", "expected a string"},
    // Missing or empty required fields.
    {"IdMissing",
     R"({"instrument":"safelives-ric","completed_on":"2026-03-01","answers":{}})",
     "assessment_id", "required"},
    {"IdEmpty",
     R"({"assessment_id":"","instrument":"safelives-ric","completed_on":"2026-03-01","answers":{}})",
     "assessment_id", "empty"},
    {"AnswersMissing", "{" MARAC_HEAD "}", "answers", "required"},
    // Out-of-range numbers.
    {"IncidentsNegative",
     "{" MARAC_HEAD R"(,"answers":{},"incidents_last_12_months":-1})",
     "incidents_last_12_months", "out of range"},
    {"IncidentsHuge",
     "{" MARAC_HEAD R"(,"answers":{},"incidents_last_12_months":100000})",
     "incidents_last_12_months", "out of range"},
    {"IncidentsBeyondUint64",
     "{" MARAC_HEAD
     R"(,"answers":{},"incidents_last_12_months":99999999999999999999})",
     "incidents_last_12_months", "out of range"},
    {"QuestionPastRic", "{" MARAC_HEAD R"(,"answers":{"25":"yes"}})",
     "answers.25", "safelives-ric has questions 1-24"},
    {"QuestionZero", "{" MARAC_HEAD R"(,"answers":{"0":"yes"}})", "answers.0",
     "not a question number"},
    {"QuestionLeadingZero", "{" MARAC_HEAD R"(,"answers":{"01":"yes"}})",
     "answers.01", "not a question number"},
    {"QuestionNegative", "{" MARAC_HEAD R"(,"answers":{"-1":"yes"}})",
     "answers.-1", "not a question number"},
    {"QuestionNotANumber", "{" MARAC_HEAD R"(,"answers":{"q1":"yes"}})",
     "answers.q1", "not a question number"},
    {"QuestionHuge",
     "{" MARAC_HEAD R"(,"answers":{"99999999999999999999":"yes"}})",
     "answers.99999999999999999999", "safelives-ric has questions 1-24"},
    // Impossible dates.
    {"February30",
     R"({"assessment_id":"bad-1","instrument":"safelives-ric","completed_on":"2026-02-30","answers":{}})",
     "completed_on", "not a date"},
    {"February29NotLeap",
     R"({"assessment_id":"bad-1","instrument":"safelives-ric","completed_on":"2025-02-29","answers":{}})",
     "completed_on", "not a leap year"},
    {"Month13",
     R"({"assessment_id":"bad-1","instrument":"safelives-ric","completed_on":"2026-13-01","answers":{}})",
     "completed_on", "not a date"},
    {"UnpaddedDate",
     R"({"assessment_id":"bad-1","instrument":"safelives-ric","completed_on":"2026-1-5","answers":{}})",
     "completed_on", "YYYY-MM-DD"},
    {"DateWithTime",
     R"({"assessment_id":"bad-1","instrument":"safelives-ric","completed_on":"2026-03-01T10:00:00Z","answers":{}})",
     "completed_on", "YYYY-MM-DD"},
    {"ReferralDateImpossible",
     "{" MARAC_HEAD R"(,"answers":{},"last_marac_referral_on":"2025-02-29"})",
     "last_marac_referral_on", "not a leap year"},
    {"IncidentDateImpossible",
     "{" MARAC_HEAD R"(,"answers":{},"incident_on":"2026-04-31"})",
     "incident_on", "not a date"},
    // Dates out of order or in the future.
    {"ReferralAfterCompletion",
     "{" MARAC_HEAD R"(,"answers":{},"last_marac_referral_on":"2026-03-02"})",
     "last_marac_referral_on", "after completed_on"},
    {"IncidentAfterCompletion",
     "{" MARAC_HEAD R"(,"answers":{},"incident_on":"2026-03-02"})",
     "incident_on", "after completed_on"},
    {"CompletedInFuture",  // kToday is 2026-06-01.
     R"({"assessment_id":"bad-1","instrument":"safelives-ric","completed_on":"2026-06-02","answers":{}})",
     "completed_on", "in the future"},
    // Duplicate keys.
    {"DuplicateTopLevelKey",
     "{" MARAC_HEAD R"(,"answers":{},"assessment_id":"bad-2"})",
     "assessment_id", "duplicate key"},
    {"DuplicateAnswer", "{" MARAC_HEAD R"(,"answers":{"1":"yes","1":"no"}})",
     "answers.1", "duplicate key"},
    {"DuplicateKeyViaEscape",
     "{" MARAC_HEAD R"(,"answers":{},"\u0061ssessment_id":"bad-2"})",
     "assessment_id", "duplicate key"},
    {"DuplicateAnswerViaEscape",
     "{" MARAC_HEAD R"(,"answers":{"1":"yes","\u0031":"no"}})", "answers.1",
     "duplicate key"},
    // Invalid UTF-8. The message must still be valid UTF-8 itself.
    {"InvalidUtf8InString",
     R"({"assessment_id":"bad-)"
     "\xFF"
     R"(","instrument":"safelives-ric","completed_on":"2026-03-01","answers":{}})",
     "assessment_id", "UTF-8"},
    {"OverlongUtf8InString",
     R"({"assessment_id":"bad-)"
     "\xC0\xAF"
     R"(","instrument":"safelives-ric","completed_on":"2026-03-01","answers":{}})",
     "assessment_id", "UTF-8"},
    {"TruncatedUtf8InString",
     R"({"assessment_id":"bad-)"
     "\xE2\x82"
     R"(","instrument":"safelives-ric","completed_on":"2026-03-01","answers":{}})",
     "assessment_id", "UTF-8"},
    {"InvalidUtf8OutsideString",
     "{" MARAC_HEAD R"(,"answers":{})"
     "\xFF"
     "}",
     "<input>", "syntax error"},
    // Professional judgement.
    {"ReferWithoutReason",
     "{" MARAC_HEAD R"(,"answers":{},"professional_judgement":"refer"})",
     "professional_judgement_reason", "required"},
    {"ReferWithBlankReason",
     "{" MARAC_HEAD
     R"(,"answers":{},"professional_judgement":"refer","professional_judgement_reason":" \t "})",
     "professional_judgement_reason", "required"},
    {"ReferWithNullReason",
     "{" MARAC_HEAD
     R"(,"answers":{},"professional_judgement":"refer","professional_judgement_reason":null})",
     "professional_judgement_reason", "required"},
    {"ReasonWithoutJudgement",
     "{" MARAC_HEAD R"(,"answers":{},"professional_judgement_reason":"x"})",
     "professional_judgement_reason", "not \"refer\""},
    {"ReasonWithJudgementNone",
     "{" MARAC_HEAD
     R"(,"answers":{},"professional_judgement":"none","professional_judgement_reason":"x"})",
     "professional_judgement_reason", "not \"refer\""},
    {"JudgementNotInVocabulary",
     "{" MARAC_HEAD R"(,"answers":{},"professional_judgement":"REFER"})",
     "professional_judgement", "not allowed"},
    // Unknown instrument.
    {"UnknownInstrument",
     R"({"assessment_id":"bad-1","instrument":"dash-ric","completed_on":"2026-03-01","answers":{}})",
     "instrument", "not a known instrument"},
    {"InstrumentWrongCase",
     R"({"assessment_id":"bad-1","instrument":"SafeLives-RIC","completed_on":"2026-03-01","answers":{}})",
     "instrument", "not a known instrument"},
    // Not an object.
    {"DocumentIsArray", R"([{"assessment_id":"bad-1"}])", "<assessment>",
     "expected a JSON object"},
    {"DocumentIsString", R"("bad-1")", "<assessment>",
     "expected a JSON object"},
    {"DocumentIsNumber", "42", "<assessment>", "expected a JSON object"},
    {"DocumentIsNull", "null", "<assessment>", "expected a JSON object"},
    // Syntax errors.
    {"TrailingComma", "{" MARAC_HEAD R"(,"answers":{},})", "<input>",
     "syntax error"},
    {"Unterminated", "{" MARAC_HEAD R"(,"answers":{})", "<input>",
     "syntax error"},
    {"SingleQuotes", R"({'assessment_id':'bad-1'})", "<input>", "syntax error"},
    {"Comment", "{" MARAC_HEAD R"(,"answers":{} /* note */})", "<input>",
     "syntax error"},
    {"TrailingGarbage", "{" MARAC_HEAD R"(,"answers":{}}x)", "<input>",
     "syntax error"},
    {"TwoDocuments", "{" MARAC_HEAD R"(,"answers":{}} {})", "<input>",
     "syntax error"},
    {"NumberOverflow",
     "{" MARAC_HEAD R"(,"answers":{},"incidents_last_12_months":1e400})",
     "incidents_last_12_months", "number overflow"},
    // Deep nesting (a longer one is generated in DeepNestingIsRefused).
    {"DeepNestingInAnswer",
     "{" MARAC_HEAD
     R"(,"answers":{"1":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}})",
     "answers.1"
     "[0][0][0][0][0][0][0][0][0][0][0][0][0][0]",
     "nesting deeper than"},
    {"DeepNestingInUnknownField",
     "{" MARAC_HEAD
     R"(,"answers":{},"x":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{}}}}}}}}}}}}}}}}}}})",
     "x.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a", "nesting deeper than"},
};

#undef MARAC_HEAD

// `message` is `prefix`, the field path, ": ", then the problem (docs/cli.md:
// "Errors name the field path first, then the problem"), all valid UTF-8.
void ExpectNamesPathAndProblem(const std::string& message,
                               std::string_view prefix, const BadInputCase& c) {
  const std::string head = std::string(prefix) + c.want_path + ": ";
  EXPECT_EQ(message.substr(0, head.size()), head)
      << "want the field path first in: " << message.substr(0, 500);
  const std::string path = std::string(c.want_path) + ": ";
  const std::size_t at = message.find(path);
  ASSERT_NE(at, std::string::npos)
      << "no \"" << path << "\" in: " << message.substr(0, 500);
  EXPECT_THAT(message.substr(at + path.size()), HasSubstr(c.want_problem));
  EXPECT_TRUE(IsValidUtf8(message))
      << "the message is not valid UTF-8: " << message.substr(0, 500);
}

TEST(ScoreProcessTest, BadDocumentExitsTwoNamingPathAndProblem) {
  const TempDir dir;
  for (const BadInputCase& c : kBadInputCases) {
    SCOPED_TRACE(c.label);
    const ProcessResult r = Score(dir, c.input);
    EXPECT_EQ(r.exit_status, 2) << Describe(r);
    EXPECT_EQ(r.out, "") << "no partial result on bad input";
    ExpectNamesPathAndProblem(r.err, "marac score: ", c);
  }
}

// Good, bad, good as JSON Lines: three results in order, the bad one
// {"line": 2, "error": ...} in its place, exit status 2.
TEST(ScoreProcessTest, BadJsonlLineIsReportedInPlace) {
  const TempDir dir;
  const std::string input =
      GoodLine("good-1") + "\n" +
      R"({"assessment_id":"bad-2","instrument":"safelives-ric","completed_on":"2026-03-01","answers":{"25":"yes"}})" +
      "\n" + GoodLine("good-3") + "\n";
  const ProcessResult r = Score(dir, input, /*jsonl=*/true);
  EXPECT_EQ(r.exit_status, 2) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("1 of 3 lines failed"));
  const std::vector<json> results = JsonLines(r.out);
  ASSERT_EQ(results.size(), 3u) << Describe(r);
  EXPECT_EQ(Field(results[0], "assessment_id"), "good-1");
  EXPECT_EQ(results[1], json::parse(R"({"line": 2, "error":
                "answers.25: safelives-ric has questions 1-24"})"));
  EXPECT_EQ(Field(results[2], "assessment_id"), "good-3");
}

// Checks result `index` (0-based) of a run that held good and bad lines:
// {"line": index + 1, "error": ...} naming the row's path and problem.
void ExpectLineError(const std::vector<json>& results, std::size_t index,
                     const BadInputCase& c) {
  ASSERT_LT(index, results.size());
  const json& bad = results[index];
  ASSERT_TRUE(bad.is_object()) << "result " << index << " is not an object";
  EXPECT_EQ(bad.size(), 2u) << bad.dump();
  EXPECT_EQ(Field(bad, "line"), index + 1);
  ASSERT_TRUE(Field(bad, "error").is_string()) << bad.dump();
  ExpectNamesPathAndProblem(Text(bad, "error"), "", c);
}

// The whole table in one --jsonl run (one process: the sanitizer build is
// slow to start): for row i, line 2i+1 is good and line 2i+2 is the row's
// bad input; a good line ends the file. Each bad line must be reported in
// its place and the good lines around it still scored.
TEST(ScoreProcessTest, EveryBadInputClassInJsonl) {
  const TempDir dir;
  const std::size_t rows = std::size(kBadInputCases);
  std::string input;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string_view bad = kBadInputCases[i].input;
    ASSERT_EQ(bad.find('\n'), std::string_view::npos)
        << kBadInputCases[i].label;
    input += GoodLine("good-" + std::to_string(i)) + "\n";
    input.append(bad);
    input += "\n";
  }
  input += GoodLine("good-last") + "\n";
  const ProcessResult r = Score(dir, input, /*jsonl=*/true);
  EXPECT_EQ(r.exit_status, 2) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr(std::to_string(rows) + " of " +
                               std::to_string(2 * rows + 1) + " lines failed"));
  const std::vector<json> results = JsonLines(r.out);
  ASSERT_EQ(results.size(), 2 * rows + 1) << Describe(r);
  for (std::size_t i = 0; i < rows; ++i) {
    const BadInputCase& c = kBadInputCases[i];
    SCOPED_TRACE(c.label);
    EXPECT_EQ(Field(results[2 * i], "assessment_id"),
              "good-" + std::to_string(i));
    ExpectLineError(results, 2 * i + 1, c);
  }
  EXPECT_EQ(Field(results.back(), "assessment_id"), "good-last");
}

// A long run of '[' would overflow the stack of a recursive parser.
TEST(ScoreProcessTest, DeepNestingIsRefused) {
  const TempDir dir;
  const std::string deep = "{\"assessment_id\":\"bad-1\",\"answers\":{\"1\":" +
                           std::string(100000, '[') + std::string(100000, ']') +
                           "}}";
  const ProcessResult single = Score(dir, deep);
  EXPECT_EQ(single.exit_status, 2) << Describe(single);
  EXPECT_EQ(single.out, "");
  EXPECT_THAT(single.err, HasSubstr("nesting deeper than"));

  const ProcessResult lines = Score(dir, deep + "\n" + GoodLine("good-2"),
                                    /*jsonl=*/true);
  EXPECT_EQ(lines.exit_status, 2) << Describe(lines);
  const std::vector<json> results = JsonLines(lines.out);
  ASSERT_EQ(results.size(), 2u) << Describe(lines);
  EXPECT_EQ(Field(results[0], "line"), 1);
  EXPECT_THAT(Text(results[0], "error"), HasSubstr("nesting deeper than"));
  EXPECT_EQ(Field(results[1], "assessment_id"), "good-2");
}

TEST(ScoreProcessTest, EmptyDocumentIsAnError) {
  const TempDir dir;
  for (const char* input : {"", " \n\t\r\n"}) {
    SCOPED_TRACE(json(input).dump());
    const ProcessResult r = Score(dir, input);
    EXPECT_EQ(r.exit_status, 2) << Describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr("<input>: "));
    EXPECT_THAT(r.err, HasSubstr("unexpected end of input"));
  }
}

// An empty --jsonl input has nothing to score. The contract lists empty
// input among the classes that must get a clear error, in both modes.
// An empty batch is not bad input (a nightly export may hold no
// assessments), but it is said, not silent.
TEST(ScoreProcessTest, EmptyJsonlInputSaysSo) {
  const TempDir dir;
  const ProcessResult r = Score(dir, "", /*jsonl=*/true);
  EXPECT_EQ(r.exit_status, 0) << Describe(r);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("no assessments in the input")) << Describe(r);
}

// Writes `head`, then `pad_bytes` of 'x', then `tail` to `file` with a few
// large writes.
void WritePadded(const std::filesystem::path& file, std::string_view head,
                 std::size_t pad_bytes, std::string_view tail) {
  std::FILE* f = std::fopen(file.c_str(), "wb");
  ASSERT_NE(f, nullptr) << file;
  const std::string chunk(8u << 20, 'x');
  bool ok = std::fwrite(head.data(), 1, head.size(), f) == head.size();
  for (std::size_t left = pad_bytes; ok && left > 0;) {
    const std::size_t n = left < chunk.size() ? left : chunk.size();
    ok = std::fwrite(chunk.data(), 1, n, f) == n;
    left -= n;
  }
  ok = ok && std::fwrite(tail.data(), 1, tail.size(), f) == tail.size();
  ok = std::fclose(f) == 0 && ok;
  ASSERT_TRUE(ok) << "cannot write " << file;
}

constexpr std::size_t k100MB = 100u << 20;
constexpr const char* kPaddedHead =
    R"({"assessment_id":"big-2","instrument":"safelives-ric","completed_on":"2026-03-01","answers":{},"professional_judgement":"refer","professional_judgement_reason":")";
constexpr const char* kPaddedTail = R"("})";

// The default limit is 1 MiB; a 100 MB document is refused without reading
// it whole.
TEST(ScoreProcessTest, HundredMegabyteDocumentIsRefused) {
  const TempDir dir;
  const std::filesystem::path file = dir.path() / "big.json";
  WritePadded(file, kPaddedHead, k100MB, kPaddedTail);
  const ProcessResult r =
      RunMarac({"score", "--today", kToday, "-"}, file, dir);
  EXPECT_EQ(r.exit_status, 2) << Describe(r);
  EXPECT_EQ(r.out, "");
  EXPECT_THAT(r.err, HasSubstr("<input>: longer than 1048576 bytes"));
}

TEST(ScoreProcessTest, HundredMegabyteJsonlLineIsReportedInPlace) {
  const TempDir dir;
  const std::filesystem::path file = dir.path() / "big.jsonl";
  WritePadded(file, GoodLine("good-1") + "\n" + kPaddedHead, k100MB,
              std::string(kPaddedTail) + "\n" + GoodLine("good-3") + "\n");
  const ProcessResult r =
      RunMarac({"score", "--jsonl", "--today", kToday, "-"}, file, dir);
  EXPECT_EQ(r.exit_status, 2) << Describe(r);
  const std::vector<json> results = JsonLines(r.out);
  ASSERT_EQ(results.size(), 3u) << Describe(r);
  EXPECT_EQ(Field(results[0], "assessment_id"), "good-1");
  EXPECT_EQ(Field(results[1], "line"), 2);
  EXPECT_THAT(Text(results[1], "error"), HasSubstr("longer than"));
  EXPECT_EQ(Field(results[2], "assessment_id"), "good-3");
}

TEST(ScoreProcessTest, GoodJsonlIsScoredInOrder) {
  const TempDir dir;
  const std::vector<std::string> ids = {"ok-1", "ok-2", "ok-3", "ok-4"};
  std::string input;
  for (const std::string& id : ids) input += GoodLine(id) + "\n";
  input += json{{"assessment_id", "ok-5"},
                {"instrument", "s-dash"},
                {"completed_on", "2026-05-31"},
                {"answers", {{"3", "yes"}}}}
               .dump();  // The last line has no final newline.
  const ProcessResult r = Score(dir, input, /*jsonl=*/true);
  EXPECT_EQ(r.exit_status, 0) << Describe(r);
  EXPECT_EQ(r.err, "");
  const std::vector<json> results = JsonLines(r.out);
  ASSERT_EQ(results.size(), 5u) << Describe(r);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(Field(results[i], "assessment_id"), ids[i]);
    EXPECT_EQ(Field(results[i], "instrument"), "safelives-ric");
  }
  EXPECT_EQ(Field(results[4], "assessment_id"), "ok-5");
  EXPECT_EQ(Field(results[4], "instrument"), "s-dash");

  // A line scores as the same document would on its own.
  const ProcessResult single = Score(dir, GoodLine(ids[1]));
  EXPECT_EQ(single.exit_status, 0) << Describe(single);
  const std::vector<json> alone = JsonLines(single.out);
  ASSERT_EQ(alone.size(), 1u) << Describe(single);
  EXPECT_EQ(alone[0], results[1]);
}

// Line numbers count every line of the file; a blank line (5 here) is
// skipped without a result.
TEST(ScoreProcessTest, JsonlErrorsKeepTheirLineNumbers) {
  const TempDir dir;
  const std::string input = GoodLine("a-1") + "\n" + "[]\n" + GoodLine("a-3") +
                            "\n" + "{\n" + "\n" + GoodLine("a-6") + "\n";
  const ProcessResult r = Score(dir, input, /*jsonl=*/true);
  EXPECT_EQ(r.exit_status, 2) << Describe(r);
  EXPECT_THAT(r.err, HasSubstr("2 of 5 lines failed"));
  const std::vector<json> results = JsonLines(r.out);
  ASSERT_EQ(results.size(), 5u) << Describe(r);
  EXPECT_EQ(Field(results[0], "assessment_id"), "a-1");
  EXPECT_EQ(Field(results[1], "line"), 2);
  EXPECT_EQ(Field(results[2], "assessment_id"), "a-3");
  EXPECT_EQ(Field(results[3], "line"), 4);
  EXPECT_EQ(Field(results[4], "assessment_id"), "a-6");
}

TEST(ScoreProcessTest, GoodDocumentFromStdinOrFile) {
  const TempDir dir;
  const std::filesystem::path file = dir.Write("one.json", GoodLine("one-1"));
  const std::filesystem::path pretty =
      dir.Write("pretty.json", json::parse(GoodLine("one-2")).dump(2) + "\n");
  const std::filesystem::path empty = dir.Write("empty", "");
  struct Run {
    const char* label;
    std::vector<std::string> args;
    std::filesystem::path stdin_file;
    const char* want_id;
  };
  const Run runs[] = {
      {"Stdin", {"score", "--today", kToday, "-"}, file, "one-1"},
      {"File", {"score", "--today", kToday, file.string()}, empty, "one-1"},
      {"PrettyPrinted", {"score", "--today", kToday, "-"}, pretty, "one-2"},
  };
  for (const Run& run : runs) {
    SCOPED_TRACE(run.label);
    const ProcessResult r = RunMarac(run.args, run.stdin_file, dir);
    EXPECT_EQ(r.exit_status, 0) << Describe(r);
    EXPECT_EQ(r.err, "");
    const std::vector<json> results = JsonLines(r.out);
    ASSERT_EQ(results.size(), 1u) << Describe(r);
    EXPECT_EQ(Field(results[0], "assessment_id"), run.want_id);
    EXPECT_EQ(Field(results[0], "score"), 2);
  }
}

TEST(ScoreProcessTest, UsageErrorsExitTwo) {
  const TempDir dir;
  const std::filesystem::path input = dir.Write("one.json", GoodLine("u-1"));
  const std::string missing = (dir.path() / "no-such-file.json").string();
  struct UsageCase {
    const char* label;
    std::vector<std::string> args;
    std::string want_stderr;
  };
  const UsageCase cases[] = {
      {"UnknownOption", {"score", "--bogus", "-"}, "--bogus"},
      {"MissingFile", {"score", "--today", kToday, missing}, missing},
      {"TwoFiles", {"score", "-", "-"}, "-"},
      {"BadToday", {"score", "--today", "2026-02-30", "-"}, "--today: "},
      {"NoCommand", {"-"}, "subcommand"},
  };
  for (const UsageCase& c : cases) {
    SCOPED_TRACE(c.label);
    const ProcessResult r = RunMarac(c.args, input, dir);
    EXPECT_EQ(r.exit_status, 2) << Describe(r);
    EXPECT_EQ(r.out, "");
    EXPECT_THAT(r.err, HasSubstr(c.want_stderr));
  }
}

}  // namespace
}  // namespace marac
