// marac.v1.IdentityService: identity: resolve a record into people, explain a
// match, record a review decision.
#include <algorithm>
#include <memory>

#include "marac/identity/resolver.h"
#include "marac/v1/linkage.grpc.pb.h"
#include "services/casework/people.h"
#include "services/server/handlers.h"
#include "services/server/paging.h"
#include "services/server/requests.h"

namespace marac::server {
namespace {

// Leave the cores to other calls.
Result<StoredPeople> LoadPeopleForCall(Store& store, const Actor& actor) {
  MARAC_ASSIGN_OR_RETURN(StoredPeople people, LoadPeople(store, actor));
  people.options.training.threads = 1;
  return people;
}

std::optional<std::uint32_t> FindRecord(const std::vector<PersonRecord>& all,
                                        std::string_view id) {
  for (std::uint32_t i = 0; i < all.size(); ++i) {
    if (all[i].record_id == id) return i;
  }
  return std::nullopt;
}

grpc::Status NoModel() {
  return Code(grpc::StatusCode::FAILED_PRECONDITION,
              "the stored records cannot train a linkage model yet; store "
              "more records first");
}

// The answer for a resolution that failed: stopped by the call's deadline
// or cancellation, or else no model could be trained.
grpc::Status Unresolved(const Status& status) {
  if (status.code() == StatusCode::kDeadlineExceeded ||
      status.code() == StatusCode::kCancelled) {
    return ToGrpcStatus(status);
  }
  return NoModel();
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
          const Actor actor = ActorFor(p, request->purpose(), deadline);
          Store& store = core_.store();
          Result<StoredPeople> people = LoadPeopleForCall(store, actor);
          if (!people.ok()) return ToGrpcStatus(people.status());
          // Resolve with the record in place, in memory; store only after.
          std::vector<PersonRecord>& all = people->records;
          const std::optional<std::uint32_t> found =
              FindRecord(all, record->record_id);
          const std::uint32_t self =
              found ? *found : static_cast<std::uint32_t>(all.size());
          if (found) {
            all[self] = *record;
          } else {
            all.push_back(*record);
          }
          AddDecisions(people->decisions, all, people->options);
          const Result<Resolution> resolution = Resolve(all, people->options);
          if (!resolution.ok()) return Unresolved(resolution.status());
          // The last point at which the call may stop: writes never look
          // at the deadline (store.h), so once the record is stored its
          // people are too.
          if (const grpc::Status late =
                  Late(deadline, "before the record was stored");
              !late.ok()) {
            return late;
          }

          // The answer, and its disclosure, before anything is written: a
          // call that has stored the record then fails at nothing.
          const std::string& person = resolution->person_of[self];
          response->set_person_id(person);
          response->set_new_person(std::count(resolution->person_of.begin(),
                                              resolution->person_of.end(),
                                              person) == 1);
          std::vector<std::string> shown;
          for (const ScoredPair& pair : resolution->review) {
            if (pair.a != self && pair.b != self) continue;
            v1::MatchCandidate* c = response->add_review();
            c->set_record_id(all[pair.a == self ? pair.b : pair.a].record_id);
            c->set_probability(pair.probability);
            shown.push_back(c->record_id());
          }
          if (const grpc::Status disclosed =
                  core_.Disclose(p, request->purpose(), "record", shown);
              !disclosed.ok()) {
            response->Clear();
            return disclosed;
          }

          const Status put = store.PutRecords(actor, {&*record, 1});
          if (!put.ok()) return ToGrpcStatus(put, "record");
          const Status saved = store.SavePeople(
              actor, RecordPerson(all, *resolution), resolution->events);
          if (!saved.ok()) return ToGrpcStatus(saved);
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
          Result<StoredPeople> people = LoadPeopleForCall(core_.store(), actor);
          if (!people.ok()) return ToGrpcStatus(people.status());
          const auto a = FindRecord(people->records, request->record_id_a());
          const auto b = FindRecord(people->records, request->record_id_b());
          if (!a || !b) return NotStored(!a ? "record_id_a" : "record_id_b");
          AddDecisions(people->decisions, people->records, people->options);
          const Result<Resolution> resolution =
              Resolve(people->records, people->options);
          if (!resolution.ok()) return Unresolved(resolution.status());
          if (!resolution->model) return NoModel();
          const LinkageModel& model = *resolution->model;
          const NormalisedRecord& ra = resolution->normalised[*a];
          const NormalisedRecord& rb = resolution->normalised[*b];
          response->set_match_probability(model.MatchProbability(ra, rb));
          response->set_match_weight(model.MatchWeight(ra, rb));
          for (const WeightTerm& t : model.Explain(ra, rb)) {
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
          const bool a =
              FindRecord(*records, request->record_id_a()).has_value();
          const bool b =
              FindRecord(*records, request->record_id_b()).has_value();
          if (!a || !b) return NotStored(!a ? "record_id_a" : "record_id_b");
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
  static grpc::Status NotStored(const std::string& field) {
    return Code(grpc::StatusCode::NOT_FOUND,
                field + ": no record with this id is stored");
  }

  Core& core_;
};

}  // namespace

std::unique_ptr<grpc::Service> NewIdentityService(Core& core) {
  return std::make_unique<IdentityHandler>(core);
}

}  // namespace marac::server
