// What `marac --version` and `marac-server --version` print, in one place:
// one fact a line, `name value`, so that a script can pick a line by its
// first word and an incident report can quote them all.
//
//   marac 0.1.0
//   commit 38a51ae
//   store-schema 5
//   default-scoring-policy marac-default-2026.3
//   default-priority-policy marac-priority-2026.2
#ifndef MARAC_SERVICES_VERSION_VERSION_H_
#define MARAC_SERVICES_VERSION_VERSION_H_

#include <string>
#include <string_view>

namespace marac {

// The lines above for `program` ("marac" or "marac-server"), each ending in
// '\n': the project version (CMake's project() VERSION); the git commit
// the build was configured from ("unknown" outside a git checkout or
// without git); the schema version the SQLite store creates and migrates
// to; the versions of the built-in scoring and priority policies (a
// --policy file or a server's configuration may name others).
std::string VersionText(std::string_view program);

}  // namespace marac

#endif  // MARAC_SERVICES_VERSION_VERSION_H_
