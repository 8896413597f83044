#include "marac/identity/linkage_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

namespace marac {
namespace {

using ::testing::HasSubstr;

struct Febrl {
  std::vector<NormalisedRecord> records;
  std::vector<std::string> entity;  // The <N> of rec-<N>-org / rec-<N>-dup-k.
};

// Reads a FEBRL file (comma and space separated; dates YYYYMMDD).
bool LoadFebrl(const std::string& path, Febrl& out) {
  std::ifstream file(path);
  if (!file) return false;
  std::string line;
  std::getline(file, line);  // Header.
  while (std::getline(file, line)) {
    std::vector<std::string> fields;
    std::stringstream row(line);
    std::string field;
    while (std::getline(row, field, ',')) {
      if (!field.empty() && field[0] == ' ') field.erase(0, 1);
      fields.push_back(field);
    }
    if (fields.size() < 11) continue;
    PersonRecord r;
    r.record_id = fields[0];
    r.given_name = fields[1];
    r.family_name = fields[2];
    r.postcode = fields[7];
    const std::string& d = fields[9];
    if (d.size() == 8)
      r.dob = d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2);
    out.records.push_back(Normalise(r));
    const std::size_t a = r.record_id.find('-');
    const std::size_t b = r.record_id.find('-', a + 1);
    out.entity.push_back(r.record_id.substr(a + 1, b - a - 1));
  }
  return true;
}

using PairList = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// Pairs of records whose `key_of` agree (and is not empty).
template <typename KeyOf>
PairList Rule(const std::vector<NormalisedRecord>& records, KeyOf key_of) {
  std::unordered_map<std::string, std::vector<std::uint32_t>> blocks;
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    const std::string key = key_of(records[i]);
    if (!key.empty()) blocks[key].push_back(i);
  }
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (const auto& [key, members] : blocks) {
    for (std::size_t x = 0; x < members.size(); ++x) {
      for (std::size_t y = x + 1; y < members.size(); ++y) {
        pairs.emplace(members[x], members[y]);
      }
    }
  }
  return {pairs.begin(), pairs.end()};
}

struct Blocking {
  std::vector<TrainingPass> passes;
  PairList candidates;  // The union of the rules.
};

// Three rules: same DOB, same family name, same postcode and given name.
Blocking Block(const std::vector<NormalisedRecord>& records) {
  Blocking b;
  b.passes.push_back(
      {Rule(records, [](const NormalisedRecord& r) { return r.dob; }),
       {LinkField::kDateOfBirth}});
  b.passes.push_back(
      {Rule(records, [](const NormalisedRecord& r) { return r.family; }),
       {LinkField::kFamilyName}});
  b.passes.push_back({Rule(records,
                           [](const NormalisedRecord& r) {
                             return r.raw_postcode.empty() || r.given.empty()
                                        ? std::string()
                                        : r.raw_postcode + "|" + r.given;
                           }),
                      {LinkField::kPostcode, LinkField::kGivenName}});
  std::set<std::pair<std::uint32_t, std::uint32_t>> all;
  for (const TrainingPass& p : b.passes)
    all.insert(p.pairs.begin(), p.pairs.end());
  b.candidates.assign(all.begin(), all.end());
  return b;
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
  Febrl febrl;
  if (!LoadFebrl(MARAC_SHARED_DATA "/febrl/dataset1.csv", febrl)) {
    GTEST_SKIP() << "../shared/data/febrl/dataset1.csv not present";
  }
  ASSERT_EQ(febrl.records.size(), 1000u);
  const Blocking blocking = Block(febrl.records);
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

  // Labels only to evaluate: links at p >= 0.99 among the candidates.
  std::size_t true_pairs = 0;
  for (std::size_t i = 0; i < febrl.records.size(); ++i) {
    for (std::size_t j = i + 1; j < febrl.records.size(); ++j) {
      true_pairs += febrl.entity[i] == febrl.entity[j];
    }
  }
  std::size_t tp = 0, fp = 0;
  for (const auto& [i, j] : pairs) {
    const ComparisonVector v = Compare(febrl.records[i], febrl.records[j]);
    if (model->MatchProbability(v) < 0.99) continue;
    (febrl.entity[i] == febrl.entity[j] ? tp : fp) += 1;
  }
  const double precision =
      static_cast<double>(tp) / static_cast<double>(tp + fp);
  const double recall =
      static_cast<double>(tp) / static_cast<double>(true_pairs);
  RecordProperty("precision", std::to_string(precision));
  RecordProperty("recall", std::to_string(recall));
  EXPECT_EQ(true_pairs, 500u);
  EXPECT_GE(precision, 0.99) << "tp " << tp << " fp " << fp;
  EXPECT_GE(recall, 0.80) << "tp " << tp << " of " << true_pairs;
  std::cout << "FEBRL1 (names, DOB, postcode only): precision " << precision
            << ", recall " << recall << ", " << pairs.size()
            << " candidate pairs, " << model->report().iterations
            << " EM iterations\n";
}

TEST(LinkageModelTest, WaterfallSumsToTheWeightAndTrainingIsDeterministic) {
  Febrl febrl;
  if (!LoadFebrl(MARAC_SHARED_DATA "/febrl/dataset1.csv", febrl)) {
    GTEST_SKIP() << "../shared/data/febrl/dataset1.csv not present";
  }
  const Blocking blocking = Block(febrl.records);
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

}  // namespace
}  // namespace marac
