// Who may do what: every RPC x every role x a caller of the objects' own
// agency and area and one of another, against the expected answer; an
// object out of scope answered exactly as an absent one; every refusal in
// the audit log; and no token anywhere in the store. People are invented.
// Longer than 700 lines because most of it is the table of every RPC and
// role, which reads best whole.
#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <map>
#include <set>
#include <sstream>

#include "marac/v1/agenda.grpc.pb.h"
#include "marac/v1/assessment.grpc.pb.h"
#include "marac/v1/audit.grpc.pb.h"
#include "marac/v1/linkage.grpc.pb.h"
#include "marac/v1/meeting.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "marac/v1/statistics.grpc.pb.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using Code = grpc::StatusCode;

enum class Scope { kOwn, kOther };  // The caller's agency and area.

// What a cell must answer: OK; anything but a refusal (the call is
// allowed, and the request may still fail on the data, as ExplainMatch
// does with too few records to train on); or PERMISSION_DENIED.
enum class Want { kOk, kAllowed, kDenied };

constexpr const char* kRoles[] = {"referrer", "idva", "coordinator", "chair",
                                  "auditor"};

// The test agency of `role` in `scope`: police for referrers, IDVA
// services for IDVAs, the MARAC's own for the rest; "-north" is the
// objects' own (area "north"), "-south" another.
std::string AgencyOf(const std::string& role, Scope scope) {
  const std::string side = scope == Scope::kOwn ? "-north" : "-south";
  if (role == "referrer") return "police" + side;
  if (role == "idva") return "idva" + side;
  return "marac" + side;
}

void Date(v1::Date* d, int y, int m, int day) {
  d->set_year(y);
  d->set_month(m);
  d->set_day(day);
}

v1::Assessment Checklist() {
  v1::Assessment a;
  a.set_assessment_id("AS-M");
  a.set_instrument("safelives-ric");
  Date(a.mutable_completed_on(), 2026, 2, 1);
  for (int q = 1; q <= 24; ++q) (*a.mutable_answers())[q] = v1::ANSWER_NO;
  return a;
}

v1::Referral NorthReferral(const std::string& victim) {
  v1::Referral r;
  r.set_area("north");
  r.set_source(v1::REFERRAL_SOURCE_POLICE);
  Date(r.mutable_referred_on(), 2026, 2, 10);
  r.set_victim_record_id(victim);
  r.add_criteria(v1::CRITERION_VISIBLE_HIGH_RISK);
  return r;
}

const char kMeeting[] = "M-2026-03-20-north";

// The server, seeded with a case, a referral from north's police and one
// from north's IDVA service, and north's saved agenda.
class AccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerLimits limits = TestLimits();
    limits.max_list_items = 1000;
    limits.max_open_streams = 64;
    limits.max_stream_messages = 100;
    server_ = std::make_unique<TestServer>(SeedCase, limits);
    ASSERT_TRUE(server_->ok()) << server_->start_error();
    police_referral_ = Submit("police-north", "referrer", "seed-police");
    idva_referral_ = Submit("idva-north", "idva", "seed-idva");
    ASSERT_FALSE(police_referral_.empty());
    ASSERT_FALSE(idva_referral_.empty());
    v1::GenerateAgendaRequest request = AgendaRequest();
    request.set_save(true);
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "coordinator");
    v1::GenerateAgendaResponse response;
    ASSERT_TRUE(v1::AgendaService::NewStub(channel())
                    ->GenerateAgenda(&context, request, &response)
                    .ok());
    ASSERT_EQ(response.agenda_id(), kMeeting);
    // And its minutes: the police referral heard, an action for each of
    // north's police and IDVA service.
    grpc::ClientContext recording;
    AsCaller(recording, "marac-north", "coordinator");
    v1::RecordMeetingResponse recorded;
    ASSERT_TRUE(v1::MeetingService::NewStub(channel())
                    ->RecordMeeting(&recording, Minutes(), &recorded)
                    .ok());
    ASSERT_EQ(recorded.action_ids_size(), 2);
  }

  v1::RecordMeetingRequest Minutes() const {
    v1::RecordMeetingRequest r;
    r.set_area("north");
    Date(r.mutable_meeting_date(), 2026, 3, 20);
    r.add_attendance("police-north");
    r.add_attendance("idva-north");
    r.set_purpose("MARAC minutes");
    v1::CaseHearing* c = r.add_cases();
    c->set_referral_id(police_referral_);
    c->set_outcome(v1::HEARING_OUTCOME_HEARD);
    for (const char* agency : {"police-north", "idva-north"}) {
      v1::CaseAction* a = c->add_actions();
      a->set_agency(agency);
      a->set_owner("duty officer");
      a->set_text("Safety planning");
      Date(a->mutable_due_on(), 2026, 3, 27);
    }
    return r;
  }

  const std::shared_ptr<grpc::Channel>& channel() const {
    return server_->channel();
  }

  std::string Submit(const std::string& agency, const std::string& role,
                     const std::string& request_id) {
    v1::SubmitReferralRequest request;
    request.set_request_id(request_id);
    *request.mutable_referral() = NorthReferral("V1");
    grpc::ClientContext context;
    AsCaller(context, agency, role);
    v1::SubmitReferralResponse response;
    const grpc::Status status =
        v1::ReferralService::NewStub(channel())->SubmitReferral(
            &context, request, &response);
    return status.ok() ? response.referral().referral_id() : "";
  }

  static v1::GenerateAgendaRequest AgendaRequest() {
    v1::GenerateAgendaRequest r;
    r.set_area("north");
    Date(r.mutable_meeting_date(), 2026, 3, 20);
    r.set_capacity_cases(5);
    r.set_purpose("MARAC agenda");
    return r;
  }

  // Calls `method` as the test principal of `agency` in `role`, naming
  // north's objects (for an IDVA, its own service's referral).
  grpc::Status Call(Method method, const std::string& agency,
                    const std::string& role) {
    grpc::ClientContext context;
    AsCaller(context, agency, role);
    const auto& ch = channel();
    switch (method) {
      case Method::kScoreAssessment: {
        v1::ScoreAssessmentRequest request;
        *request.mutable_assessment() = Checklist();
        v1::ScoreAssessmentResponse response;
        return v1::AssessmentService::NewStub(ch)->ScoreAssessment(
            &context, request, &response);
      }
      case Method::kStreamScoreAssessments: {
        auto stream =
            v1::AssessmentService::NewStub(ch)->StreamScoreAssessments(
                &context);
        v1::StreamScoreAssessmentsRequest request;
        *request.mutable_assessment() = Checklist();
        stream->Write(request);
        stream->WritesDone();
        v1::StreamScoreAssessmentsResponse response;
        while (stream->Read(&response)) {
        }
        return stream->Finish();
      }
      case Method::kSubmitReferral: {
        v1::SubmitReferralRequest request;
        request.set_request_id("m-" + agency + "-" + role);
        *request.mutable_referral() = NorthReferral("V2");
        v1::SubmitReferralResponse response;
        return v1::ReferralService::NewStub(ch)->SubmitReferral(
            &context, request, &response);
      }
      case Method::kGetReferral: {
        v1::GetReferralRequest request;
        request.set_referral_id(role == "idva" ? idva_referral_
                                               : police_referral_);
        request.set_purpose("case review");
        v1::GetReferralResponse response;
        return v1::ReferralService::NewStub(ch)->GetReferral(&context, request,
                                                             &response);
      }
      case Method::kListReferrals: {
        v1::ListReferralsRequest request;
        request.set_area("north");
        request.set_purpose("caseload");
        v1::ListReferralsResponse response;
        const grpc::Status status =
            v1::ReferralService::NewStub(ch)->ListReferrals(&context, request,
                                                            &response);
        listed_ = response.referrals_size();
        return status;
      }
      case Method::kResolveRecord: {
        v1::ResolveRecordRequest request;
        v1::PersonRecord* r = request.mutable_record();
        r->set_record_id("NEW-" + agency + "-" + role);
        r->set_source("police");
        r->set_given_name("Ffion");
        r->set_family_name("Madeup");
        r->set_role(v1::PERSON_ROLE_VICTIM);
        request.set_purpose("clerical review");
        v1::ResolveRecordResponse response;
        return v1::IdentityService::NewStub(ch)->ResolveRecord(
            &context, request, &response);
      }
      case Method::kExplainMatch: {
        v1::ExplainMatchRequest request;
        request.set_record_id_a("V1");
        request.set_record_id_b("V2");
        request.set_purpose("clerical review");
        v1::ExplainMatchResponse response;
        return v1::IdentityService::NewStub(ch)->ExplainMatch(&context, request,
                                                              &response);
      }
      case Method::kRecordReviewDecision: {
        v1::RecordReviewDecisionRequest request;
        request.set_record_id_a("V1");
        request.set_record_id_b("V2");
        request.set_verdict(v1::REVIEW_VERDICT_NOT_SAME);
        request.set_purpose("clerical review");
        v1::RecordReviewDecisionResponse response;
        return v1::IdentityService::NewStub(ch)->RecordReviewDecision(
            &context, request, &response);
      }
      case Method::kGenerateAgenda: {
        v1::GenerateAgendaResponse response;
        return v1::AgendaService::NewStub(ch)->GenerateAgenda(
            &context, AgendaRequest(), &response);
      }
      case Method::kGetAgenda: {
        v1::GetAgendaRequest request;
        request.set_agenda_id(kMeeting);
        request.set_purpose("chairing");
        v1::GetAgendaResponse response;
        return v1::AgendaService::NewStub(ch)->GetAgenda(&context, request,
                                                         &response);
      }
      case Method::kListMeetings: {
        v1::ListMeetingsRequest request;
        request.set_area("north");
        request.set_purpose("chairing");
        v1::ListMeetingsResponse response;
        return v1::AgendaService::NewStub(ch)->ListMeetings(&context, request,
                                                            &response);
      }
      case Method::kListAgendaCases: {
        const v1::GenerateAgendaRequest agenda = AgendaRequest();
        v1::ListAgendaCasesRequest request;
        request.set_area(agenda.area());
        *request.mutable_meeting_date() = agenda.meeting_date();
        request.set_capacity_cases(agenda.capacity_cases());
        request.set_purpose("interim safety planning");
        request.set_which(v1::AGENDA_CASE_LIST_DEFERRED);
        v1::ListAgendaCasesResponse response;
        return v1::AgendaService::NewStub(ch)->ListAgendaCases(
            &context, request, &response);
      }
      case Method::kGetResearchList: {
        const v1::GenerateAgendaRequest agenda = AgendaRequest();
        v1::GetResearchListRequest request;
        request.set_area(agenda.area());
        *request.mutable_meeting_date() = agenda.meeting_date();
        request.set_capacity_cases(agenda.capacity_cases());
        request.set_agency("Health");
        request.set_format(v1::OUTPUT_FORMAT_HTML);
        request.set_purpose("research list for the MARAC");
        v1::GetResearchListResponse response;
        return v1::AgendaService::NewStub(ch)->GetResearchList(
            &context, request, &response);
      }
      case Method::kGetStatistics: {
        v1::GetStatisticsRequest request;
        Date(request.mutable_period_start(), 2026, 1, 1);
        Date(request.mutable_period_end(), 2026, 2, 28);
        request.set_area("north");
        request.set_purpose("quarterly return");
        v1::GetStatisticsResponse response;
        return v1::StatisticsService::NewStub(ch)->GetStatistics(
            &context, request, &response);
      }
      case Method::kRecordMeeting: {
        v1::RecordMeetingResponse response;
        return v1::MeetingService::NewStub(ch)->RecordMeeting(
            &context, Minutes(), &response);
      }
      case Method::kListActions: {
        v1::ListActionsRequest request;
        request.set_area("north");
        request.set_purpose("chase actions");
        v1::ListActionsResponse response;
        const grpc::Status status =
            v1::MeetingService::NewStub(ch)->ListActions(&context, request,
                                                         &response);
        for (const v1::CaseAction& a : response.actions()) {
          if (role == "referrer" || role == "idva") {
            EXPECT_EQ(a.agency(), agency) << "only its own agency's";
          }
        }
        return status;
      }
      case Method::kUpdateAction: {
        v1::UpdateActionRequest request;
        request.set_action_id(std::string(kMeeting) + "/" + police_referral_ +
                              (role == "idva" ? "/2" : "/1"));
        request.set_status(v1::ACTION_STATUS_DONE);
        Date(request.mutable_on(), 2026, 3, 24);
        request.set_purpose("action done");
        v1::UpdateActionResponse response;
        return v1::MeetingService::NewStub(ch)->UpdateAction(&context, request,
                                                             &response);
      }
      case Method::kVerifyAudit: {
        v1::VerifyAuditRequest request;
        request.set_purpose("audit check");
        v1::VerifyAuditResponse response;
        const grpc::Status status = v1::AuditService::NewStub(ch)->VerifyAudit(
            &context, request, &response);
        if (status.ok()) {
          EXPECT_TRUE(response.intact());
        }
        return status;
      }
      case Method::kListAuditEntries: {
        v1::ListAuditEntriesRequest request;
        request.set_purpose("audit check");
        v1::ListAuditEntriesResponse response;
        return v1::AuditService::NewStub(ch)->ListAuditEntries(
            &context, request, &response);
      }
    }
    return grpc::Status(Code::INTERNAL, "no such method");
  }

  // Every audit entry, read a page at a time (a page is bounded by bytes
  // as well as by count) by an auditor other than the one the matrix
  // calls as, whose own reads would otherwise count as its calls' entries.
  std::vector<v1::AuditEntry> AuditLog() {
    std::vector<v1::AuditEntry> entries;
    std::int64_t after = 0;
    do {
      grpc::ClientContext context;
      AsCaller(context, "marac-south", "auditor");
      v1::ListAuditEntriesRequest request;
      request.set_purpose("audit check");
      request.set_after_sequence(after);
      v1::ListAuditEntriesResponse response;
      const grpc::Status status =
          v1::AuditService::NewStub(channel())->ListAuditEntries(
              &context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      entries.insert(entries.end(), response.entries().begin(),
                     response.entries().end());
      after = response.next_after_sequence();
    } while (after != 0);
    return entries;
  }

  std::unique_ptr<TestServer> server_;
  std::string police_referral_;
  std::string idva_referral_;
  int listed_ = -1;
};

// The expected answer of a cell: the rules of docs/server.md, written out
// again here (not computed from access.h) so that a change to either
// shows.
Want Expected(Method method, const std::string& role, Scope scope) {
  const bool own = scope == Scope::kOwn;
  const bool case_worker = role == "referrer" || role == "idva";
  const bool coordinator = role == "coordinator";
  const bool chair = role == "chair";
  const auto when = [](bool ok) { return ok ? Want::kOk : Want::kDenied; };
  switch (method) {
    case Method::kScoreAssessment:
    case Method::kStreamScoreAssessments:
      return when(case_worker || coordinator);
    case Method::kSubmitReferral:
      return when(case_worker && own);
    case Method::kGetReferral:
      return when((case_worker || coordinator) && own);
    case Method::kListReferrals:
      return when(case_worker || (coordinator && own));
    case Method::kResolveRecord:
    case Method::kExplainMatch:
      // Three stored records train no model: FAILED_PRECONDITION.
      return coordinator ? Want::kAllowed : Want::kDenied;
    case Method::kRecordReviewDecision:
      return when(coordinator);
    case Method::kGenerateAgenda:
    case Method::kGetStatistics:
      return when(coordinator && own);
    case Method::kGetAgenda:
    case Method::kListMeetings:
    case Method::kListAgendaCases:
    case Method::kGetResearchList:
      return when((coordinator || chair) && own);
    case Method::kRecordMeeting:
      return when((coordinator || chair) && own);
    case Method::kListActions:
      return when(case_worker || ((coordinator || chair) && own));
    case Method::kUpdateAction:
      return when((case_worker || coordinator || chair) && own);
    case Method::kVerifyAudit:
    case Method::kListAuditEntries:
      return when(role == "auditor");
  }
  return Want::kDenied;
}

TEST_F(AccessTest, EveryMethodEveryRoleEachScope) {
  int denied = 0;
  for (const Method method : kAllMethods) {
    for (const char* role : kRoles) {
      for (const Scope scope : {Scope::kOwn, Scope::kOther}) {
        const std::string agency = AgencyOf(role, scope);
        SCOPED_TRACE(std::string(MethodName(method)) + " as " + role + " of " +
                     agency);
        const grpc::Status status = Call(method, agency, role);
        switch (Expected(method, role, scope)) {
          case Want::kOk:
            EXPECT_EQ(status.error_code(), Code::OK) << status.error_message();
            break;
          case Want::kAllowed:
            EXPECT_NE(status.error_code(), Code::PERMISSION_DENIED);
            EXPECT_NE(status.error_code(), Code::UNAUTHENTICATED);
            break;
          case Want::kDenied:
            EXPECT_EQ(status.error_code(), Code::PERMISSION_DENIED)
                << status.error_message();
            ++denied;
            break;
        }
        if (method == Method::kListReferrals && status.ok()) {
          // Another agency's referrer or IDVA may ask, and sees none.
          if (scope == Scope::kOwn) {
            EXPECT_GT(listed_, 0);
          } else {
            EXPECT_EQ(listed_, 0);
          }
        }
      }
    }
  }
  // Every refusal is in the audit log, with its call's id.
  int audited = 0;
  for (const v1::AuditEntry& e : AuditLog()) {
    if (!e.purpose().starts_with("permission_denied ")) continue;
    ++audited;
    EXPECT_EQ(e.outcome(), "permission_denied") << e.purpose();
    EXPECT_TRUE(e.request_id().starts_with("C-")) << e.purpose();
    EXPECT_THAT(e.user(), HasSubstr(e.role())) << e.purpose();
  }
  EXPECT_EQ(audited, denied);
}

TEST_F(AccessTest, ARoleThePrincipalDoesNotHoldIsDeniedAndAudited) {
  grpc::ClientContext context;
  AsCaller(context, "police-north", "referrer");
  context.AddMetadata("x-marac-role", "coordinator");
  v1::ListMeetingsRequest request;
  request.set_area("north");
  request.set_purpose("looking");
  v1::ListMeetingsResponse response;
  const grpc::Status status =
      v1::AgendaService::NewStub(channel())->ListMeetings(&context, request,
                                                          &response);
  EXPECT_EQ(status.error_code(), Code::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("x-marac-role"));
  EXPECT_EQ(response.meetings_size(), 0);
  int audited = 0;
  for (const v1::AuditEntry& e : AuditLog()) {
    audited += e.purpose() == "permission_denied AgendaService.ListMeetings" &&
               e.user() == "u-referrer-police-north" &&
               e.role() == "coordinator";
  }
  EXPECT_EQ(audited, 1);
}

TEST_F(AccessTest, OutOfScopeAndAbsentObjectsGetTheSameAnswer) {
  const auto get_referral = [&](const std::string& id,
                                const std::string& agency) {
    grpc::ClientContext context;
    AsCaller(context, agency, "referrer");
    v1::GetReferralRequest request;
    request.set_referral_id(id);
    request.set_purpose("case review");
    v1::GetReferralResponse response;
    return v1::ReferralService::NewStub(channel())->GetReferral(
        &context, request, &response);
  };
  const grpc::Status other = get_referral(police_referral_, "police-south");
  const grpc::Status absent =
      get_referral("R-00000000deadbeef", "police-north");
  EXPECT_EQ(other.error_code(), Code::PERMISSION_DENIED);
  EXPECT_EQ(absent.error_code(), Code::PERMISSION_DENIED);
  EXPECT_EQ(other.error_message(), absent.error_message());
  EXPECT_EQ(other.error_details(), absent.error_details());

  const auto get_agenda = [&](const std::string& id,
                              const std::string& agency) {
    grpc::ClientContext context;
    AsCaller(context, agency, "chair");
    v1::GetAgendaRequest request;
    request.set_agenda_id(id);
    request.set_purpose("chairing");
    v1::GetAgendaResponse response;
    return v1::AgendaService::NewStub(channel())->GetAgenda(&context, request,
                                                            &response);
  };
  const grpc::Status other_area = get_agenda(kMeeting, "marac-south");
  const grpc::Status no_agenda =
      get_agenda("M-2026-04-17-north", "marac-north");
  const grpc::Status not_an_id = get_agenda("A-1", "marac-north");
  for (const grpc::Status* s : {&other_area, &no_agenda, &not_an_id}) {
    EXPECT_EQ(s->error_code(), Code::PERMISSION_DENIED);
    EXPECT_EQ(s->error_message(), other_area.error_message());
  }
}

TEST_F(AccessTest, AuditorsSeeTheLogAndItsChainHolds) {
  const std::vector<v1::AuditEntry> log = AuditLog();
  ASSERT_FALSE(log.empty());
  for (std::size_t i = 1; i < log.size(); ++i) {
    EXPECT_EQ(log[i].prev_hash(), log[i - 1].row_hash());
    EXPECT_EQ(log[i].sequence(), log[i - 1].sequence() + 1);
  }
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "auditor");
  v1::VerifyAuditRequest request;
  request.set_purpose("audit check");
  request.set_anchor_sequence(log.back().sequence());
  request.set_anchor_hash(log.back().row_hash());
  v1::VerifyAuditResponse response;
  ASSERT_TRUE(v1::AuditService::NewStub(channel())
                  ->VerifyAudit(&context, request, &response)
                  .ok());
  EXPECT_TRUE(response.intact()) << response.problem();
  EXPECT_GT(response.head_sequence(), log.back().sequence());
}

TEST_F(AccessTest, StatisticsCountOnlyTheAreasReferrals) {
  v1::SubmitReferralRequest south;
  south.set_request_id("south-1");
  *south.mutable_referral() = NorthReferral("V2");
  south.mutable_referral()->set_area("south");
  {
    grpc::ClientContext context;
    AsCaller(context, "police-south", "referrer");
    v1::SubmitReferralResponse response;
    ASSERT_TRUE(v1::ReferralService::NewStub(channel())
                    ->SubmitReferral(&context, south, &response)
                    .ok());
  }
  for (const char* area : {"north", "south"}) {
    SCOPED_TRACE(area);
    grpc::ClientContext context;
    AsCaller(context, std::string("marac-") + area, "coordinator");
    v1::GetStatisticsRequest request;
    Date(request.mutable_period_start(), 2026, 1, 1);
    Date(request.mutable_period_end(), 2026, 2, 28);
    request.set_area(area);
    request.set_purpose("quarterly return");
    v1::GetStatisticsResponse response;
    ASSERT_TRUE(v1::StatisticsService::NewStub(channel())
                    ->GetStatistics(&context, request, &response)
                    .ok());
    const auto& by_agency = response.statistics().referrals_by_agency();
    if (std::string(area) == "north") {
      EXPECT_EQ(by_agency.count("police-south"), 0u);
      EXPECT_EQ(by_agency.at("police-north"), 1);
    } else {
      EXPECT_EQ(by_agency.count("police-north"), 0u);
      EXPECT_EQ(by_agency.at("police-south"), 1);
    }
  }
}

TEST_F(AccessTest, AuditEntriesComeInPages) {
  std::vector<std::int64_t> seen;
  std::int64_t after = 0;
  for (int page = 0; page < 100; ++page) {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "auditor");
    v1::ListAuditEntriesRequest request;
    request.set_purpose("audit check");
    request.set_after_sequence(after);
    request.set_page_size(3);
    v1::ListAuditEntriesResponse response;
    ASSERT_TRUE(v1::AuditService::NewStub(channel())
                    ->ListAuditEntries(&context, request, &response)
                    .ok());
    EXPECT_LE(response.entries_size(), 3);
    for (const v1::AuditEntry& e : response.entries()) {
      seen.push_back(e.sequence());
    }
    after = response.next_after_sequence();
    if (after == 0) break;
  }
  ASSERT_GT(seen.size(), 3u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i], static_cast<std::int64_t>(i) + 1);
  }
}

TEST_F(AccessTest, NoTokenReachesTheStore) {
  for (const Method method : kAllMethods) {
    for (const char* role : kRoles) {
      (void)Call(method, AgencyOf(role, Scope::kOwn), role);
    }
  }
  for (const v1::AuditEntry& e : AuditLog()) {
    EXPECT_THAT(e.DebugString(), Not(HasSubstr("tok-"))) << e.sequence();
  }
  server_->server().Shutdown();  // Checkpoints the WAL into the file.
  std::ifstream in(server_->store_path(), std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  ASSERT_GT(bytes.str().size(), 0u);
  EXPECT_EQ(bytes.str().find("tok-"), std::string::npos);
  EXPECT_EQ(bytes.str().find("Bearer"), std::string::npos);
}

// ---- The RPC table of docs/server.md --------------------------------------

// One row of the table: the status codes the RPC may answer (beyond those
// every RPC may), and the audit entries ("object_type action") a call that
// succeeds writes.
struct RpcRow {
  std::set<std::string> codes;
  std::set<std::string> audit;
};

std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream in(line);
  std::string cell;
  std::getline(in, cell, '|');  // Before the first bar.
  while (std::getline(in, cell, '|')) {
    cell.erase(0, cell.find_first_not_of(" `"));
    cell.erase(cell.find_last_not_of(" `") + 1);
    cells.push_back(cell);
  }
  return cells;
}

std::set<std::string> CommaList(const std::string& cell) {
  std::set<std::string> out;
  if (cell == "none") return out;
  std::stringstream in(cell);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(0, item.find_first_not_of(" `"));
    item.erase(item.find_last_not_of(" `") + 1);
    if (!item.empty()) out.insert(item);
  }
  return out;
}

// The table after the `<!-- rpc-table -->` marker, by "Service.Method".
std::map<std::string, RpcRow> RpcTable() {
  std::ifstream in(MARAC_SERVER_MD);
  std::map<std::string, RpcRow> rows;
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.find("<!-- rpc-table -->") != std::string::npos) {
      in_table = true;
      continue;
    }
    if (!in_table) continue;
    if (line.empty() || line[0] != '|') {
      if (!rows.empty()) break;
      continue;
    }
    const std::vector<std::string> cells = Cells(line);
    if (cells.size() < 3 || cells[0] == "RPC" || cells[0].starts_with("-")) {
      continue;
    }
    rows[cells[0]] = {CommaList(cells[1]), CommaList(cells[2])};
  }
  return rows;
}

std::string CodeName(Code code) {
  static const std::map<Code, std::string> kNames = {
      {Code::OK, "OK"},
      {Code::CANCELLED, "CANCELLED"},
      {Code::INVALID_ARGUMENT, "INVALID_ARGUMENT"},
      {Code::DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED"},
      {Code::NOT_FOUND, "NOT_FOUND"},
      {Code::ALREADY_EXISTS, "ALREADY_EXISTS"},
      {Code::PERMISSION_DENIED, "PERMISSION_DENIED"},
      {Code::RESOURCE_EXHAUSTED, "RESOURCE_EXHAUSTED"},
      {Code::FAILED_PRECONDITION, "FAILED_PRECONDITION"},
      {Code::ABORTED, "ABORTED"},
      {Code::UNIMPLEMENTED, "UNIMPLEMENTED"},
      {Code::INTERNAL, "INTERNAL"},
      {Code::UNAVAILABLE, "UNAVAILABLE"},
      {Code::UNAUTHENTICATED, "UNAUTHENTICATED"}};
  const auto it = kNames.find(code);
  return it == kNames.end() ? "code " + std::to_string(code) : it->second;
}

// "/marac.v1.ReferralService/GetReferral" for "ReferralService.GetReferral".
std::string MethodPath(std::string_view name) {
  const std::size_t dot = name.find('.');
  return "/marac.v1." + std::string(name.substr(0, dot)) + "/" +
         std::string(name.substr(dot + 1));
}

// Calls a unary RPC with an empty request, as `role` of `agency` (no
// caller at all when `agency` is empty).
grpc::Status CallEmpty(const std::shared_ptr<grpc::Channel>& channel,
                       std::string_view method, const std::string& agency,
                       const std::string& role) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  if (agency.empty()) {
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
  } else {
    AsCaller(context, agency, role);
  }
  // An empty message: one empty slice (a buffer with none is no message).
  const grpc::Slice empty(std::string{});
  const grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, MethodPath(method), grpc::StubOptions(), &request,
                 &response,
                 [&done](grpc::Status status) { done.set_value(status); });
  return done.get_future().get();
}

TEST_F(AccessTest, TheRpcTableOfServerMdIsWhatTheServerDoes) {
  const std::map<std::string, RpcRow> table = RpcTable();
  ASSERT_EQ(table.size(), std::size(kAllMethods))
      << "docs/server.md: one row per RPC after <!-- rpc-table -->";
  // What the calls of `user` since `after` wrote to the log.
  const auto written = [&](const std::string& user, std::int64_t after) {
    std::vector<v1::AuditEntry> out;
    for (const v1::AuditEntry& e : AuditLog()) {
      if (e.sequence() > after && e.user() == user) out.push_back(e);
    }
    return out;
  };
  const auto head = [&] {
    const std::vector<v1::AuditEntry> log = AuditLog();
    return log.empty() ? std::int64_t{0} : log.back().sequence();
  };
  for (const Method method : kAllMethods) {
    const std::string name(MethodName(method));
    SCOPED_TRACE(name);
    const auto row = table.find(name);
    ASSERT_NE(row, table.end()) << "no row for " << name;
    const RpcRow& want = row->second;
    const auto listed = [&](Code code) {
      EXPECT_TRUE(want.codes.contains(CodeName(code)))
          << name << " answered " << CodeName(code)
          << ", which its row does not list";
    };

    // A caller allowed to call it, naming its own objects.
    const char* allowed = nullptr;
    const char* denied = nullptr;
    for (const char* role : kRoles) {
      const bool may = Expected(method, role, Scope::kOwn) != Want::kDenied;
      if (may && allowed == nullptr) allowed = role;
      if (!may && denied == nullptr) denied = role;
    }
    ASSERT_NE(allowed, nullptr);
    ASSERT_NE(denied, nullptr);
    const std::string agency = AgencyOf(allowed, Scope::kOwn);
    const std::string user = "u-" + std::string(allowed) + "-" + agency;

    // A call that succeeds writes exactly the entries the row lists.
    std::int64_t before = head();
    const grpc::Status ok = Call(method, agency, allowed);
    listed(ok.error_code());
    if (ok.ok()) {
      std::set<std::string> seen;
      for (const v1::AuditEntry& e : written(user, before)) {
        EXPECT_EQ(e.outcome(), "ok");
        seen.insert(e.object_type() + " " + e.action());
      }
      // Entries marked * are written when there is something to name (a
      // disclosure of an empty page is not written).
      for (const std::string& entry : want.audit) {
        if (entry.ends_with("*")) {
          seen.erase(entry.substr(0, entry.size() - 1));
        } else {
          EXPECT_TRUE(seen.erase(entry) == 1)
              << "a call that succeeds did not write " << entry;
        }
      }
      for (const std::string& extra : seen) {
        ADD_FAILURE() << "a call that succeeds wrote " << extra
                      << ", which its row does not list";
      }
    }

    // A role that may not call it: PERMISSION_DENIED and one refusal entry.
    const std::string denied_agency = AgencyOf(denied, Scope::kOwn);
    before = head();
    const grpc::Status refused = Call(method, denied_agency, denied);
    EXPECT_EQ(refused.error_code(), Code::PERMISSION_DENIED);
    listed(refused.error_code());
    const std::vector<v1::AuditEntry> refusal =
        written("u-" + std::string(denied) + "-" + denied_agency, before);
    ASSERT_EQ(refusal.size(), 1u);
    EXPECT_EQ(refusal[0].object_type(), "method");
    EXPECT_EQ(refusal[0].action(), "consult");
    EXPECT_EQ(refusal[0].outcome(), "permission_denied");
    EXPECT_EQ(refusal[0].purpose(), "permission_denied " + name);

    if (method == Method::kStreamScoreAssessments) continue;  // Not unary.
    // An empty request, and no caller at all.
    listed(CallEmpty(channel(), name, agency, allowed).error_code());
    const grpc::Status anonymous = CallEmpty(channel(), name, "", "");
    EXPECT_EQ(anonymous.error_code(), Code::UNAUTHENTICATED);
    listed(anonymous.error_code());
  }
}

}  // namespace
}  // namespace marac
