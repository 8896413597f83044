// A resolved population that grows one record at a time: resolve a batch
// in full once, then add each new record (a referral as it arrives) without
// re-running everything. An added record is blocked with the same rules
// against the population's indexes, scored with the model trained on the
// batch, and joins the person with the strongest link that the whole person
// supports (the same support, veto and constraint checks as clustering), or
// becomes a new person. Ids already given never change here; a periodic
// full run with earlier ids (ResolveOptions::earlier_person_of) retrains,
// and records any merge or split.
//
//   Result<Population> p = Population::Build(records);
//   Result<Population::Added> a = p->Add(referral_record);
//   // a->person_id, a->new_person, a->review
//
// A server that shares its store splits Add in two: Place says where a
// record would go and changes nothing; once the record and its person are
// stored, Put puts them in. Put also takes what another server stored,
// replacing a record's details or moving it to another person.
#ifndef MARAC_IDENTITY_POPULATION_H_
#define MARAC_IDENTITY_POPULATION_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/result.h"
#include "marac/identity/clustering.h"
#include "marac/identity/person_record.h"
#include "marac/identity/resolver.h"

namespace marac {

class Population {
 public:
  // Resolves `records` in full (as Resolve does, with `options`) and builds
  // the indexes that adding needs. Errors as Resolve's; kInvalidArgument
  // also when fewer than two records leave nothing to train on, or a record
  // id is empty or repeated.
  static Result<Population> Build(std::vector<PersonRecord> records,
                                  const ResolveOptions& options = {});

  Population(Population&&) noexcept;
  Population& operator=(Population&&) noexcept;
  ~Population();

  struct Added {
    std::string person_id;
    bool new_person = false;
    // The strongest link found (0 when no candidate), and with whom.
    double best_probability = 0;
    std::string best_record_id;
    // Pairs (existing record index, the new record's index) for a person
    // to decide: in the review band, or links the checks refused.
    std::vector<ScoredPair> review;
    std::size_t candidates = 0;  // Records it was scored against.
  };

  // Adds `record`. kInvalidArgument (and nothing changes) when its id is
  // empty or already present.
  Result<Added> Add(PersonRecord record);

  // Where `record` would go, changing nothing: as Add, but a new person
  // has no id yet (person_id empty, new_person true), and a record whose
  // id is present is placed as its replacement (its present form is
  // neither a candidate nor a member). Review pairs name the record by
  // the index Put would give it, size(). kInvalidArgument for an empty id.
  Result<Added> Place(const PersonRecord& record) const;

  // Puts `record` into person `person_id`: adds it, or replaces the
  // present record with its id (a new index; the old one is retired and
  // never a candidate again), or only moves it when its details are the
  // same. Nothing changes when both are the same. Adding mints new ids
  // above a number Put has seen. kInvalidArgument for an empty id.
  Status Put(PersonRecord record, std::string person_id);

  // A person's decision that two records are (not) the same, respected
  // from now on by Place and Add. By record id: either may come later.
  void Decide(std::string_view record_id_a, std::string_view record_id_b,
              bool same);

  // Indices: every record put in, retired ones included.
  std::size_t size() const;
  const PersonRecord& record(std::size_t i) const;
  const std::string& person_of(std::size_t i) const;
  // False for a record replaced since.
  bool current(std::size_t i) const;
  // The current index of the record with this id.
  std::optional<std::size_t> Find(std::string_view record_id) const;
  std::size_t person_count() const;
  // The current indices of a person's records (none for an unknown id).
  std::vector<std::size_t> members(const std::string& person_id) const;

  // The model trained by Build, each record's normalised form and term
  // weights: a pair (i, j) scores as model().MatchProbability(
  // normalised(i), normalised(j)).
  const LinkageModel& model() const;
  const NormalisedRecord& normalised(std::size_t i) const;

 private:
  struct State;
  explicit Population(std::unique_ptr<State> state);
  static Result<Population> BuildOrThrow(std::vector<PersonRecord> records,
                                         const ResolveOptions& options);
  Result<Added> PlaceOrThrow(const PersonRecord& record) const;
  Status PutOrThrow(PersonRecord record, std::string person_id);
  std::unique_ptr<State> state_;
};

}  // namespace marac

#endif  // MARAC_IDENTITY_POPULATION_H_
