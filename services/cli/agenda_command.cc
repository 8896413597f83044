#include "services/cli/agenda_command.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "marac/identity/resolver.h"
#include "marac/report/statistics.h"
#include "services/cli/commands.h"
#include "services/cli/input_file.h"
#include "services/cli/progress.h"
#include "services/cli/record_csv.h"
#include "services/cli/remote_client.h"

namespace marac {
namespace {

// Prints `status` for `command` and gives its exit code.
int Fail(std::ostream& err, std::string_view command, const Status& status) {
  err << "marac " << command << ": " << status.message() << "\n";
  return status.code() == StatusCode::kInvalidArgument ? kExitBadInput
                                                       : kExitFailure;
}

// Who runs a store command, for the audit log: --user, else $USER.
Actor CliActor(const std::string& user, std::string role, std::string purpose) {
  const char* env_user = std::getenv("USER");
  return {!user.empty() ? user : (env_user != nullptr ? env_user : "cli"),
          std::move(role), "", std::move(purpose)};
}

}  // namespace

int RunAgenda(const AgendaCommandOptions& options, std::ostream& out,
              std::ostream& err) {
  const auto fail = [&](const Status& s) { return Fail(err, "agenda", s); };
  const Result<Date> date = Date::Parse("--meeting", options.meeting);
  if (!date.ok()) return fail(date.status());
  Date cutoff = date->AddDays(-7);
  if (!options.cutoff.empty()) {
    const Result<Date> c = Date::Parse("--cutoff", options.cutoff);
    if (!c.ok()) return fail(c.status());
    cutoff = *c;
  }
  if (options.capacity <= 0) {
    return fail(InvalidArgument("--capacity", "must be 1 or more cases"));
  }
  if (options.format != "json" && options.format != "md" &&
      options.format != "html") {
    return fail(InvalidArgument(
        "--format", "'" + options.format + "' is not json, md or html"));
  }
  if (options.view != "circulated" && options.view != "chair") {
    return fail(InvalidArgument(
        "--view", "'" + options.view + "' is not circulated or chair"));
  }
  if (options.remote != nullptr) {
    if (options.view != "circulated" || !options.policy_file.empty()) {
      return fail(InvalidArgument(
          options.view != "circulated" ? "--view" : "--priority-policy",
          "not with --server: the server uses its own policy and sends the "
          "circulated view"));
    }
    if (options.area.empty()) {
      return fail(InvalidArgument("--area", "required with --server"));
    }
    const Result<std::string> text = options.remote->Agenda(
        options.area, *date,
        options.cutoff.empty() ? std::nullopt : std::optional<Date>(cutoff),
        options.capacity, options.save, options.format,
        "MARAC agenda for " + date->ToString());
    if (!text.ok()) return fail(text.status());
    out << *text;
    return kExitOk;
  }
  if (options.store.empty()) {
    return fail(InvalidArgument("--store", "required (or --server)"));
  }
  Result<std::unique_ptr<Store>> store =
      OpenSqliteStore(options.store, {.create = false});
  if (!store.ok()) return fail(store.status());
  const Actor actor =
      CliActor(options.user, options.view == "chair" ? "chair" : "coordinator",
               "MARAC agenda for " + date->ToString());
  const AgendaMeeting meeting{
      "M-" + date->ToString() +
          (options.area.empty() ? "" : "-" + options.area),
      options.area,
      *date,
      cutoff,
      options.capacity,
      0};
  PriorityPolicy policy;
  if (!options.policy_file.empty()) {
    const Result<std::string> text =
        ReadInputFile(options.policy_file, "--priority-policy");
    if (!text.ok()) return fail(text.status());
    const Result<PriorityPolicy> loaded = ParsePriorityPolicy(*text);
    if (!loaded.ok()) {
      return fail(InvalidArgument("--priority-policy " + options.policy_file,
                                  loaded.status().message()));
    }
    policy = *loaded;
  }
  const Result<Agenda> agenda =
      AgendaFromStore(**store, actor, meeting, policy);
  if (!agenda.ok()) return fail(agenda.status());
  const AgendaView view =
      options.view == "chair" ? AgendaView::kChair : AgendaView::kCirculated;
  if (options.save) {
    const Status m = (*store)->PutMeeting(
        actor,
        {meeting.meeting_id, options.area.empty() ? "all" : options.area,
         meeting.date, meeting.referral_cutoff, meeting.capacity_cases, 0});
    if (!m.ok()) return fail(m);
    const Status saved = (*store)->SaveAgenda(
        actor, {meeting.meeting_id, meeting.meeting_id, policy.version,
                AgendaJson(*agenda, AgendaView::kCirculated, policy)});
    if (!saved.ok()) return fail(saved);
  }
  if (options.format == "json") {
    out << AgendaJson(*agenda, view, policy);
  } else if (options.format == "md") {
    out << AgendaMarkdown(*agenda, view, policy);
  } else {
    out << AgendaHtml(*agenda, view, policy);
  }
  return kExitOk;
}

int RunReport(const ReportCommandOptions& options, std::ostream& out,
              std::ostream& err) {
  const auto fail = [&](const Status& s) { return Fail(err, "report", s); };
  const Result<Date> from = Date::Parse("--from", options.from);
  if (!from.ok()) return fail(from.status());
  const Result<Date> to = Date::Parse("--to", options.to);
  if (!to.ok()) return fail(to.status());
  if (*to < *from) return fail(InvalidArgument("--to", "before --from"));
  if (options.format != "json" && options.format != "md" &&
      options.format != "html") {
    return fail(InvalidArgument(
        "--format", "'" + options.format + "' is not json, md or html"));
  }
  if (options.adult_women < 0) {
    return fail(InvalidArgument("--adult-women", "negative"));
  }
  const std::string purpose =
      "statistics return " + from->ToString() + " to " + to->ToString();
  if (options.remote != nullptr) {
    const Result<std::string> text = options.remote->Report(
        *from, *to, options.adult_women, options.format, purpose);
    if (!text.ok()) return fail(text.status());
    out << *text;
    return kExitOk;
  }
  if (options.store.empty()) {
    return fail(InvalidArgument("--store", "required (or --server)"));
  }
  Result<std::unique_ptr<Store>> store =
      OpenSqliteStore(options.store, {.create = false});
  if (!store.ok()) return fail(store.status());
  const Actor actor = CliActor(options.user, "coordinator", purpose);
  const Result<StatisticsInput> input =
      StatisticsInputFromStore(**store, actor);
  if (!input.ok()) return fail(input.status());
  const Result<Statistics> statistics = ComputeStatistics(
      *input, *from, *to, {.adult_women = options.adult_women});
  if (!statistics.ok()) return fail(statistics.status());
  if (options.format == "json") {
    out << StatisticsJson(*statistics);
  } else if (options.format == "md") {
    out << StatisticsMarkdown(*statistics);
  } else {
    out << StatisticsHtml(*statistics);
  }
  return kExitOk;
}

int RunImport(const ImportCommandOptions& options, std::ostream& out,
              std::ostream& err) {
  const auto fail = [&](const Status& s) { return Fail(err, "import", s); };
  ProgressLines progress(err, "marac import", options.progress);
  std::size_t files_read = 0;
  const std::size_t file_count =
      options.records.size() + !options.incidents.empty() +
      !options.assessments.empty() + !options.referrals.empty() +
      !options.idva.empty();
  // Read and check everything first.
  std::vector<PersonRecord> records;
  for (const std::string& path : options.records) {
    progress.Update("reading files", files_read++, file_count);
    const Result<std::string> text = ReadInputFile(path, "--records");
    if (!text.ok()) return fail(text.status());
    const Status read =
        ReadRecordCsv(*text, path, RecordFormat::kMarac, records);
    if (!read.ok()) return fail(read);
  }
  std::vector<StoredIncident> incidents;
  std::vector<StoredAssessment> assessments;
  std::vector<StoredReferral> referrals;
  std::vector<IdvaSupport> idva;
  const struct {
    const std::string& path;
    const char* option;
    std::function<Status(const std::string&)> read;
  } files[] = {
      {options.incidents, "--incidents",
       [&](const std::string& t) {
         return ReadIncidentCsv(t, options.incidents, incidents);
       }},
      {options.assessments, "--assessments",
       [&](const std::string& t) {
         return ReadAssessmentCsv(t, options.assessments, assessments);
       }},
      {options.referrals, "--referrals",
       [&](const std::string& t) {
         return ReadReferralCsv(t, options.referrals, referrals);
       }},
      {options.idva, "--idva",
       [&](const std::string& t) {
         return ReadIdvaSupportCsv(t, options.idva, idva);
       }},
  };
  for (const auto& f : files) {
    if (f.path.empty()) continue;
    progress.Update("reading files", files_read++, file_count);
    const Result<std::string> text = ReadInputFile(f.path, f.option);
    if (!text.ok()) return fail(text.status());
    const Status read = f.read(*text);
    if (!read.ok()) return fail(read);
  }
  if (options.remote != nullptr) {
    if (!incidents.empty() || !assessments.empty() || !idva.empty() ||
        options.link) {
      return fail(InvalidArgument(
          !incidents.empty()     ? "--incidents"
          : !assessments.empty() ? "--assessments"
          : !idva.empty()        ? "--idva"
                                 : "--link",
          "not with --server: the service takes records (resolved as each "
          "arrives) and referrals; import the rest into its store"));
    }
    for (std::size_t k = 0; k < records.size(); ++k) {
      // One call each: minutes for a large file.
      progress.Update("resolving records on the server", k, records.size());
      const PersonRecord& r = records[k];
      const Result<std::string> person = options.remote->ResolveRecord(
          r, "identity resolution of an imported record");
      if (!person.ok()) {
        return fail(
            Status(person.status().code(),
                   "record " + r.record_id + ": " + person.status().message()));
      }
    }
    std::size_t replayed = 0;
    for (std::size_t k = 0; k < referrals.size(); ++k) {
      progress.Update("submitting referrals", k, referrals.size());
      const StoredReferral& r = referrals[k];
      const Result<RemoteSubmitted> sent = options.remote->SubmitReferral(r);
      if (!sent.ok()) {
        return fail(Status(
            sent.status().code(),
            "referral " + r.submission_id + ": " + sent.status().message()));
      }
      replayed += sent->replayed;
    }
    out << "marac import: " << records.size() << " records resolved, "
        << referrals.size() - replayed << " referrals submitted";
    if (replayed > 0) {
      out << " (" << replayed << " already stored, not repeated)";
    }
    out << "\n";
    return kExitOk;
  }
  if (options.store.empty()) {
    return fail(InvalidArgument("--store", "required (or --server)"));
  }
  Result<std::unique_ptr<Store>> opened = OpenSqliteStore(options.store);
  if (!opened.ok()) return fail(opened.status());
  Store& store = **opened;
  Actor actor = CliActor(options.user, "coordinator", "import into the store");
  // Each file is one transaction: the count moves a file at a time.
  const std::size_t rows = records.size() + incidents.size() +
                           assessments.size() + referrals.size() + idva.size();
  std::size_t stored = 0;
  if (!records.empty()) {
    progress.Update("storing rows", stored, rows);
    const Status s = store.PutRecords(actor, records);
    if (!s.ok()) return fail(s);
    stored += records.size();
  }
  if (!incidents.empty()) {
    progress.Update("storing rows", stored, rows);
    const Status s = store.PutIncidents(actor, incidents);
    if (!s.ok()) return fail(s);
    stored += incidents.size();
  }
  if (!assessments.empty()) {
    progress.Update("storing rows", stored, rows);
    const Status s = store.PutAssessments(actor, assessments);
    if (!s.ok()) return fail(s);
    stored += assessments.size();
  }
  std::size_t duplicates = 0;
  if (!referrals.empty()) {
    progress.Update("storing rows", stored, rows);
    const Result<std::vector<SubmitOutcome>> s =
        store.SubmitReferrals(actor, referrals);
    if (!s.ok()) return fail(s.status());
    for (const SubmitOutcome& o : *s) duplicates += o.duplicate;
    stored += referrals.size();
  }
  if (!idva.empty()) {
    progress.Update("storing rows", stored, rows);
    const Status s = store.PutIdvaSupport(actor, idva);
    if (!s.ok()) return fail(s);
  }
  out << "marac import: " << records.size() << " records, " << incidents.size()
      << " incidents, " << assessments.size() << " assessments, "
      << referrals.size() - duplicates << " referrals stored";
  if (duplicates > 0) {
    out << " (" << duplicates << " already stored, not repeated)";
  }
  if (!idva.empty()) out << "; " << idva.size() << " IDVA allocations stored";
  out << "\n";
  if (!options.link) return kExitOk;

  // Resolve every stored record, keeping earlier ids and decisions.
  actor.purpose = "identity resolution of the stored records";
  progress.Update("reading the stored records", 0, 0);
  const Result<std::vector<PersonRecord>> all = store.Records(actor);
  if (!all.ok()) return fail(all.status());
  const auto people = store.People(actor);
  if (!people.ok()) return fail(people.status());
  const Result<std::vector<ReviewDecision>> decisions =
      store.ReviewDecisions(actor);
  if (!decisions.ok()) return fail(decisions.status());
  ResolveOptions resolve;
  for (const auto& [record, person] : *people) {
    resolve.earlier_person_of.emplace(record, person);
  }
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::uint32_t i = 0; i < all->size(); ++i) {
    index.emplace((*all)[i].record_id, i);
  }
  for (const ReviewDecision& d : *decisions) {
    const auto l = index.find(d.record_id_l);
    const auto r = index.find(d.record_id_r);
    if (l != index.end() && r != index.end()) {
      resolve.decisions.push_back({l->second, r->second, d.same});
    }
  }
  resolve.progress = progress.Callback();
  const Result<Resolution> resolution = Resolve(*all, resolve);
  if (!resolution.ok()) return fail(resolution.status());
  std::vector<std::pair<std::string, std::string>> record_person;
  for (std::size_t i = 0; i < all->size(); ++i) {
    record_person.emplace_back((*all)[i].record_id, resolution->person_of[i]);
  }
  progress.Update("storing people", 0, 0);
  const Status saved =
      store.SavePeople(actor, record_person, resolution->events);
  if (!saved.ok()) return fail(saved);
  const std::set<std::string> distinct(resolution->person_of.begin(),
                                       resolution->person_of.end());
  out << "marac import: " << all->size() << " stored records are "
      << distinct.size() << " people; " << resolution->events.size()
      << " merges or splits recorded; " << resolution->review.size()
      << " pairs for review\n";
  return kExitOk;
}

int RunAuditVerify(const AuditVerifyCommandOptions& options, std::ostream& out,
                   std::ostream& err) {
  const auto fail = [&](const Status& s) {
    return Fail(err, "audit verify", s);
  };
  std::optional<std::pair<std::int64_t, std::string>> anchor;
  if (!options.expect_head.empty()) {
    const std::string& head = options.expect_head;
    const std::size_t colon = head.find(':');
    const std::string number = head.substr(0, colon);
    const std::string hash =
        colon == std::string::npos ? "" : head.substr(colon + 1);
    if (number.empty() || number.size() > 18 ||
        number.find_first_not_of("0123456789") != std::string::npos ||
        hash.size() != 64 ||
        hash.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return fail(
          InvalidArgument("--expect-head",
                          "not SEQUENCE:HASH (a number, a colon and 64 "
                          "lower-case hex digits, as verify printed it)"));
    }
    anchor.emplace(std::stoll(number), hash);
  }
  Result<std::unique_ptr<Store>> store =
      OpenSqliteStore(options.store, {.create = false});
  if (!store.ok()) return fail(store.status());
  const Actor actor =
      CliActor(options.user, "auditor", "verify the audit hash chain");
  const Result<AuditVerification> v = (*store)->VerifyAudit(actor, anchor);
  if (!v.ok()) return fail(v.status());
  if (!v->intact) {
    err << "marac audit verify: the audit chain is BROKEN at entry "
        << v->broken_at << ": " << v->problem << " (" << v->entries
        << " entries read)\n";
    return kExitTampered;
  }
  out << "marac audit verify: the audit chain is intact: " << v->entries
      << " entries" << (anchor ? ", including the recorded head" : "")
      << "; head " << v->head_sequence << ":" << v->head_hash
      << " (record it to check the log is never cut back past it)\n";
  return kExitOk;
}

namespace {

// A field of a who-saw line: a tab, line break or other control character
// in it (a caller's purpose may hold any) is written as an escape, so that
// no field can forge a line or a column.
std::string Field(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (u < 0x20 || u == 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

int RunAuditWhoSaw(const AuditWhoSawCommandOptions& options, std::ostream& out,
                   std::ostream& err) {
  const auto fail = [&](const Status& s) {
    return Fail(err, "audit who-saw", s);
  };
  if (options.object.empty()) {
    return fail(InvalidArgument("--object", "required: the id to look for"));
  }
  const std::string purpose = "who has seen " + options.object;
  std::vector<AuditEntry> entries;
  if (options.remote != nullptr) {
    Result<std::vector<AuditEntry>> got =
        options.remote->AuditMentioning(options.object, purpose);
    if (!got.ok()) return fail(got.status());
    entries = *std::move(got);
  } else {
    if (options.store.empty()) {
      return fail(InvalidArgument("--store", "required (or --server)"));
    }
    Result<std::unique_ptr<Store>> store =
        OpenSqliteStore(options.store, {.create = false});
    if (!store.ok()) return fail(store.status());
    const Actor actor = CliActor(options.user, "auditor", purpose);
    // A page at a time, as a server would: the log may be long.
    constexpr std::size_t kPage = 1000;
    std::int64_t after = 0;
    for (;;) {
      Result<std::vector<AuditEntry>> page =
          (*store)->AuditMentioning(actor, options.object, after, kPage);
      if (!page.ok()) return fail(page.status());
      if (page->empty()) break;
      after = page->back().sequence;
      const bool last = page->size() < kPage;
      entries.insert(entries.end(), std::make_move_iterator(page->begin()),
                     std::make_move_iterator(page->end()));
      if (last) break;
    }
  }
  const auto saw = [](const AuditEntry& e) {
    return e.action == "disclose" && e.outcome == "ok";
  };
  std::set<std::string> users;
  std::size_t shown = 0;
  for (const AuditEntry& e : entries) {
    if (saw(e)) users.insert(e.user);
  }
  out << "marac audit who-saw " << options.object << ": " << users.size()
      << (users.size() == 1 ? " caller has" : " callers have") << " seen it; "
      << entries.size() << " audit entries name it\n";
  for (const AuditEntry& e : entries) {
    if (!options.all && !saw(e)) continue;
    if (shown++ == 0) {
      out << "sequence\tat\tuser\trole\tagency\taction\toutcome\t"
             "request_id\tpurpose\n";
    }
    out << e.sequence << "\t" << Field(e.at) << "\t" << Field(e.user) << "\t"
        << Field(e.role) << "\t" << Field(e.agency) << "\t" << Field(e.action)
        << "\t" << Field(e.outcome) << "\t" << Field(e.request_id) << "\t"
        << Field(e.purpose) << "\n";
  }
  return kExitOk;
}

}  // namespace marac
