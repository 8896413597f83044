// marac.v1.IdentityService: identity: resolve a record into people, explain a
// match, record a review decision.
#include <algorithm>
#include <memory>

#include "marac/v1/linkage.grpc.pb.h"
#include "services/casework/held_people.h"
#include "services/server/handlers.h"
#include "services/server/paging.h"
#include "services/server/requests.h"

namespace marac::server {
namespace {

std::optional<std::uint32_t> FindRecord(const std::vector<PersonRecord>& all,
                                        std::string_view id) {
  for (std::uint32_t i = 0; i < all.size(); ++i) {
    if (all[i].record_id == id) return i;
  }
  return std::nullopt;
}

// A coordinator sees the records of its areas, and those stored before
// records had areas.
HeldPeople::InScope InScopeOf(const Principal& p) {
  return
      [&p](std::string_view area) { return area.empty() || InArea(p, area); };
}

class IdentityHandler final : public v1::IdentityService::CallbackService {
 public:
  explicit IdentityHandler(Core& core) : core_(core) {}

  grpc::ServerUnaryReactor* ResolveRecord(
      grpc::CallbackServerContext* context,
      const v1::ResolveRecordRequest* request,
      v1::ResolveRecordResponse* response) override {
    return core_.Unary(
        context, Method::kResolveRecord,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          std::optional<PersonRecord> record;
          if (!request->has_record()) {
            violations.Add("record", "required");
          } else {
            record = PersonRecordFromWire(
                request->record(), core_.wire_limits(), "record", violations);
          }
          CheckPurpose(request->purpose(), "purpose", core_.wire_limits(),
                       violations);
          if (!violations.empty()) return violations.ToStatus();
          // The record's area: one of the caller's; none named, its one.
          if (record->area.empty() && p.areas.size() == 1) {
            record->area = p.areas.front();
          }
          if (record->area.empty()) {
            violations.Add("record.area",
                           "required: name the area whose record this is "
                           "(you work in several, or none)");
            return violations.ToStatus();
          }
          const Actor actor = ActorFor(p, request->purpose(), deadline);
          // The answer, and its disclosure, before anything is written: a
          // call that has stored the record then fails at nothing.
          grpc::Status refused;
          const Result<HeldPeople::Placed> placed = core_.people().Resolve(
              actor, *record, InScopeOf(p),
              [&](const HeldPeople::Placed& answer) {
                response->set_person_id(answer.person_id);
                response->set_new_person(answer.new_person);
                response->set_records_elsewhere(
                    static_cast<std::int32_t>(answer.records_elsewhere));
                response->set_review_elsewhere(
                    static_cast<std::int32_t>(answer.review_elsewhere));
                std::vector<std::string> shown;
                for (const auto& [id, probability] : answer.review) {
                  v1::MatchCandidate* c = response->add_review();
                  c->set_record_id(id);
                  c->set_probability(probability);
                  shown.push_back(id);
                }
                refused =
                    core_.Disclose(p, request->purpose(), "record", shown);
                if (!refused.ok()) {
                  response->Clear();
                  return Cancelled("refused");
                }
                return Status::Ok();
              });
          if (!refused.ok()) return refused;
          if (placed.status().code() == StatusCode::kPermissionDenied) {
            const bool area = placed.status().message() == "record.area";
            return core_.Deny(
                p, Method::kResolveRecord, "record", {record->record_id},
                area ? "record.area: not one of your areas"
                     : "record.record_id: you may not store a record under "
                       "this id");
          }
          if (!placed.ok()) return ToGrpcStatus(placed.status(), "record");
          return core_.AfterCommit(Method::kResolveRecord, grpc::Status::OK);
        });
  }

  grpc::ServerUnaryReactor* ExplainMatch(
      grpc::CallbackServerContext* context,
      const v1::ExplainMatchRequest* request,
      v1::ExplainMatchResponse* response) override {
    return core_.Unary(
        context, Method::kExplainMatch,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckRecordPair(request->record_id_a(), request->record_id_b(),
                          request->purpose(), core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          const Actor actor = ActorFor(p, request->purpose(), deadline);
          const Result<HeldPeople::Explanation> why =
              core_.people().Explain(actor, request->record_id_a(),
                                     request->record_id_b(), InScopeOf(p));
          if (why.status().code() == StatusCode::kPermissionDenied) {
            // Not stored and out of scope answer alike.
            return core_.Deny(p, Method::kExplainMatch, "record",
                              {request->record_id_a(), request->record_id_b()},
                              HiddenObject(why.status().message(), "record"));
          }
          if (!why.ok()) return ToGrpcStatus(why.status());
          response->set_match_probability(why->probability);
          response->set_match_weight(why->weight);
          for (const WeightTerm& t : why->terms) {
            WeightTermToWire(t, response->add_terms());
          }
          return core_.Disclose(
              p, request->purpose(), "record",
              {request->record_id_a(), request->record_id_b()});
        });
  }

  grpc::ServerUnaryReactor* RecordReviewDecision(
      grpc::CallbackServerContext* context,
      const v1::RecordReviewDecisionRequest* request,
      v1::RecordReviewDecisionResponse* response) override {
    return core_.Unary(
        context, Method::kRecordReviewDecision,
        [this, request, response](const Principal& p,
                                  const Deadline& deadline) {
          FieldViolations violations;
          CheckReviewDecision(*request, core_.wire_limits(), violations);
          if (!violations.empty()) return violations.ToStatus();
          const v1::ReviewVerdict verdict = request->verdict();
          const Actor actor = ActorFor(p, request->purpose(), deadline);
          const Result<std::vector<PersonRecord>> records =
              core_.store().Records(actor);
          if (!records.ok()) return ToGrpcStatus(records.status());
          // Not stored and out of scope answer alike.
          const auto visible = [&](const std::string& id) {
            const std::optional<std::uint32_t> i = FindRecord(*records, id);
            return i && InScopeOf(p)((*records)[*i].area);
          };
          const bool a = visible(request->record_id_a());
          if (!a || !visible(request->record_id_b())) {
            return core_.Deny(
                p, Method::kRecordReviewDecision, "record",
                {request->record_id_a(), request->record_id_b()},
                HiddenObject(!a ? "record_id_a" : "record_id_b", "record"));
          }
          if (const grpc::Status late =
                  Late(deadline, "before the decision was stored");
              !late.ok()) {
            return late;
          }
          const ReviewDecision decision{request->record_id_a(),
                                        request->record_id_b(),
                                        verdict == v1::REVIEW_VERDICT_SAME,
                                        {},
                                        {}};
          const Status put =
              core_.store().PutReviewDecisions(actor, {&decision, 1});
          if (!put.ok()) return ToGrpcStatus(put);
          response->set_decided_by(p.user);
          return core_.AfterCommit(Method::kRecordReviewDecision,
                                   grpc::Status::OK);
        });
  }

 private:
  Core& core_;
};

}  // namespace

std::unique_ptr<grpc::Service> NewIdentityService(Core& core) {
  return std::make_unique<IdentityHandler>(core);
}

}  // namespace marac::server
