// Durable referral writes (WAL, synchronous=FULL, acknowledged after
// COMMIT): the batching writer with concurrent clients, against single-row
// commits with the same settings and the same audit rows, in one run.
// Target (issue): at least 5,000 durable referral writes per second with
// batching.
//
//   build/bin/store_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_data.h"
#include "marac/store/referral_writer.h"
#include "marac/store/store.h"

namespace marac {
namespace {

const Actor kReferrer{"u-017", "referrer", "Police", ""};

// A fresh store beside the binary's temp files, with one victim and one
// perpetrator record to refer.
struct TempStore {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  explicit TempStore(const std::string& name) {
    dir = std::filesystem::temp_directory_path() /
          ("marac-store-bench-" + std::to_string(::getpid()) + "-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    Result<std::unique_ptr<Store>> s = OpenSqliteStore((dir / "b.db").string());
    if (!s.ok()) return;
    store = *std::move(s);
    PersonRecord v;
    v.record_id = "V1";
    v.given_name = "Elspeth";
    v.family_name = "Marlowe";
    v.role = Role::kVictim;
    PersonRecord x = v;
    x.record_id = "X1";
    x.role = Role::kPerpetrator;
    const std::vector<PersonRecord> records = {v, x};
    if (!store->PutRecords(kReferrer, records).ok()) store.reset();
  }
  ~TempStore() {
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

StoredReferral Referral(const std::string& id) {
  StoredReferral r;
  r.referral_id = id;
  r.submission_id = "sub-" + id;
  r.area = "North";
  r.agency = "Police";
  r.source = ReferralSource::kPolice;
  r.referred_on = Date::FromDays(20'500);
  r.victim_record_id = "V1";
  r.perpetrator_record_ids = {"X1"};
  r.criteria = {"visible_high_risk"};
  r.children_in_household = 1;
  return r;
}

// Baseline: each referral its own transaction and fsync.
void BM_SingleRowCommits(benchmark::State& state) {
  TempStore t("single");
  if (!t.store) {
    state.SkipWithError("cannot open the store");
    return;
  }
  std::int64_t n = 0;
  for (auto _ : state) {
    const std::vector<StoredReferral> one = {Referral(std::to_string(n++))};
    if (!t.store->SubmitReferrals(kReferrer, one).ok()) {
      state.SkipWithError("write failed");
      return;
    }
  }
  state.SetItemsProcessed(n);
}

// Contender: kClients threads each submitting through the writer and
// waiting for the commit before the next, as service handlers would.
void BM_BatchedWriter(benchmark::State& state) {
  constexpr int kClients = 32;
  TempStore t("batched");
  if (!t.store) {
    state.SkipWithError("cannot open the store");
    return;
  }
  const std::int64_t each = BenchCount(1'000'000) >= 1'000'000 ? 500 : 20;
  std::int64_t written = 0;
  std::size_t batches = 0;
  for (auto _ : state) {
    ReferralWriter writer(*t.store);
    std::atomic<std::int64_t> ok{0};
    std::vector<std::thread> clients;
    const std::int64_t base = written;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        for (std::int64_t k = 0; k < each; ++k) {
          const std::string id = std::to_string(base) + "-" +
                                 std::to_string(c) + "-" + std::to_string(k);
          if (writer.Submit(kReferrer, Referral(id)).get().ok()) ++ok;
        }
      });
    }
    for (std::thread& c : clients) c.join();
    batches += writer.batches();
    written += ok.load();
  }
  state.SetItemsProcessed(written);
  state.counters["referrals_per_commit"] =
      batches > 0 ? static_cast<double>(written) / static_cast<double>(batches)
                  : 0;
}

BENCHMARK(BM_SingleRowCommits)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_BatchedWriter)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace marac

BENCHMARK_MAIN();
