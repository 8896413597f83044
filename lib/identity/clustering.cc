#include "marac/identity/clustering.h"

#include <algorithm>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

namespace marac {
namespace {

// Disjoint sets with member lists, so a merge can check every cross pair.
class Clusters {
 public:
  explicit Clusters(std::size_t n) : parent_(n), members_(n) {
    std::iota(parent_.begin(), parent_.end(), 0u);
    for (std::uint32_t i = 0; i < n; ++i) members_[i] = {i};
  }
  std::uint32_t Find(std::uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  const std::vector<std::uint32_t>& Members(std::uint32_t root) const {
    return members_[root];
  }
  void Merge(std::uint32_t ra, std::uint32_t rb) {
    if (members_[ra].size() < members_[rb].size()) std::swap(ra, rb);
    parent_[rb] = ra;
    members_[ra].insert(members_[ra].end(), members_[rb].begin(),
                        members_[rb].end());
    members_[rb].clear();
  }

 private:
  std::vector<std::uint32_t> parent_;
  std::vector<std::vector<std::uint32_t>> members_;
};

}  // namespace

std::string_view ReviewReasonName(ReviewReason reason) {
  switch (reason) {
    case ReviewReason::kReviewBand:
      return "review_band";
    case ReviewReason::kDualRole:
      return "dual_role";
    case ReviewReason::kCannotLink:
      return "cannot_link";
    case ReviewReason::kWeakSupport:
      return "weak_support";
    case ReviewReason::kTooLarge:
      return "too_large";
    case ReviewReason::kAmbiguous:
      return "ambiguous";
  }
  return "unknown";
}

bool OppositeRoles(const PersonRecord& a, const PersonRecord& b) {
  return (a.role == Role::kVictim && b.role == Role::kPerpetrator) ||
         (a.role == Role::kPerpetrator && b.role == Role::kVictim);
}

bool CannotLink(const PersonRecord& a, const PersonRecord& b) {
  if (!a.trusted_id.empty() && !b.trusted_id.empty() &&
      a.trusted_id != b.trusted_id) {
    return true;
  }
  return OppositeRoles(a, b) && !a.incident_id.empty() &&
         a.incident_id == b.incident_id;
}

Clustering Cluster(
    std::span<const PersonRecord> records, std::span<const ScoredPair> pairs,
    const std::function<double(std::uint32_t, std::uint32_t)>& probability,
    const ClusteringOptions& options, std::span<const PairDecision> decisions,
    const std::function<bool(std::uint32_t, std::uint32_t)>& distinct_people) {
  const std::size_t n = records.size();
  const auto pack = [](std::uint32_t i, std::uint32_t j) {
    return (std::uint64_t{std::min(i, j)} << 32) | std::max(i, j);
  };
  std::unordered_set<std::uint64_t> decided;
  std::unordered_set<std::uint64_t> not_same;
  for (const PairDecision& d : decisions) {
    decided.insert(pack(d.a, d.b));
    if (!d.same) not_same.insert(pack(d.a, d.b));
  }
  Clusters clusters(n);
  Clustering out;
  // Scores by pair: the candidates sorted for binary search (no per-pair
  // node: a million records have tens of millions of candidates), and the
  // pairs scored on demand in a hash map.
  std::vector<ScoredPair> by_pair(pairs.begin(), pairs.end());
  for (ScoredPair& p : by_pair) {
    if (p.a > p.b) std::swap(p.a, p.b);
  }
  const auto pair_less = [](const ScoredPair& x, const ScoredPair& y) {
    return std::tie(x.a, x.b) < std::tie(y.a, y.b);
  };
  std::sort(by_pair.begin(), by_pair.end(), pair_less);
  std::unordered_map<std::uint64_t, double> extra;
  const auto score = [&](std::uint32_t i, std::uint32_t j) {
    const ScoredPair key{std::min(i, j), std::max(i, j), 0};
    const auto it =
        std::lower_bound(by_pair.begin(), by_pair.end(), key, pair_less);
    if (it != by_pair.end() && it->a == key.a && it->b == key.b) {
      return it->probability;
    }
    const std::uint64_t packed = (std::uint64_t{key.a} << 32) | key.b;
    const auto found = extra.find(packed);
    if (found != extra.end()) return found->second;
    const double p = probability(key.a, key.b);
    extra.emplace(packed, p);
    return p;
  };
  // Merges the clusters of i and j if no cross pair is forbidden or
  // implausible; says why not otherwise.
  enum class Outcome {
    kMerged,
    kSame,
    kConstraint,
    kDecision,
    kDualRole,
    kSupport,
    kSize
  };
  const bool guard = options.dual_role_guard == DualRoleGuard::kOn;
  // need_support: an automatic merge, which also keeps to the dual-role
  // guard; a trusted identifier or a person's decision needs neither.
  const auto try_merge = [&](std::uint32_t i, std::uint32_t j,
                             bool need_support) {
    const std::uint32_t ri = clusters.Find(i);
    const std::uint32_t rj = clusters.Find(j);
    if (ri == rj) return Outcome::kSame;
    const auto& mi = clusters.Members(ri);
    const auto& mj = clusters.Members(rj);
    if (mi.size() + mj.size() > options.max_cluster_size) return Outcome::kSize;
    for (const std::uint32_t x : mi) {
      for (const std::uint32_t y : mj) {
        if (CannotLink(records[x], records[y])) return Outcome::kConstraint;
      }
    }
    if (!not_same.empty()) {
      for (const std::uint32_t x : mi) {
        for (const std::uint32_t y : mj) {
          if (not_same.contains(pack(x, y))) return Outcome::kDecision;
        }
      }
    }
    if (need_support && guard) {
      for (const std::uint32_t x : mi) {
        for (const std::uint32_t y : mj) {
          if (OppositeRoles(records[x], records[y])) return Outcome::kDualRole;
        }
      }
    }
    if (need_support) {
      double sum = 0;
      for (const std::uint32_t x : mi) {
        for (const std::uint32_t y : mj) {
          const double p = score(x, y);
          if (p < options.veto_threshold) return Outcome::kSupport;
          sum += p;
        }
      }
      const double cross = static_cast<double>(mi.size() * mj.size());
      if (sum < options.review_threshold * cross) return Outcome::kSupport;
    }
    clusters.Merge(ri, rj);
    return Outcome::kMerged;
  };

  // Must-link: a shared trusted identifier.
  std::unordered_map<std::string, std::uint32_t> by_trusted_id;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (records[i].trusted_id.empty()) continue;
    const auto [it, inserted] =
        by_trusted_id.try_emplace(records[i].trusted_id, i);
    if (!inserted) (void)try_merge(it->second, i, /*need_support=*/false);
  }

  // A person's "same": before any score.
  for (const PairDecision& d : decisions) {
    if (!d.same) continue;
    const Outcome o = try_merge(d.a, d.b, /*need_support=*/false);
    if (o == Outcome::kConstraint || o == Outcome::kDecision ||
        o == Outcome::kSize) {
      out.unmet_decisions.push_back(d);
    }
  }

  // Links, most confident first; ties by index, so the result is stable.
  // Only pairs in the link or review band take part.
  std::vector<ScoredPair> ordered;
  for (const ScoredPair& p : by_pair) {
    if (p.probability >= options.review_threshold) ordered.push_back(p);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const ScoredPair& x, const ScoredPair& y) {
              if (x.probability != y.probability) {
                return x.probability > y.probability;
              }
              return std::tie(x.a, x.b) < std::tie(y.a, y.b);
            });
  for (const ScoredPair& p : ordered) {
    if (decided.contains(pack(p.a, p.b))) {
      // Decided: a "same" merged above; a "not same" stands.
      continue;
    }
    const auto review = [&](ReviewReason reason) {
      ScoredPair r = p;
      r.reason = reason;
      out.review.push_back(r);
    };
    if (p.probability < options.link_threshold) {
      if (p.probability >= options.review_threshold &&
          clusters.Find(p.a) != clusters.Find(p.b)) {
        review(guard && OppositeRoles(records[p.a], records[p.b])
                   ? ReviewReason::kDualRole
                   : ReviewReason::kReviewBand);
      }
      continue;
    }
    switch (try_merge(p.a, p.b, /*need_support=*/true)) {
      case Outcome::kConstraint:
        ++out.refused_by_constraint;
        review(ReviewReason::kCannotLink);
        break;
      case Outcome::kDecision:
        ++out.refused_by_decision;  // Already decided: not sent again.
        break;
      case Outcome::kDualRole:
        ++out.refused_by_dual_role;
        review(ReviewReason::kDualRole);
        break;
      case Outcome::kSupport:
        ++out.refused_by_support;
        review(ReviewReason::kWeakSupport);
        break;
      case Outcome::kSize:
        ++out.refused_by_support;
        review(ReviewReason::kTooLarge);
        break;
      default:
        break;
    }
  }
  // A record linked to one person that links as strongly to another, whom
  // the model holds distinct from the first (a father and son of one name,
  // twins: `distinct_people`), could be either: a record without a date of
  // birth at their address. Placing it would be a guess, so it stands alone and
  // its links go for review as "ambiguous". Records a trusted identifier
  // or a person's decision placed stay.
  std::unordered_set<std::uint32_t> placed_by_person;
  for (const PairDecision& d : decisions) {
    if (d.same) placed_by_person.insert(d.a), placed_by_person.insert(d.b);
  }
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!records[i].trusted_id.empty()) placed_by_person.insert(i);
  }
  std::unordered_set<std::uint32_t> ambiguous;
  std::vector<ScoredPair> ambiguous_pairs;
  for (const ScoredPair& p : ordered) {
    if (!distinct_people) break;
    if (p.probability < options.link_threshold) break;
    const std::uint32_t ra = clusters.Find(p.a);
    const std::uint32_t rb = clusters.Find(p.b);
    if (ra == rb) continue;
    // Each end in turn: is it linked into its own person while its partner
    // belongs to a clearly distinct one?
    for (const auto& [x, own, other] :
         {std::tuple{p.a, ra, rb}, std::tuple{p.b, rb, ra}}) {
      if (placed_by_person.contains(x) || clusters.Members(own).size() < 2) {
        continue;
      }
      bool distinct = false;
      for (const std::uint32_t y : clusters.Members(own)) {
        if (y == x) continue;
        for (const std::uint32_t z : clusters.Members(other)) {
          if (distinct_people(y, z)) {
            distinct = true;
            break;
          }
        }
        if (distinct) break;
      }
      if (distinct && ambiguous.insert(x).second) {
        ScoredPair r = p;
        r.reason = ReviewReason::kAmbiguous;
        ambiguous_pairs.push_back(r);
      }
    }
  }
  if (!ambiguous.empty()) {
    // Their pairs already listed are now about a record on its own.
    std::erase_if(out.review, [&](const ScoredPair& r) {
      return ambiguous.contains(r.a) || ambiguous.contains(r.b);
    });
    out.review.insert(out.review.end(), ambiguous_pairs.begin(),
                      ambiguous_pairs.end());
    out.ambiguous = ambiguous.size();
  }
  std::sort(out.review.begin(), out.review.end(),
            [](const ScoredPair& x, const ScoredPair& y) {
              return std::tie(x.a, x.b) < std::tie(y.a, y.b);
            });

  // Number clusters in order of their first record; an ambiguous record is
  // a cluster of its own.
  out.cluster_of.assign(n, 0);
  std::unordered_map<std::uint32_t, std::uint32_t> number;
  for (std::uint32_t i = 0; i < n; ++i) {
    if (ambiguous.contains(i)) {
      out.cluster_of[i] = out.cluster_count++;
      continue;
    }
    const auto [it, inserted] =
        number.try_emplace(clusters.Find(i), out.cluster_count);
    if (inserted) ++out.cluster_count;
    out.cluster_of[i] = it->second;
  }
  return out;
}

}  // namespace marac
