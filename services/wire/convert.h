// The one place where wire messages (marac.v1) meet the library's types.
// From the wire, every field is checked against the rules and limits; all
// violations are collected, by field path, so a client learns every
// problem at once. To the wire, nothing is checked: the library's values
// are valid.
//
//   FieldViolations violations;
//   const std::optional<StoredReferral> referral = ReferralFromWire(
//       request.referral(), limits, "referral", violations);
//   if (!referral) return violations.ToStatus();
//
// A From* function returns nullopt exactly when it added a violation.
// Messages name the rule broken, never the value sent.
#ifndef MARAC_SERVICES_WIRE_CONVERT_H_
#define MARAC_SERVICES_WIRE_CONVERT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "marac/agenda/agenda.h"
#include "marac/assess/checklist.h"
#include "marac/assess/instrument.h"
#include "marac/assess/score.h"
#include "marac/common/date.h"
#include "marac/identity/linkage_model.h"
#include "marac/identity/person_record.h"
#include "marac/report/statistics.h"
#include "marac/store/store.h"
#include "marac/v1/agenda.pb.h"
#include "marac/v1/assessment.pb.h"
#include "marac/v1/audit.pb.h"
#include "marac/v1/common.pb.h"
#include "marac/v1/linkage.pb.h"
#include "marac/v1/referral.pb.h"
#include "marac/v1/statistics.pb.h"
#include "services/wire/rpc_status.h"

namespace marac {

// What a request may hold, and which dates are plausible.
struct WireLimits {
  std::size_t max_string_bytes = 4096;
  std::size_t max_list_items = 1000;
  Date earliest{1990, 1, 1};  // Event dates before this are refused.
  Date latest{9999, 12, 31};  // Event dates after this (today) are refused.
};

// An id field: required unless `optional`, at most 128 bytes, printable
// ASCII without spaces.
void CheckId(std::string_view id, std::string_view field, bool optional,
             FieldViolations& violations);
// A label (an area, a source system): required unless `optional`, at most
// 128 bytes, no control characters.
void CheckLabel(std::string_view text, std::string_view field, bool optional,
                FieldViolations& violations);
// A free-text field within the string limit (UTF-8 is checked by protobuf).
void CheckText(std::string_view text, std::string_view field,
               const WireLimits& limits, FieldViolations& violations);
// A required `purpose` of a read: not blank, within the string limit.
void CheckPurpose(std::string_view purpose, std::string_view field,
                  const WireLimits& limits, FieldViolations& violations);

// A calendar date, any real one (1..9999).
std::optional<Date> DateFromWire(const v1::Date& date, std::string_view field,
                                 FieldViolations& violations);
// An event date: real, and within limits.earliest..limits.latest.
std::optional<Date> EventDateFromWire(const v1::Date& date,
                                      std::string_view field,
                                      const WireLimits& limits,
                                      FieldViolations& violations);
void DateToWire(const Date& date, v1::Date* out);

// An assessment ready to score.
struct WireAssessment {
  std::string assessment_id;
  Checklist checklist;
  Date completed_on;
  CaseHistory history;
};
std::optional<WireAssessment> AssessmentFromWire(
    const v1::Assessment& assessment, const InstrumentSet& instruments,
    const WireLimits& limits, std::string_view field,
    FieldViolations& violations);
void RiskScoreToWire(std::string_view assessment_id, const RiskScore& score,
                     v1::RiskScore* out);

// A referral to submit. referral_id and agency must be empty on the wire
// (the server sets them); `agency` is the caller's.
std::optional<StoredReferral> ReferralFromWire(const v1::Referral& referral,
                                               std::string_view agency,
                                               const WireLimits& limits,
                                               std::string_view field,
                                               FieldViolations& violations);
void ReferralToWire(const StoredReferral& referral, v1::Referral* out);
// Whether two referrals say the same, apart from their referral ids (an
// idempotent retry).
bool SameReferral(const StoredReferral& a, const StoredReferral& b);

std::optional<PersonRecord> PersonRecordFromWire(const v1::PersonRecord& record,
                                                 const WireLimits& limits,
                                                 std::string_view field,
                                                 FieldViolations& violations);
void WeightTermToWire(const WeightTerm& term, v1::WeightTerm* out);

void MeetingToWire(const Meeting& meeting, v1::Meeting* out);
// The circulated view: no names, dates of birth, addresses or phones.
void AgendaToWire(const Agenda& agenda, v1::Agenda* out);
void DeferredCaseToWire(const DeferredCase& d, const AgendaMeeting& meeting,
                        v1::DeferredCase* out);
void NotEligibleToWire(const LeftOut& l, v1::NotEligible* out);

void StatisticsToWire(const Statistics& statistics, v1::Statistics* out);

void AuditEntryToWire(const AuditEntry& entry, v1::AuditEntry* out);
AuditEntry AuditEntryFromWire(const v1::AuditEntry& entry);

// The client's direction (`marac --server`): a record as sent to
// ResolveRecord (its date of birth must be a date: kInvalidArgument naming
// dob otherwise), and a checklist's answers as `answers_in_order` (element
// k answers question k+1, ANSWER_UNSPECIFIED one not asked, ending at the
// last question asked).
Status PersonRecordToWire(const PersonRecord& record, v1::PersonRecord* out);
v1::Answer AnswerToWire(Answer answer);
void AnswersInOrderToWire(const Checklist& checklist, v1::Assessment* out);
void AuditVerificationToWire(const AuditVerification& verification,
                             v1::VerifyAuditResponse* out);

// A grade on the wire; GRADE_UNSPECIFIED for none (a case not assessed).
v1::Grade GradeToWire(std::optional<Grade> grade);
// The grade a wire value names; none for GRADE_UNSPECIFIED or a value
// this build does not know.
std::optional<Grade> GradeFromWire(v1::Grade grade);

}  // namespace marac

#endif  // MARAC_SERVICES_WIRE_CONVERT_H_
