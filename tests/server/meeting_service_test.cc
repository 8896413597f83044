// MeetingService over loopback: minutes recorded once (a retry says so,
// other minutes are refused), bad minutes named by field, actions listed
// by the agency that owns them, and an action changed only by its agency
// or its area's coordinator, with another's and a missing one refused
// alike. People here are invented.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "marac/v1/meeting.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "tests/server/test_server.h"

namespace marac {
namespace {

using ::testing::Contains;

v1::RecordMeetingRequest Minutes(const std::string& referral) {
  v1::RecordMeetingRequest r;
  r.set_area("north");
  SetDate(r.mutable_meeting_date(), 2026, 3, 20);
  r.add_attendance("police-north");
  r.add_attendance("idva-north");
  r.set_purpose("MARAC minutes");
  v1::CaseHearing* c = r.add_cases();
  c->set_referral_id(referral);
  c->set_outcome(v1::HEARING_OUTCOME_HEARD);
  const std::pair<const char*, int> actions[] = {{"police-north", 22},
                                                 {"idva-north", 27}};
  for (const auto& [agency, day] : actions) {
    v1::CaseAction* a = c->add_actions();
    a->set_agency(agency);
    a->set_owner("duty officer");
    a->set_text("Safety planning");
    SetDate(a->mutable_due_on(), 2026, 3, day);
  }
  return r;
}

class MeetingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(SeedCase);
    ASSERT_TRUE(server_->ok()) << server_->start_error();
    referral_ = Refer(channel(), "minutes-1", "V1", 10);
    ASSERT_FALSE(referral_.empty());
    v1::GenerateAgendaResponse agenda;
    ASSERT_TRUE(CallGenerate(channel(), AgendaRequest(true), &agenda).ok());
  }
  const std::shared_ptr<grpc::Channel>& channel() const {
    return server_->channel();
  }
  grpc::Status Record(const v1::RecordMeetingRequest& request,
                      v1::RecordMeetingResponse* response,
                      const char* role = "coordinator") {
    grpc::ClientContext context;
    AsCaller(context, "marac-north", role);
    return v1::MeetingService::NewStub(channel())->RecordMeeting(
        &context, request, response);
  }
  grpc::Status List(const std::string& agency, const std::string& role,
                    v1::ListActionsRequest request,
                    v1::ListActionsResponse* response) {
    grpc::ClientContext context;
    AsCaller(context, agency, role);
    request.set_purpose("chase actions");
    return v1::MeetingService::NewStub(channel())->ListActions(
        &context, request, response);
  }
  grpc::Status Update(const std::string& agency, const std::string& role,
                      const std::string& action_id,
                      v1::UpdateActionResponse* response) {
    grpc::ClientContext context;
    AsCaller(context, agency, role);
    v1::UpdateActionRequest request;
    request.set_action_id(action_id);
    request.set_status(v1::ACTION_STATUS_DONE);
    SetDate(request.mutable_on(), 2026, 3, 21);
    request.set_note("flag set");
    request.set_purpose("action done");
    return v1::MeetingService::NewStub(channel())->UpdateAction(
        &context, request, response);
  }

  std::unique_ptr<TestServer> server_;
  std::string referral_;
};

TEST_F(MeetingServiceTest, MinutesAreRecordedOnceAndOtherMinutesRefused) {
  v1::RecordMeetingResponse first;
  ASSERT_TRUE(Record(Minutes(referral_), &first).ok());
  EXPECT_EQ(first.meeting_id(), "M-2026-03-20-north");
  EXPECT_FALSE(first.already_recorded());
  ASSERT_EQ(first.action_ids_size(), 2);
  EXPECT_EQ(first.action_ids(0), "M-2026-03-20-north/" + referral_ + "/1");

  v1::RecordMeetingResponse again;
  ASSERT_TRUE(Record(Minutes(referral_), &again, "chair").ok());
  EXPECT_TRUE(again.already_recorded());

  v1::RecordMeetingRequest other = Minutes(referral_);
  other.mutable_cases(0)->mutable_actions(1)->set_text("Something else");
  v1::RecordMeetingResponse conflict;
  const grpc::Status refused = Record(other, &conflict);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("other minutes"));
}

TEST_F(MeetingServiceTest, BadMinutesNameEveryField) {
  v1::RecordMeetingRequest bad = Minutes(referral_);
  bad.mutable_cases(0)->set_outcome(v1::HEARING_OUTCOME_UNSPECIFIED);
  bad.mutable_cases(0)->mutable_actions(0)->clear_due_on();
  bad.mutable_cases(0)->mutable_actions(1)->set_action_id("mine");
  bad.add_attendance("");
  v1::RecordMeetingResponse response;
  const grpc::Status status = Record(bad, &response);
  ASSERT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const std::vector<std::string> fields = ViolatedFields(status);
  EXPECT_THAT(fields, Contains("cases[0].outcome"));
  EXPECT_THAT(fields, Contains("cases[0].actions[0].due_on"));
  EXPECT_THAT(fields, Contains("cases[0].actions[1]"));
  EXPECT_THAT(fields, Contains("attendance[2]"));
  // An adjournment without a reason, from the record's own rules.
  v1::RecordMeetingRequest adjourned = Minutes(referral_);
  adjourned.mutable_cases(0)->set_outcome(v1::HEARING_OUTCOME_ADJOURNED);
  const grpc::Status no_reason = Record(adjourned, &response);
  ASSERT_EQ(no_reason.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(ViolatedFields(no_reason), Contains("cases[0].reason"));
}

TEST_F(MeetingServiceTest, EachAgencySeesAndChangesOnlyItsOwnActions) {
  v1::RecordMeetingResponse recorded;
  ASSERT_TRUE(Record(Minutes(referral_), &recorded).ok());
  const std::string police_action = recorded.action_ids(0);
  const std::string idva_action = recorded.action_ids(1);

  v1::ListActionsResponse police;
  ASSERT_TRUE(List("police-north", "referrer", {}, &police).ok());
  ASSERT_EQ(police.actions_size(), 1);
  EXPECT_EQ(police.actions(0).action_id(), police_action);
  v1::ListActionsRequest overdue;
  SetDate(overdue.mutable_overdue_on(), 2026, 3, 25);
  overdue.set_area("north");
  v1::ListActionsResponse late;
  ASSERT_TRUE(List("marac-north", "coordinator", overdue, &late).ok());
  ASSERT_EQ(late.actions_size(), 1) << "the IDVA's is due on the 27th";
  EXPECT_TRUE(late.actions(0).overdue());

  // The IDVA service may not touch the police action: the same answer as
  // an action that does not exist.
  v1::UpdateActionResponse response;
  const grpc::Status others =
      Update("idva-north", "idva", police_action, &response);
  const grpc::Status missing =
      Update("idva-north", "idva", "M-2026-03-20-north/R-none/1", &response);
  EXPECT_EQ(others.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(others.error_message(), missing.error_message());

  ASSERT_TRUE(Update("idva-north", "idva", idva_action, &response).ok());
  EXPECT_EQ(response.action().status(), v1::ACTION_STATUS_DONE);
  EXPECT_EQ(response.action().note(), "flag set");
  ASSERT_TRUE(
      Update("marac-north", "coordinator", police_action, &response).ok());
  // Another area's coordinator may not.
  EXPECT_EQ(Update("marac-south", "coordinator", police_action, &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListActionsRequest open;
  open.set_area("north");
  open.set_open_only(true);
  v1::ListActionsResponse none;
  ASSERT_TRUE(List("marac-north", "chair", open, &none).ok());
  EXPECT_EQ(none.actions_size(), 0);
}

}  // namespace
}  // namespace marac
