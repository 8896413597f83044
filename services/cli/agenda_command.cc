// `marac agenda`: the next meeting's agenda, from a store or a server.
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
#include "services/cli/store_command.h"

namespace marac {

using cli::CliActor;
using cli::Fail;

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
  if (options.view != "circulated" && options.view != "chair" &&
      options.view != "research") {
    return fail(InvalidArgument("--view", "'" + options.view +
                                              "' is not circulated, chair or "
                                              "research"));
  }
  const bool research = options.view == "research";
  if (!options.agency.empty() && !research) {
    return fail(InvalidArgument("--agency", "only with --view research"));
  }
  if (research && options.save) {
    return fail(InvalidArgument(
        "--save", "not with --view research: save the agenda first"));
  }
  std::optional<WorkingCalendar> holidays;
  if (!options.bank_holidays.empty()) {
    if (options.remote != nullptr) {
      return fail(InvalidArgument(
          "--bank-holidays",
          "not with --server: the server plans with its own table"));
    }
    const Result<std::string> text =
        ReadInputFile(options.bank_holidays, "--bank-holidays");
    if (!text.ok()) return fail(text.status());
    Result<WorkingCalendar> loaded =
        WorkingCalendar::FromCsv(options.bank_holidays, *text);
    if (!loaded.ok()) {
      return fail(
          InvalidArgument("--bank-holidays", loaded.status().message()));
    }
    holidays = *std::move(loaded);
  }
  const WorkingCalendar* calendar = holidays ? &*holidays : nullptr;
  if (options.remote == nullptr) {
    // A server checks the date against its own table.
    if (const Status day = CheckMeetingDay(calendar, *date, "--meeting");
        !day.ok()) {
      return fail(day);
    }
  }
  if (options.remote != nullptr && research) {
    if (options.area.empty()) {
      return fail(InvalidArgument("--area", "required with --server"));
    }
    const Result<RemoteResearchList> text = options.remote->ResearchList(
        options.area, *date,
        options.cutoff.empty() ? std::nullopt : std::optional<Date>(cutoff),
        options.capacity, options.agency, options.format,
        "MARAC research list for " + date->ToString());
    if (!text.ok()) return fail(text.status());
    out << text->document;
    err << "marac agenda: research list logged as circulation "
        << text->circulation << "\n";
    return kExitOk;
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
  Result<std::unique_ptr<Store>> store = cli::OpenCommandStore(options.store);
  if (!store.ok()) return fail(store.status());
  const Actor actor = CliActor(
      options.user, options.view == "chair" ? "chair" : "coordinator",
      std::string(research ? "MARAC research list for " : "MARAC agenda for ") +
          date->ToString());
  const AgendaMeeting meeting{MeetingId(*date, options.area),
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
  if (research) {
    const Result<ResearchList> list = ResearchListFromStore(
        **store, actor, meeting, policy, options.agency, calendar);
    if (!list.ok()) return fail(list.status());
    const Result<Circulation> logged =
        LogResearchList(**store, actor, *list, options.format);
    if (!logged.ok()) return fail(logged.status());
    out << (options.format == "json" ? ResearchListJson(*list, policy)
            : options.format == "md" ? ResearchListMarkdown(*list, policy)
                                     : ResearchListHtml(*list, policy));
    err << "marac agenda: research list for "
        << (list->agency.empty() ? std::string("the coordinator (full list)")
                                 : list->agency)
        << ": " << list->cases.size() << " on the list, "
        << list->withheld_referral_ids.size()
        << " withheld as excluded; logged as circulation " << logged->sequence
        << "\n";
    return kExitOk;
  }
  const Result<Agenda> agenda =
      AgendaFromStore(**store, actor, meeting, policy, calendar);
  if (!agenda.ok()) return fail(agenda.status());
  const AgendaView view =
      options.view == "chair" ? AgendaView::kChair : AgendaView::kCirculated;
  if (options.save) {
    const Status m = (*store)->PutMeeting(
        actor,
        {meeting.meeting_id, options.area.empty() ? "all" : options.area,
         meeting.date, meeting.referral_cutoff, meeting.capacity_cases, 0});
    if (!m.ok()) return fail(m);
    const Status saved =
        (*store)->SaveAgenda(actor, AgendaToStore(*agenda, policy));
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

}  // namespace marac
