#include "lib/store/schema.h"

#include <iterator>
#include <string>

#include "lib/store/audit_chain.h"

namespace marac {
namespace {

// Schema migrations, in order: migration k takes the file from version k
// to k + 1. Never edit a released one; add the next.
constexpr const char* kMigrations[] = {
    // 1: the case data and the audit log.
    R"sql(
CREATE TABLE records (
  record_id TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  given_name TEXT NOT NULL,
  middle_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  previous_family_names TEXT NOT NULL,  -- JSON array
  dob TEXT NOT NULL,
  gender TEXT NOT NULL,
  postcode TEXT NOT NULL,
  address_line TEXT NOT NULL,
  town TEXT NOT NULL,
  email TEXT NOT NULL,
  other_id TEXT NOT NULL,
  role TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  trusted_id TEXT NOT NULL
) STRICT;
CREATE TABLE record_person (
  record_id TEXT PRIMARY KEY REFERENCES records(record_id),
  person_id TEXT NOT NULL
) STRICT;
CREATE INDEX record_person_by_person ON record_person(person_id);
CREATE TABLE person_events (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  event TEXT NOT NULL CHECK (event IN ('merge', 'split')),
  person_id TEXT NOT NULL,
  other_person_id TEXT NOT NULL,
  at TEXT NOT NULL
) STRICT;
CREATE TABLE incidents (
  incident_id TEXT PRIMARY KEY,
  occurred_on TEXT NOT NULL,
  area TEXT NOT NULL,
  victim_record_id TEXT NOT NULL REFERENCES records(record_id),
  perpetrator_record_ids TEXT NOT NULL,  -- JSON array
  reported_by TEXT NOT NULL
) STRICT;
CREATE TABLE assessments (
  assessment_id TEXT PRIMARY KEY,
  victim_record_id TEXT NOT NULL REFERENCES records(record_id),
  incident_id TEXT,
  instrument TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  completed_on TEXT NOT NULL,
  score INTEGER NOT NULL,
  grade TEXT NOT NULL,
  marac_referral INTEGER NOT NULL,
  criteria TEXT NOT NULL,              -- JSON array
  high_harm_indicators TEXT NOT NULL,  -- JSON array
  result_json TEXT NOT NULL
) STRICT;
CREATE TABLE referrals (
  referral_id TEXT PRIMARY KEY,
  submission_id TEXT NOT NULL UNIQUE,
  area TEXT NOT NULL,
  agency TEXT NOT NULL,
  source TEXT NOT NULL,
  referred_on TEXT NOT NULL,
  victim_record_id TEXT NOT NULL REFERENCES records(record_id),
  perpetrator_record_ids TEXT NOT NULL,  -- JSON array
  incident_id TEXT,
  assessment_id TEXT REFERENCES assessments(assessment_id),
  criteria TEXT NOT NULL,  -- JSON array
  children_in_household INTEGER NOT NULL,
  stored_at TEXT NOT NULL
) STRICT;
CREATE TABLE meetings (
  meeting_id TEXT PRIMARY KEY,
  area TEXT NOT NULL,
  date TEXT NOT NULL,
  referral_cutoff TEXT NOT NULL,
  capacity_cases INTEGER NOT NULL,
  capacity_minutes INTEGER NOT NULL
) STRICT;
CREATE TABLE agendas (
  agenda_id TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings(meeting_id),
  policy_version TEXT NOT NULL,
  json TEXT NOT NULL,
  generated_at TEXT NOT NULL
) STRICT;
CREATE TABLE audit_log (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  role TEXT NOT NULL,
  agency TEXT NOT NULL,
  purpose TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_ids TEXT NOT NULL,  -- JSON array
  outcome TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
    // 2: review decisions, and referrals found by area and date.
    R"sql(
CREATE TABLE review_decisions (
  record_id_l TEXT NOT NULL REFERENCES records(record_id),
  record_id_r TEXT NOT NULL REFERENCES records(record_id),
  same INTEGER NOT NULL,
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  PRIMARY KEY (record_id_l, record_id_r),
  CHECK (record_id_l < record_id_r)
) STRICT;
CREATE INDEX referrals_by_area_date ON referrals(area, referred_on);
)sql",
    // 3: the instrument version an assessment was scored on, and the IDVA
    // allocated to each MARAC case with the victim's engagement.
    R"sql(
ALTER TABLE assessments ADD COLUMN instrument_version TEXT NOT NULL
  DEFAULT '';
CREATE TABLE idva_support (
  referral_id TEXT PRIMARY KEY REFERENCES referrals(referral_id),
  idva_service TEXT NOT NULL,
  allocated_on TEXT NOT NULL,
  engagement TEXT NOT NULL CHECK (engagement IN
    ('not_known', 'engaged', 'declined', 'not_contactable')),
  closed_on TEXT
) STRICT;
)sql",
    // 4: a hash chain over the audit log (the rows already there are
    // chained by ChainExistingAudit in the same transaction), and the
    // call's request id and peer.
    R"sql(
ALTER TABLE audit_log ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN peer TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN row_hash TEXT NOT NULL DEFAULT '';
)sql",
    // 5: which referrals each saved agenda listed, as rows, back-filled
    // from the agendas already saved (their "cases", in rank order), so
    // that "heard at a meeting" is read as facts, not from a rendering.
    R"sql(
CREATE TABLE agenda_cases (
  agenda_id TEXT NOT NULL REFERENCES agendas(agenda_id),
  position INTEGER NOT NULL,
  referral_id TEXT NOT NULL,
  PRIMARY KEY (agenda_id, position)
) STRICT;
CREATE INDEX agenda_cases_by_referral ON agenda_cases(referral_id);
INSERT INTO agenda_cases (agenda_id, position, referral_id)
  SELECT a.agenda_id, c.key, json_extract(c.value, '$.referral_id')
  FROM agendas a, json_each(a.json, '$.cases') c
  WHERE json_valid(a.json) AND json_type(a.json, '$.cases') = 'array'
    AND json_type(c.value, '$.referral_id') = 'text';
)sql",
    // 6: what each meeting recorded (attendance, each case's outcome, the
    // actions agreed) and every change to an action, with the value it
    // replaced.
    R"sql(
CREATE TABLE meeting_records (
  meeting_id TEXT PRIMARY KEY REFERENCES meetings(meeting_id),
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL
) STRICT;
CREATE TABLE meeting_attendance (
  meeting_id TEXT NOT NULL REFERENCES meeting_records(meeting_id),
  position INTEGER NOT NULL,
  agency TEXT NOT NULL,
  PRIMARY KEY (meeting_id, position),
  UNIQUE (meeting_id, agency)
) STRICT;
CREATE TABLE hearings (
  meeting_id TEXT NOT NULL REFERENCES meeting_records(meeting_id),
  position INTEGER NOT NULL,
  referral_id TEXT NOT NULL REFERENCES referrals(referral_id),
  outcome TEXT NOT NULL CHECK (outcome IN
    ('heard', 'adjourned', 'transferred_out', 'withdrawn')),
  reason TEXT NOT NULL,
  PRIMARY KEY (meeting_id, position),
  UNIQUE (meeting_id, referral_id)
) STRICT;
CREATE INDEX hearings_by_referral ON hearings(referral_id);
CREATE TABLE actions (
  action_id TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meeting_records(meeting_id),
  referral_id TEXT NOT NULL REFERENCES referrals(referral_id),
  agency TEXT NOT NULL,
  owner TEXT NOT NULL,
  text TEXT NOT NULL,
  due_on TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
  status_on TEXT,
  note TEXT NOT NULL
) STRICT;
CREATE INDEX actions_by_agency ON actions(agency, status, due_on);
CREATE TABLE action_changes (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  action_id TEXT NOT NULL REFERENCES actions(action_id),
  at TEXT NOT NULL,
  user TEXT NOT NULL,
  agency TEXT NOT NULL,
  from_status TEXT NOT NULL,
  from_status_on TEXT,
  from_note TEXT NOT NULL,
  to_status TEXT NOT NULL,
  to_status_on TEXT,
  to_note TEXT NOT NULL
) STRICT;
CREATE INDEX action_changes_by_action ON action_changes(action_id);
)sql",
    // 7: the referral record (referrer, consent, relationship, children,
    // language, safe contact, excluded agencies, equality monitoring) and
    // the log of research lists sent to agencies.
    R"sql(
CREATE TABLE referral_details (
  referral_id TEXT PRIMARY KEY REFERENCES referrals(referral_id),
  referrer_name TEXT NOT NULL,
  referrer_role TEXT NOT NULL,
  referrer_contact TEXT NOT NULL,
  judgement_narrative TEXT NOT NULL,
  consent TEXT NOT NULL CHECK (consent IN
    ('not_recorded', 'consented', 'aware_not_consented', 'not_aware')),
  relationship TEXT NOT NULL CHECK (relationship IN
    ('not_recorded', 'partner', 'ex_partner', 'family_member', 'other')),
  language TEXT NOT NULL,
  interpreter_needed INTEGER NOT NULL CHECK (interpreter_needed IN (0, 1)),
  safe_contact TEXT NOT NULL,
  excluded_agencies TEXT NOT NULL,  -- JSON array
  gender_identity TEXT NOT NULL,
  ethnicity TEXT NOT NULL,
  disability TEXT NOT NULL,
  sexual_orientation TEXT NOT NULL,
  age_band TEXT NOT NULL
) STRICT;
CREATE TABLE referral_children (
  referral_id TEXT NOT NULL REFERENCES referrals(referral_id),
  position INTEGER NOT NULL,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  date_of_birth TEXT,
  known_to TEXT NOT NULL,  -- JSON array
  PRIMARY KEY (referral_id, position)
) STRICT;
CREATE TABLE circulations (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  meeting_id TEXT NOT NULL,
  agency TEXT NOT NULL,
  referral_ids TEXT NOT NULL,           -- JSON array
  withheld_referral_ids TEXT NOT NULL,  -- JSON array
  format TEXT NOT NULL CHECK (format IN ('json', 'md', 'html')),
  sent_at TEXT NOT NULL,
  sent_by TEXT NOT NULL,
  role TEXT NOT NULL
) STRICT;
CREATE INDEX circulations_by_meeting ON circulations(meeting_id);
)sql",
    // 8: an assessment's parent (the checklist an S-DASH or H-DASH
    // followed), the safeguarding prompts it raised, and an officer's
    // rationale for a judgement-graded (DARA) grade; whether an incident was
    // recorded as a crime (NULL: not recorded).
    R"sql(
ALTER TABLE assessments ADD COLUMN parent_assessment_id TEXT NOT NULL
  DEFAULT '';
ALTER TABLE assessments ADD COLUMN safeguarding TEXT NOT NULL
  DEFAULT '[]';  -- JSON array of prompt ids
ALTER TABLE assessments ADD COLUMN officer_rationale TEXT NOT NULL
  DEFAULT '';
CREATE INDEX assessments_by_parent ON assessments(parent_assessment_id)
  WHERE parent_assessment_id != '';
ALTER TABLE incidents ADD COLUMN crime INTEGER CHECK (crime IN (0, 1));
)sql",
    // 9: One Stop Shops: each visit (the visitor a record, or anonymous)
    // and each session with the agencies committed and present.
    R"sql(
CREATE TABLE oss_visits (
  visit_id TEXT PRIMARY KEY,
  visited_on TEXT NOT NULL,
  site TEXT NOT NULL,
  visitor_record_id TEXT REFERENCES records(record_id),  -- NULL: anonymous
  lives_in_borough INTEGER CHECK (lives_in_borough IN (0, 1)),
  referred_by TEXT NOT NULL,
  children INTEGER CHECK (children BETWEEN 0 AND 50),
  gender TEXT NOT NULL CHECK (gender IN
    ('not_recorded', 'female', 'male', 'other')),
  ethnicity TEXT NOT NULL,
  feedback TEXT NOT NULL CHECK (feedback IN
    ('not_given', 'helpful', 'not_helpful'))
) STRICT;
CREATE INDEX oss_visits_by_date ON oss_visits(visited_on);
CREATE TABLE oss_sessions (
  session_id TEXT PRIMARY KEY,
  held_on TEXT NOT NULL,
  site TEXT NOT NULL,
  committed_agencies TEXT NOT NULL,  -- JSON array
  attended_agencies TEXT NOT NULL    -- JSON array
) STRICT;
)sql",
    // 10: what changed in identity data, in commit order, so that a server
    // holding the people in memory picks up what another server stored;
    // and the next person number, shared by every server and re-link.
    R"sql(
CREATE TABLE identity_changes (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id TEXT NOT NULL,
  other_record_id TEXT  -- A review decision's second record; NULL otherwise.
) STRICT;
CREATE TABLE person_numbers (next INTEGER NOT NULL) STRICT;
INSERT INTO person_numbers
  SELECT COALESCE(MAX(CASE WHEN id GLOB 'P[0-9]*' AND length(id) <= 19
                      THEN CAST(substr(id, 2) AS INTEGER) END), 0) + 1
  FROM (SELECT person_id AS id FROM record_person
        UNION ALL SELECT person_id FROM person_events
        UNION ALL SELECT other_person_id FROM person_events);
CREATE TRIGGER identity_record_added AFTER INSERT ON records
BEGIN INSERT INTO identity_changes (record_id) VALUES (NEW.record_id); END;
CREATE TRIGGER identity_record_changed AFTER UPDATE ON records
BEGIN INSERT INTO identity_changes (record_id) VALUES (NEW.record_id); END;
CREATE TRIGGER identity_person_added AFTER INSERT ON record_person
BEGIN INSERT INTO identity_changes (record_id) VALUES (NEW.record_id); END;
CREATE TRIGGER identity_person_changed AFTER UPDATE ON record_person
  WHEN OLD.person_id IS NOT NEW.person_id
BEGIN INSERT INTO identity_changes (record_id) VALUES (NEW.record_id); END;
CREATE TRIGGER identity_decision_added AFTER INSERT ON review_decisions
BEGIN INSERT INTO identity_changes (record_id, other_record_id)
  VALUES (NEW.record_id_l, NEW.record_id_r); END;
CREATE TRIGGER identity_decision_changed AFTER UPDATE ON review_decisions
BEGIN INSERT INTO identity_changes (record_id, other_record_id)
  VALUES (NEW.record_id_l, NEW.record_id_r); END;
)sql",
    // 11: each person record's MARAC area, so identity calls can be scoped
    // by it. Records stored before take the area of the earliest referral
    // or incident they are the victim of; others stay '' (not recorded).
    R"sql(
ALTER TABLE records ADD COLUMN area TEXT NOT NULL DEFAULT '';
UPDATE records SET area = COALESCE(
  (SELECT r.area FROM referrals r WHERE r.victim_record_id = records.record_id
   ORDER BY r.referred_on, r.referral_id LIMIT 1),
  (SELECT i.area FROM incidents i WHERE i.victim_record_id = records.record_id
   ORDER BY i.occurred_on, i.incident_id LIMIT 1),
  '');
)sql",
};

// PostgreSQL's form of SQLite migration `version` (1-based): the same
// tables, columns, keys and checks, in its types. Tables read back in the
// order their rows were inserted (records, actions) get the rowid SQLite
// gives every table. Each replacement must find its text.
std::string ForPostgres(int version, std::string sql) {
  const auto replace = [&](std::string_view from, std::string_view to) {
    for (std::size_t at = sql.find(from); at != std::string::npos;
         at = sql.find(from, at + to.size())) {
      sql.replace(at, from.size(), to);
    }
  };
  replace(" STRICT;", ";");
  replace("INTEGER PRIMARY KEY AUTOINCREMENT",
          "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
  replace(" INTEGER", " BIGINT");
  replace("  user TEXT", "  \"user\" TEXT");
  // Text compares and sorts byte by byte, as in SQLite and in C++, whatever
  // the database's locale: keys, checks and ORDER BY agree with both.
  replace(" TEXT", " TEXT COLLATE \"C\"");
  if (version == 1) {
    replace("CREATE TABLE records (\n",
            "CREATE TABLE records (\n  rowid BIGINT GENERATED ALWAYS AS "
            "IDENTITY UNIQUE,\n");
    const std::size_t triggers = sql.find("CREATE TRIGGER");
    sql.replace(triggers, std::string::npos, R"sql(
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TABLE marac_schema (version BIGINT NOT NULL);
INSERT INTO marac_schema VALUES (0);
)sql");
  }
  if (version == 5) {
    const std::size_t backfill = sql.find("INSERT INTO agenda_cases");
    sql.replace(backfill, std::string::npos, R"sql(
CREATE FUNCTION marac_try_jsonb(t TEXT) RETURNS jsonb LANGUAGE plpgsql
  IMMUTABLE AS $$ BEGIN RETURN t::jsonb; EXCEPTION WHEN others THEN
  RETURN NULL; END $$;
INSERT INTO agenda_cases (agenda_id, position, referral_id)
  SELECT a.agenda_id, c.ordinality - 1, c.value->>'referral_id'
  FROM agendas a,
       jsonb_array_elements(CASE WHEN
         jsonb_typeof(marac_try_jsonb(a.json)->'cases') = 'array'
         THEN marac_try_jsonb(a.json)->'cases' ELSE '[]'::jsonb END)
         WITH ORDINALITY AS c(value, ordinality)
  WHERE jsonb_typeof(c.value->'referral_id') = 'string';
DROP FUNCTION marac_try_jsonb(TEXT);
)sql");
  }
  if (version == 10) {
    const std::size_t numbers = sql.find("INSERT INTO person_numbers");
    sql.replace(numbers, std::string::npos, R"sql(
INSERT INTO person_numbers
  SELECT COALESCE(MAX(CASE WHEN id ~ '^P[0-9]{1,18}$'
                      THEN CAST(substr(id, 2) AS BIGINT) END), 0) + 1
  FROM (SELECT person_id AS id FROM record_person
        UNION ALL SELECT person_id FROM person_events
        UNION ALL SELECT other_person_id FROM person_events) AS ids;
CREATE FUNCTION identity_record_changed() RETURNS trigger LANGUAGE plpgsql AS
$$ BEGIN
  INSERT INTO identity_changes (record_id) VALUES (NEW.record_id);
  RETURN NULL;
END $$;
CREATE FUNCTION identity_decision_changed() RETURNS trigger LANGUAGE plpgsql
AS $$ BEGIN
  INSERT INTO identity_changes (record_id, other_record_id)
    VALUES (NEW.record_id_l, NEW.record_id_r);
  RETURN NULL;
END $$;
CREATE TRIGGER identity_record_changed AFTER INSERT OR UPDATE ON records
  FOR EACH ROW EXECUTE FUNCTION identity_record_changed();
CREATE TRIGGER identity_person_added AFTER INSERT ON record_person
  FOR EACH ROW EXECUTE FUNCTION identity_record_changed();
CREATE TRIGGER identity_person_changed AFTER UPDATE ON record_person
  FOR EACH ROW WHEN (OLD.person_id IS DISTINCT FROM NEW.person_id)
  EXECUTE FUNCTION identity_record_changed();
CREATE TRIGGER identity_decision_changed
  AFTER INSERT OR UPDATE ON review_decisions
  FOR EACH ROW EXECUTE FUNCTION identity_decision_changed();
)sql");
  }
  if (version == 6) {
    replace("CREATE TABLE actions (\n",
            "CREATE TABLE actions (\n  rowid BIGINT GENERATED ALWAYS AS "
            "IDENTITY UNIQUE,\n");
  }
  return sql;
}

}  // namespace

const int kLatestSchema = static_cast<int>(std::size(kMigrations));

Result<int> UserVersion(db::Connection& db) {
  if (db.engine() == db::Engine::kPostgres) {
    // A database the store has not yet created its tables in is at 0.
    MARAC_ASSIGN_OR_RETURN(
        db::Statement exists,
        db.Prepare("SELECT to_regclass('marac_schema') IS NOT NULL"));
    MARAC_ASSIGN_OR_RETURN(const bool answered, exists.Step());
    if (!answered || exists.Int(0) == 0) return 0;
    MARAC_ASSIGN_OR_RETURN(db::Statement s,
                           db.Prepare("SELECT max(version) FROM marac_schema"));
    MARAC_ASSIGN_OR_RETURN(const bool row, s.Step());
    if (!row) return Internal("store: the schema version returned nothing");
    return static_cast<int>(s.Int(0));
  }
  MARAC_ASSIGN_OR_RETURN(db::Statement s, db.Prepare("PRAGMA user_version"));
  MARAC_ASSIGN_OR_RETURN(const bool row, s.Step());
  if (!row) return Internal("store: PRAGMA user_version returned nothing");
  return static_cast<int>(s.Int(0));
}

Status SetUserVersion(db::Connection& db, int version) {
  return db.Exec(db.engine() == db::Engine::kPostgres
                     ? "UPDATE marac_schema SET version = " +
                           std::to_string(version)
                     : "PRAGMA user_version = " + std::to_string(version));
}

Status MigrateSchema(db::Connection& db, int from, int to) {
  for (int v = from; v < to; ++v) {
    Status step = db.Exec(db.engine() == db::Engine::kPostgres
                              ? ForPostgres(v + 1, kMigrations[v])
                              : std::string(kMigrations[v]));
    if (step.ok() && v + 1 == 4) step = ChainExistingAudit(db);
    if (!step.ok()) {
      return Status(step.code(), "migration to version " +
                                     std::to_string(v + 1) +
                                     " failed: " + step.message());
    }
  }
  return Status::Ok();
}

}  // namespace marac
