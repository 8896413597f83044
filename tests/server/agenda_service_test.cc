// AgendaService and StatisticsService over loopback.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <tuple>

#include "marac/v1/agenda.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "marac/v1/statistics.grpc.pb.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::testing::Contains;

TEST(AgendaServiceTest, GeneratesSavesAndReadsBackTheCirculatedAgenda) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  const std::string referral = Refer(t.channel(), "a-1", "V1", 3);
  ASSERT_FALSE(referral.empty());
  v1::GenerateAgendaResponse generated;
  grpc::Status status =
      CallGenerate(t.channel(), AgendaRequest(true), &generated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(generated.agenda_id(), "M-2026-03-20-north");
  ASSERT_EQ(generated.agenda().listed_size(), 1);
  const v1::AgendaCase& listed = generated.agenda().listed(0);
  EXPECT_EQ(listed.referral_id(), referral);
  EXPECT_EQ(listed.rank(), 1);
  EXPECT_EQ(listed.initials(), "A.T.");
  EXPECT_EQ(listed.age_years(), 35);
  // The circulated view carries no names or addresses.
  for (const std::string& text :
       {generated.circulated_json(), generated.agenda().SerializeAsString()}) {
    EXPECT_EQ(text.find("Testwell"), std::string::npos);
    EXPECT_EQ(text.find("Nowhere Row"), std::string::npos);
  }
  // Saving the same agenda again is a retry.
  v1::GenerateAgendaResponse again;
  ASSERT_TRUE(CallGenerate(t.channel(), AgendaRequest(true), &again).ok());
  EXPECT_EQ(again.circulated_json(), generated.circulated_json());

  auto stub = v1::AgendaService::NewStub(t.channel());
  {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "chair");
    v1::GetAgendaRequest request;
    request.set_agenda_id(generated.agenda_id());
    request.set_purpose("chairing");
    v1::GetAgendaResponse got;
    status = stub->GetAgenda(&context, request, &got);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(got.circulated_json(), generated.circulated_json());
  }
  {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "coordinator");
    v1::ListMeetingsRequest request;
    request.set_area("north");
    request.set_purpose("planning");
    v1::ListMeetingsResponse meetings;
    status = stub->ListMeetings(&context, request, &meetings);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(meetings.meetings_size(), 1);
    EXPECT_EQ(meetings.meetings(0).meeting_id(), "M-2026-03-20-north");
    EXPECT_EQ(meetings.meetings(0).date().day(), 20);
  }
}

grpc::Status GetAgendaAs(const std::shared_ptr<grpc::Channel>& channel,
                         const std::string& role, v1::AgendaView view,
                         v1::GetAgendaResponse* got) {
  grpc::ClientContext context;
  AsCaller(context, "marac-north", role);
  v1::GetAgendaRequest request;
  request.set_agenda_id("M-2026-03-20-north");
  request.set_purpose("chairing");
  request.set_view(view);
  return v1::AgendaService::NewStub(channel)->GetAgenda(&context, request, got);
}

TEST(AgendaServiceTest, OnlyTheChairGetsTheChairsView) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  ASSERT_FALSE(Refer(t.channel(), "c-1", "V1", 3).empty());
  v1::GenerateAgendaResponse generated;
  ASSERT_TRUE(CallGenerate(t.channel(), AgendaRequest(true), &generated).ok());

  v1::GetAgendaResponse chair;
  grpc::Status status =
      GetAgendaAs(t.channel(), "chair", v1::AGENDA_VIEW_CHAIR, &chair);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(chair.circulated_json(), generated.circulated_json());
  EXPECT_FALSE(chair.chair_json().empty());
  EXPECT_NE(chair.chair_json(), chair.circulated_json());

  v1::GetAgendaResponse circulated;
  ASSERT_TRUE(GetAgendaAs(t.channel(), "chair", v1::AGENDA_VIEW_UNSPECIFIED,
                          &circulated)
                  .ok());
  EXPECT_TRUE(circulated.chair_json().empty());

  v1::GetAgendaResponse coordinator;
  EXPECT_EQ(GetAgendaAs(t.channel(), "coordinator", v1::AGENDA_VIEW_CHAIR,
                        &coordinator)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(coordinator.chair_json().empty());

  // Another referral changes what the store ranks: no chair's view can
  // match what was circulated any more.
  ASSERT_FALSE(Refer(t.channel(), "c-2", "V2", 4).empty());
  v1::GetAgendaResponse changed;
  EXPECT_EQ(GetAgendaAs(t.channel(), "chair", v1::AGENDA_VIEW_CHAIR, &changed)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(AgendaServiceTest, SavingADifferentAgendaFailsPrecondition) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  ASSERT_FALSE(Refer(t.channel(), "a-1", "V1", 3).empty());
  v1::GenerateAgendaResponse response;
  ASSERT_TRUE(CallGenerate(t.channel(), AgendaRequest(true), &response).ok());
  ASSERT_FALSE(Refer(t.channel(), "a-2", "V2", 4).empty());
  EXPECT_EQ(
      CallGenerate(t.channel(), AgendaRequest(true), &response).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);
  // Without save it is only a preview.
  EXPECT_TRUE(CallGenerate(t.channel(), AgendaRequest(false), &response).ok());
  EXPECT_EQ(response.agenda().listed_size(), 2);
}

struct BadAgendaCase {
  const char* label;
  void (*mutate)(v1::GenerateAgendaRequest&);
  const char* field;
};
constexpr BadAgendaCase kBadAgendas[] = {
    {"NoArea", [](v1::GenerateAgendaRequest& r) { r.clear_area(); }, "area"},
    {"NoDate", [](v1::GenerateAgendaRequest& r) { r.clear_meeting_date(); },
     "meeting_date"},
    {"NotADate",
     [](v1::GenerateAgendaRequest& r) {
       r.mutable_meeting_date()->set_month(0);
     },
     "meeting_date"},
    // The fuzzer's finding: year 1, whose default cut-off is in year 0.
    {"YearOne",
     [](v1::GenerateAgendaRequest& r) {
       SetDate(r.mutable_meeting_date(), 1, 1, 3);
       r.clear_referral_cutoff();
     },
     "meeting_date"},
    {"CutoffAfterMeeting",
     [](v1::GenerateAgendaRequest& r) {
       SetDate(r.mutable_referral_cutoff(), 2026, 3, 21);
     },
     "referral_cutoff"},
    {"NoCapacity",
     [](v1::GenerateAgendaRequest& r) { r.set_capacity_cases(0); },
     "capacity_cases"},
    {"NegativeMinutes",
     [](v1::GenerateAgendaRequest& r) { r.set_capacity_minutes(-5); },
     "capacity_minutes"},
    {"NoPurpose", [](v1::GenerateAgendaRequest& r) { r.clear_purpose(); },
     "purpose"},
};

TEST(AgendaServiceTest, GenerateRefusesEachBadField) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  for (const BadAgendaCase& c : kBadAgendas) {
    SCOPED_TRACE(c.label);
    v1::GenerateAgendaRequest request = AgendaRequest(false);
    c.mutate(request);
    v1::GenerateAgendaResponse response;
    const grpc::Status status = CallGenerate(t.channel(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), Contains(std::string(c.field)));
  }
}

TEST(AgendaServiceTest, ReadErrors) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  auto stub = v1::AgendaService::NewStub(t.channel());
  {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "chair");
    v1::GetAgendaRequest request;
    request.set_agenda_id("M-1999-01-01-north");
    request.set_purpose("look");
    v1::GetAgendaResponse response;
    EXPECT_EQ(stub->GetAgenda(&context, request, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "chair");
    v1::GetAgendaRequest request;  // No id, no purpose.
    v1::GetAgendaResponse response;
    const grpc::Status status = stub->GetAgenda(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(ViolatedFields(status),
              (std::vector<std::string>{"agenda_id", "purpose"}));
  }
  {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", "chair");
    v1::ListMeetingsRequest request;
    request.set_purpose("look");
    request.set_page_token("not-hex");
    v1::ListMeetingsResponse response;
    const grpc::Status status =
        stub->ListMeetings(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), Contains(std::string("page_token")));
  }
}

grpc::Status Statistics(const std::shared_ptr<grpc::Channel>& channel,
                        const v1::GetStatisticsRequest& request,
                        v1::GetStatisticsResponse* response) {
  auto stub = v1::StatisticsService::NewStub(channel);
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  return stub->GetStatistics(&context, request, response);
}

v1::GetStatisticsRequest Period() {
  v1::GetStatisticsRequest r;
  SetDate(r.mutable_period_start(), 2026, 1, 1);
  SetDate(r.mutable_period_end(), 2026, 3, 31);
  r.set_purpose("quarterly return");
  r.set_area("north");
  return r;
}

// Submits, as the police of north, a referral of V2 that keeps the case
// from health-north and names a child.
std::string ReferExcludingHealth(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::ReferralService::NewStub(channel);
  grpc::ClientContext context;
  AsCaller(context);
  v1::SubmitReferralRequest request;
  request.set_request_id("r-excluding");
  v1::Referral* r = request.mutable_referral();
  r->set_area("north");
  r->set_source(v1::REFERRAL_SOURCE_POLICE);
  SetDate(r->mutable_referred_on(), 2026, 2, 5);
  r->set_victim_record_id("V2");
  r->add_perpetrator_record_ids("P1");
  r->add_criteria(v1::CRITERION_VISIBLE_HIGH_RISK);
  r->set_children_in_household(1);
  r->mutable_details()->add_excluded_agencies("health-north");
  r->mutable_details()->add_children()->set_given_name("Ottilie");
  v1::SubmitReferralResponse response;
  const grpc::Status status =
      stub->SubmitReferral(&context, request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  return response.referral().referral_id();
}

v1::GetResearchListRequest ResearchRequest(const std::string& agency,
                                           v1::OutputFormat format) {
  v1::GetResearchListRequest r;
  r.set_area("north");
  SetDate(r.mutable_meeting_date(), 2026, 3, 20);
  r.set_capacity_cases(5);
  r.set_agency(agency);
  r.set_format(format);
  r.set_purpose("MARAC research list for 2026-03-20");
  return r;
}

TEST(AgendaServiceTest, ResearchListsLeaveOutExcludedCasesAndAreLogged) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  const std::string plain = Refer(t.channel(), "a-1", "V1", 3);
  const std::string kept_from_health = ReferExcludingHealth(t.channel());
  ASSERT_FALSE(plain.empty());
  ASSERT_FALSE(kept_from_health.empty());
  auto stub = v1::AgendaService::NewStub(t.channel());
  const auto ask = [&](const v1::GetResearchListRequest& request,
                       const char* role, v1::GetResearchListResponse* out) {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", role);
    return stub->GetResearchList(&context, request, out);
  };
  v1::GetResearchListResponse full;
  grpc::Status status =
      ask(ResearchRequest("", v1::OUTPUT_FORMAT_HTML), "coordinator", &full);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(full.meeting_id(), "M-2026-03-20-north");
  EXPECT_EQ(full.cases(), 2);
  EXPECT_EQ(full.withheld(), 0);
  EXPECT_THAT(full.rendered(), ::testing::HasSubstr("Bryony Fakenham"));
  EXPECT_THAT(full.rendered(), ::testing::HasSubstr("MUST NOT be sent to"));
  EXPECT_THAT(full.rendered(), ::testing::HasSubstr("Ottilie"));
  EXPECT_EQ(full.rendered().find("Nowhere Row"), std::string::npos)
      << "no address on a research list";

  v1::GetResearchListResponse health;
  status = ask(ResearchRequest("health-north", v1::OUTPUT_FORMAT_JSON), "chair",
               &health);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(health.cases(), 1);
  EXPECT_EQ(health.withheld(), 1);
  EXPECT_GT(health.circulation(), full.circulation());
  EXPECT_EQ(health.rendered().find("Fakenham"), std::string::npos);
  EXPECT_EQ(health.rendered().find(kept_from_health), std::string::npos);
  const nlohmann::json j = nlohmann::json::parse(health.rendered());
  ASSERT_EQ(j["cases"].size(), 1u);
  EXPECT_EQ(j["cases"][0]["referral_id"], plain);
  EXPECT_EQ(j["agency"], "health-north");

  // Field errors name the field; nothing is logged for them.
  v1::GetResearchListRequest bad =
      ResearchRequest("", v1::OUTPUT_FORMAT_UNSPECIFIED);
  v1::GetResearchListResponse refused;
  status = ask(bad, "coordinator", &refused);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(status), Contains(std::string("format")));
  v1::GetResearchListResponse after;
  ASSERT_TRUE(ask(ResearchRequest("", v1::OUTPUT_FORMAT_MARKDOWN),
                  "coordinator", &after)
                  .ok());
  EXPECT_EQ(after.circulation(), health.circulation() + 1);
}

TEST(AgendaServiceTest, AMeetingOnABankHolidayOrWeekendIsRefused) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  for (const auto& [year, month, day] :
       {std::tuple{2026, 12, 28}, std::tuple{2026, 3, 21}}) {
    v1::GenerateAgendaRequest request = AgendaRequest(true);
    SetDate(request.mutable_meeting_date(), year, month, day);
    v1::GenerateAgendaResponse response;
    const grpc::Status status = CallGenerate(t.channel(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), Contains(std::string("meeting_date")));
    EXPECT_THAT(status.error_message(),
                ::testing::HasSubstr("the next working day is"));
  }
  v1::GetResearchListRequest research =
      ResearchRequest("", v1::OUTPUT_FORMAT_JSON);
  SetDate(research.mutable_meeting_date(), 2026, 12, 28);
  grpc::ClientContext context;
  AsCaller(context, "marac-north", "coordinator");
  v1::GetResearchListResponse response;
  EXPECT_EQ(v1::AgendaService::NewStub(t.channel())
                ->GetResearchList(&context, research, &response)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST(StatisticsServiceTest, CountsTheReferralsOfThePeriod) {
  TestServer t(SeedCase);
  ASSERT_TRUE(t.ok()) << t.start_error();
  ASSERT_FALSE(Refer(t.channel(), "st-1", "V1", 3).empty());
  v1::GetStatisticsResponse response;
  const grpc::Status status = Statistics(t.channel(), Period(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(response.statistics().referrals_by_agency().at("police-north"), 1);
  EXPECT_EQ(response.statistics().period_end().month(), 3);
  EXPECT_GT(response.statistics().figures_size(), 0);
}

struct BadPeriodCase {
  const char* label;
  void (*mutate)(v1::GetStatisticsRequest&);
  const char* field;
};
constexpr BadPeriodCase kBadPeriods[] = {
    {"NoStart", [](v1::GetStatisticsRequest& r) { r.clear_period_start(); },
     "period_start"},
    {"EndBeforeStart",
     [](v1::GetStatisticsRequest& r) {
       SetDate(r.mutable_period_end(), 2025, 12, 31);
     },
     "period_end"},
    {"NegativeWomen",
     [](v1::GetStatisticsRequest& r) { r.set_adult_women(-1); }, "adult_women"},
    {"NoPurpose", [](v1::GetStatisticsRequest& r) { r.clear_purpose(); },
     "purpose"},
    {"NoArea", [](v1::GetStatisticsRequest& r) { r.clear_area(); }, "area"},
};

TEST(StatisticsServiceTest, RefusesEachBadField) {
  TestServer t;
  ASSERT_TRUE(t.ok()) << t.start_error();
  for (const BadPeriodCase& c : kBadPeriods) {
    SCOPED_TRACE(c.label);
    v1::GetStatisticsRequest request = Period();
    c.mutate(request);
    v1::GetStatisticsResponse response;
    const grpc::Status status = Statistics(t.channel(), request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(ViolatedFields(status), Contains(std::string(c.field)));
  }
}

}  // namespace
}  // namespace marac
