// The stored people, resolved again: what identity resolution needs from a
// store (every record, the person each was, the review decisions) and
// what it gives back to store. Shared by `marac import --link` and the
// server's identity calls.
//
//   MARAC_ASSIGN_OR_RETURN(StoredPeople people, LoadPeople(store, actor));
//   AddDecisions(people.decisions, people.records, people.options);
//   MARAC_ASSIGN_OR_RETURN(Resolution r, Resolve(people.records,
//                                                people.options));
//   store.SavePeople(actor, RecordPerson(people.records, r), r.events);
#ifndef MARAC_SERVICES_CASEWORK_PEOPLE_H_
#define MARAC_SERVICES_CASEWORK_PEOPLE_H_

#include <string>
#include <utility>
#include <vector>

#include "marac/common/result.h"
#include "marac/identity/resolver.h"
#include "marac/store/store.h"

namespace marac {

struct StoredPeople {
  std::vector<PersonRecord> records;
  std::vector<ReviewDecision> decisions;
  // With each record's earlier person id and the actor's deadline (which
  // then bounds resolution too); without the decisions, which AddDecisions
  // adds once the records are final.
  ResolveOptions options;
};

// Reads the records, their people and the review decisions, under the
// actor's deadline. The store's errors.
Result<StoredPeople> LoadPeople(Store& store, const Actor& actor);

// The review decisions between records of `records`, by index, into
// `options` (a decision naming a record not there is left out).
void AddDecisions(const std::vector<ReviewDecision>& decisions,
                  const std::vector<PersonRecord>& records,
                  ResolveOptions& options);

// Stores the people of `resolution` (of `records`, resolved with
// `options`) with its merges and splits. A person whose id no record had
// before gets a number the store reserves, in order of first record, so
// that no number another server or re-link reserved is given twice;
// `resolution` is changed to match. The store's errors.
Status SaveResolvedPeople(Store& store, const Actor& actor,
                          const std::vector<PersonRecord>& records,
                          const ResolveOptions& options,
                          Resolution& resolution);

// Record id and person id, for every record resolved.
std::vector<std::pair<std::string, std::string>> RecordPerson(
    const std::vector<PersonRecord>& records, const Resolution& resolution);

}  // namespace marac

#endif  // MARAC_SERVICES_CASEWORK_PEOPLE_H_
