#include "marac/identity/blocking.h"

#include <algorithm>
#include <unordered_map>

#include "marac/identity/evaluation.h"

namespace marac {

std::vector<BlockingRule> DefaultBlockingRules() {
  std::vector<BlockingRule> rules;
  rules.push_back({"dob",
                   {LinkField::kDateOfBirth},
                   [](const NormalisedRecord& r) { return r.dob; }});
  rules.push_back({"family_name",
                   {LinkField::kFamilyName},
                   [](const NormalisedRecord& r) { return r.family; }});
  rules.push_back({"postcode_given_name",
                   {LinkField::kPostcode, LinkField::kGivenName},
                   [](const NormalisedRecord& r) {
                     return r.raw_postcode.empty() || r.given.empty()
                                ? std::string()
                                : r.raw_postcode + "|" + r.given;
                   }});
  rules.push_back({"given_name_birth_year",
                   {LinkField::kGivenName},
                   [](const NormalisedRecord& r) {
                     return r.given.empty() || r.dob.size() < 4
                                ? std::string()
                                : r.given + "|" + r.dob.substr(0, 4);
                   }});
  return rules;
}

BlockingResult Block(std::span<const NormalisedRecord> records,
                     std::span<const BlockingRule> rules,
                     const BlockingOptions& options) {
  BlockingResult result;
  for (const BlockingRule& rule : rules) {
    std::unordered_map<std::string, std::vector<std::uint32_t>> blocks;
    for (std::uint32_t i = 0; i < records.size(); ++i) {
      std::string key = rule.key(records[i]);
      if (!key.empty()) blocks[std::move(key)].push_back(i);
    }
    RuleReport report{rule.name, 0, 0, 0, 0};
    TrainingPass pass;
    pass.blocked_fields = rule.fields;
    for (const auto& [key, members] : blocks) {
      if (members.size() > options.max_block_size) {
        ++report.skipped_blocks;
        report.skipped_records += members.size();
        continue;
      }
      report.largest_block = std::max(report.largest_block, members.size());
      for (std::size_t x = 0; x < members.size(); ++x) {
        for (std::size_t y = x + 1; y < members.size(); ++y) {
          pass.pairs.emplace_back(members[x], members[y]);  // Ascending ids.
        }
      }
    }
    // Deterministic order whatever the hash map did.
    std::sort(pass.pairs.begin(), pass.pairs.end());
    report.pairs = pass.pairs.size();
    result.candidates.insert(result.candidates.end(), pass.pairs.begin(),
                             pass.pairs.end());
    result.passes.push_back(std::move(pass));
    result.rules.push_back(std::move(report));
  }
  std::sort(result.candidates.begin(), result.candidates.end());
  result.candidates.erase(
      std::unique(result.candidates.begin(), result.candidates.end()),
      result.candidates.end());
  return result;
}

double PairCompleteness(std::span<const RecordPair> candidates,
                        std::span<const std::string> entity) {
  const std::size_t true_pairs = PairsWithin(entity);
  if (true_pairs == 0) return 1.0;
  std::size_t found = 0;
  for (const auto& [i, j] : candidates) found += entity[i] == entity[j];
  return static_cast<double>(found) / static_cast<double>(true_pairs);
}

double ReductionRatio(std::size_t candidate_count, std::size_t record_count) {
  const double all = static_cast<double>(record_count) *
                     static_cast<double>(record_count - 1) / 2.0;
  return all <= 0 ? 0.0 : 1.0 - static_cast<double>(candidate_count) / all;
}

}  // namespace marac
