// `marac import`: a coordinator's files into the store, or through a server.
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "marac/identity/resolver.h"
#include "marac/report/statistics.h"
#include "services/casework/people.h"
#include "services/cli/agenda_command.h"
#include "services/cli/commands.h"
#include "services/cli/input_file.h"
#include "services/cli/progress.h"
#include "services/cli/record_csv.h"
#include "services/cli/remote_client.h"
#include "services/cli/store_command.h"

namespace marac {

using cli::CliActor;
using cli::Fail;

int RunImport(const ImportCommandOptions& options, std::ostream& out,
              std::ostream& err) {
  const auto fail = [&](const Status& s) { return Fail(err, "import", s); };
  ProgressLines progress(err, "marac import", options.progress);
  std::size_t files_read = 0;
  const std::size_t file_count =
      options.records.size() + !options.incidents.empty() +
      !options.assessments.empty() + !options.referrals.empty() +
      !options.idva.empty() + !options.visits.empty() +
      !options.sessions.empty();
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
  std::vector<OneStopShopVisit> visits;
  std::vector<OneStopShopSession> sessions;
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
      {options.visits, "--visits",
       [&](const std::string& t) {
         return ReadVisitCsv(t, options.visits, visits);
       }},
      {options.sessions, "--sessions",
       [&](const std::string& t) {
         return ReadSessionCsv(t, options.sessions, sessions);
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
        !visits.empty() || !sessions.empty() || options.link) {
      return fail(InvalidArgument(
          !incidents.empty()     ? "--incidents"
          : !assessments.empty() ? "--assessments"
          : !idva.empty()        ? "--idva"
          : !visits.empty()      ? "--visits"
          : !sessions.empty()    ? "--sessions"
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
  Result<std::unique_ptr<Store>> opened =
      cli::OpenCommandStore(options.store, /*create=*/true);
  if (!opened.ok()) return fail(opened.status());
  Store& store = **opened;
  Actor actor = CliActor(options.user, "coordinator", "import into the store");
  // Each file is one transaction: the count moves a file at a time.
  const std::size_t rows = records.size() + incidents.size() +
                           assessments.size() + referrals.size() + idva.size() +
                           visits.size() + sessions.size();
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
    stored += idva.size();
  }
  if (!visits.empty()) {
    progress.Update("storing rows", stored, rows);
    const Status s = store.PutVisits(actor, visits);
    if (!s.ok()) return fail(s);
    stored += visits.size();
  }
  if (!sessions.empty()) {
    progress.Update("storing rows", stored, rows);
    const Status s = store.PutSessions(actor, sessions);
    if (!s.ok()) return fail(s);
  }
  out << "marac import: " << records.size() << " records, " << incidents.size()
      << " incidents, " << assessments.size() << " assessments, "
      << referrals.size() - duplicates << " referrals stored";
  if (duplicates > 0) {
    out << " (" << duplicates << " already stored, not repeated)";
  }
  if (!idva.empty()) out << "; " << idva.size() << " IDVA allocations stored";
  if (!visits.empty() || !sessions.empty()) {
    out << "; " << visits.size() << " One Stop Shop visits and "
        << sessions.size() << " sessions stored";
  }
  out << "\n";
  if (!options.link) return kExitOk;

  // Resolve every stored record, keeping earlier ids and decisions.
  actor.purpose = "identity resolution of the stored records";
  progress.Update("reading the stored records", 0, 0);
  Result<StoredPeople> people = LoadPeople(store, actor);
  if (!people.ok()) return fail(people.status());
  const std::vector<PersonRecord>* all = &people->records;
  AddDecisions(people->decisions, *all, people->options);
  people->options.progress = progress.Callback();
  Result<Resolution> resolution = Resolve(*all, people->options);
  if (!resolution.ok()) return fail(resolution.status());
  progress.Update("storing people", 0, 0);
  const Status saved =
      SaveResolvedPeople(store, actor, *all, people->options, *resolution);
  if (!saved.ok()) return fail(saved);
  const std::set<std::string> distinct(resolution->person_of.begin(),
                                       resolution->person_of.end());
  out << "marac import: " << all->size() << " stored records are "
      << distinct.size() << " people; " << resolution->events.size()
      << " merges or splits recorded; " << resolution->review.size()
      << " pairs for review\n";
  return kExitOk;
}

}  // namespace marac
