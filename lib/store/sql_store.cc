// The store, on SQLite or PostgreSQL (lib/store/db.h): every Store call as
// one transaction, one writer at a time, holding the change and its audit
// row (the schema and its migrations are
// schema.cc; the audit chain's canonical form is audit_chain.cc; each
// table's columns are rows.cc). Longer than 700 lines because it is one
// class, the Store interface's thirty calls, each short, sharing one
// connection, its prepared statements and its lock.
#include <openssl/evp.h>

#include <chrono>
#include <ctime>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "lib/store/audit_chain.h"
#include "lib/store/db.h"
#include "lib/store/rows.h"
#include "lib/store/schema.h"
#include "lib/store/sha256.h"
#include "marac/store/store.h"

namespace marac {
namespace {

using db::Connection;
using db::Statement;
using db::Transaction;

using rows::ActionChangeRow;
using rows::ActionRow;
using rows::AgendaCaseRow;
using rows::AgendaRow;
using rows::AssessmentRow;
using rows::AttendanceRow;
using rows::CirculationRow;
using rows::HearingRow;
using rows::IdvaSupportRow;
using rows::IncidentRow;
using rows::InsertSql;
using rows::MeetingRecordRow;
using rows::MeetingRow;
using rows::RecordRow;
using rows::ReferralChildRow;
using rows::ReferralDetailsRow;
using rows::ReferralRow;
using rows::ReviewDecisionRow;
using rows::SelectSql;
using rows::SessionRow;
using rows::VisitRow;

std::string NowUtc() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                          now.time_since_epoch())
                          .count() %
                      1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday, utc.tm_hour,
                utc.tm_min, utc.tm_sec, static_cast<int>(millis));
  return text;
}

using db::JsonList;
using db::ParseList;

Status CheckActor(const Actor& actor, bool read) {
  if (actor.user.empty()) return InvalidArgument("actor.user", "empty");
  if (actor.role.empty()) return InvalidArgument("actor.role", "empty");
  if (read && actor.purpose.empty()) {
    return InvalidArgument("actor.purpose",
                           "empty: a read must say why (DPA 2018 s.62)");
  }
  if (actor.purpose.size() > kMaxPurposeBytes) {
    return InvalidArgument(
        "actor.purpose",
        "longer than " + std::to_string(kMaxPurposeBytes) + " bytes");
  }
  return Status::Ok();
}

// A prompt id as the scorer names them: [a-z0-9_], 1 to 64 characters.
Status PromptId(const std::string& field, const std::string& id) {
  if (id.empty() || id.size() > 64 ||
      id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") !=
          std::string::npos) {
    return InvalidArgument(
        field, "'" + id.substr(0, 64) + "' is not a prompt id ([a-z0-9_])");
  }
  return Status::Ok();
}

Status Required(std::string_view field, std::string_view value) {
  return value.empty() ? InvalidArgument(field, "empty") : Status::Ok();
}

// A date the store can read back: a real one in years 1..9999 (a date
// computed past either end, e.g. a week before 0001-01-03, is refused
// rather than stored unreadable).
Status RealDate(std::string_view field, const Date& date) {
  return date.IsValid() ? Status::Ok()
                        : InvalidArgument(field, "not a date in years 1-9999");
}

// Reservations: at most this many numbers at once, and none past the
// largest the database's integers hold.
constexpr std::uint64_t kMaxPersonNumbersAtOnce = 100'000'000;
constexpr std::int64_t kLastPersonNumber =
    std::numeric_limits<std::int64_t>::max();

class SqlStore final : public Store {
 public:
  SqlStore(Connection connection, int version)
      : db_(std::move(connection)), version_(version) {}

  int SchemaVersion() const override { return version_; }

  Status PutRecords(const Actor& actor,
                    std::span<const PersonRecord> records) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    std::set<std::string_view> ids;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const std::string field = "records[" + std::to_string(i) + "]";
      MARAC_RETURN_IF_ERROR(
          Required(field + ".record_id", records[i].record_id));
      if (!ids.insert(records[i].record_id).second) {
        return InvalidArgument(field + ".record_id",
                               "'" + records[i].record_id + "' repeated");
      }
    }
    return Write(actor, AuditAction::kCollect, "record", Ids(records),
                 [&]() -> Status {
                   MARAC_ASSIGN_OR_RETURN(
                       Statement insert,
                       db_.Prepare(InsertSql(RecordRow::kTable,
                                             RecordRow::Columns(version_),
                                             RecordRow::kKey)));
                   for (const PersonRecord& r : records) {
                     RecordRow::Bind(insert, r, version_);
                     MARAC_RETURN_IF_ERROR(insert.Run());
                   }
                   return Status::Ok();
                 });
  }

  Result<std::vector<PersonRecord>> Records(const Actor& actor) override {
    std::vector<PersonRecord> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "record", {}, [&]() -> Status {
      return EachRow(SelectSql(RecordRow::SelectColumns(version_),
                               "FROM records ORDER BY rowid"),
                     [&](const Statement& select) -> Status {
                       out.push_back(RecordRow::Read(select));
                       return Status::Ok();
                     });
    }));
    return out;
  }

  Status SavePeople(
      const Actor& actor,
      std::span<const std::pair<std::string, std::string>> record_person,
      std::span<const PersonEvent> events) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < record_person.size(); ++i) {
      const std::string field = "record_person[" + std::to_string(i) + "]";
      MARAC_RETURN_IF_ERROR(
          Required(field + ".record_id", record_person[i].first));
      MARAC_RETURN_IF_ERROR(
          Required(field + ".person_id", record_person[i].second));
    }
    for (const PersonEvent& e : events) {
      ids.push_back(e.person);
      ids.push_back(e.other);
    }
    return Write(actor, AuditAction::kCombine, "person", ids, [&]() -> Status {
      MARAC_RETURN_IF_ERROR(MissingRecords(record_person));
      MARAC_ASSIGN_OR_RETURN(
          Statement put,
          db_.Prepare("INSERT INTO record_person VALUES (?1, ?2) ON "
                      "CONFLICT(record_id) DO UPDATE SET person_id = ?2"));
      for (const auto& [record, person] : record_person) {
        put.Bind(1, record).Bind(2, person);
        MARAC_RETURN_IF_ERROR(put.Run());
      }
      if (version_ >= 10) {
        // No reservation may hand out a number already given here.
        std::int64_t highest = 0;
        const auto see = [&](std::string_view id) {
          std::uint64_t number = 0;
          if (ParsePersonId(id, number) &&
              number < static_cast<std::uint64_t>(kLastPersonNumber)) {
            highest = std::max(highest, static_cast<std::int64_t>(number));
          }
        };
        for (const auto& pair : record_person) see(pair.second);
        for (const PersonEvent& e : events) {
          see(e.person);
          see(e.other);
        }
        MARAC_ASSIGN_OR_RETURN(
            Statement bump,
            db_.Prepare("UPDATE person_numbers SET next = ?1 WHERE next < ?1"));
        bump.Bind(1, highest + 1);
        MARAC_RETURN_IF_ERROR(bump.Run());
      }
      MARAC_ASSIGN_OR_RETURN(
          Statement event,
          db_.Prepare("INSERT INTO person_events (event, person_id, "
                      "other_person_id, at) VALUES (?1, ?2, ?3, ?4)"));
      const std::string now = NowUtc();
      for (const PersonEvent& e : events) {
        event.Bind(1, PersonEventName(e.kind))
            .Bind(2, e.person)
            .Bind(3, e.other)
            .Bind(4, now);
        MARAC_RETURN_IF_ERROR(event.Run());
      }
      return Status::Ok();
    });
  }

  Result<std::vector<std::pair<std::string, std::string>>> People(
      const Actor& actor) override {
    std::vector<std::pair<std::string, std::string>> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "person", {}, [&]() -> Status {
      return EachRow(
          "SELECT record_id, person_id FROM record_person ORDER BY "
          "record_id",
          [&](const Statement& select) -> Status {
            out.emplace_back(select.Text(0), select.Text(1));
            return Status::Ok();
          });
    }));
    return out;
  }

  Result<std::vector<PersonEvent>> PersonHistory(const Actor& actor) override {
    std::vector<PersonEvent> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "person", {}, [&]() -> Status {
      return EachRow(
          "SELECT event, person_id, other_person_id FROM "
          "person_events ORDER BY sequence",
          [&](const Statement& select) -> Status {
            out.push_back({select.Text(0) == "merge"
                               ? PersonEvent::Kind::kMerge
                               : PersonEvent::Kind::kSplit,
                           select.Text(1), select.Text(2)});
            return Status::Ok();
          });
    }));
    return out;
  }

  Result<IdentityChanges> IdentityChangesAfter(const Actor& actor,
                                               std::int64_t after,
                                               std::size_t limit) override {
    if (version_ < 10) {
      return FailedPrecondition("identity changes need schema version 10");
    }
    if (after < 0) return InvalidArgument("after", "negative");
    IdentityChanges out;
    MARAC_RETURN_IF_ERROR(Read(actor, "record", {}, [&]() -> Status {
      MARAC_ASSIGN_OR_RETURN(
          Statement head, db_.Prepare("SELECT COALESCE(MAX(sequence), 0) FROM "
                                      "identity_changes"));
      MARAC_ASSIGN_OR_RETURN(const bool row, head.Step());
      if (row) out.head = head.Int(0);
      if (limit == 0) return Status::Ok();
      // The record's columns first, as RecordRow reads them.
      const std::string columns = RecordRow::SelectColumns(version_, "r.");
      constexpr int kExtra = RecordRow::kColumnCount;
      MARAC_ASSIGN_OR_RETURN(
          Statement select,
          db_.Prepare(
              "SELECT " + columns +
              ", c.sequence, p.person_id, c.other_record_id, d.same, "
              "d.decided_by, d.decided_at, d.record_id_l, r.record_id IS NULL "
              "FROM identity_changes c "
              "LEFT JOIN records r ON c.other_record_id IS NULL AND "
              "r.record_id = c.record_id "
              "LEFT JOIN record_person p ON c.other_record_id IS NULL AND "
              "p.record_id = c.record_id "
              "LEFT JOIN review_decisions d ON d.record_id_l = c.record_id "
              "AND d.record_id_r = c.other_record_id "
              "WHERE c.sequence > ?1 ORDER BY c.sequence LIMIT ?2"));
      select.Bind(1, after).Bind(
          2, static_cast<std::int64_t>(std::min<std::size_t>(
                 limit, std::numeric_limits<std::int64_t>::max())));
      for (;;) {
        MARAC_ASSIGN_OR_RETURN(const bool more, select.Step());
        if (!more) return Status::Ok();
        IdentityChange change;
        change.sequence = select.Int(kExtra);
        if (select.IsNull(kExtra + 2)) {
          if (select.Int(kExtra + 7) != 0) continue;  // No such record.
          change.record = RecordRow::Read(select);
          if (!select.IsNull(kExtra + 1)) {
            change.person_id = select.Text(kExtra + 1);
          }
        } else {
          if (select.IsNull(kExtra + 6)) continue;  // No such decision.
          change.decision =
              ReviewDecision{select.Text(kExtra + 6), select.Text(kExtra + 2),
                             select.Int(kExtra + 3) != 0,
                             select.Text(kExtra + 4), select.Text(kExtra + 5)};
        }
        out.changes.push_back(std::move(change));
      }
    }));
    return out;
  }

  Result<std::uint64_t> ReservePersonNumbers(const Actor& actor,
                                             std::uint64_t count) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    if (version_ < 10) {
      return FailedPrecondition("person numbers need schema version 10");
    }
    if (count == 0 || count > kMaxPersonNumbersAtOnce) {
      return InvalidArgument(
          "count", "must be 1 to " + std::to_string(kMaxPersonNumbersAtOnce));
    }
    std::int64_t first = 0;
    MARAC_RETURN_IF_ERROR(
        Write(actor, AuditAction::kAlter, "person_number", {}, [&]() -> Status {
          MARAC_ASSIGN_OR_RETURN(
              Statement next, db_.Prepare("SELECT next FROM person_numbers"));
          MARAC_ASSIGN_OR_RETURN(const bool row, next.Step());
          if (!row) return Internal("store: person_numbers has no row");
          first = next.Int(0);
          if (first > kLastPersonNumber - static_cast<std::int64_t>(count)) {
            return Status(StatusCode::kOutOfRange,
                          "person ids: no number left");
          }
          MARAC_ASSIGN_OR_RETURN(
              Statement take,
              db_.Prepare("UPDATE person_numbers SET next = ?1"));
          take.Bind(1, first + static_cast<std::int64_t>(count));
          return take.Run();
        }));
    return static_cast<std::uint64_t>(first);
  }

  Status PutIncidents(const Actor& actor,
                      std::span<const StoredIncident> incidents) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < incidents.size(); ++i) {
      const StoredIncident& x = incidents[i];
      const std::string field = "incidents[" + std::to_string(i) + "]";
      MARAC_RETURN_IF_ERROR(Required(field + ".incident_id", x.incident_id));
      MARAC_RETURN_IF_ERROR(RealDate(field + ".occurred_on", x.occurred_on));
      MARAC_RETURN_IF_ERROR(Required(field + ".area", x.area));
      MARAC_RETURN_IF_ERROR(
          Required(field + ".victim_record_id", x.victim_record_id));
      if (x.crime && version_ < 8) {
        return FailedPrecondition(field +
                                  ".crime: recording crime or non-crime needs "
                                  "schema version 8");
      }
      ids.push_back(x.incident_id);
    }
    return Write(actor, AuditAction::kCollect, "incident", ids,
                 [&]() -> Status {
                   for (std::size_t i = 0; i < incidents.size(); ++i) {
                     MARAC_RETURN_IF_ERROR(
                         KnownRecords("incidents[" + std::to_string(i) + "]",
                                      incidents[i].victim_record_id,
                                      incidents[i].perpetrator_record_ids));
                   }
                   MARAC_ASSIGN_OR_RETURN(
                       Statement insert,
                       db_.Prepare(InsertSql(IncidentRow::kTable,
                                             IncidentRow::Columns(version_))));
                   for (const StoredIncident& x : incidents) {
                     IncidentRow::Bind(insert, x, version_);
                     MARAC_RETURN_IF_ERROR(
                         Duplicate(insert.Run(), "incident_id", x.incident_id));
                   }
                   return Status::Ok();
                 });
  }

  Result<std::vector<StoredIncident>> Incidents(const Actor& actor) override {
    std::vector<StoredIncident> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "incident", {}, [&]() -> Status {
      return EachRow(SelectSql(IncidentRow::SelectColumns(version_),
                               "FROM incidents ORDER BY occurred_on, "
                               "incident_id"),
                     [&](const Statement& select) -> Status {
                       MARAC_ASSIGN_OR_RETURN(StoredIncident x,
                                              IncidentRow::Read(select));
                       out.push_back(std::move(x));
                       return Status::Ok();
                     });
    }));
    return out;
  }

  Status PutAssessments(
      const Actor& actor,
      std::span<const StoredAssessment> assessments) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < assessments.size(); ++i) {
      const StoredAssessment& a = assessments[i];
      const std::string field = "assessments[" + std::to_string(i) + "]";
      MARAC_RETURN_IF_ERROR(
          Required(field + ".assessment_id", a.assessment_id));
      MARAC_RETURN_IF_ERROR(RealDate(field + ".completed_on", a.completed_on));
      MARAC_RETURN_IF_ERROR(
          Required(field + ".victim_record_id", a.victim_record_id));
      MARAC_RETURN_IF_ERROR(Required(field + ".instrument", a.instrument));
      MARAC_RETURN_IF_ERROR(
          Required(field + ".policy_version", a.policy_version));
      if (version_ >= 3) {
        MARAC_RETURN_IF_ERROR(
            Required(field + ".instrument_version", a.instrument_version));
      }
      if (version_ < 8 &&
          (!a.parent_assessment_id.empty() || !a.safeguarding.empty() ||
           !a.officer_rationale.empty())) {
        return FailedPrecondition(
            field +
            ": parent_assessment_id, safeguarding and officer_rationale need "
            "schema version 8");
      }
      if (a.parent_assessment_id == a.assessment_id) {
        return InvalidArgument(field + ".parent_assessment_id",
                               "names the assessment itself");
      }
      for (std::size_t k = 0; k < a.safeguarding.size(); ++k) {
        MARAC_RETURN_IF_ERROR(
            PromptId(field + ".safeguarding[" + std::to_string(k) + "]",
                     a.safeguarding[k]));
      }
      ids.push_back(a.assessment_id);
    }
    return Write(
        actor, AuditAction::kCollect, "assessment", ids, [&]() -> Status {
          for (std::size_t i = 0; i < assessments.size(); ++i) {
            MARAC_RETURN_IF_ERROR(
                KnownRecords("assessments[" + std::to_string(i) + "]",
                             assessments[i].victim_record_id, {}));
          }
          MARAC_ASSIGN_OR_RETURN(
              Statement insert,
              db_.Prepare(InsertSql(AssessmentRow::kTable,
                                    AssessmentRow::Columns(version_))));
          for (const StoredAssessment& a : assessments) {
            AssessmentRow::Bind(insert, a, version_);
            MARAC_RETURN_IF_ERROR(
                Duplicate(insert.Run(), "assessment_id", a.assessment_id));
          }
          // A parent is stored before its supplement or in the same batch.
          MARAC_ASSIGN_OR_RETURN(
              Statement known,
              db_.Prepare(
                  "SELECT 1 FROM assessments WHERE assessment_id = ?1"));
          for (std::size_t i = 0; i < assessments.size(); ++i) {
            const std::string& parent = assessments[i].parent_assessment_id;
            if (parent.empty()) continue;
            known.Bind(1, parent);
            const Result<bool> row = known.Step();
            known.Reset();
            if (!row.ok()) return row.status();
            if (!*row) {
              return InvalidArgument(
                  "assessments[" + std::to_string(i) + "].parent_assessment_id",
                  "no assessment '" + parent + "' in the store");
            }
          }
          return Status::Ok();
        });
  }

  Result<std::vector<StoredAssessment>> Assessments(
      const Actor& actor) override {
    std::vector<StoredAssessment> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "assessment", {}, [&]() -> Status {
      return EachRow(SelectSql(AssessmentRow::SelectColumns(version_),
                               "FROM assessments ORDER BY completed_on, "
                               "assessment_id"),
                     [&](const Statement& select) -> Status {
                       MARAC_ASSIGN_OR_RETURN(StoredAssessment a,
                                              AssessmentRow::Read(select));
                       out.push_back(std::move(a));
                       return Status::Ok();
                     });
    }));
    return out;
  }

  Result<std::vector<SubmitOutcome>> SubmitReferrals(
      const Actor& actor, std::span<const StoredReferral> referrals) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    std::vector<std::string> ids;
    std::set<std::string_view> submissions;
    for (std::size_t i = 0; i < referrals.size(); ++i) {
      const StoredReferral& r = referrals[i];
      const std::string field = "referrals[" + std::to_string(i) + "]";
      MARAC_RETURN_IF_ERROR(CheckReferral(field, r));
      if (!submissions.insert(r.submission_id).second) {
        return InvalidArgument(field + ".submission_id",
                               "'" + r.submission_id + "' twice in one batch");
      }
      ids.push_back(r.referral_id);
    }
    std::vector<SubmitOutcome> out;
    const Status written =
        Write(actor, AuditAction::kCollect, "referral", ids, [&]() -> Status {
          for (std::size_t i = 0; i < referrals.size(); ++i) {
            MARAC_ASSIGN_OR_RETURN(
                SubmitOutcome o,
                InsertReferral("referrals[" + std::to_string(i) + "]",
                               referrals[i]));
            out.push_back(std::move(o));
          }
          return Status::Ok();
        });
    if (!written.ok()) return written;
    return out;
  }

  Result<std::vector<Result<SubmitOutcome>>> SubmitEach(
      std::span<const Submission> submissions) override {
    std::vector<Result<SubmitOutcome>> out;
    out.reserve(submissions.size());
    const std::lock_guard<std::mutex> lock(mutex_);
    MARAC_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
    for (const Submission& submission : submissions) {
      const Actor& actor = submission.actor;
      const StoredReferral& r = submission.referral;
      Status valid = CheckActor(actor, false);
      if (valid.ok()) valid = CheckReferral("referral", r);
      // Built from the refusal, or from the insert below (a Result is
      // never built from an OK status).
      Result<SubmitOutcome> outcome =
          valid.ok() ? Result<SubmitOutcome>(Internal("not written")) : valid;
      if (valid.ok()) {
        // Each in a savepoint: a refusal undoes only its own rows.
        MARAC_RETURN_IF_ERROR(db_.Exec("SAVEPOINT one"));
        outcome = InsertReferral("referral", r);
        if (outcome.ok()) {
          MARAC_RETURN_IF_ERROR(db_.Exec("RELEASE one"));
        } else {
          MARAC_RETURN_IF_ERROR(db_.Exec("ROLLBACK TO one; RELEASE one"));
          const StatusCode code = outcome.status().code();
          if (code != StatusCode::kInvalidArgument &&
              code != StatusCode::kAlreadyExists) {
            return outcome.status();  // The store failed: nothing written.
          }
        }
      }
      MARAC_RETURN_IF_ERROR(
          AppendAudit(actor, AuditAction::kCollect, "referral", {r.referral_id},
                      outcome.ok() ? std::string_view("ok")
                                   : StatusCodeName(outcome.status().code())));
      out.push_back(std::move(outcome));
    }
    MARAC_RETURN_IF_ERROR(tx.Commit());
    return out;
  }

  Result<StoredReferral> GetReferral(const Actor& actor,
                                     std::string_view referral_id) override {
    std::vector<StoredReferral> found;
    MARAC_RETURN_IF_ERROR(
        Read(actor, "referral", {std::string(referral_id)}, [&]() -> Status {
          return SelectReferrals("WHERE referral_id = ?1",
                                 {std::string(referral_id)}, found);
        }));
    if (found.empty()) {
      return NotFound("referral '" + std::string(referral_id) + "'");
    }
    return std::move(found.front());
  }

  Result<std::vector<StoredReferral>> Referrals(
      const Actor& actor, std::string_view area,
      std::optional<Date> until) override {
    std::vector<StoredReferral> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "referral", {}, [&]() -> Status {
      return SelectReferrals(
          "WHERE (?1 = '' OR area = ?1) AND (?2 = '' OR referred_on <= ?2)",
          {std::string(area), until ? until->ToString() : ""}, out);
    }));
    return out;
  }

  Status PutIdvaSupport(const Actor& actor,
                        std::span<const IdvaSupport> support) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    if (version_ < 3) {
      return FailedPrecondition("IDVA support needs schema version 3");
    }
    std::vector<std::string> ids;
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < support.size(); ++i) {
      const IdvaSupport& x = support[i];
      const std::string field = "idva_support[" + std::to_string(i) + "]";
      MARAC_RETURN_IF_ERROR(Required(field + ".referral_id", x.referral_id));
      MARAC_RETURN_IF_ERROR(Required(field + ".idva_service", x.idva_service));
      MARAC_RETURN_IF_ERROR(RealDate(field + ".allocated_on", x.allocated_on));
      if (x.closed_on) {
        MARAC_RETURN_IF_ERROR(RealDate(field + ".closed_on", *x.closed_on));
      }
      if (!seen.insert(x.referral_id).second) {
        return InvalidArgument(field + ".referral_id",
                               "'" + x.referral_id + "' twice in one batch");
      }
      if (x.closed_on && *x.closed_on < x.allocated_on) {
        return InvalidArgument(
            field + ".closed_on",
            "before the allocation on " + x.allocated_on.ToString());
      }
      ids.push_back(x.referral_id);
    }
    return Write(
        actor, AuditAction::kCollect, "idva_support", ids, [&]() -> Status {
          MARAC_ASSIGN_OR_RETURN(
              Statement referred,
              db_.Prepare("SELECT referred_on FROM referrals WHERE "
                          "referral_id = ?1"));
          MARAC_ASSIGN_OR_RETURN(Statement put,
                                 db_.Prepare(InsertSql(IdvaSupportRow::kTable,
                                                       IdvaSupportRow::kColumns,
                                                       IdvaSupportRow::kKey)));
          for (std::size_t i = 0; i < support.size(); ++i) {
            const IdvaSupport& x = support[i];
            const std::string field = "idva_support[" + std::to_string(i) + "]";
            referred.Bind(1, x.referral_id);
            MARAC_ASSIGN_OR_RETURN(const bool known, referred.Step());
            if (!known) {
              return InvalidArgument(
                  field + ".referral_id",
                  "no referral '" + x.referral_id + "' in the store");
            }
            MARAC_ASSIGN_OR_RETURN(
                const Date referred_on,
                Date::Parse("referred_on", referred.Text(0)));
            referred.Reset();
            if (x.allocated_on < referred_on) {
              return InvalidArgument(
                  field + ".allocated_on",
                  "before the referral on " + referred_on.ToString());
            }
            IdvaSupportRow::Bind(put, x);
            MARAC_RETURN_IF_ERROR(put.Run());
          }
          return Status::Ok();
        });
  }

  Result<std::vector<IdvaSupport>> IdvaSupports(const Actor& actor) override {
    if (version_ < 3) {
      return FailedPrecondition("IDVA support needs schema version 3");
    }
    std::vector<IdvaSupport> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "idva_support", {}, [&]() -> Status {
      return EachRow(SelectSql(IdvaSupportRow::kColumns,
                               "FROM idva_support ORDER BY referral_id"),
                     [&](const Statement& select) -> Status {
                       MARAC_ASSIGN_OR_RETURN(IdvaSupport x,
                                              IdvaSupportRow::Read(select));
                       out.push_back(std::move(x));
                       return Status::Ok();
                     });
    }));
    return out;
  }

  Status PutVisits(const Actor& actor,
                   std::span<const OneStopShopVisit> visits) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    if (version_ < 9) {
      return FailedPrecondition("One Stop Shop visits need schema version 9");
    }
    std::vector<std::string> ids;
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < visits.size(); ++i) {
      const std::string field = "visits[" + std::to_string(i) + "]";
      MARAC_RETURN_IF_ERROR(CheckOneStopShopVisit(field, visits[i]));
      if (!seen.insert(visits[i].visit_id).second) {
        return InvalidArgument(field + ".visit_id", "'" + visits[i].visit_id +
                                                        "' twice in one batch");
      }
      ids.push_back(visits[i].visit_id);
    }
    return Write(actor, AuditAction::kCollect, "visit", ids, [&]() -> Status {
      for (std::size_t i = 0; i < visits.size(); ++i) {
        if (visits[i].visitor_record_id.empty()) continue;
        MARAC_RETURN_IF_ERROR(
            KnownRecord("visits[" + std::to_string(i) + "].visitor_record_id",
                        visits[i].visitor_record_id));
      }
      MARAC_ASSIGN_OR_RETURN(
          Statement put,
          db_.Prepare(
              InsertSql(VisitRow::kTable, VisitRow::kColumns, VisitRow::kKey)));
      for (const OneStopShopVisit& v : visits) {
        VisitRow::Bind(put, v);
        MARAC_RETURN_IF_ERROR(put.Run());
      }
      return Status::Ok();
    });
  }

  Result<std::vector<OneStopShopVisit>> Visits(const Actor& actor) override {
    if (version_ < 9) {
      return FailedPrecondition("One Stop Shop visits need schema version 9");
    }
    std::vector<OneStopShopVisit> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "visit", {}, [&]() -> Status {
      return EachRow(SelectSql(VisitRow::kColumns,
                               "FROM oss_visits ORDER BY visited_on, visit_id"),
                     [&](const Statement& select) -> Status {
                       MARAC_ASSIGN_OR_RETURN(OneStopShopVisit v,
                                              VisitRow::Read(select));
                       out.push_back(std::move(v));
                       return Status::Ok();
                     });
    }));
    return out;
  }

  Status PutSessions(const Actor& actor,
                     std::span<const OneStopShopSession> sessions) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    if (version_ < 9) {
      return FailedPrecondition("One Stop Shop sessions need schema version 9");
    }
    std::vector<std::string> ids;
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
      const std::string field = "sessions[" + std::to_string(i) + "]";
      MARAC_RETURN_IF_ERROR(CheckOneStopShopSession(field, sessions[i]));
      if (!seen.insert(sessions[i].session_id).second) {
        return InvalidArgument(
            field + ".session_id",
            "'" + sessions[i].session_id + "' twice in one batch");
      }
      ids.push_back(sessions[i].session_id);
    }
    return Write(actor, AuditAction::kCollect, "session", ids, [&]() -> Status {
      MARAC_ASSIGN_OR_RETURN(
          Statement put,
          db_.Prepare(InsertSql(SessionRow::kTable, SessionRow::kColumns,
                                SessionRow::kKey)));
      for (const OneStopShopSession& x : sessions) {
        SessionRow::Bind(put, x);
        MARAC_RETURN_IF_ERROR(put.Run());
      }
      return Status::Ok();
    });
  }

  Result<std::vector<OneStopShopSession>> Sessions(
      const Actor& actor) override {
    if (version_ < 9) {
      return FailedPrecondition("One Stop Shop sessions need schema version 9");
    }
    std::vector<OneStopShopSession> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "session", {}, [&]() -> Status {
      return EachRow(
          SelectSql(SessionRow::kColumns,
                    "FROM oss_sessions ORDER BY held_on, session_id"),
          [&](const Statement& select) -> Status {
            MARAC_ASSIGN_OR_RETURN(OneStopShopSession x,
                                   SessionRow::Read(select));
            out.push_back(std::move(x));
            return Status::Ok();
          });
    }));
    return out;
  }

  Status PutMeeting(const Actor& actor, const Meeting& m) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    MARAC_RETURN_IF_ERROR(CheckMeeting(m));
    return Write(actor, AuditAction::kAlter, "meeting", {m.meeting_id},
                 [&]() -> Status { return UpsertMeeting(m); });
  }

  Status SaveMeetingAgenda(const Actor& actor, const Meeting& m,
                           const StoredAgenda& a) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    MARAC_RETURN_IF_ERROR(CheckMeeting(m));
    MARAC_RETURN_IF_ERROR(Required("agenda.agenda_id", a.agenda_id));
    if (a.meeting_id != m.meeting_id) {
      return InvalidArgument("agenda.meeting_id", "not the meeting's id");
    }
    return Write(
        actor, AuditAction::kAlter, "agenda", {a.agenda_id}, [&]() -> Status {
          // A meeting that already has an agenda is final: neither it nor
          // its agenda changes.
          MARAC_ASSIGN_OR_RETURN(
              Statement saved,
              db_.Prepare("SELECT 1 FROM agendas WHERE meeting_id = ?1 OR "
                          "agenda_id = ?2"));
          saved.Bind(1, m.meeting_id).Bind(2, a.agenda_id);
          MARAC_ASSIGN_OR_RETURN(const bool exists, saved.Step());
          if (exists) {
            return Status(StatusCode::kAlreadyExists,
                          "agenda.agenda_id: an agenda is already saved for "
                          "this meeting");
          }
          MARAC_RETURN_IF_ERROR(UpsertMeeting(m));
          return InsertAgenda(a);
        });
  }

  // The rules every stored meeting keeps.
  static Status CheckMeeting(const Meeting& m) {
    MARAC_RETURN_IF_ERROR(Required("meeting.meeting_id", m.meeting_id));
    MARAC_RETURN_IF_ERROR(RealDate("meeting.date", m.date));
    MARAC_RETURN_IF_ERROR(
        RealDate("meeting.referral_cutoff", m.referral_cutoff));
    MARAC_RETURN_IF_ERROR(Required("meeting.area", m.area));
    if (m.capacity_cases <= 0 && m.capacity_minutes <= 0) {
      return InvalidArgument("meeting.capacity_cases",
                             "a meeting needs a capacity in cases or minutes");
    }
    if (m.capacity_cases < 0 || m.capacity_minutes < 0) {
      return InvalidArgument("meeting.capacity_cases", "negative");
    }
    if (m.referral_cutoff > m.date) {
      return InvalidArgument("meeting.referral_cutoff",
                             "after the meeting date");
    }
    return Status::Ok();
  }

  // Inside a write transaction.
  Status UpsertMeeting(const Meeting& m) {
    MARAC_ASSIGN_OR_RETURN(
        Statement put,
        db_.Prepare(InsertSql(MeetingRow::kTable, MeetingRow::kColumns,
                              MeetingRow::kKey)));
    MeetingRow::Bind(put, m);
    return put.Run();
  }

  // Inside a write transaction.
  Status InsertAgenda(const StoredAgenda& a) {
    MARAC_ASSIGN_OR_RETURN(
        Statement put,
        db_.Prepare(InsertSql(AgendaRow::kTable, AgendaRow::kStoredColumns)));
    AgendaRow::Bind(put, a, NowUtc());
    MARAC_RETURN_IF_ERROR(
        Duplicate(put.Run(), "agenda.agenda_id", a.agenda_id));
    if (version_ < 5) {
      if (a.listed_referral_ids.empty()) return Status::Ok();
      return FailedPrecondition(
          "agenda.listed_referral_ids: need schema version 5");
    }
    MARAC_ASSIGN_OR_RETURN(
        Statement listed,
        db_.Prepare(InsertSql(AgendaCaseRow::kTable, AgendaCaseRow::kColumns)));
    for (std::size_t i = 0; i < a.listed_referral_ids.size(); ++i) {
      const std::string& id = a.listed_referral_ids[i];
      MARAC_RETURN_IF_ERROR(Required(
          "agenda.listed_referral_ids[" + std::to_string(i) + "]", id));
      listed.Reset();
      listed.Bind(1, a.agenda_id)
          .Bind(2, static_cast<std::int64_t>(i))
          .Bind(3, id);
      MARAC_RETURN_IF_ERROR(listed.Run());
    }
    return Status::Ok();
  }

  // The referrals each agenda listed, by agenda id, in rank order (none
  // before schema version 5). Inside a read transaction.
  Result<std::map<std::string, std::vector<std::string>>> ListedReferrals(
      std::string_view agenda_id) {
    std::map<std::string, std::vector<std::string>> out;
    if (version_ < 5) return out;
    MARAC_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare("SELECT agenda_id, referral_id FROM agenda_cases WHERE "
                    "?1 = '' OR agenda_id = ?1 ORDER BY agenda_id, position"));
    select.Bind(1, agenda_id);
    for (;;) {
      MARAC_ASSIGN_OR_RETURN(const bool row, select.Step());
      if (!row) break;
      out[select.Text(0)].push_back(select.Text(1));
    }
    return out;
  }

  Result<std::vector<Meeting>> Meetings(const Actor& actor,
                                        std::string_view area) override {
    std::vector<Meeting> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "meeting", {}, [&]() -> Status {
      MARAC_ASSIGN_OR_RETURN(
          Statement select,
          db_.Prepare(SelectSql(MeetingRow::kColumns,
                                "FROM meetings WHERE ?1 = '' OR area = ?1 "
                                "ORDER BY date, meeting_id")));
      select.Bind(1, area);
      for (;;) {
        MARAC_ASSIGN_OR_RETURN(const bool row, select.Step());
        if (!row) break;
        MARAC_ASSIGN_OR_RETURN(Meeting m, MeetingRow::Read(select));
        out.push_back(std::move(m));
      }
      return Status::Ok();
    }));
    return out;
  }

  Status SaveAgenda(const Actor& actor, const StoredAgenda& a) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    MARAC_RETURN_IF_ERROR(Required("agenda.agenda_id", a.agenda_id));
    MARAC_RETURN_IF_ERROR(Required("agenda.meeting_id", a.meeting_id));
    return Write(
        actor, AuditAction::kAlter, "agenda", {a.agenda_id}, [&]() -> Status {
          MARAC_ASSIGN_OR_RETURN(
              Statement meeting,
              db_.Prepare("SELECT 1 FROM meetings WHERE meeting_id = ?1"));
          meeting.Bind(1, a.meeting_id);
          MARAC_ASSIGN_OR_RETURN(const bool known, meeting.Step());
          if (!known) {
            return InvalidArgument("agenda.meeting_id",
                                   "no meeting '" + a.meeting_id + "'");
          }
          return InsertAgenda(a);
        });
  }

  Result<StoredAgenda> GetAgenda(const Actor& actor,
                                 std::string_view agenda_id) override {
    std::optional<StoredAgenda> found;
    MARAC_RETURN_IF_ERROR(
        Read(actor, "agenda", {std::string(agenda_id)}, [&]() -> Status {
          MARAC_ASSIGN_OR_RETURN(
              Statement select,
              db_.Prepare(SelectSql(AgendaRow::kColumns,
                                    "FROM agendas WHERE agenda_id = ?1")));
          select.Bind(1, agenda_id);
          MARAC_ASSIGN_OR_RETURN(const bool row, select.Step());
          if (!row) return Status::Ok();
          found = AgendaRow::Read(select);
          MARAC_ASSIGN_OR_RETURN(auto listed, ListedReferrals(agenda_id));
          found->listed_referral_ids = std::move(listed[found->agenda_id]);
          return Status::Ok();
        }));
    if (!found) return NotFound("agenda '" + std::string(agenda_id) + "'");
    return *std::move(found);
  }

  Result<std::vector<StoredAgenda>> Agendas(const Actor& actor) override {
    std::vector<StoredAgenda> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "agenda", {}, [&]() -> Status {
      MARAC_ASSIGN_OR_RETURN(auto listed, ListedReferrals(""));
      return EachRow(SelectSql(AgendaRow::kColumns,
                               "FROM agendas JOIN meetings USING (meeting_id) "
                               "ORDER BY date, agenda_id"),
                     [&](const Statement& select) -> Status {
                       out.push_back(AgendaRow::Read(select));
                       out.back().listed_referral_ids =
                           std::move(listed[out.back().agenda_id]);
                       return Status::Ok();
                     });
    }));
    return out;
  }

  Result<std::vector<AgendaListing>> AgendaListings(
      const Actor& actor) override {
    std::vector<AgendaListing> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "agenda", {}, [&]() -> Status {
      if (version_ < 5) {
        return FailedPrecondition("agenda listings need schema version 5");
      }
      MARAC_ASSIGN_OR_RETURN(auto listed, ListedReferrals(""));
      return EachRow(
          "SELECT a.agenda_id, a.meeting_id FROM agendas a JOIN meetings m "
          "USING (meeting_id) ORDER BY m.date, a.agenda_id",
          [&](const Statement& select) -> Status {
            out.push_back({select.Text(0), select.Text(1),
                           std::move(listed[select.Text(0)])});
            return Status::Ok();
          });
    }));
    return out;
  }

  Result<bool> RecordMeeting(const Actor& actor,
                             const MeetingRecord& given) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    if (version_ < 6) {
      return FailedPrecondition("meeting records need schema version 6");
    }
    MeetingRecord record = given;
    NumberActions(record);
    std::vector<std::string> ids = {record.meeting_id};
    for (const CaseHearing& c : record.cases) {
      for (const CaseAction& a : c.actions) ids.push_back(a.action_id);
    }
    bool already = false;
    const Status written = Write(
        actor, AuditAction::kCollect, "meeting_record", ids, [&]() -> Status {
          MARAC_ASSIGN_OR_RETURN(
              Statement meeting,
              db_.Prepare("SELECT date FROM meetings WHERE meeting_id = ?1"));
          meeting.Bind(1, record.meeting_id);
          MARAC_ASSIGN_OR_RETURN(const bool known, meeting.Step());
          if (!known) {
            return InvalidArgument("meeting_id",
                                   "no meeting '" + record.meeting_id + "'");
          }
          MARAC_ASSIGN_OR_RETURN(const Date date,
                                 Date::Parse("date", meeting.Text(0)));
          MARAC_RETURN_IF_ERROR(CheckMeetingRecord(record, date));
          MARAC_ASSIGN_OR_RETURN(std::vector<MeetingRecord> stored,
                                 SelectMeetingRecords(record.meeting_id));
          if (!stored.empty()) {
            if (SameMeetingRecord(stored[0], record)) {
              already = true;
              return Status::Ok();
            }
            return Status(StatusCode::kAlreadyExists,
                          "meeting_id: '" + record.meeting_id +
                              "' is already recorded with other minutes; "
                              "nothing was changed");
          }
          MARAC_ASSIGN_OR_RETURN(
              Statement put_record,
              db_.Prepare(InsertSql(MeetingRecordRow::kTable,
                                    MeetingRecordRow::kColumns)));
          put_record.Bind(1, record.meeting_id)
              .Bind(2, NowUtc())
              .Bind(3, actor.user);
          MARAC_RETURN_IF_ERROR(put_record.Run());
          MARAC_ASSIGN_OR_RETURN(
              Statement attend,
              db_.Prepare(
                  InsertSql(AttendanceRow::kTable, AttendanceRow::kColumns)));
          for (std::size_t i = 0; i < record.attendance.size(); ++i) {
            attend.Reset();
            attend.Bind(1, record.meeting_id)
                .Bind(2, static_cast<std::int64_t>(i))
                .Bind(3, record.attendance[i]);
            MARAC_RETURN_IF_ERROR(attend.Run());
          }
          MARAC_ASSIGN_OR_RETURN(
              Statement referral,
              db_.Prepare("SELECT 1 FROM referrals WHERE referral_id = ?1"));
          MARAC_ASSIGN_OR_RETURN(
              Statement hearing,
              db_.Prepare(InsertSql(HearingRow::kTable, HearingRow::kColumns)));
          MARAC_ASSIGN_OR_RETURN(
              Statement action,
              db_.Prepare(InsertSql(ActionRow::kTable, ActionRow::kColumns)));
          for (std::size_t i = 0; i < record.cases.size(); ++i) {
            const CaseHearing& c = record.cases[i];
            referral.Reset();
            referral.Bind(1, c.referral_id);
            MARAC_ASSIGN_OR_RETURN(const bool stored_referral, referral.Step());
            if (!stored_referral) {
              return InvalidArgument(
                  "cases[" + std::to_string(i) + "].referral_id",
                  "no referral '" + c.referral_id + "' in the store");
            }
            hearing.Reset();
            HearingRow::Bind(hearing, record.meeting_id,
                             static_cast<std::int64_t>(i), c);
            MARAC_RETURN_IF_ERROR(hearing.Run());
            for (const CaseAction& a : c.actions) {
              action.Reset();
              ActionRow::Bind(action, a);
              MARAC_RETURN_IF_ERROR(action.Run());
            }
          }
          return Status::Ok();
        });
    if (!written.ok()) return written;
    return already;
  }

  Result<std::vector<MeetingRecord>> MeetingRecords(
      const Actor& actor) override {
    if (version_ < 6) {
      return FailedPrecondition("meeting records need schema version 6");
    }
    std::vector<MeetingRecord> out;
    const Status read = Read(actor, "meeting_record", {}, [&]() -> Status {
      MARAC_ASSIGN_OR_RETURN(out, SelectMeetingRecords(""));
      return Status::Ok();
    });
    if (!read.ok()) return read;
    return out;
  }

  // The records of `meeting_id` (every meeting when empty), by meeting
  // date, with their actions as they stand. Inside a transaction.
  Result<std::vector<MeetingRecord>> SelectMeetingRecords(
      std::string_view meeting_id) {
    std::vector<MeetingRecord> out;
    std::map<std::string, std::size_t> at;
    MARAC_ASSIGN_OR_RETURN(
        Statement records,
        db_.Prepare("SELECT meeting_id FROM meeting_records JOIN meetings "
                    "USING (meeting_id) WHERE ?1 = '' OR meeting_id = ?1 "
                    "ORDER BY date, meeting_id"));
    records.Bind(1, meeting_id);
    for (;;) {
      MARAC_ASSIGN_OR_RETURN(const bool row, records.Step());
      if (!row) break;
      at.emplace(records.Text(0), out.size());
      out.push_back({records.Text(0), {}, {}});
    }
    if (out.empty()) return out;
    MARAC_ASSIGN_OR_RETURN(
        Statement attendance,
        db_.Prepare("SELECT meeting_id, agency FROM meeting_attendance WHERE "
                    "?1 = '' OR meeting_id = ?1 ORDER BY meeting_id, "
                    "position"));
    attendance.Bind(1, meeting_id);
    for (;;) {
      MARAC_ASSIGN_OR_RETURN(const bool row, attendance.Step());
      if (!row) break;
      out[at.at(attendance.Text(0))].attendance.push_back(attendance.Text(1));
    }
    MARAC_ASSIGN_OR_RETURN(
        Statement hearings,
        db_.Prepare(SelectSql(HearingRow::kColumns,
                              "FROM hearings WHERE ?1 = '' OR meeting_id = ?1 "
                              "ORDER BY meeting_id, position")));
    hearings.Bind(1, meeting_id);
    std::map<std::pair<std::string, std::string>, CaseHearing*> hearing_of;
    for (;;) {
      MARAC_ASSIGN_OR_RETURN(const bool row, hearings.Step());
      if (!row) break;
      MARAC_ASSIGN_OR_RETURN(CaseHearing c, HearingRow::Read(hearings, 2));
      out[at.at(hearings.Text(0))].cases.push_back(std::move(c));
    }
    for (MeetingRecord& r : out) {
      for (CaseHearing& c : r.cases) {
        hearing_of[{r.meeting_id, c.referral_id}] = &c;
      }
    }
    MARAC_ASSIGN_OR_RETURN(
        Statement actions,
        db_.Prepare(SelectSql(ActionRow::kColumns,
                              "FROM actions WHERE ?1 = '' OR meeting_id = ?1 "
                              "ORDER BY rowid")));
    actions.Bind(1, meeting_id);
    for (;;) {
      MARAC_ASSIGN_OR_RETURN(const bool row, actions.Step());
      if (!row) break;
      MARAC_ASSIGN_OR_RETURN(CaseAction a, ActionRow::Read(actions));
      const auto c = hearing_of.find({a.meeting_id, a.referral_id});
      if (c == hearing_of.end()) {
        return Status(
            StatusCode::kDataLoss,
            "store: action '" + a.action_id + "' belongs to no recorded case");
      }
      c->second->actions.push_back(std::move(a));
    }
    return out;
  }

  Result<std::vector<CaseAction>> Actions(const Actor& actor) override {
    if (version_ < 6) {
      return FailedPrecondition("actions need schema version 6");
    }
    std::vector<CaseAction> out;
    const Status read = Read(actor, "action", {}, [&]() -> Status {
      return EachRow(SelectSql(ActionRow::kColumns,
                               "FROM actions ORDER BY due_on, action_id"),
                     [&](const Statement& select) -> Status {
                       MARAC_ASSIGN_OR_RETURN(CaseAction a,
                                              ActionRow::Read(select));
                       out.push_back(std::move(a));
                       return Status::Ok();
                     });
    });
    if (!read.ok()) return read;
    return out;
  }

  Result<CaseAction> GetAction(const Actor& actor,
                               std::string_view action_id) override {
    if (version_ < 6) {
      return FailedPrecondition("actions need schema version 6");
    }
    MARAC_RETURN_IF_ERROR(Required("action_id", action_id));
    std::optional<CaseAction> found;
    const Status read =
        Read(actor, "action", {std::string(action_id)}, [&]() -> Status {
          MARAC_ASSIGN_OR_RETURN(Statement select, SelectAction(action_id));
          MARAC_ASSIGN_OR_RETURN(const bool row, select.Step());
          if (!row) return Status::Ok();
          MARAC_ASSIGN_OR_RETURN(found, ActionRow::Read(select));
          return Status::Ok();
        });
    if (!read.ok()) return read;
    if (!found) {
      return NotFound("action_id: no action '" + std::string(action_id) + "'");
    }
    return *std::move(found);
  }

  // The statement selecting one action, bound to its id.
  Result<Statement> SelectAction(std::string_view action_id) {
    MARAC_ASSIGN_OR_RETURN(
        Statement select,
        db_.Prepare(SelectSql(ActionRow::kColumns,
                              "FROM actions WHERE action_id = ?1")));
    select.Bind(1, action_id);
    return select;
  }

  Result<CaseAction> UpdateAction(const Actor& actor,
                                  const ActionUpdate& update) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    if (version_ < 6) {
      return FailedPrecondition("actions need schema version 6");
    }
    MARAC_RETURN_IF_ERROR(Required("action_id", update.action_id));
    MARAC_RETURN_IF_ERROR(RealDate("on", update.on));
    std::optional<CaseAction> now;
    const Status written = Write(
        actor, AuditAction::kAlter, "action", {update.action_id},
        [&]() -> Status {
          MARAC_ASSIGN_OR_RETURN(Statement select,
                                 SelectAction(update.action_id));
          MARAC_ASSIGN_OR_RETURN(const bool found, select.Step());
          if (!found) {
            return NotFound("action_id: no action '" + update.action_id + "'");
          }
          MARAC_ASSIGN_OR_RETURN(CaseAction before, ActionRow::Read(select));
          if ((actor.role == "referrer" || actor.role == "idva") &&
              actor.agency != before.agency) {
            return Status(StatusCode::kPermissionDenied,
                          "action_id: an action of another agency ('" +
                              before.agency + "')");
          }
          MARAC_ASSIGN_OR_RETURN(
              Statement meeting,
              db_.Prepare("SELECT date FROM meetings WHERE meeting_id = ?1"));
          meeting.Bind(1, before.meeting_id);
          MARAC_ASSIGN_OR_RETURN(const bool known, meeting.Step());
          if (known) {
            MARAC_ASSIGN_OR_RETURN(const Date agreed,
                                   Date::Parse("date", meeting.Text(0)));
            if (update.on < agreed) {
              return InvalidArgument(
                  "on", "before the meeting that agreed the action on " +
                            agreed.ToString());
            }
          }
          CaseAction after = before;
          after.status = update.status;
          after.status_on = update.status == ActionStatus::kOpen
                                ? std::nullopt
                                : std::optional<Date>(update.on);
          after.note = update.note;
          MARAC_ASSIGN_OR_RETURN(
              Statement put,
              db_.Prepare("UPDATE actions SET status = ?2, status_on = ?3, "
                          "note = ?4 WHERE action_id = ?1"));
          put.Bind(1, after.action_id).Bind(2, ActionStatusName(after.status));
          if (after.status_on) {
            put.Bind(3, after.status_on->ToString());
          } else {
            put.BindNull(3);
          }
          put.Bind(4, after.note);
          MARAC_RETURN_IF_ERROR(put.Run());
          MARAC_ASSIGN_OR_RETURN(
              Statement change,
              db_.Prepare(InsertSql(ActionChangeRow::kTable,
                                    ActionChangeRow::kColumns)));
          ActionChangeRow::Bind(
              change, {0, after.action_id, NowUtc(), actor.user, actor.agency,
                       before.status, before.status_on, before.note,
                       after.status, after.status_on, after.note});
          MARAC_RETURN_IF_ERROR(change.Run());
          now = std::move(after);
          return Status::Ok();
        });
    if (!written.ok()) return written;
    return *std::move(now);
  }

  Result<std::vector<ActionChange>> ActionHistory(
      const Actor& actor, std::string_view action_id) override {
    if (version_ < 6) {
      return FailedPrecondition("actions need schema version 6");
    }
    MARAC_RETURN_IF_ERROR(Required("action_id", action_id));
    std::vector<ActionChange> out;
    const Status read =
        Read(actor, "action", {std::string(action_id)}, [&]() -> Status {
          MARAC_ASSIGN_OR_RETURN(
              Statement select,
              db_.Prepare(SelectSql(
                  "sequence, " + std::string(ActionChangeRow::kColumns),
                  "FROM action_changes WHERE action_id = ?1 ORDER BY "
                  "sequence")));
          select.Bind(1, action_id);
          for (;;) {
            MARAC_ASSIGN_OR_RETURN(const bool row, select.Step());
            if (!row) break;
            MARAC_ASSIGN_OR_RETURN(ActionChange c,
                                   ActionChangeRow::Read(select));
            out.push_back(std::move(c));
          }
          return Status::Ok();
        });
    if (!read.ok()) return read;
    return out;
  }

  Result<Circulation> RecordCirculation(const Actor& actor,
                                        const Circulation& c) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    if (version_ < 7) {
      return FailedPrecondition("research lists need schema version 7");
    }
    MARAC_RETURN_IF_ERROR(Required("meeting_id", c.meeting_id));
    if (c.format != "json" && c.format != "md" && c.format != "html") {
      return InvalidArgument("format",
                             "'" + c.format + "' is not json, md or html");
    }
    Circulation stored = c;
    stored.sent_at = NowUtc();
    stored.sent_by = actor.user;
    stored.role = actor.role;
    const Status written = Write(
        actor, AuditAction::kDisclose, "research_list", c.referral_ids,
        [&]() -> Status {
          if (actor.role != "coordinator" && actor.role != "chair") {
            return Status(StatusCode::kPermissionDenied,
                          "role: only a coordinator or a chair may produce a "
                          "research list, not a " +
                              actor.role);
          }
          MARAC_ASSIGN_OR_RETURN(
              Statement put, db_.Prepare(InsertSql(CirculationRow::kTable,
                                                   CirculationRow::kColumns)));
          CirculationRow::Bind(put, stored);
          MARAC_RETURN_IF_ERROR(put.Run());
          MARAC_ASSIGN_OR_RETURN(
              Statement last, db_.Prepare(db::LastInsertIdSql(db_.engine())));
          MARAC_ASSIGN_OR_RETURN(const bool row, last.Step());
          if (row) stored.sequence = last.Int(0);
          return Status::Ok();
        });
    if (!written.ok()) return written;
    return stored;
  }

  Result<std::vector<Circulation>> Circulations(
      const Actor& actor, std::string_view meeting_id) override {
    if (version_ < 7) {
      return FailedPrecondition("research lists need schema version 7");
    }
    std::vector<Circulation> out;
    const Status read = Read(
        actor, "research_list",
        meeting_id.empty() ? std::vector<std::string>{}
                           : std::vector<std::string>{std::string(meeting_id)},
        [&]() -> Status {
          MARAC_ASSIGN_OR_RETURN(
              Statement select,
              db_.Prepare(SelectSql(
                  "sequence, " + std::string(CirculationRow::kColumns),
                  "FROM circulations WHERE ?1 = '' OR meeting_id = ?1 "
                  "ORDER BY sequence")));
          select.Bind(1, meeting_id);
          for (;;) {
            MARAC_ASSIGN_OR_RETURN(const bool row, select.Step());
            if (!row) return Status::Ok();
            MARAC_ASSIGN_OR_RETURN(Circulation c, CirculationRow::Read(select));
            out.push_back(std::move(c));
          }
        });
    if (!read.ok()) return read;
    return out;
  }

  Status PutReviewDecisions(
      const Actor& actor, std::span<const ReviewDecision> decisions) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    if (version_ < 2) {
      return FailedPrecondition("review decisions need schema version 2");
    }
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < decisions.size(); ++i) {
      const ReviewDecision& d = decisions[i];
      const std::string field = "decisions[" + std::to_string(i) + "]";
      MARAC_RETURN_IF_ERROR(Required(field + ".record_id_l", d.record_id_l));
      MARAC_RETURN_IF_ERROR(Required(field + ".record_id_r", d.record_id_r));
      if (d.record_id_l == d.record_id_r) {
        return InvalidArgument(field + ".record_id_r",
                               "the same record as record_id_l");
      }
      ids.push_back(d.record_id_l);
      ids.push_back(d.record_id_r);
    }
    return Write(
        actor, AuditAction::kCombine, "review_decision", ids, [&]() -> Status {
          MARAC_ASSIGN_OR_RETURN(
              Statement put, db_.Prepare(InsertSql(ReviewDecisionRow::kTable,
                                                   ReviewDecisionRow::kColumns,
                                                   ReviewDecisionRow::kKey)));
          const std::string now = NowUtc();
          for (std::size_t i = 0; i < decisions.size(); ++i) {
            const ReviewDecision& d = decisions[i];
            const std::string field = "decisions[" + std::to_string(i) + "]";
            MARAC_RETURN_IF_ERROR(KnownRecords(field, d.record_id_l, {}));
            MARAC_RETURN_IF_ERROR(KnownRecords(field, d.record_id_r, {}));
            const auto [l, r] = std::minmax(d.record_id_l, d.record_id_r);
            ReviewDecisionRow::Bind(put, {l, r, d.same, actor.user, now});
            MARAC_RETURN_IF_ERROR(put.Run());
          }
          return Status::Ok();
        });
  }

  Result<std::vector<ReviewDecision>> ReviewDecisions(
      const Actor& actor) override {
    if (version_ < 2) {
      return FailedPrecondition("review decisions need schema version 2");
    }
    std::vector<ReviewDecision> out;
    MARAC_RETURN_IF_ERROR(Read(actor, "review_decision", {}, [&]() -> Status {
      return EachRow(SelectSql(ReviewDecisionRow::kColumns,
                               "FROM review_decisions ORDER BY record_id_l, "
                               "record_id_r"),
                     [&](const Statement& select) -> Status {
                       out.push_back(ReviewDecisionRow::Read(select));
                       return Status::Ok();
                     });
    }));
    return out;
  }

  Result<std::vector<AuditEntry>> Audit(const Actor& actor, std::int64_t after,
                                        std::size_t limit) override {
    return ReadAudit(actor, after, limit, "");
  }

  Result<std::vector<AuditEntry>> AuditMentioning(const Actor& actor,
                                                  std::string_view object_id,
                                                  std::int64_t after,
                                                  std::size_t limit) override {
    MARAC_RETURN_IF_ERROR(Required("object_id", object_id));
    return ReadAudit(actor, after, limit, object_id);
  }

  Status AuditRefusal(const Actor& actor, AuditAction action,
                      std::string_view object_type,
                      std::span<const std::string> object_ids,
                      std::string_view outcome) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, false));
    MARAC_RETURN_IF_ERROR(Required("outcome", outcome));
    return AuditAlone(actor, action, object_type, object_ids, outcome);
  }

  Status AuditDisclosure(const Actor& actor, std::string_view object_type,
                         std::span<const std::string> object_ids) override {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, true));
    return AuditAlone(actor, AuditAction::kDisclose, object_type, object_ids,
                      "ok");
  }

  Result<AuditVerification> VerifyAudit(
      const Actor& actor,
      std::optional<std::pair<std::int64_t, std::string>> anchor) override {
    if (version_ < 4) {
      return FailedPrecondition("the audit hash chain needs schema version 4");
    }
    if (anchor && anchor->first < 1) {
      return InvalidArgument("anchor.sequence", "must be 1 or more");
    }
    AuditVerification out;
    MARAC_RETURN_IF_ERROR(Read(actor, "audit_log", {}, [&]() -> Status {
      MARAC_ASSIGN_OR_RETURN(
          Statement select, db_.Prepare("SELECT " + std::string(kAuditColumns) +
                                        " FROM audit_log ORDER BY sequence"));
      std::string prev(kChainStart);
      std::int64_t expected = 1;
      bool anchor_seen = false;
      const auto broken = [&](std::int64_t at, std::string why) {
        out.intact = false;
        out.broken_at = at;
        out.problem = std::move(why);
      };
      out.intact = true;
      for (;;) {
        MARAC_ASSIGN_OR_RETURN(const bool row, select.Step());
        if (!row) break;
        const AuditRow r = ReadAuditRow(select);
        const AuditEntry& e = r.entry;
        const std::int64_t sequence = e.sequence;
        const std::string& object_ids = r.object_ids_json;
        const std::string& stored_prev = e.prev_hash;
        const std::string& stored_hash = e.row_hash;
        ++out.entries;
        const std::string n = "entry " + std::to_string(sequence);
        if (sequence != expected) {
          broken(sequence, n + " follows entry " +
                               std::to_string(expected - 1) +
                               ": entries were removed or inserted");
          return Status::Ok();
        }
        if (stored_prev != prev) {
          broken(sequence, n + " does not chain to the entry before it: an "
                               "entry was removed, inserted or altered");
          return Status::Ok();
        }
        MARAC_ASSIGN_OR_RETURN(
            const std::string hash,
            Sha256Hex(CanonicalAudit(sequence, e, object_ids, stored_prev)));
        if (hash != stored_hash) {
          broken(sequence, n + " does not match its hash: it was altered");
          return Status::Ok();
        }
        if (anchor && anchor->first == sequence) {
          anchor_seen = true;
          if (anchor->second != stored_hash) {
            broken(sequence, n + " is not the recorded head: the log was "
                                 "rewritten from there");
            return Status::Ok();
          }
        }
        prev = stored_hash;
        out.head_sequence = sequence;
        out.head_hash = stored_hash;
        ++expected;
      }
      if (anchor && !anchor_seen) {
        broken(out.head_sequence + 1,
               "the log ends at entry " + std::to_string(out.head_sequence) +
                   ", before the recorded head " +
                   std::to_string(anchor->first) + ": entries were removed");
      }
      return Status::Ok();
    }));
    return out;
  }

 private:
  Status CheckReferral(const std::string& field, const StoredReferral& r) {
    MARAC_RETURN_IF_ERROR(Required(field + ".referral_id", r.referral_id));
    MARAC_RETURN_IF_ERROR(Required(field + ".submission_id", r.submission_id));
    MARAC_RETURN_IF_ERROR(RealDate(field + ".referred_on", r.referred_on));
    MARAC_RETURN_IF_ERROR(Required(field + ".area", r.area));
    MARAC_RETURN_IF_ERROR(Required(field + ".agency", r.agency));
    MARAC_RETURN_IF_ERROR(
        Required(field + ".victim_record_id", r.victim_record_id));
    if (r.children_in_household < 0) {
      return InvalidArgument(field + ".children_in_household", "negative");
    }
    MARAC_RETURN_IF_ERROR(CheckReferralDetails(field + ".details", r.details,
                                               r.agency, r.referred_on,
                                               r.children_in_household));
    if (version_ < 7 && r.details != ReferralDetails{}) {
      return FailedPrecondition(field +
                                ".details: a referral's details need schema "
                                "version 7");
    }
    return Status::Ok();
  }

  // Inside a transaction: the stored id when the submission id is known,
  // else the new row.
  Result<SubmitOutcome> InsertReferral(const std::string& field,
                                       const StoredReferral& r) {
    if (!existing_) {
      MARAC_ASSIGN_OR_RETURN(
          Statement existing,
          db_.Prepare("SELECT referral_id FROM referrals WHERE "
                      "submission_id = ?1"));
      MARAC_ASSIGN_OR_RETURN(
          Statement insert,
          db_.Prepare(
              InsertSql(ReferralRow::kTable, ReferralRow::kStoredColumns)));
      existing_ = std::move(existing);
      insert_referral_ = std::move(insert);
    }
    Statement& existing = *existing_;
    Statement& insert = *insert_referral_;
    existing.Bind(1, r.submission_id);
    const Result<bool> found = existing.Step();
    if (!found.ok()) {
      existing.Reset();
      return found.status();
    }
    if (*found) {
      SubmitOutcome duplicate{existing.Text(0), true};
      existing.Reset();
      return duplicate;
    }
    existing.Reset();
    MARAC_RETURN_IF_ERROR(
        KnownRecords(field, r.victim_record_id, r.perpetrator_record_ids));
    if (!r.assessment_id.empty()) {
      if (!known_assessment_) {
        MARAC_ASSIGN_OR_RETURN(
            Statement prepared,
            db_.Prepare("SELECT 1 FROM assessments WHERE assessment_id = ?1"));
        known_assessment_ = std::move(prepared);
      }
      known_assessment_->Bind(1, r.assessment_id);
      const Result<bool> known = known_assessment_->Step();
      known_assessment_->Reset();
      if (!known.ok()) return known.status();
      if (!*known) {
        return InvalidArgument(
            field + ".assessment_id",
            "no assessment '" + r.assessment_id + "' in the store");
      }
    }
    ReferralRow::Bind(insert, r, NowUtc());
    const Status ran = insert.Run();
    MARAC_RETURN_IF_ERROR(
        Duplicate(ran, field + ".referral_id", r.referral_id));
    MARAC_RETURN_IF_ERROR(InsertReferralDetails(r));
    return SubmitOutcome{r.referral_id, false};
  }

  // Inside a transaction, after the referral's row: its details, when any
  // are recorded (none reads back as none).
  Status InsertReferralDetails(const StoredReferral& r) {
    if (r.details == ReferralDetails{}) return Status::Ok();
    if (!insert_details_) {
      MARAC_ASSIGN_OR_RETURN(
          Statement details,
          db_.Prepare(InsertSql(ReferralDetailsRow::kTable,
                                ReferralDetailsRow::kColumns)));
      MARAC_ASSIGN_OR_RETURN(
          Statement child, db_.Prepare(InsertSql(ReferralChildRow::kTable,
                                                 ReferralChildRow::kColumns)));
      insert_details_ = std::move(details);
      insert_child_ = std::move(child);
    }
    ReferralDetailsRow::Bind(*insert_details_, r.referral_id, r.details);
    MARAC_RETURN_IF_ERROR(insert_details_->Run());
    for (std::size_t k = 0; k < r.details.children.size(); ++k) {
      ReferralChildRow::Bind(*insert_child_, r.referral_id,
                             static_cast<std::int64_t>(k),
                             r.details.children[k]);
      MARAC_RETURN_IF_ERROR(insert_child_->Run());
    }
    return Status::Ok();
  }

  template <typename Records>
  static std::vector<std::string> Ids(const Records& records) {
    std::vector<std::string> ids;
    for (const auto& r : records) ids.push_back(r.record_id);
    return ids;
  }

  // A UNIQUE or PRIMARY KEY failure as the caller's mistake, naming the
  // field (a foreign-key failure stays kFailedPrecondition).
  static Status Duplicate(Status s, std::string_view field,
                          std::string_view id) {
    if (s.code() == StatusCode::kAlreadyExists) {
      return Status(
          StatusCode::kAlreadyExists,
          std::string(field) + ": '" + std::string(id) + "' is already stored");
    }
    return s;
  }

  Status MissingRecords(
      std::span<const std::pair<std::string, std::string>> record_person) {
    for (std::size_t i = 0; i < record_person.size(); ++i) {
      MARAC_RETURN_IF_ERROR(
          KnownRecords("record_person[" + std::to_string(i) + "]",
                       record_person[i].first, {}));
    }
    return Status::Ok();
  }

  // kInvalidArgument naming the field when a record id is not stored.
  // `id` is a stored record; kInvalidArgument naming `field` if not.
  Status KnownRecord(const std::string& field, const std::string& id) {
    if (!known_record_) {
      MARAC_ASSIGN_OR_RETURN(
          Statement prepared,
          db_.Prepare("SELECT 1 FROM records WHERE record_id = ?1"));
      known_record_ = std::move(prepared);
    }
    Statement& known = *known_record_;
    known.Bind(1, id);
    const Result<bool> row = known.Step();
    known.Reset();
    if (!row.ok()) return row.status();
    if (!*row) {
      return InvalidArgument(field, "no record '" + id + "' in the store");
    }
    return Status::Ok();
  }

  Status KnownRecords(const std::string& field, const std::string& victim,
                      const std::vector<std::string>& others) {
    const auto check = [&](const std::string& id,
                           const std::string& name) -> Status {
      return KnownRecord(field + "." + name, id);
    };
    MARAC_RETURN_IF_ERROR(check(victim, "victim_record_id"));
    for (std::size_t k = 0; k < others.size(); ++k) {
      MARAC_RETURN_IF_ERROR(check(
          others[k], "perpetrator_record_ids[" + std::to_string(k) + "]"));
    }
    return Status::Ok();
  }

  Status SelectReferrals(const std::string& where,
                         const std::vector<std::string>& params,
                         std::vector<StoredReferral>& out) {
    MARAC_ASSIGN_OR_RETURN(Statement select,
                           db_.Prepare(SelectSql(ReferralRow::kColumns,
                                                 "FROM referrals " + where +
                                                     " ORDER BY referred_on, "
                                                     "referral_id")));
    for (std::size_t k = 0; k < params.size(); ++k) {
      select.Bind(static_cast<int>(k + 1), params[k]);
    }
    const std::size_t first = out.size();
    for (;;) {
      MARAC_ASSIGN_OR_RETURN(const bool row, select.Step());
      if (!row) break;
      MARAC_ASSIGN_OR_RETURN(StoredReferral r, ReferralRow::Read(select));
      out.push_back(std::move(r));
    }
    if (version_ < 7 || out.size() == first) return Status::Ok();
    std::map<std::string, StoredReferral*, std::less<>> by_id;
    for (std::size_t k = first; k < out.size(); ++k) {
      by_id.emplace(out[k].referral_id, &out[k]);
    }
    // The same referrals' details and children, by the same condition.
    const std::string which =
        " WHERE referral_id IN (SELECT referral_id FROM referrals " + where +
        ")";
    const auto each = [&](std::string_view columns, std::string_view table,
                          std::string_view order, const auto& read) -> Status {
      MARAC_ASSIGN_OR_RETURN(
          Statement rows,
          db_.Prepare(SelectSql(columns, "FROM " + std::string(table) + which +
                                             std::string(order))));
      for (std::size_t k = 0; k < params.size(); ++k) {
        rows.Bind(static_cast<int>(k + 1), params[k]);
      }
      for (;;) {
        MARAC_ASSIGN_OR_RETURN(const bool row, rows.Step());
        if (!row) return Status::Ok();
        const auto found = by_id.find(rows.Text(0));
        if (found != by_id.end())
          MARAC_RETURN_IF_ERROR(read(rows, *found->second));
      }
    };
    MARAC_RETURN_IF_ERROR(
        each(ReferralDetailsRow::kColumns, ReferralDetailsRow::kTable, "",
             [](const Statement& row, StoredReferral& r) -> Status {
               MARAC_ASSIGN_OR_RETURN(r.details, ReferralDetailsRow::Read(row));
               return Status::Ok();
             }));
    return each(ReferralChildRow::kColumns, ReferralChildRow::kTable,
                " ORDER BY referral_id, position",
                [](const Statement& row, StoredReferral& r) -> Status {
                  MARAC_ASSIGN_OR_RETURN(ChildInHousehold c,
                                         ReferralChildRow::Read(row));
                  r.details.children.push_back(std::move(c));
                  return Status::Ok();
                });
  }

  // Audit entries written in a transaction of their own.
  Status AuditAlone(const Actor& actor, AuditAction action,
                    std::string_view object_type,
                    std::span<const std::string> object_ids,
                    std::string_view outcome) {
    MARAC_RETURN_IF_ERROR(Required("object_type", object_type));
    const std::lock_guard<std::mutex> lock(mutex_);
    MARAC_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
    MARAC_RETURN_IF_ERROR(AppendAudit(
        actor, action, object_type,
        std::vector<std::string>(object_ids.begin(), object_ids.end()),
        outcome));
    return tx.Commit();
  }

  // The log after `after`, at most `limit` entries; with `object_id`, only
  // the entries naming it (SQL finds candidates by substring, the parsed
  // list decides). The read is audited naming the object looked for.
  Result<std::vector<AuditEntry>> ReadAudit(const Actor& actor,
                                            std::int64_t after,
                                            std::size_t limit,
                                            std::string_view object_id) {
    std::vector<AuditEntry> out;
    std::vector<std::string> named;
    if (!object_id.empty()) named.emplace_back(object_id);
    MARAC_RETURN_IF_ERROR(Read(actor, "audit_log", named, [&]() -> Status {
      MARAC_ASSIGN_OR_RETURN(
          Statement select,
          db_.Prepare(std::string("SELECT ") +
                      (version_ >= 4
                           ? std::string(kAuditColumns)
                           : "sequence, at, \"user\", role, agency, purpose, "
                             "action, object_type, object_ids, outcome, "
                             "'', '', '', ''") +
                      " FROM audit_log WHERE sequence > ?1" +
                      (object_id.empty()
                           ? ""
                           : " AND " + db::ContainsSql(db_.engine(),
                                                       "object_ids", "?2")) +
                      " ORDER BY sequence"));
      select.Bind(1, after);
      // As stored: JSON-encoded (an id may hold a quote or a backslash).
      if (!object_id.empty()) {
        select.Bind(2, nlohmann::json(std::string(object_id)).dump());
      }
      while (out.size() < limit) {
        MARAC_ASSIGN_OR_RETURN(const bool row, select.Step());
        if (!row) break;
        AuditEntry e = ReadAuditRow(select).entry;
        if (!object_id.empty() &&
            std::find(e.object_ids.begin(), e.object_ids.end(), object_id) ==
                e.object_ids.end()) {
          continue;
        }
        out.push_back(std::move(e));
      }
      return Status::Ok();
    }));
    return out;
  }

  // Writes the entry, its object ids split over as many entries as keep
  // each within kMaxAuditIdsPerEntry ids and kMaxAuditIdBytes bytes: a bulk
  // import of a hundred thousand records is several hundred entries, each
  // small enough for any page to return, and every id is kept.
  Status AppendAudit(const Actor& actor, AuditAction action,
                     std::string_view object_type,
                     const std::vector<std::string>& ids,
                     std::string_view outcome) {
    // Bytes as stored: each id JSON-encoded, with its comma.
    const auto stored = [](const std::string& id) {
      return nlohmann::json(id).dump().size() + 1;
    };
    if (ids.size() <= kMaxAuditIdsPerEntry) {
      std::size_t bytes = 0;
      for (const std::string& id : ids) bytes += stored(id);
      if (bytes <= kMaxAuditIdBytes) {
        return AppendOneAudit(actor, action, object_type, ids, outcome);
      }
    }
    // An id longer than the bound on its own (ids are 128 bytes over the
    // wire) goes alone in its entry, whole: ids are kept, never cut.
    std::vector<std::string> part;
    std::size_t bytes = 0;
    for (const std::string& id : ids) {
      const std::size_t size = stored(id);
      if (!part.empty() && (part.size() == kMaxAuditIdsPerEntry ||
                            bytes + size > kMaxAuditIdBytes)) {
        MARAC_RETURN_IF_ERROR(
            AppendOneAudit(actor, action, object_type, part, outcome));
        part.clear();
        bytes = 0;
      }
      part.push_back(id);
      bytes += size;
    }
    return AppendOneAudit(actor, action, object_type, part, outcome);
  }

  Status AppendOneAudit(const Actor& actor, AuditAction action,
                        std::string_view object_type,
                        const std::vector<std::string>& ids,
                        std::string_view outcome) {
    if (version_ < 4)
      return AppendUnchainedAudit(actor, action, object_type, ids, outcome);
    if (!insert_audit_) {
      MARAC_ASSIGN_OR_RETURN(
          Statement last,
          db_.Prepare("SELECT sequence, row_hash FROM audit_log ORDER BY "
                      "sequence DESC LIMIT 1"));
      MARAC_ASSIGN_OR_RETURN(
          Statement prepared,
          db_.Prepare("INSERT INTO audit_log (sequence, at, \"user\", role, "
                      "agency, purpose, action, object_type, object_ids, "
                      "outcome, request_id, peer, prev_hash, row_hash) VALUES "
                      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                      "?13, ?14)"));
      last_audit_ = std::move(last);
      insert_audit_ = std::move(prepared);
    }
    // Inside the caller's write transaction: the last entry cannot move.
    Statement& last = *last_audit_;
    const Result<bool> found = last.Step();
    if (!found.ok()) {
      last.Reset();
      return found.status();
    }
    const std::int64_t sequence = *found ? last.Int(0) + 1 : 1;
    const std::string prev = *found ? last.Text(1) : std::string(kChainStart);
    last.Reset();
    AuditEntry e;
    e.at = NowUtc();
    e.user = actor.user;
    e.role = actor.role;
    e.agency = actor.agency;
    e.purpose = actor.purpose;
    e.action = std::string(AuditActionName(action));
    e.object_type = std::string(object_type);
    e.outcome = std::string(outcome);
    e.request_id = actor.request_id;
    e.peer = actor.peer;
    const std::string object_ids = JsonList(ids);
    MARAC_ASSIGN_OR_RETURN(
        const std::string hash,
        Sha256Hex(CanonicalAudit(sequence, e, object_ids, prev)));
    Statement& insert = *insert_audit_;
    insert.Bind(1, sequence)
        .Bind(2, e.at)
        .Bind(3, e.user)
        .Bind(4, e.role)
        .Bind(5, e.agency)
        .Bind(6, e.purpose)
        .Bind(7, e.action)
        .Bind(8, e.object_type)
        .Bind(9, object_ids)
        .Bind(10, e.outcome)
        .Bind(11, e.request_id)
        .Bind(12, e.peer)
        .Bind(13, prev)
        .Bind(14, hash);
    return insert.Run();
  }

  // Files opened at a schema before 4 (tests of upgrades only).
  Status AppendUnchainedAudit(const Actor& actor, AuditAction action,
                              std::string_view object_type,
                              const std::vector<std::string>& ids,
                              std::string_view outcome) {
    MARAC_ASSIGN_OR_RETURN(
        Statement insert,
        db_.Prepare("INSERT INTO audit_log (at, \"user\", role, agency, "
                    "purpose, action, object_type, object_ids, outcome) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    insert.Bind(1, NowUtc())
        .Bind(2, actor.user)
        .Bind(3, actor.role)
        .Bind(4, actor.agency)
        .Bind(5, actor.purpose)
        .Bind(6, AuditActionName(action))
        .Bind(7, object_type)
        .Bind(8, JsonList(ids))
        .Bind(9, outcome);
    return insert.Run();
  }

  // Runs `sql` (no parameters) and `row` on each row it returns, stopping
  // at the first error.
  template <typename Row>
  Status EachRow(std::string_view sql, const Row& row) {
    MARAC_ASSIGN_OR_RETURN(Statement select, db_.Prepare(sql));
    for (;;) {
      MARAC_ASSIGN_OR_RETURN(const bool more, select.Step());
      if (!more) return Status::Ok();
      MARAC_RETURN_IF_ERROR(row(select));
    }
  }

  // One transaction: `body`, then its audit row, then COMMIT. A body that
  // fails is rolled back, and its refusal is audited on its own.
  template <typename Body>
  Status Write(const Actor& actor, AuditAction action,
               std::string_view object_type,
               const std::vector<std::string>& ids, const Body& body) {
    const std::lock_guard<std::mutex> lock(mutex_);
    {
      MARAC_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
      const Status done = body();
      if (done.ok()) {
        MARAC_RETURN_IF_ERROR(
            AppendAudit(actor, action, object_type, ids, "ok"));
        return tx.Commit();
      }
      if (done.code() != StatusCode::kInvalidArgument &&
          done.code() != StatusCode::kAlreadyExists &&
          done.code() != StatusCode::kPermissionDenied &&
          done.code() != StatusCode::kNotFound) {
        return done;  // The store itself failed: nothing more to write.
      }
      // Rolled back when tx leaves this scope; the refusal is audited below.
      refusal_ = done;
    }
    const Status refused = std::exchange(refusal_, Status::Ok());
    MARAC_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
    MARAC_RETURN_IF_ERROR(AppendAudit(actor, action, object_type, ids,
                                      StatusCodeName(refused.code())));
    MARAC_RETURN_IF_ERROR(tx.Commit());
    return refused;
  }

  // A read, audited as a consultation in the same transaction; the read
  // fails if its audit row cannot be written. The actor's deadline is
  // checked once the lock is held and interrupts the body's statements;
  // a read it stops is rolled back and not audited (nothing was
  // consulted). The audit row and COMMIT run without it: once the body
  // has read everything the read completes.
  template <typename Body>
  Status Read(const Actor& actor, std::string_view object_type,
              const std::vector<std::string>& ids, const Body& body) {
    MARAC_RETURN_IF_ERROR(CheckActor(actor, true));
    const std::lock_guard<std::mutex> lock(mutex_);
    MARAC_RETURN_IF_ERROR(Reading(actor.deadline.Check(object_type)));
    MARAC_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db_));
    {
      // Destroyed before tx: its ROLLBACK, or the COMMIT, is never
      // interrupted.
      db::InterruptAt interrupt(db_, actor.deadline, object_type);
      const Status read = body();
      // A statement the deadline stopped may have failed in any way (or in
      // none the body noticed): the deadline is the reason.
      MARAC_RETURN_IF_ERROR(Reading(interrupt.stopped()));
      MARAC_RETURN_IF_ERROR(read);
    }
    MARAC_RETURN_IF_ERROR(
        AppendAudit(actor, AuditAction::kConsult, object_type, ids, "ok"));
    return tx.Commit();
  }

  // `stopped`, a deadline's status naming what was read, as the store's:
  // "store: reading record: the deadline passed".
  static Status Reading(const Status& stopped) {
    if (stopped.ok()) return Status::Ok();
    return Status(stopped.code(), "store: reading " + stopped.message());
  }

  Connection db_;
  // Statements of the referral path, prepared once (declared after db_, so
  // finalised before it closes).
  std::optional<Statement> existing_;
  std::optional<Statement> insert_referral_;
  std::optional<Statement> insert_details_;
  std::optional<Statement> insert_child_;
  std::optional<Statement> known_record_;
  std::optional<Statement> known_assessment_;
  std::optional<Statement> last_audit_;
  std::optional<Statement> insert_audit_;
  int version_;
  std::mutex mutex_;
  Status refusal_;
};

}  // namespace

std::string_view AuditActionName(AuditAction action) {
  switch (action) {
    case AuditAction::kCollect:
      return "collect";
    case AuditAction::kAlter:
      return "alter";
    case AuditAction::kConsult:
      return "consult";
    case AuditAction::kDisclose:
      return "disclose";
    case AuditAction::kCombine:
      return "combine";
    case AuditAction::kErase:
      break;
  }
  return "erase";
}

int LatestSchemaVersion() { return kLatestSchema; }

namespace {

// Brings the store on `db` to options.schema_version (the latest when 0),
// all steps in one transaction: a failed upgrade leaves it as it was.
// `name` says which store in messages.
Result<std::unique_ptr<Store>> Migrated(Connection db, const std::string& name,
                                        const StoreOptions& options) {
  const int target =
      options.schema_version > 0 ? options.schema_version : kLatestSchema;
  const std::string prefix = "store " + name + ": ";
  const auto named = [&](Status s) {
    return Status(s.code(), prefix + s.message());
  };
  Result<int> version = UserVersion(db);
  if (!version.ok()) return named(version.status());
  if (*version > kLatestSchema) {
    return FailedPrecondition(
        prefix + "schema version " + std::to_string(*version) +
        " is newer than this build's " + std::to_string(kLatestSchema));
  }
  if (*version < target) {
    Result<Transaction> tx = Transaction::Begin(db);
    if (!tx.ok()) return named(tx.status());
    // Another server may have migrated while this one waited for the lock.
    version = UserVersion(db);
    if (!version.ok()) return named(version.status());
    if (*version < target) {
      const Status migrated = MigrateSchema(db, *version, target);
      if (!migrated.ok()) return named(migrated);
      const Status set = SetUserVersion(db, target);
      if (!set.ok()) return named(set);
      version = target;
    }
    const Status committed = tx->Commit();
    if (!committed.ok()) return named(committed);
  }
  return std::unique_ptr<Store>(new SqlStore(std::move(db), *version));
}

Status CheckOptions(const StoreOptions& options) {
  if (options.schema_version > kLatestSchema) {
    return InvalidArgument("schema_version", "this build knows up to " +
                                                 std::to_string(kLatestSchema));
  }
  if (options.max_pages < 0) return InvalidArgument("max_pages", "negative");
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options) {
  MARAC_RETURN_IF_ERROR(CheckOptions(options));
  MARAC_ASSIGN_OR_RETURN(Connection db, db::OpenSqlite(path, options.create));
  const std::string prefix = "store " + path + ": ";
  const auto named = [&](Status s) {
    return Status(s.code(), prefix + s.message());
  };
  // The first read tells a database from any other file.
  const Status pragmas = db.Exec(
      "PRAGMA busy_timeout = " + std::to_string(options.busy_timeout_ms) +
      "; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
      "PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;");
  if (!pragmas.ok()) return named(pragmas);
  if (options.max_pages > 0) {
    const Status quota =
        db.Exec("PRAGMA max_page_count = " + std::to_string(options.max_pages));
    if (!quota.ok()) return named(quota);
  }
  {
    MARAC_ASSIGN_OR_RETURN(Statement check, db.Prepare("PRAGMA quick_check"));
    Result<bool> row = check.Step();
    if (!row.ok()) return named(row.status());
    if (!*row || check.Text(0) != "ok") {
      return Status(StatusCode::kDataLoss,
                    prefix + "failed its integrity check: " +
                        (*row ? check.Text(0) : std::string("no answer")));
    }
  }
  return Migrated(std::move(db), path, options);
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri,
                                                 const StoreOptions& options) {
  MARAC_RETURN_IF_ERROR(CheckOptions(options));
  if (options.max_pages > 0) {
    return InvalidArgument("max_pages",
                           "a quota in pages is SQLite's; PostgreSQL's space "
                           "is the server's to limit");
  }
  // Waits for another server's transaction as SQLite waits for a writer;
  // every commit is flushed to disk before it is acknowledged.
  MARAC_ASSIGN_OR_RETURN(
      Connection db,
      db::OpenPostgres(
          uri, "SET lock_timeout = " + std::to_string(options.busy_timeout_ms) +
                   "; SET synchronous_commit = on; SET "
                   "client_encoding = 'UTF8'"));
  return Migrated(std::move(db), "postgresql", options);
}

bool IsPostgresUri(std::string_view location) {
  return location.starts_with("postgresql://") ||
         location.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& location,
                                         const StoreOptions& options) {
  if (IsPostgresUri(location)) return OpenPostgresStore(location, options);
  return OpenSqliteStore(location, options);
}

}  // namespace marac
