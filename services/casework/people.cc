#include "services/casework/people.h"

#include <cstdint>
#include <set>
#include <unordered_map>

namespace marac {

Result<StoredPeople> LoadPeople(Store& store, const Actor& actor) {
  StoredPeople out;
  MARAC_ASSIGN_OR_RETURN(out.records, store.Records(actor));
  MARAC_ASSIGN_OR_RETURN(const auto people, store.People(actor));
  MARAC_ASSIGN_OR_RETURN(out.decisions, store.ReviewDecisions(actor));
  for (const auto& [record, person] : people) {
    out.options.earlier_person_of.emplace(record, person);
  }
  out.options.deadline = actor.deadline;
  return out;
}

void AddDecisions(const std::vector<ReviewDecision>& decisions,
                  const std::vector<PersonRecord>& records,
                  ResolveOptions& options) {
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    index.emplace(records[i].record_id, i);
  }
  for (const ReviewDecision& d : decisions) {
    const auto l = index.find(d.record_id_l);
    const auto r = index.find(d.record_id_r);
    if (l != index.end() && r != index.end()) {
      options.decisions.push_back({l->second, r->second, d.same});
    }
  }
}

Status SaveResolvedPeople(Store& store, const Actor& actor,
                          const std::vector<PersonRecord>& records,
                          const ResolveOptions& options,
                          Resolution& resolution) {
  std::set<std::string, std::less<>> earlier;
  for (const auto& [record, person] : options.earlier_person_of) {
    earlier.insert(person);
  }
  std::vector<std::string> fresh;  // In order of first record.
  std::set<std::string, std::less<>> seen;
  for (const std::string& person : resolution.person_of) {
    if (!earlier.contains(person) && seen.insert(person).second) {
      fresh.push_back(person);
    }
  }
  if (!fresh.empty()) {
    MARAC_ASSIGN_OR_RETURN(const std::uint64_t first,
                           store.ReservePersonNumbers(actor, fresh.size()));
    std::unordered_map<std::string, std::string> renamed;
    for (std::size_t k = 0; k < fresh.size(); ++k) {
      renamed.emplace(fresh[k], PersonId(first + k));
    }
    const auto rename = [&](std::string& id) {
      const auto it = renamed.find(id);
      if (it != renamed.end()) id = it->second;
    };
    for (std::string& person : resolution.person_of) rename(person);
    for (PersonEvent& e : resolution.events) {
      rename(e.person);
      rename(e.other);
    }
  }
  return store.SavePeople(actor, RecordPerson(records, resolution),
                          resolution.events);
}

std::vector<std::pair<std::string, std::string>> RecordPerson(
    const std::vector<PersonRecord>& records, const Resolution& resolution) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    out.emplace_back(records[i].record_id, resolution.person_of[i]);
  }
  return out;
}

}  // namespace marac
