#include "services/version/version.h"

#include "marac/agenda/agenda.h"
#include "marac/assess/policy.h"
#include "marac/store/store.h"

// Both set by services/version/CMakeLists.txt when CMake configures.
#ifndef MARAC_PROJECT_VERSION
#error "MARAC_PROJECT_VERSION must be defined by the build"
#endif
#ifndef MARAC_GIT_COMMIT
#error "MARAC_GIT_COMMIT must be defined by the build"
#endif

namespace marac {

std::string VersionText(std::string_view program) {
  std::string text(program);
  text += " " MARAC_PROJECT_VERSION "\n";
  text += "commit " MARAC_GIT_COMMIT "\n";
  text += "store-schema " + std::to_string(LatestSchemaVersion()) + "\n";
  text += "default-scoring-policy " + ScoringPolicy::Default().version + "\n";
  text += "default-priority-policy " + PriorityPolicy().version + "\n";
  return text;
}

}  // namespace marac
