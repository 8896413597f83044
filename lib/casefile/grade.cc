#include "marac/casefile/grade.h"

#include <string>

namespace marac {

std::string_view GradeName(Grade grade) {
  switch (grade) {
    case Grade::kStandard:
      return "standard";
    case Grade::kMedium:
      return "medium";
    case Grade::kHigh:
      return "high";
    case Grade::kNotGraded:
      break;
  }
  return "not_graded";
}

Result<Grade> ParseGrade(std::string_view field, std::string_view name) {
  for (const Grade g :
       {Grade::kStandard, Grade::kMedium, Grade::kHigh, Grade::kNotGraded}) {
    if (GradeName(g) == name) return g;
  }
  return InvalidArgument(field, "'" + std::string(name) +
                                    "' is not standard, medium, high or "
                                    "not_graded");
}

int GradeSeverity(Grade grade) {
  switch (grade) {
    case Grade::kHigh:
      return 3;
    case Grade::kMedium:
      return 2;
    case Grade::kStandard:
      return 1;
    case Grade::kNotGraded:
      break;
  }
  return 0;
}

}  // namespace marac
