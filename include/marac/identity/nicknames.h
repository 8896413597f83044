// Given-name nickname and diminutive equivalence: "liz" and "elizabeth",
// "bill" and "william", "gaz" and "gary". Two names are equivalent when one
// group (a canonical name with its nicknames) holds both; there is no
// transitive closure, so "ron" (under both aaron and ronald) does not make
// aaron equivalent to ronald.
//
//   const NicknameTable& t = NicknameTable::BuiltIn();
//   t.Equivalent("liz", "elizabeth");  // true
//
// Names are compared after NormaliseName. Immutable; thread-safe.
#ifndef MARAC_IDENTITY_NICKNAMES_H_
#define MARAC_IDENTITY_NICKNAMES_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "marac/common/result.h"

namespace marac {

class NicknameTable {
 public:
  // The shipped table: carltonnorthern/nicknames (Apache-2.0) plus the
  // project's British supplement (lib/identity/data/).
  static const NicknameTable& BuiltIn();

  // Parses CSV with the header "name1,relationship,name2" (relationship
  // "has_nickname"). Errors name the line: "line 7: expected 3 fields".
  static Result<NicknameTable> FromCsv(std::string_view csv_text);

  // Adds the groups of `other` to this table.
  void Merge(const NicknameTable& other);

  // Whether `a` and `b` (normalised names) are different names of one group.
  // A name is not its own nickname: Equivalent("tom", "tom") is false, since
  // an exact match is a stronger level of its own.
  bool Equivalent(std::string_view a, std::string_view b) const;

  // Whether one name is a slip (Jaro-Winkler >= 0.92) of the full name of a
  // group holding the other: "debrah" (for deborah) and "debbie".
  bool NearEquivalent(std::string_view a, std::string_view b) const;

  // The canonical names of the groups holding `name`, for blocking on
  // nickname-equivalent names; empty when no group holds it.
  std::vector<std::string_view> CanonicalNames(std::string_view name) const;

  std::size_t group_count() const { return group_names_.size(); }

 private:
  std::uint32_t GroupFor(const std::string& canonical);
  void AddToGroup(const std::string& name, std::uint32_t group);

  std::vector<std::string> group_names_;
  // Name -> the groups holding it, sorted.
  // Transparent hashing: a name is looked up as a string_view, without
  // building a string (Compare asks for every pair it cannot settle
  // otherwise).
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  std::unordered_map<std::string, std::vector<std::uint32_t>, NameHash,
                     std::equal_to<>>
      groups_of_;
  std::unordered_map<std::string, std::uint32_t> group_ids_;
};

}  // namespace marac

#endif  // MARAC_IDENTITY_NICKNAMES_H_
