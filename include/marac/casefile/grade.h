// A risk grade, as a checklist's scoring gives it and as a case file
// keeps it: the names other systems read ("standard" .. "not_graded") and
// a severity to compare grades by. Scorer-free, so that the store, the
// agenda and the reports can hold a grade without linking the scorer.
//
//   MARAC_ASSIGN_OR_RETURN(Grade g, ParseGrade("grade", "high"));
//   if (GradeSeverity(g) > GradeSeverity(Grade::kMedium)) ...
#ifndef MARAC_CASEFILE_GRADE_H_
#define MARAC_CASEFILE_GRADE_H_

#include <cstdint>
#include <string_view>

#include "marac/common/result.h"

namespace marac {

enum class Grade : std::uint8_t { kStandard, kMedium, kHigh, kNotGraded };

// "standard" | "medium" | "high" | "not_graded".
std::string_view GradeName(Grade grade);

// The grade of that name; kInvalidArgument naming `field` for any other
// text (an empty one included).
Result<Grade> ParseGrade(std::string_view field, std::string_view name);

// 3 high, 2 medium, 1 standard, 0 not graded.
int GradeSeverity(Grade grade);

}  // namespace marac

#endif  // MARAC_CASEFILE_GRADE_H_
