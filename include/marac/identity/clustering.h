// Clustering scored pairs into people, resisting chaining: connected
// components over link edges would merge A with C through a weak B. Here
// clusters merge along links in order of confidence, and only with support
// from the whole of both clusters: the mean probability over every pair
// across them (scored on demand when the pair was never a candidate) at
// least the review threshold, no such pair below the veto threshold (the
// model clearly says two people), and no constraint forbidding it.
//
// Constraints: records with different trusted identifiers (e.g. police
// national computer numbers) never merge; the victim and the perpetrator of
// one incident never merge; records sharing a trusted identifier merge first.
//
// The dual-role guard (on by default): no automatic merge puts a victim
// record and a perpetrator record in one person, directly or through a third
// record, as the worst error linkage can make is a victim inside their
// abuser's person. Such a pair goes for review as "dual_role"; a person who
// truly is both is a person's decision ("same"), or a shared trusted
// identifier.
#ifndef MARAC_IDENTITY_CLUSTERING_H_
#define MARAC_IDENTITY_CLUSTERING_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "marac/identity/person_record.h"

namespace marac {

// Why a pair is left for a person to decide.
enum class ReviewReason : std::uint8_t {
  kReviewBand,   // Scored between the review and the link threshold.
  kDualRole,     // A victim record and a perpetrator record (of the pair,
                 // or of the people it would join).
  kCannotLink,   // A constraint keeps their people apart.
  kWeakSupport,  // The other records of their people do not support it.
  kTooLarge,     // The person would pass ClusteringOptions::max_cluster_size.
  kAmbiguous,    // The record links as strongly to two people the model
                 // holds distinct (no date of birth, at the address of a
                 // father and son of one name): it stands alone.
};
// "review_band", "dual_role", "cannot_link", "weak_support", "too_large",
// "ambiguous".
std::string_view ReviewReasonName(ReviewReason reason);

struct ScoredPair {
  std::uint32_t a = 0;  // a < b, indices into the records.
  std::uint32_t b = 0;
  double probability = 0;
  // In a review list, why the pair is there; unused elsewhere.
  ReviewReason reason = ReviewReason::kReviewBand;
};

// A person's decision on a pair of records (indices into the records):
// the same person, or not. Decisions stand in every later run: a "same"
// merges the two records' people whatever the scores (unless a cannot-link
// constraint forbids it), a "not same" keeps them apart.
struct PairDecision {
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  bool same = false;
};

enum class DualRoleGuard : std::uint8_t { kOn, kOff };

struct ClusteringOptions {
  double link_threshold = 0.995;  // Merge along pairs at or above this.
  // A merge of two clusters needs the mean probability over every pair
  // across them at least review_threshold, and no such pair below
  // veto_threshold (a pair the model says is clearly two people).
  double review_threshold = 0.5;
  double veto_threshold = 0.001;
  std::size_t max_cluster_size = 1000;  // Larger merges are refused.
  // Whether automatic merges may join a victim record and a perpetrator
  // record (see above). Off only for data whose roles mean something else.
  DualRoleGuard dual_role_guard = DualRoleGuard::kOn;
};

struct Clustering {
  // Per record, its cluster: 0..k-1, numbered in order of first record.
  std::vector<std::uint32_t> cluster_of;
  std::uint32_t cluster_count = 0;
  // Pairs left for a person to decide: in the review band, or links the
  // clustering refused; sorted by (a, b).
  std::vector<ScoredPair> review;
  std::size_t refused_by_support = 0;     // A cross pair below review.
  std::size_t refused_by_constraint = 0;  // Cannot-link.
  std::size_t refused_by_decision = 0;    // A "not same" across them.
  std::size_t refused_by_dual_role = 0;   // Victim and perpetrator records.
  std::size_t ambiguous = 0;  // Records left alone between two people.
  // "Same" decisions a constraint or a "not same" decision overruled.
  std::vector<PairDecision> unmet_decisions;
};

// Whether `a` and `b` may never be the same person.
bool CannotLink(const PersonRecord& a, const PersonRecord& b);

// Whether one is a victim record and the other a perpetrator record.
bool OppositeRoles(const PersonRecord& a, const PersonRecord& b);

// Clusters `records` given the scored candidate `pairs`; `probability`
// scores any other pair on demand (records i, j). `decisions` (valid
// indices, a != b) come first after trusted identifiers; a decided pair is
// never sent for review again. `distinct_people` (optional) says which
// pairs the model holds to be two people of one household (twins, a father
// and son): a record linking as strongly to two such people stands alone,
// its links sent for review as "ambiguous". Deterministic: the same input gives
// the same clusters.
Clustering Cluster(
    std::span<const PersonRecord> records, std::span<const ScoredPair> pairs,
    const std::function<double(std::uint32_t, std::uint32_t)>& probability,
    const ClusteringOptions& options = {},
    std::span<const PairDecision> decisions = {},
    const std::function<bool(std::uint32_t, std::uint32_t)>& distinct_people =
        {});

}  // namespace marac

#endif  // MARAC_IDENTITY_CLUSTERING_H_
