#include "marac/identity/population.h"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <exception>
#include <iterator>
#include <new>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "lib/common/parallel_for.h"
#include "marac/identity/blocking.h"
#include "marac/identity/stable_ids.h"

namespace marac {
namespace {

std::uint64_t PackPair(std::uint32_t i, std::uint32_t j) {
  return (std::uint64_t{std::min(i, j)} << 32) | std::max(i, j);
}

// One blocking rule's blocks: the batch's (hash, record) sorted, and the
// records added since, by hash.
struct RuleIndex {
  std::vector<std::pair<std::uint64_t, std::uint32_t>> batch;
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> added;
  std::size_t cap = 0;
};

}  // namespace

struct Population::State {
  ResolveOptions options;
  // Deques: growing never moves a million records (a pause of a second
  // for the one add that reallocates a vector).
  std::deque<PersonRecord> records;
  std::deque<NormalisedRecord> normalised;
  std::deque<LinkageModel::FrequencyTerms> terms;
  LinkageModel model;
  std::vector<BlockingRule> rules;
  std::vector<RuleIndex> index;
  std::deque<std::string> person_of;
  std::unordered_map<std::string, std::vector<std::uint32_t>> members;
  std::unordered_set<std::string> record_ids;
  std::unordered_map<std::string, std::uint32_t> by_trusted_id;
  std::unordered_set<std::uint64_t> not_same;
  std::uint64_t next_person = 1;
  std::vector<std::string> keys;  // Scratch.

  void IndexRecord(std::uint32_t i) {
    for (std::size_t r = 0; r < rules.size(); ++r) {
      keys.clear();
      rules[r].keys(normalised[i], keys);
      for (const std::string& key : keys) {
        std::vector<std::uint32_t>& block = index[r].added[BlockKeyHash(key)];
        if (block.empty() || block.back() != i) block.push_back(i);
      }
    }
    members[person_of[i]].push_back(i);
    if (!records[i].trusted_id.empty()) {
      by_trusted_id.try_emplace(records[i].trusted_id, i);
    }
  }

  // Whether record `x` (not yet in any person) may join `person`: no
  // constraint or decision against it, and, for an automatic link, the
  // dual-role guard kept and support from every member. Nothing when it
  // may; otherwise why not.
  std::optional<ReviewReason> Refusal(std::uint32_t x,
                                      const std::vector<std::uint32_t>& people,
                                      bool need_support) const {
    if (people.size() + 1 > options.clustering.max_cluster_size) {
      return ReviewReason::kTooLarge;
    }
    const bool guard = need_support &&
                       options.clustering.dual_role_guard == DualRoleGuard::kOn;
    for (const std::uint32_t y : people) {
      if (CannotLink(records[x], records[y]) ||
          not_same.contains(PackPair(x, y))) {
        return ReviewReason::kCannotLink;
      }
      if (guard && OppositeRoles(records[x], records[y])) {
        return ReviewReason::kDualRole;
      }
    }
    if (!need_support) return std::nullopt;
    double sum = 0;
    for (const std::uint32_t y : people) {
      const double p = model.MatchProbability(
          Compare(normalised[y], normalised[x], NicknameTable::BuiltIn()),
          terms[y], terms[x]);
      if (p < options.clustering.veto_threshold) {
        return ReviewReason::kWeakSupport;
      }
      sum += p;
    }
    if (sum < options.clustering.review_threshold *
                  static_cast<double>(people.size())) {
      return ReviewReason::kWeakSupport;
    }
    return std::nullopt;
  }
};

Population::Population(std::unique_ptr<State> state)
    : state_(std::move(state)) {}
Population::Population(Population&&) noexcept = default;
Population& Population::operator=(Population&&) noexcept = default;
Population::~Population() = default;

Result<Population> Population::Build(std::vector<PersonRecord> records,
                                     const ResolveOptions& options) {
  try {
    return BuildOrThrow(std::move(records), options);
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kUnavailable,
                  "out of memory building a population");
  } catch (const std::exception& e) {
    return Internal(std::string("building a population: ") + e.what());
  }
}

Result<Population> Population::BuildOrThrow(std::vector<PersonRecord> records,
                                            const ResolveOptions& options) {
  auto state = std::make_unique<State>();
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].record_id.empty() ||
        !state->record_ids.insert(records[i].record_id).second) {
      return InvalidArgument("records[" + std::to_string(i) + "].record_id",
                             records[i].record_id.empty()
                                 ? "empty"
                                 : "'" + records[i].record_id + "' repeated");
    }
  }
  MARAC_ASSIGN_OR_RETURN(Resolution resolution, Resolve(records, options));
  if (!resolution.model) {
    return InvalidArgument("records",
                           "too few to train a model (no candidate pair)");
  }
  State& s = *state;
  s.options = options;
  // The caller's progress is for Build alone; what it refers to may not
  // outlive it.
  s.options.progress = nullptr;
  s.records.assign(std::make_move_iterator(records.begin()),
                   std::make_move_iterator(records.end()));
  s.normalised.assign(std::make_move_iterator(resolution.normalised.begin()),
                      std::make_move_iterator(resolution.normalised.end()));
  s.model = *std::move(resolution.model);
  s.person_of.assign(std::make_move_iterator(resolution.person_of.begin()),
                     std::make_move_iterator(resolution.person_of.end()));
  // Room to grow by half before a rehash pauses an add.
  s.record_ids.reserve(s.records.size() * 3 / 2);
  s.members.reserve(s.records.size() * 3 / 2);
  for (const PairDecision& d : options.decisions) {
    if (!d.same) s.not_same.insert(PackPair(d.a, d.b));
  }
  s.terms.assign(resolution.terms.begin(), resolution.terms.end());
  s.rules = DefaultBlockingRules();
  s.index.resize(s.rules.size());
  ParallelTasks(s.rules.size(), options.blocking.threads, [&](std::size_t r) {
    RuleIndex& index = s.index[r];
    index.cap = resolution.blocking[r].cap;
    std::vector<std::string> keys;
    for (std::uint32_t i = 0; i < s.normalised.size(); ++i) {
      keys.clear();
      s.rules[r].keys(s.normalised[i], keys);
      for (const std::string& key : keys) {
        index.batch.emplace_back(BlockKeyHash(key), i);
      }
    }
    std::sort(index.batch.begin(), index.batch.end());
    index.batch.erase(std::unique(index.batch.begin(), index.batch.end()),
                      index.batch.end());
    index.batch.shrink_to_fit();
  });
  for (std::uint32_t i = 0; i < s.person_of.size(); ++i) {
    s.members[s.person_of[i]].push_back(i);
    if (!s.records[i].trusted_id.empty()) {
      s.by_trusted_id.try_emplace(s.records[i].trusted_id, i);
    }
  }
  // Above every id given and every earlier one, retired ones included.
  s.next_person = resolution.next_person_number;
  return Population(std::move(state));
}

Result<Population::Added> Population::Add(PersonRecord record) {
  // Errors cross the API as values.
  try {
    return AddOrThrow(std::move(record));
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kUnavailable, "out of memory adding a record");
  } catch (const std::exception& e) {
    return Internal(std::string("adding a record: ") + e.what());
  }
}

Result<Population::Added> Population::AddOrThrow(PersonRecord record) {
  State& s = *state_;
  if (record.record_id.empty()) {
    return InvalidArgument("record_id", "empty");
  }
  if (s.next_person > 9'999'999'999'999'999'999ULL) {
    return Status(StatusCode::kOutOfRange, "person ids: no number left");
  }
  if (s.record_ids.contains(record.record_id)) {
    return InvalidArgument("record_id",
                           "'" + record.record_id + "' is already present");
  }
  const std::vector<std::string_view> placeholders(
      s.options.dob_placeholders.begin(), s.options.dob_placeholders.end());
  NormalisedRecord n = Normalise(record, placeholders);
  const auto x = static_cast<std::uint32_t>(s.records.size());

  // Candidates: every record sharing a block with it, within each rule's
  // cap (counting the record itself).
  std::vector<std::uint32_t> candidates;
  for (std::size_t r = 0; r < s.rules.size(); ++r) {
    const RuleIndex& index = s.index[r];
    s.keys.clear();
    s.rules[r].keys(n, s.keys);
    for (const std::string& key : s.keys) {
      const std::uint64_t hash = BlockKeyHash(key);
      const auto from = std::lower_bound(index.batch.begin(), index.batch.end(),
                                         std::make_pair(hash, 0u));
      auto to = from;
      while (to != index.batch.end() && to->first == hash) ++to;
      const auto added = index.added.find(hash);
      const std::size_t size =
          static_cast<std::size_t>(to - from) +
          (added == index.added.end() ? 0 : added->second.size());
      if (size == 0 || size + 1 > index.cap) continue;
      for (auto it = from; it != to; ++it) candidates.push_back(it->second);
      if (added != index.added.end()) {
        candidates.insert(candidates.end(), added->second.begin(),
                          added->second.end());
      }
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()),
                   candidates.end());

  // Score them as a batch run would: pair (earlier, new), the earlier
  // record's term weights.
  const NicknameTable& nicknames = NicknameTable::BuiltIn();
  const LinkageModel::FrequencyTerms n_terms = s.model.TermsOf(n);
  std::vector<ScoredPair> scored;
  scored.reserve(candidates.size());
  for (const std::uint32_t j : candidates) {
    const double p = s.model.MatchProbability(
        Compare(s.normalised[j], n, nicknames), s.terms[j], n_terms);
    scored.push_back({j, x, p});
  }
  std::sort(scored.begin(), scored.end(),
            [](const ScoredPair& a, const ScoredPair& b) {
              if (a.probability != b.probability) {
                return a.probability > b.probability;
              }
              return a.a < b.a;
            });

  // Commit the record, then choose its person.
  s.records.push_back(std::move(record));
  s.normalised.push_back(std::move(n));
  s.terms.push_back(n_terms);
  s.record_ids.insert(s.records.back().record_id);
  Added out;
  out.candidates = candidates.size();
  if (!scored.empty()) {
    out.best_probability = scored.front().probability;
    out.best_record_id = s.records[scored.front().a].record_id;
  }
  std::string chosen;
  // A shared trusted identifier joins first.
  const std::string& trusted = s.records[x].trusted_id;
  if (!trusted.empty()) {
    const auto it = s.by_trusted_id.find(trusted);
    if (it != s.by_trusted_id.end()) {
      const std::string& person = s.person_of[it->second];
      if (!s.Refusal(x, s.members[person], /*need_support=*/false)) {
        chosen = person;
      }
    }
  }
  std::unordered_set<std::string> tried;
  const bool guard = s.options.clustering.dual_role_guard == DualRoleGuard::kOn;
  for (ScoredPair p : scored) {
    const std::string& person = s.person_of[p.a];
    if (p.probability < s.options.clustering.review_threshold) break;
    if (!chosen.empty() && person == chosen) continue;
    if (p.probability < s.options.clustering.link_threshold ||
        !chosen.empty()) {
      p.reason = guard && OppositeRoles(s.records[p.a], s.records[x])
                     ? ReviewReason::kDualRole
                     : ReviewReason::kReviewBand;
      out.review.push_back(p);
      continue;
    }
    if (!tried.insert(person).second) continue;  // Already refused.
    const std::optional<ReviewReason> refused =
        s.Refusal(x, s.members[person], /*need_support=*/true);
    if (!refused) {
      chosen = person;
    } else {
      p.reason = *refused;
      out.review.push_back(p);
    }
  }
  std::sort(out.review.begin(), out.review.end(),
            [](const ScoredPair& a, const ScoredPair& b) { return a.a < b.a; });
  out.new_person = chosen.empty();
  if (out.new_person) chosen = PersonId(s.next_person++);
  s.person_of.push_back(chosen);
  s.IndexRecord(x);
  out.person_id = chosen;
  return out;
}

std::size_t Population::size() const { return state_->records.size(); }

const PersonRecord& Population::record(std::size_t i) const {
  return state_->records[i];
}

const std::string& Population::person_of(std::size_t i) const {
  return state_->person_of[i];
}

std::size_t Population::person_count() const { return state_->members.size(); }

}  // namespace marac
