#include "services/casework/held_people.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>

#include "services/casework/people.h"

namespace marac {
namespace {

constexpr std::size_t kChangesPerRead = 5'000;
// The person of records no one has linked, held until a call links one:
// never a stored id (those are "P" and digits).
constexpr std::string_view kProvisional = "unlinked:";
constexpr std::chrono::milliseconds kPoll{50};

Status NotHeldYet(const Status& why) {
  if (why.code() == StatusCode::kInvalidArgument) {
    // Population::Build: nothing to train on yet.
    return FailedPrecondition(
        "the stored records cannot train a linkage model yet; store more "
        "records first");
  }
  return why;
}

}  // namespace

HeldPeople::HeldPeople(Store& store, Options options)
    : store_(store), options_(options) {}

HeldPeople::~HeldPeople() { Stop(); }

void HeldPeople::Stop() { stop_.stopped = true; }

std::size_t HeldPeople::size() const {
  const std::lock_guard<std::timed_mutex> lock(mutex_);
  return population_ ? population_->size() : 0;
}

Status HeldPeople::Load(const Actor& actor) {
  loading_ = true;  // Before the lock: a call arriving now does not wait.
  const std::lock_guard<std::timed_mutex> lock(mutex_);
  return LoadLocked(actor, options_.threads);
}

Status HeldPeople::LoadLocked(const Actor& given, unsigned threads) {
  loading_ = true;
  struct Done {
    std::atomic<bool>& flag;
    ~Done() { flag = false; }
  } done{loading_};
  Actor actor = given;
  if (!actor.deadline.active()) {
    actor.deadline = Deadline::UntilCancelled(&stop_);
  }
  // The head first: whatever is stored after it is caught up on later,
  // and what is read twice reads the same.
  MARAC_ASSIGN_OR_RETURN(const IdentityChanges head,
                         store_.IdentityChangesAfter(actor, 0, 0));
  MARAC_ASSIGN_OR_RETURN(StoredPeople stored, LoadPeople(store_, actor));
  AddDecisions(stored.decisions, stored.records, stored.options);
  stored.options.training.threads = threads;
  stored.options.blocking.threads = threads;
  // The stored person of each record, before the records move.
  std::vector<std::string> stored_person(stored.records.size());
  for (std::size_t i = 0; i < stored.records.size(); ++i) {
    const auto it =
        stored.options.earlier_person_of.find(stored.records[i].record_id);
    if (it != stored.options.earlier_person_of.end()) {
      stored_person[i] = it->second;
    }
  }
  std::set<std::string, std::less<>> stored_ids;
  for (const auto& [record, person] : stored.options.earlier_person_of) {
    stored_ids.insert(person);
  }
  Result<Population> built =
      Population::Build(std::move(stored.records), stored.options);
  if (!built.ok()) {
    population_.reset();
    return NotHeldYet(built.status());
  }
  Population& p = *built;
  // The store is the truth: its people win over this resolution's. A
  // record no one has linked joins the resolution's person when that is a
  // stored one, and is otherwise held under a provisional id, numbered
  // and stored only when a call links a record to it. A load writes
  // nothing.
  for (std::size_t i = 0; i < stored_person.size(); ++i) {
    const std::string& person =
        !stored_person[i].empty() ? stored_person[i]
        : stored_ids.contains(p.person_of(i))
            ? p.person_of(i)
            : std::string(kProvisional) + p.person_of(i);
    if (p.person_of(i) != person)
      MARAC_RETURN_IF_ERROR(p.Put(p.record(i), person));
  }
  population_ = std::move(p);
  ++loads_;
  seen_ = head.head;
  next_number_ = end_number_ = 0;
  return CatchUp(actor);
}

Status HeldPeople::CatchUp(const Actor& actor) {
  for (bool first = true;; first = false) {
    MARAC_ASSIGN_OR_RETURN(
        const IdentityChanges page,
        store_.IdentityChangesAfter(actor, seen_, kChangesPerRead));
    const auto behind = static_cast<std::size_t>(page.head - seen_);
    if (first &&
        behind > std::max(options_.reload_at_least,
                          static_cast<std::size_t>(
                              options_.reload_share *
                              static_cast<double>(population_->size())))) {
      return LoadLocked(actor, 1);
    }
    for (const IdentityChange& c : page.changes) {
      if (c.decision) {
        population_->Decide(c.decision->record_id_l, c.decision->record_id_r,
                            c.decision->same);
      } else if (c.person_id.empty()) {
        MARAC_RETURN_IF_ERROR(HoldUnlinked(*c.record));
      } else {
        MARAC_RETURN_IF_ERROR(population_->Put(*c.record, c.person_id));
      }
      seen_ = c.sequence;
    }
    if (page.changes.size() < kChangesPerRead) return Status::Ok();
  }
}

Status HeldPeople::HoldUnlinked(const PersonRecord& record) {
  MARAC_ASSIGN_OR_RETURN(const Population::Added placed,
                         population_->Place(record));
  return population_->Put(
      record, placed.new_person ? std::string(kProvisional) + record.record_id
                                : placed.person_id);
}

Result<std::string> HeldPeople::NewPersonId(const Actor& actor) {
  if (next_number_ == end_number_) {
    MARAC_ASSIGN_OR_RETURN(next_number_, store_.ReservePersonNumbers(
                                             actor, options_.number_block));
    end_number_ = next_number_ + options_.number_block;
  }
  return PersonId(next_number_++);
}

Status HeldPeople::Ready(const Actor& actor,
                         std::unique_lock<std::timed_mutex>& lock) {
  lock = std::unique_lock<std::timed_mutex>(mutex_, std::defer_lock);
  // A Load of a small store is soon done; a large one's caller is better
  // told to retry, or to try another server. The call's deadline is on its
  // own clock: checked between short waits.
  const auto until = std::chrono::steady_clock::now() + options_.wait_for_load;
  while (!lock.try_lock_for(kPoll)) {
    if (!loading_) {
      lock.lock();  // Another call's turn: short.
      break;
    }
    MARAC_RETURN_IF_ERROR(
        actor.deadline.Check("waiting for the people to be loaded"));
    if (std::chrono::steady_clock::now() >= until) {
      return Status(StatusCode::kUnavailable,
                    "identity: the people are being loaded from the store; "
                    "try again shortly");
    }
  }
  if (!population_) MARAC_RETURN_IF_ERROR(LoadLocked(actor, 1));
  return CatchUp(actor);
}

Result<HeldPeople::Placed> HeldPeople::Resolve(
    const Actor& actor, const PersonRecord& record, const InScope& in_scope,
    const std::function<Status(const Placed&)>& approve) {
  if (!in_scope(record.area)) {
    return Status(StatusCode::kPermissionDenied, "record.area");
  }
  std::unique_lock<std::timed_mutex> lock;
  MARAC_RETURN_IF_ERROR(Ready(actor, lock));
  if (const std::optional<std::size_t> present =
          population_->Find(record.record_id);
      present && !in_scope(population_->record(*present).area)) {
    return Status(StatusCode::kPermissionDenied, "record.record_id");
  }
  MARAC_ASSIGN_OR_RETURN(const Population::Added placed,
                         population_->Place(record));
  // The last point at which the call may stop: writes never look at the
  // deadline (store.h), so once the record is stored its person is too.
  MARAC_RETURN_IF_ERROR(actor.deadline.Check("before the record was stored"));
  Placed out;
  out.new_person = placed.new_person;
  out.person_id = placed.person_id;
  // Joining records no one had linked: they are stored with it, under a
  // new number.
  std::vector<std::size_t> unlinked;
  if (!out.new_person) {
    for (const std::size_t i : population_->members(out.person_id)) {
      if (population_->record(i).record_id == record.record_id) continue;
      if (!in_scope(population_->record(i).area)) ++out.records_elsewhere;
      if (out.person_id.starts_with(kProvisional)) unlinked.push_back(i);
    }
  }
  if (out.new_person || !unlinked.empty()) {
    MARAC_ASSIGN_OR_RETURN(out.person_id, NewPersonId(actor));
  }
  for (const ScoredPair& pair : placed.review) {
    const PersonRecord& other = population_->record(pair.a);
    if (in_scope(other.area)) {
      out.review.emplace_back(other.record_id, pair.probability);
    } else {
      ++out.review_elsewhere;
    }
  }
  MARAC_RETURN_IF_ERROR(approve(out));
  MARAC_RETURN_IF_ERROR(store_.PutRecords(actor, {&record, 1}));
  std::vector<std::pair<std::string, std::string>> saved = {
      {record.record_id, out.person_id}};
  for (const std::size_t i : unlinked) {
    saved.emplace_back(population_->record(i).record_id, out.person_id);
  }
  MARAC_RETURN_IF_ERROR(store_.SavePeople(actor, saved, {}));
  for (const std::size_t i : unlinked) {
    MARAC_RETURN_IF_ERROR(
        population_->Put(population_->record(i), out.person_id));
  }
  MARAC_RETURN_IF_ERROR(population_->Put(record, out.person_id));
  return out;
}

Result<HeldPeople::Explanation> HeldPeople::Explain(
    const Actor& actor, std::string_view record_id_a,
    std::string_view record_id_b, const InScope& in_scope) {
  std::unique_lock<std::timed_mutex> lock;
  MARAC_RETURN_IF_ERROR(Ready(actor, lock));
  const auto visible = [&](std::string_view id) -> std::optional<std::size_t> {
    const std::optional<std::size_t> i = population_->Find(id);
    if (!i || !in_scope(population_->record(*i).area)) return std::nullopt;
    return i;
  };
  const std::optional<std::size_t> a = visible(record_id_a);
  const std::optional<std::size_t> b = visible(record_id_b);
  if (!a || !b) {
    return Status(StatusCode::kPermissionDenied,
                  !a ? "record_id_a" : "record_id_b");
  }
  const LinkageModel& model = population_->model();
  const NormalisedRecord& ra = population_->normalised(*a);
  const NormalisedRecord& rb = population_->normalised(*b);
  Explanation out;
  out.probability = model.MatchProbability(ra, rb);
  out.weight = model.MatchWeight(ra, rb);
  out.terms = model.Explain(ra, rb);
  return out;
}

}  // namespace marac
