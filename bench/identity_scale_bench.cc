// Identity resolution at scale: `marac link` end to end (load the CSV,
// block, train, score, cluster, write) on a million invented records, against
// a baseline in the same binary that loads the same CSV, groups records by
// exact normalised name and date of birth and writes the same output.
// Targets (issue): one million records in at most 60 s on 2 cores, peak
// memory at most 4 GiB (the peak_rss_mib counter, the process's peak).
//
//   build/bin/identity_scale_bench            # 1,000,000 records
//   MARAC_BENCH_SMALL=1 build/bin/identity_scale_bench   # 10,000
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/bench_data.h"
#include "bench/bench_people.h"
#include "bench/bench_report.h"
#include "lib/synthetic/synthetic_people.h"
#include "marac/identity/person_record.h"
#include "services/cli/commands.h"
#include "services/cli/record_csv.h"

namespace marac {
namespace {

// The invented records as the CSV `marac link` reads, written once.
struct Input {
  std::string csv;
  std::size_t records = 0;
  std::filesystem::path dir;
};

const Input& TheInput() {
  static const Input* const input = [] {
    auto* in = new Input();
    // About 1.5 records per person.
    const SyntheticPopulation people =
        SyntheticPeople(BenchCount(1'000'000) * 2 / 3, kBenchSeed);
    std::string& csv = in->csv;
    csv =
        "record_id,given_name,family_name,dob,gender,postcode,address_line,"
        "role\n";
    for (const PersonRecord& r : people.records) {
      csv += r.record_id + "," + CsvField(r.given_name) + "," +
             CsvField(r.family_name) + "," + r.dob + "," + r.gender + "," +
             r.postcode + "," + CsvField(r.address_line) + "," +
             (r.role == Role::kVictim ? "victim" : "perpetrator") + "\n";
    }
    in->records = people.records.size();
    in->dir = std::filesystem::temp_directory_path() /
              ("marac_scale_" + std::to_string(::getpid()));
    std::filesystem::create_directories(in->dir);
    std::ofstream(in->dir / "records.csv") << csv;
    return in;
  }();
  return *input;
}

// Baseline: read the same file, group by exact name and date, write.
void BM_ExactDedupe(benchmark::State& state) {
  const Input& in = TheInput();
  for (auto _ : state) {
    std::ifstream file(in.dir / "records.csv");
    std::stringstream text;
    text << file.rdbuf();
    std::vector<PersonRecord> records;
    const Status read =
        ReadRecordCsv(text.str(), "records.csv", RecordFormat::kMarac, records);
    if (!read.ok()) {
      state.SkipWithError(read.ToString().c_str());
      return;
    }
    std::unordered_map<std::string, std::size_t> person_of_key;
    std::ofstream out(in.dir / "exact.csv");
    out << "record_id,person_id\n";
    for (const PersonRecord& r : records) {
      const auto [it, inserted] = person_of_key.try_emplace(
          ExactNameDobKey(r), person_of_key.size() + 1);
      out << r.record_id << ",P" << it->second << "\n";
    }
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(in.records));
  state.counters["records"] = static_cast<double>(in.records);
}

// Contender: `marac link --in records.csv --out clusters.csv`, in process.
void BM_LinkEndToEnd(benchmark::State& state) {
  const Input& in = TheInput();
  const std::string in_path = (in.dir / "records.csv").string();
  const std::string out_path = (in.dir / "clusters.csv").string();
  for (auto _ : state) {
    std::vector<std::string> args = {"marac", "link",  "--in",
                                     in_path, "--out", out_path};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    std::istringstream stdin_text;
    std::ostringstream out;
    std::ostringstream err;
    const int status = RunMain(static_cast<int>(argv.size()), argv.data(),
                               stdin_text, out, err);
    if (status != 0) {
      state.SkipWithError(err.str().c_str());
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(in.records));
  state.counters["records"] = static_cast<double>(in.records);
  state.counters["peak_rss_mib"] = PeakRssMib();
}

// One run each: a million records take tens of seconds.
BENCHMARK(BM_ExactDedupe)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->Repetitions(1)
    ->UseRealTime();
BENCHMARK(BM_LinkEndToEnd)
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->Repetitions(1)
    ->UseRealTime();

}  // namespace
}  // namespace marac

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  std::error_code ignored;
  std::filesystem::remove_all(marac::TheInput().dir, ignored);
  return 0;
}
