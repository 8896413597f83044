#include "marac/identity/clustering.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace marac {
namespace {

using ::testing::ElementsAre;

PersonRecord Rec(std::string id) {
  PersonRecord r;
  r.record_id = std::move(id);
  return r;
}

// Probabilities for every pair, from a table; missing pairs are 0.
struct Table {
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> p;
  std::vector<ScoredPair> Pairs() const {
    std::vector<ScoredPair> out;
    for (const auto& [k, v] : p) out.push_back({k.first, k.second, v});
    return out;
  }
  double operator()(std::uint32_t a, std::uint32_t b) const {
    const auto it = p.find({a, b});
    return it == p.end() ? 0.0 : it->second;
  }
};

TEST(ClusteringTest, ChainThroughAWeakMiddleDoesNotMergeTheEnds) {
  // A-B and B-C look linked; A and C are clearly different people.
  const std::vector<PersonRecord> records = {Rec("A"), Rec("B"), Rec("C")};
  Table t;
  t.p[{0, 1}] = 0.998;
  t.p[{1, 2}] = 0.997;
  t.p[{0, 2}] = 0.001;  // Below the veto threshold.
  const Clustering c = Cluster(records, t.Pairs(), std::cref(t));
  EXPECT_EQ(c.cluster_count, 2u);
  EXPECT_EQ(c.cluster_of[0], c.cluster_of[1]) << "the stronger link wins";
  EXPECT_NE(c.cluster_of[0], c.cluster_of[2]);
  EXPECT_EQ(c.refused_by_support, 1u);
  ASSERT_EQ(c.review.size(), 1u);
  EXPECT_EQ(c.review[0].a, 1u);
  EXPECT_EQ(c.review[0].b, 2u);
}

TEST(ClusteringTest, AJoinNeedsSupportFromTheWholeCluster) {
  // A, B and C are one person; D links strongly to C alone, and A and B
  // say D is probably someone else (not clearly enough for a veto).
  const std::vector<PersonRecord> records = {Rec("A"), Rec("B"), Rec("C"),
                                             Rec("D")};
  Table t;
  t.p[{0, 1}] = 0.999;
  t.p[{0, 2}] = 0.998;
  t.p[{1, 2}] = 0.997;
  t.p[{2, 3}] = 0.995;
  Table all = t;
  all.p[{0, 3}] = 0.05;
  all.p[{1, 3}] = 0.05;
  const Clustering c = Cluster(records, t.Pairs(), std::cref(all));
  EXPECT_THAT(c.cluster_of, ElementsAre(0u, 0u, 0u, 1u));
  EXPECT_EQ(c.refused_by_support, 1u);  // Mean across (0.995+0.05+0.05)/3.

  // With A and B undecided rather than against, D joins.
  all.p[{0, 3}] = 0.4;
  all.p[{1, 3}] = 0.4;
  const Clustering joined = Cluster(records, t.Pairs(), std::cref(all));
  EXPECT_THAT(joined.cluster_of, ElementsAre(0u, 0u, 0u, 0u));
}

TEST(ClusteringTest, CoherentTripleMergesEvenWithoutEveryCandidatePair) {
  const std::vector<PersonRecord> records = {Rec("A"), Rec("B"), Rec("C")};
  Table t;
  t.p[{0, 1}] = 0.995;
  t.p[{1, 2}] = 0.997;
  Table all = t;
  all.p[{0, 2}] = 0.8;  // Not a candidate; scored on demand.
  const Clustering c = Cluster(records, t.Pairs(), std::cref(all));
  EXPECT_EQ(c.cluster_count, 1u);
  EXPECT_THAT(c.cluster_of, ElementsAre(0u, 0u, 0u));
}

TEST(ClusteringTest, ConstraintsForbidAndTrustedIdsJoin) {
  std::vector<PersonRecord> records = {Rec("V"), Rec("P"), Rec("X"), Rec("Y"),
                                       Rec("Z")};
  // The victim and perpetrator of one incident look alike: never merged.
  records[0].role = Role::kVictim;
  records[1].role = Role::kPerpetrator;
  records[0].incident_id = records[1].incident_id = "INC-1";
  // X and Y carry different trusted ids; Y and Z the same one.
  records[2].trusted_id = "PNC-1";
  records[3].trusted_id = "PNC-2";
  records[4].trusted_id = "PNC-2";
  Table t;
  t.p[{0, 1}] = 0.999;
  t.p[{2, 3}] = 0.999;
  const Clustering c = Cluster(records, t.Pairs(), std::cref(t));
  EXPECT_NE(c.cluster_of[0], c.cluster_of[1]);
  EXPECT_NE(c.cluster_of[2], c.cluster_of[3]);
  EXPECT_EQ(c.cluster_of[3], c.cluster_of[4]) << "must-link by trusted id";
  EXPECT_EQ(c.refused_by_constraint, 2u);
  EXPECT_TRUE(CannotLink(records[0], records[1]));
  EXPECT_FALSE(CannotLink(records[3], records[4]));
}

TEST(ClusteringTest, DecisionsOverruleScoresAndLeaveTheReview) {
  // 0-1 would link and 2-3 sit in the review band; a person decided that
  // 0 and 1 are two people, that 2 and 3 are one, and that 4 and 5 (never
  // scored together) are one.
  const std::vector<PersonRecord> records = {Rec("A"), Rec("B"), Rec("C"),
                                             Rec("D"), Rec("E"), Rec("F")};
  Table t;
  t.p[{0, 1}] = 0.999;
  t.p[{2, 3}] = 0.7;
  const std::vector<PairDecision> decisions = {
      {0, 1, false}, {2, 3, true}, {4, 5, true}};
  const Clustering c = Cluster(records, t.Pairs(), std::cref(t), {}, decisions);
  EXPECT_NE(c.cluster_of[0], c.cluster_of[1]);
  EXPECT_EQ(c.cluster_of[2], c.cluster_of[3]);
  EXPECT_EQ(c.cluster_of[4], c.cluster_of[5]);
  EXPECT_TRUE(c.review.empty()) << "decided pairs are not asked again";
  EXPECT_TRUE(c.unmet_decisions.empty());
  // Without the decisions: 0-1 linked, 2-3 for review, 4 and 5 apart.
  const Clustering plain = Cluster(records, t.Pairs(), std::cref(t));
  EXPECT_EQ(plain.cluster_of[0], plain.cluster_of[1]);
  EXPECT_EQ(plain.review.size(), 1u);
  EXPECT_NE(plain.cluster_of[4], plain.cluster_of[5]);
}

TEST(ClusteringTest, ANotSameKeepsWholeClustersApart) {
  // 0-1 and 2-3 are people; 1-2 links them, but 0 and 3 were decided to
  // be two people.
  const std::vector<PersonRecord> records = {Rec("A"), Rec("B"), Rec("C"),
                                             Rec("D")};
  Table t;
  t.p[{0, 1}] = 0.9999;
  t.p[{2, 3}] = 0.9999;
  t.p[{1, 2}] = 0.999;
  t.p[{0, 2}] = 0.99;
  t.p[{1, 3}] = 0.99;
  t.p[{0, 3}] = 0.99;
  const std::vector<PairDecision> decisions = {{0, 3, false}};
  const Clustering c = Cluster(records, t.Pairs(), std::cref(t), {}, decisions);
  EXPECT_EQ(c.cluster_count, 2u);
  EXPECT_NE(c.cluster_of[1], c.cluster_of[2]);
  EXPECT_EQ(c.refused_by_decision, 1u);
}

TEST(ClusteringTest, ASameThatAConstraintForbidsIsReportedUnmet) {
  // The victim and the perpetrator of one incident: a "same" cannot hold.
  std::vector<PersonRecord> records = {Rec("V"), Rec("X")};
  records[0].role = Role::kVictim;
  records[1].role = Role::kPerpetrator;
  records[0].incident_id = records[1].incident_id = "INC-9";
  Table t;
  const std::vector<PairDecision> decisions = {{0, 1, true}};
  const Clustering c = Cluster(records, t.Pairs(), std::cref(t), {}, decisions);
  EXPECT_EQ(c.cluster_count, 2u);
  ASSERT_EQ(c.unmet_decisions.size(), 1u);
  EXPECT_EQ(c.unmet_decisions[0].a, 0u);
}

TEST(ClusteringTest, ReviewBandAndDeterminism) {
  const std::vector<PersonRecord> records = {Rec("A"), Rec("B"), Rec("C"),
                                             Rec("D")};
  Table t;
  t.p[{0, 1}] = 0.7;  // Review band: listed, not merged.
  t.p[{2, 3}] = 0.2;  // Non-link.
  const Clustering a = Cluster(records, t.Pairs(), std::cref(t));
  EXPECT_EQ(a.cluster_count, 4u);
  ASSERT_EQ(a.review.size(), 1u);
  EXPECT_DOUBLE_EQ(a.review[0].probability, 0.7);
  std::vector<ScoredPair> reversed = t.Pairs();
  std::reverse(reversed.begin(), reversed.end());
  const Clustering b = Cluster(records, reversed, std::cref(t));
  EXPECT_EQ(a.cluster_of, b.cluster_of) << "input order does not matter";
}

PersonRecord WithRole(std::string id, Role role) {
  PersonRecord r = Rec(std::move(id));
  r.role = role;
  return r;
}

// The dual-role guard: scores that would link a victim record and a
// perpetrator record leave them apart, directly or through a third record
// without a role, and send the pair for review as dual_role.
TEST(ClusteringTest, DualRoleGuardKeepsVictimAndPerpetratorApart) {
  const std::vector<PersonRecord> records = {WithRole("V", Role::kVictim),
                                             WithRole("U", Role::kUnknown),
                                             WithRole("P", Role::kPerpetrator)};
  Table t;
  t.p[{0, 1}] = 0.999;
  t.p[{1, 2}] = 0.998;
  t.p[{0, 2}] = 0.997;
  const Clustering c = Cluster(records, t.Pairs(), std::cref(t));
  EXPECT_NE(c.cluster_of[0], c.cluster_of[2]);
  EXPECT_EQ(c.cluster_of[0], c.cluster_of[1]) << "the strongest link holds";
  EXPECT_EQ(c.refused_by_dual_role, 2u);
  ASSERT_EQ(c.review.size(), 2u);
  for (const ScoredPair& p : c.review) {
    EXPECT_EQ(p.reason, ReviewReason::kDualRole);
    EXPECT_EQ(ReviewReasonName(p.reason), "dual_role");
  }

  // Off, the same scores make one person of all three.
  const Clustering off = Cluster(records, t.Pairs(), std::cref(t),
                                 {.dual_role_guard = DualRoleGuard::kOff});
  EXPECT_EQ(off.cluster_count, 1u);
}

// A person's "same" decision joins a victim and a perpetrator record: a
// person who is both is a human decision.
TEST(ClusteringTest, ASameDecisionOverridesTheDualRoleGuard) {
  const std::vector<PersonRecord> records = {WithRole("V", Role::kVictim),
                                             WithRole("P", Role::kPerpetrator)};
  Table t;
  t.p[{0, 1}] = 0.999;
  const std::vector<PairDecision> same = {{0, 1, true}};
  const Clustering c = Cluster(records, t.Pairs(), std::cref(t), {}, same);
  EXPECT_EQ(c.cluster_count, 1u);
  EXPECT_TRUE(c.unmet_decisions.empty());
  EXPECT_TRUE(c.review.empty()) << "a decided pair is not asked again";
}

// Pairs in the review band with opposite roles say so too.
TEST(ClusteringTest, ReviewBandPairsWithOppositeRolesAreDualRole) {
  const std::vector<PersonRecord> records = {WithRole("V", Role::kVictim),
                                             WithRole("P", Role::kPerpetrator),
                                             WithRole("X", Role::kVictim)};
  Table t;
  t.p[{0, 1}] = 0.7;
  t.p[{0, 2}] = 0.7;
  const Clustering c = Cluster(records, t.Pairs(), std::cref(t));
  ASSERT_EQ(c.review.size(), 2u);
  EXPECT_EQ(c.review[0].reason, ReviewReason::kDualRole);
  EXPECT_EQ(c.review[1].reason, ReviewReason::kReviewBand);
}

}  // namespace
}  // namespace marac
