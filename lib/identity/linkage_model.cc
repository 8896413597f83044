// The Fellegi-Sunter linkage model: comparison levels, EM training of m
// and u, the household evidence and the explained weights. Longer than
// 700 lines because its parts share one private state (the level tables
// and the trained weights) and are read together when a weight is
// questioned; splitting them would put that state in a header for no
// reader's benefit.
#include "marac/identity/linkage_model.h"

#include <Eigen/Dense>
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
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
// Among pairs sharing a location: never certainty that two records are one
// person before their names and dates of birth are compared, and u fitted
// as if this many pairs distributed as random ones had been seen too.
constexpr double kHouseholdMaximumPrior = 0.999;
constexpr double kHouseholdPseudoPairs = 50;
// A full name counts as borne by several people from this many distinct
// birth years (fewer may be slips in one person's year), up to the cap.
constexpr std::size_t kFullNameBearersFrom = 3;
constexpr std::size_t kFullNameBearersCap = 1024;
// A given name is established from this many records.
constexpr double kKnownGivenRecords = 3;
// The "distinct_people" patterns apply unless, at 95% confidence, fewer
// than this share of the pairs sharing an address are two people.
constexpr double kHouseholdRulesMaximumShare = 0.05;
// The "distinct_people" term: more than any agreement can add.
constexpr double kDistinctPeopleWeight = -64;

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
  // UK addresses nest: an address lies in one postcode unit, a street in
  // one unit or a few, a unit in one sector, a sector in one town.
  // Agreement is one fact, counted once, at the finest level that agrees:
  // the same address does not also count its unit and town, nor a shared
  // street its postcode and town, nor a shared postcode its town. A coarser
  // level that disagrees (a typo in the postcode of an agreeing address) still
  // counts. Other postcodes (FEBRL's Australian ones) are not known to nest,
  // and count on their own.
  PostcodeLevel postcode = v.postcode;
  AddressLevel address = v.address;
  TextLevel town = v.town;
  if (v.uk_postcodes) {
    const bool same_home = v.address == AddressLevel::kExact ||
                           v.address == AddressLevel::kSimilar;
    const bool same_street = v.address == AddressLevel::kOverlap;
    const bool postcode_agrees = postcode != PostcodeLevel::kDifferent &&
                                 postcode != PostcodeLevel::kMissing;
    if ((same_home && postcode == PostcodeLevel::kUnit) ||
        (same_street && postcode_agrees)) {
      postcode = PostcodeLevel::kMissing;
    }
    if ((same_home || same_street ||
         (postcode_agrees && postcode != PostcodeLevel::kArea)) &&
        town == TextLevel::kExact) {
      town = TextLevel::kMissing;
    }
    // A postcode area spans many towns: the same town implies it.
    if (postcode == PostcodeLevel::kArea && town == TextLevel::kExact) {
      postcode = PostcodeLevel::kMissing;
    }
    // A move is one fact too: another town implies another address and
    // postcode, another postcode area another address.
    if (town == TextLevel::kDifferent) {
      if (address == AddressLevel::kDifferent) address = AddressLevel::kMissing;
      if (postcode == PostcodeLevel::kDifferent) {
        postcode = PostcodeLevel::kMissing;
      }
    } else if (postcode == PostcodeLevel::kDifferent &&
               address == AddressLevel::kDifferent) {
      address = AddressLevel::kMissing;
    }
  }
  return {
      static_cast<std::uint8_t>(v.given),
      static_cast<std::uint8_t>(v.family),
      static_cast<std::uint8_t>(names_agree ? (v.names_swapped ? 1 : 2) : 0),
      static_cast<std::uint8_t>(v.dob),
      static_cast<std::uint8_t>(postcode),
      static_cast<std::uint8_t>(v.gender),
      static_cast<std::uint8_t>(address),
      static_cast<std::uint8_t>(town),
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

// The fields that tell one person from another of the same household or
// the same common name.
constexpr std::size_t kIdentityFields[] = {
    static_cast<std::size_t>(LinkField::kGivenName),
    static_cast<std::size_t>(LinkField::kFamilyName),
    static_cast<std::size_t>(LinkField::kDateOfBirth),
    static_cast<std::size_t>(LinkField::kOtherId),
    static_cast<std::size_t>(LinkField::kEmail)};

// The fields that say where a person lives rather than who they are.
constexpr std::uint32_t kLocationFields =
    (1u << static_cast<int>(LinkField::kPostcode)) |
    (1u << static_cast<int>(LinkField::kAddress)) |
    (1u << static_cast<int>(LinkField::kTown));

// The E step: each pattern's probability of being a match, from the fields
// not in `ignored` (a bit per LinkField).
Eigen::ArrayXd MatchProbabilities(const Patterns& p, const LevelTable& m,
                                  const LevelTable& u, double prior,
                                  std::uint32_t ignored = 0) {
  Eigen::VectorXd columns = LogColumns(m) - LogColumns(u);
  for (int f = 0; f < kLinkFieldCount; ++f) {
    if (((ignored >> f) & 1u) == 0) continue;
    for (int l = 0; l < kLevels[static_cast<std::size_t>(f)]; ++l) {
      columns(Column(f, l)) = 0;
    }
  }
  const Eigen::ArrayXd logit =
      (p.indicator * columns).array() + std::log(prior / (1.0 - prior));
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

  // m: EM in each pass, over the fields its rule left free; combined over
  // the passes that can tell a person from a look-alike for that field (see
  // FreeIdentityFields). Each pass also estimates how many matches its rule
  // catches.
  //
  // The identity fields the data holds: those present in at least a tenth
  // of random pairs.
  std::uint32_t present = 0;
  for (const std::size_t f : kIdentityFields) {
    double total = 0;
    for (const double c : u_counts[f]) total += c;
    if (total > 0 && 1.0 - u_counts[f][0] / total >= 0.1) present |= 1u << f;
  }
  std::vector<LevelTable> pass_m(passes.size());
  std::vector<std::uint32_t> pass_blocked(passes.size(), ~0u);
  std::vector<double> pass_matches(passes.size(), 0.0);
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
    // In a pass blocked on a location field, who a pair is gets decided by
    // the fields that describe a person; the other location fields' m then
    // follows from those decisions without feeding back. Records of one
    // household agree on every location field at once (the independence
    // the model assumes fails there), and letting the free ones vote makes
    // EM's "match" class the household instead of the person: a partner's
    // different given name, date of birth and gender would then look like
    // ordinary variation of one person.
    const std::uint32_t masked =
        (blocked & kLocationFields) != 0 ? kLocationFields : 0u;
    for (int iteration = 1; iteration <= options.max_iterations; ++iteration) {
      const Eigen::ArrayXd match =
          MatchProbabilities(patterns, m, model.u_, prior, masked);
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
    pass_m[pass] = std::move(m);
    pass_blocked[pass] = blocked;
    pass_matches[pass] = prior * patterns.counts.sum();
  }
  // A pass can estimate a field's m only if, besides that field, it leaves
  // at least two identity fields free: with fewer, EM's "match" class is
  // whatever else its pairs share (one full name among many people of one
  // town, one household) and the field's disagreements look like one
  // person's variation. When no pass qualifies for a field, every pass
  // that leaves it free counts.
  const auto free_identity = [&](std::size_t pass, std::size_t f) {
    const std::uint32_t free = present & ~pass_blocked[pass] & ~(1u << f);
    return std::popcount(free);
  };
  double expected_matches = 0;
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    LevelTable::value_type sum(static_cast<std::size_t>(kLevels[f]), 0.0);
    int used = 0;
    for (const int need : {2, 0}) {
      for (std::size_t pass = 0; pass < passes.size(); ++pass) {
        if (pass_m[pass][f].empty() || ((pass_blocked[pass] >> f) & 1u) ||
            free_identity(pass, f) < need) {
          continue;
        }
        ++used;
        for (std::size_t l = 1; l < sum.size(); ++l) {
          sum[l] += pass_m[pass][f][l];
        }
      }
      if (used > 0) break;
    }
    model.m_[f] = start[f];
    if (used == 0) {
      model.m_[f] = model.u_[f];  // Never free in any pass: weight 0.
      continue;
    }
    for (std::size_t l = 1; l < sum.size(); ++l) {
      model.m_[f][l] = sum[l] / used;
    }
  }
  // The matches the most productive pass found, among the passes that
  // leave two identity fields free (any pass when none does).
  for (const int need : {2, 0}) {
    for (std::size_t pass = 0; pass < passes.size(); ++pass) {
      if (pass_m[pass].front().empty()) continue;
      if (std::popcount(present & ~pass_blocked[pass]) < need) continue;
      expected_matches = std::max(expected_matches, pass_matches[pass]);
    }
    if (expected_matches > 0) break;
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
  {
    // Distinct birth years per full name: the people known to bear it.
    std::unordered_map<std::string, std::vector<std::string_view>> years;
    for (const NormalisedRecord& r : records) {
      if (r.given.empty() || r.family.empty() || r.dob.size() < 4) continue;
      std::vector<std::string_view>& y = years[r.given + "|" + r.family];
      const std::string_view year = std::string_view(r.dob).substr(0, 4);
      if (std::find(y.begin(), y.end(), year) == y.end() &&
          y.size() < kFullNameBearersCap) {
        y.push_back(year);
      }
    }
    for (auto& [name, y] : years) {
      model.full_name_people_ += static_cast<double>(y.size());
      if (y.size() >= kFullNameBearersFrom) {
        model.full_name_bearers_[name] = static_cast<double>(y.size());
      }
    }
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
  MARAC_RETURN_IF_ERROR(deadline.Check(kTraining));
  MARAC_RETURN_IF_ERROR(model.TrainHousehold(records, passes, candidate_pairs,
                                             candidate_comparisons));
  model.CheckLocationBalance();
  return model;
}

// Records at one address are often different people of one household, and
// the fields that tell them apart are not independent of sharing it: a
// couple shares a surname far more often than two random people do, twins a
// date of birth. So among pairs sharing a location the model is refitted:
// m held (who a person is does not depend on where they live), u and the
// prior by EM over the pairs the address rule produced, on the person
// fields alone. A pair sharing a location then scores no more than this
// model gives it: the address is where the comparison starts, not evidence
// of one person.
Status LinkageModel::TrainHousehold(
    std::span<const NormalisedRecord> records,
    std::span<const TrainingPass> passes,
    std::span<const std::pair<std::uint32_t, std::uint32_t>> candidate_pairs,
    std::span<const ComparisonVector> candidate_comparisons) {
  household_u_ = u_;
  household_prior_ = 0.5;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (const TrainingPass& pass : passes) {
    // The rule that blocks on the address alone: its pairs are every kind
    // of pair at one address, not only those whose names agree too.
    if (pass.blocked_fields.size() != 1 ||
        pass.blocked_fields[0] != LinkField::kAddress) {
      continue;
    }
    pairs.insert(pairs.end(), pass.pairs.begin(), pass.pairs.end());
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  // Only the pairs the household model will score: those sharing a
  // location.
  {
    const NicknameTable& nicknames = NicknameTable::BuiltIn();
    std::size_t from = 0;
    std::erase_if(pairs, [&](const std::pair<std::uint32_t, std::uint32_t>& p) {
      const std::ptrdiff_t at =
          IndexOf(candidate_pairs, p.first, p.second, from);
      return !SharesLocation(
          at >= 0 ? candidate_comparisons[static_cast<std::size_t>(at)]
                  : Compare(records[p.first], records[p.second], nicknames));
    });
  }
  if (!pairs.empty()) {
    MARAC_ASSIGN_OR_RETURN(
        const Patterns patterns,
        CountPatterns(records, pairs, candidate_pairs, candidate_comparisons,
                      "household pairs", kLocationFields));
    double prior = 0.3;
    constexpr std::size_t kSwapped =
        static_cast<std::size_t>(LinkField::kNamesSwapped);
    for (int iteration = 0; iteration < 100; ++iteration) {
      const Eigen::ArrayXd match = MatchProbabilities(
          patterns, m_, household_u_, prior, kLocationFields);
      const Eigen::VectorXd apart =
          ((1.0 - match) * patterns.counts.array()).matrix();
      const Eigen::VectorXd level_totals =
          patterns.indicator.transpose() * apart;
      double change = 0;
      for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
        if (((kLocationFields >> f) & 1u) != 0 || f == kSwapped) continue;
        double total = 0;
        for (int l = 1; l < kLevels[f]; ++l) {
          total += level_totals(Column(static_cast<int>(f), l));
        }
        // Pseudo-pairs distributed as among random pairs: with few
        // households in the data, u stays near the population's.
        for (std::size_t l = 1; l < household_u_[f].size(); ++l) {
          const double next = std::max(
              (level_totals(Column(static_cast<int>(f), static_cast<int>(l))) +
               kHouseholdPseudoPairs * u_[f][l]) /
                  (total + kHouseholdPseudoPairs),
              kFloor);
          change = std::max(change, std::abs(next - household_u_[f][l]));
          household_u_[f][l] = next;
        }
      }
      const double next_prior = std::clamp(
          (match * patterns.counts.array()).sum() / patterns.counts.sum(),
          kFloor, 1.0 - kFloor);
      change = std::max(change, std::abs(next_prior - prior));
      prior = next_prior;
      if (change < 1e-6) break;
    }
    household_prior_ = std::min(prior, kHouseholdMaximumPrior);
    // Data where nearly every pair at one address is one person holds no
    // households to tell apart: there the twins and generation patterns
    // can only be slips, and do not count. "Nearly every" with confidence:
    // the share of pairs of two people plus the rule of three's bound on
    // what so few pairs could hide (3/n) must stay within the limit.
    household_rules_ = (1.0 - prior) + 3.0 / static_cast<double>(pairs.size()) >
                       kHouseholdRulesMaximumShare;
    report_.household_pairs = pairs.size();
  }
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    household_weights_[f].assign(static_cast<std::size_t>(kLevels[f]), 0.0);
    if (((kLocationFields >> f) & 1u) != 0) continue;
    for (std::size_t l = 1; l < household_weights_[f].size(); ++l) {
      household_weights_[f][l] = std::log2(m_[f][l] / household_u_[f][l]);
    }
    if (f == static_cast<std::size_t>(LinkField::kNamesSwapped)) continue;
    const double different = household_weights_[f].back();
    for (std::size_t l = 1; l + 1 < household_weights_[f].size(); ++l) {
      household_weights_[f][l] = std::max(household_weights_[f][l], different);
    }
  }
  report_.household_prior = household_prior_;
  report_.household_rules = household_rules_;
  return Status::Ok();
}

// The most an address or a postcode can add (an exact address carries the
// postcode unit with it) against what a person's own fields take away when
// they disagree (given name, family name and date of birth). A model whose
// location outweighs that would merge two people of one household on their
// address alone: its location weights are refused, scaled down to what
// those disagreements take away, and the report says so.
void LinkageModel::CheckLocationBalance() {
  constexpr auto kAddress = static_cast<std::size_t>(LinkField::kAddress);
  constexpr auto kPostcode = static_cast<std::size_t>(LinkField::kPostcode);
  const auto best = [&](std::size_t f) {
    double w = 0;
    for (std::size_t l = 1; l < weights_[f].size(); ++l) {
      w = std::max(w, weights_[f][l]);
    }
    return w;
  };
  const double location = std::max(best(kAddress), best(kPostcode));
  const double disagreement =
      -(weights_[static_cast<std::size_t>(LinkField::kGivenName)].back() +
        weights_[static_cast<std::size_t>(LinkField::kFamilyName)].back() +
        weights_[static_cast<std::size_t>(LinkField::kDateOfBirth)].back());
  report_.location_weight = location;
  report_.disagreement_weight = disagreement;
  if (location <= disagreement || location <= 0) return;
  report_.location_capped = true;
  const double scale = std::max(disagreement, 0.0) / location;
  for (const std::size_t f : {kAddress, kPostcode}) {
    for (double& w : weights_[f]) {
      if (w > 0) w *= scale;
    }
  }
}

bool SharesLocation(const ComparisonVector& v) {
  switch (v.address) {
    case AddressLevel::kExact:
    case AddressLevel::kSimilar:
      return true;
    case AddressLevel::kOverlap:  // One street, or one building's flats.
    case AddressLevel::kMissing:
    case AddressLevel::kDifferent:
      return false;
  }
  return false;
}

namespace {

// Which "distinct_people" pattern a pair sharing a location shows, if any.
// Whether both given names are established, each on at least a quarter as
// many records as the other: a slip repeated (Irman for Imran) stays rare
// beside the name it slips from, while Sophie and Sophia, or Jack and Jake,
// are each common.
bool TwoEstablishedNames(const LinkageModel::FrequencyTerms& a,
                         const LinkageModel::FrequencyTerms& b, double share) {
  const double low = std::min(a.given_records, b.given_records);
  const double high = std::max(a.given_records, b.given_records);
  return low >= kKnownGivenRecords && low >= share * high;
}

// Only when `households` (see TrainHousehold).
std::string_view DistinctPattern(bool households, const ComparisonVector& v,
                                 const LinkageModel::FrequencyTerms& a,
                                 const LinkageModel::FrequencyTerms& b) {
  if (!households || !SharesLocation(v)) return {};
  // A shared identifier outweighs both patterns: twins and a father and son
  // do not share an NHS or National Insurance number or an e-mail address,
  // even with a slip in it.
  if (v.other_id == TextLevel::kExact || v.other_id == TextLevel::kClose ||
      v.email == TextLevel::kExact) {
    return {};
  }
  if (v.dob == DobLevel::kDifferent) return "generation";
  if (v.dob != DobLevel::kExact) return {};
  // Given names that differ beyond a nickname; or only somewhat (Jack and
  // Jake, Mia and Maya) when both are established names, not slips. Names
  // a letter apart (Aidan and Aiden) cannot be told from a slip.
  switch (v.given) {
    case NameLevel::kDifferent:
      return "twins";
    case NameLevel::kJaroWinkler92:
    case NameLevel::kJaroWinkler88:
    case NameLevel::kJaroWinkler70:
      return TwoEstablishedNames(a, b, v.given_short_form ? 0.25 : 0.1)
                 ? "twins"
                 : std::string_view();
    case NameLevel::kNickname:
      return TwoEstablishedNames(a, b, 0.25) ? "twins" : std::string_view();
    default:
      return {};
  }
}

}  // namespace

double LinkageModel::BaseWeight(const LevelVector& levels) const {
  double w = std::log2(prior_ / (1.0 - prior_));
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) w += weights_[f][levels[f]];
  return w;
}

double LinkageModel::HouseholdWeight(const LevelVector& levels) const {
  // Untrained (default-constructed): no household model to bound by.
  if (household_weights_[0].empty()) {
    return std::numeric_limits<double>::infinity();
  }
  double w = std::log2(household_prior_ / (1.0 - household_prior_));
  for (std::size_t f = 0; f < kLinkFieldCount; ++f) {
    w += household_weights_[f][levels[f]];
  }
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
  // The floor stops a rare value (often a slip) from earning a huge weight;
  // it never lies above the average itself, or every value of a field whose
  // values are all rare (dates of birth: one in tens of thousands) would be
  // marked down alike.
  return std::log2(u_exact /
                   std::max(frequency, std::min(kTfMinimum, u_exact)));
}

std::vector<WeightTerm> LinkageModel::Explain(const NormalisedRecord& a,
                                              const NormalisedRecord& b) const {
  const ComparisonVector v = Compare(a, b);
  const FrequencyTerms ta = TermsOf(a);
  const FrequencyTerms tb = TermsOf(b);
  std::vector<WeightTerm> terms = FieldTerms(v);
  // The record whose value a term is about: a's, or for a slip the
  // commoner of the two.
  ForEachFrequencyTerm(
      v, LevelsOf(v), ta, tb,
      [&](FrequencyTermKind kind, bool of_b, double weight) {
        const NormalisedRecord& r = of_b ? b : a;
        switch (kind) {
          case FrequencyTermKind::kGiven:
            terms.push_back({"given_name_frequency", r.given, weight});
            break;
          case FrequencyTermKind::kFamily:
            terms.push_back({"family_name_frequency", r.family, weight});
            break;
          case FrequencyTermKind::kFullName:
            terms.push_back(
                {"full_name_bearers", r.given + " " + r.family, weight});
            break;
          case FrequencyTermKind::kDob:
            terms.push_back({"dob_frequency", r.dob, weight});
            break;
          case FrequencyTermKind::kTown:
            terms.push_back({"town_frequency", r.town, weight});
            break;
        }
      });
  AddSharedLocationTerm(v, ta, tb, terms);
  return terms;
}

// When the pair shares a location and the household model gives less, the
// difference as its own term, so that the terms still add up to the weight.
void LinkageModel::AddSharedLocationTerm(const ComparisonVector& v,
                                         const FrequencyTerms& a,
                                         const FrequencyTerms& b,
                                         std::vector<WeightTerm>& terms) const {
  if (!SharesLocation(v)) return;
  double total = 0;
  for (const WeightTerm& t : terms) total += t.weight;
  const double household = HouseholdWeight(LevelsOf(v));
  const std::string_view distinct = DistinctPattern(household_rules_, v, a, b);
  if (household + (distinct.empty() ? 0 : kDistinctPeopleWeight) >= total) {
    return;
  }
  const double shared = std::min(0.0, household - total);
  if (shared < 0) {
    terms.push_back({"shared_location", "household_model", shared});
  }
  if (!distinct.empty()) {
    terms.push_back({"distinct_people", std::string(distinct),
                     household + kDistinctPeopleWeight - total - shared});
  }
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
  if (!r.given.empty() && !r.family.empty() && !full_name_bearers_.empty()) {
    // Only the excess over what the two names' own frequencies predict
    // (their term-frequency terms count that): Tracey Roberts is common
    // because both names are; fifty Mohammed Khans in one town are more.
    const auto it = full_name_bearers_.find(r.given + "|" + r.family);
    if (it != full_name_bearers_.end()) {
      const double expected = full_name_people_ * GivenNameFrequency(r.given) *
                              FamilyNameFrequency(r.family);
      t.full_name =
          std::min(0.0, -std::log2(it->second / std::max(expected, 1.0)));
    }
  }
  if (!r.given.empty()) {
    const auto it = given_frequency_.find(r.given);
    if (it != given_frequency_.end()) {
      t.given_records = std::round(it->second * record_count_);
    }
  }
  return t;
}

// The term-frequency terms of a comparison: an exact match takes a's term
// (b holds the same value). A full name matched with a slip in one part
// (Mohammed Khna, Mohammed Khan) is borne by as many people as the full
// name, so it takes the lower of the two full-name terms (never a bonus: a
// rare slip is no rarer a person).
template <typename Sink>
void LinkageModel::ForEachFrequencyTerm(const ComparisonVector& v,
                                        const LevelVector& levels,
                                        const FrequencyTerms& a,
                                        const FrequencyTerms& b,
                                        const Sink& sink) const {
  const auto slip = [&](FrequencyTermKind kind, double x, double y) {
    if (std::min(x, y) < 0) sink(kind, y < x, std::min(x, y));
  };
  const bool given_exact = v.given == NameLevel::kExact;
  const bool given_slip = v.given == NameLevel::kJaroWinkler92 ||
                          v.given == NameLevel::kJaroWinkler88;
  const bool family_exact = v.family == FamilyLevel::kExact;
  const bool family_slip = v.family == FamilyLevel::kJaroWinkler92 ||
                           v.family == FamilyLevel::kJaroWinkler88;
  if (given_exact) sink(FrequencyTermKind::kGiven, false, a.given);
  if (family_exact) sink(FrequencyTermKind::kFamily, false, a.family);
  if (given_exact && family_exact) {
    if (a.full_name != 0)
      sink(FrequencyTermKind::kFullName, false, a.full_name);
  } else if ((given_exact || given_slip) && (family_exact || family_slip)) {
    slip(FrequencyTermKind::kFullName, a.full_name, b.full_name);
  }
  if (v.dob == DobLevel::kExact) sink(FrequencyTermKind::kDob, false, a.dob);
  // Town's frequency only where town counts (see LevelsOf).
  constexpr auto kTown = static_cast<std::size_t>(LinkField::kTown);
  if (levels[kTown] == static_cast<std::uint8_t>(TextLevel::kExact)) {
    sink(FrequencyTermKind::kTown, false, a.town);
  }
}

double LinkageModel::FrequencyWeightOf(const ComparisonVector& v,
                                       const LevelVector& levels,
                                       const FrequencyTerms& a,
                                       const FrequencyTerms& b) const {
  double w = 0;
  ForEachFrequencyTerm(v, levels, a, b,
                       [&](FrequencyTermKind, bool, double x) { w += x; });
  return w;
}

double LinkageModel::MatchWeight(const ComparisonVector& v,
                                 const FrequencyTerms& a,
                                 const FrequencyTerms& b) const {
  const LevelVector levels = LevelsOf(v);
  const double w = BaseWeight(levels) + FrequencyWeightOf(v, levels, a, b);
  if (!SharesLocation(v)) return w;
  double household = HouseholdWeight(levels);
  if (!DistinctPattern(household_rules_, v, a, b).empty())
    household += kDistinctPeopleWeight;
  return std::min(w, household);
}

bool LinkageModel::DistinctPeople(const ComparisonVector& v,
                                  const FrequencyTerms& a,
                                  const FrequencyTerms& b) const {
  return DistinctPattern(household_rules_, v, a, b) == "generation";
}

double LinkageModel::MatchWeight(const ComparisonVector& v) const {
  const LevelVector levels = LevelsOf(v);
  const double w = BaseWeight(levels);
  if (!SharesLocation(v)) return w;
  double household = HouseholdWeight(levels);
  if (!DistinctPattern(household_rules_, v, {}, {}).empty())
    household += kDistinctPeopleWeight;
  return std::min(w, household);
}

double LinkageModel::MatchProbability(const ComparisonVector& v,
                                      const FrequencyTerms& a,
                                      const FrequencyTerms& b) const {
  const double odds = std::exp2(MatchWeight(v, a, b));
  return odds / (1.0 + odds);
}

double LinkageModel::MatchWeight(const NormalisedRecord& a,
                                 const NormalisedRecord& b) const {
  // The sum of Explain(a, b), without building its terms.
  return MatchWeight(Compare(a, b), TermsOf(a), TermsOf(b));
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
  std::vector<WeightTerm> terms = FieldTerms(v);
  AddSharedLocationTerm(v, {}, {}, terms);
  return terms;
}

std::vector<WeightTerm> LinkageModel::FieldTerms(
    const ComparisonVector& v) const {
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
