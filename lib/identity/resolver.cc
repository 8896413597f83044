#include "marac/identity/resolver.h"

#include <cstdio>

namespace marac {

Result<Resolution> Resolve(std::span<const PersonRecord> records,
                           const ResolveOptions& options) {
  const ClusteringOptions& bands = options.clustering;
  if (!(bands.review_threshold > 0 &&
        bands.review_threshold <= bands.link_threshold &&
        bands.link_threshold < 1)) {
    return InvalidArgument("thresholds",
                           "need 0 < review threshold <= link threshold < 1");
  }
  const std::vector<std::string_view> placeholders(
      options.dob_placeholders.begin(), options.dob_placeholders.end());
  Resolution out;
  out.normalised.reserve(records.size());
  for (const PersonRecord& r : records) {
    out.normalised.push_back(Normalise(r, placeholders));
  }

  std::vector<std::uint32_t> cluster_of(records.size());
  for (std::uint32_t i = 0; i < cluster_of.size(); ++i) cluster_of[i] = i;
  if (records.size() >= 2) {
    const std::vector<BlockingRule> rules = DefaultBlockingRules();
    BlockingResult blocking = Block(out.normalised, rules, options.blocking);
    out.blocking = blocking.rules;
    if (!blocking.candidates.empty()) {
      // Each candidate pair is compared once, for training and scoring.
      const std::vector<ComparisonVector> comparisons = CompareAll(
          out.normalised, blocking.candidates, options.training.threads);
      MARAC_ASSIGN_OR_RETURN(
          LinkageModel model,
          LinkageModel::TrainOnComparisons(out.normalised, blocking.passes,
                                           blocking.candidates, comparisons,
                                           options.training));
      std::vector<LinkageModel::FrequencyTerms> terms;
      terms.reserve(out.normalised.size());
      for (const NormalisedRecord& r : out.normalised) {
        terms.push_back(model.TermsOf(r));
      }
      out.scored.resize(blocking.candidates.size());
      for (std::size_t k = 0; k < blocking.candidates.size(); ++k) {
        const auto [i, j] = blocking.candidates[k];
        out.scored[k] = {i, j,
                         model.MatchProbability(comparisons[k], terms[i])};
      }
      const Clustering clusters = Cluster(
          records, out.scored,
          [&](std::uint32_t i, std::uint32_t j) {
            return model.MatchProbability(out.normalised[i], out.normalised[j]);
          },
          options.clustering);
      cluster_of = clusters.cluster_of;
      out.review = clusters.review;
      out.model = std::move(model);
    }
  }
  // Number people in order of their first record.
  std::vector<std::int64_t> number(records.size(), -1);
  std::int64_t next = 0;
  out.person_of.reserve(records.size());
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    std::int64_t& n = number[cluster_of[i]];
    if (n < 0) n = next++;
    char id[32];
    std::snprintf(id, sizeof id, "P%06lld", static_cast<long long>(n + 1));
    out.person_of.emplace_back(id);
  }
  return out;
}

}  // namespace marac
