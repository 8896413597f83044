// Durable referral writes (WAL, synchronous=FULL, acknowledged after
// COMMIT): the batching writer with concurrent clients, against single-row
// commits with the same settings and the same audit rows, in one run.
// Target (issue): at least 5,000 durable referral writes per second with
// batching.
//
// On PostgreSQL (synchronous commit), in the same run: the batching writer
// on one store connection (one server) against the same on SQLite (target
// at least 0.5), and two connections, each with its own writer and half the
// clients (two servers), against one (target at least 1.5). The bench
// starts a throwaway server with scripts/test-postgres.
//
//   build/bin/store_bench
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_data.h"
#include "marac/store/referral_writer.h"
#include "marac/store/store.h"

namespace marac {
namespace {

const Actor kReferrer{"u-017", "referrer", "Police", ""};

// The victim and perpetrator records the referrals name.
bool PutPeople(Store& store) {
  PersonRecord v;
  v.record_id = "V1";
  v.given_name = "Elspeth";
  v.family_name = "Marlowe";
  v.role = Role::kVictim;
  PersonRecord x = v;
  x.record_id = "X1";
  x.role = Role::kPerpetrator;
  const std::vector<PersonRecord> records = {v, x};
  return store.PutRecords(kReferrer, records).ok();
}

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
    if (!PutPeople(*store)) store.reset();
  }
  ~TempStore() {
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

// A PostgreSQL server for the run (scripts/test-postgres), stopped at exit.
class PostgresServer {
 public:
  static PostgresServer& Get() {
    static PostgresServer server;
    return server;
  }
  // "postgresql://postgres@127.0.0.1:PORT", or empty when none started.
  const std::string& address() const { return address_; }
  ~PostgresServer() {
    if (!address_.empty()) {
      (void)std::system((Script() + " stop " + dir_ + " >/dev/null").c_str());
    }
  }

 private:
  PostgresServer()
      : dir_("/tmp/marac-postgres-bench-" + std::to_string(::getpid())) {
    if (std::system((Script() + " start " + dir_ + " >/dev/null").c_str()) !=
        0) {
      return;
    }
    std::ifstream uri(dir_ + "/uri");
    std::getline(uri, address_);
  }
  static std::string Script() {
    return std::string(MARAC_SOURCE_DIR) + "/scripts/test-postgres";
  }
  std::string dir_;
  std::string address_;
};

// `connections` connections to one fresh PostgreSQL database, with the two
// records; empty when there is no server.
std::vector<std::unique_ptr<Store>> PostgresStores(const std::string& name,
                                                   int connections) {
  std::vector<std::unique_ptr<Store>> out;
  const std::string& server = PostgresServer::Get().address();
  if (server.empty()) return out;
  const std::string db = "bench_" + name;
  const std::string admin = "psql -q '" + server + "/postgres' -c 'DROP " +
                            "DATABASE IF EXISTS " + db + " WITH (FORCE)' " +
                            "-c 'CREATE DATABASE " + db + "' >/dev/null 2>&1";
  if (std::system(admin.c_str()) != 0) return out;
  for (int k = 0; k < connections; ++k) {
    Result<std::unique_ptr<Store>> s = OpenStore(server + "/" + db);
    if (!s.ok()) return {};
    out.push_back(*std::move(s));
  }
  if (!PutPeople(*out.front())) return {};
  return out;
}

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

// kClients threads, split evenly over `stores`, each submitting through its
// store's writer and waiting for the commit before the next, as service
// handlers would; `state` counts the acknowledged writes.
void RunWriters(benchmark::State& state, std::vector<Store*> stores) {
  constexpr int kClients = 32;
  const std::int64_t each = BenchCount(1'000'000) >= 1'000'000 ? 500 : 20;
  std::int64_t written = 0;
  std::size_t batches = 0;
  for (auto _ : state) {
    std::vector<std::unique_ptr<ReferralWriter>> writers;
    for (Store* store : stores) {
      writers.push_back(std::make_unique<ReferralWriter>(*store));
    }
    std::atomic<std::int64_t> ok{0};
    std::vector<std::thread> clients;
    const std::int64_t base = written;
    for (int c = 0; c < kClients; ++c) {
      clients.emplace_back([&, c] {
        ReferralWriter& writer =
            *writers[static_cast<std::size_t>(c) % writers.size()];
        for (std::int64_t k = 0; k < each; ++k) {
          const std::string id = std::to_string(base) + "-" +
                                 std::to_string(c) + "-" + std::to_string(k);
          if (writer.Submit(kReferrer, Referral(id)).get().ok()) ++ok;
        }
      });
    }
    for (std::thread& c : clients) c.join();
    for (const auto& writer : writers) batches += writer->batches();
    written += ok.load();
  }
  state.SetItemsProcessed(written);
  state.counters["referrals_per_commit"] =
      batches > 0 ? static_cast<double>(written) / static_cast<double>(batches)
                  : 0;
}

// Contender: the writer on SQLite.
void BM_BatchedWriter(benchmark::State& state) {
  TempStore t("batched");
  if (!t.store) {
    state.SkipWithError("cannot open the store");
    return;
  }
  RunWriters(state, {t.store.get()});
}

// The writer on PostgreSQL: one server's connection.
void BM_PostgresOneServer(benchmark::State& state) {
  const std::vector<std::unique_ptr<Store>> stores = PostgresStores("one", 1);
  if (stores.empty()) {
    state.SkipWithError("no PostgreSQL server (scripts/test-postgres)");
    return;
  }
  RunWriters(state, {stores[0].get()});
}

// Two servers' connections to one database, the clients split between.
void BM_PostgresTwoServers(benchmark::State& state) {
  const std::vector<std::unique_ptr<Store>> stores = PostgresStores("two", 2);
  if (stores.empty()) {
    state.SkipWithError("no PostgreSQL server (scripts/test-postgres)");
    return;
  }
  RunWriters(state, {stores[0].get(), stores[1].get()});
}

BENCHMARK(BM_SingleRowCommits)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_BatchedWriter)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PostgresOneServer)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_PostgresTwoServers)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace marac

BENCHMARK_MAIN();
