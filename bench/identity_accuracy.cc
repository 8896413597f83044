// Identity resolution accuracy on the shared labelled data sets, as one
// table: pairwise precision, recall and F1 of the people found, precision of
// the auto-link band (p >= 0.99), and blocking pair completeness and
// reduction ratio. Labels are read only to evaluate, never to train.
//
//   build/bin/identity_accuracy [DATA_DIR]   # default ../shared/data
//
// Targets (issue): FEBRL3 F1 >= 0.995, FEBRL4 F1 >= 0.999, fake_1000 F1 >=
// 0.87, historical_50k pair completeness >= 0.90, auto-link precision >=
// 0.995 everywhere.
#include <csv.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "marac/identity/evaluation.h"
#include "marac/identity/resolver.h"
#include "services/cli/record_csv.h"

namespace {

using marac::PersonRecord;
using marac::RecordFormat;

std::string ReadAll(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream s;
  s << file.rdbuf();
  return s.str();
}

// One column of a CSV file, by header name (libcsv, strict).
struct ColumnReader {
  std::string name;
  std::ptrdiff_t index = -1;
  std::size_t field = 0;
  bool header = true;
  std::vector<std::string> values;
};

std::vector<std::string> ReadColumn(const std::string& text,
                                    const std::string& name) {
  ColumnReader reader;
  reader.name = name;
  csv_parser parser;
  csv_init(&parser, 0);
  const auto on_field = [](void* data, std::size_t length, void* p) {
    auto* r = static_cast<ColumnReader*>(p);
    std::string value(static_cast<const char*>(data), length);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (r->header && value == r->name) {
      r->index = static_cast<std::ptrdiff_t>(r->field);
    }
    if (!r->header && static_cast<std::ptrdiff_t>(r->field) == r->index) {
      r->values.push_back(value);
    }
    ++r->field;
  };
  const auto on_row = [](int, void* p) {
    auto* r = static_cast<ColumnReader*>(p);
    r->header = false;
    r->field = 0;
  };
  csv_parse(&parser, text.data(), text.size(), on_field, on_row, &reader);
  csv_fini(&parser, on_field, on_row, &reader);
  csv_free(&parser);
  return reader.values;
}

struct DataSet {
  const char* label;
  std::vector<const char*> files;
  RecordFormat format;
  const char* truth_column;  // "" for FEBRL (truth in rec_id).
  double target_f1;          // 0 when none.
};

struct Row {
  std::string label;
  std::size_t records = 0, candidates = 0, true_pairs = 0;
  double completeness = 0, reduction = 0;
  double precision = 0, recall = 0, f1 = 0, link_precision = 0;
  double seconds = 0;
  double target_f1 = 0;
};

bool Evaluate(const DataSet& d, const std::string& dir, Row& row) {
  std::vector<PersonRecord> records;
  std::vector<std::string> truth;
  for (const char* file : d.files) {
    const std::string path = dir + "/" + file;
    if (!std::filesystem::exists(path)) return false;
    const std::string text = ReadAll(path);
    const marac::Status read =
        marac::ReadRecordCsv(text, file, d.format, records);
    if (!read.ok()) {
      std::fprintf(stderr, "%s: %s\n", file, read.message().c_str());
      return false;
    }
    if (d.truth_column[0] != '\0') {
      for (std::string& t : ReadColumn(text, d.truth_column)) {
        truth.push_back(std::move(t));
      }
    }
  }
  if (d.truth_column[0] == '\0') {  // FEBRL: rec-<N>-org / rec-<N>-dup-k
    for (const PersonRecord& r : records) {
      const std::size_t a = r.record_id.find('-');
      const std::size_t b = r.record_id.find('-', a + 1);
      truth.push_back(r.record_id.substr(a + 1, b - a - 1));
    }
  }
  if (truth.size() != records.size()) {
    std::fprintf(stderr, "%s: %zu labels for %zu records\n", d.label,
                 truth.size(), records.size());
    return false;
  }
  const auto start = std::chrono::steady_clock::now();
  marac::ResolveOptions options;
  options.keep_scores_from = 0;  // Every candidate, for pair completeness.
  const marac::Result<marac::Resolution> r = marac::Resolve(records, options);
  row.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", d.label, r.status().ToString().c_str());
    return false;
  }
  row.label = d.label;
  row.records = records.size();
  row.target_f1 = d.target_f1;
  std::vector<marac::RecordPair> candidates;
  std::size_t link_tp = 0, link_all = 0;
  for (const marac::ScoredPair& p : r->scored) {
    candidates.emplace_back(p.a, p.b);
    if (p.probability >= marac::ClusteringOptions{}.link_threshold) {
      ++link_all;
      link_tp += truth[p.a] == truth[p.b];
    }
  }
  row.candidates = candidates.size();
  row.completeness = marac::PairCompleteness(candidates, truth);
  row.reduction = marac::ReductionRatio(candidates.size(), records.size());
  row.link_precision = link_all == 0 ? 1.0
                                     : static_cast<double>(link_tp) /
                                           static_cast<double>(link_all);
  const marac::PairwiseAccuracy accuracy =
      marac::EvaluatePairs(r->person_of, truth);
  row.true_pairs = accuracy.true_pairs;
  row.precision = accuracy.precision();
  row.recall = accuracy.recall();
  row.f1 = accuracy.f1();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : MARAC_SHARED_DATA;
  const std::vector<DataSet> sets = {
      {"febrl1", {"febrl/dataset1.csv"}, RecordFormat::kFebrl, "", 0},
      {"febrl3", {"febrl/dataset3.csv"}, RecordFormat::kFebrl, "", 0.995},
      {"febrl4",
       {"febrl/dataset4a.csv", "febrl/dataset4b.csv"},
       RecordFormat::kFebrl,
       "",
       0.999},
      {"fake_1000",
       {"splink/fake_1000.csv"},
       RecordFormat::kSplink,
       "cluster",
       0.87},
      {"historical_50k",
       {"splink/historical_figures_with_errors_50k.csv"},
       RecordFormat::kSplink,
       "cluster",
       0},
  };
  std::printf("%-15s %7s %9s %7s %9s %9s %9s %9s %9s %8s  %s\n", "data set",
              "records", "pairs", "PC", "RR", "precision", "recall", "F1",
              "link P", "seconds", "target");
  int shown = 0;
  for (const DataSet& d : sets) {
    Row row;
    if (!Evaluate(d, dir, row)) {
      std::printf("%-15s (data not found under %s)\n", d.label, dir.c_str());
      continue;
    }
    ++shown;
    char target[64] = "";
    if (row.target_f1 > 0) {
      std::snprintf(target, sizeof target, "F1 >= %.3f %s", row.target_f1,
                    row.f1 >= row.target_f1 ? "met" : "NOT MET");
    }
    std::printf(
        "%-15s %7zu %9zu %7.4f %9.6f %9.4f %9.4f %9.4f %9.4f %8.2f  %s\n",
        row.label.c_str(), row.records, row.candidates, row.completeness,
        row.reduction, row.precision, row.recall, row.f1, row.link_precision,
        row.seconds, target);
  }
  return shown > 0 ? 0 : 1;
}
