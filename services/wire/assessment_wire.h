// The assessment area (marac/v1/assessment.proto): an assessment from the
// wire, checked, ready to score; a score to the wire with its findings;
// and the client's direction (`marac --server`): answers as sent, and
// findings as received.
//
//   const std::optional<WireAssessment> a = AssessmentFromWire(
//       request.assessment(), instruments, limits, "assessment", violations);
#ifndef MARAC_SERVICES_WIRE_ASSESSMENT_WIRE_H_
#define MARAC_SERVICES_WIRE_ASSESSMENT_WIRE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marac/assess/checklist.h"
#include "marac/assess/instrument.h"
#include "marac/assess/score.h"
#include "marac/v1/assessment.pb.h"
#include "services/wire/common_wire.h"

namespace marac {

// An assessment ready to score.
struct WireAssessment {
  std::string assessment_id;
  Checklist checklist;
  Date completed_on;
  CaseHistory history;
  std::string parent_assessment_id;
};
std::optional<WireAssessment> AssessmentFromWire(
    const v1::Assessment& assessment, const InstrumentSet& instruments,
    const WireLimits& limits, std::string_view field,
    FieldViolations& violations);
void RiskScoreToWire(std::string_view assessment_id, const RiskScore& score,
                     v1::RiskScore* out,
                     std::string_view parent_assessment_id = {});

// A checklist's answers as `answers_in_order` (element k answers question
// k+1, ANSWER_UNSPECIFIED one not asked, ending at the last question
// asked).
v1::Answer AnswerToWire(Answer answer);
void AnswersInOrderToWire(const Checklist& checklist, v1::Assessment* out);
// The same answers moved to the map `answers`, keyed by question number
// (for a server that does not know answers_in_order).
void AnswersInOrderToMap(v1::Assessment* wire);
// A score's findings as the library's.
std::vector<Finding> FindingsFromWire(
    const google::protobuf::RepeatedPtrField<v1::Finding>& findings);

}  // namespace marac

#endif  // MARAC_SERVICES_WIRE_ASSESSMENT_WIRE_H_
