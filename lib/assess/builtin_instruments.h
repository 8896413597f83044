// The instrument definitions shipped with the library: the JSON files in
// lib/assess/instruments/, embedded at build time.
#ifndef MARAC_ASSESS_BUILTIN_INSTRUMENTS_H_
#define MARAC_ASSESS_BUILTIN_INSTRUMENTS_H_

#include <span>
#include <string_view>

namespace marac {

std::span<const std::string_view> BuiltInInstrumentDefinitions();

}  // namespace marac

#endif  // MARAC_ASSESS_BUILTIN_INSTRUMENTS_H_
