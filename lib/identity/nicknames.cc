#include "marac/identity/nicknames.h"

#include <algorithm>

#include "lib/identity/builtin_nicknames.h"
#include "marac/identity/compare.h"

namespace marac {

std::uint32_t NicknameTable::GroupFor(const std::string& canonical) {
  const auto [it, inserted] = group_ids_.try_emplace(
      canonical, static_cast<std::uint32_t>(group_names_.size()));
  if (inserted) {
    group_names_.push_back(canonical);
    AddToGroup(canonical, it->second);
  }
  return it->second;
}

void NicknameTable::AddToGroup(const std::string& name, std::uint32_t group) {
  std::vector<std::uint32_t>& groups = groups_of_[name];
  const auto at = std::lower_bound(groups.begin(), groups.end(), group);
  if (at == groups.end() || *at != group) groups.insert(at, group);
}

Result<NicknameTable> NicknameTable::FromCsv(std::string_view csv_text) {
  NicknameTable table;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < csv_text.size()) {
    std::size_t end = csv_text.find('\n', start);
    if (end == std::string_view::npos) end = csv_text.size();
    std::string_view line = csv_text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::string where = "line " + std::to_string(line_number);
    if (line_number == 1) {
      if (line != "name1,relationship,name2") {
        return InvalidArgument(where,
                               "expected the header name1,relationship,name2");
      }
      continue;
    }
    if (line.empty()) continue;
    const std::size_t c1 = line.find(',');
    const std::size_t c2 =
        c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
    if (c2 == std::string_view::npos ||
        line.find(',', c2 + 1) != std::string_view::npos) {
      return InvalidArgument(where, "expected 3 fields");
    }
    if (line.substr(c1 + 1, c2 - c1 - 1) != "has_nickname") {
      return InvalidArgument(where, "relationship must be has_nickname");
    }
    const std::string canonical = NormaliseName(line.substr(0, c1));
    const std::string nickname = NormaliseName(line.substr(c2 + 1));
    if (canonical.empty() || nickname.empty()) {
      return InvalidArgument(where, "empty name");
    }
    table.AddToGroup(nickname, table.GroupFor(canonical));
  }
  return table;
}

void NicknameTable::Merge(const NicknameTable& other) {
  for (const auto& [name, groups] : other.groups_of_) {
    for (const std::uint32_t g : groups) {
      AddToGroup(name, GroupFor(other.group_names_[g]));
    }
  }
}

bool NicknameTable::Equivalent(std::string_view a, std::string_view b) const {
  if (a == b || a.empty() || b.empty()) return false;
  const auto ga = groups_of_.find(a);
  const auto gb = groups_of_.find(b);
  if (ga == groups_of_.end() || gb == groups_of_.end()) return false;
  // Both lists are sorted: look for a common group.
  auto i = ga->second.begin();
  auto j = gb->second.begin();
  while (i != ga->second.end() && j != gb->second.end()) {
    if (*i == *j) return true;
    if (*i < *j) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

std::vector<std::string_view> NicknameTable::CanonicalNames(
    std::string_view name) const {
  std::vector<std::string_view> out;
  const auto it = groups_of_.find(name);
  if (it == groups_of_.end()) return out;
  for (const std::uint32_t g : it->second) out.push_back(group_names_[g]);
  return out;
}

bool NicknameTable::NearEquivalent(std::string_view a,
                                   std::string_view b) const {
  // Is `x` a slip of the full name of a group holding `y`?
  const auto slip_of_canonical = [&](std::string_view x, std::string_view y) {
    const auto it = groups_of_.find(y);
    if (it == groups_of_.end()) return false;
    for (const std::uint32_t g : it->second) {
      const std::string& canonical = group_names_[g];
      if (canonical != y && JaroWinkler(x, canonical) >= 0.92) return true;
    }
    return false;
  };
  return slip_of_canonical(a, b) || slip_of_canonical(b, a);
}

const NicknameTable& NicknameTable::BuiltIn() {
  static const NicknameTable* const kTable = [] {
    auto* table = new NicknameTable();
    for (const std::string_view csv : BuiltInNicknameTables()) {
      Result<NicknameTable> part = FromCsv(csv);
      // The shipped tables are tested; a failure here is a build bug.
      if (part.ok()) table->Merge(*part);
    }
    return table;
  }();
  return *kTable;
}

}  // namespace marac
