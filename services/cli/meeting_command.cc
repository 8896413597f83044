// `marac meeting record`, `marac actions list` and `marac actions update`.
#include "services/cli/meeting_command.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "lib/common/html.h"
#include "marac/casefile/case_file.h"
#include "marac/store/store.h"
#include "services/cli/commands.h"
#include "services/cli/input_file.h"
#include "services/cli/store_command.h"

namespace marac {
namespace {

using cli::CliActor;
using cli::Fail;
using Json = nlohmann::json;

std::string At(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key)
                      : std::string(path) + "." + std::string(key);
}

std::string At(std::string_view path, std::size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

// The object at `path`, holding only `allowed` keys.
Status Object(const Json& j, const std::string& path,
              std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) {
    return InvalidArgument(path.empty() ? "minutes" : path, "not an object");
  }
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return InvalidArgument(At(path, key), "not a field of the minutes");
    }
  }
  return Status::Ok();
}

Result<std::string> Text(const Json& j, const std::string& path,
                         std::string_view key, bool required) {
  const std::string field = At(path, key);
  if (!j.contains(key)) {
    if (required) return InvalidArgument(field, "required");
    return std::string();
  }
  const Json& v = j.at(std::string(key));
  if (!v.is_string()) return InvalidArgument(field, "not a string");
  return v.get<std::string>();
}

Result<const Json*> Array(const Json& j, const std::string& path,
                          std::string_view key, bool required) {
  static const Json kEmpty = Json::array();
  const std::string field = At(path, key);
  if (!j.contains(key)) {
    if (required) return InvalidArgument(field, "required");
    return &kEmpty;
  }
  const Json& v = j.at(std::string(key));
  if (!v.is_array()) return InvalidArgument(field, "not an array");
  return &v;
}

std::string Csv(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<MeetingRecord> ParseMinutes(std::string_view json,
                                   std::string_view meeting_id) {
  const Json j = Json::parse(json, nullptr, false);
  if (j.is_discarded()) return InvalidArgument("minutes", "not valid JSON");
  MARAC_RETURN_IF_ERROR(Object(j, "", {"attendance", "cases"}));
  MeetingRecord record;
  record.meeting_id = std::string(meeting_id);
  MARAC_ASSIGN_OR_RETURN(const Json* attendance,
                         Array(j, "", "attendance", true));
  for (std::size_t i = 0; i < attendance->size(); ++i) {
    const Json& a = (*attendance)[i];
    if (!a.is_string())
      return InvalidArgument(At("attendance", i), "not a string");
    record.attendance.push_back(a.get<std::string>());
  }
  MARAC_ASSIGN_OR_RETURN(const Json* cases, Array(j, "", "cases", true));
  for (std::size_t i = 0; i < cases->size(); ++i) {
    const Json& c = (*cases)[i];
    const std::string path = At("cases", i);
    MARAC_RETURN_IF_ERROR(
        Object(c, path, {"referral_id", "outcome", "reason", "actions"}));
    CaseHearing hearing;
    MARAC_ASSIGN_OR_RETURN(hearing.referral_id,
                           Text(c, path, "referral_id", true));
    MARAC_ASSIGN_OR_RETURN(const std::string outcome,
                           Text(c, path, "outcome", true));
    MARAC_ASSIGN_OR_RETURN(hearing.outcome,
                           ParseHearingOutcome(At(path, "outcome"), outcome));
    MARAC_ASSIGN_OR_RETURN(hearing.reason, Text(c, path, "reason", false));
    MARAC_ASSIGN_OR_RETURN(const Json* actions,
                           Array(c, path, "actions", false));
    for (std::size_t k = 0; k < actions->size(); ++k) {
      const Json& a = (*actions)[k];
      const std::string at = At(At(path, "actions"), k);
      MARAC_RETURN_IF_ERROR(
          Object(a, at, {"agency", "owner", "text", "due_on"}));
      CaseAction action;
      MARAC_ASSIGN_OR_RETURN(action.agency, Text(a, at, "agency", true));
      MARAC_ASSIGN_OR_RETURN(action.owner, Text(a, at, "owner", true));
      MARAC_ASSIGN_OR_RETURN(action.text, Text(a, at, "text", true));
      MARAC_ASSIGN_OR_RETURN(const std::string due,
                             Text(a, at, "due_on", true));
      MARAC_ASSIGN_OR_RETURN(action.due_on, Date::Parse(At(at, "due_on"), due));
      hearing.actions.push_back(std::move(action));
    }
    record.cases.push_back(std::move(hearing));
  }
  NumberActions(record);
  return record;
}

int RunMeetingRecord(const MeetingRecordCommandOptions& options,
                     std::ostream& out, std::ostream& err) {
  const auto fail = [&](const Status& s) {
    return Fail(err, "meeting record", s);
  };
  const Result<Date> date = Date::Parse("--meeting", options.meeting);
  if (!date.ok()) return fail(date.status());
  const Result<std::string> text = ReadInputFile(options.minutes, "--minutes");
  if (!text.ok()) return fail(text.status());
  const Result<MeetingRecord> record =
      ParseMinutes(*text, MeetingId(*date, options.area));
  if (!record.ok()) {
    return fail(InvalidArgument("--minutes " + options.minutes,
                                record.status().message()));
  }
  Result<std::unique_ptr<Store>> store = cli::OpenCommandStore(options.store);
  if (!store.ok()) return fail(store.status());
  const Actor actor = CliActor(options.user, "coordinator",
                               "record the minutes of " + record->meeting_id);
  const Result<bool> already = (*store)->RecordMeeting(actor, *record);
  if (!already.ok()) {
    if (already.status().code() == StatusCode::kAlreadyExists) {
      err << "marac meeting record: " << already.status().message() << "\n";
      return kExitBadInput;
    }
    return fail(already.status());
  }
  std::size_t actions = 0;
  for (const CaseHearing& c : record->cases) actions += c.actions.size();
  out << "marac meeting record: " << record->meeting_id << ": "
      << (*already ? "already recorded with the same minutes; nothing changed"
                   : "recorded " + std::to_string(record->cases.size()) +
                         " cases, " + std::to_string(actions) + " actions, " +
                         std::to_string(record->attendance.size()) +
                         " agencies attending")
      << "\n";
  return kExitOk;
}

int RunMeetingCirculated(const CirculatedCommandOptions& options,
                         std::ostream& out, std::ostream& err) {
  const auto fail = [&](const Status& s) {
    return Fail(err, "meeting circulated", s);
  };
  const Result<Date> date = Date::Parse("--meeting", options.meeting);
  if (!date.ok()) return fail(date.status());
  if (options.format != "json" && options.format != "md") {
    return fail(InvalidArgument("--format",
                                "'" + options.format + "' is not json or md"));
  }
  Result<std::unique_ptr<Store>> store = cli::OpenCommandStore(options.store);
  if (!store.ok()) return fail(store.status());
  const std::string meeting_id = MeetingId(*date, options.area);
  const Actor actor =
      CliActor(options.user, "coordinator",
               "who was sent the research lists of " + meeting_id);
  const Result<std::vector<Circulation>> log =
      (*store)->Circulations(actor, meeting_id);
  if (!log.ok()) return fail(log.status());
  const auto receiver = [](const Circulation& c) {
    return c.agency.empty() ? std::string("(coordinator's full list)")
                            : c.agency;
  };
  if (options.format == "json") {
    nlohmann::ordered_json j;
    j["meeting_id"] = meeting_id;
    j["circulations"] = nlohmann::ordered_json::array();
    for (const Circulation& c : *log) {
      j["circulations"].push_back(
          {{"sequence", c.sequence},
           {"agency", c.agency},
           {"sent_at", c.sent_at},
           {"sent_by", c.sent_by},
           {"role", c.role},
           {"format", c.format},
           {"referral_ids", c.referral_ids},
           {"withheld_referral_ids", c.withheld_referral_ids}});
    }
    out << j.dump(2) << "\n";
    return kExitOk;
  }
  out << "# Research lists sent for " << meeting_id << "\n\n";
  if (log->empty()) {
    out << "None yet.\n";
    return kExitOk;
  }
  out << "| # | To | Sent | By | Cases | Withheld (excluded) | Format |\n"
         "|---|---|---|---|---|---|---|\n";
  for (const Circulation& c : *log) {
    out << "| " << c.sequence << " | " << MarkdownCell(receiver(c)) << " | "
        << c.sent_at << " | " << MarkdownCell(c.sent_by) << " (" << c.role
        << ") | " << c.referral_ids.size() << " | "
        << c.withheld_referral_ids.size() << " | " << c.format << " |\n";
  }
  return kExitOk;
}

int RunActionsList(const ActionsListCommandOptions& options, std::ostream& out,
                   std::ostream& err) {
  const auto fail = [&](const Status& s) {
    return Fail(err, "actions list", s);
  };
  if (options.format != "json" && options.format != "md" &&
      options.format != "csv") {
    return fail(InvalidArgument(
        "--format", "'" + options.format + "' is not json, md or csv"));
  }
  Date as_of = cli::Today();
  if (!options.overdue_on.empty()) {
    const Result<Date> d = Date::Parse("--overdue-on", options.overdue_on);
    if (!d.ok()) return fail(d.status());
    as_of = *d;
  }
  Result<std::unique_ptr<Store>> store = cli::OpenCommandStore(options.store);
  if (!store.ok()) return fail(store.status());
  const Actor actor =
      CliActor(options.user, "coordinator", "chase the MARAC actions");
  const Result<std::vector<CaseAction>> all = (*store)->Actions(actor);
  if (!all.ok()) return fail(all.status());
  std::unordered_map<std::string, std::string> area_of;
  if (!options.area.empty()) {
    const Result<std::vector<StoredReferral>> referrals =
        (*store)->Referrals(actor, options.area, std::nullopt);
    if (!referrals.ok()) return fail(referrals.status());
    for (const StoredReferral& r : *referrals) {
      area_of.emplace(r.referral_id, r.area);
    }
  }
  std::vector<CaseAction> shown;
  for (const CaseAction& a : *all) {
    if (!options.area.empty() && !area_of.contains(a.referral_id)) continue;
    if (!options.agency.empty() && a.agency != options.agency) continue;
    if (options.open && a.status != ActionStatus::kOpen) continue;
    if (!options.overdue_on.empty() && !IsOverdue(a, as_of)) continue;
    shown.push_back(a);
  }
  if (options.format == "json") {
    Json list = Json::array();
    for (const CaseAction& a : shown) {
      list.push_back({{"action_id", a.action_id},
                      {"meeting_id", a.meeting_id},
                      {"referral_id", a.referral_id},
                      {"agency", a.agency},
                      {"owner", a.owner},
                      {"text", a.text},
                      {"due_on", a.due_on.ToString()},
                      {"status", ActionStatusName(a.status)},
                      {"status_on", a.status_on ? Json(a.status_on->ToString())
                                                : Json(nullptr)},
                      {"note", a.note},
                      {"overdue", IsOverdue(a, as_of)}});
    }
    out << Json{{"as_of", as_of.ToString()}, {"actions", list}}.dump(
               2, ' ', false, Json::error_handler_t::replace)
        << "\n";
  } else if (options.format == "csv") {
    out << "action_id,meeting_id,referral_id,agency,owner,text,due_on,status,"
           "status_on,note,overdue\n";
    for (const CaseAction& a : shown) {
      out << Csv(a.action_id) << "," << Csv(a.meeting_id) << ","
          << Csv(a.referral_id) << "," << Csv(a.agency) << "," << Csv(a.owner)
          << "," << Csv(a.text) << "," << a.due_on << ","
          << ActionStatusName(a.status) << ","
          << (a.status_on ? a.status_on->ToString() : "") << "," << Csv(a.note)
          << "," << (IsOverdue(a, as_of) ? "true" : "false") << "\n";
    }
  } else {
    out << "# MARAC actions as of " << as_of << "\n\n";
    if (shown.empty()) {
      out << "No actions match.\n";
      return kExitOk;
    }
    out << "| Due | Agency | Owner | Action | Case | Status |\n"
           "|---|---|---|---|---|---|\n";
    for (const CaseAction& a : shown) {
      std::string status(ActionStatusName(a.status));
      if (a.status_on) status += " " + a.status_on->ToString();
      if (IsOverdue(a, as_of)) {
        status = "OVERDUE (" + std::to_string(DaysBetween(a.due_on, as_of)) +
                 " days)";
      }
      out << "| " << a.due_on << " | " << MarkdownCell(a.agency) << " | "
          << MarkdownCell(a.owner) << " | " << MarkdownCell(a.text) << " | "
          << MarkdownCell(a.referral_id) << " | " << status << " |\n";
    }
  }
  return kExitOk;
}

int RunActionsUpdate(const ActionsUpdateCommandOptions& options,
                     std::ostream& out, std::ostream& err) {
  const auto fail = [&](const Status& s) {
    return Fail(err, "actions update", s);
  };
  if (options.action.empty()) {
    return fail(InvalidArgument("--action", "required"));
  }
  const Result<ActionStatus> status =
      ParseActionStatus("--status", options.status);
  if (!status.ok()) return fail(status.status());
  const Result<Date> on = Date::Parse("--on", options.on);
  if (!on.ok()) return fail(on.status());
  Result<std::unique_ptr<Store>> store = cli::OpenCommandStore(options.store);
  if (!store.ok()) return fail(store.status());
  const Actor actor =
      CliActor(options.user, "coordinator", "update a MARAC action");
  const Result<CaseAction> now = (*store)->UpdateAction(
      actor, {options.action, *status, *on, options.note});
  if (!now.ok()) {
    if (now.status().code() == StatusCode::kNotFound) {
      err << "marac actions update: " << now.status().message() << "\n";
      return kExitBadInput;
    }
    return fail(now.status());
  }
  out << "marac actions update: " << now->action_id << " is "
      << ActionStatusName(now->status);
  if (now->status_on) out << " on " << *now->status_on;
  out << "\n";
  return kExitOk;
}

}  // namespace marac
