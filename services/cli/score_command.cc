#include <istream>
#include <ostream>
#include <string>

#include "services/cli/commands.h"
#include "services/cli/line_reader.h"
#include "services/cli/remote_client.h"

namespace marac {
namespace {

constexpr std::size_t kFlushBytes = 64 * 1024;

Status ScoreOne(const Scorer& scorer, const InstrumentSet& instruments,
                const ScoreCommandOptions& options, std::string_view text,
                std::string& out) {
  MARAC_ASSIGN_OR_RETURN(const ParsedAssessment parsed,
                         ParseAssessment(text, instruments, options.limits));
  if (options.remote != nullptr) {
    MARAC_RETURN_IF_ERROR(options.remote->ScoreJson(parsed, out));
    out += '\n';
    return Status::Ok();
  }
  MARAC_ASSIGN_OR_RETURN(
      const RiskScore score,
      scorer.Score(parsed.checklist, parsed.history, parsed.completed_on));
  AppendResultJson(parsed, score, out);
  out += '\n';
  return Status::Ok();
}

bool IsBlank(std::string_view line) {
  for (const char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

void AppendLineError(std::size_t line, std::string_view message,
                     std::string& out) {
  out += "{\"line\":";
  out += std::to_string(line);
  out += ",\"error\":";
  AppendJsonString(message, out);
  out += "}\n";
}

int ScoreLines(const Scorer& scorer, const InstrumentSet& instruments,
               const ScoreCommandOptions& options, std::istream& in,
               std::ostream& out, std::ostream& err) {
  LineReader reader(in, options.max_input_bytes);
  std::string line;
  std::string buffer;
  buffer.reserve(kFlushBytes * 2);
  std::size_t scored = 0;
  std::size_t failed = 0;
  for (;;) {
    const LineReader::Outcome outcome = reader.Next(line);
    if (outcome == LineReader::Outcome::kEnd) break;
    if (outcome == LineReader::Outcome::kReadError) {
      out << buffer;
      err << "marac score: read error after line " << reader.line_number()
          << "\n";
      return kExitFailure;
    }
    if (outcome == LineReader::Outcome::kTooLong) {
      ++failed;
      AppendLineError(reader.line_number(),
                      "<line>: longer than " +
                          std::to_string(options.max_input_bytes) +
                          " bytes; an assessment is a few kilobytes",
                      buffer);
    } else if (IsBlank(line)) {
      continue;
    } else {
      const Status status =
          ScoreOne(scorer, instruments, options, line, buffer);
      if (status.ok()) {
        ++scored;
      } else {
        ++failed;
        AppendLineError(reader.line_number(), status.message(), buffer);
      }
    }
    if (buffer.size() >= kFlushBytes) {
      out << buffer;
      buffer.clear();
    }
  }
  out << buffer;
  out.flush();
  if (!out) {
    err << "marac score: could not write the results\n";
    return kExitFailure;
  }
  if (scored + failed == 0) {
    err << "marac score: no assessments in the input\n";
  }
  if (failed > 0) {
    err << "marac score: " << failed << " of " << (scored + failed)
        << " lines failed; each has {\"line\", \"error\"} in the output\n";
    return kExitBadInput;
  }
  return kExitOk;
}

int ScoreDocument(const Scorer& scorer, const InstrumentSet& instruments,
                  const ScoreCommandOptions& options, std::istream& in,
                  std::ostream& out, std::ostream& err) {
  std::string text;
  std::string chunk(64 * 1024, '\0');
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > options.max_input_bytes) {
      err << "marac score: <input>: longer than " << options.max_input_bytes
          << " bytes; an assessment is a few kilobytes (use --jsonl for "
             "many)\n";
      return kExitBadInput;
    }
  }
  if (in.bad()) {
    err << "marac score: could not read the input\n";
    return kExitFailure;
  }
  std::string result;
  const Status status = ScoreOne(scorer, instruments, options, text, result);
  if (!status.ok()) {
    err << "marac score: " << status.message() << "\n";
    return kExitBadInput;
  }
  out << result;
  out.flush();
  if (!out) {
    err << "marac score: could not write the result\n";
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int RunScore(const Scorer& scorer, const InstrumentSet& instruments,
             const ScoreCommandOptions& options, std::istream& in,
             std::ostream& out, std::ostream& err) {
  return options.jsonl
             ? ScoreLines(scorer, instruments, options, in, out, err)
             : ScoreDocument(scorer, instruments, options, in, out, err);
}

}  // namespace marac
