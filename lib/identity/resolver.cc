#include "marac/identity/resolver.h"

#include <algorithm>
#include <exception>
#include <functional>
#include <new>
#include <string>

#include "lib/common/parallel_for.h"
#include "lib/identity/blocking_until.h"

namespace marac {

namespace {

// A step of resolution: what a stopped one says it was doing, and what its
// progress reports name (the items they count).
struct Step {
  std::string_view stopped;
  std::string_view counting;
};
constexpr Step kNormalising = {"resolving records: normalising",
                               "normalising records"};
constexpr Step kBlocking = {"resolving records: blocking", "blocking records"};
constexpr Step kComparing = {"resolving records: comparing candidate pairs",
                             "comparing candidate pairs"};
// Training names itself when it stops ("training the linkage model: ...").
constexpr std::string_view kTraining = "training the linkage model";
constexpr Step kWeighting = {"resolving records: scoring", "weighting records"};
constexpr Step kScoring = {"resolving records: scoring",
                           "scoring candidate pairs"};
constexpr Step kClustering = {"resolving records: clustering",
                              "clustering records"};
constexpr std::string_view kNumbering = "numbering people";

// Items of a loop between two checks of a deadline (and two progress
// reports), per thread: some tens of milliseconds of comparisons.
constexpr std::size_t kItemsPerCheck = 20'000;

using Progress =
    std::function<void(std::string_view, std::size_t, std::size_t)>;

// Calls `progress`, when there is one.
void Report(const Progress& progress, std::string_view step, std::size_t done,
            std::size_t total) {
  if (progress) progress(step, done, total);
}

// ParallelFor(n, threads, body), checking `deadline` before each slice of
// kItemsPerCheck items a thread and reporting `progress` after it; with a
// deadline that cannot expire and no progress, one ParallelFor as before.
// Results are the same either way (body writes by index).
template <typename Body>
Status ParallelForUntil(std::size_t n, unsigned threads,
                        const Deadline& deadline, const Progress& progress,
                        const Step& step, const Body& body) {
  Report(progress, step.counting, 0, n);
  if (!deadline.active() && !progress) {
    ParallelFor(n, threads, body);
    return Status::Ok();
  }
  const std::size_t slice = kItemsPerCheck * ThreadCount(threads);
  for (std::size_t from = 0; from < n; from += slice) {
    MARAC_RETURN_IF_ERROR(deadline.Check(step.stopped));
    const std::size_t to = std::min(n, from + slice);
    ParallelFor(to - from, threads, [&](std::size_t k) { body(from + k); });
    Report(progress, step.counting, to, n);
  }
  return deadline.Check(step.stopped);
}

// CompareAll, slice by slice as ParallelForUntil.
Result<std::vector<ComparisonVector>> CompareAllUntil(
    std::span<const NormalisedRecord> records,
    std::span<const RecordPair> pairs, unsigned threads,
    const Deadline& deadline, const Progress& progress) {
  Report(progress, kComparing.counting, 0, pairs.size());
  if (!deadline.active() && !progress) {
    return CompareAll(records, pairs, threads);
  }
  std::vector<ComparisonVector> out;
  out.reserve(pairs.size());
  const std::size_t slice = kItemsPerCheck * ThreadCount(threads);
  for (std::size_t from = 0; from < pairs.size(); from += slice) {
    MARAC_RETURN_IF_ERROR(deadline.Check(kComparing.stopped));
    const std::vector<ComparisonVector> part = CompareAll(
        records, pairs.subspan(from, std::min(slice, pairs.size() - from)),
        threads);
    out.insert(out.end(), part.begin(), part.end());
    Report(progress, kComparing.counting, out.size(), pairs.size());
  }
  MARAC_RETURN_IF_ERROR(deadline.Check(kComparing.stopped));
  return out;
}

// A deadline's status from a step that does not say it is resolving.
Status Resolving(Status status) {
  const StatusCode code = status.code();
  if (code != StatusCode::kDeadlineExceeded && code != StatusCode::kCancelled) {
    return status;
  }
  return Status(code, "resolving records: " + status.message());
}

Result<Resolution> ResolveOrThrow(std::span<const PersonRecord> records,
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
  if (!(options.blocking.max_pairs_per_record > 0 &&
        options.blocking.max_pairs_per_record <= 1e6)) {
    return InvalidArgument("blocking.max_pairs_per_record",
                           "must be a number above 0 and at most 1,000,000");
  }
  if (!(options.keep_scores_from >= 0 && options.keep_scores_from <= 1)) {
    return InvalidArgument("keep_scores_from", "must be within [0, 1]");
  }
  const unsigned threads = options.training.threads;
  const Deadline& deadline = options.deadline;
  const Progress& progress = options.progress;
  Resolution out;
  out.normalised.resize(records.size());
  MARAC_RETURN_IF_ERROR(ParallelForUntil(
      records.size(), threads, deadline, progress, kNormalising,
      [&](std::size_t i) {
        out.normalised[i] = Normalise(records[i], placeholders);
      }));

  for (std::size_t k = 0; k < options.decisions.size(); ++k) {
    const PairDecision& d = options.decisions[k];
    if (d.a >= records.size() || d.b >= records.size() || d.a == d.b) {
      return InvalidArgument("decisions[" + std::to_string(k) + "]",
                             "needs two different records of the input");
    }
  }
  std::vector<std::uint32_t> cluster_of(records.size());
  for (std::uint32_t i = 0; i < cluster_of.size(); ++i) cluster_of[i] = i;
  if (records.size() >= 2) {
    const std::vector<BlockingRule> rules = DefaultBlockingRules();
    // Blocking runs its rules side by side: no count until they are done.
    Report(progress, kBlocking.counting, 0, records.size());
    MARAC_ASSIGN_OR_RETURN(BlockingResult blocking,
                           BlockUntil(out.normalised, rules, options.blocking,
                                      deadline, kBlocking.stopped));
    Report(progress, kBlocking.counting, records.size(), records.size());
    out.blocking = blocking.rules;
    if (!blocking.candidates.empty()) {
      // Each candidate pair is compared once, for training and scoring.
      MARAC_ASSIGN_OR_RETURN(
          const std::vector<ComparisonVector> comparisons,
          CompareAllUntil(out.normalised, blocking.candidates,
                          options.training.threads, deadline, progress));
      TrainingOptions training = options.training;
      if (deadline.active()) training.deadline = deadline;
      Report(progress, kTraining, 0, 0);
      Result<LinkageModel> trained = LinkageModel::TrainOnComparisons(
          out.normalised, blocking.passes, blocking.candidates, comparisons,
          training);
      if (!trained.ok()) return Resolving(trained.status());
      LinkageModel model = *std::move(trained);
      std::vector<LinkageModel::FrequencyTerms>& terms = out.terms;
      terms.resize(out.normalised.size());
      MARAC_RETURN_IF_ERROR(ParallelForUntil(
          terms.size(), threads, deadline, progress, kWeighting,
          [&](std::size_t i) { terms[i] = model.TermsOf(out.normalised[i]); }));
      std::vector<double> probability(blocking.candidates.size());
      MARAC_RETURN_IF_ERROR(ParallelForUntil(
          probability.size(), threads, deadline, progress, kScoring,
          [&](std::size_t k) {
            probability[k] = model.MatchProbability(
                comparisons[k], terms[blocking.candidates[k].first],
                terms[blocking.candidates[k].second]);
          }));
      // Clustering scores any other pair on demand, to the same value, so
      // the clear non-matches need not be held (most of a million records'
      // candidates).
      // Clustering starts links and reviews only from the pairs it is
      // given: keep every pair it may use, and trim to keep_scores_from
      // after it.
      const double floor =
          std::min(options.keep_scores_from, bands.review_threshold);
      for (std::size_t k = 0; k < probability.size(); ++k) {
        if (probability[k] >= floor) {
          out.scored.push_back({blocking.candidates[k].first,
                                blocking.candidates[k].second, probability[k]});
        }
      }
      out.candidate_pairs = blocking.candidates.size();
      out.model = std::move(model);
    }
    // Also without a model: trusted identifiers and decisions still merge.
    Report(progress, kClustering.counting, 0, records.size());
    const Clustering clusters = Cluster(
        records, out.scored,
        [&](std::uint32_t i, std::uint32_t j) {
          // The same value as MatchProbability(normalised[i], normalised[j]),
          // with i's term weights computed once above.
          return out.model ? out.model->MatchProbability(
                                 Compare(out.normalised[i], out.normalised[j],
                                         NicknameTable::BuiltIn()),
                                 out.terms[i], out.terms[j])
                           : 0.0;
        },
        options.clustering, options.decisions,
        [&](std::uint32_t i, std::uint32_t j) {
          return out.model && out.model->DistinctPeople(
                                  Compare(out.normalised[i], out.normalised[j],
                                          NicknameTable::BuiltIn()),
                                  out.terms[i], out.terms[j]);
        });
    MARAC_RETURN_IF_ERROR(deadline.Check(kClustering.stopped));
    Report(progress, kClustering.counting, records.size(), records.size());
    cluster_of = clusters.cluster_of;
    out.review = clusters.review;
    out.unmet_decisions = clusters.unmet_decisions;
    std::erase_if(out.scored, [&](const ScoredPair& p) {
      return p.probability < options.keep_scores_from;
    });
  }
  Report(progress, kNumbering, 0, 0);
  std::vector<std::string> record_ids;
  record_ids.reserve(records.size());
  for (const PersonRecord& r : records) record_ids.push_back(r.record_id);
  MARAC_ASSIGN_OR_RETURN(
      StableIds ids,
      AssignStableIds(record_ids, cluster_of, options.earlier_person_of));
  out.person_of = std::move(ids.person_of);
  out.events = std::move(ids.events);
  out.next_person_number = ids.next_number;
  return out;
}

}  // namespace

Result<Resolution> Resolve(std::span<const PersonRecord> records,
                           const ResolveOptions& options) {
  // Errors cross the API as values, including running out of memory on a
  // population too large for the machine.
  try {
    return ResolveOrThrow(records, options);
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kUnavailable, "out of memory resolving " +
                                                std::to_string(records.size()) +
                                                " records");
  } catch (const std::exception& e) {
    return Internal(std::string("resolving records: ") + e.what());
  }
}

}  // namespace marac
