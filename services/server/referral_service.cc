// marac.v1.ReferralService: referrals: submit (through the writer, acknowledged
// after commit), read, list.
#include <algorithm>
#include <memory>

#include "marac/v1/referral.grpc.pb.h"
#include "services/server/handlers.h"
#include "services/server/paging.h"
#include "services/server/requests.h"

namespace marac::server {
namespace {

class ReferralHandler final : public v1::ReferralService::CallbackService {
 public:
  explicit ReferralHandler(Core& core) : core_(core) {}

  grpc::ServerUnaryReactor* SubmitReferral(
      grpc::CallbackServerContext* context,
      const v1::SubmitReferralRequest* request,
      v1::SubmitReferralResponse* response) override {
    return core_.UnaryAsync(
        context, Method::kSubmitReferral,
        [this, request, response](const Principal& p, const Deadline& deadline,
                                  const Finish& finish) {
          FieldViolations violations;
          CheckId(request->request_id(), "request_id", false, violations);
          std::optional<StoredReferral> referral;
          if (!request->has_referral()) {
            violations.Add("referral", "required");
          } else {
            referral =
                ReferralFromWire(request->referral(), p.agency,
                                 core_.wire_limits(), "referral", violations);
          }
          if (!violations.empty()) return finish(violations.ToStatus());
          if (!MaySubmitIn(p, referral->area)) {
            return finish(core_.Deny(p, Method::kSubmitReferral, "referral",
                                     {request->request_id()},
                                     "referral.area: not one of your areas"));
          }
          referral->submission_id = request->request_id();
          referral->referral_id = core_.NewId("R-");

          if (!referral->assessment_id.empty()) {
            const Result<std::vector<StoredAssessment>> assessments =
                core_.store().Assessments(ActorFor(
                    p, "check the assessment a referral names", deadline));
            if (!assessments.ok())
              return finish(ToGrpcStatus(assessments.status()));
            const bool known =
                std::any_of(assessments->begin(), assessments->end(),
                            [&](const StoredAssessment& a) {
                              return a.assessment_id == referral->assessment_id;
                            });
            if (!known) {
              return finish(
                  Code(grpc::StatusCode::FAILED_PRECONDITION,
                       "referral.assessment_id: no such assessment is "
                       "stored; store it first"));
            }
          }
          // The last point at which the call may stop: once queued, the
          // referral is written and acknowledged.
          if (const grpc::Status late =
                  Late(deadline, "before the referral was written");
              !late.ok()) {
            return finish(late);
          }
          const Actor actor = ActorFor(p, "");
          core_.commits().Add(
              core_.writer().Submit(actor, *referral),
              [this, p, finish, response,
               submitted = *referral](Result<SubmitOutcome> outcome) {
                try {
                  finish(core_.AfterCommit(
                      Method::kSubmitReferral,
                      Acknowledge(p, submitted, outcome, response)));
                } catch (const std::exception&) {
                  finish(Code(grpc::StatusCode::INTERNAL, "the server failed"));
                }
              });
        });
  }

  grpc::ServerUnaryReactor* GetReferral(
      grpc::CallbackServerContext* context,
      const v1::GetReferralRequest* request,
      v1::GetReferralResponse* response) override {
    return core_.Unary(
        context, Method::kGetReferral,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckGetReferral(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          const Result<StoredReferral> found = core_.store().GetReferral(
              ActorFor(p, request->purpose(), deadline),
              request->referral_id());
          // Absent and out of scope answer alike, after the same work: one
          // audited read, then one audited refusal.
          if ((!found.ok() && found.status().code() == StatusCode::kNotFound) ||
              (found.ok() && !MayReadReferral(p, *found))) {
            return core_.Deny(p, Method::kGetReferral, "referral",
                              {request->referral_id()},
                              HiddenObject("referral_id", "referral"));
          }
          if (!found.ok()) return ToGrpcStatus(found.status());
          if (const grpc::Status disclosed = core_.Disclose(
                  p, request->purpose(), "referral", {found->referral_id});
              !disclosed.ok()) {
            return disclosed;
          }
          ReferralToWire(*found, response->mutable_referral(),
                         EqualityOnWire::kOmit);
          return grpc::Status::OK;
        });
  }

  grpc::ServerUnaryReactor* ListReferrals(
      grpc::CallbackServerContext* context,
      const v1::ListReferralsRequest* request,
      v1::ListReferralsResponse* response) override {
    return core_.Unary(
        context, Method::kListReferrals,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          const auto [until, after] =
              CheckListReferrals(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          if (!MayListReferralsOf(p, request->area())) {
            return core_.Deny(p, Method::kListReferrals, "", {},
                              "area: not one of your areas");
          }
          const Result<std::vector<StoredReferral>> all =
              core_.store().Referrals(ActorFor(p, request->purpose(), deadline),
                                      request->area(), until);
          if (!all.ok()) return ToGrpcStatus(all.status());
          PageBudget page(PageSize(request->page_size(), core_.limits()),
                          core_.limits());
          const StoredReferral* last = nullptr;
          bool more = false;
          std::vector<std::string> shown;
          for (const StoredReferral& r : *all) {  // In (date, id) order.
            if (!MayReadReferral(p, r)) continue;
            if (after && !(PageKey{r.referred_on, r.referral_id} > *after)) {
              continue;
            }
            v1::Referral wire;
            ReferralToWire(r, &wire, EqualityOnWire::kOmit);
            if (!AddWithin(page, response->mutable_referrals(),
                           std::move(wire))) {
              if (page.count() == 0) return ItemTooLarge("a referral");
              more = true;
              break;
            }
            shown.push_back(r.referral_id);
            last = &r;
          }
          if (more && last != nullptr) {
            response->set_next_page_token(
                EncodeToken(last->referred_on, last->referral_id));
          }
          return core_.Disclose(p, request->purpose(), "referral", shown);
        });
  }

 private:
  // The answer to a submission once its batch has committed.
  grpc::Status Acknowledge(const Principal& p, const StoredReferral& submitted,
                           const Result<SubmitOutcome>& outcome,
                           v1::SubmitReferralResponse* response) {
    if (!outcome.ok()) {
      if (outcome.status().code() == StatusCode::kAlreadyExists) {
        // A referral id collision: the client may retry as it is.
        return Code(grpc::StatusCode::ABORTED,
                    "the referral could not be given an id; retry");
      }
      return ToGrpcStatus(outcome.status());
    }
    if (!outcome->duplicate) {
      ReferralToWire(submitted, response->mutable_referral());
      return grpc::Status::OK;
    }
    // The request id was used before: the same referral, or a conflict.
    // After the commit, on the waiter's thread: the call's deadline is
    // gone, and the answer (the stored referral) is due.
    const Result<StoredReferral> stored = core_.store().GetReferral(
        ActorFor(p, "idempotent retry of a referral submission"),
        outcome->referral_id);
    if (!stored.ok()) return ToGrpcStatus(stored.status());
    if (!SameReferral(*stored, submitted)) {
      return Code(grpc::StatusCode::ALREADY_EXISTS,
                  "request_id: already used for a different referral; use a "
                  "new request_id for a new referral");
    }
    // The stored referral goes back to the caller: disclosed.
    if (const grpc::Status disclosed =
            core_.Disclose(p, "idempotent retry of a referral submission",
                           "referral", {stored->referral_id});
        !disclosed.ok()) {
      return disclosed;
    }
    ReferralToWire(*stored, response->mutable_referral());
    response->set_replayed(true);
    return grpc::Status::OK;
  }

  Core& core_;
};

}  // namespace

std::unique_ptr<grpc::Service> NewReferralService(Core& core) {
  return std::make_unique<ReferralHandler>(core);
}

}  // namespace marac::server
