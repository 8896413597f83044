// marac.v1.MeetingService: a meeting's record, and the actions it agreed.
#include <memory>

#include "marac/v1/meeting.grpc.pb.h"
#include "services/server/handlers.h"
#include "services/server/paging.h"
#include "services/server/requests.h"

namespace marac::server {
namespace {

class MeetingHandler final : public v1::MeetingService::CallbackService {
 public:
  explicit MeetingHandler(Core& core) : core_(core) {}

  grpc::ServerUnaryReactor* RecordMeeting(
      grpc::CallbackServerContext* context,
      const v1::RecordMeetingRequest* request,
      v1::RecordMeetingResponse* response) override {
    return core_.Unary(
        context, Method::kRecordMeeting,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          const std::optional<MeetingRecord> record =
              CheckRecordMeeting(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          if (!MayRecordMeetingOf(p, request->area())) {
            return core_.Deny(p, Method::kRecordMeeting, "meeting",
                              {record->meeting_id},
                              "area: you are not a coordinator or chair of "
                              "this area");
          }
          if (const grpc::Status late =
                  Late(deadline, "before the minutes were recorded");
              !late.ok()) {
            return late;
          }
          const Result<bool> already = core_.store().RecordMeeting(
              ActorFor(p, request->purpose(), deadline), *record);
          if (!already.ok()) {
            if (already.status().code() == StatusCode::kAlreadyExists) {
              return Code(grpc::StatusCode::FAILED_PRECONDITION,
                          "meeting_date: this meeting is already recorded "
                          "with other minutes; nothing was changed");
            }
            return ToGrpcStatus(already.status());
          }
          response->set_meeting_id(record->meeting_id);
          response->set_already_recorded(*already);
          for (const CaseHearing& c : record->cases) {
            for (const CaseAction& a : c.actions) {
              response->add_action_ids(a.action_id);
            }
          }
          return grpc::Status::OK;
        });
  }

  grpc::ServerUnaryReactor* ListActions(
      grpc::CallbackServerContext* context,
      const v1::ListActionsRequest* request,
      v1::ListActionsResponse* response) override {
    return core_.Unary(
        context, Method::kListActions,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          const ActionsQuery query =
              CheckListActions(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          const bool agency_scoped = p.role == "referrer" || p.role == "idva";
          if (!agency_scoped && !MayRecordMeetingOf(p, request->area())) {
            return core_.Deny(p, Method::kListActions, "", {},
                              "area: required, and one of your areas");
          }
          const Result<std::vector<CaseAction>> all =
              core_.store().Actions(ActorFor(p, request->purpose(), deadline));
          if (!all.ok()) return ToGrpcStatus(all.status());
          const Date as_of = query.overdue_on.value_or(core_.options().today());
          PageBudget page(PageSize(request->page_size(), core_.limits()),
                          core_.limits());
          const CaseAction* last = nullptr;
          bool more = false;
          std::vector<std::string> shown;
          for (const CaseAction& a : *all) {  // By (due_on, action_id).
            if (agency_scoped
                    ? a.agency != p.agency
                    : MeetingIdArea(a.meeting_id) != request->area()) {
              continue;
            }
            if (request->open_only() && a.status != ActionStatus::kOpen) {
              continue;
            }
            if (query.overdue_on && !IsOverdue(a, *query.overdue_on)) continue;
            if (query.after &&
                !(PageKey{a.due_on, a.action_id} > *query.after)) {
              continue;
            }
            v1::CaseAction wire;
            CaseActionToWire(a, as_of, &wire);
            if (!AddWithin(page, response->mutable_actions(),
                           std::move(wire))) {
              if (page.count() == 0) return ItemTooLarge("an action");
              more = true;
              break;
            }
            shown.push_back(a.action_id);
            last = &a;
          }
          if (more && last != nullptr) {
            response->set_next_page_token(
                EncodeToken(last->due_on, last->action_id));
          }
          return core_.Disclose(p, request->purpose(), "action", shown);
        });
  }

  grpc::ServerUnaryReactor* UpdateAction(
      grpc::CallbackServerContext* context,
      const v1::UpdateActionRequest* request,
      v1::UpdateActionResponse* response) override {
    return core_.Unary(
        context, Method::kUpdateAction,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          const std::optional<Store::ActionUpdate> update =
              CheckUpdateAction(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          const Actor actor = ActorFor(p, request->purpose(), deadline);
          const Result<CaseAction> action =
              core_.store().GetAction(actor, update->action_id);
          if (!action.ok() && action.status().code() != StatusCode::kNotFound) {
            return ToGrpcStatus(action.status());
          }
          const CaseAction* found = action.ok() ? &*action : nullptr;
          // Another's action and no action answer alike.
          if (found == nullptr ||
              !MayChangeAction(p, found->agency,
                               MeetingIdArea(found->meeting_id))) {
            return core_.Deny(p, Method::kUpdateAction, "action",
                              {update->action_id},
                              "action_id: not an action you may change");
          }
          if (const grpc::Status late =
                  Late(deadline, "before the action was changed");
              !late.ok()) {
            return late;
          }
          const Result<CaseAction> now =
              core_.store().UpdateAction(actor, *update);
          if (!now.ok()) return ToGrpcStatus(now.status());
          CaseActionToWire(*now, core_.options().today(),
                           response->mutable_action());
          return grpc::Status::OK;
        });
  }

 private:
  Core& core_;
};

}  // namespace

std::unique_ptr<grpc::Service> NewMeetingService(Core& core) {
  return std::make_unique<MeetingHandler>(core);
}

}  // namespace marac::server
