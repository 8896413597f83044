// Reading person records for `marac link` from CSV (RFC 4180, parsed by
// libcsv in strict mode), in the project's own column layout or, with a
// format preset, in the layouts of the FEBRL and Splink data sets.
#ifndef MARAC_SERVICES_CLI_RECORD_CSV_H_
#define MARAC_SERVICES_CLI_RECORD_CSV_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "marac/common/result.h"
#include "marac/identity/person_record.h"
#include "marac/store/store.h"

namespace marac {

enum class RecordFormat {
  // record_id,given_name,family_name,dob,gender,postcode,address_line,role
  // and optionally incident_id, trusted_id, town, email, other_id and
  // previous_family_names (semicolon-separated); dob validated.
  kMarac,
  // rec_id, given_name, surname, street_number + address_1 + address_2 as
  // the address, suburb as town, postcode, date_of_birth (YYYYMMDD),
  // soc_sec_id as other_id.
  kFebrl,
  // unique_id, first_name, surname, dob, gender, postcode_fake, city as
  // town (birth_place when there is no city), email: fake_1000 and
  // historical_50k as they are.
  kSplink,
};

// "marac" | "febrl" | "splink".
Result<RecordFormat> ParseRecordFormat(std::string_view name);

// Appends the records of `csv_text` (read from `source`) to `out`. Errors
// name the source, the line and the field: "a.csv line 7: dob: 2025-02-29 is
// not a date (2025 is not a leap year)". Record ids must be unique across
// everything in `out`.
Status ReadRecordCsv(std::string_view csv_text, const std::string& source,
                     RecordFormat format, std::vector<PersonRecord>& out);

// One line of a decisions file (`record_id_l,record_id_r,decision`, the
// decision `same` or `not_same`): a person's verdict on a review pair.
struct DecisionRow {
  std::string record_id_l;
  std::string record_id_r;
  bool same = false;
  std::size_t line = 0;  // Where it was read, for errors.
};

// Appends the decisions of `csv_text` to `out`. A pair decided twice the
// same way is kept once; decided both ways, or a decision other than
// same / not_same, is an error naming the line and field.
Status ReadDecisionCsv(std::string_view csv_text, const std::string& source,
                       std::vector<DecisionRow>& out);

// Reads an earlier run's `record_id,person_id` file into `out` (record id
// -> person id); a record id twice is an error.
Status ReadPersonIdCsv(std::string_view csv_text, const std::string& source,
                       std::map<std::string, std::string, std::less<>>& out);

// Store imports for a coordinator (`marac import`). Lists within a field
// are separated by ';'; columns marked optional may be empty. Errors name
// the file, line and field; nothing is appended on an error.
// incident_id,occurred_on,area,victim_record_id,perpetrator_record_ids,
// reported_by (the last two optional).
Status ReadIncidentCsv(std::string_view csv_text, const std::string& source,
                       std::vector<StoredIncident>& out);
// assessment_id,victim_record_id,incident_id,instrument,policy_version,
// completed_on,score,grade,marac_referral (true|false),criteria,
// high_harm_indicators (incident_id and the lists optional), and an
// optional instrument_version column: when absent or empty, the version of
// the built-in definition of that instrument (an error for an instrument
// that is not built in).
Status ReadAssessmentCsv(std::string_view csv_text, const std::string& source,
                         std::vector<StoredAssessment>& out);
// referral_id,submission_id,area,agency,source,referred_on,
// victim_record_id,perpetrator_record_ids,incident_id,assessment_id,
// criteria,children_in_household (the ids after the victim's and the
// criteria optional).
Status ReadReferralCsv(std::string_view csv_text, const std::string& source,
                       std::vector<StoredReferral>& out);

// referral_id,idva_service,allocated_on,engagement (not_known | engaged |
// declined | not_contactable),closed_on (optional).
Status ReadIdvaSupportCsv(std::string_view csv_text, const std::string& source,
                          std::vector<IdvaSupport>& out);

// One Stop Shop visits: visit_id,visited_on,site, and optionally
// visitor_record_id (empty: anonymous), lives_in_borough (yes | no),
// referred_by, children, gender (female | male | other), ethnicity,
// feedback (helpful | not_helpful); an empty cell is not recorded.
Status ReadVisitCsv(std::string_view csv_text, const std::string& source,
                    std::vector<OneStopShopVisit>& out);
// One Stop Shop sessions: session_id,held_on,site, and optionally
// committed_agencies and attended_agencies (';' between agencies).
Status ReadSessionCsv(std::string_view csv_text, const std::string& source,
                      std::vector<OneStopShopSession>& out);

// `text` as one CSV field (quoted when it holds a comma, quote or newline).
std::string CsvField(std::string_view text);

}  // namespace marac

#endif  // MARAC_SERVICES_CLI_RECORD_CSV_H_
