// Identity resolution accuracy on the shared labelled data sets, as one
// table: pairwise precision, recall and F1 of the people found, precision of
// the auto-link band (p >= 0.99), and blocking pair completeness and
// reduction ratio. Labels are read only to evaluate, never to train.
//
//   build/bin/identity_accuracy [DATA_DIR] [--households N,N]
//
// Targets (issue): FEBRL3 F1 >= 0.995, FEBRL4 F1 >= 0.999, fake_1000 F1 >=
// 0.87, historical_50k pair completeness >= 0.90, auto-link precision >=
// 0.995 everywhere. Then the household generator at 20,000 and 200,000
// people (`--households N,N` runs only those sizes): no person mixing one
// person's victim records with another's perpetrator records, precision
// >= 0.995, F1 >= 0.97, at most 1% of each kind of confusable pair merged.
#include <csv.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "lib/synthetic/synthetic_households.h"
#include "marac/identity/evaluation.h"
#include "marac/identity/resolver.h"
#include "services/cli/record_csv.h"

namespace {

constexpr int kHouseholdSeed = 2026;

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

// The household generator (lib/synthetic/synthetic_households.h): the same
// pairwise figures, with the people mixing one person's victim records and
// another's perpetrator records, and per kind of confusable pair the share
// of pairs of different people merged into one found person.
struct HouseholdRow {
  std::size_t people = 0, records = 0, found = 0;
  double precision = 0, recall = 0, f1 = 0, seconds = 0;
  std::size_t mixed = 0;  // Found people mixing victims and perpetrators.
  std::size_t review = 0, dual_role_review = 0;
  std::array<std::size_t, marac::kConfusableKindCount> pairs{}, merged{};
};

HouseholdRow EvaluateHouseholds(std::size_t people, std::uint64_t seed) {
  const marac::HouseholdPopulation population =
      marac::SyntheticHouseholds(people, seed);
  HouseholdRow row;
  row.people = people;
  row.records = population.records.size();
  const auto start = std::chrono::steady_clock::now();
  const marac::Result<marac::Resolution> r =
      marac::Resolve(population.records, {});
  row.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!r.ok()) {
    std::fprintf(stderr, "households %zu: %s\n", people,
                 r.status().ToString().c_str());
    return row;
  }
  std::vector<std::string> truth;
  truth.reserve(population.person.size());
  for (const std::uint32_t p : population.person) {
    truth.push_back(std::to_string(p));
  }
  const marac::PairwiseAccuracy accuracy =
      marac::EvaluatePairs(r->person_of, truth);
  row.precision = accuracy.precision();
  row.recall = accuracy.recall();
  row.f1 = accuracy.f1();
  row.review = r->review.size();
  for (const marac::ScoredPair& p : r->review) {
    row.dual_role_review += p.reason == marac::ReviewReason::kDualRole;
  }
  // Per found person: the true people of its victim and perpetrator
  // records; and per true person, the found people holding its records.
  std::unordered_map<std::string, std::set<std::uint32_t>> victims, offenders;
  std::vector<std::set<std::string>> found_of(population.person_count);
  for (std::size_t i = 0; i < population.records.size(); ++i) {
    const std::string& found = r->person_of[i];
    const std::uint32_t who = population.person[i];
    found_of[who].insert(found);
    if (population.records[i].role == marac::Role::kVictim) {
      victims[found].insert(who);
    } else if (population.records[i].role == marac::Role::kPerpetrator) {
      offenders[found].insert(who);
    }
  }
  std::set<std::string> all_found(r->person_of.begin(), r->person_of.end());
  row.found = all_found.size();
  for (const auto& [found, v] : victims) {
    const auto o = offenders.find(found);
    if (o == offenders.end()) continue;
    // Mixed when a victim record and a perpetrator record belong to two
    // different true people (one person in both roles is not a mix).
    const bool mixed = v.size() > 1 || o->second.size() > 1 ||
                       *v.begin() != *o->second.begin();
    row.mixed += mixed;
  }
  for (const marac::ConfusablePair& c : population.confusable) {
    const auto k = static_cast<std::size_t>(c.kind);
    ++row.pairs[k];
    const std::set<std::string>& a = found_of[c.a];
    const std::set<std::string>& b = found_of[c.b];
    const bool merged = std::any_of(
        a.begin(), a.end(), [&](const auto& f) { return b.contains(f); });
    row.merged[k] += merged;
  }
  return row;
}

void PrintHouseholds(const std::vector<std::size_t>& sizes) {
  std::printf(
      "\nhousehold generator (lib/synthetic/synthetic_households.h, seed "
      "%d)\n",
      kHouseholdSeed);
  std::printf("%-8s %8s %8s %9s %9s %9s %8s %7s %8s %9s  %s\n", "people",
              "records", "found", "precision", "recall", "F1", "mixed",
              "review", "dual", "seconds", "targets");
  std::vector<HouseholdRow> rows;
  for (const std::size_t people : sizes) {
    HouseholdRow row = EvaluateHouseholds(people, kHouseholdSeed);
    const bool met =
        row.mixed == 0 && row.precision >= 0.995 && row.f1 >= 0.97 && [&] {
          for (int k = 0; k < marac::kConfusableKindCount; ++k) {
            const auto ks = static_cast<std::size_t>(k);
            if (row.pairs[ks] > 0 &&
                static_cast<double>(row.merged[ks]) >
                    0.01 * static_cast<double>(row.pairs[ks])) {
              return false;
            }
          }
          return true;
        }();
    std::printf("%-8zu %8zu %8zu %9.4f %9.4f %9.4f %8zu %7zu %8zu %9.2f  %s\n",
                row.people, row.records, row.found, row.precision, row.recall,
                row.f1, row.mixed, row.review, row.dual_role_review,
                row.seconds,
                met ? "met"
                    : "NOT MET (0 mixed, P >= 0.995, F1 >= 0.97, "
                      "merged <= 1% per kind)");
    rows.push_back(row);
  }
  std::printf("\nmerged confusable pairs of different people, by kind\n");
  std::printf("%-18s", "kind");
  for (const HouseholdRow& row : rows) std::printf(" %22zu", row.people);
  std::printf("\n");
  for (int k = 0; k < marac::kConfusableKindCount; ++k) {
    const auto ks = static_cast<std::size_t>(k);
    std::printf("%-18s", std::string(marac::ConfusableKindName(
                                         static_cast<marac::ConfusableKind>(k)))
                             .c_str());
    for (const HouseholdRow& row : rows) {
      char cell[64];
      std::snprintf(cell, sizeof cell, "%zu of %zu (%.2f%%)", row.merged[ks],
                    row.pairs[ks],
                    row.pairs[ks] == 0
                        ? 0.0
                        : 100.0 * static_cast<double>(row.merged[ks]) /
                              static_cast<double>(row.pairs[ks]));
      std::printf(" %22s", cell);
    }
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  // [DATA_DIR] [--households N,N...]: the household sizes default to
  // 20,000 and 200,000 people.
  std::string dir = MARAC_SHARED_DATA;
  std::vector<std::size_t> household_sizes = {20'000, 200'000};
  bool only_households = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--households" && i + 1 < argc) {
      household_sizes.clear();
      std::stringstream list(argv[++i]);
      std::string item;
      while (std::getline(list, item, ',')) {
        household_sizes.push_back(std::stoul(item));
      }
      only_households = true;
    } else {
      dir = arg;
    }
  }
  if (only_households) {
    PrintHouseholds(household_sizes);
    return 0;
  }
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
  PrintHouseholds(household_sizes);
  return shown > 0 ? 0 : 1;
}
