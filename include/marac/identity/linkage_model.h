// The Fellegi-Sunter linkage model, trained without labels: u (how often a
// comparison level occurs between different people) from random record
// pairs, m (how often it occurs between records of one person) and the prior
// by expectation maximisation over the counts of distinct comparison
// patterns among candidate pairs. A pair's match weight is the prior's plus
// each field's log2(m/u); its explanation is that sum, term by term.
//
//   Result<LinkageModel> model = LinkageModel::Train(records, pairs, {});
//   const ComparisonVector v = Compare(records[i], records[j]);
//   double p = model->MatchProbability(v);
//   for (const WeightTerm& t : model->Explain(v)) Print(t.field, t.level,
//   t.weight);
#ifndef MARAC_IDENTITY_LINKAGE_MODEL_H_
#define MARAC_IDENTITY_LINKAGE_MODEL_H_

#include <array>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "marac/common/deadline.h"
#include "marac/common/result.h"
#include "marac/identity/person_record.h"

namespace marac {

// The compared fields, in ComparisonVector order.
enum class LinkField : std::uint8_t {
  kGivenName,
  kFamilyName,
  kNamesSwapped,
  kDateOfBirth,
  kPostcode,
  kGender,
  kAddress,
  kTown,
  kOtherId,
  kEmail,
};
inline constexpr int kLinkFieldCount = 10;

// Per field, the level index of each comparison (0 = missing, which carries
// no evidence).
using LevelVector = std::array<std::uint8_t, kLinkFieldCount>;
LevelVector LevelsOf(const ComparisonVector& v);
// Levels per field (missing included).
int LevelCount(LinkField field);
std::string_view FieldName(LinkField field);
std::string_view LevelName(LinkField field, int level);

struct WeightTerm {
  std::string field;  // "prior" for the first term.
  std::string level;  // "exact", "jaro_winkler_92", ...
  double weight = 0;  // log2 Bayes factor; 0 for a missing field.
};

struct TrainingOptions {
  std::uint64_t seed = 1;
  std::size_t u_sample_pairs = 200'000;  // Random pairs for u.
  double initial_prior = 1e-4;
  int max_iterations = 25;
  double tolerance = 1e-4;  // Largest change of any m or the prior.
  unsigned threads = 0;     // For comparing pairs; 0: one per core.
  // Training stops with kDeadlineExceeded (kCancelled) once this passes,
  // checked every few thousand pairs it samples and before each pass; none
  // by default. It never changes the model trained.
  Deadline deadline = {};
};

// Compares every pair, on `threads` threads (0: one per core). The result
// does not depend on the thread count.
std::vector<ComparisonVector> CompareAll(
    std::span<const NormalisedRecord> records,
    std::span<const std::pair<std::uint32_t, std::uint32_t>> pairs,
    unsigned threads = 0);

// One EM pass: the pairs a training blocking rule produced, and the fields
// that rule required to agree. Those fields cannot be trained on its pairs
// (they agree in matches and non-matches alike), so a pass leaves them out;
// several passes with different rules together train every field.
struct TrainingPass {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  std::vector<LinkField> blocked_fields;
};

struct TrainingReport {
  int iterations = 0;
  bool converged = false;
  std::size_t candidate_pairs = 0;
  std::size_t distinct_patterns = 0;
  // The household model (see LinkageModel): the pairs sharing an address it
  // was fitted on, and its prior that two of them are one person.
  std::size_t household_pairs = 0;
  double household_prior = 0;
  // Whether the "distinct_people" patterns apply: not on data where nearly
  // every pair at one address is one person (no households to tell apart).
  bool household_rules = true;
  // The most an address or postcode adds, in bits, against what a given
  // name, family name and date of birth that all disagree take away. When
  // location outweighed them its weights were scaled down to them
  // (location_capped): a shared address alone never outweighs a different
  // person's name and date of birth.
  double location_weight = 0;
  double disagreement_weight = 0;
  bool location_capped = false;
};

// Whether a comparison says the two records share a location: the same
// address, or one with a slip in it (AddressLevel::kSimilar). Such pairs are
// scored no higher than the household model gives them (LinkageModel).
bool SharesLocation(const ComparisonVector& v);

// Records at one address are often different people of one household
// (partners, twins, a parent and child of one name, refuge residents). So
// besides the population model, a household model is fitted among the
// pairs sharing an address: the same m, with u and the prior refitted there
// on the person fields alone. A pair that shares a location scores the
// lower of the two, shown as a "shared_location" term in its explanation:
// its names and date of birth must carry the link, not its address.
//
// Where the data holds households (TrainingReport::household_rules), two
// patterns at one address say two people whatever else agrees but a shared
// identifier, and score as a "distinct_people" term no agreement outweighs:
// "generation", dates of birth more than ten years apart that no slip
// explains (a father and son of one name); "twins", one date of birth with
// given names that differ beyond a nickname, or only somewhat (Jack and
// Jake, Sophie and Sophia) when both are established names, each on three
// records or more and at least a quarter as many as the other.
class LinkageModel {
 public:
  // Trains on `records`: u from random pairs, m by EM in each of `passes`
  // (averaged over the passes that could train a field), then the prior
  // among `candidate_pairs` (indices into records: the pairs that will be
  // scored) by EM with m and u held. kInvalidArgument for fewer than two
  // records, no passes, an empty or out-of-range pair list;
  // kDeadlineExceeded or kCancelled when options.deadline stops it.
  static Result<LinkageModel> Train(
      std::span<const NormalisedRecord> records,
      std::span<const TrainingPass> passes,
      std::span<const std::pair<std::uint32_t, std::uint32_t>> candidate_pairs,
      const TrainingOptions& options = {});
  // The same with the candidates' comparisons already made (CompareAll),
  // so that training and scoring compare each pair once. The candidates
  // must be sorted; kInvalidArgument otherwise, or when the two spans
  // differ in length.
  static Result<LinkageModel> TrainOnComparisons(
      std::span<const NormalisedRecord> records,
      std::span<const TrainingPass> passes,
      std::span<const std::pair<std::uint32_t, std::uint32_t>> candidate_pairs,
      std::span<const ComparisonVector> candidate_comparisons,
      const TrainingOptions& options = {});

  double prior() const { return prior_; }
  double m(LinkField field, int level) const;
  double u(LinkField field, int level) const;
  const TrainingReport& report() const { return report_; }

  // The household model's prior, and its u per level (location fields: the
  // population's, unused).
  double household_prior() const { return household_prior_; }
  double household_u(LinkField field, int level) const {
    return household_u_[static_cast<std::size_t>(field)]
                       [static_cast<std::size_t>(level)];
  }

  // log2 of the posterior odds: the prior's term plus every field's, or the
  // household model's when it is lower for a pair sharing a location.
  double MatchWeight(const ComparisonVector& v) const;
  // 2^w / (1 + 2^w).
  double MatchProbability(const ComparisonVector& v) const;
  // The terms of MatchWeight, prior first: the waterfall a person reads.
  std::vector<WeightTerm> Explain(const ComparisonVector& v) const;

  // The same for two records, with term-frequency adjustment: an exact
  // match on a rare name is worth more than on a common one. The exact
  // level's u is replaced by the name's frequency among the training records
  // (Splink's adjustment), shown as its own "..._frequency" term.
  double MatchWeight(const NormalisedRecord& a,
                     const NormalisedRecord& b) const;
  double MatchProbability(const NormalisedRecord& a,
                          const NormalisedRecord& b) const;
  std::vector<WeightTerm> Explain(const NormalisedRecord& a,
                                  const NormalisedRecord& b) const;

  // The term-frequency weights a record's exact matches would add, worked
  // out once per record so that scoring many pairs looks nothing up.
  struct FrequencyTerms {
    double given = 0, family = 0, dob = 0, town = 0;
    // On an exact given and family name: -log2 of how many times more
    // people bear that full name (its distinct birth years, from three on)
    // than the two names' frequencies predict. Fifty Mohammed Khans in one
    // town make a shared full name weak.
    double full_name = 0;
    // The records holding the given name: two names that differ somewhat
    // (Jack and Jake) are two names when both are common, a slip when one
    // is rare beside the other.
    double given_records = 0;
  };
  FrequencyTerms TermsOf(const NormalisedRecord& r) const;
  // MatchWeight(a, b) from Compare(a, b), TermsOf(a) and TermsOf(b): the
  // same value.
  double MatchWeight(const ComparisonVector& v, const FrequencyTerms& a_terms,
                     const FrequencyTerms& b_terms) const;
  double MatchProbability(const ComparisonVector& v,
                          const FrequencyTerms& a_terms,
                          const FrequencyTerms& b_terms) const;

  // Whether the pair shows a "distinct_people" pattern (twins, generation)
  // at a shared location: two people whatever else agrees.
  bool DistinctPeople(const ComparisonVector& v, const FrequencyTerms& a_terms,
                      const FrequencyTerms& b_terms) const;

  // Share of training records holding `name` as given (or family) name;
  // a name never seen counts as seen once.
  double GivenNameFrequency(std::string_view name) const;
  double FamilyNameFrequency(std::string_view name) const;
  // The same for a date of birth: a shared 1 January (a year-only date
  // filled in) or a default date is worth less than a shared 17 March.
  double DobFrequency(std::string_view dob) const;
  // And for a town: "london" is worth less than "haltwhistle".
  double TownFrequency(std::string_view town) const;

 private:
  Status TrainHousehold(
      std::span<const NormalisedRecord> records,
      std::span<const TrainingPass> passes,
      std::span<const std::pair<std::uint32_t, std::uint32_t>> candidate_pairs,
      std::span<const ComparisonVector> candidate_comparisons);
  void CheckLocationBalance();
  double BaseWeight(const LevelVector& levels) const;
  double HouseholdWeight(const LevelVector& levels) const;
  std::vector<WeightTerm> FieldTerms(const ComparisonVector& v) const;
  void AddSharedLocationTerm(const ComparisonVector& v, const FrequencyTerms& a,
                             const FrequencyTerms& b,
                             std::vector<WeightTerm>& terms) const;
  enum class FrequencyTermKind { kGiven, kFamily, kFullName, kDob, kTown };
  // Calls sink(kind, of_b, weight) for each term-frequency term of a pair;
  // of_b says whose value it is about.
  template <typename Sink>
  void ForEachFrequencyTerm(const ComparisonVector& v,
                            const LevelVector& levels, const FrequencyTerms& a,
                            const FrequencyTerms& b, const Sink& sink) const;
  double FrequencyWeightOf(const ComparisonVector& v, const LevelVector& levels,
                           const FrequencyTerms& a,
                           const FrequencyTerms& b) const;

  // Per field and level: log2(m/u), 0 for the missing level.
  std::array<std::vector<double>, kLinkFieldCount> weights_;
  // The household model's: log2(m/u) among pairs sharing an address; 0 for
  // the location fields.
  std::array<std::vector<double>, kLinkFieldCount> household_weights_;
  std::array<std::vector<double>, kLinkFieldCount> household_u_;
  double household_prior_ = 0.5;
  bool household_rules_ = true;
  std::array<std::vector<double>, kLinkFieldCount> m_;
  std::array<std::vector<double>, kLinkFieldCount> u_;
  double prior_ = 0;
  TrainingReport report_;
  // Transparent hashing: look up a string_view without building a string.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  using FrequencyMap =
      std::unordered_map<std::string, double, NameHash, std::equal_to<>>;
  double Frequency(const FrequencyMap& map, std::string_view name) const;
  // The term-frequency term of an exact match on `name` in `field`.
  double FrequencyWeight(LinkField field, std::string_view name) const;

  FrequencyMap given_frequency_;
  FrequencyMap family_frequency_;
  FrequencyMap dob_frequency_;
  FrequencyMap town_frequency_;
  // "given|family" -> the distinct birth years of the records holding it,
  // counted up to kFullNameBearersCap.
  FrequencyMap full_name_bearers_;
  double full_name_people_ = 0;  // The sum of every full name's bearers.
  double unseen_frequency_ = 0;
  double record_count_ = 0;
};

}  // namespace marac

#endif  // MARAC_IDENTITY_LINKAGE_MODEL_H_
