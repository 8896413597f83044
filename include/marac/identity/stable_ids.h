// Person ids that stay stable across runs. Given the clusters of this run
// and the person id each record had before, every earlier id lives on in
// the cluster holding most of its records; a cluster that inherits several
// keeps the oldest (the lowest number) and records the merge; a cluster
// that inherits none gets a new id; records that left an earlier person
// record a split from it.
//
//   Result<StableIds> ids = AssignStableIds(record_ids, cluster_of, before);
//   // ids->person_of[i]; ids->events: what merged and split
#ifndef MARAC_IDENTITY_STABLE_IDS_H_
#define MARAC_IDENTITY_STABLE_IDS_H_

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "marac/common/result.h"

namespace marac {

struct PersonEvent {
  enum class Kind {
    kMerge,  // `other` joined `person`; `other` is retired.
    kSplit,  // Some records of `person` now belong to `other` (a new
             // person, or one that took them over).
  };
  Kind kind = Kind::kMerge;
  std::string person;
  std::string other;
};

// "merge" or "split".
std::string_view PersonEventName(PersonEvent::Kind kind);

struct StableIds {
  std::vector<std::string> person_of;  // Per record.
  std::vector<PersonEvent> events;     // In order of the clusters.
  // The number the next new person gets: above every id given and every
  // earlier one (retired ids are never reused).
  std::uint64_t next_number = 1;
};

// Whether `id` is a person id ("P" and 1 to 19 digits); its number then.
bool ParsePersonId(std::string_view id, std::uint64_t& number);

// The person id format: "P" and at least six digits ("P000042").
std::string PersonId(std::uint64_t number);

// `record_ids[i]` and `cluster_of[i]` describe record i (clusters numbered
// 0..k-1); `before` maps record ids to their earlier person ids (records
// not in it are new). New ids number on from the highest earlier one.
// kInvalidArgument when the lengths differ or an earlier id is not "P" and
// digits; kOutOfRange when new ids would pass 19 digits.
Result<StableIds> AssignStableIds(
    std::span<const std::string> record_ids,
    std::span<const std::uint32_t> cluster_of,
    const std::map<std::string, std::string, std::less<>>& before = {});

}  // namespace marac

#endif  // MARAC_IDENTITY_STABLE_IDS_H_
