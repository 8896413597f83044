// marac.v1.AgendaService: agendas: generate and save, read back, list meetings,
// list the deferred and not-eligible cases.
#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "marac/v1/agenda.grpc.pb.h"
#include "services/casework/casework.h"
#include "services/server/handlers.h"
#include "services/server/paging.h"
#include "services/server/requests.h"

namespace marac::server {
namespace {

// The referral ids of the cases a stored agenda document lists (its
// "cases"; a whole one's "deferred" and "not_eligible" too).
std::vector<std::string> AgendaReferralIds(const std::string& json) {
  std::vector<std::string> ids;
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (!doc.is_object()) return ids;
  for (const char* list : {"cases", "deferred", "not_eligible"}) {
    const auto it = doc.find(list);
    if (it == doc.end() || !it->is_array()) continue;
    for (const nlohmann::json& c : *it) {
      const auto id = c.find("referral_id");
      if (id != c.end() && id->is_string()) {
        ids.push_back(id->get<std::string>());
      }
    }
  }
  return ids;
}

// Whether two circulated agenda documents list the same meeting and cases,
// ranked and explained alike, under the same policy: the counts beside them
// move as referrals arrive for later meetings, the agenda does not.
bool SameListing(const std::string& a, const std::string& b) {
  const nlohmann::json x = nlohmann::json::parse(a, nullptr, false);
  const nlohmann::json y = nlohmann::json::parse(b, nullptr, false);
  if (!x.is_object() || !y.is_object()) return false;
  for (const char* key : {"meeting_id", "area", "date", "referral_cutoff",
                          "view", "policy_version", "capacity", "cases"}) {
    if (x.value(key, nlohmann::json()) != y.value(key, nlohmann::json())) {
      return false;
    }
  }
  return true;
}

class AgendaHandler final : public v1::AgendaService::CallbackService {
 public:
  explicit AgendaHandler(Core& core) : core_(core) {}

  grpc::ServerUnaryReactor* GenerateAgenda(
      grpc::CallbackServerContext* context,
      const v1::GenerateAgendaRequest* request,
      v1::GenerateAgendaResponse* response) override {
    return core_.Unary(
        context, Method::kGenerateAgenda,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          const std::optional<AgendaMeeting> meeting =
              CheckGenerateAgenda(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          if (!MayGenerateAgendaFor(p, request->area())) {
            return core_.Deny(p, Method::kGenerateAgenda, "", {},
                              "area: you are not a coordinator of this area");
          }
          if (const grpc::Status day = OnWorkingDay(meeting->date); !day.ok()) {
            return day;
          }

          const Actor actor = ActorFor(p, request->purpose(), deadline);
          const PriorityPolicy& policy = core_.options().priority;
          const Result<Agenda> ranked = AgendaFromStore(
              core_.store(), actor, *meeting, policy, Calendar());
          if (!ranked.ok()) return ToGrpcStatus(ranked.status());
          // The deferred and not-eligible cases are counted here and listed
          // by ListAgendaCases: the answer follows the meeting's capacity,
          // never the area's backlog.
          const Agenda agenda = CountedOnly(*ranked);
          const std::string json =
              AgendaJson(agenda, AgendaView::kCirculated, policy);
          AgendaToWire(agenda, response->mutable_agenda());
          response->set_circulated_json(json);
          switch (request->format()) {
            case v1::OUTPUT_FORMAT_JSON:
              response->set_rendered(json);
              break;
            case v1::OUTPUT_FORMAT_MARKDOWN:
              response->set_rendered(
                  AgendaMarkdown(agenda, AgendaView::kCirculated, policy));
              break;
            case v1::OUTPUT_FORMAT_HTML:
              response->set_rendered(
                  AgendaHtml(agenda, AgendaView::kCirculated, policy));
              break;
            default:
              break;
          }
          if (request->save()) response->set_agenda_id(meeting->meeting_id);
          // What will be sent is known before anything is saved: an answer
          // too large to send is refused before the commit, never after.
          if (response->ByteSizeLong() >
              static_cast<std::size_t>(core_.limits().max_message_bytes) / 4 *
                  3) {
            response->Clear();
            return Code(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "the listed cases are larger than an answer may be "
                        "under limits.max_message_bytes: ask without a "
                        "format, for fewer cases, or raise the limit; "
                        "nothing was saved");
          }
          std::vector<std::string> shown;
          for (const RankedCase& c : agenda.listed) {
            shown.push_back(c.item.referral_id);
          }
          if (!request->save()) {
            return core_.Disclose(p, request->purpose(), "referral", shown);
          }
          // Saved already: a retry is answered from the stored document,
          // another agenda is final.
          Saved existing = Existing(actor, meeting->meeting_id, json);
          if (!existing.status.ok()) {
            response->Clear();
            return existing.status;
          }
          if (!existing.json) {
            if (const grpc::Status late =
                    Late(deadline, "before the agenda was saved");
                !late.ok()) {
              return late;
            }
          }
          // Recorded before the save, so that nothing can fail once it has
          // committed (a save that then fails leaves a disclosure of cases
          // the caller did not get: the safe side of the log).
          if (const grpc::Status disclosed =
                  core_.Disclose(p, request->purpose(), "referral", shown);
              !disclosed.ok()) {
            return disclosed;
          }
          if (existing.json) {
            response->set_circulated_json(*existing.json);
            if (request->format() == v1::OUTPUT_FORMAT_JSON) {
              response->set_rendered(*existing.json);
            }
            return grpc::Status::OK;
          }
          const grpc::Status saved =
              Save(actor, *meeting, AgendaToStore(agenda, policy));
          if (saved.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
            // Another call saved first: the same agenda (a retry racing
            // its original) or a different one.
            existing = Existing(actor, meeting->meeting_id, json);
            if (existing.status.ok() && existing.json) {
              response->set_circulated_json(*existing.json);
              return grpc::Status::OK;
            }
          }
          return core_.AfterCommit(Method::kGenerateAgenda, saved);
        });
  }

  grpc::ServerUnaryReactor* ListAgendaCases(
      grpc::CallbackServerContext* context,
      const v1::ListAgendaCasesRequest* request,
      v1::ListAgendaCasesResponse* response) override {
    return core_.Unary(
        context, Method::kListAgendaCases,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          const auto [meeting, after] =
              CheckListAgendaCases(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          const v1::AgendaCaseList which = request->which();
          if (!MayReadAgendasOf(p, request->area())) {
            return core_.Deny(p, Method::kListAgendaCases, "", {},
                              "area: not one of your areas");
          }
          if (const grpc::Status day = OnWorkingDay(meeting->date); !day.ok()) {
            return day;
          }
          const PriorityPolicy& policy = core_.options().priority;
          const Result<Agenda> agenda = AgendaFromStore(
              core_.store(), ActorFor(p, request->purpose(), deadline),
              *meeting, policy, Calendar());
          if (!agenda.ok()) return ToGrpcStatus(agenda.status());
          // The token is the list's fingerprint and the last id sent: the
          // page resumes after it on the same list, and a list that has
          // changed (a case ranked in or out) is refused, never paged
          // through with a case skipped or repeated.
          std::vector<std::string> ids;
          if (which == v1::AGENDA_CASE_LIST_DEFERRED) {
            for (const DeferredCase& d : agenda->deferred) {
              ids.push_back(d.ranked.item.referral_id);
            }
          } else {
            for (const LeftOut& l : agenda->not_eligible) {
              ids.push_back(l.referral_id);
            }
          }
          const std::string print =
              ListFingerprint(static_cast<int>(which), ids);
          std::size_t first = 0;
          if (after) {
            const std::size_t bar = after->id.find('|');
            const auto at = bar == std::string::npos
                                ? ids.end()
                                : std::find(ids.begin(), ids.end(),
                                            after->id.substr(bar + 1));
            if (after->date != meeting->date || bar == std::string::npos ||
                after->id.substr(0, bar) != print || at == ids.end()) {
              return Code(grpc::StatusCode::FAILED_PRECONDITION,
                          "page_token: this list has changed since the "
                          "previous page (or the token is for another "
                          "list); start again from the first page");
            }
            first = static_cast<std::size_t>(at - ids.begin()) + 1;
          }
          PageBudget page(PageSize(request->page_size(), core_.limits()),
                          core_.limits());
          std::vector<std::string> shown;
          bool more = false;
          for (std::size_t i = first; i < ids.size(); ++i) {
            bool added = false;
            if (which == v1::AGENDA_CASE_LIST_DEFERRED) {
              v1::DeferredCase wire;
              DeferredCaseToWire(agenda->deferred[i], agenda->meeting, &wire);
              added = AddWithin(page, response->mutable_deferred(),
                                std::move(wire));
            } else {
              v1::NotEligible wire;
              NotEligibleToWire(agenda->not_eligible[i], &wire);
              added = AddWithin(page, response->mutable_not_eligible(),
                                std::move(wire));
            }
            if (!added) {
              if (page.count() == 0) return ItemTooLarge("a case");
              more = true;
              break;
            }
            shown.push_back(ids[i]);
          }
          if (more) {
            response->set_next_page_token(
                EncodeToken(agenda->meeting.date, print + "|" + shown.back()));
          }
          return core_.Disclose(p, request->purpose(), "referral", shown);
        });
  }

  grpc::ServerUnaryReactor* GetResearchList(
      grpc::CallbackServerContext* context,
      const v1::GetResearchListRequest* request,
      v1::GetResearchListResponse* response) override {
    return core_.Unary(
        context, Method::kGetResearchList,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          const std::optional<AgendaMeeting> meeting =
              CheckGetResearchList(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          if (!MayReadAgendasOf(p, request->area())) {
            return core_.Deny(p, Method::kGetResearchList, "", {},
                              "area: not one of your areas");
          }
          if (const grpc::Status day = OnWorkingDay(meeting->date); !day.ok()) {
            return day;
          }
          const Actor actor = ActorFor(p, request->purpose(), deadline);
          const PriorityPolicy& policy = core_.options().priority;
          const Result<ResearchList> list =
              ResearchListFromStore(core_.store(), actor, *meeting, policy,
                                    request->agency(), Calendar());
          if (!list.ok()) return ToGrpcStatus(list.status());
          std::string format = "json";
          switch (request->format()) {
            case v1::OUTPUT_FORMAT_MARKDOWN:
              format = "md";
              response->set_rendered(ResearchListMarkdown(*list, policy));
              break;
            case v1::OUTPUT_FORMAT_HTML:
              format = "html";
              response->set_rendered(ResearchListHtml(*list, policy));
              break;
            default:
              response->set_rendered(ResearchListJson(*list, policy));
              break;
          }
          response->set_meeting_id(list->meeting_id);
          response->set_cases(static_cast<std::int32_t>(list->cases.size()));
          response->set_withheld(
              static_cast<std::int32_t>(list->withheld_referral_ids.size()));
          // Checked before the list is logged as sent: one too large to
          // send is never recorded as circulated.
          if (response->ByteSizeLong() >
              static_cast<std::size_t>(core_.limits().max_message_bytes) / 4 *
                  3) {
            response->Clear();
            return Code(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "the research list is larger than an answer may be "
                        "under limits.max_message_bytes; nothing was logged");
          }
          if (const grpc::Status late =
                  Late(deadline, "before the research list was logged");
              !late.ok()) {
            response->Clear();
            return late;
          }
          const Result<Circulation> logged =
              LogResearchList(core_.store(), actor, *list, format);
          if (!logged.ok()) {
            response->Clear();
            return ToGrpcStatus(logged.status());
          }
          response->set_circulation(logged->sequence);
          return grpc::Status::OK;
        });
  }

  grpc::ServerUnaryReactor* GetAgenda(
      grpc::CallbackServerContext* context, const v1::GetAgendaRequest* request,
      v1::GetAgendaResponse* response) override {
    return core_.Unary(
        context, Method::kGetAgenda,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckGetAgenda(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          const v1::AgendaView view = request->view();
          const std::string& id = request->agenda_id();
          const bool chair_view = view == v1::AGENDA_VIEW_CHAIR;
          if (chair_view && !MayReadChairView(p)) {
            return core_.Deny(p, Method::kGetAgenda, "agenda", {id},
                              "view: the chair's view is for chairs");
          }
          const auto hidden = [&] {
            return core_.Deny(p, Method::kGetAgenda, "agenda", {id},
                              HiddenObject("agenda_id", "agenda"));
          };
          // The area is in the id: checked before the store is asked, so an
          // agenda of another area is refused without looking it up.
          if (!MayReadAgendasOf(p, MeetingIdArea(id))) return hidden();
          const Result<StoredAgenda> agenda = core_.store().GetAgenda(
              ActorFor(p, request->purpose(), deadline), id);
          if (!agenda.ok()) {
            if (agenda.status().code() == StatusCode::kNotFound)
              return hidden();
            return ToGrpcStatus(agenda.status());
          }
          if (agenda->meeting_id != id) return hidden();  // Not this server's.
          if (chair_view) {
            const grpc::Status chair = ChairView(
                ActorFor(p, request->purpose(), deadline), *agenda, response);
            if (!chair.ok()) return chair;
          }
          response->set_agenda_id(agenda->agenda_id);
          response->set_meeting_id(agenda->meeting_id);
          response->set_policy_version(agenda->policy_version);
          response->set_circulated_json(agenda->json);
          if (response->ByteSizeLong() >
              static_cast<std::size_t>(core_.limits().max_message_bytes) / 4 *
                  3) {
            // Saved whole by an earlier version or the command line, with
            // a long deferred list: the service saves counted agendas.
            response->Clear();
            return Code(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        "agenda_id: this saved agenda is larger than an "
                        "answer may be under limits.max_message_bytes; "
                        "raise the limit to read it");
          }
          // Every case the agenda lists (and, for a chair, names) is now
          // disclosed to the caller, as is the agenda.
          std::vector<std::string> shown{agenda->agenda_id};
          for (const std::string& referral : AgendaReferralIds(agenda->json)) {
            shown.push_back(referral);
          }
          return core_.Disclose(p, request->purpose(), "agenda", shown);
        });
  }

  grpc::ServerUnaryReactor* ListMeetings(
      grpc::CallbackServerContext* context,
      const v1::ListMeetingsRequest* request,
      v1::ListMeetingsResponse* response) override {
    return core_.Unary(
        context, Method::kListMeetings,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          const std::optional<PageKey> after =
              CheckListMeetings(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          if (!request->area().empty() &&
              !MayReadAgendasOf(p, request->area())) {
            return core_.Deny(p, Method::kListMeetings, "", {},
                              "area: not one of your areas");
          }
          const Result<std::vector<Meeting>> all = core_.store().Meetings(
              ActorFor(p, request->purpose(), deadline), request->area());
          if (!all.ok()) return ToGrpcStatus(all.status());
          PageBudget page(PageSize(request->page_size(), core_.limits()),
                          core_.limits());
          const Meeting* last = nullptr;
          bool more = false;
          for (const Meeting& m : *all) {  // In (date, id) order.
            if (!MayReadAgendasOf(p, m.area)) continue;
            if (after && !(PageKey{m.date, m.meeting_id} > *after)) continue;
            v1::Meeting wire;
            MeetingToWire(m, &wire);
            if (!AddWithin(page, response->mutable_meetings(),
                           std::move(wire))) {
              if (page.count() == 0) return ItemTooLarge("a meeting");
              more = true;
              break;
            }
            last = &m;
          }
          if (more && last != nullptr) {
            response->set_next_page_token(
                EncodeToken(last->date, last->meeting_id));
          }
          return grpc::Status::OK;
        });
  }

 private:
  // The bank holidays this server plans meetings around (null: built in).
  const WorkingCalendar* Calendar() const {
    return core_.options().bank_holidays ? &*core_.options().bank_holidays
                                         : nullptr;
  }
  // INVALID_ARGUMENT naming meeting_date unless a meeting may be held on
  // `date` (a working day in England and Wales).
  grpc::Status OnWorkingDay(Date date) const {
    return ToGrpcStatus(CheckMeetingDay(Calendar(), date, "meeting_date"));
  }

  // The chair's view of a saved agenda: ranked again from the store, which
  // must still give the agenda that was circulated (else the chair would
  // see other cases than the agencies did).
  grpc::Status ChairView(const Actor& actor, const StoredAgenda& saved,
                         v1::GetAgendaResponse* response) {
    const std::string area(MeetingIdArea(saved.meeting_id));
    const Result<std::vector<Meeting>> meetings =
        core_.store().Meetings(actor, area);
    if (!meetings.ok()) return ToGrpcStatus(meetings.status());
    const auto m = std::find_if(
        meetings->begin(), meetings->end(),
        [&](const Meeting& x) { return x.meeting_id == saved.meeting_id; });
    if (m == meetings->end()) return Changed();
    const PriorityPolicy& policy = core_.options().priority;
    const AgendaMeeting meeting{m->meeting_id,     m->area,
                                m->date,           m->referral_cutoff,
                                m->capacity_cases, m->capacity_minutes};
    const Result<Agenda> agenda =
        AgendaFromStore(core_.store(), actor, meeting, policy, Calendar());
    if (!agenda.ok()) return ToGrpcStatus(agenda.status());
    // The same cases as circulated (the counts beside them may have moved);
    // rendered as it was saved: counted by this service, whole by the
    // command line.
    if (!SameListing(saved.json,
                     AgendaJson(*agenda, AgendaView::kCirculated, policy))) {
      return Changed();
    }
    const bool counted =
        !nlohmann::json::parse(saved.json, nullptr, false).contains("deferred");
    response->set_chair_json(AgendaJson(
        counted ? CountedOnly(*agenda) : *agenda, AgendaView::kChair, policy));
    return grpc::Status::OK;
  }

  static grpc::Status Changed() {
    return Code(grpc::StatusCode::FAILED_PRECONDITION,
                "view: the stored referrals no longer give the agenda that "
                "was circulated, so no chair's view can match it");
  }

  // Stores the meeting and its agenda; the same agenda again is a retry.
  // The agenda saved for `meeting`, when there is one: a retry of this
  // save (the same meeting, policy and listed cases) answers from it; any
  // other agenda is final (FAILED_PRECONDITION).
  struct Saved {
    grpc::Status status;
    std::optional<std::string> json;  // The stored document, on a retry.
  };
  Saved Existing(const Actor& actor, const std::string& meeting_id,
                 const std::string& json) {
    const Result<StoredAgenda> existing =
        core_.store().GetAgenda(actor, meeting_id);
    if (!existing.ok()) {
      if (existing.status().code() == StatusCode::kNotFound) return {};
      return {ToGrpcStatus(existing.status()), std::nullopt};
    }
    if (!SameListing(existing->json, json)) return {AlreadyFinal(), {}};
    return {grpc::Status::OK, existing->json};
  }

  // Stores the meeting and its agenda in one transaction: saved whole, or
  // not at all.
  grpc::Status Save(const Actor& actor, const AgendaMeeting& meeting,
                    const StoredAgenda& agenda) {
    const Status saved = core_.store().SaveMeetingAgenda(
        actor,
        {meeting.meeting_id, meeting.area, meeting.date,
         meeting.referral_cutoff, meeting.capacity_cases,
         meeting.capacity_minutes},
        agenda);
    if (saved.code() == StatusCode::kAlreadyExists) return AlreadyFinal();
    return ToGrpcStatus(saved, "meeting");
  }

  static grpc::Status AlreadyFinal() {
    return Code(grpc::StatusCode::FAILED_PRECONDITION,
                "a different agenda is already saved for this meeting");
  }

  Core& core_;
};

}  // namespace

std::unique_ptr<grpc::Service> NewAgendaService(Core& core) {
  return std::make_unique<AgendaHandler>(core);
}

}  // namespace marac::server
