#include "marac/identity/linkage_model.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "lib/common/parallel_for.h"

namespace marac {
namespace {

constexpr std::array<int, kLinkFieldCount> kLevels = {7, 7, 3, 8, 6,
                                                      3, 5, 4, 4, 4};
constexpr double kFloor = 1e-9;  // No level is ever impossible.
// The smallest frequency a term-frequency adjustment uses: a value seen once
// (often a typo) earns no more than one seen once in a thousand records.
constexpr double kTfMinimum = 1e-3;
// The weight of the average frequency in a value's frequency (see
// FrequencyWeight), in records.
constexpr double kTfPseudoRecords = 1000;

// SplitMix64, seeded: the same sample of random pairs on every platform.
std::uint64_t NextRandom(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t Pack(const LevelVector& levels) {
  std::uint64_t key = 0;
  for (const std::uint8_t l : levels) key = key * 16 + l;
  return key;
}

// Column of (field, level) in the pattern-by-level indicator matrix.
int Column(int field, int level) {
  int column = 0;
  for (int f = 0; f < field; ++f)
    column += kLevels[static_cast<std::size_t>(f)];
  return column + level;
}

constexpr int kColumns = [] {
  int total = 0;
  for (const int levels : kLevels) total += levels;
  return total;
}();

}  // namespace

int LevelCount(LinkField field) {
  return kLevels[static_cast<std::size_t>(field)];
}

std::string_view FieldName(LinkField field) {
  static constexpr std::string_view kNames[] = {
      "given_name", "family_name", "names_swapped", "dob",      "postcode",
      "gender",     "address",     "town",          "other_id", "email"};
  return kNames[static_cast<std::size_t>(field)];
}

std::string_view LevelName(LinkField field, int level) {
  static constexpr std::string_view kName[] = {
      "missing",  "exact",           "jaro_winkler_92", "jaro_winkler_88",
      "nickname", "jaro_winkler_70", "different"};
  static constexpr std::string_view kFamily[] = {
      "missing",          "exact",           "jaro_winkler_92",
      "part_or_previous", "jaro_winkler_88", "jaro_winkler_70",
      "different"};
  static constexpr std::string_view kSwapped[] = {"missing", "swapped",
                                                  "not_swapped"};
  static constexpr std::string_view kDob[] = {
      "missing",      "exact",       "one_edit",         "day_month_swap",
      "within_month", "within_year", "within_ten_years", "different"};
  static constexpr std::string_view kPostcode[] = {
      "missing", "unit", "sector", "district", "area", "different"};
  static constexpr std::string_view kGender[] = {"missing", "same",
                                                 "different"};
  static constexpr std::string_view kAddress[] = {
      "missing", "exact", "similar", "words_in_common", "different"};
  static constexpr std::string_view kText[] = {"missing", "exact", "close",
                                               "different"};
  const auto i = static_cast<std::size_t>(level);
  switch (field) {
    case LinkField::kGivenName:
      return kName[i];
    case LinkField::kFamilyName:
      return kFamily[i];
    case LinkField::kNamesSwapped:
      return kSwapped[i];
    case LinkField::kDateOfBirth:
      return kDob[i];
    case LinkField::kPostcode:
      return kPostcode[i];
    case LinkField::kGender:
      return kGender[i];
    case LinkField::kAddress:
      return kAddress[i];
    case LinkField::kTown:
    case LinkField::kOtherId:
    case LinkField::kEmail:
      return kText[i];
  }
  return "unknown";
}

LevelVector LevelsOf(const ComparisonVector& v) {
  // Orientation is evidence only among pairs whose two names agree (one way
  // or the other): see the pinned u in Train.
  const bool names_agree = v.given != NameLevel::kMissing &&
                           v.given <= NameLevel::kNickname &&
                           v.family != FamilyLevel::kMissing &&
                           v.family <= FamilyLevel::kJaroWinkler88;
  return {
      static_cast<std::uint8_t>(v.given),
      static_cast<std::uint8_t>(v.family),
      static_cast<std::uint8_t>(names_agree ? (v.names_swapped ? 1 : 2) : 0),
      static_cast<std::uint8_t>(v.dob),
      static_cast<std::uint8_t>(v.postcode),
      static_cast<std::uint8_t>(v.gender),
      static_cast<std::uint8_t>(v.address),
      static_cast<std::uint8_t>(v.town),
      static_cast<std::uint8_t>(v.other_id),
      static_cast<std::uint8_t>(v.email)};
}

double LinkageModel::m(LinkField field, int level) const {
  return m_[static_cast<std::size_t>(field)][static_cast<std::size_t>(level)];
}

double LinkageModel::u(LinkField field, int level) const {
  return u_[static_cast<std::size_t>(field)][static_cast<std::size_t>(level)];
}

namespace {

// Distinct comparison patterns of some pairs: the pattern-by-level indicator
// matrix and the count of each pattern.
struct Patterns {
  Eigen::MatrixXd indicator;
  Eigen::VectorXd counts;
};

// Where pair (i, j) sits in the sorted `candidates`, or -1, looking from
// `from` on (pairs asked in ascending order move it forward).
std::ptrdiff_t IndexOf(
    std::span<const std::pair<std::uint32_t, std::uint32_t>> candidates,
    std::uint32_t i, std::uint32_t j, std::size_t& from) {
  const std::pair<std::uint32_t, std::uint32_t> pair(i, j);
  if (from > candidates.size() || (from > 0 && candidates[from - 1] >= pair)) {
    from = 0;  // Not ascending: search it all.
  }
  const auto it =
      std::lower_bound(candidates.begin() + static_cast<std::ptrdiff_t>(from),
                       candidates.end(), pair);
  from = static_cast<std::size_t>(it - candidates.begin());
  if (it == candidates.end() || *it != pair) return -1;
  return it - candidates.begin();
}

// Counts the comparison patterns of `pairs`, taking each pair's comparison
// from `known` (the candidates' comparisons) when it is there.
Result<Patterns> CountPatterns(
    std::span<const NormalisedRecord> records,
    std::span<const std::pair<std::uint32_t, std::uint32_t>> pairs,
    std::span<const std::pair<std::uint32_t, std::uint32_t>> candidates,
    std::span<const ComparisonVector> known, std::string_view field,
    std::uint32_t ignored_fields) {
  const NicknameTable& nicknames = NicknameTable::BuiltIn();
  std::unordered_map<std::uint64_t, std::pair<LevelVector, double>> patterns;
  // The candidates themselves need no search.
  const bool same =
      pairs.data() == candidates.data() && pairs.size() == candidates.size();
  std::size_t k = 0;
  std::size_t search_from = 0;
  for (const auto& [i, j] : pairs) {
    if (i >= records.size() || j >= records.size() || i == j) {
      return InvalidArgument(field, "pair (" + std::to_string(i) + ", " +
                                        std::to_string(j) +
                                        ") is not two records");
    }
    const std::ptrdiff_t at = same ? static_cast<std::ptrdiff_t>(k)
                                   : IndexOf(candidates, i, j, search_from);
    ++k;
    LevelVector levels =
        LevelsOf(at >= 0 ? known[static_cast<std::size_t>(at)]
                         : Compare(records[i], records[j], nicknames));
    for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
      if ((ignored_fields >> f) & 1u) levels[f] = 0;
    }
    auto [it, inserted] = patterns.try_emplace(Pack(levels), levels, 0.0);
    it->second.second += 1;
  }
  // In key order, so that EM sums in the same order on every run.
  std::vector<std::uint64_t> keys;
  keys.reserve(patterns.size());
  for (const auto& entry : patterns) keys.push_back(entry.first);
  std::sort(keys.begin(), keys.end());
  Patterns out;
  const auto rows = static_cast<Eigen::Index>(patterns.size());
  out.indicator = Eigen::MatrixXd::Zero(rows, kColumns);
  out.counts.resize(rows);
  Eigen::Index row = 0;
  for (const std::uint64_t key : keys) {
    const auto& entry = patterns.at(key);
    for (int f = 0; f < kLinkFieldCount; ++f) {
      const int level = entry.first[static_cast<std::size_t>(f)];
      if (level != 0) out.indicator(row, Column(f, level)) = 1.0;
    }
    out.counts(row) = entry.second;
    ++row;
  }
  return out;
}

using LevelTable = std::array<std::vector<double>, kLinkFieldCount>;

// Training checks its deadline every this many sampled pairs (about a
// millisecond of comparisons), before each pass and before the prior.
constexpr std::size_t kPairsPerCheck = 4096;
constexpr std::string_view kTraining = "training the linkage model";

Eigen::VectorXd LogColumns(const LevelTable& table) {
  Eigen::VectorXd out = Eigen::VectorXd::Zero(kColumns);
  for (int f = 0; f < kLinkFieldCount; ++f) {
    const auto fs = static_cast<std::size_t>(f);
    for (int l = 1; l < kLevels[fs]; ++l) {
      out(Column(f, l)) = std::log(table[fs][static_cast<std::size_t>(l)]);
    }
  }
  return out;
}

// The E step: each pattern's probability of being a match.
Eigen::ArrayXd MatchProbabilities(const Patterns& p, const LevelTable& m,
                                  const LevelTable& u, double prior) {
  const Eigen::ArrayXd logit =
      (p.indicator * (LogColumns(m) - LogColumns(u))).array() +
      std::log(prior / (1.0 - prior));
  return 1.0 / (1.0 + (-logit).exp());
}

}  // namespace

std::vector<ComparisonVector> CompareAll(
    std::span<const NormalisedRecord> records,
    std::span<const std::pair<std::uint32_t, std::uint32_t>> pairs,
    unsigned threads) {
  std::vector<ComparisonVector> out(pairs.size());
  const NicknameTable& nicknames = NicknameTable::BuiltIn();
  ParallelFor(pairs.size(), threads, [&](std::size_t k) {
    // Pairs come sorted by their first record, so the second is a random
    // one of up to a million: fetch its fields (and then what they point
    // to) a few pairs ahead, rather than wait on memory for each.
    if (k + 16 < pairs.size()) {
      const char* ahead =
          reinterpret_cast<const char*>(&records[pairs[k + 16].second]);
      for (std::size_t line = 0; line < sizeof(NormalisedRecord); line += 64)
        __builtin_prefetch(ahead + line);
    }
    if (k + 8 < pairs.size()) {
      const NormalisedRecord& near = records[pairs[k + 8].second];
      __builtin_prefetch(near.given.data());
      __builtin_prefetch(near.family.data());
      __builtin_prefetch(near.address.data());
      __builtin_prefetch(near.family_parts.data());
      __builtin_prefetch(near.address_parts.data());
    }
    out[k] =
        Compare(records[pairs[k].first], records[pairs[k].second], nicknames);
  });
  return out;
}

Result<LinkageModel> LinkageModel::Train(
    std::span<const NormalisedRecord> records,
    std::span<const TrainingPass> passes,
    std::span<const std::pair<std::uint32_t, std::uint32_t>> candidate_pairs,
    const TrainingOptions& options) {
  for (const auto& [i, j] : candidate_pairs) {
    if (i >= records.size() || j >= records.size() || i == j) {
      return InvalidArgument("candidate_pairs", "pair (" + std::to_string(i) +
                                                    ", " + std::to_string(j) +
                                                    ") is not two records");
    }
  }
  const std::vector<ComparisonVector> comparisons =
      CompareAll(records, candidate_pairs, options.threads);
  return TrainOnComparisons(records, passes, candidate_pairs, comparisons,
                            options);
}

Result<LinkageModel> LinkageModel::TrainOnComparisons(
    std::span<const NormalisedRecord> records,
    std::span<const TrainingPass> passes,
    std::span<const std::pair<std::uint32_t, std::uint32_t>> candidate_pairs,
    std::span<const ComparisonVector> candidate_comparisons,
    const TrainingOptions& options) {
  if (candidate_comparisons.size() != candidate_pairs.size()) {
    return InvalidArgument("candidate_comparisons",
                           "one comparison per candidate pair is needed");
  }
  if (!std::is_sorted(candidate_pairs.begin(), candidate_pairs.end())) {
    return InvalidArgument("candidate_pairs", "must be sorted");
  }
  if (records.size() < 2) {
    return InvalidArgument("records", "at least two records are needed");
  }
  if (passes.empty()) {
    return InvalidArgument("passes", "at least one training pass is needed");
  }
  if (candidate_pairs.empty()) {
    return InvalidArgument("candidate_pairs", "no pairs to train on");
  }
  LinkageModel model;
  const NicknameTable& nicknames = NicknameTable::BuiltIn();

  // u: level frequencies among random pairs (almost all of different
  // people), with add-one smoothing over the non-missing levels.
  LevelTable u_counts;
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    u_counts[f].assign(static_cast<std::size_t>(kLevels[f]), 1.0);
  }
  std::uint64_t state = options.seed;
  const std::uint64_t n = records.size();
  const Deadline& deadline = options.deadline;
  for (std::size_t s = 0; s < options.u_sample_pairs; ++s) {
    if (deadline.active() && s % kPairsPerCheck == 0) {
      MARAC_RETURN_IF_ERROR(deadline.Check(kTraining));
    }
    const std::uint64_t i = NextRandom(state) % n;
    std::uint64_t j = NextRandom(state) % (n - 1);
    if (j >= i) ++j;
    const LevelVector levels =
        LevelsOf(Compare(records[i], records[j], nicknames));
    for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
      u_counts[f][levels[f]] += 1;
    }
  }
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    model.u_[f].assign(static_cast<std::size_t>(kLevels[f]), 1.0);
    double total = 0;
    for (std::size_t l = 1; l < u_counts[f].size(); ++l)
      total += u_counts[f][l];
    for (std::size_t l = 1; l < u_counts[f].size(); ++l) {
      model.u_[f][l] = std::max(u_counts[f][l] / total, kFloor);
    }
  }

  // Between different people whose names agree, which way round they were
  // entered is chance: u is pinned at one half, so a swap costs what its
  // rarity among matches (m, by EM) says, rather than counting the names'
  // agreement twice.
  model.u_[static_cast<std::size_t>(LinkField::kNamesSwapped)] = {1.0, 0.5,
                                                                  0.5};

  // m starts high on the strongest levels and falls away.
  LevelTable start;
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    start[f].assign(static_cast<std::size_t>(kLevels[f]), 1.0);
    double total = 0;
    for (std::size_t l = 1; l < start[f].size(); ++l) {
      start[f][l] = std::pow(0.25, static_cast<double>(l - 1));
      total += start[f][l];
    }
    for (std::size_t l = 1; l < start[f].size(); ++l) start[f][l] /= total;
  }

  // m: EM in each pass, over the fields its rule left free; averaged. Each
  // pass also estimates how many matches its rule catches.
  double expected_matches = 0;
  LevelTable m_sum;
  std::array<int, kLinkFieldCount> m_passes{};
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    m_sum[f].assign(static_cast<std::size_t>(kLevels[f]), 0.0);
  }
  for (std::size_t pass = 0; pass < passes.size(); ++pass) {
    MARAC_RETURN_IF_ERROR(deadline.Check(kTraining));
    std::uint32_t blocked = 0;
    for (const LinkField f : passes[pass].blocked_fields) {
      blocked |= 1u << static_cast<int>(f);
    }
    MARAC_ASSIGN_OR_RETURN(
        const Patterns patterns,
        CountPatterns(records, passes[pass].pairs, candidate_pairs,
                      candidate_comparisons,
                      "passes[" + std::to_string(pass) + "].pairs", blocked));
    if (patterns.counts.size() == 0) continue;
    model.report_.distinct_patterns +=
        static_cast<std::size_t>(patterns.counts.size());
    LevelTable m = start;
    double prior = options.initial_prior;
    for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
      const Eigen::ArrayXd match =
          MatchProbabilities(patterns, m, model.u_, prior);
      const Eigen::VectorXd weighted =
          (match * patterns.counts.array()).matrix();
      const Eigen::VectorXd level_totals =
          patterns.indicator.transpose() * weighted;
      double change = 0;
      for (int f = 0; f < kLinkFieldCount; ++f) {
        const auto fs = static_cast<std::size_t>(f);
        double total = 0;
        for (int l = 1; l < kLevels[fs]; ++l)
          total += level_totals(Column(f, l));
        if (total <= 0) continue;  // No evidence on this field here.
        for (int l = 1; l < kLevels[fs]; ++l) {
          const double next =
              std::max(level_totals(Column(f, l)) / total, kFloor);
          change = std::max(
              change, std::abs(next - m[fs][static_cast<std::size_t>(l)]));
          m[fs][static_cast<std::size_t>(l)] = next;
        }
      }
      const double next_prior = std::clamp(
          weighted.sum() / patterns.counts.sum(), kFloor, 1.0 - kFloor);
      change = std::max(change, std::abs(next_prior - prior));
      prior = next_prior;
      model.report_.iterations += 1;
      if (change < options.tolerance) break;
    }
    expected_matches =
        std::max(expected_matches, prior * patterns.counts.sum());
    for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
      if ((blocked >> f) & 1u) continue;
      m_passes[f] += 1;
      for (std::size_t l = 1; l < m[f].size(); ++l) m_sum[f][l] += m[f][l];
    }
  }
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    model.m_[f] = start[f];
    if (m_passes[f] == 0) continue;  // Never free in any pass: kept neutral.
    for (std::size_t l = 1; l < m_sum[f].size(); ++l) {
      model.m_[f][l] = m_sum[f][l] / m_passes[f];
    }
  }
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    if (m_passes[f] == 0) model.m_[f] = model.u_[f];  // Weight 0.
  }

  // The prior: the chance that two records picked at random are one person,
  // from the pass that caught the most matches (a lower bound, as no rule
  // catches them all). A prior fitted among the candidate pairs instead is
  // biased by the blocking itself (they agree on a rule's fields) and on
  // sparse data ran away towards 1, linking every candidate.
  const double all_pairs = static_cast<double>(records.size()) *
                           static_cast<double>(records.size() - 1) / 2.0;
  double prior = std::clamp(expected_matches / all_pairs, kFloor, 0.5);
  // Then the expected number of matches among all the candidates, taking
  // pairs outside them to hold none: a fixed point over the prior of all
  // pairs, with m and u held.
  MARAC_RETURN_IF_ERROR(deadline.Check(kTraining));
  MARAC_ASSIGN_OR_RETURN(
      const Patterns candidates,
      CountPatterns(records, candidate_pairs, candidate_pairs,
                    candidate_comparisons, "candidate_pairs", 0));
  model.report_.converged = false;
  for (int iteration = 0; iteration < 100; ++iteration) {
    const Eigen::ArrayXd match =
        MatchProbabilities(candidates, model.m_, model.u_, prior);
    const double next = std::clamp(
        (match * candidates.counts.array()).sum() / all_pairs, kFloor, 0.5);
    const double change = std::abs(next - prior) / prior;
    prior = next;
    if (change < 1e-4) {
      model.report_.converged = true;
      break;
    }
  }
  model.report_.candidate_pairs = candidate_pairs.size();
  model.prior_ = prior;
  // Name frequencies for the term-frequency adjustment.
  const double share = 1.0 / static_cast<double>(records.size());
  for (const NormalisedRecord& r : records) {
    if (!r.given.empty()) model.given_frequency_[r.given] += share;
    if (!r.family.empty()) model.family_frequency_[r.family] += share;
    if (!r.dob.empty()) model.dob_frequency_[r.dob] += share;
    if (!r.town.empty()) model.town_frequency_[r.town] += share;
  }
  model.unseen_frequency_ = share;
  model.record_count_ = static_cast<double>(records.size());
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    model.weights_[f].assign(static_cast<std::size_t>(kLevels[f]), 0.0);
    for (std::size_t l = 1; l < model.weights_[f].size(); ++l) {
      model.weights_[f][l] = std::log2(model.m_[f][l] / model.u_[f][l]);
    }
    // A partial agreement is never worse evidence than disagreement: a level
    // that no candidate pair showed (nicknames in data without them) gets an
    // m at the floor, and would otherwise weigh -20 bits the day it occurs.
    if (f == static_cast<std::size_t>(LinkField::kNamesSwapped)) continue;
    const double different = model.weights_[f].back();
    for (std::size_t l = 1; l + 1 < model.weights_[f].size(); ++l) {
      model.weights_[f][l] = std::max(model.weights_[f][l], different);
    }
  }
  return model;
}

double LinkageModel::MatchWeight(const ComparisonVector& v) const {
  const LevelVector levels = LevelsOf(v);
  double w = std::log2(prior_ / (1.0 - prior_));
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) w += weights_[f][levels[f]];
  return w;
}

double LinkageModel::Frequency(const FrequencyMap& map,
                               std::string_view name) const {
  const auto it = map.find(name);
  return it == map.end() ? unseen_frequency_ : it->second;
}

double LinkageModel::GivenNameFrequency(std::string_view name) const {
  return Frequency(given_frequency_, name);
}

double LinkageModel::FamilyNameFrequency(std::string_view name) const {
  return Frequency(family_frequency_, name);
}

double LinkageModel::DobFrequency(std::string_view dob) const {
  return Frequency(dob_frequency_, dob);
}

double LinkageModel::TownFrequency(std::string_view town) const {
  return Frequency(town_frequency_, town);
}

// On an exact match of `field`, log2(u_exact / frequency of the value):
// positive for a rare value, negative for a common one. The frequency is
// shrunk towards u_exact as if kTfPseudoRecords more records had the
// average frequency: in a small file one person's three records make a name
// look common when it is not, and the adjustment should fade, not mislead.
double LinkageModel::FrequencyWeight(LinkField field,
                                     std::string_view name) const {
  static_assert(static_cast<int>(NameLevel::kExact) == 1 &&
                static_cast<int>(FamilyLevel::kExact) == 1 &&
                static_cast<int>(DobLevel::kExact) == 1 &&
                static_cast<int>(TextLevel::kExact) == 1);
  const double u_exact = u_[static_cast<std::size_t>(field)][1];
  const FrequencyMap& map =
      field == LinkField::kGivenName
          ? given_frequency_
          : (field == LinkField::kFamilyName
                 ? family_frequency_
                 : (field == LinkField::kTown ? town_frequency_
                                              : dob_frequency_));
  const auto it = map.find(name);
  const double count = it == map.end() ? 0.0 : it->second * record_count_;
  const double frequency =
      (count + kTfPseudoRecords * u_exact) / (record_count_ + kTfPseudoRecords);
  return std::log2(u_exact / std::max(frequency, kTfMinimum));
}

std::vector<WeightTerm> LinkageModel::Explain(const NormalisedRecord& a,
                                              const NormalisedRecord& b) const {
  const ComparisonVector v = Compare(a, b);
  std::vector<WeightTerm> terms = Explain(v);
  if (v.given == NameLevel::kExact) {
    terms.push_back({"given_name_frequency", a.given,
                     FrequencyWeight(LinkField::kGivenName, a.given)});
  }
  if (v.family == FamilyLevel::kExact) {
    terms.push_back({"family_name_frequency", a.family,
                     FrequencyWeight(LinkField::kFamilyName, a.family)});
  }
  if (v.dob == DobLevel::kExact) {
    terms.push_back({"dob_frequency", a.dob,
                     FrequencyWeight(LinkField::kDateOfBirth, a.dob)});
  }
  if (v.town == TextLevel::kExact) {
    terms.push_back(
        {"town_frequency", a.town, FrequencyWeight(LinkField::kTown, a.town)});
  }
  return terms;
}

LinkageModel::FrequencyTerms LinkageModel::TermsOf(
    const NormalisedRecord& r) const {
  FrequencyTerms t;
  if (!r.given.empty())
    t.given = FrequencyWeight(LinkField::kGivenName, r.given);
  if (!r.family.empty()) {
    t.family = FrequencyWeight(LinkField::kFamilyName, r.family);
  }
  if (!r.dob.empty()) t.dob = FrequencyWeight(LinkField::kDateOfBirth, r.dob);
  if (!r.town.empty()) t.town = FrequencyWeight(LinkField::kTown, r.town);
  return t;
}

double LinkageModel::MatchWeight(const ComparisonVector& v,
                                 const FrequencyTerms& a) const {
  double w = MatchWeight(v);
  if (v.given == NameLevel::kExact) w += a.given;
  if (v.family == FamilyLevel::kExact) w += a.family;
  if (v.dob == DobLevel::kExact) w += a.dob;
  if (v.town == TextLevel::kExact) w += a.town;
  return w;
}

double LinkageModel::MatchProbability(const ComparisonVector& v,
                                      const FrequencyTerms& a) const {
  const double odds = std::exp2(MatchWeight(v, a));
  return odds / (1.0 + odds);
}

double LinkageModel::MatchWeight(const NormalisedRecord& a,
                                 const NormalisedRecord& b) const {
  // The sum of Explain(a, b), without building its terms.
  return MatchWeight(Compare(a, b), TermsOf(a));
}

double LinkageModel::MatchProbability(const NormalisedRecord& a,
                                      const NormalisedRecord& b) const {
  const double odds = std::exp2(MatchWeight(a, b));
  return odds / (1.0 + odds);
}

double LinkageModel::MatchProbability(const ComparisonVector& v) const {
  const double odds = std::exp2(MatchWeight(v));
  return odds / (1.0 + odds);
}

std::vector<WeightTerm> LinkageModel::Explain(const ComparisonVector& v) const {
  const LevelVector levels = LevelsOf(v);
  std::vector<WeightTerm> terms;
  terms.push_back({"prior", "", std::log2(prior_ / (1.0 - prior_))});
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    const auto field = static_cast<LinkField>(f);
    terms.push_back({std::string(FieldName(field)),
                     std::string(LevelName(field, levels[f])),
                     weights_[f][levels[f]]});
  }
  return terms;
}

}  // namespace marac
