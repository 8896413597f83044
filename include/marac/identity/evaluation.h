// Evaluating resolved people against ground truth, pair by pair, as the
// linkage literature reports it: a pair of records is a true positive when
// both the resolution and the truth put them together. Labels are for
// evaluation only; nothing here feeds training.
//
//   PairwiseAccuracy a = EvaluatePairs(person_of, truth);
//   a.precision(); a.recall(); a.f1();
#ifndef MARAC_IDENTITY_EVALUATION_H_
#define MARAC_IDENTITY_EVALUATION_H_

#include <cstddef>
#include <span>
#include <string>

namespace marac {

struct PairwiseAccuracy {
  std::size_t true_pairs = 0;       // Pairs the truth puts together.
  std::size_t predicted_pairs = 0;  // Pairs the resolution puts together.
  std::size_t true_positives = 0;   // Both.

  double precision() const;  // 1 when nothing was predicted.
  double recall() const;     // 1 when there is nothing to find.
  double f1() const;
};

// Pairs of records with equal labels, in linear time (counted per label).
std::size_t PairsWithin(std::span<const std::string> labels);

// `predicted[i]` and `truth[i]` label record i (same length).
PairwiseAccuracy EvaluatePairs(std::span<const std::string> predicted,
                               std::span<const std::string> truth);

}  // namespace marac

#endif  // MARAC_IDENTITY_EVALUATION_H_
