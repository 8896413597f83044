// Argument parsing and dispatch for `marac`. CLI11 does the parsing; every
// usage error exits 2 with CLI11's message naming the option.
#include <CLI/CLI.hpp>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "services/cli/agenda_command.h"
#include "services/cli/commands.h"
#include "services/cli/meeting_command.h"
#include "services/cli/remote_client.h"
#include "services/cli/store_command.h"
#include "services/version/version.h"

namespace marac {
namespace {

constexpr std::size_t kMaxConfigBytes = 1 << 20;

Result<std::string> ReadFile(const std::string& path, std::string_view option) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return InvalidArgument(option, path + ": cannot open the file");
  }
  std::string text;
  char chunk[16 * 1024];
  while (file.read(chunk, sizeof chunk) || file.gcount() > 0) {
    text.append(chunk, static_cast<std::size_t>(file.gcount()));
    if (text.size() > kMaxConfigBytes) {
      return InvalidArgument(option, path + ": larger than 1 MiB");
    }
  }
  if (file.bad()) return InvalidArgument(option, path + ": read error");
  return text;
}

// Builds the instrument set and policy from the command's files.
Status LoadConfiguration(const std::vector<std::string>& instrument_files,
                         const std::vector<std::string>& wording_files,
                         const std::string& policy_file,
                         InstrumentSet& instruments, ScoringPolicy& policy) {
  instruments = InstrumentSet::BuiltIn();
  for (const std::string& path : instrument_files) {
    MARAC_ASSIGN_OR_RETURN(const std::string text,
                           ReadFile(path, "--instrument"));
    Result<std::shared_ptr<const Instrument>> instrument =
        Instrument::FromJson(text);
    if (!instrument.ok()) {
      return InvalidArgument("--instrument " + path,
                             instrument.status().message());
    }
    instruments.Put(*std::move(instrument));
  }
  for (const std::string& path : wording_files) {
    MARAC_ASSIGN_OR_RETURN(const std::string text, ReadFile(path, "--wording"));
    // The wording names its instrument; find it, then attach.
    bool attached = false;
    Status last =
        InvalidArgument("--wording " + path, "names no known instrument");
    for (const auto& instrument : instruments.all()) {
      Result<std::shared_ptr<const Instrument>> worded =
          instrument->WithWording(text);
      if (worded.ok()) {
        instruments.Put(*std::move(worded));
        attached = true;
        break;
      }
      if (worded.status().message().rfind("instrument:", 0) != 0) {
        last = InvalidArgument("--wording " + path, worded.status().message());
      }
    }
    if (!attached) return last;
  }
  policy = ScoringPolicy::Default();
  if (!policy_file.empty()) {
    MARAC_ASSIGN_OR_RETURN(const std::string text,
                           ReadFile(policy_file, "--policy"));
    Result<ScoringPolicy> loaded = ScoringPolicy::FromJson(text);
    if (!loaded.ok()) {
      return InvalidArgument("--policy " + policy_file,
                             loaded.status().message());
    }
    policy = *std::move(loaded);
  }
  return Status::Ok();
}

void PrintInstruments(const InstrumentSet& instruments, std::ostream& out) {
  for (const auto& instrument : instruments.all()) {
    out << instrument->id() << " (version " << instrument->version() << ", "
        << instrument->item_count() << " items): " << instrument->title()
        << "\n";
    for (const InstrumentItem& item : instrument->items()) {
      out << "  " << item.number << ". " << item.key << ": " << item.label;
      if (item.ric_number && instrument->id() != "safelives-ric") {
        out << " [RIC " << *item.ric_number << "]";
      }
      for (const std::string& tag : item.high_harm_tags) out << " #" << tag;
      out << "\n";
      if (!item.wording.empty()) out << "     \"" << item.wording << "\"\n";
    }
  }
}

}  // namespace

int RunMain(int argc, char** argv, std::istream& in, std::ostream& out,
            std::ostream& err) {
  CLI::App app{"marac: DASH risk scoring, MARAC referral criteria and agendas",
               "marac"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Help for every subcommand");
  // Needs no subcommand, configuration or store: CLI11 stops at the flag.
  app.set_version_flag(
      "--version", std::string(),
      "Print the version, commit, store schema and default policy "
      "versions, one a line, and exit");
  // Options of every command, given before or after its name.
  app.fallthrough();
  std::string server_address;
  RemoteOptions remote_options;
  app.add_option("--server", server_address,
                 "Run the command against marac-server at host:port "
                 "(score, agenda, report, import)");
  std::string token_file;
  app.add_option("--role", remote_options.role,
                 "With --server: the role to act in, one of the caller's "
                 "(default: its first)");
  app.add_option("--token-file", token_file,
                 "With --server: a file holding the bearer token (default: "
                 "$MARAC_TOKEN); never give a token on the command line");
  app.add_option("--ca", remote_options.ca_file,
                 "With --server: the CA certificate (PEM) that signed the "
                 "server's (default: the system's roots)");
  app.add_option("--client-cert", remote_options.client_certificate_file,
                 "With --server: this client's certificate (PEM), for "
                 "mutual TLS");
  app.add_option("--client-key", remote_options.client_key_file,
                 "With --server: this client's private key (PEM)");
  app.add_flag("--plaintext", remote_options.plaintext,
               "With --server: no TLS (a development_plaintext server on "
               "loopback only)");
  app.add_option("--server-area", remote_options.area,
                 "With --server: the MARAC area `report` asks for");

  std::vector<std::string> instrument_files;
  std::vector<std::string> wording_files;
  std::string policy_file;
  auto add_config = [&](CLI::App* sub) {
    sub->add_option("--instrument", instrument_files,
                    "Instrument definition (JSON) replacing the built-in one "
                    "with the same id; repeatable")
        ->check(CLI::ExistingFile);
    sub->add_option("--wording", wording_files,
                    "Licensed question wording (JSON) to attach; repeatable")
        ->check(CLI::ExistingFile);
    sub->add_option("--policy", policy_file,
                    "Local scoring policy (marac-policy/1 JSON)")
        ->check(CLI::ExistingFile);
  };

  ScoreCommandOptions score_options;
  std::string input = "-";
  std::string today_text;
  CLI::App* score = app.add_subcommand(
      "score",
      "Score assessments: one JSON object, or JSON Lines with --jsonl");
  score->add_flag("--jsonl", score_options.jsonl,
                  "Input is JSON Lines; one result line per input line");
  score
      ->add_option("--max-input-bytes", score_options.max_input_bytes,
                   "Refuse a line (or document) longer than this")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{64} << 20));
  score->add_option(
      "--today", today_text,
      "Date taken as today (YYYY-MM-DD) for the future-date check");
  score->add_option("FILE", input, "Input file, or - for standard input");
  add_config(score);

  DemoCommandOptions demo_options;
  std::string demo_out;
  CLI::App* demo = app.add_subcommand(
      "demo", "Generate synthetic assessments, score them, print a summary");
  CLI::Option* demo_out_option = demo->add_option(
      "--out", demo_out, "Folder to write assessments.jsonl and results.jsonl");
  std::string demo_store;
  demo->add_option("--store", demo_store,
                   "With --out: load the year into this PostgreSQL store "
                   "(postgresql://..., an empty database) instead of "
                   "marac.db in the folder")
      ->needs(demo_out_option);
  demo->add_option("--seed", demo_options.seed, "Seed for the synthetic data");
  demo->add_option("--count", demo_options.count, "Number of assessments")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  demo->add_option("--people", demo_options.people,
                   "Number of invented people whose records are linked")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));

  AgendaCommandOptions agenda_options;
  CLI::App* agenda = app.add_subcommand(
      "agenda", "The next MARAC meeting's agenda from the store");
  agenda->add_option(
      "--store", agenda_options.store,
      "The store (a SQLite file or a postgresql:// URI); or --server");
  agenda
      ->add_option("--meeting", agenda_options.meeting,
                   "Meeting date, YYYY-MM-DD")
      ->required();
  agenda
      ->add_option("--capacity", agenda_options.capacity,
                   "Cases the meeting can hear")
      ->required();
  agenda->add_option("--format", agenda_options.format, "json | md | html");
  agenda->add_option("--view", agenda_options.view,
                     "circulated (agencies) | chair | research");
  agenda->add_option("--agency", agenda_options.agency,
                     "--view research: the agency the list is for (default: "
                     "the coordinator's full list)");
  agenda->add_option("--area", agenda_options.area,
                     "Only referrals of this area");
  agenda->add_option("--cutoff", agenda_options.cutoff,
                     "Referral cut-off, YYYY-MM-DD (default 7 days before)");
  agenda->add_flag("--save", agenda_options.save,
                   "Store the agenda: its cases count as heard afterwards");
  agenda->add_option("--priority-policy", agenda_options.policy_file,
                     "The priority policy, JSON (default: docs/agenda.md)");
  agenda->add_option("--bank-holidays", agenda_options.bank_holidays,
                     "A newer England and Wales bank-holiday table, "
                     "date,name CSV (default: the built-in one)");
  agenda->add_option("--user", agenda_options.user,
                     "Who is asking, for the audit log (default $USER)");

  ImportCommandOptions import_options;
  CLI::App* import =
      app.add_subcommand("import", "A coordinator's CSV files into the store");
  import->add_option("--store", import_options.store,
                     "The store (a SQLite file, created when absent, or a "
                     "postgresql:// URI); or --server");
  import->add_option("--records", import_options.records,
                     "Person records, in marac link's CSV layout (repeatable)");
  import->add_option("--incidents", import_options.incidents, "Incidents CSV");
  import->add_option("--assessments", import_options.assessments,
                     "Scored assessments CSV");
  import->add_option("--referrals", import_options.referrals, "Referrals CSV");
  import->add_option("--visits", import_options.visits,
                     "One Stop Shop visits CSV");
  import->add_option("--sessions", import_options.sessions,
                     "One Stop Shop sessions CSV (agencies committed and "
                     "present)");
  import->add_option("--idva", import_options.idva,
                     "IDVA allocations CSV (referral_id,idva_service,"
                     "allocated_on,engagement,closed_on)");
  import->add_flag("--link", import_options.link,
                   "Resolve every stored record into people (stable ids)");
  import->add_option("--user", import_options.user,
                     "Who imports, for the audit log (default $USER)");
  const auto add_progress = [](CLI::App* sub, ProgressOptions& progress) {
    sub->add_flag("--quiet", progress.quiet, "No progress lines on stderr");
    sub->add_option("--progress-every", progress.every_seconds,
                    "Seconds between progress lines on stderr (2; none in "
                    "a run shorter than that)")
        ->check(CLI::Range(0.0, 86400.0));
  };
  add_progress(import, import_options.progress);

  ReportCommandOptions report_options;
  CLI::App* report = app.add_subcommand(
      "report", "The statistics returns for a period, from the store");
  report->add_option(
      "--store", report_options.store,
      "The store (a SQLite file or a postgresql:// URI); or --server");
  report->add_option("--from", report_options.from, "First day, YYYY-MM-DD");
  report->add_option("--to", report_options.to,
                     "Last day, YYYY-MM-DD (with --one-stop-shops: the day "
                     "counted to, default today)");
  report->add_flag("--one-stop-shops", report_options.one_stop_shops,
                   "The One Stop Shops' yearly return (July to June)");
  report->add_option("--years", report_options.years,
                     "With --one-stop-shops: years reported (default 5)");
  report->add_flag("--compare-previous", report_options.compare_previous,
                   "Each figure beside the period of the same length before");
  report->add_option("--area", report_options.area,
                     "Only this MARAC area's referrals, incidents and "
                     "meetings (default: every area)");
  report->add_option("--format", report_options.format, "json | md | html");
  report->add_option("--adult-women", report_options.adult_women,
                     "Women aged 16 and over in the area (cases per 10,000)");
  report->add_option("--user", report_options.user,
                     "Who is asking, for the audit log (default $USER)");

  ReturnSafeLivesCommandOptions safelives_options;
  CLI::App* returns =
      app.add_subcommand("return", "The returns a MARAC files with others")
          ->require_subcommand(1);
  CLI::App* return_safelives = returns->add_subcommand(
      "safelives", "The quarterly MARAC data return for SafeLives (CSV, JSON)");
  return_safelives
      ->add_option("--store", safelives_options.store,
                   "The store (a SQLite file or a postgresql:// URI)")
      ->required();
  return_safelives
      ->add_option("--quarter", safelives_options.quarter,
                   "The calendar quarter, YYYYQn (2026Q3: July to September)")
      ->required();
  return_safelives->add_option("--format", safelives_options.format,
                               "csv | json");
  return_safelives->add_option("--area", safelives_options.area,
                               "Only this area's referrals and meetings");
  return_safelives->add_option(
      "--agency-map", safelives_options.agency_map,
      "Agency to SafeLives category mapping, JSON, replacing the built-in "
      "one (docs/cli.md)");
  return_safelives->add_option(
      "--user", safelives_options.user,
      "Who is asking, for the audit log (default $USER)");

  AuditVerifyCommandOptions audit_options;
  CLI::App* audit =
      app.add_subcommand("audit", "The audit log")->require_subcommand(1);
  CLI::App* audit_verify = audit->add_subcommand(
      "verify", "Recompute the audit log's hash chain (exit 3 when broken)");
  audit_verify
      ->add_option("--store", audit_options.store,
                   "The store (a SQLite file or a postgresql:// URI)")
      ->required();
  audit_verify->add_option(
      "--expect-head", audit_options.expect_head,
      "SEQUENCE:HASH printed by an earlier verify: the log must still hold it");
  audit_verify->add_option("--user", audit_options.user,
                           "Who verifies, for the audit log (default $USER)");
  AuditWhoSawCommandOptions who_saw_options;
  CLI::App* audit_who_saw = audit->add_subcommand(
      "who-saw",
      "Who has seen an object: the callers its ids were disclosed to");
  audit_who_saw->add_option("--store", who_saw_options.store,
                            "The store (a SQLite file or a postgresql:// URI); "
                            "or --server (auditor)");
  audit_who_saw
      ->add_option("--object", who_saw_options.object,
                   "The id to look for: a referral, record or agenda id")
      ->required();
  audit_who_saw->add_flag(
      "--all", who_saw_options.all,
      "Every entry naming it: reads, writes and refusals too");
  audit_who_saw->add_option("--user", who_saw_options.user,
                            "Who asks, for the audit log (default $USER)");

  LinkCommandOptions link_options;
  std::string link_format = "marac";
  std::string review_out;
  std::string explain_out;
  CLI::App* link = app.add_subcommand(
      "link", "Resolve which records are the same person (CSV in, CSV out)");
  link->add_option("--in", link_options.inputs,
                   "Records CSV; repeat for several sources")
      ->required()
      ->check(CLI::ExistingFile);
  link->add_option("--out", link_options.out,
                   "Where to write record_id,person_id")
      ->required();
  link->add_option("--review-out", review_out,
                   "Where to write the pairs left for a person to decide");
  link->add_option("--explain-out", explain_out,
                   "Where to write every scored pair's weights (JSON Lines)");
  std::string decisions;
  std::string earlier;
  std::string history_out;
  link->add_option("--decisions", decisions,
                   "CSV record_id_l,record_id_r,decision (same | not_same): "
                   "a person's verdicts, respected whatever the scores");
  link->add_option("--earlier", earlier,
                   "An earlier run's --out file: its person ids stay stable");
  link->add_option("--history-out", history_out,
                   "Write event,person_id,other_person_id: merges and splits "
                   "of earlier people");
  link->add_option("--format", link_format,
                   "Column layout of the inputs: marac | febrl | splink");
  link->add_option("--link-threshold", link_options.link_threshold,
                   "Merge pairs at or above this match probability (0.995)")
      ->check(CLI::Range(0.0, 1.0));
  link->add_option("--review-threshold", link_options.review_threshold,
                   "List pairs at or above this for review (0.5)")
      ->check(CLI::Range(0.0, 1.0));
  link->add_option("--dob-placeholder", link_options.dob_placeholders,
                   "A date of birth that means 'not known'; repeatable; "
                   "replaces the defaults (1900-01-01, 1970-01-01, ...)");
  MeetingRecordCommandOptions meeting_options;
  CLI::App* meeting = app.add_subcommand("meeting", "A MARAC meeting's record")
                          ->require_subcommand(1);
  CLI::App* meeting_record = meeting->add_subcommand(
      "record", "Record the minutes: attendance, outcomes, actions");
  meeting_record
      ->add_option("--store", meeting_options.store,
                   "The store (a SQLite file or a postgresql:// URI)")
      ->required();
  meeting_record
      ->add_option("--meeting", meeting_options.meeting,
                   "The meeting's date, YYYY-MM-DD")
      ->required();
  meeting_record->add_option("--area", meeting_options.area,
                             "The meeting's area (as its agenda was made)");
  meeting_record
      ->add_option("--minutes", meeting_options.minutes,
                   "The minutes as JSON (docs/meeting.md)")
      ->required();
  meeting_record->add_option(
      "--user", meeting_options.user,
      "Who records them, for the audit log (default $USER)");

  CirculatedCommandOptions circulated_options;
  CLI::App* meeting_circulated = meeting->add_subcommand(
      "circulated", "Which research list went to which agency, and when");
  meeting_circulated
      ->add_option("--store", circulated_options.store,
                   "The store (a SQLite file or a postgresql:// URI)")
      ->required();
  meeting_circulated
      ->add_option("--meeting", circulated_options.meeting,
                   "The meeting's date, YYYY-MM-DD")
      ->required();
  meeting_circulated->add_option("--area", circulated_options.area,
                                 "The meeting's area (as its agenda was made)");
  meeting_circulated->add_option("--format", circulated_options.format,
                                 "md | json");
  meeting_circulated->add_option("--user", circulated_options.user,
                                 "Who asks, for the audit log (default $USER)");

  CLI::App* actions = app.add_subcommand("actions", "The actions agreed")
                          ->require_subcommand(1);
  ActionsListCommandOptions actions_list_options;
  CLI::App* actions_list =
      actions->add_subcommand("list", "List actions, filtered");
  actions_list
      ->add_option("--store", actions_list_options.store,
                   "The store (a SQLite file or a postgresql:// URI)")
      ->required();
  actions_list->add_option("--area", actions_list_options.area,
                           "Only the actions of this area's referrals");
  actions_list->add_option("--agency", actions_list_options.agency,
                           "Only this agency's actions");
  actions_list->add_flag("--open", actions_list_options.open,
                         "Only open actions");
  actions_list->add_option(
      "--overdue-on", actions_list_options.overdue_on,
      "Only open actions due before this date, YYYY-MM-DD");
  actions_list->add_option("--format", actions_list_options.format,
                           "json | md | csv");
  actions_list->add_option("--user", actions_list_options.user,
                           "Who asks, for the audit log (default $USER)");
  ActionsUpdateCommandOptions actions_update_options;
  CLI::App* actions_update = actions->add_subcommand(
      "update", "Mark an action done, cancelled or open again");
  actions_update
      ->add_option("--store", actions_update_options.store,
                   "The store (a SQLite file or a postgresql:// URI)")
      ->required();
  actions_update
      ->add_option("--action", actions_update_options.action, "The action id")
      ->required();
  actions_update
      ->add_option("--status", actions_update_options.status,
                   "done | cancelled | open")
      ->required();
  actions_update
      ->add_option("--on", actions_update_options.on, "When, YYYY-MM-DD")
      ->required();
  actions_update->add_option("--note", actions_update_options.note,
                             "What was done, or why");
  actions_update->add_option("--user", actions_update_options.user,
                             "Who updates, for the audit log (default $USER)");

  add_progress(link, link_options.progress);

  CLI::App* list = app.add_subcommand(
      "instruments", "List the instruments, their items, keys and tags");
  add_config(list);

  CLI::App* policy_cmd = app.add_subcommand(
      "policy", "Print the effective scoring policy as JSON");
  add_config(policy_cmd);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion&) {
    out << VersionText("marac");
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e, out, err);
    return kExitBadInput;
  }

  std::unique_ptr<RemoteClient> remote;
  if (!server_address.empty()) {
    std::string local_only;
    for (CLI::App* local :
         {demo, link, audit_verify, list, policy_cmd, meeting_record,
          actions_list, actions_update, return_safelives}) {
      if (local->parsed()) local_only = local->get_name();
    }
    if (!local_only.empty()) {
      err << "marac " << local_only
          << ": --server: this command works on local files only\n";
      return kExitBadInput;
    }
    remote_options.address = server_address;
    // The caller is whoever the token (or client certificate) names.
    Result<std::string> token = std::string();
    if (!token_file.empty()) {
      std::ifstream file(token_file, std::ios::binary);
      std::ostringstream text;
      text << file.rdbuf();
      token = file ? ParseToken(std::move(text).str(), "--token-file")
                   : Result<std::string>(InvalidArgument(
                         "--token-file", "cannot read " + token_file));
    } else if (const char* env = std::getenv("MARAC_TOKEN")) {
      token = ParseToken(env, "MARAC_TOKEN");
    }
    if (!token.ok()) {
      err << "marac: " << token.status() << "\n";
      return kExitBadInput;
    }
    remote_options.token = *std::move(token);
    Result<std::unique_ptr<RemoteClient>> connected =
        RemoteClient::Connect(remote_options);
    if (!connected.ok()) {
      err << "marac: " << connected.status().message() << "\n";
      return kExitBadInput;
    }
    remote = *std::move(connected);
    score_options.remote = remote.get();
    agenda_options.remote = remote.get();
    report_options.remote = remote.get();
    import_options.remote = remote.get();
    who_saw_options.remote = remote.get();
  } else if (!remote_options.role.empty() || !token_file.empty() ||
             !remote_options.ca_file.empty() ||
             !remote_options.client_certificate_file.empty() ||
             !remote_options.client_key_file.empty() ||
             remote_options.plaintext || !remote_options.area.empty()) {
    err << "marac: --role, --token-file, --ca, --client-cert, --client-key, "
           "--plaintext and --server-area go with --server\n";
    return kExitBadInput;
  }

  if (agenda->parsed()) return RunAgenda(agenda_options, out, err);
  if (report->parsed()) return RunReport(report_options, out, err);
  if (return_safelives->parsed()) {
    return RunReturnSafeLives(safelives_options, out, err);
  }
  if (audit_verify->parsed()) {
    return RunAuditVerify(audit_options, out, err);
  }
  if (audit_who_saw->parsed()) {
    return RunAuditWhoSaw(who_saw_options, out, err);
  }
  if (import->parsed()) return RunImport(import_options, out, err);
  if (meeting_circulated->parsed()) {
    return RunMeetingCirculated(circulated_options, out, err);
  }
  if (meeting_record->parsed()) {
    return RunMeetingRecord(meeting_options, out, err);
  }
  if (actions_list->parsed()) {
    return RunActionsList(actions_list_options, out, err);
  }
  if (actions_update->parsed()) {
    return RunActionsUpdate(actions_update_options, out, err);
  }
  if (link->parsed()) {
    const Result<RecordFormat> format = ParseRecordFormat(link_format);
    if (!format.ok()) {
      err << "marac link: " << format.status().message() << "\n";
      return kExitBadInput;
    }
    link_options.format = *format;
    if (!review_out.empty()) link_options.review_out = review_out;
    if (!explain_out.empty()) link_options.explain_out = explain_out;
    if (!decisions.empty()) link_options.decisions = decisions;
    if (!earlier.empty()) link_options.earlier = earlier;
    if (!history_out.empty()) link_options.history_out = history_out;
    return RunLink(link_options, out, err);
  }

  InstrumentSet instruments;
  ScoringPolicy policy;
  if (!demo->parsed()) {
    const Status loaded = LoadConfiguration(instrument_files, wording_files,
                                            policy_file, instruments, policy);
    if (!loaded.ok()) {
      err << "marac: " << loaded.message() << "\n";
      return kExitBadInput;
    }
  }

  if (score->parsed()) {
    const Result<Scorer> scorer = Scorer::Create(policy, instruments);
    if (!scorer.ok()) {
      err << "marac score: --policy: " << scorer.status().message() << "\n";
      return kExitBadInput;
    }
    if (today_text.empty()) {
      score_options.limits.latest = cli::Today();
    } else {
      const Result<Date> today = Date::Parse("--today", today_text);
      if (!today.ok()) {
        err << "marac score: " << today.status().message() << "\n";
        return kExitBadInput;
      }
      score_options.limits.latest = *today;
    }
    if (input == "-") {
      return RunScore(*scorer, instruments, score_options, in, out, err);
    }
    std::error_code ec;
    if (std::filesystem::is_directory(input, ec)) {
      err << "marac score: " << input << ": is a directory, not a file\n";
      return kExitBadInput;
    }
    std::ifstream file(input, std::ios::binary);
    if (!file) {
      err << "marac score: " << input << ": cannot open the file\n";
      return kExitBadInput;
    }
    return RunScore(*scorer, instruments, score_options, file, out, err);
  }
  if (demo->parsed()) {
    if (!demo_out.empty()) demo_options.out_dir = demo_out;
    if (!demo_store.empty()) demo_options.store = demo_store;
    return RunDemo(demo_options, out, err);
  }
  if (list->parsed()) {
    PrintInstruments(instruments, out);
    return kExitOk;
  }
  if (policy_cmd->parsed()) {
    out << policy.ToJson();
    return kExitOk;
  }
  return kExitBadInput;
}

}  // namespace marac
