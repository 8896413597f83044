// Pair scoring speed: comparing two records field by field into levels and
// weighing them with the trained model (what `marac link` does per candidate
// pair), against a baseline that only tests exact equality of the same
// fields of the same pairs. Target: at least 2 million scored pairs per
// second on one core.
//
//   build/bin/identity_bench
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "bench/bench_data.h"
#include "lib/synthetic/synthetic_people.h"
#include "marac/identity/blocking.h"
#include "marac/identity/linkage_model.h"

namespace marac {
namespace {

struct PairInput {
  std::vector<NormalisedRecord> records;
  std::vector<RecordPair> pairs;
  std::optional<LinkageModel> model;
};

// Invented people, blocked and trained once, outside any timed loop.
const PairInput& Input() {
  static const PairInput* const input = [] {
    auto* in = new PairInput();
    const SyntheticPopulation people =
        SyntheticPeople(BenchCount(40'000) / 2, kBenchSeed);
    for (const PersonRecord& r : people.records) {
      in->records.push_back(Normalise(r));
    }
    const std::vector<BlockingRule> rules = DefaultBlockingRules();
    BlockingResult b = Block(in->records, rules);
    in->pairs = std::move(b.candidates);
    Result<LinkageModel> model =
        LinkageModel::Train(in->records, b.passes, in->pairs, {});
    if (model.ok()) in->model = *std::move(model);
    return in;
  }();
  return *input;
}

// Baseline: exact equality of the same fields.
void BM_ExactEquality(benchmark::State& state) {
  const PairInput& in = Input();
  std::uint64_t agree = 0;
  for (auto _ : state) {
    for (const auto& [i, j] : in.pairs) {
      const NormalisedRecord& a = in.records[i];
      const NormalisedRecord& b = in.records[j];
      agree += static_cast<std::uint64_t>(
          (a.given == b.given) + (a.family == b.family) + (a.dob == b.dob) +
          (a.raw_postcode == b.raw_postcode) + (a.gender == b.gender));
    }
    benchmark::DoNotOptimize(agree);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(in.pairs.size()));
}

// Contender: comparison levels and the model's weight (term-frequency
// adjustment included), as marac link scores each candidate.
void BM_ScorePairs(benchmark::State& state) {
  const PairInput& in = Input();
  if (!in.model) {
    state.SkipWithError("the model could not be trained");
    return;
  }
  // As Resolve does: each record's term-frequency weights once, then per
  // pair the comparison and its weight.
  std::vector<LinkageModel::FrequencyTerms> terms;
  for (const NormalisedRecord& r : in.records) {
    terms.push_back(in.model->TermsOf(r));
  }
  const NicknameTable& nicknames = NicknameTable::BuiltIn();
  double total = 0;
  for (auto _ : state) {
    for (const auto& [i, j] : in.pairs) {
      total += in.model->MatchWeight(
          Compare(in.records[i], in.records[j], nicknames), terms[i], terms[j]);
    }
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(in.pairs.size()));
}

BENCHMARK(BM_ExactEquality)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ScorePairs)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace marac

BENCHMARK_MAIN();
