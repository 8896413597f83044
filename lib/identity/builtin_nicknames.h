// The nickname tables shipped with the library (lib/identity/data/*.csv),
// embedded at build time.
#ifndef MARAC_IDENTITY_BUILTIN_NICKNAMES_H_
#define MARAC_IDENTITY_BUILTIN_NICKNAMES_H_

#include <span>
#include <string_view>

namespace marac {

std::span<const std::string_view> BuiltInNicknameTables();

}  // namespace marac

#endif  // MARAC_IDENTITY_BUILTIN_NICKNAMES_H_
