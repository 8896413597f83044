// One codec per table of case data: its columns written once, in the
// order a row is bound for INSERT and read back from SELECT, so that a
// column added to a table is added in one place. The SQL around them (which
// rows, in what order, with what checks) stays with the Store call.
//
//   Statement put = db.Prepare(InsertSql(IncidentRow::kTable,
//                                        IncidentRow::kColumns));
//   IncidentRow::Bind(put, incident);
//   ... db.Prepare(SelectSql(IncidentRow::kColumns, "FROM incidents ..."));
//   MARAC_ASSIGN_OR_RETURN(StoredIncident x, IncidentRow::Read(select));
#ifndef MARAC_LIB_STORE_ROWS_H_
#define MARAC_LIB_STORE_ROWS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "lib/store/db.h"
#include "marac/casefile/case_file.h"
#include "marac/casefile/one_stop_shop.h"
#include "marac/common/result.h"
#include "marac/identity/person_record.h"
#include "marac/store/store.h"

namespace marac::rows {

// "INSERT INTO table (columns) VALUES (?1, .., ?n)", one parameter per
// column in order; with `conflict_key` (one column or several, comma
// separated), an upsert that sets every other column from the new row.
std::string InsertSql(std::string_view table, std::string_view columns,
                      std::string_view conflict_key = {});
// "SELECT columns " + rest.
std::string SelectSql(std::string_view columns, std::string_view rest);

// Files before schema version 11 have no area column: Columns and Bind
// leave it out there, and a SELECT reads '' in its place.
struct RecordRow {
  static constexpr std::string_view kTable = "records";
  static constexpr std::string_view kKey = "record_id";
  // Each column prefixed with `prefix` ("r."), for a join.
  static std::string Columns(int version, std::string_view prefix = {});
  static std::string SelectColumns(int version, std::string_view prefix = {});
  static constexpr int kColumnCount = 17;  // As SelectColumns reads them.
  static void Bind(db::Statement& s, const PersonRecord& r, int version);
  static PersonRecord Read(const db::Statement& s);
};

// Files before schema version 8 have no crime column: Columns and Bind
// leave it out there, and a SELECT reads NULL (not recorded) in its place.
struct IncidentRow {
  static constexpr std::string_view kTable = "incidents";
  static std::string Columns(int version);
  static std::string SelectColumns(int version);
  static void Bind(db::Statement& s, const StoredIncident& x, int version);
  static Result<StoredIncident> Read(const db::Statement& s);
};

// Files before schema version 3 have no instrument_version column, and
// before 8 none of parent_assessment_id, safeguarding and
// officer_rationale: Columns and Bind leave them out there, and a SELECT
// reads empty values in their place.
struct AssessmentRow {
  static constexpr std::string_view kTable = "assessments";
  static std::string Columns(int version);
  static std::string SelectColumns(int version);
  static void Bind(db::Statement& s, const StoredAssessment& a, int version);
  static Result<StoredAssessment> Read(const db::Statement& s);
};

// Written with the time it was stored (stored_at, not read back).
struct ReferralRow {
  static constexpr std::string_view kTable = "referrals";
  static constexpr std::string_view kColumns =
      "referral_id, submission_id, area, agency, source, referred_on, "
      "victim_record_id, perpetrator_record_ids, incident_id, assessment_id, "
      "criteria, children_in_household";
  static constexpr std::string_view kStoredColumns =
      "referral_id, submission_id, area, agency, source, referred_on, "
      "victim_record_id, perpetrator_record_ids, incident_id, assessment_id, "
      "criteria, children_in_household, stored_at";
  static void Bind(db::Statement& s, const StoredReferral& r,
                   std::string_view stored_at);
  static Result<StoredReferral> Read(const db::Statement& s);
};

// A referral's details (schema version 7): one row when any is recorded.
struct ReferralDetailsRow {
  static constexpr std::string_view kTable = "referral_details";
  static constexpr std::string_view kColumns =
      "referral_id, referrer_name, referrer_role, referrer_contact, "
      "judgement_narrative, consent, relationship, language, "
      "interpreter_needed, safe_contact, excluded_agencies, gender_identity, "
      "ethnicity, disability, sexual_orientation, age_band";
  static void Bind(db::Statement& s, std::string_view referral_id,
                   const ReferralDetails& d);
  // Reads the columns after referral_id (the children are other rows).
  static Result<ReferralDetails> Read(const db::Statement& s);
};

struct ReferralChildRow {
  static constexpr std::string_view kTable = "referral_children";
  static constexpr std::string_view kColumns =
      "referral_id, position, given_name, family_name, date_of_birth, "
      "known_to";
  static void Bind(db::Statement& s, std::string_view referral_id,
                   std::int64_t position, const ChildInHousehold& c);
  // Reads the columns from given_name on.
  static Result<ChildInHousehold> Read(const db::Statement& s);
};

// A research list sent (schema version 7), numbered by the table.
struct CirculationRow {
  static constexpr std::string_view kTable = "circulations";
  static constexpr std::string_view kColumns =
      "meeting_id, agency, referral_ids, withheld_referral_ids, format, "
      "sent_at, sent_by, role";
  static void Bind(db::Statement& s, const Circulation& c);
  // sequence first, then kColumns.
  static Result<Circulation> Read(const db::Statement& s);
};

struct IdvaSupportRow {
  static constexpr std::string_view kTable = "idva_support";
  static constexpr std::string_view kKey = "referral_id";
  static constexpr std::string_view kColumns =
      "referral_id, idva_service, allocated_on, engagement, closed_on";
  static void Bind(db::Statement& s, const IdvaSupport& x);
  static Result<IdvaSupport> Read(const db::Statement& s);
};

// A One Stop Shop visit and session (schema version 9); upserted by id.
struct VisitRow {
  static constexpr std::string_view kTable = "oss_visits";
  static constexpr std::string_view kKey = "visit_id";
  static constexpr std::string_view kColumns =
      "visit_id, visited_on, site, visitor_record_id, lives_in_borough, "
      "referred_by, children, gender, ethnicity, feedback";
  static void Bind(db::Statement& s, const OneStopShopVisit& v);
  static Result<OneStopShopVisit> Read(const db::Statement& s);
};

struct SessionRow {
  static constexpr std::string_view kTable = "oss_sessions";
  static constexpr std::string_view kKey = "session_id";
  static constexpr std::string_view kColumns =
      "session_id, held_on, site, committed_agencies, attended_agencies";
  static void Bind(db::Statement& s, const OneStopShopSession& x);
  static Result<OneStopShopSession> Read(const db::Statement& s);
};

struct MeetingRow {
  static constexpr std::string_view kTable = "meetings";
  static constexpr std::string_view kKey = "meeting_id";
  static constexpr std::string_view kColumns =
      "meeting_id, area, date, referral_cutoff, capacity_cases, "
      "capacity_minutes";
  static void Bind(db::Statement& s, const Meeting& m);
  static Result<Meeting> Read(const db::Statement& s);
};

// Written with the time it was generated (generated_at, not read back);
// the listed referrals are rows of agenda_cases.
struct AgendaRow {
  static constexpr std::string_view kTable = "agendas";
  static constexpr std::string_view kColumns =
      "agenda_id, meeting_id, policy_version, json";
  static constexpr std::string_view kStoredColumns =
      "agenda_id, meeting_id, policy_version, json, generated_at";
  static void Bind(db::Statement& s, const StoredAgenda& a,
                   std::string_view generated_at);
  static StoredAgenda Read(const db::Statement& s);
};

struct AgendaCaseRow {
  static constexpr std::string_view kTable = "agenda_cases";
  static constexpr std::string_view kColumns =
      "agenda_id, position, referral_id";
};

// Stored with the pair in order (record_id_l < record_id_r).
struct ReviewDecisionRow {
  static constexpr std::string_view kTable = "review_decisions";
  static constexpr std::string_view kKey = "record_id_l, record_id_r";
  static constexpr std::string_view kColumns =
      "record_id_l, record_id_r, same, decided_by, decided_at";
  static void Bind(db::Statement& s, const ReviewDecision& d);
  static ReviewDecision Read(const db::Statement& s);
};

struct MeetingRecordRow {
  static constexpr std::string_view kTable = "meeting_records";
  static constexpr std::string_view kColumns =
      "meeting_id, recorded_at, recorded_by";
};

struct AttendanceRow {
  static constexpr std::string_view kTable = "meeting_attendance";
  static constexpr std::string_view kColumns = "meeting_id, position, agency";
};

// A case as a meeting dealt with it (its actions are ActionRows).
struct HearingRow {
  static constexpr std::string_view kTable = "hearings";
  static constexpr std::string_view kColumns =
      "meeting_id, position, referral_id, outcome, reason";
  static void Bind(db::Statement& s, std::string_view meeting_id,
                   std::int64_t position, const CaseHearing& c);
  // Reads the columns from referral_id on, starting at `first`.
  static Result<CaseHearing> Read(const db::Statement& s, int first);
};

struct ActionRow {
  static constexpr std::string_view kTable = "actions";
  static constexpr std::string_view kColumns =
      "action_id, meeting_id, referral_id, agency, owner, text, due_on, "
      "status, status_on, note";
  static void Bind(db::Statement& s, const CaseAction& a);
  static Result<CaseAction> Read(const db::Statement& s);
};

struct ActionChangeRow {
  static constexpr std::string_view kTable = "action_changes";
  // Without sequence, which the table numbers.
  static constexpr std::string_view kColumns =
      "action_id, at, \"user\", agency, from_status, from_status_on, "
      "from_note, "
      "to_status, to_status_on, to_note";
  static void Bind(db::Statement& s, const Store::ActionChange& c);
  // sequence first, then kColumns.
  static Result<Store::ActionChange> Read(const db::Statement& s);
};

}  // namespace marac::rows

#endif  // MARAC_LIB_STORE_ROWS_H_
