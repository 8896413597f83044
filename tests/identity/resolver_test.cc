// Resolve under a deadline: no deadline, or one that never passes, gives
// the same resolution; a deadline that passes at any of its checks stops it
// with kDeadlineExceeded naming the step; a cancelled caller with
// kCancelled. Everyone here is invented (lib/synthetic).
#include "marac/identity/resolver.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <limits>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "lib/synthetic/synthetic_people.h"
#include "tests/common/late_caller.h"

namespace marac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsSupersetOf;
using ::testing::StartsWith;

constexpr std::uint64_t kSeed = 20260301;

// Few u pairs, so that the scan below stays short; nothing else changed.
ResolveOptions SmallOptions() {
  ResolveOptions options;
  options.training.u_sample_pairs = 20'000;
  return options;
}

void ExpectSameResolution(const Resolution& got, const Resolution& want) {
  EXPECT_EQ(got.person_of, want.person_of);
  EXPECT_EQ(got.next_person_number, want.next_person_number);
  EXPECT_EQ(got.candidate_pairs, want.candidate_pairs);
  ASSERT_EQ(got.scored.size(), want.scored.size());
  for (std::size_t k = 0; k < got.scored.size(); ++k) {
    EXPECT_EQ(got.scored[k].a, want.scored[k].a);
    EXPECT_EQ(got.scored[k].b, want.scored[k].b);
    EXPECT_EQ(got.scored[k].probability, want.scored[k].probability);
  }
  ASSERT_EQ(got.review.size(), want.review.size());
  for (std::size_t k = 0; k < got.review.size(); ++k) {
    EXPECT_EQ(got.review[k].a, want.review[k].a);
    EXPECT_EQ(got.review[k].b, want.review[k].b);
  }
  ASSERT_EQ(got.model.has_value(), want.model.has_value());
  if (got.model) {
    EXPECT_EQ(got.model->prior(), want.model->prior());
  }
}

TEST(ResolverTest, ADeadlineThatNeverPassesChangesNothing) {
  const SyntheticPopulation people = SyntheticPeople(200, kSeed);
  const Result<Resolution> plain = Resolve(people.records, SmallOptions());
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_TRUE(plain->model.has_value());
  for (const unsigned threads : {1u, 2u}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    const LateCaller never_late;
    ResolveOptions options = SmallOptions();
    options.training.threads = threads;
    options.blocking.threads = threads;
    options.deadline = never_late.deadline();
    const Result<Resolution> timed = Resolve(people.records, options);
    ASSERT_TRUE(timed.ok()) << timed.status();
    ExpectSameResolution(*timed, *plain);
    EXPECT_GT(never_late.reads(), 10);  // It was asked, all along.
  }
}

TEST(ResolverTest, ProgressCoversEveryStepAndChangesNothing) {
  const SyntheticPopulation people = SyntheticPeople(200, kSeed);
  const Result<Resolution> plain = Resolve(people.records, SmallOptions());
  ASSERT_TRUE(plain.ok()) << plain.status();
  for (const unsigned threads : {1u, 2u}) {
    SCOPED_TRACE("threads " + std::to_string(threads));
    struct Report {
      std::string step;
      std::size_t done;
      std::size_t total;
    };
    std::vector<Report> reports;
    ResolveOptions options = SmallOptions();
    options.training.threads = threads;
    options.blocking.threads = threads;
    options.progress = [&](std::string_view step, std::size_t done,
                           std::size_t total) {
      reports.push_back({std::string(step), done, total});
    };
    const Result<Resolution> reported = Resolve(people.records, options);
    ASSERT_TRUE(reported.ok()) << reported.status();
    ExpectSameResolution(*reported, *plain);
    std::vector<std::string> steps;
    for (std::size_t k = 0; k < reports.size(); ++k) {
      const Report& r = reports[k];
      SCOPED_TRACE(r.step + " " + std::to_string(r.done));
      EXPECT_LE(r.done, r.total);
      const bool first = steps.empty() || steps.back() != r.step;
      if (first) {
        steps.push_back(r.step);
        EXPECT_EQ(r.done, 0u) << "a step starts at 0";
      } else {
        EXPECT_GE(r.done, reports[k - 1].done) << "and only counts up";
      }
      const bool last =
          k + 1 == reports.size() || reports[k + 1].step != r.step;
      if (last) {
        EXPECT_EQ(r.done, r.total) << "and ends at its total";
      }
    }
    EXPECT_THAT(
        steps,
        ElementsAre("normalising records", "blocking records",
                    "comparing candidate pairs", "training the linkage model",
                    "weighting records", "scoring candidate pairs",
                    "clustering records", "numbering people"));
  }
}

TEST(ResolverTest, APassedDeadlineStopsItBeforeItStarts) {
  const SyntheticPopulation people = SyntheticPeople(50, kSeed);
  ResolveOptions options = SmallOptions();
  options.deadline =
      Deadline::At(std::chrono::steady_clock::now() - std::chrono::seconds(1));
  const Result<Resolution> r = Resolve(people.records, options);
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(r.status().message(),
            "resolving records: normalising: the deadline passed");
}

TEST(ResolverTest, ADeadlinePassingAtAnyCheckStopsItThere) {
  const SyntheticPopulation people = SyntheticPeople(200, kSeed);
  const Result<Resolution> plain = Resolve(people.records, SmallOptions());
  ASSERT_TRUE(plain.ok()) << plain.status();
  // Late from the k-th check on, for k = 0, 1, ... until one finishes.
  LateCaller caller;
  std::set<std::string> steps;
  for (int k = 0;; ++k) {
    ASSERT_LT(k, 1000) << "resolution never finished";
    SCOPED_TRACE("late from check " + std::to_string(k));
    caller.LateAfter(k);
    ResolveOptions options = SmallOptions();
    options.deadline = caller.deadline();
    const Result<Resolution> r = Resolve(people.records, options);
    if (r.ok()) {
      ExpectSameResolution(*r, *plain);
      break;
    }
    ASSERT_EQ(r.status().code(), StatusCode::kDeadlineExceeded) << r.status();
    const std::string& message = r.status().message();
    EXPECT_THAT(message, StartsWith("resolving records: "));
    EXPECT_THAT(message, HasSubstr(": the deadline passed"));
    steps.insert(message.substr(0, message.rfind(": the deadline passed")));
  }
  EXPECT_THAT(steps, IsSupersetOf({"resolving records: normalising",
                                   "resolving records: blocking",
                                   "resolving records: comparing candidate "
                                   "pairs",
                                   "resolving records: training the linkage "
                                   "model",
                                   "resolving records: scoring",
                                   "resolving records: clustering"}));
}

TEST(ResolverTest, ACancelledCallerStopsItWithCancelled) {
  const SyntheticPopulation people = SyntheticPeople(50, kSeed);
  const LateCaller gone(std::numeric_limits<int>::max(), /*cancelled=*/true);
  ResolveOptions options = SmallOptions();
  options.deadline = Deadline::UntilCancelled(&gone);
  const Result<Resolution> r = Resolve(people.records, options);
  EXPECT_EQ(r.status().code(), StatusCode::kCancelled);
  EXPECT_THAT(r.status().message(), HasSubstr("the caller cancelled"));
}

TEST(ResolverTest, TrainingAloneStopsAtItsDeadline) {
  const SyntheticPopulation people = SyntheticPeople(100, kSeed);
  std::vector<NormalisedRecord> records;
  for (const PersonRecord& r : people.records) records.push_back(Normalise(r));
  const BlockingResult blocking = Block(records, DefaultBlockingRules());
  ASSERT_FALSE(blocking.candidates.empty());
  TrainingOptions options;
  options.deadline =
      Deadline::At(std::chrono::steady_clock::now() - std::chrono::seconds(1));
  const Result<LinkageModel> model = LinkageModel::Train(
      records, blocking.passes, blocking.candidates, options);
  EXPECT_EQ(model.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(model.status().message(),
            "training the linkage model: the deadline passed");
  options.deadline = {};
  EXPECT_TRUE(LinkageModel::Train(records, blocking.passes, blocking.candidates,
                                  options)
                  .ok());
}

}  // namespace
}  // namespace marac
