#include "marac/identity/stable_ids.h"

#include <algorithm>
#include <cstdio>
#include <unordered_map>

namespace marac {
namespace {

constexpr std::uint64_t kLargestNumber = 9'999'999'999'999'999'999ULL;

}  // namespace

bool ParsePersonId(std::string_view id, std::uint64_t& number) {
  // Up to 19 digits: every such number fits in 64 bits.
  if (id.size() < 2 || id.size() > 20 || id[0] != 'P') return false;
  number = 0;
  for (const char c : id.substr(1)) {
    if (c < '0' || c > '9') return false;
    number = number * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

std::string_view PersonEventName(PersonEvent::Kind kind) {
  return kind == PersonEvent::Kind::kMerge ? "merge" : "split";
}

std::string PersonId(std::uint64_t number) {
  char id[32];
  std::snprintf(id, sizeof id, "P%06llu",
                static_cast<unsigned long long>(number));
  return id;
}

Result<StableIds> AssignStableIds(
    std::span<const std::string> record_ids,
    std::span<const std::uint32_t> cluster_of,
    const std::map<std::string, std::string, std::less<>>& before) {
  if (record_ids.size() != cluster_of.size()) {
    return InvalidArgument("cluster_of", "one cluster per record is needed");
  }
  std::uint32_t clusters = 0;
  for (const std::uint32_t c : cluster_of) clusters = std::max(clusters, c + 1);
  std::uint64_t highest = 0;
  for (const auto& [record, id] : before) {
    std::uint64_t number = 0;
    if (!ParsePersonId(id, number)) {
      return InvalidArgument("person_id", "'" + id + "' (record '" + record +
                                              "') is not P and digits");
    }
    highest = std::max(highest, number);
  }
  // Per earlier id: how many of its records each cluster holds, and the
  // first record of each cluster (for ties).
  struct Share {
    std::uint32_t cluster;
    std::size_t records;
  };
  std::unordered_map<std::string, std::vector<Share>> shares;
  std::vector<std::size_t> first_record(clusters, record_ids.size());
  std::vector<std::vector<std::string>> earlier_ids(clusters);
  for (std::size_t i = 0; i < record_ids.size(); ++i) {
    const std::uint32_t c = cluster_of[i];
    first_record[c] = std::min(first_record[c], i);
    const auto it = before.find(record_ids[i]);
    if (it == before.end()) continue;
    std::vector<Share>& s = shares[it->second];
    const auto here = std::find_if(
        s.begin(), s.end(), [c](const Share& x) { return x.cluster == c; });
    if (here == s.end()) {
      s.push_back({c, 1});
      earlier_ids[c].push_back(it->second);
    } else {
      ++here->records;
    }
  }
  // Each earlier id goes to the cluster with most of its records; ties to
  // the cluster whose first record comes first.
  std::vector<std::vector<std::string>> won(clusters);
  for (const auto& [id, s] : shares) {
    const Share& best = *std::min_element(
        s.begin(), s.end(), [&](const Share& x, const Share& y) {
          if (x.records != y.records) return x.records > y.records;
          return first_record[x.cluster] < first_record[y.cluster];
        });
    won[best.cluster].push_back(id);
  }
  // By number, then by text ("P7" and "P000007" are two ids).
  const auto older = [](const std::string& x, const std::string& y) {
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    ParsePersonId(x, a);
    ParsePersonId(y, b);
    return a != b ? a < b : x < y;
  };
  // Clusters in order of their first record: new ids and events in a
  // stable order.
  std::vector<std::uint32_t> order(clusters);
  for (std::uint32_t c = 0; c < clusters; ++c) order[c] = c;
  std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
    return first_record[x] < first_record[y];
  });
  StableIds out;
  std::vector<std::string> id_of(clusters);
  std::uint64_t next = highest + 1;
  for (const std::uint32_t c : order) {
    std::vector<std::string>& ids = won[c];
    std::sort(ids.begin(), ids.end(), older);
    if (ids.empty() && next > kLargestNumber) {
      return Status(StatusCode::kOutOfRange,
                    "person ids: no number left after P" +
                        std::to_string(kLargestNumber));
    }
    id_of[c] = ids.empty() ? PersonId(next++) : ids.front();
    for (std::size_t k = 1; k < ids.size(); ++k) {
      out.events.push_back({PersonEvent::Kind::kMerge, ids.front(), ids[k]});
    }
    // Records whose earlier id lives on in another cluster: split from it.
    std::vector<std::string>& from = earlier_ids[c];
    std::sort(from.begin(), from.end(), older);
    for (const std::string& id : from) {
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
        out.events.push_back({PersonEvent::Kind::kSplit, id, id_of[c]});
      }
    }
  }
  out.next_number = next;
  out.person_of.reserve(record_ids.size());
  for (const std::uint32_t c : cluster_of) out.person_of.push_back(id_of[c]);
  return out;
}

}  // namespace marac
