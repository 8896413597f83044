// Identity resolution end to end, in memory: normalise, block, train the
// linkage model without labels, score the candidate pairs, cluster.
//
//   Result<Resolution> r = Resolve(records, {});
//   // r->person_of[i]: the person of records[i]; r->review: pairs to decide
#ifndef MARAC_IDENTITY_RESOLVER_H_
#define MARAC_IDENTITY_RESOLVER_H_

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/deadline.h"
#include "marac/common/result.h"
#include "marac/identity/blocking.h"
#include "marac/identity/clustering.h"
#include "marac/identity/linkage_model.h"
#include "marac/identity/person_record.h"
#include "marac/identity/stable_ids.h"

namespace marac {

struct ResolveOptions {
  // Dates of birth that mean "not known" (treated as missing).
  std::vector<std::string> dob_placeholders = {
      "1900-01-01", "1800-01-01", "1901-01-01", "1970-01-01", "0001-01-01"};
  BlockingOptions blocking;
  TrainingOptions training;
  ClusteringOptions clustering;
  // Resolution::scored keeps the candidate pairs scored at least this; 0
  // keeps every one (an explanation of every candidate). The clusters and
  // the review list do not depend on it.
  double keep_scores_from = 0.01;
  // A person's decisions on pairs of the records (indices): respected
  // whatever the scores, and never sent for review again.
  std::vector<PairDecision> decisions;
  // Record id -> person id from an earlier run: those ids stay stable (see
  // stable_ids.h); records not in it are new.
  std::map<std::string, std::string, std::less<>> earlier_person_of;
  // When the caller stops waiting (none by default): resolution checks it
  // between its steps and every few tens of thousands of records or pairs
  // within them, and stops with kDeadlineExceeded (kCancelled). When it
  // can expire it also bounds training, in place of training.deadline. It
  // never changes a resolution that finishes.
  Deadline deadline = {};
  // Where resolution has got to, for a caller that shows progress (none by
  // default): the step, which names what it counts ("comparing candidate
  // pairs"), and how many of them are done of how many in all; a total of
  // 0 means the step has no count ("training the linkage model"). Called
  // on the calling thread at each step's start and end and between slices
  // of some tens of thousands of items, so it costs nothing measurable; it
  // must be quick and must not throw. It never changes the resolution.
  std::function<void(std::string_view step, std::size_t done,
                     std::size_t total)>
      progress;
};

struct Resolution {
  // Per record, its person: "P" and a six-digit number. Without earlier
  // ids, numbered in order of each person's first record; with them, the
  // earlier ids live on and new people number on from the highest. The same
  // input gives the same ids.
  std::vector<std::string> person_of;
  std::vector<PersonEvent> events;  // Merges and splits of earlier people.
  // The number the next new person gets (see StableIds::next_number).
  std::uint64_t next_person_number = 1;
  // "Same" decisions that a cannot-link constraint or a "not same"
  // decision overruled: for a person to look at again.
  std::vector<PairDecision> unmet_decisions;
  // The candidate pairs scored at least keep_scores_from, sorted by (a, b).
  std::vector<ScoredPair> scored;
  std::size_t candidate_pairs = 0;  // All of them, kept or not.
  std::vector<ScoredPair> review;   // For a person to decide.
  std::vector<RuleReport> blocking;
  std::optional<LinkageModel> model;  // Absent when nothing could be trained.
  std::vector<NormalisedRecord> normalised;
  // Each record's term-frequency weights under the model (empty without
  // one): a pair (i, j) scores as model->MatchProbability(Compare(i, j),
  // terms[i]).
  std::vector<LinkageModel::FrequencyTerms> terms;
};

// Resolves `records`. With fewer than two records, or no candidate pair,
// every record is its own person. kInvalidArgument when the thresholds are
// not 0 < review_threshold <= link_threshold < 1, or the model cannot be
// trained on what blocking produced; kDeadlineExceeded or kCancelled,
// naming the step ("resolving records: blocking: the deadline passed"),
// when options.deadline stopped it.
Result<Resolution> Resolve(std::span<const PersonRecord> records,
                           const ResolveOptions& options = {});

}  // namespace marac

#endif  // MARAC_IDENTITY_RESOLVER_H_
