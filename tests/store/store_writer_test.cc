// The SQLite store. The referral writer: batches, a full queue, a full disk,
// and acknowledged writes surviving a kill.
#include "tests/store/store_fixture.h"

namespace marac::store_test {
namespace {

TEST_F(StoreTest, SubmitEachRefusesOneAndWritesTheRest) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  StoredReferral unknown = Referral("R2", "sub-2");
  unknown.victim_record_id = "NOPE";
  const Actor idva{"u-031", "idva", "IDVA-North", ""};
  const std::vector<Store::Submission> batch = {
      {kCoordinator, Referral("R1", "sub-1")},
      {idva, unknown},
      {idva, Referral("R3", "sub-3")},
      {kCoordinator, Referral("R9", "sub-1")}};  // A retry of the first.
  const Result<std::vector<Result<SubmitOutcome>>> out =
      store->SubmitEach(batch);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->size(), 4u);
  EXPECT_TRUE((*out)[0].ok());
  ASSERT_FALSE((*out)[1].ok());
  EXPECT_THAT((*out)[1].status().message(),
              HasSubstr("referral.victim_record_id"));
  EXPECT_TRUE((*out)[2].ok());
  ASSERT_TRUE((*out)[3].ok());
  EXPECT_TRUE((*out)[3]->duplicate);
  EXPECT_EQ((*out)[3]->referral_id, "R1");
  EXPECT_EQ(Count("referrals"), 2);
  // One audit row each, under each caller's name.
  const Actor auditor{"u-900", "auditor", "IG", "check"};
  const Result<std::vector<AuditEntry>> audit = store->Audit(auditor, 0, 100);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> rows;
  for (const AuditEntry& e : *audit) {
    if (e.object_type == "referral") rows.push_back(e.user + " " + e.outcome);
  }
  EXPECT_THAT(rows, ::testing::ElementsAre("u-017 ok", "u-031 INVALID_ARGUMENT",
                                           "u-031 ok", "u-017 ok"));
}

TEST_F(StoreTest, TheWriterBatchesConcurrentSubmissionsAndAnswersAfterCommit) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  constexpr int kThreads = 6;
  constexpr int kEach = 60;
  std::size_t batches = 0;
  {
    ReferralWriter writer(*store);
    std::vector<std::thread> clients;
    std::vector<int> ok(kThreads, 0);
    for (int t = 0; t < kThreads; ++t) {
      clients.emplace_back([&, t] {
        for (int k = 0; k < kEach; ++k) {
          const std::string id =
              "R" + std::to_string(t) + "-" + std::to_string(k);
          Result<SubmitOutcome> r =
              writer.Submit(kCoordinator, Referral(id, "sub-" + id)).get();
          if (r.ok() && !r->duplicate) ++ok[static_cast<std::size_t>(t)];
        }
      });
    }
    for (std::thread& c : clients) c.join();
    for (const int n : ok) EXPECT_EQ(n, kEach);
    batches = writer.batches();
    writer.Stop();
    const Result<SubmitOutcome> late =
        writer.Submit(kCoordinator, Referral("late", "sub-late")).get();
    EXPECT_EQ(late.status().code(), StatusCode::kUnavailable);
  }
  EXPECT_EQ(Count("referrals"), kThreads * kEach);
  EXPECT_LE(batches, static_cast<std::size_t>(kThreads * kEach));
  EXPECT_GT(batches, 0u);
}

TEST_F(StoreTest, AFullWriterQueueRefusesAtOnce) {
  std::unique_ptr<Store> store = Open();
  ASSERT_TRUE(PutVictimAndPerpetrator(*store).ok());
  ReferralWriter writer(*store, {.max_batch = 1, .max_queue = 1});
  std::vector<std::future<Result<SubmitOutcome>>> futures;
  for (int k = 0; k < 50; ++k) {
    const std::string id = "R" + std::to_string(k);
    futures.push_back(writer.Submit(kCoordinator, Referral(id, "sub-" + id)));
  }
  int refused = 0;
  int written = 0;
  for (auto& f : futures) {
    const Result<SubmitOutcome> r = f.get();
    if (r.ok()) {
      ++written;
    } else {
      EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
      EXPECT_THAT(r.status().message(), HasSubstr("queue is full"));
      ++refused;
    }
  }
  EXPECT_GT(refused, 0);
  EXPECT_EQ(Count("referrals"), written);
}

TEST_F(StoreTest, AFullDiskIsUnavailableAndLosesNothingAcknowledged) {
  if (postgres()) {
    GTEST_SKIP() << "a page quota is SQLite's (StoreOptions::max_pages); "
                    "PostgreSQL's space is its server's to limit";
  }
  {
    std::unique_ptr<Store> store = Open();
    const std::vector<PersonRecord> records = {
        Person("V1", "Elspeth", "Marlowe", Role::kVictim),
        Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
    ASSERT_TRUE(store->PutRecords(kCoordinator, records).ok());
  }
  // The same file with a quota just above its size: writes fill it.
  const std::int64_t pages =
      static_cast<std::int64_t>(std::filesystem::file_size(Path()) / 4096) + 8;
  std::unique_ptr<Store> store = Open({.max_pages = pages});
  ASSERT_NE(store, nullptr);
  std::set<std::string> acknowledged;
  Status last;
  for (int k = 0; k < 5000 && last.ok(); ++k) {
    const std::string id = "R" + std::to_string(k);
    StoredReferral r = Referral(id, "sub-" + id);
    r.criteria.assign(20, std::string(200, 'c'));  // Fill pages quickly.
    const std::vector<StoredReferral> one = {r};
    const Result<std::vector<SubmitOutcome>> out =
        store->SubmitReferrals(kCoordinator, one);
    last = out.status();
    if (out.ok()) acknowledged.insert(id);
  }
  ASSERT_FALSE(last.ok()) << "the quota was never reached";
  EXPECT_EQ(last.code(), StatusCode::kUnavailable);
  EXPECT_THAT(last.message(), HasSubstr("disk is full"));
  ASSERT_FALSE(acknowledged.empty());
  store.reset();
  std::unique_ptr<Store> reopened = Open();
  const Result<std::vector<StoredReferral>> all =
      reopened->Referrals(kCoordinator, "", std::nullopt);
  ASSERT_TRUE(all.ok());
  std::set<std::string> stored;
  for (const StoredReferral& r : *all) stored.insert(r.referral_id);
  EXPECT_EQ(stored, acknowledged);
}

TEST_F(StoreTest, AcknowledgedWritesSurviveAKill) {
  {
    std::unique_ptr<Store> store = Open();
    const std::vector<PersonRecord> records = {
        Person("V1", "Elspeth", "Marlowe", Role::kVictim),
        Person("X1", "Corin", "Ashby", Role::kPerpetrator)};
    ASSERT_TRUE(store->PutRecords(kCoordinator, records).ok());
  }
  const std::string location = Location();
  std::set<std::string> acknowledged;
  for (int round = 0; round < 3; ++round) {
    int pipe_fds[2];
    ASSERT_EQ(pipe(pipe_fds), 0);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // The writer: acknowledges each referral on the pipe after commit.
      close(pipe_fds[0]);
      Result<std::unique_ptr<Store>> store = OpenStore(location);
      if (!store.ok()) _exit(2);
      for (int k = 0;; ++k) {
        const std::string id =
            "R" + std::to_string(round) + "-" + std::to_string(k);
        const std::vector<StoredReferral> one = {Referral(id, "sub-" + id)};
        if (!(*store)->SubmitReferrals(kCoordinator, one).ok()) _exit(3);
        const std::string line = id + "\n";
        if (write(pipe_fds[1], line.data(), line.size()) < 0) _exit(4);
      }
    }
    close(pipe_fds[1]);
    usleep(static_cast<useconds_t>(150'000 + 50'000 * round));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    std::string text;
    char buffer[4096];
    for (ssize_t n; (n = read(pipe_fds[0], buffer, sizeof buffer)) > 0;) {
      text.append(buffer, static_cast<std::size_t>(n));
    }
    close(pipe_fds[0]);
    std::size_t start = 0;
    for (std::size_t end; (end = text.find('\n', start)) != std::string::npos;
         start = end + 1) {
      acknowledged.insert(text.substr(start, end - start));
    }
  }
  ASSERT_GT(acknowledged.size(), 3u) << "the writer made progress";
  std::unique_ptr<Store> store = Open();
  ASSERT_NE(store, nullptr) << "reopens after the kills";
  const Result<std::vector<StoredReferral>> all =
      store->Referrals(kCoordinator, "", std::nullopt);
  ASSERT_TRUE(all.ok());
  std::set<std::string> stored;
  for (const StoredReferral& r : *all) stored.insert(r.referral_id);
  for (const std::string& id : acknowledged) {
    EXPECT_TRUE(stored.contains(id)) << id << " was acknowledged but lost";
  }
}

}  // namespace
}  // namespace marac::store_test
