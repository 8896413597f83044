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

// The key of a pair of record ids, either way round.
std::string PairKey(std::string_view a, std::string_view b) {
  if (b < a) std::swap(a, b);
  std::string key(a);
  key += '\0';
  key += b;
  return key;
}

// Errors cross the API as values.
template <typename F>
auto Guarded(const char* what, F f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return Status(StatusCode::kUnavailable,
                  std::string("out of memory ") + what);
  } catch (const std::exception& e) {
    return Internal(std::string(what) + ": " + e.what());
  }
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
  std::deque<std::string> person_of;
  std::deque<bool> current;  // False once replaced.
  LinkageModel model;
  std::vector<BlockingRule> rules;
  std::vector<RuleIndex> index;
  // Current records only.
  std::unordered_map<std::string, std::vector<std::uint32_t>> members;
  std::unordered_map<std::string, std::uint32_t> by_record_id;
  std::unordered_map<std::string, std::uint32_t> by_trusted_id;
  std::unordered_set<std::string> not_same;  // PairKey of record ids.
  std::uint64_t next_person = 1;

  void IndexRecord(std::uint32_t i) {
    std::vector<std::string> keys;
    for (std::size_t r = 0; r < rules.size(); ++r) {
      keys.clear();
      rules[r].keys(normalised[i], keys);
      for (const std::string& key : keys) {
        std::vector<std::uint32_t>& block = index[r].added[BlockKeyHash(key)];
        if (block.empty() || block.back() != i) block.push_back(i);
      }
    }
    Join(i);
  }

  void Join(std::uint32_t i) {
    members[person_of[i]].push_back(i);
    if (!records[i].trusted_id.empty()) {
      by_trusted_id.insert_or_assign(records[i].trusted_id, i);
    }
  }

  void Leave(std::uint32_t i) {
    const auto it = members.find(person_of[i]);
    if (it != members.end()) {
      std::erase(it->second, i);
      if (it->second.empty()) members.erase(it);
    }
    const auto trusted = by_trusted_id.find(records[i].trusted_id);
    if (trusted != by_trusted_id.end() && trusted->second == i) {
      by_trusted_id.erase(trusted);
    }
  }

  // Local new ids stay above every numbered id put in.
  void SawPerson(const std::string& person) {
    std::uint64_t number = 0;
    if (ParsePersonId(person, number) && number >= next_person) {
      next_person = number + 1;
    }
  }

  // Whether `record` (normalised `n`, terms `t`; in no person yet) may
  // join the members `people` (less `skip`, its own present form): no
  // constraint or decision against it, and, for an automatic link, the
  // dual-role guard kept and support from every member. Nothing when it
  // may; otherwise why not.
  std::optional<ReviewReason> Refusal(const PersonRecord& record,
                                      const NormalisedRecord& n,
                                      const LinkageModel::FrequencyTerms& t,
                                      const std::vector<std::uint32_t>& people,
                                      std::optional<std::uint32_t> skip,
                                      bool need_support) const {
    const std::size_t size =
        people.size() -
        (skip && std::find(people.begin(), people.end(), *skip) != people.end()
             ? 1
             : 0);
    if (size + 1 > options.clustering.max_cluster_size) {
      return ReviewReason::kTooLarge;
    }
    const bool guard = need_support &&
                       options.clustering.dual_role_guard == DualRoleGuard::kOn;
    for (const std::uint32_t y : people) {
      if (y == skip) continue;
      if (CannotLink(record, records[y]) ||
          not_same.contains(PairKey(record.record_id, records[y].record_id))) {
        return ReviewReason::kCannotLink;
      }
      if (guard && OppositeRoles(record, records[y])) {
        return ReviewReason::kDualRole;
      }
    }
    if (!need_support) return std::nullopt;
    double sum = 0;
    for (const std::uint32_t y : people) {
      if (y == skip) continue;
      const double p = model.MatchProbability(
          Compare(normalised[y], n, NicknameTable::BuiltIn()), terms[y], t);
      if (p < options.clustering.veto_threshold) {
        return ReviewReason::kWeakSupport;
      }
      sum += p;
    }
    if (sum < options.clustering.review_threshold * static_cast<double>(size)) {
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
  return Guarded("building a population", [&]() -> Result<Population> {
    return BuildOrThrow(std::move(records), options);
  });
}

Result<Population> Population::BuildOrThrow(std::vector<PersonRecord> records,
                                            const ResolveOptions& options) {
  auto state = std::make_unique<State>();
  State& s = *state;
  s.by_record_id.reserve(records.size() * 3 / 2);
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i].record_id.empty() ||
        !s.by_record_id
             .emplace(records[i].record_id, static_cast<std::uint32_t>(i))
             .second) {
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
  s.options = options;
  // The caller's progress and deadline are for Build alone; what they
  // refer to may not outlive it.
  s.options.progress = nullptr;
  s.options.deadline = {};
  // What Build alone needs: a server's earlier ids are a million strings.
  s.options.earlier_person_of.clear();
  s.options.decisions.clear();
  for (const PairDecision& d : options.decisions) {
    if (!d.same && d.a < records.size() && d.b < records.size()) {
      s.not_same.insert(
          PairKey(records[d.a].record_id, records[d.b].record_id));
    }
  }
  s.records.assign(std::make_move_iterator(records.begin()),
                   std::make_move_iterator(records.end()));
  s.normalised.assign(std::make_move_iterator(resolution.normalised.begin()),
                      std::make_move_iterator(resolution.normalised.end()));
  s.model = *std::move(resolution.model);
  s.person_of.assign(std::make_move_iterator(resolution.person_of.begin()),
                     std::make_move_iterator(resolution.person_of.end()));
  s.current.assign(s.records.size(), true);
  // Room to grow by half before a rehash pauses an add.
  s.members.reserve(s.records.size() * 3 / 2);
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
  for (std::uint32_t i = 0; i < s.person_of.size(); ++i) s.Join(i);
  // Above every id given and every earlier one, retired ones included.
  s.next_person = resolution.next_person_number;
  return Population(std::move(state));
}

Result<Population::Added> Population::Add(PersonRecord record) {
  return Guarded("adding a record", [&]() -> Result<Added> {
    State& s = *state_;
    if (s.by_record_id.contains(record.record_id)) {
      return InvalidArgument("record_id",
                             "'" + record.record_id + "' is already present");
    }
    if (s.next_person > 9'999'999'999'999'999'999ULL) {
      return Status(StatusCode::kOutOfRange, "person ids: no number left");
    }
    MARAC_ASSIGN_OR_RETURN(Added out, PlaceOrThrow(record));
    if (out.new_person) out.person_id = PersonId(s.next_person);
    MARAC_RETURN_IF_ERROR(PutOrThrow(std::move(record), out.person_id));
    return out;
  });
}

Result<Population::Added> Population::Place(const PersonRecord& record) const {
  return Guarded("placing a record",
                 [&]() -> Result<Added> { return PlaceOrThrow(record); });
}

Status Population::Put(PersonRecord record, std::string person_id) {
  return Guarded("putting a record", [&]() -> Status {
    return PutOrThrow(std::move(record), std::move(person_id));
  });
}

Result<Population::Added> Population::PlaceOrThrow(
    const PersonRecord& record) const {
  const State& s = *state_;
  if (record.record_id.empty()) {
    return InvalidArgument("record_id", "empty");
  }
  std::optional<std::uint32_t> present;
  if (const auto it = s.by_record_id.find(record.record_id);
      it != s.by_record_id.end()) {
    present = it->second;
  }
  const std::vector<std::string_view> placeholders(
      s.options.dob_placeholders.begin(), s.options.dob_placeholders.end());
  const NormalisedRecord n = Normalise(record, placeholders);
  const auto x = static_cast<std::uint32_t>(s.records.size());

  // Candidates: every current record sharing a block with it, within each
  // rule's cap (counting the record itself).
  std::vector<std::uint32_t> candidates;
  std::vector<std::string> keys;
  for (std::size_t r = 0; r < s.rules.size(); ++r) {
    const RuleIndex& index = s.index[r];
    keys.clear();
    s.rules[r].keys(n, keys);
    for (const std::string& key : keys) {
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
  std::erase_if(candidates,
                [&](std::uint32_t j) { return !s.current[j] || j == present; });

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

  Added out;
  out.candidates = candidates.size();
  if (!scored.empty()) {
    out.best_probability = scored.front().probability;
    out.best_record_id = s.records[scored.front().a].record_id;
  }
  static const std::vector<std::uint32_t> kNobody;
  const auto members_of =
      [&](const std::string& person) -> const std::vector<std::uint32_t>& {
    const auto it = s.members.find(person);
    return it == s.members.end() ? kNobody : it->second;
  };
  std::string chosen;
  // A shared trusted identifier joins first.
  if (!record.trusted_id.empty()) {
    const auto it = s.by_trusted_id.find(record.trusted_id);
    if (it != s.by_trusted_id.end() && it->second != present) {
      const std::string& person = s.person_of[it->second];
      if (!s.Refusal(record, n, n_terms, members_of(person), present,
                     /*need_support=*/false)) {
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
      p.reason = guard && OppositeRoles(s.records[p.a], record)
                     ? ReviewReason::kDualRole
                     : ReviewReason::kReviewBand;
      out.review.push_back(p);
      continue;
    }
    if (!tried.insert(person).second) continue;  // Already refused.
    const std::optional<ReviewReason> refused =
        s.Refusal(record, n, n_terms, members_of(person), present,
                  /*need_support=*/true);
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
  out.person_id = chosen;
  return out;
}

Status Population::PutOrThrow(PersonRecord record, std::string person_id) {
  State& s = *state_;
  if (record.record_id.empty()) return InvalidArgument("record_id", "empty");
  if (person_id.empty()) return InvalidArgument("person_id", "empty");
  const auto present = s.by_record_id.find(record.record_id);
  if (present != s.by_record_id.end()) {
    const std::uint32_t i = present->second;
    if (s.person_of[i] == person_id && s.records[i] == record) {
      return Status::Ok();
    }
    s.SawPerson(person_id);
    if (s.records[i] == record) {  // Moved only.
      s.Leave(i);
      s.person_of[i] = std::move(person_id);
      s.Join(i);
      return Status::Ok();
    }
    s.Leave(i);
    s.current[i] = false;
  }
  s.SawPerson(person_id);
  const std::vector<std::string_view> placeholders(
      s.options.dob_placeholders.begin(), s.options.dob_placeholders.end());
  const auto x = static_cast<std::uint32_t>(s.records.size());
  s.normalised.push_back(Normalise(record, placeholders));
  s.terms.push_back(s.model.TermsOf(s.normalised.back()));
  s.by_record_id.insert_or_assign(record.record_id, x);
  s.records.push_back(std::move(record));
  s.person_of.push_back(std::move(person_id));
  s.current.push_back(true);
  s.IndexRecord(x);
  return Status::Ok();
}

void Population::Decide(std::string_view record_id_a,
                        std::string_view record_id_b, bool same) {
  const std::string key = PairKey(record_id_a, record_id_b);
  if (same) {
    state_->not_same.erase(key);
  } else {
    state_->not_same.insert(key);
  }
}

std::size_t Population::size() const { return state_->records.size(); }

const PersonRecord& Population::record(std::size_t i) const {
  return state_->records[i];
}

const std::string& Population::person_of(std::size_t i) const {
  return state_->person_of[i];
}

bool Population::current(std::size_t i) const { return state_->current[i]; }

std::optional<std::size_t> Population::Find(std::string_view record_id) const {
  const auto it = state_->by_record_id.find(std::string(record_id));
  if (it == state_->by_record_id.end()) return std::nullopt;
  return it->second;
}

std::size_t Population::person_count() const { return state_->members.size(); }

std::vector<std::size_t> Population::members(
    const std::string& person_id) const {
  const auto it = state_->members.find(person_id);
  if (it == state_->members.end()) return {};
  return {it->second.begin(), it->second.end()};
}

const LinkageModel& Population::model() const { return state_->model; }

const NormalisedRecord& Population::normalised(std::size_t i) const {
  return state_->normalised[i];
}

}  // namespace marac
