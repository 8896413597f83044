#include "marac/identity/evaluation.h"

#include <cassert>
#include <map>
#include <unordered_map>
#include <utility>

namespace marac {
namespace {

std::size_t Choose2(std::size_t k) { return k * (k - 1) / 2; }

}  // namespace

double PairwiseAccuracy::precision() const {
  return predicted_pairs == 0 ? 1.0
                              : static_cast<double>(true_positives) /
                                    static_cast<double>(predicted_pairs);
}

double PairwiseAccuracy::recall() const {
  return true_pairs == 0 ? 1.0
                         : static_cast<double>(true_positives) /
                               static_cast<double>(true_pairs);
}

double PairwiseAccuracy::f1() const {
  const double p = precision();
  const double r = recall();
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

std::size_t PairsWithin(std::span<const std::string> labels) {
  std::unordered_map<std::string_view, std::size_t> sizes;
  for (const std::string& label : labels) ++sizes[label];
  std::size_t pairs = 0;
  for (const auto& [label, k] : sizes) pairs += Choose2(k);
  return pairs;
}

PairwiseAccuracy EvaluatePairs(std::span<const std::string> predicted,
                               std::span<const std::string> truth) {
  assert(predicted.size() == truth.size());
  PairwiseAccuracy out;
  out.true_pairs = PairsWithin(truth);
  out.predicted_pairs = PairsWithin(predicted);
  // True positives: pairs sharing both labels.
  std::map<std::pair<std::string_view, std::string_view>, std::size_t> both;
  for (std::size_t i = 0; i < predicted.size() && i < truth.size(); ++i) {
    ++both[{predicted[i], truth[i]}];
  }
  for (const auto& [key, k] : both) out.true_positives += Choose2(k);
  return out;
}

}  // namespace marac
