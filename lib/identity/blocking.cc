#include "marac/identity/blocking.h"

#include <algorithm>
#include <atomic>
#include <initializer_list>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

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

BlockingResult Block(std::span<const NormalisedRecord> records,
                     std::span<const BlockingRule> rules,
                     const BlockingOptions& options) {
  BlockingResult result;
  result.passes.resize(rules.size());
  result.rules.resize(rules.size());
  std::mutex candidates_mutex;
  // One rule: its blocks, its pairs into the union, its sampled pass.
  const auto run_rule = [&](std::size_t rule_index) {
    const BlockingRule& rule = rules[rule_index];
    std::unordered_map<std::string, std::vector<std::uint32_t>> blocks;
    std::vector<std::string> keys;
    for (std::uint32_t i = 0; i < records.size(); ++i) {
      keys.clear();
      rule.keys(records[i], keys);
      for (std::string& key : keys) {
        std::vector<std::uint32_t>& members = blocks[std::move(key)];
        // A record with two keys in one block (two nickname groups with one
        // canonical name) is listed once.
        if (members.empty() || members.back() != i) members.push_back(i);
      }
    }
    RuleReport report{rule.name, 0, 0, 0, 0};
    TrainingPass pass;
    pass.blocked_fields = rule.fields;
    std::size_t cap =
        rule.max_block_size > 0 ? rule.max_block_size : options.max_block_size;
    // The pair budget: the smallest blocks (the most telling keys) first;
    // the cap falls to the largest block size that keeps within it.
    const auto budget = static_cast<std::size_t>(
        options.max_pairs_per_record * static_cast<double>(records.size()));
    {
      std::map<std::size_t, std::size_t> blocks_of_size;
      for (const auto& [key, members] : blocks)
        ++blocks_of_size[members.size()];
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
    for (const auto& [key, members] : blocks) {
      if (members.size() > cap) {
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
    // Deterministic order whatever the hash map did; a record with several
    // keys can meet another in two blocks.
    std::sort(pass.pairs.begin(), pass.pairs.end());
    pass.pairs.erase(std::unique(pass.pairs.begin(), pass.pairs.end()),
                     pass.pairs.end());
    report.pairs = pass.pairs.size();
    {
      const std::lock_guard<std::mutex> lock(candidates_mutex);
      result.candidates.insert(result.candidates.end(), pass.pairs.begin(),
                               pass.pairs.end());
    }
    if (pass.pairs.size() > options.max_training_pairs) {
      // Every k-th pair, in order: the same sample on every run.
      const std::size_t n = pass.pairs.size();
      const std::size_t keep = options.max_training_pairs;
      std::vector<RecordPair> sample;
      sample.reserve(keep);
      for (std::size_t s = 0; s < keep; ++s) {
        sample.push_back(pass.pairs[s * n / keep]);
      }
      pass.pairs = std::move(sample);
    }
    result.passes[rule_index] = std::move(pass);
    result.rules[rule_index] = std::move(report);
  };
  // Rules run side by side; each writes only its own slots, and the union
  // is sorted below, so the result is the same on any number of threads.
  unsigned threads = options.threads > 0
                         ? options.threads
                         : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, rules.size()));
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t r = next++; r < rules.size(); r = next++) run_rule(r);
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(worker);
  worker();
  for (std::thread& w : workers) w.join();
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
