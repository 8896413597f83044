// Blocking: which record pairs are compared at all. A union of rules, so that
// one missing or mistyped field does not hide a true pair; each rule keeps
// its own pair list for training (the linkage model cannot learn the fields a
// rule forces to agree). Memory stays bounded: a block larger than the cap
// (a common surname, a placeholder date) is left out and reported, never
// expanded into all its pairs.
//
//   BlockingResult b = Block(records, DefaultBlockingRules(), {});
//   // b.candidates: the union; b.passes: per rule, for LinkageModel::Train
#ifndef MARAC_IDENTITY_BLOCKING_H_
#define MARAC_IDENTITY_BLOCKING_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "marac/identity/linkage_model.h"
#include "marac/identity/person_record.h"

namespace marac {

using RecordPair = std::pair<std::uint32_t, std::uint32_t>;  // first < second

struct BlockingRule {
  std::string name;               // Reported, e.g. "dob".
  std::vector<LinkField> fields;  // The fields the rule makes agree.
  // Appends the record's blocking keys (usually one; none when a field is
  // missing). Records sharing a key are paired.
  std::function<void(const NormalisedRecord&, std::vector<std::string>&)> keys;
  // Blocks larger than this are skipped; 0: BlockingOptions' cap. A loose
  // key (any word of a name) is only worth its pairs when it is rare.
  std::size_t max_block_size = 0;
  // Whether the rule's pairs also make a training pass (its pass is left
  // empty otherwise): false for a rule that blocks the same fields as
  // another, whose pass would weigh that view of the free fields twice.
  bool train = true;
};

// The default union, each rule cheap and exact on its key, chosen so that
// a typo, a swapped date, a nickname or a changed surname in one field
// leaves another rule to find the pair: same date of birth; same family
// name; same postcode and given name; same given name and birth year; same
// other identifier; same e-mail; same address; given names equal up to
// nicknames with the family name's sound; first letters of both names;
// given and family names swapped; family name and given initial with the
// birth month and day (a mistyped year); postcode district and given name
// and family initial; town and family name and given initial; postcode;
// any rare word of either name (a surname typed into the given-name field);
// town and any word of either name.
std::vector<BlockingRule> DefaultBlockingRules();

// American Soundex of a normalised name ("robert" -> "R163"); empty for a
// name without a letter.
std::string Soundex(std::string_view name);

struct BlockingOptions {
  // Blocks with more records than this are skipped (and counted).
  std::size_t max_block_size = 500;
  // Each rule may pair at most this many times the record count: past it,
  // its largest blocks are skipped (and reported), as a common surname or a
  // 1 January date tells little and costs most at a million records.
  double max_pairs_per_record = 15;
  // Past this many records the budget per record shrinks as the square root
  // of (this / records): blocks grow with the population, so a key shared
  // by 40 of a million records tells less than one shared by 4 of a hundred
  // thousand, while the tight rules (a name with the date of birth) keep
  // their pairs. A million records get about 4.7 pairs a record a rule.
  std::size_t budget_full_until = 100'000;
  // Each rule's training pass keeps at most this many of its pairs (an
  // evenly spaced sample): EM needs pattern counts, not every pair, and a
  // million records must not hold every rule's pairs twice.
  std::size_t max_training_pairs = 500'000;
  // Rules run on this many threads (0: one per core); the result does not
  // depend on it.
  unsigned threads = 0;
};

struct RuleReport {
  std::string name;
  std::size_t pairs = 0;
  std::size_t largest_block = 0;   // Among those expanded.
  std::size_t skipped_blocks = 0;  // Over max_block_size.
  std::size_t skipped_records = 0;
  // The block size this rule expanded up to (the cap after the pair
  // budget): a record added later meets a block only within it.
  std::size_t cap = 0;
};

struct BlockingResult {
  std::vector<RecordPair> candidates;  // Union of the rules, sorted, unique.
  std::vector<TrainingPass> passes;    // One per rule, sampled.
  std::vector<RuleReport> rules;
};

BlockingResult Block(std::span<const NormalisedRecord> records,
                     std::span<const BlockingRule> rules,
                     const BlockingOptions& options = {});

// Share of the true pairs (records with equal `entity`) among `candidates`.
// The hash a block is found by (blocks are runs of equal key hashes).
std::uint64_t BlockKeyHash(std::string_view key);

// The pair budget per record and rule for `records` records.
double PairsPerRecord(const BlockingOptions& options, std::size_t records);

double PairCompleteness(std::span<const RecordPair> candidates,
                        std::span<const std::string> entity);
// 1 - candidates / all pairs of `record_count` records.
double ReductionRatio(std::size_t candidate_count, std::size_t record_count);

}  // namespace marac

#endif  // MARAC_IDENTITY_BLOCKING_H_
