#include "lib/synthetic/synthetic_people.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "marac/common/date.h"
#include "marac/identity/evaluation.h"
#include "marac/identity/resolver.h"

namespace marac {
namespace {

TEST(SyntheticPeopleTest, SameSeedSameRecordsWithTruth) {
  const SyntheticPopulation a = SyntheticPeople(300, 7);
  const SyntheticPopulation b = SyntheticPeople(300, 7);
  ASSERT_EQ(a.records.size(), b.records.size());
  for (std::size_t i = 0; i < a.records.size(); ++i) {
    EXPECT_EQ(a.records[i].record_id, b.records[i].record_id);
    EXPECT_EQ(a.records[i].family_name, b.records[i].family_name);
    EXPECT_EQ(a.records[i].dob, b.records[i].dob);
  }
  EXPECT_NE(SyntheticPeople(300, 8).records[0].dob, a.records[0].dob);
  ASSERT_EQ(a.person.size(), a.records.size());
  EXPECT_EQ(a.person_count, 300u);
  EXPECT_GT(a.records.size(), 300u) << "some people have repeat records";
  std::set<std::string> ids;
  for (const PersonRecord& r : a.records) {
    EXPECT_TRUE(ids.insert(r.record_id).second) << "record ids are unique";
    EXPECT_TRUE(r.dob.empty() || Date::Parse("dob", r.dob).ok()) << r.dob;
  }
}

TEST(SyntheticPeopleTest, RecordsOfOnePersonVaryLikeRealSystems) {
  const SyntheticPopulation p = SyntheticPeople(2000, 11);
  std::map<std::uint32_t, std::vector<std::size_t>> by_person;
  for (std::size_t i = 0; i < p.records.size(); ++i) {
    by_person[p.person[i]].push_back(i);
  }
  int differing_given = 0, differing_family = 0, missing_dob = 0, moved = 0;
  for (const auto& [person, records] : by_person) {
    const PersonRecord& first = p.records[records[0]];
    for (std::size_t k = 1; k < records.size(); ++k) {
      const PersonRecord& r = p.records[records[k]];
      differing_given += r.given_name != first.given_name;
      differing_family += r.family_name != first.family_name;
      missing_dob += r.dob.empty();
      moved += !r.postcode.empty() && r.postcode != first.postcode;
    }
  }
  EXPECT_GT(differing_given, 0) << "nicknames";
  EXPECT_GT(differing_family, 0) << "typos and new surnames";
  EXPECT_GT(missing_dob, 0);
  EXPECT_GT(moved, 0);
}

TEST(SyntheticPeopleTest, ResolverFindsRepeatVictimsExactMatchingMisses) {
  const SyntheticPopulation p = SyntheticPeople(500, 3);
  const Result<Resolution> r = Resolve(p.records, {});
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<std::string> truth;
  for (const std::uint32_t person : p.person) {
    truth.push_back(std::to_string(person));
  }
  const PairwiseAccuracy a = EvaluatePairs(r->person_of, truth);
  EXPECT_EQ(a.predicted_pairs - a.true_positives, 0u) << "no false merge";
  EXPECT_GE(a.recall(), 0.85);
}

TEST(SyntheticPeopleTest, ResolutionIsTheSameOnAnyNumberOfThreads) {
  // Enough pairs that comparing them is split between threads.
  const SyntheticPopulation population = SyntheticPeople(8000, 20261123);
  ResolveOptions one;
  one.keep_scores_from = 0;  // Every candidate's score.
  one.blocking.threads = 1;
  one.training.threads = 1;
  ResolveOptions two;
  two.keep_scores_from = 0;
  two.blocking.threads = 2;
  two.training.threads = 2;
  const Result<Resolution> a = Resolve(population.records, one);
  const Result<Resolution> b = Resolve(population.records, two);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_GT(a->scored.size(), 20'000u);
  EXPECT_EQ(a->scored.size(), a->candidate_pairs);
  EXPECT_EQ(a->person_of, b->person_of);
  ASSERT_EQ(a->scored.size(), b->scored.size());
  for (std::size_t k = 0; k < a->scored.size(); ++k) {
    // Bit for bit, not approximately.
    ASSERT_EQ(a->scored[k].probability, b->scored[k].probability) << k;
  }
  EXPECT_EQ(a->model->prior(), b->model->prior());
}

TEST(SyntheticPeopleTest, KeepingFewerScoresLeavesThePeopleAsTheyWere) {
  const SyntheticPopulation population = SyntheticPeople(3000, 20261124);
  ResolveOptions all;
  all.keep_scores_from = 0;
  ResolveOptions some;
  some.keep_scores_from = 0.5;
  const Result<Resolution> a = Resolve(population.records, all);
  const Result<Resolution> b = Resolve(population.records, some);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->person_of, b->person_of);
  EXPECT_EQ(a->candidate_pairs, b->candidate_pairs);
  EXPECT_LT(b->scored.size(), a->scored.size() / 2);
  for (const ScoredPair& p : b->scored) EXPECT_GE(p.probability, 0.5);
  // With bands below the kept scores, the clusters and review still match.
  ResolveOptions low_all = all;
  low_all.clustering.review_threshold = 0.002;
  low_all.clustering.link_threshold = 0.004;
  ResolveOptions low_some = low_all;
  low_some.keep_scores_from = 0.5;
  const Result<Resolution> c_all = Resolve(population.records, low_all);
  const Result<Resolution> c_some = Resolve(population.records, low_some);
  ASSERT_TRUE(c_all.ok() && c_some.ok());
  EXPECT_EQ(c_all->person_of, c_some->person_of);
  ASSERT_EQ(c_all->review.size(), c_some->review.size());
  ResolveOptions bad;
  bad.keep_scores_from = 1.5;
  const Result<Resolution> c = Resolve(population.records, bad);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("keep_scores_from"), std::string::npos);
  ResolveOptions no_budget;
  no_budget.blocking.max_pairs_per_record = -1;
  const Result<Resolution> d = Resolve(population.records, no_budget);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("blocking.max_pairs_per_record"),
            std::string::npos);
}

}  // namespace
}  // namespace marac
