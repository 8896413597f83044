#include "marac/identity/blocking.h"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cmath>
#include <initializer_list>
#include <map>
#include <mutex>

#include "lib/common/parallel_for.h"
#include "lib/identity/blocking_until.h"
#include "marac/identity/evaluation.h"

namespace marac {

std::string Soundex(std::string_view name) {
  // Letter codes a..z; '0' for vowels and y, '-' for h and w (which do not
  // separate equal codes).
  static constexpr char kCode[] = "0123012-02245501262301-202";
  std::string out;
  char last = 0;
  for (const char c : name) {
    if (c < 'a' || c > 'z') continue;
    const char code = kCode[c - 'a'];
    if (out.empty()) {
      out += static_cast<char>(c - 'a' + 'A');
      last = code;
      continue;
    }
    if (code == '-') continue;
    if (code != '0' && code != last) out += code;
    last = code;
    if (out.size() == 4) break;
  }
  if (!out.empty()) out.resize(4, '0');
  return out;
}

namespace {

using Keys = std::vector<std::string>;

// Joins key parts with '|'; nothing when any part is empty (a missing
// field never makes a key).
void Key(Keys& out, std::initializer_list<std::string_view> parts) {
  std::string key;
  for (const std::string_view part : parts) {
    if (part.empty()) return;
    if (!key.empty()) key += '|';
    key.append(part);
  }
  out.push_back(std::move(key));
}

std::string_view Prefix(std::string_view s, std::size_t n) {
  return s.substr(0, std::min(n, s.size()));
}

std::string_view BirthYear(const NormalisedRecord& r) {
  return r.dob.size() >= 10 ? std::string_view(r.dob).substr(0, 4) : "";
}

std::string_view PostcodeDistrict(const NormalisedRecord& r) {
  return r.postcode ? std::string_view(r.postcode->district)
                    : std::string_view(r.raw_postcode);
}

// The words of the given and family names, two letters or more, once each.
std::vector<std::string> NameWords(const NormalisedRecord& r) {
  std::vector<std::string> words = NameParts(r.given);
  for (std::string& w : NameParts(r.family)) words.push_back(std::move(w));
  std::erase_if(words, [](const std::string& w) { return w.size() < 2; });
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

// The Soundex codes of those words, once each.
std::vector<std::string> NameSounds(const NormalisedRecord& r) {
  std::vector<std::string> sounds;
  for (const std::string& w : NameWords(r)) sounds.push_back(Soundex(w));
  std::sort(sounds.begin(), sounds.end());
  sounds.erase(std::unique(sounds.begin(), sounds.end()), sounds.end());
  return sounds;
}

}  // namespace

std::vector<BlockingRule> DefaultBlockingRules() {
  using F = LinkField;
  std::vector<BlockingRule> rules;
  rules.push_back({"dob", {F::kDateOfBirth}, [](const auto& r, Keys& k) {
                     Key(k, {r.dob});
                   }});
  rules.push_back({"family_name", {F::kFamilyName}, [](const auto& r, Keys& k) {
                     Key(k, {r.family});
                   }});
  rules.push_back({"postcode_given_name",
                   {F::kPostcode, F::kGivenName},
                   [](const auto& r, Keys& k) {
                     Key(k, {r.raw_postcode, r.given});
                   }});
  rules.push_back(
      {"given_name_birth_year", {F::kGivenName}, [](const auto& r, Keys& k) {
         Key(k, {r.given, BirthYear(r)});
       }});
  rules.push_back({"other_id", {F::kOtherId}, [](const auto& r, Keys& k) {
                     Key(k, {r.other_id});
                   }});
  rules.push_back({"email", {F::kEmail}, [](const auto& r, Keys& k) {
                     Key(k, {r.email});
                   }});
  rules.push_back({"address", {F::kAddress}, [](const auto& r, Keys& k) {
                     Key(k, {r.address});
                   }});
  rules.push_back({"nickname_family_sound",
                   {F::kGivenName, F::kFamilyName},
                   [](const auto& r, Keys& k) {
                     const std::string sound = Soundex(r.family);
                     const std::vector<std::string_view> canonical =
                         NicknameTable::BuiltIn().CanonicalNames(r.given);
                     if (canonical.empty()) Key(k, {r.given, sound});
                     for (const std::string_view name : canonical)
                       Key(k, {name, sound});
                   }});
  // The given name (or each name it may be short for) with the date of
  // birth, its day and month in either order: tight at any size, and it
  // finds a new surname, a mistyped one, a nickname and a swapped day and
  // month, where the looser date-only rule must drop its blocks.
  rules.push_back({"given_name_dob",
                   {F::kGivenName, F::kDateOfBirth},
                   [](const auto& r, Keys& k) {
                     if (r.dob.size() < 10) return;
                     const std::string_view dob = r.dob;
                     const std::string_view month = dob.substr(5, 2);
                     const std::string_view day = dob.substr(8, 2);
                     const std::string_view first = std::min(month, day);
                     const std::string_view second = std::max(month, day);
                     const std::vector<std::string_view> canonical =
                         NicknameTable::BuiltIn().CanonicalNames(r.given);
                     if (canonical.empty())
                       Key(k, {r.given, dob.substr(0, 4), first, second});
                     for (const std::string_view name : canonical)
                       Key(k, {name, dob.substr(0, 4), first, second});
                   }});
  // The given name (or each it may be short for), the sound of the family
  // name and the birth year: a slip in the surname and in the day. It only
  // adds candidates: as a training pass it would count the view of the
  // name-blocked passes twice (and cost fake_1000 0.006 of F1).
  rules.push_back({"given_family_sound_birth_year",
                   {F::kGivenName, F::kFamilyName},
                   [](const auto& r, Keys& k) {
                     const std::string sound = Soundex(r.family);
                     const std::vector<std::string_view> canonical =
                         NicknameTable::BuiltIn().CanonicalNames(r.given);
                     if (canonical.empty())
                       Key(k, {r.given, sound, BirthYear(r)});
                     for (const std::string_view name : canonical)
                       Key(k, {name, sound, BirthYear(r)});
                   },
                   0,
                   /*train=*/false});
  rules.push_back({"name_prefixes",
                   {F::kGivenName, F::kFamilyName},
                   [](const auto& r, Keys& k) {
                     Key(k, {Prefix(r.given, 3), Prefix(r.family, 4)});
                   }});
  rules.push_back(
      {"names_swapped",
       {F::kGivenName, F::kFamilyName, F::kNamesSwapped},
       [](const auto& r, Keys& k) {
         if (r.given.empty() || r.family.empty()) return;
         Key(k, {std::min(r.given, r.family), std::max(r.given, r.family)});
       }});
  rules.push_back({"family_initial_month_day",
                   {F::kFamilyName, F::kDateOfBirth},
                   [](const auto& r, Keys& k) {
                     if (r.dob.size() < 10) return;
                     Key(k, {r.family, Prefix(r.given, 1),
                             std::string_view(r.dob).substr(5)});
                   }});
  rules.push_back(
      {"district_given_family_initial",
       {F::kPostcode, F::kGivenName},
       [](const auto& r, Keys& k) {
         Key(k, {PostcodeDistrict(r), r.given, Prefix(r.family, 1)});
       }});
  rules.push_back({"town_family_given_initial",
                   {F::kTown, F::kFamilyName},
                   [](const auto& r, Keys& k) {
                     Key(k, {r.town, r.family, Prefix(r.given, 1)});
                   }});
  rules.push_back({"postcode", {F::kPostcode}, [](const auto& r, Keys& k) {
                     Key(k, {r.raw_postcode});
                   }});
  rules.push_back({"rare_name_word",
                   {F::kGivenName, F::kFamilyName},
                   [](const auto& r, Keys& k) {
                     for (std::string& w : NameWords(r)) {
                       k.push_back(std::move(w));
                     }
                   },
                   100});
  rules.push_back({"town_name_sound",
                   {F::kTown, F::kGivenName, F::kFamilyName},
                   [](const auto& r, Keys& k) {
                     for (const std::string& sound : NameSounds(r)) {
                       Key(k, {r.town, sound});
                     }
                   }});
  rules.push_back({"birth_year_name_sound",
                   {F::kGivenName, F::kFamilyName},
                   [](const auto& r, Keys& k) {
                     for (const std::string& sound : NameSounds(r)) {
                       Key(k, {BirthYear(r), sound});
                     }
                   }});
  rules.push_back({"town_name_word",
                   {F::kTown, F::kGivenName, F::kFamilyName},
                   [](const auto& r, Keys& k) {
                     if (r.town.empty()) return;
                     for (const std::string& w : NameWords(r)) {
                       Key(k, {r.town, w});
                     }
                   }});
  return rules;
}

std::uint64_t BlockKeyHash(std::string_view key) {
  return std::hash<std::string_view>()(key);
}

double PairsPerRecord(const BlockingOptions& options, std::size_t records) {
  const double n = static_cast<double>(records);
  const double full = static_cast<double>(options.budget_full_until);
  return n <= full ? options.max_pairs_per_record
                   : options.max_pairs_per_record * std::sqrt(full / n);
}

namespace {

// Merges sorted, unique lists of pairs into one sorted, unique list.
std::vector<RecordPair> MergeUnique(
    std::vector<std::vector<RecordPair>> lists) {
  std::size_t total = 0;
  for (const auto& l : lists) total += l.size();
  std::vector<RecordPair> out;
  out.reserve(total / 2);
  // A min-heap of (next pair, list): a few dozen lists of millions of pairs
  // merge in one pass, without sorting their concatenation.
  using Head = std::pair<RecordPair, std::size_t>;
  std::vector<Head> heap;
  std::vector<std::size_t> at(lists.size(), 0);
  for (std::size_t l = 0; l < lists.size(); ++l) {
    if (!lists[l].empty()) heap.emplace_back(lists[l][0], l);
  }
  const auto later = [](const Head& x, const Head& y) { return x > y; };
  std::make_heap(heap.begin(), heap.end(), later);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const auto [pair, l] = heap.back();
    heap.pop_back();
    if (out.empty() || out.back() != pair) out.push_back(pair);
    if (++at[l] < lists[l].size()) {
      heap.emplace_back(lists[l][at[l]], l);
      std::push_heap(heap.begin(), heap.end(), later);
    } else {
      std::vector<RecordPair>().swap(lists[l]);  // Done: free it now.
    }
  }
  out.shrink_to_fit();
  return out;
}

}  // namespace

BlockingResult Block(std::span<const NormalisedRecord> records,
                     std::span<const BlockingRule> rules,
                     const BlockingOptions& options) {
  Result<BlockingResult> blocked =
      BlockUntil(records, rules, options, Deadline(), "blocking");
  // Only a deadline stops blocking, and there is none here.
  assert(blocked.ok());
  return *std::move(blocked);
}

Result<BlockingResult> BlockUntil(std::span<const NormalisedRecord> records,
                                  std::span<const BlockingRule> rules,
                                  const BlockingOptions& options,
                                  const Deadline& deadline,
                                  std::string_view what) {
  // The first check that failed; the rules after it are skipped.
  std::mutex stop_mutex;
  std::atomic<bool> stopped{false};
  Status stop;
  BlockingResult result;
  result.passes.resize(rules.size());
  result.rules.resize(rules.size());
  std::vector<std::vector<RecordPair>> rule_pairs(rules.size());
  // One rule: its blocks, its pairs, its sampled pass.
  const auto run_rule = [&](std::size_t rule_index) {
    if (deadline.active()) {
      if (stopped.load(std::memory_order_relaxed)) return;
      Status checked = deadline.Check(what);
      if (!checked.ok()) {
        const std::lock_guard<std::mutex> lock(stop_mutex);
        if (!stopped.exchange(true)) stop = std::move(checked);
        return;
      }
    }
    const BlockingRule& rule = rules[rule_index];
    // (key hash, record), sorted: each run of one hash is a block, its
    // records in ascending order. Hashing the keys keeps a million records'
    // blocks in a flat array rather than a map of strings; two keys that
    // collide only add candidate pairs, which are scored like any other.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
    entries.reserve(records.size());
    std::vector<std::string> keys;
    for (std::uint32_t i = 0; i < records.size(); ++i) {
      keys.clear();
      rule.keys(records[i], keys);
      for (const std::string& key : keys) {
        entries.emplace_back(BlockKeyHash(key), i);
      }
    }
    std::sort(entries.begin(), entries.end());
    // A record with two keys in one block (two nickname groups with one
    // canonical name) is listed once.
    entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
    std::vector<std::pair<std::size_t, std::size_t>> blocks;  // [begin, end)
    for (std::size_t b = 0; b < entries.size();) {
      std::size_t e = b + 1;
      while (e < entries.size() && entries[e].first == entries[b].first) ++e;
      if (e - b >= 2) blocks.emplace_back(b, e);
      b = e;
    }
    RuleReport report{rule.name, 0, 0, 0, 0, 0};
    TrainingPass pass;
    pass.blocked_fields = rule.fields;
    std::size_t cap =
        rule.max_block_size > 0 ? rule.max_block_size : options.max_block_size;
    // The pair budget: the smallest blocks (the most telling keys) first;
    // the cap falls to the largest block size that keeps within it.
    const auto budget =
        static_cast<std::size_t>(PairsPerRecord(options, records.size()) *
                                 static_cast<double>(records.size()));
    {
      std::map<std::size_t, std::size_t> blocks_of_size;
      for (const auto& [b, e] : blocks) ++blocks_of_size[e - b];
      std::size_t total = 0;
      for (const auto& [size, count] : blocks_of_size) {
        if (size > cap) break;
        total += count * (size * (size - 1) / 2);
        if (total > budget) {
          cap = size - 1;
          break;
        }
      }
    }
    report.cap = cap;
    std::vector<RecordPair>& pairs = rule_pairs[rule_index];
    for (const auto& [b, e] : blocks) {
      const std::size_t size = e - b;
      if (size > cap) {
        ++report.skipped_blocks;
        report.skipped_records += size;
        continue;
      }
      report.largest_block = std::max(report.largest_block, size);
      for (std::size_t x = b; x < e; ++x) {
        for (std::size_t y = x + 1; y < e; ++y) {
          pairs.emplace_back(entries[x].second, entries[y].second);
        }
      }
    }
    std::vector<std::pair<std::uint64_t, std::uint32_t>>().swap(entries);
    // Deterministic order; a record with several keys can meet another in
    // two blocks.
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    report.pairs = pairs.size();
    if (!rule.train) {
      // Candidates only: no training pass.
    } else if (pairs.size() > options.max_training_pairs) {
      // Every k-th pair, in order: the same sample on every run.
      const std::size_t n = pairs.size();
      const std::size_t keep = options.max_training_pairs;
      pass.pairs.reserve(keep);
      for (std::size_t s = 0; s < keep; ++s) {
        pass.pairs.push_back(pairs[s * n / keep]);
      }
    } else {
      pass.pairs = pairs;
    }
    result.passes[rule_index] = std::move(pass);
    result.rules[rule_index] = std::move(report);
  };
  // Rules run side by side; each writes only its own slots, and the union
  // is merged below in rule order, so the result is the same on any number
  // of threads.
  ParallelTasks(rules.size(), options.threads, run_rule);
  if (stopped) return stop;
  result.candidates = MergeUnique(std::move(rule_pairs));
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
