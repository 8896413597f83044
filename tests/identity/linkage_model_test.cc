#include "marac/identity/linkage_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

#include "marac/identity/blocking.h"
#include "marac/identity/clustering.h"
#include "marac/identity/evaluation.h"
#include "tests/identity/febrl.h"

namespace marac {
namespace {

using ::testing::HasSubstr;

using PairList = std::vector<RecordPair>;

// The library's default rules over FEBRL (no postcode-level typo rule).
BlockingResult BlockFebrl(const std::vector<NormalisedRecord>& records) {
  const std::vector<BlockingRule> rules = DefaultBlockingRules();
  return Block(records, rules);
}

TEST(LinkageModelTest, RefusesWhatCannotBeTrained) {
  const std::vector<NormalisedRecord> one(1);
  EXPECT_THAT(LinkageModel::Train(one, {}, {}).status().message(),
              HasSubstr("records: at least two"));
  const std::vector<NormalisedRecord> two(2);
  EXPECT_THAT(LinkageModel::Train(two, {}, {}).status().message(),
              HasSubstr("passes: at least one"));
  const TrainingPass pass{{{0, 1}}, {}};
  EXPECT_THAT(LinkageModel::Train(two, {&pass, 1}, {}).status().message(),
              HasSubstr("candidate_pairs: no pairs"));
  const std::pair<std::uint32_t, std::uint32_t> bad[] = {{0, 5}};
  EXPECT_THAT(LinkageModel::Train(two, {&pass, 1}, bad).status().message(),
              HasSubstr("candidate_pairs: pair (0, 5)"));
}

TEST(LinkageModelTest, LearnsFebrlDuplicatesWithoutLabels) {
  struct Case {
    const char* file;
    double min_precision;
    double min_recall;
  };
  // Regression floors, names, DOB and postcode only (address and other ids
  // not yet compared, no clustering): the targets (FEBRL3 F1 0.995)
  // belong to the accuracy benchmark still to come.
  // Auto-link precision is the issue's own floor (a false merge costs more
  // than a miss); recall floors are today's figures, to catch regressions.
  const Case cases[] = {{"dataset1.csv", 0.995, 0.88},
                        {"dataset3.csv", 0.995, 0.79}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    Febrl febrl;
    if (!LoadFebrl(std::string(MARAC_SHARED_DATA "/febrl/") + c.file, febrl)) {
      GTEST_SKIP() << "../shared/data/febrl not present";
    }
    const BlockingResult blocking = BlockFebrl(febrl.records);
    const PairList& pairs = blocking.candidates;
    TrainingOptions options;
    options.u_sample_pairs = 50'000;
    const Result<LinkageModel> model =
        LinkageModel::Train(febrl.records, blocking.passes, pairs, options);
    ASSERT_TRUE(model.ok()) << model.status();

    // Exact agreement is evidence for a match, disagreement against.
    EXPECT_GT(model->m(LinkField::kFamilyName, 1),
              model->u(LinkField::kFamilyName, 1));
    EXPECT_LT(model->m(LinkField::kDateOfBirth, 7),
              model->u(LinkField::kDateOfBirth, 7));

    // Labels only to evaluate: links at p >= 0.99 (with term-frequency
    // adjustment) among the candidates.
    std::unordered_map<std::string, std::size_t> sizes;
    for (const std::string& e : febrl.entity) ++sizes[e];
    std::size_t true_pairs = 0;
    for (const auto& [e, k] : sizes) true_pairs += k * (k - 1) / 2;
    std::size_t tp = 0, fp = 0;
    for (const auto& [i, j] : pairs) {
      if (model->MatchProbability(febrl.records[i], febrl.records[j]) < 0.99) {
        continue;
      }
      (febrl.entity[i] == febrl.entity[j] ? tp : fp) += 1;
    }
    const double precision =
        static_cast<double>(tp) / static_cast<double>(tp + fp);
    const double recall =
        static_cast<double>(tp) / static_cast<double>(true_pairs);
    std::cout << c.file << " (names, DOB, postcode only): precision "
              << precision << ", recall " << recall << ", F1 "
              << 2 * precision * recall / (precision + recall) << ", "
              << pairs.size() << " candidate pairs\n";
    EXPECT_GE(precision, c.min_precision) << "tp " << tp << " fp " << fp;
    EXPECT_GE(recall, c.min_recall) << "tp " << tp << " of " << true_pairs;

    // The same after clustering: the pairs implied by the clusters.
    std::vector<ScoredPair> scored;
    for (const auto& [i, j] : pairs) {
      scored.push_back(
          {i, j, model->MatchProbability(febrl.records[i], febrl.records[j])});
    }
    const std::vector<PersonRecord> people(febrl.records.size());
    const Clustering clusters =
        Cluster(people, scored, [&](std::uint32_t i, std::uint32_t j) {
          return model->MatchProbability(febrl.records[i], febrl.records[j]);
        });
    std::vector<std::string> found;
    for (const std::uint32_t id : clusters.cluster_of) {
      found.push_back(std::to_string(id));
    }
    const PairwiseAccuracy clustered = EvaluatePairs(found, febrl.entity);
    const double cp = clustered.precision();
    const double cr = clustered.recall();
    std::cout << c.file << " clustered: precision " << cp << ", recall " << cr
              << ", F1 " << 2 * cp * cr / (cp + cr) << "\n";
    EXPECT_GE(cp, c.min_precision);
  }
}

TEST(LinkageModelTest, WaterfallSumsToTheWeightAndTrainingIsDeterministic) {
  Febrl febrl;
  if (!LoadFebrl(MARAC_SHARED_DATA "/febrl/dataset1.csv", febrl)) {
    GTEST_SKIP() << "../shared/data/febrl/dataset1.csv not present";
  }
  const BlockingResult blocking = BlockFebrl(febrl.records);
  const PairList& pairs = blocking.candidates;
  TrainingOptions options;
  options.u_sample_pairs = 20'000;
  const Result<LinkageModel> a =
      LinkageModel::Train(febrl.records, blocking.passes, pairs, options);
  const Result<LinkageModel> b =
      LinkageModel::Train(febrl.records, blocking.passes, pairs, options);
  ASSERT_TRUE(a.ok() && b.ok());
  for (int f = 0; f < kLinkFieldCount; ++f) {
    const auto field = static_cast<LinkField>(f);
    for (int l = 0; l < LevelCount(field); ++l) {
      EXPECT_EQ(a->m(field, l), b->m(field, l));
      EXPECT_EQ(a->u(field, l), b->u(field, l));
    }
  }
  const ComparisonVector v =
      Compare(febrl.records[pairs[0].first], febrl.records[pairs[0].second]);
  const std::vector<WeightTerm> terms = a->Explain(v);
  ASSERT_EQ(terms.size(), 1u + kLinkFieldCount);
  EXPECT_EQ(terms[0].field, "prior");
  double sum = 0;
  for (const WeightTerm& t : terms) sum += t.weight;
  EXPECT_NEAR(sum, a->MatchWeight(v), 1e-9);
}

TEST(LinkageModelTest, RareNameMatchWeighsMoreThanCommonOne) {
  // Invented population: many share "Rowe", one is "Quennell".
  std::vector<NormalisedRecord> records;
  for (int i = 0; i < 60; ++i) {
    PersonRecord r;
    r.given_name = "G" + std::to_string(i % 30);
    r.family_name = i < 40 ? "Rowe" : "F" + std::to_string(i);
    r.dob = "19" + std::to_string(50 + i % 40) + "-01-0" +
            std::to_string(1 + i % 9);
    records.push_back(Normalise(r));
  }
  PersonRecord rare;
  rare.given_name = "G1";
  rare.family_name = "Quennell";
  rare.dob = "1985-05-05";
  records.push_back(Normalise(rare));
  records.push_back(Normalise(rare));
  const std::vector<BlockingRule> rules = DefaultBlockingRules();
  const BlockingResult b = Block(records, rules);
  const Result<LinkageModel> model =
      LinkageModel::Train(records, b.passes, b.candidates, {});
  ASSERT_TRUE(model.ok()) << model.status();
  EXPECT_GT(model->FamilyNameFrequency("rowe"),
            model->FamilyNameFrequency("quennell"));

  // Same comparison levels apart from the surname's frequency.
  PersonRecord x;
  x.given_name = "Hal";
  x.family_name = "Rowe";
  PersonRecord y = x;
  y.family_name = "Quennell";
  const NormalisedRecord common = Normalise(x);
  const NormalisedRecord uncommon = Normalise(y);
  ASSERT_EQ(Compare(common, common), Compare(uncommon, uncommon));
  EXPECT_GT(model->MatchWeight(uncommon, uncommon),
            model->MatchWeight(common, common));
  const std::vector<WeightTerm> terms = model->Explain(uncommon, uncommon);
  EXPECT_EQ(terms.back().field, "family_name_frequency");
  EXPECT_GT(terms.back().weight, 0);
}

}  // namespace
}  // namespace marac
