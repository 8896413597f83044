// The embedded store: person records, resolved people and their merge/split
// history, incidents, assessments with the instrument and policy versions
// used, referrals, meetings, agendas, review decisions, and an append-only
// audit log of every read and write made through this API (who, when,
// what, why). SQLite is the default backend (OpenSqliteStore); PostgreSQL
// (OpenPostgresStore) lets several servers share one store. OpenStore
// chooses by the location.
//
// Durability: a write returns OK only after its transaction committed
// (WAL, synchronous=FULL). A write that fails changes nothing.
//
//   Result<std::unique_ptr<Store>> store = OpenSqliteStore("marac.db");
//   const Actor me{"u-17", "coordinator", "IDVA-North", "agenda"};
//   Status s = (*store)->PutRecords(me, records);
#ifndef MARAC_STORE_STORE_H_
#define MARAC_STORE_STORE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "marac/casefile/case_file.h"
#include "marac/casefile/one_stop_shop.h"
#include "marac/common/date.h"
#include "marac/common/deadline.h"
#include "marac/common/result.h"
#include "marac/common/status.h"
#include "marac/identity/person_record.h"
#include "marac/identity/stable_ids.h"

namespace marac {

// Who acts, and why: every call carries one and the audit log records it.
// user and role are required; purpose is required for reads.
struct Actor {
  std::string user;
  std::string role;  // referrer | idva | coordinator | chair | auditor | system
  std::string agency;
  std::string purpose;
  // These may be left out of an initializer.
  std::string request_id = {};  // The service call's id; empty outside it.
  std::string peer = {};        // The client certificate's subject, when known.
  // When the caller stops waiting (none by default). Reads honour it: one
  // whose deadline passes before it starts, or while its statements run,
  // stops with kDeadlineExceeded (kCancelled when the caller cancelled),
  // naming what it was reading, and leaves the store as it was, with no
  // audit entry, since nothing was consulted. A read that has finished
  // its statements completes. Writes never look at it: a write is never
  // cut short, so check the deadline before calling one. Its Cancellation
  // must outlive the reads made with this Actor.
  Deadline deadline = {};
};

struct ReviewDecision {
  std::string record_id_l;
  std::string record_id_r;
  bool same = false;
  std::string decided_by;  // Filled by the store from the actor.
  std::string decided_at;  // UTC, filled by the store.
};

// A change to identity data, as the store now holds it: a record stored,
// replaced or given a person (`record`, with `person_id`, empty when it has
// none), or a review decision recorded (`decision`).
struct IdentityChange {
  std::int64_t sequence = 0;  // Increasing in commit order.
  std::optional<PersonRecord> record;
  std::string person_id;
  std::optional<ReviewDecision> decision;
};

// Identity changes after a point, oldest first, and the sequence of the
// latest one when read (0 when none).
struct IdentityChanges {
  std::vector<IdentityChange> changes;
  std::int64_t head = 0;
};

// A research list as sent: to one agency (its cases less those excluded
// from it), or the coordinator's full list (agency empty).
struct Circulation {
  std::int64_t sequence = 0;  // Numbered by the store.
  std::string meeting_id;
  std::string agency;  // The receiving agency; empty: every case.
  std::vector<std::string> referral_ids;           // On the list, in order.
  std::vector<std::string> withheld_referral_ids;  // Left out: excluded.
  std::string format;                              // json | md | html
  // Filled by the store from the actor and the clock.
  std::string sent_at = {};  // UTC.
  std::string sent_by = {};
  std::string role = {};
};

// What an audit row says happened (the DPA 2018 s.62 categories).
enum class AuditAction {
  kCollect,
  kAlter,
  kConsult,
  kDisclose,
  kCombine,
  kErase,
};
std::string_view AuditActionName(AuditAction action);

// The longest purpose an actor may state, in bytes: a sentence, not a
// document (kInvalidArgument naming actor.purpose beyond it).
inline constexpr std::size_t kMaxPurposeBytes = 4096;
// An audit entry names at most this many objects, in at most this many
// bytes of ids (as stored, JSON-encoded): a call that touches more (a bulk
// import) is recorded as several entries, each id kept whole, so that
// every entry stays small enough for a page of the log to return. (One id
// longer than the byte bound, which the service never accepts, is an entry
// of its own.)
inline constexpr std::size_t kMaxAuditIdsPerEntry = 256;
inline constexpr std::size_t kMaxAuditIdBytes = 8192;

struct AuditEntry {
  std::int64_t sequence = 0;
  std::string at;  // UTC, ISO 8601 with milliseconds.
  std::string user;
  std::string role;
  std::string agency;
  std::string purpose;
  std::string action;       // AuditActionName
  std::string object_type;  // "referral", "record", ...
  std::vector<std::string> object_ids;
  std::string outcome;  // "ok", or the status code name of a refusal
  std::string request_id = {};
  std::string peer = {};
  // The hash chain (schema version 4): row_hash is the SHA-256, in hex, of
  // the entry's canonical form including prev_hash, the row_hash of the
  // entry before (64 zeros for the first).
  std::string prev_hash = {};
  std::string row_hash = {};
};

// What VerifyAudit found.
struct AuditVerification {
  bool intact = false;
  std::int64_t entries = 0;        // Checked.
  std::int64_t head_sequence = 0;  // The last entry (0: none).
  std::string head_hash;           // Its row_hash: keep it to check later.
  std::int64_t broken_at = 0;      // The first entry that fails (0: none).
  std::string problem;             // Why, naming the entry.
};

struct SubmitOutcome {
  std::string referral_id;
  bool duplicate = false;  // The submission id was already stored.
};

// The store. Every call is audited in the same transaction as what it
// does; a call whose audit row cannot be written fails and does nothing.
// Errors: kInvalidArgument naming the field (nothing written);
// kNotFound; kUnavailable when the database is locked or the disk full;
// kDataLoss when the file is not a database or is corrupt; for a read,
// kDeadlineExceeded or kCancelled when the actor's deadline stopped it
// (see Actor::deadline; it read and audited nothing).
class Store {
 public:
  virtual ~Store() = default;

  virtual Status PutRecords(const Actor& actor,
                            std::span<const PersonRecord> records) = 0;
  virtual Result<std::vector<PersonRecord>> Records(const Actor& actor) = 0;

  // Replaces the person of each listed record and appends the events.
  virtual Status SavePeople(
      const Actor& actor,
      std::span<const std::pair<std::string, std::string>> record_person,
      std::span<const PersonEvent> events) = 0;
  // record id -> person id, for every record that has one.
  virtual Result<std::vector<std::pair<std::string, std::string>>> People(
      const Actor& actor) = 0;
  virtual Result<std::vector<PersonEvent>> PersonHistory(
      const Actor& actor) = 0;
  // What changed in identity data after sequence `after`, at most `limit`
  // changes (0: only the head). A server that holds the people in memory
  // reads the head first, then the records, then follows the changes from
  // that head: a change it already has reads again as what it has. Needs
  // schema version 10 (kFailedPrecondition before).
  virtual Result<IdentityChanges> IdentityChangesAfter(const Actor& actor,
                                                       std::int64_t after,
                                                       std::size_t limit) = 0;
  // Reserves `count` (1 or more) new person numbers for the caller: the
  // first is returned, and no other caller, server or re-link is given any
  // of them. SavePeople keeps the next number above every id it saves.
  // Needs schema version 10.
  virtual Result<std::uint64_t> ReservePersonNumbers(const Actor& actor,
                                                     std::uint64_t count) = 0;

  virtual Status PutIncidents(const Actor& actor,
                              std::span<const StoredIncident> incidents) = 0;
  virtual Result<std::vector<StoredIncident>> Incidents(const Actor& actor) = 0;

  virtual Status PutAssessments(
      const Actor& actor, std::span<const StoredAssessment> assessments) = 0;
  virtual Result<std::vector<StoredAssessment>> Assessments(
      const Actor& actor) = 0;

  // All in one transaction: one fsync for the batch. One outcome per
  // referral, in order; a referral whose submission id is already stored
  // is reported as a duplicate with the stored id. An invalid referral
  // fails the whole batch.
  virtual Result<std::vector<SubmitOutcome>> SubmitReferrals(
      const Actor& actor, std::span<const StoredReferral> referrals) = 0;
  // Submissions from several callers in one transaction (one fsync), each
  // with its own audit row and its own outcome: an invalid one is refused
  // alone and the others are written. The outer error is the store's own
  // failure, when nothing was written.
  struct Submission {
    Actor actor;
    StoredReferral referral;
  };
  virtual Result<std::vector<Result<SubmitOutcome>>> SubmitEach(
      std::span<const Submission> submissions) = 0;
  virtual Result<StoredReferral> GetReferral(const Actor& actor,
                                             std::string_view referral_id) = 0;
  // Referrals of `area` (all areas when empty) referred on or before
  // `until`, in referral order.
  virtual Result<std::vector<StoredReferral>> Referrals(
      const Actor& actor, std::string_view area, std::optional<Date> until) = 0;

  // Allocations of IDVAs to referrals, and their engagement. kInvalidArgument
  // naming the field for an unknown referral, a closing date before the
  // allocation, or an allocation before the referral.
  virtual Status PutIdvaSupport(const Actor& actor,
                                std::span<const IdvaSupport> support) = 0;
  // Every allocation, by referral id.
  virtual Result<std::vector<IdvaSupport>> IdvaSupports(const Actor& actor) = 0;

  // One Stop Shop visits and sessions (schema version 9), each checked as
  // CheckOneStopShopVisit / CheckOneStopShopSession do, a visitor's record
  // known to the store. A visit or session with a stored id replaces it (a
  // corrected export), so importing a file twice changes nothing.
  // kFailedPrecondition before schema 9.
  virtual Status PutVisits(const Actor& actor,
                           std::span<const OneStopShopVisit> visits) = 0;
  virtual Result<std::vector<OneStopShopVisit>> Visits(const Actor& actor) = 0;
  virtual Status PutSessions(const Actor& actor,
                             std::span<const OneStopShopSession> sessions) = 0;
  virtual Result<std::vector<OneStopShopSession>> Sessions(
      const Actor& actor) = 0;

  virtual Status PutMeeting(const Actor& actor, const Meeting& meeting) = 0;
  virtual Result<std::vector<Meeting>> Meetings(const Actor& actor,
                                                std::string_view area) = 0;
  // Saves an agenda of a stored meeting with the referrals it listed
  // (agenda.listed_referral_ids, kept as rows: see AgendaListings).
  virtual Status SaveAgenda(const Actor& actor, const StoredAgenda& agenda) = 0;
  // The meeting and its agenda in one transaction, so that a save is
  // either whole or absent: kAlreadyExists (nothing written) when the
  // meeting already has an agenda, whose meeting then stays as it was.
  virtual Status SaveMeetingAgenda(const Actor& actor, const Meeting& meeting,
                                   const StoredAgenda& agenda) = 0;
  virtual Result<StoredAgenda> GetAgenda(const Actor& actor,
                                         std::string_view agenda_id) = 0;
  // Every stored agenda, in the order of their meetings' dates.
  virtual Result<std::vector<StoredAgenda>> Agendas(const Actor& actor) = 0;
  // Which referrals each stored agenda listed, in the same order, without
  // the documents: what "heard at a meeting" is read from.
  // kFailedPrecondition before schema version 5.
  virtual Result<std::vector<AgendaListing>> AgendaListings(
      const Actor& actor) = 0;

  // Records what a stored meeting did: attendance, each case's outcome
  // and the actions agreed (numbered by NumberActions; any ids given are
  // replaced). Each case must be a stored referral. The same record again
  // is a retry: true, nothing written. A different record for a meeting
  // already recorded is kAlreadyExists naming meeting_id (nothing
  // written). kInvalidArgument naming the field (CheckMeetingRecord's, an
  // unknown meeting or referral); kFailedPrecondition before schema 6.
  virtual Result<bool> RecordMeeting(const Actor& actor,
                                     const MeetingRecord& record) = 0;
  // Every meeting record, by meeting date, with its actions as they stand.
  virtual Result<std::vector<MeetingRecord>> MeetingRecords(
      const Actor& actor) = 0;
  // Every action, by due date then id.
  virtual Result<std::vector<CaseAction>> Actions(const Actor& actor) = 0;
  // One action as it stands; kNotFound naming action_id when none has it.
  virtual Result<CaseAction> GetAction(const Actor& actor,
                                       std::string_view action_id) = 0;

  struct ActionUpdate {
    std::string action_id;
    ActionStatus status = ActionStatus::kOpen;
    Date on;           // When it was done or cancelled (or reopened).
    std::string note;  // Why, or what was done; may be empty.
  };
  // A change to an action's status, kept with the value it replaced
  // (ActionHistory) and audited. A referrer or IDVA may change only their
  // own agency's actions (kPermissionDenied, audited, nothing written).
  // kNotFound for an unknown action; kInvalidArgument for a date before
  // the meeting that agreed it. Returns the action as it now stands.
  virtual Result<CaseAction> UpdateAction(const Actor& actor,
                                          const ActionUpdate& update) = 0;
  struct ActionChange {
    std::int64_t sequence = 0;
    std::string action_id;
    std::string at;  // UTC, as the audit log writes it.
    std::string user;
    std::string agency;
    ActionStatus from_status = ActionStatus::kOpen;
    std::optional<Date> from_status_on;
    std::string from_note;
    ActionStatus to_status = ActionStatus::kOpen;
    std::optional<Date> to_status_on;
    std::string to_note;
  };
  // The changes to an action, oldest first.
  virtual Result<std::vector<ActionChange>> ActionHistory(
      const Actor& actor, std::string_view action_id) = 0;

  // Logs a research list as produced and sent (schema version 7): only a
  // coordinator or a chair may (kPermissionDenied otherwise, audited,
  // nothing written). Audited as a disclosure of the referrals on it.
  // Returns the entry as stored, numbered and stamped.
  virtual Result<Circulation> RecordCirculation(const Actor& actor,
                                                const Circulation& c) = 0;
  // The research lists sent for `meeting_id` (every meeting when empty),
  // oldest first.
  virtual Result<std::vector<Circulation>> Circulations(
      const Actor& actor, std::string_view meeting_id) = 0;

  virtual Status PutReviewDecisions(
      const Actor& actor, std::span<const ReviewDecision> decisions) = 0;
  virtual Result<std::vector<ReviewDecision>> ReviewDecisions(
      const Actor& actor) = 0;

  // Records a call the caller was refused before the store was asked (a
  // role or scope denial by the service): one audit entry with `outcome`
  // (e.g. "permission_denied"), the objects named and the actor's purpose,
  // so every attempt is on the log. kInvalidArgument for an empty outcome.
  virtual Status AuditRefusal(const Actor& actor, AuditAction action,
                              std::string_view object_type,
                              std::span<const std::string> object_ids,
                              std::string_view outcome) = 0;

  // Records what a caller was given: the ids of the people's data a read
  // returned to it (a referral, a page of a list, an agenda's cases), as
  // one `disclose` entry (several past kMaxAuditIdsPerEntry), so that the
  // log can say who has seen an object. The actor must state a purpose.
  virtual Status AuditDisclosure(const Actor& actor,
                                 std::string_view object_type,
                                 std::span<const std::string> object_ids) = 0;

  // The audit log from `after` (a sequence number) on, at most `limit`
  // entries. Reading it is itself audited.
  virtual Result<std::vector<AuditEntry>> Audit(const Actor& actor,
                                                std::int64_t after,
                                                std::size_t limit) = 0;
  // The same, only the entries that name `object_id` (who has seen,
  // changed or been refused it). The read is audited naming the object.
  virtual Result<std::vector<AuditEntry>> AuditMentioning(
      const Actor& actor, std::string_view object_id, std::int64_t after,
      std::size_t limit) = 0;

  // Recomputes the audit log's hash chain from the first entry: an entry
  // altered, removed, inserted or reordered breaks it. With `anchor` (a
  // head_sequence and head_hash recorded from an earlier verification),
  // also checks that the log still holds that entry unchanged, so a log
  // cut back past it is detected too. A broken chain is a value
  // (intact false), not an error; kFailedPrecondition before schema 4.
  // The verification is itself audited, after the entries it checked.
  virtual Result<AuditVerification> VerifyAudit(
      const Actor& actor,
      std::optional<std::pair<std::int64_t, std::string>> anchor) = 0;

  // The schema version the file is at.
  virtual int SchemaVersion() const = 0;
};

struct StoreOptions {
  // How long a call waits for another writer before kUnavailable.
  int busy_timeout_ms = 5000;
  // Create the file when absent (false: kNotFound).
  bool create = true;
  // Migrate to this schema version (0: the latest). For tests of upgrades.
  int schema_version = 0;
  // A quota on the file, in pages of 4 KiB (0: none): past it a write fails
  // as on a full disk (kUnavailable), writing nothing.
  std::int64_t max_pages = 0;
};

// The latest schema version this build knows.
int LatestSchemaVersion();

// Opens (creating when allowed) the SQLite store at `path`, in WAL mode with
// synchronous=FULL and foreign keys on, and migrates it to the latest schema
// in one transaction. kDataLoss when the file is not a SQLite database or
// fails its quick check; kFailedPrecondition when it is from a newer build.
Result<std::unique_ptr<Store>> OpenSqliteStore(
    const std::string& path, const StoreOptions& options = {});

// Opens the store in the PostgreSQL database at `uri`
// ("postgresql://user@host:port/dbname", as libpq reads it), creating its
// tables in an empty database and migrating them as OpenSqliteStore does.
// Several processes may open one database: each call runs in a
// transaction that first takes one advisory lock, so calls from every
// server commit one at a time and append to one audit chain (the entry
// before is read under the lock the new one commits with). Commits are
// synchronous (acknowledged once on disk). busy_timeout_ms bounds the wait
// for a lock; create and max_pages are SQLite's (max_pages > 0 is
// kInvalidArgument). kUnavailable when the server cannot be reached.
Result<std::unique_ptr<Store>> OpenPostgresStore(
    const std::string& uri, const StoreOptions& options = {});

// Whether `location` names a PostgreSQL store (postgresql:// or
// postgres://) rather than a SQLite file.
bool IsPostgresUri(std::string_view location);

// OpenPostgresStore for a PostgreSQL URI, OpenSqliteStore for a path.
Result<std::unique_ptr<Store>> OpenStore(const std::string& location,
                                         const StoreOptions& options = {});

}  // namespace marac

#endif  // MARAC_STORE_STORE_H_
