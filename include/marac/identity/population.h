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
#ifndef MARAC_IDENTITY_POPULATION_H_
#define MARAC_IDENTITY_POPULATION_H_

#include <cstddef>
#include <memory>
#include <string>
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

  std::size_t size() const;
  const PersonRecord& record(std::size_t i) const;
  const std::string& person_of(std::size_t i) const;
  std::size_t person_count() const;

 private:
  struct State;
  explicit Population(std::unique_ptr<State> state);
  static Result<Population> BuildOrThrow(std::vector<PersonRecord> records,
                                         const ResolveOptions& options);
  Result<Added> AddOrThrow(PersonRecord record);
  std::unique_ptr<State> state_;
};

}  // namespace marac

#endif  // MARAC_IDENTITY_POPULATION_H_
