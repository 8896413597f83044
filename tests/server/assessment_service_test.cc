// AssessmentService over loopback: scoring one and a stream, every
// validation error by field path, caller metadata, and the limits.
#include <gmock/gmock.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <optional>
#include <vector>

#include "marac/assess/score.h"
#include "marac/store/store.h"
#include "marac/v1/assessment.grpc.pb.h"
#include "services/wire/convert.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// One ScoreAssessment call of `assessment` as the test principal of
// `agency` in `role`; `context` (when given) keeps the call's metadata.
grpc::Status ScoreOnce(v1::AssessmentService::Stub& stub,
                       const v1::Assessment& assessment,
                       v1::ScoreAssessmentResponse& response,
                       grpc::ClientContext* context = nullptr,
                       const std::string& agency = "police-north",
                       const std::string& role = "referrer") {
  grpc::ClientContext own;
  grpc::ClientContext& c = context != nullptr ? *context : own;
  AsCaller(c, agency, role);
  v1::ScoreAssessmentRequest request;
  *request.mutable_assessment() = assessment;
  return stub.ScoreAssessment(&c, request, &response);
}

TEST(AssessmentServiceTest, ScoresAValidChecklist) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  v1::ScoreAssessmentResponse response;
  const grpc::Status status = ScoreOnce(*stub, Ric(15), response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.score().assessment_id(), "AS-1");
  EXPECT_EQ(response.score().score(), 15);
  EXPECT_EQ(response.score().grade(), v1::GRADE_HIGH);
  EXPECT_TRUE(response.score().marac_referral());
  ASSERT_GE(response.score().criteria_size(), 1);
  EXPECT_EQ(response.score().criteria(0).id(), "visible_high_risk");
}

struct BadAssessmentCase {
  const char* label;
  void (*mutate)(v1::ScoreAssessmentRequest&);
  const char* field;
};
constexpr BadAssessmentCase kBadAssessments[] = {
    {"NoAssessment",
     [](v1::ScoreAssessmentRequest& r) { r.clear_assessment(); }, "assessment"},
    {"NoId",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->clear_assessment_id();
     },
     "assessment.assessment_id"},
    {"UnknownInstrument",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->set_instrument("not-an-instrument");
     },
     "assessment.instrument"},
    {"NoCompletedOn",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->clear_completed_on();
     },
     "assessment.completed_on"},
    {"CompletedInFuture",
     [](v1::ScoreAssessmentRequest& r) {
       SetDate(r.mutable_assessment()->mutable_completed_on(), 2026, 3, 2);
     },
     "assessment.completed_on"},
    {"NotACalendarDate",
     [](v1::ScoreAssessmentRequest& r) {
       SetDate(r.mutable_assessment()->mutable_completed_on(), 2025, 2, 29);
     },
     "assessment.completed_on"},
    {"QuestionOutOfRange",
     [](v1::ScoreAssessmentRequest& r) {
       (*r.mutable_assessment()->mutable_answers())[25] = v1::ANSWER_YES;
     },
     "assessment.answers.25"},
    {"UnspecifiedAnswer",
     [](v1::ScoreAssessmentRequest& r) {
       (*r.mutable_assessment()->mutable_answers())[3] = v1::ANSWER_UNSPECIFIED;
     },
     "assessment.answers.3"},
    {"UnknownAnswerValue",
     [](v1::ScoreAssessmentRequest& r) {
       (*r.mutable_assessment()->mutable_answers())[4] =
           static_cast<v1::Answer>(9);
     },
     "assessment.answers.4"},
    {"InOrderWithMap",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->add_answers_in_order(v1::ANSWER_YES);
     },
     "assessment.answers_in_order"},
    {"InOrderLongerThanTheForm",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->clear_answers();
       for (int q = 1; q <= 25; ++q) {
         r.mutable_assessment()->add_answers_in_order(
             q == 25 ? v1::ANSWER_UNSPECIFIED : v1::ANSWER_NO);
       }
     },
     "assessment.answers_in_order[24]"},
    {"InOrderUnknownAnswerValue",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->clear_answers();
       r.mutable_assessment()->add_answers_in_order(v1::ANSWER_YES);
       r.mutable_assessment()->add_answers_in_order(static_cast<v1::Answer>(9));
     },
     "assessment.answers_in_order[1]"},
    {"InOrderMoreThanAnyForm",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->clear_answers();
       for (int q = 1; q <= 65; ++q) {
         r.mutable_assessment()->add_answers_in_order(v1::ANSWER_NO);
       }
     },
     "assessment.answers_in_order"},
    {"CountAndDates",
     [](v1::ScoreAssessmentRequest& r) {
       v1::CaseHistory* h = r.mutable_assessment()->mutable_history();
       h->set_incidents_last_12_months(2);
       SetDate(h->add_incident_dates(), 2026, 1, 1);
     },
     "assessment.history.incident_dates"},
    {"TooManyDates",
     [](v1::ScoreAssessmentRequest& r) {
       v1::CaseHistory* h = r.mutable_assessment()->mutable_history();
       for (int i = 1; i <= 6; ++i)
         SetDate(h->add_incident_dates(), 2026, 1, i);
     },
     "assessment.history.incident_dates"},
    {"BadIncidentDate",
     [](v1::ScoreAssessmentRequest& r) {
       SetDate(r.mutable_assessment()->mutable_history()->add_incident_dates(),
               2026, 13, 1);
     },
     "assessment.history.incident_dates[0]"},
    {"ReasonWithoutRefer",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()
           ->mutable_history()
           ->set_professional_judgement_reason("worried");
     },
     "assessment.history.professional_judgement_reason"},
    {"ReferWithoutReason",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->mutable_history()->set_professional_judgement(
           v1::PROFESSIONAL_JUDGEMENT_REFER);
     },
     "assessment.history.professional_judgement_reason"},
    {"ReasonTooLong",
     [](v1::ScoreAssessmentRequest& r) {
       v1::CaseHistory* h = r.mutable_assessment()->mutable_history();
       h->set_professional_judgement(v1::PROFESSIONAL_JUDGEMENT_REFER);
       h->set_professional_judgement_reason(std::string(300, 'x'));
     },
     "assessment.history.professional_judgement_reason"},
    {"IncidentAfterCompletion",
     [](v1::ScoreAssessmentRequest& r) {
       SetDate(r.mutable_assessment()->mutable_history()->mutable_incident_on(),
               2026, 2, 20);
     },
     "assessment.history.incident_on"},
    {"VictimAgeOutOfRange",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->mutable_history()->set_victim_age(121);
     },
     "assessment.history.victim_age"},
    {"NegativeChildren",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->mutable_history()->set_children_in_household(-1);
     },
     "assessment.history.children_in_household"},
    {"OfficerGradeOnACount",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->mutable_history()->set_officer_grade(
           v1::GRADE_HIGH);
     },
     "assessment.history.officer_grade"},
    {"RationaleOnACount",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->mutable_history()->set_officer_rationale("x");
     },
     "assessment.history.officer_rationale"},
    {"ParentOnAChecklist",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->set_parent_assessment_id("RIC-1");
     },
     "assessment.parent_assessment_id"},
    {"DaraWithoutGrade",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->set_instrument("dara");
       r.mutable_assessment()->clear_answers();
       r.mutable_assessment()->clear_answers_in_order();
       r.mutable_assessment()->mutable_history()->set_officer_rationale("x");
     },
     "assessment.history.officer_grade"},
    {"DaraWithoutRationale",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->set_instrument("dara");
       r.mutable_assessment()->clear_answers();
       r.mutable_assessment()->clear_answers_in_order();
       r.mutable_assessment()->mutable_history()->set_officer_grade(
           v1::GRADE_HIGH);
     },
     "assessment.history.officer_rationale"},
    {"DaraNotGraded",
     [](v1::ScoreAssessmentRequest& r) {
       r.mutable_assessment()->set_instrument("dara");
       r.mutable_assessment()->clear_answers();
       r.mutable_assessment()->clear_answers_in_order();
       v1::CaseHistory* h = r.mutable_assessment()->mutable_history();
       h->set_officer_grade(v1::GRADE_NOT_GRADED);
       h->set_officer_rationale("x");
     },
     "assessment.history.officer_grade"},
};

TEST(AssessmentServiceTest, DaraIsGradedByTheOfficer) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  v1::Assessment a;
  a.set_assessment_id("DARA-1");
  a.set_instrument("dara");
  SetDate(a.mutable_completed_on(), 2026, 3, 1);
  v1::CaseHistory* h = a.mutable_history();
  h->set_officer_grade(v1::GRADE_HIGH);
  h->set_officer_rationale("Threats to kill after separation");
  h->set_hbv_concern(true);
  v1::ScoreAssessmentResponse response;
  const grpc::Status status = ScoreOnce(*stub, a, response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const v1::RiskScore& s = response.score();
  EXPECT_EQ(s.grade(), v1::GRADE_HIGH);
  EXPECT_TRUE(s.marac_referral());
  ASSERT_EQ(s.criteria_size(), 1);
  EXPECT_EQ(s.criteria(0).id(), "visible_high_risk");
  EXPECT_THAT(s.criteria(0).reason(),
              HasSubstr("Threats to kill after separation"));
  std::vector<std::string> prompts;
  for (const v1::Finding& f : s.prompts()) {
    prompts.push_back(f.id());
    EXPECT_THAT(f.reason(), HasSubstr("officer's judgement, not a count"));
  }
  EXPECT_THAT(prompts, Contains(std::string("honour_based_abuse")));
}

TEST(AssessmentServiceTest, AStalkingChecklistEchoesItsParent) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  v1::Assessment a;
  a.set_assessment_id("SDASH-1");
  a.set_instrument("s-dash");
  a.set_parent_assessment_id("RIC-7");
  SetDate(a.mutable_completed_on(), 2026, 3, 1);
  for (int n = 1; n <= 11; ++n) (*a.mutable_answers())[n] = v1::ANSWER_YES;
  v1::ScoreAssessmentResponse response;
  const grpc::Status status = ScoreOnce(*stub, a, response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.score().parent_assessment_id(), "RIC-7");
  std::vector<std::string> prompts;
  for (const v1::Finding& f : response.score().prompts()) {
    prompts.push_back(f.id());
  }
  EXPECT_THAT(prompts, Contains(std::string("stalking_service")));
}

TEST(AssessmentServiceTest, SafeguardingPromptsComeWithTheScore) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  v1::Assessment a = Ric(3);
  v1::CaseHistory* h = a.mutable_history();
  h->set_victim_age(70);
  h->set_children_in_household(2);
  v1::ScoreAssessmentResponse response;
  const grpc::Status status = ScoreOnce(*stub, a, response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> prompts;
  for (const v1::Finding& f : response.score().prompts()) {
    prompts.push_back(f.id());
  }
  EXPECT_THAT(prompts, Contains(std::string("adult_safeguarding")));
  EXPECT_EQ(response.score().grade(), v1::GRADE_STANDARD)
      << "a prompt never changes the grade";
}

TEST(AssessmentServiceTest, RefusesEachBadFieldByPath) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  for (const BadAssessmentCase& c : kBadAssessments) {
    SCOPED_TRACE(c.label);
    v1::ScoreAssessmentRequest request;
    *request.mutable_assessment() = Ric(3);
    c.mutate(request);
    grpc::ClientContext context;
    AsCaller(context);
    v1::ScoreAssessmentResponse response;
    const grpc::Status status =
        stub->ScoreAssessment(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), Contains(std::string(c.field)));
  }
}

TEST(AssessmentServiceTest, ListsEveryViolationAndEchoesNoValue) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  v1::ScoreAssessmentRequest request;
  v1::Assessment* a = request.mutable_assessment();
  a->set_instrument("Secret Surname");  // Must not come back.
  (*a->mutable_answers())[1] = v1::ANSWER_UNSPECIFIED;
  grpc::ClientContext context;
  AsCaller(context);
  v1::ScoreAssessmentResponse response;
  const grpc::Status status =
      stub->ScoreAssessment(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), SizeIs(4));
  EXPECT_EQ(status.error_message().find("Secret"), std::string::npos);
  EXPECT_EQ(status.error_details().find("Secret"), std::string::npos);
}

struct CallerCase {
  const char* label;
  const char* authorization;  // nullptr: header absent.
  const char* role;           // x-marac-role; nullptr: absent.
  bool twice;
};
constexpr CallerCase kBadCallers[] = {
    {"NoToken", nullptr, nullptr, false},
    {"UnknownToken", "Bearer tok-nobody", nullptr, false},
    {"NotBearer", "Basic dTpw", nullptr, false},
    {"EmptyBearer", "Bearer ", nullptr, false},
    {"TokenTwice", "Bearer tok-referrer-police-north", nullptr, true},
    {"UnknownRole", "Bearer tok-referrer-police-north", "superuser", false},
};

// Assessments that raise every kind of finding: criteria met and not, high
// harm indicators, and each prompt.
std::vector<v1::Assessment> VariedAssessments() {
  std::vector<v1::Assessment> out;
  out.push_back(Ric(15));            // Visible high risk; indicators.
  v1::Assessment unknowns = Ric(8);  // Could be high; incomplete.
  for (int q = 9; q <= 24; ++q) {
    (*unknowns.mutable_answers())[q] =
        q % 2 == 0 ? v1::ANSWER_NOT_KNOWN : v1::ANSWER_NO;
  }
  unknowns.mutable_answers()->erase(24);
  out.push_back(unknowns);
  v1::Assessment judgement = Ric(0);  // Judgement prompt, then a referral.
  (*judgement.mutable_answers())[8] = v1::ANSWER_YES;  // Stalking: follow-up.
  (*judgement.mutable_answers())[14] = v1::ANSWER_YES;
  out.push_back(judgement);
  judgement.mutable_history()->set_professional_judgement(
      v1::PROFESSIONAL_JUDGEMENT_REFER);
  judgement.mutable_history()->set_professional_judgement_reason(
      "Invented reason for a test");
  judgement.mutable_history()->set_incidents_last_12_months(4);
  SetDate(judgement.mutable_history()->mutable_last_marac_referral_on(), 2025,
          9, 1);
  out.push_back(judgement);
  return out;
}

void ExpectSameFindings(
    const google::protobuf::RepeatedPtrField<v1::Finding>& got,
    const std::vector<Finding>& want) {
  ASSERT_EQ(got.size(), static_cast<int>(want.size()));
  for (int i = 0; i < got.size(); ++i) {
    const Finding& w = want[static_cast<std::size_t>(i)];
    EXPECT_EQ(got[i].id(), w.id);
    EXPECT_EQ(got[i].reason(), w.reason);
    EXPECT_EQ(std::vector<int>(got[i].items().begin(), got[i].items().end()),
              w.items);
  }
}

// The response's four lists are the library's, finding for finding.
TEST(AssessmentServiceTest, FindingsAreTheLibrarysInEveryList) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  const InstrumentSet instruments = InstrumentSet::BuiltIn();
  const Result<Scorer> scorer =
      Scorer::Create(ScoringPolicy::Default(), instruments);
  ASSERT_TRUE(scorer.ok());
  int prompts = 0;
  // Twice over: the server reuses cleared messages, and nothing of one
  // call may be left in the next.
  std::vector<v1::Assessment> twice = VariedAssessments();
  const std::vector<v1::Assessment> again = VariedAssessments();
  twice.insert(twice.end(), again.rbegin(), again.rend());
  for (const v1::Assessment& a : twice) {
    SCOPED_TRACE(a.DebugString());
    v1::ScoreAssessmentResponse response;
    const grpc::Status status = ScoreOnce(*stub, a, response);
    ASSERT_TRUE(status.ok()) << status.error_message();

    FieldViolations violations;
    const std::optional<WireAssessment> in =
        AssessmentFromWire(a, instruments,
                           {.max_string_bytes = 4096,
                            .max_list_items = 100,
                            .earliest = Date{1990, 1, 1},
                            .latest = kToday},
                           "assessment", violations);
    ASSERT_TRUE(in.has_value());
    const Result<RiskScore> want =
        scorer->Score(in->checklist, in->history, in->completed_on);
    ASSERT_TRUE(want.ok());
    const v1::RiskScore& got = response.score();
    ExpectSameFindings(got.criteria(), DescribeCriteria(*want));
    ExpectSameFindings(got.criteria_not_met(), DescribeCriteriaNotMet(*want));
    ExpectSameFindings(got.high_harm_indicators(),
                       DescribeHighHarmIndicators(*want));
    ExpectSameFindings(got.prompts(), DescribePrompts(*want));
    prompts += got.prompts_size();
  }
  EXPECT_GE(prompts, 8);
}

// The dense answers score exactly as the map does, an unasked question
// (ANSWER_UNSPECIFIED in the list, absent from the map) included.
TEST(AssessmentServiceTest, AnswersInOrderScoreAsTheMapDoes) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  for (const v1::Assessment& by_map : VariedAssessments()) {
    v1::Assessment in_order = by_map;
    in_order.clear_answers();
    int last = 0;
    for (const auto& [number, answer] : by_map.answers()) {
      last = std::max(last, number);
    }
    for (int q = 1; q <= last; ++q) {
      const auto found = by_map.answers().find(q);
      in_order.add_answers_in_order(found == by_map.answers().end()
                                        ? v1::ANSWER_UNSPECIFIED
                                        : found->second);
    }
    std::string scored[2];
    for (int k = 0; k < 2; ++k) {
      v1::ScoreAssessmentResponse response;
      const grpc::Status status =
          ScoreOnce(*stub, k == 0 ? by_map : in_order, response);
      ASSERT_TRUE(status.ok()) << status.error_message();
      scored[k] = response.score().DebugString();
    }
    EXPECT_EQ(scored[0], scored[1]);
  }
}

// Scoring leaves no trace, so it carries no request id; a denied scoring
// call is audited, and its id is the audit entry's.
TEST(AssessmentServiceTest, OnlyAnAuditedScoringCallHasARequestId) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  const auto request_id = [](const grpc::ClientContext& context) {
    const auto& metadata = context.GetServerInitialMetadata();
    const auto id = metadata.find("x-marac-request-id");
    return id == metadata.end()
               ? std::string()
               : std::string(id->second.data(), id->second.size());
  };
  {
    grpc::ClientContext context;
    v1::ScoreAssessmentResponse response;
    ASSERT_TRUE(ScoreOnce(*stub, Ric(15), response, &context).ok());
    EXPECT_EQ(request_id(context), "");
  }
  {
    grpc::ClientContext context;
    v1::ScoreAssessmentResponse response;
    EXPECT_EQ(
        ScoreOnce(*stub, Ric(15), response, &context, "marac-north", "chair")
            .error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
    const std::string id = request_id(context);
    EXPECT_TRUE(id.starts_with("C-")) << id;
    Result<std::unique_ptr<Store>> store = OpenSqliteStore(t.store_path());
    ASSERT_TRUE(store.ok());
    const Result<std::vector<AuditEntry>> entries = (*store)->Audit(
        {"test-auditor", "auditor", "marac-north", "check the denial"}, 0, 100);
    ASSERT_TRUE(entries.ok()) << entries.status();
    EXPECT_TRUE(std::any_of(
        entries->begin(), entries->end(), [&id](const AuditEntry& e) {
          return e.request_id == id && e.outcome == "permission_denied";
        }));
  }
}

TEST(AssessmentServiceTest, CallersWithoutIdentityAreUnauthenticated) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  for (const CallerCase& c : kBadCallers) {
    SCOPED_TRACE(c.label);
    grpc::ClientContext context;
    if (c.authorization != nullptr) {
      context.AddMetadata("authorization", c.authorization);
    }
    if (c.twice) {
      context.AddMetadata("authorization", "Bearer tok-idva-idva-north");
    }
    if (c.role != nullptr) context.AddMetadata("x-marac-role", c.role);
    v1::ScoreAssessmentRequest request;
    *request.mutable_assessment() = Ric(3);
    v1::ScoreAssessmentResponse response;
    EXPECT_EQ(stub->ScoreAssessment(&context, request, &response).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
}

// The server judges a token's token_valid_until by its own today (the
// tests' is 2026-03-01): accepted through that day, refused after it.
TEST(AssessmentServiceTest, AnExpiredTokenIsUnauthenticated) {
  std::vector<TestPrincipal> principals = DefaultPrincipals();
  for (TestPrincipal& p : principals) {
    if (p.token == TestToken("police-north", "referrer")) {
      p.token_valid_until = "2026-03-01";  // Its last day is today.
    }
    if (p.token == TestToken("police-south", "referrer")) {
      p.token_valid_until = "2026-02-28";  // Expired yesterday.
    }
  }
  TestServer t({}, TestLimits(), principals);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  v1::ScoreAssessmentResponse response;
  const grpc::Status today = ScoreOnce(*stub, Ric(3), response);
  EXPECT_TRUE(today.ok()) << today.error_message();
  const grpc::Status expired =
      ScoreOnce(*stub, Ric(3), response, nullptr, "police-south");
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(expired.error_message(),
            "authorization: the bearer token has expired; ask for a new one");
}

// ReloadPrincipals (SIGHUP in marac-server): a removed hash stops working
// and a new one works, with no restart; a file that does not parse is
// refused naming it and changes nothing.
TEST(AssessmentServiceTest, AReloadRotatesATokenAndABadFileChangesNothing) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  const auto score_with = [&](const std::string& token) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    v1::ScoreAssessmentRequest request;
    *request.mutable_assessment() = Ric(3);
    v1::ScoreAssessmentResponse response;
    return stub->ScoreAssessment(&context, request, &response).error_code();
  };
  const std::string old_token = TestToken("police-north", "referrer");
  EXPECT_EQ(score_with(old_token), grpc::StatusCode::OK);
  EXPECT_EQ(score_with("tok-rotated"), grpc::StatusCode::UNAUTHENTICATED);

  std::vector<TestPrincipal> principals = DefaultPrincipals();
  for (TestPrincipal& p : principals) {
    if (p.token == old_token) p.token = "tok-rotated";
  }
  const std::string path = t.dir() + "/principals.json";
  ASSERT_TRUE(WriteTextFile(path, PrincipalsJson(principals)));
  const Result<std::size_t> reloaded = t.server().ReloadPrincipals();
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  EXPECT_EQ(*reloaded, principals.size());
  EXPECT_EQ(score_with(old_token), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(score_with("tok-rotated"), grpc::StatusCode::OK);

  ASSERT_TRUE(WriteTextFile(path, R"({"format": "marac-principals/1"})"));
  const Result<std::size_t> refused = t.server().ReloadPrincipals();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(refused.status().message(), HasSubstr("principals " + path));
  EXPECT_EQ(score_with("tok-rotated"), grpc::StatusCode::OK);
  EXPECT_EQ(score_with(old_token), grpc::StatusCode::UNAUTHENTICATED);
}

TEST(AssessmentServiceTest, StreamAnswersEachInOrderWithErrorsInPlace) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  grpc::ClientContext context;
  AsCaller(context);
  auto stream = stub->StreamScoreAssessments(&context);
  v1::StreamScoreAssessmentsRequest good;
  *good.mutable_assessment() = Ric(15);
  v1::StreamScoreAssessmentsRequest bad = good;
  (*bad.mutable_assessment()->mutable_answers())[30] = v1::ANSWER_YES;
  for (const auto* r : {&good, &bad, &good}) ASSERT_TRUE(stream->Write(*r));
  stream->WritesDone();
  std::vector<v1::StreamScoreAssessmentsResponse> responses;
  v1::StreamScoreAssessmentsResponse response;
  while (stream->Read(&response)) responses.push_back(response);
  const grpc::Status status = stream->Finish();
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_THAT(responses, SizeIs(3));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(responses[i].index(), static_cast<std::int64_t>(i));
  }
  EXPECT_EQ(responses[0].score().grade(), v1::GRADE_HIGH);
  ASSERT_TRUE(responses[1].has_error());
  EXPECT_EQ(responses[1].error().code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::BadRequest bad_request;
  ASSERT_EQ(responses[1].error().details_size(), 1);
  ASSERT_TRUE(responses[1].error().details(0).UnpackTo(&bad_request));
  EXPECT_EQ(bad_request.field_violations(0).field(), "assessment.answers.30");
  EXPECT_TRUE(responses[2].has_score());
}

TEST(AssessmentServiceTest, StreamPastItsLengthIsResourceExhausted) {
  TestServer t;  // At most 3 messages a stream.
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  grpc::ClientContext context;
  AsCaller(context);
  auto stream = stub->StreamScoreAssessments(&context);
  v1::StreamScoreAssessmentsRequest request;
  *request.mutable_assessment() = Ric(2);
  for (int i = 0; i < 4; ++i) stream->Write(request);
  stream->WritesDone();
  v1::StreamScoreAssessmentsResponse response;
  int read = 0;
  while (stream->Read(&response)) ++read;
  EXPECT_EQ(read, 3);
  EXPECT_EQ(stream->Finish().error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST(AssessmentServiceTest, StreamsBeyondTheOpenLimitAreResourceExhausted) {
  TestServer t;  // At most 2 open streams.
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  v1::StreamScoreAssessmentsRequest request;
  *request.mutable_assessment() = Ric(2);
  v1::StreamScoreAssessmentsResponse response;
  grpc::ClientContext c1, c2, c3;
  AsCaller(c1);
  AsCaller(c2);
  AsCaller(c3);
  auto s1 = stub->StreamScoreAssessments(&c1);
  auto s2 = stub->StreamScoreAssessments(&c2);
  // One round trip each: both are open on the server.
  ASSERT_TRUE(s1->Write(request) && s1->Read(&response));
  ASSERT_TRUE(s2->Write(request) && s2->Read(&response));
  auto s3 = stub->StreamScoreAssessments(&c3);
  s3->Write(request);
  EXPECT_FALSE(s3->Read(&response));
  EXPECT_EQ(s3->Finish().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  for (auto* s : {s1.get(), s2.get()}) {
    s->WritesDone();
    while (s->Read(&response)) {
    }
    EXPECT_TRUE(s->Finish().ok());
  }
}

TEST(AssessmentServiceTest, OversizeMessageIsResourceExhausted) {
  TestServer t;  // 64 KiB messages at most.
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AssessmentService::NewStub(t.channel());
  v1::ScoreAssessmentRequest request;
  *request.mutable_assessment() = Ric(2);
  request.mutable_assessment()->set_assessment_id(std::string(70000, 'a'));
  grpc::ClientContext context;
  AsCaller(context);
  v1::ScoreAssessmentResponse response;
  EXPECT_EQ(stub->ScoreAssessment(&context, request, &response).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

// Raw bytes to `method`; the status and the response bytes.
std::pair<grpc::Status, std::string> RawCall(
    const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
    const std::string& bytes, bool as_caller = true) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  if (as_caller) {
    AsCaller(context);
  } else {
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
  }
  const grpc::Slice slice(bytes);
  const grpc::ByteBuffer request(&slice, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  const grpc::Status status = done.get_future().get();
  std::vector<grpc::Slice> slices;
  std::string out;
  if (status.ok() && response.Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) {
      out.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return {status, out};
}

TEST(AssessmentServiceTest, MalformedProtobufIsUnimplemented) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  // Field 1 (assessment), length 3, holding field 1 (assessment_id) as a
  // string of one byte that is not UTF-8.
  const std::string bytes("\x0a\x03\x0a\x01\xff", 5);
  const auto [status, body] = RawCall(
      t.channel(), "/marac.v1.AssessmentService/ScoreAssessment", bytes);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
}

TEST(AssessmentServiceTest, HealthIsServingUntilShutdown) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  const std::string method = "/grpc.health.v1.Health/Check";
  // HealthCheckRequest{service: ""} is empty; the answer SERVING is
  // field 1 = 1.
  auto [status, body] = RawCall(t.channel(), method, "", false);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(body, std::string("\x08\x01", 2));
  const std::string named =
      std::string("\x0a\x1a") + "marac.v1.AssessmentService";
  std::tie(status, body) = RawCall(t.channel(), method, named, false);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(body, std::string("\x08\x01", 2));
  t.server().Shutdown();
  std::tie(status, body) = RawCall(t.channel(), method, "", false);
  EXPECT_FALSE(status.ok());
}

}  // namespace
}  // namespace marac
