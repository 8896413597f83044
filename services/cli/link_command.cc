// `marac link`: resolves the people in one or more CSV files of records and
// writes which person each record belongs to, the pairs left for a person to
// decide, and optionally every scored pair's explanation; a person's
// decisions and an earlier run's person ids carry over. Outputs are
// written to a temporary file and renamed, so none is ever half-written.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <span>
#include <sstream>
#include <unordered_map>

#include "marac/identity/resolver.h"
#include "services/cli/commands.h"
#include "services/cli/input_file.h"
#include "services/cli/progress.h"
#include "services/cli/record_csv.h"

namespace marac {
namespace {

// Writes `content` to `path` through a temporary file beside it.
Status WriteAtomically(const std::string& path, const std::string& content,
                       std::string_view option) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) {
      return InvalidArgument(std::string(option) + " " + path,
                             "cannot create " + temporary);
    }
    file.write(content.data(), static_cast<std::streamsize>(content.size()));
    file.flush();
    if (!file) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      return Status(StatusCode::kUnavailable,
                    std::string(option) + " " + path + ": write failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    return Status(StatusCode::kUnavailable,
                  std::string(option) + " " + path + ": cannot replace it");
  }
  return Status::Ok();
}

// One line for stderr: records, people, the pairs sent for review by
// reason, and the people holding both victim and perpetrator records (0
// unless a person's decision or a trusted identifier joined them).
std::string LinkSummary(std::span<const PersonRecord> records,
                        const Resolution& resolution) {
  std::map<std::string_view, std::size_t> by_reason;
  for (const ScoredPair& p : resolution.review) {
    ++by_reason[ReviewReasonName(p.reason)];
  }
  std::unordered_map<std::string_view, std::pair<bool, bool>> roles;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto& [victim, perpetrator] = roles[resolution.person_of[i]];
    victim = victim || records[i].role == Role::kVictim;
    perpetrator = perpetrator || records[i].role == Role::kPerpetrator;
  }
  std::size_t both = 0;
  for (const auto& [person, r] : roles) both += r.first && r.second;
  std::string line =
      "marac link: " + std::to_string(records.size()) + " records, " +
      std::to_string(roles.size()) +
      " people; review: " + std::to_string(resolution.review.size());
  std::string sep = " (";
  for (const auto& [reason, count] : by_reason) {
    line += sep + std::string(reason) + " " + std::to_string(count);
    sep = ", ";
  }
  if (!by_reason.empty()) line += ")";
  line += "; people with both victim and perpetrator records: " +
          std::to_string(both);
  return line;
}

std::string Probability(double p) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", p);
  return buffer;
}

}  // namespace

int RunLink(const LinkCommandOptions& options, std::ostream& out,
            std::ostream& err) {
  ProgressLines progress(err, "marac link", options.progress);
  std::vector<PersonRecord> records;
  for (std::size_t k = 0; k < options.inputs.size(); ++k) {
    progress.Update("reading files", k, options.inputs.size());
    const std::string& path = options.inputs[k];
    const Result<std::string> text = ReadInputFile(path);
    if (!text.ok()) {
      err << "marac link: " << text.status().message() << "\n";
      return kExitBadInput;
    }
    const Status read = ReadRecordCsv(*text, path, options.format, records);
    if (!read.ok()) {
      err << "marac link: " << read.message() << "\n";
      return kExitBadInput;
    }
  }
  ResolveOptions resolve;
  if (options.decisions) {
    const Result<std::string> text =
        ReadInputFile(*options.decisions, "--decisions");
    std::vector<DecisionRow> rows;
    Status read = text.ok() ? ReadDecisionCsv(*text, *options.decisions, rows)
                            : text.status();
    // Decisions name records by id; each must be in this run's input.
    std::unordered_map<std::string_view, std::uint32_t> index;
    for (std::uint32_t i = 0; i < records.size(); ++i) {
      index.emplace(records[i].record_id, i);
    }
    for (const DecisionRow& row : rows) {
      if (!read.ok()) break;
      const auto l = index.find(row.record_id_l);
      const auto r = index.find(row.record_id_r);
      if (l == index.end() || r == index.end()) {
        read = InvalidArgument(
            *options.decisions + " line " + std::to_string(row.line) + ": " +
                (l == index.end() ? "record_id_l" : "record_id_r"),
            "'" + (l == index.end() ? row.record_id_l : row.record_id_r) +
                "' is not a record of the input");
        break;
      }
      resolve.decisions.push_back({l->second, r->second, row.same});
    }
    if (!read.ok()) {
      err << "marac link: " << read.message() << "\n";
      return kExitBadInput;
    }
  }
  if (options.earlier) {
    const Result<std::string> text =
        ReadInputFile(*options.earlier, "--earlier");
    const Status read = text.ok() ? ReadPersonIdCsv(*text, *options.earlier,
                                                    resolve.earlier_person_of)
                                  : text.status();
    if (!read.ok()) {
      err << "marac link: " << read.message() << "\n";
      return kExitBadInput;
    }
  }
  resolve.clustering.link_threshold = options.link_threshold;
  resolve.clustering.review_threshold = options.review_threshold;
  // The explanation covers every candidate pair; without it only the scores
  // that can matter are held.
  if (options.explain_out) resolve.keep_scores_from = 0;
  if (!options.dob_placeholders.empty()) {
    resolve.dob_placeholders = options.dob_placeholders;
  }
  resolve.progress = progress.Callback();
  const Result<Resolution> resolution = Resolve(records, resolve);
  if (!resolution.ok()) {
    err << "marac link: " << resolution.status().message() << "\n";
    return resolution.status().code() == StatusCode::kInvalidArgument
               ? kExitBadInput
               : kExitFailure;
  }
  std::string clusters = "record_id,person_id\n";
  for (std::size_t i = 0; i < records.size(); ++i) {
    clusters += CsvField(records[i].record_id);
    clusters += ',';
    clusters += resolution->person_of[i];
    clusters += '\n';
  }
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>>
      files;
  files.push_back({"--out", {options.out, std::move(clusters)}});
  if (options.review_out) {
    std::string review = "record_id_l,record_id_r,match_probability,reason\n";
    for (const ScoredPair& p : resolution->review) {
      review += CsvField(records[p.a].record_id) + "," +
                CsvField(records[p.b].record_id) + "," +
                Probability(p.probability) + "," +
                std::string(ReviewReasonName(p.reason)) + "\n";
    }
    files.push_back({"--review-out", {*options.review_out, std::move(review)}});
  }
  if (options.explain_out && resolution->model) {
    std::string explain;
    const std::vector<ScoredPair>& scored = resolution->scored;
    for (std::size_t k = 0; k < scored.size(); ++k) {
      // Every candidate pair of a large file: minutes of work.
      if (k % 4096 == 0) {
        progress.Update("explaining candidate pairs", k, scored.size());
      }
      const ScoredPair& p = scored[k];
      const NormalisedRecord& a = resolution->normalised[p.a];
      const NormalisedRecord& b = resolution->normalised[p.b];
      nlohmann::ordered_json line;
      line["record_id_l"] = records[p.a].record_id;
      line["record_id_r"] = records[p.b].record_id;
      line["match_probability"] = p.probability;
      line["match_weight"] = resolution->model->MatchWeight(a, b);
      nlohmann::ordered_json terms = nlohmann::ordered_json::array();
      for (const WeightTerm& t : resolution->model->Explain(a, b)) {
        terms.push_back(
            {{"field", t.field}, {"level", t.level}, {"weight", t.weight}});
      }
      line["terms"] = std::move(terms);
      explain +=
          line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      explain += '\n';
    }
    files.push_back(
        {"--explain-out", {*options.explain_out, std::move(explain)}});
  } else if (options.explain_out) {
    files.push_back({"--explain-out", {*options.explain_out, ""}});
  }
  if (options.history_out) {
    std::string history = "event,person_id,other_person_id\n";
    for (const PersonEvent& e : resolution->events) {
      history += std::string(PersonEventName(e.kind)) + "," + e.person + "," +
                 e.other + "\n";
    }
    files.push_back(
        {"--history-out", {*options.history_out, std::move(history)}});
  }
  for (std::size_t k = 0; k < files.size(); ++k) {
    progress.Update("writing files", k, files.size());
    const auto& [option, file] = files[k];
    const Status written = WriteAtomically(file.first, file.second, option);
    if (!written.ok()) {
      err << "marac link: " << written.message() << "\n";
      return kExitFailure;
    }
  }
  const std::set<std::string> people(resolution->person_of.begin(),
                                     resolution->person_of.end());
  out << "marac link: " << records.size() << " records, " << people.size()
      << " people, " << resolution->candidate_pairs << " candidate pairs, "
      << resolution->review.size() << " for review\n";
  err << LinkSummary(records, *resolution) << "\n";
  if (resolution->model && resolution->model->report().location_capped) {
    const TrainingReport& report = resolution->model->report();
    char line[200];
    std::snprintf(line, sizeof line,
                  "marac link: warning: an address or postcode (%.1f bits) "
                  "outweighed a given name, family name and date of birth "
                  "that all disagree (%.1f bits); location weights were "
                  "scaled down to them\n",
                  report.location_weight, report.disagreement_weight);
    err << line;
  }
  for (const PairDecision& d : resolution->unmet_decisions) {
    err << "marac link: warning: the decision that " << records[d.a].record_id
        << " and " << records[d.b].record_id
        << " are the same person cannot hold (a cannot-link constraint or a "
           "not_same decision keeps them apart)\n";
  }
  return kExitOk;
}

}  // namespace marac
