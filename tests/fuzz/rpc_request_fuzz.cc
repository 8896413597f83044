// libFuzzer target: any bytes as a marac.v1 request, through the checks and
// conversions marac-server makes at its edge before it touches the store
// (services/wire/convert.h, rpc_status.h), and on to the scorer for an
// assessment that converts. The first byte picks the request type (low
// four bits) and the limits (bit 4: the server's defaults, or tiny ones so
// that every limit is reachable); the rest is the serialized message, as
// gRPC would hand it to the handler. Traps, besides any crash or sanitizer
// report, when:
//   - a *FromWire call returns a value and adds violations, or neither;
//   - a violation's field or description is empty, or its field is not a
//     path of names, [i] indices and map keys;
//   - a field, description or status message repeats a string of the
//     request (16 bytes or more), since refusals must never echo what was
//     sent: when one appears, the request is run again with every string
//     disguised (ROT13, digits turned), and the disguise must not appear,
//     so strings that merely spell the server's own words do not count;
//   - a meeting without a cut-off would get one that is not a date;
//   - the INVALID_ARGUMENT status does not carry every violation in a
//     google.rpc.BadRequest that parses back;
//   - an accepted referral does not survive ReferralToWire and back, or
//     scoring an accepted assessment fails other than on a field.
// Build and run with scripts/fuzz; seeds in seeds/rpc_request/ (made by
// rpc_request_seeds.sh).
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "marac/assess/instrument.h"
#include "marac/assess/policy.h"
#include "marac/assess/score.h"
#include "marac/identity/person_record.h"
#include "marac/v1/agenda.pb.h"
#include "marac/v1/assessment.pb.h"
#include "marac/v1/audit.pb.h"
#include "marac/v1/linkage.pb.h"
#include "marac/v1/meeting.pb.h"
#include "marac/v1/referral.pb.h"
#include "marac/v1/statistics.pb.h"
#include "services/server/requests.h"
#include "services/wire/convert.h"
#include "services/wire/rpc_status.h"

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Strings this long or longer must not come back in a violation.
constexpr std::size_t kEchoBytes = 16;

void Check(bool holds) {
  if (!holds) __builtin_trap();
}

// Every string of `message` (nested, repeated and map entries too).
void CollectStrings(const Message& message, std::vector<std::string>& out) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->is_repeated()) {
      const int n = reflection->FieldSize(message, f);
      for (int i = 0; i < n; ++i) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          out.push_back(reflection->GetRepeatedString(message, f, i));
        } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          CollectStrings(reflection->GetRepeatedMessage(message, f, i), out);
        }
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      out.push_back(reflection->GetString(message, f));
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      CollectStrings(reflection->GetMessage(message, f), out);
    }
  }
}

// The disguise of a string: ROT13 on letters, digits turned by 5, every
// other byte kept. Length, spaces, control characters, UTF-8 and equality
// between strings survive it, so the checks refuse the same things.
std::string Disguise(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>('a' + (c - 'a' + 13) % 26);
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>('A' + (c - 'A' + 13) % 26);
    } else if (c >= '0' && c <= '9') {
      c = static_cast<char>('0' + (c - '0' + 5) % 10);
    }
  }
  return out;
}

bool IsInstrumentId(std::string_view text);

// Disguises every string of `message` in place, but an instrument id (the
// one string whose value, not its form, decides what is refused).
void DisguiseStrings(Message& message) {
  const Reflection* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->is_repeated()) {
      const int n = reflection->FieldSize(message, f);
      for (int i = 0; i < n; ++i) {
        if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
          const std::string value =
              reflection->GetRepeatedString(message, f, i);
          if (!IsInstrumentId(value)) {
            reflection->SetRepeatedString(&message, f, i, Disguise(value));
          }
        } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          DisguiseStrings(*reflection->MutableRepeatedMessage(&message, f, i));
        }
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      const std::string value = reflection->GetString(message, f);
      if (!IsInstrumentId(value)) {
        reflection->SetString(&message, f, Disguise(value));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      DisguiseStrings(*reflection->MutableMessage(&message, f));
    }
  }
}

// A field path: names, [i], and .<key> (keys are question numbers).
bool IsFieldPath(std::string_view path) {
  for (const char c : path) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '[' || c == ']' || c == '-';
    if (!ok) return false;
  }
  return !path.empty() && path.front() != '.' && path.back() != '.';
}

// Every text a refusal shows the caller.
std::vector<std::string> Texts(const marac::FieldViolations& violations) {
  std::vector<std::string> out;
  for (const marac::FieldViolations::Violation& v : violations.all()) {
    out.push_back(v.field);
    out.push_back(v.description);
  }
  if (!violations.empty()) out.push_back(violations.ToStatus().error_message());
  return out;
}

bool AnyContains(const std::vector<std::string>& texts, std::string_view s) {
  for (const std::string& t : texts) {
    if (t.find(s) != std::string::npos) return true;
  }
  return false;
}

// A From* call's contract: a value exactly when it added no violation.
template <typename T>
void CheckFrom(const std::optional<T>& value,
               const marac::FieldViolations& violations, std::size_t before) {
  Check(value.has_value() == (violations.all().size() == before));
}

// What the handler would answer: every violation well formed, echoing
// nothing, and all of them in the BadRequest of the status.
// A sent string that shows up in the refusal is an echo only if its
// disguise shows up in the refusal of the disguised request (`rerun`);
// otherwise it merely spells the server's own words.
template <typename Rerun>
void CheckViolations(const marac::FieldViolations& violations,
                     const Message& request, const Rerun& rerun) {
  if (violations.empty()) return;
  for (const marac::FieldViolations::Violation& v : violations.all()) {
    Check(!v.description.empty());
    Check(IsFieldPath(v.field));
  }
  std::vector<std::string> sent;
  CollectStrings(request, sent);
  const std::vector<std::string> texts = Texts(violations);
  std::vector<std::string> suspects;
  for (const std::string& s : sent) {
    if (s.size() >= kEchoBytes && Disguise(s) != s && !IsInstrumentId(s) &&
        AnyContains(texts, s)) {
      suspects.push_back(s);
    }
  }
  if (!suspects.empty()) {
    const std::unique_ptr<Message> disguised(request.New());
    disguised->CopyFrom(request);
    DisguiseStrings(*disguised);
    const std::vector<std::string> again = Texts(rerun(*disguised));
    for (const std::string& s : suspects)
      Check(!AnyContains(again, Disguise(s)));
  }
  const grpc::Status status = violations.ToStatus();
  Check(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  Check(status.error_message().starts_with(violations.all().front().field +
                                           ": "));
  google::rpc::Status details;
  Check(details.ParseFromString(status.error_details()));
  Check(details.code() == grpc::StatusCode::INVALID_ARGUMENT);
  Check(details.details_size() == 1);
  google::rpc::BadRequest bad_request;
  Check(details.details(0).UnpackTo(&bad_request));
  Check(bad_request.field_violations_size() ==
        static_cast<int>(violations.all().size()));
  for (int i = 0; i < bad_request.field_violations_size(); ++i) {
    const auto& v = violations.all()[static_cast<std::size_t>(i)];
    Check(bad_request.field_violations(i).field() == v.field);
    Check(bad_request.field_violations(i).description() == v.description);
  }
}

struct Fixture {
  marac::InstrumentSet instruments = marac::InstrumentSet::BuiltIn();
  marac::Scorer scorer =
      *marac::Scorer::Create(marac::ScoringPolicy::Default(), instruments);
};

const Fixture& TheFixture() {
  static const Fixture* const fixture = new Fixture();
  return *fixture;
}

bool IsInstrumentId(std::string_view text) {
  for (const auto& instrument : TheFixture().instruments.all()) {
    if (instrument->id() == text) return true;
  }
  return false;
}

// ScoreAssessment and each StreamScoreAssessments item: conversion, then
// the scorer, as MaracService's Core::Score does.
void ScoreAssessment(const marac::v1::Assessment* assessment,
                     const marac::WireLimits& limits,
                     marac::FieldViolations& violations) {
  if (assessment == nullptr) {
    violations.Add("assessment", "required");
    return;
  }
  const Fixture& f = TheFixture();
  const std::size_t before = violations.all().size();
  const std::optional<marac::WireAssessment> in = marac::AssessmentFromWire(
      *assessment, f.instruments, limits, "assessment", violations);
  CheckFrom(in, violations, before);
  if (!in) return;
  Check(in->assessment_id == assessment->assessment_id());
  const marac::Result<marac::RiskScore> score =
      f.scorer.Score(in->checklist, in->history, in->completed_on);
  if (!score.ok()) {
    // The handler reports it as a field of the history; anything else
    // would reach the caller as a server failure.
    Check(score.status().code() == marac::StatusCode::kInvalidArgument);
    Check(score.status().message().find(": ") != std::string::npos);
    violations.AddStatus("assessment.history", score.status());
    return;
  }
  marac::v1::RiskScore out;
  marac::RiskScoreToWire(in->assessment_id, *score, &out);
  Check(out.assessment_id() == assessment->assessment_id());
  Check(out.score() >= 0 && out.score() <= out.max_possible_score());
  Check(out.grade() != marac::v1::GRADE_UNSPECIFIED);
}

void SubmitReferral(const marac::v1::SubmitReferralRequest& request,
                    const marac::WireLimits& limits,
                    marac::FieldViolations& violations) {
  marac::CheckId(request.request_id(), "request_id", false, violations);
  if (!request.has_referral()) {
    violations.Add("referral", "required");
    return;
  }
  const std::size_t before = violations.all().size();
  std::optional<marac::StoredReferral> referral = marac::ReferralFromWire(
      request.referral(), "police-north", limits, "referral", violations);
  CheckFrom(referral, violations, before);
  if (!referral) return;
  // What the server answers reads back as the same referral.
  referral->submission_id = request.request_id();
  referral->referral_id = "R-0123456789abcdef";
  marac::v1::Referral wire;
  marac::ReferralToWire(*referral, &wire);
  Check(wire.agency() == "police-north");
  wire.clear_referral_id();
  wire.clear_agency();
  marac::FieldViolations again;
  std::optional<marac::StoredReferral> back =
      marac::ReferralFromWire(wire, "police-north", limits, "referral", again);
  Check(back.has_value() && again.empty());
  back->submission_id = referral->submission_id;
  Check(marac::SameReferral(*referral, *back));
}

void ResolveRecord(const marac::v1::ResolveRecordRequest& request,
                   const marac::WireLimits& limits,
                   marac::FieldViolations& violations) {
  if (!request.has_record()) {
    violations.Add("record", "required");
  } else {
    const std::size_t before = violations.all().size();
    const std::optional<marac::PersonRecord> record =
        marac::PersonRecordFromWire(request.record(), limits, "record",
                                    violations);
    CheckFrom(record, violations, before);
    if (record) {
      Check(record->record_id == request.record().record_id());
      const marac::NormalisedRecord n = marac::Normalise(*record);
      (void)marac::Compare(n, n);
    }
  }
  marac::CheckPurpose(request.purpose(), "purpose", limits, violations);
}

}  // namespace

// An empty request of kind `kind` (the selector's low five bits); nullptr
// for a kind the target does not read.
std::unique_ptr<Message> NewRequest(int kind) {
  switch (kind) {
    case 0:
      return std::make_unique<marac::v1::ScoreAssessmentRequest>();
    case 1:
      return std::make_unique<marac::v1::StreamScoreAssessmentsRequest>();
    case 2:
      return std::make_unique<marac::v1::SubmitReferralRequest>();
    case 3:
      return std::make_unique<marac::v1::GetReferralRequest>();
    case 4:
      return std::make_unique<marac::v1::ListReferralsRequest>();
    case 5:
      return std::make_unique<marac::v1::ResolveRecordRequest>();
    case 6:
      return std::make_unique<marac::v1::ExplainMatchRequest>();
    case 7:
      return std::make_unique<marac::v1::RecordReviewDecisionRequest>();
    case 8:
      return std::make_unique<marac::v1::GenerateAgendaRequest>();
    case 9:
      return std::make_unique<marac::v1::GetAgendaRequest>();
    case 10:
      return std::make_unique<marac::v1::ListMeetingsRequest>();
    case 11:
      return std::make_unique<marac::v1::GetStatisticsRequest>();
    case 12:
      return std::make_unique<marac::v1::VerifyAuditRequest>();
    case 13:
      return std::make_unique<marac::v1::ListAuditEntriesRequest>();
    case 14:
      return std::make_unique<marac::v1::ListAgendaCasesRequest>();
    case 15:
      return std::make_unique<marac::v1::RecordMeetingRequest>();
    case 16:
      return std::make_unique<marac::v1::ListActionsRequest>();
    case 17:
      return std::make_unique<marac::v1::UpdateActionRequest>();
    case 18:
      return std::make_unique<marac::v1::GetResearchListRequest>();
    default:
      return nullptr;
  }
}

// What the handler of request kind `kind` checks and converts before it
// reads or writes anything: the same functions (services/server/requests.h,
// convert.h) the handlers call.
void Handle(int kind, const Message& request, const marac::WireLimits& limits,
            marac::FieldViolations& violations) {
  switch (kind) {
    case 0: {
      const auto& r =
          static_cast<const marac::v1::ScoreAssessmentRequest&>(request);
      ScoreAssessment(r.has_assessment() ? &r.assessment() : nullptr, limits,
                      violations);
      // A stream item's refusal is the same status, as a message.
      if (!violations.empty()) {
        Check(violations.ToRpcStatus().details_size() == 1);
      }
      break;
    }
    case 1: {
      const auto& r =
          static_cast<const marac::v1::StreamScoreAssessmentsRequest&>(request);
      ScoreAssessment(r.has_assessment() ? &r.assessment() : nullptr, limits,
                      violations);
      if (!violations.empty()) {
        const google::rpc::Status item = violations.ToRpcStatus();
        Check(item.code() == grpc::StatusCode::INVALID_ARGUMENT);
      }
      break;
    }
    case 2: {
      const auto& r =
          static_cast<const marac::v1::SubmitReferralRequest&>(request);
      SubmitReferral(r, limits, violations);
      break;
    }
    case 3:
      marac::server::CheckGetReferral(
          static_cast<const marac::v1::GetReferralRequest&>(request), limits,
          violations);
      break;
    case 4:
      (void)marac::server::CheckListReferrals(
          static_cast<const marac::v1::ListReferralsRequest&>(request), limits,
          violations);
      break;
    case 5: {
      const auto& r =
          static_cast<const marac::v1::ResolveRecordRequest&>(request);
      ResolveRecord(r, limits, violations);
      break;
    }
    case 6: {
      const auto& r =
          static_cast<const marac::v1::ExplainMatchRequest&>(request);
      marac::server::CheckRecordPair(r.record_id_a(), r.record_id_b(),
                                     r.purpose(), limits, violations);
      break;
    }
    case 7:
      marac::server::CheckReviewDecision(
          static_cast<const marac::v1::RecordReviewDecisionRequest&>(request),
          limits, violations);
      break;
    case 8: {
      const std::size_t before = violations.all().size();
      const std::optional<marac::AgendaMeeting> meeting =
          marac::server::CheckGenerateAgenda(
              static_cast<const marac::v1::GenerateAgendaRequest&>(request),
              limits, violations);
      CheckFrom(meeting, violations, before);
      // The meeting (its cut-off a week before, when none was given) is
      // stored and read back: real dates.
      if (meeting) {
        Check(meeting->date.IsValid() && meeting->referral_cutoff.IsValid());
      }
      break;
    }
    case 9:
      marac::server::CheckGetAgenda(
          static_cast<const marac::v1::GetAgendaRequest&>(request), limits,
          violations);
      break;
    case 10:
      (void)marac::server::CheckListMeetings(
          static_cast<const marac::v1::ListMeetingsRequest&>(request), limits,
          violations);
      break;
    case 11: {
      const std::size_t before = violations.all().size();
      const auto period = marac::server::CheckGetStatistics(
          static_cast<const marac::v1::GetStatisticsRequest&>(request), limits,
          violations);
      CheckFrom(period, violations, before);
      if (period) Check(!(period->second < period->first));
      break;
    }
    case 12: {
      const auto anchor = marac::server::CheckVerifyAudit(
          static_cast<const marac::v1::VerifyAuditRequest&>(request), limits,
          violations);
      // An accepted anchor is what the store is handed: in range.
      if (anchor) Check(anchor->first > 0 && anchor->second.size() == 64);
      break;
    }
    case 13:
      marac::server::CheckListAuditEntries(
          static_cast<const marac::v1::ListAuditEntriesRequest&>(request),
          limits, violations);
      break;
    case 14: {
      const auto query = marac::server::CheckListAgendaCases(
          static_cast<const marac::v1::ListAgendaCasesRequest&>(request),
          limits, violations);
      if (query.meeting) Check(query.meeting->referral_cutoff.IsValid());
      break;
    }
    case 15: {
      const std::size_t before = violations.all().size();
      const auto record = marac::server::CheckRecordMeeting(
          static_cast<const marac::v1::RecordMeetingRequest&>(request), limits,
          violations);
      CheckFrom(record, violations, before);
      if (record) {
        // What the store is handed: a meeting id, every action numbered
        // under it, every due date real.
        Check(!record->meeting_id.empty());
        for (const marac::CaseHearing& c : record->cases) {
          for (const marac::CaseAction& a : c.actions) {
            Check(a.action_id.starts_with(record->meeting_id + "/"));
            Check(a.due_on.IsValid());
          }
        }
      }
      break;
    }
    case 16: {
      const auto query = marac::server::CheckListActions(
          static_cast<const marac::v1::ListActionsRequest&>(request), limits,
          violations);
      if (query.overdue_on) Check(query.overdue_on->IsValid());
      break;
    }
    case 17: {
      const std::size_t before = violations.all().size();
      const auto update = marac::server::CheckUpdateAction(
          static_cast<const marac::v1::UpdateActionRequest&>(request), limits,
          violations);
      CheckFrom(update, violations, before);
      if (update) Check(!update->action_id.empty() && update->on.IsValid());
      break;
    }
    case 18: {
      const std::size_t before = violations.all().size();
      const auto meeting = marac::server::CheckGetResearchList(
          static_cast<const marac::v1::GetResearchListRequest&>(request),
          limits, violations);
      CheckFrom(meeting, violations, before);
      if (meeting) Check(meeting->referral_cutoff <= meeting->date);
      break;
    }
    default:
      break;
  }
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  static const bool quiet = [] {
    // Unparseable requests are expected; protobuf need not say so.
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)quiet;
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  const int kind = selector & 0x1f;
  std::unique_ptr<Message> request = NewRequest(kind);
  if (request == nullptr ||
      !request->ParseFromArray(data + 1, static_cast<int>(size - 1))) {
    return 0;
  }
  marac::WireLimits limits;
  limits.latest = marac::Date{2026, 3, 1};
  if ((selector & 0x10) != 0) {
    limits.max_string_bytes = 16;
    limits.max_list_items = 3;
  }
  marac::FieldViolations violations;
  Handle(kind, *request, limits, violations);
  CheckViolations(violations, *request, [&](const Message& disguised) {
    marac::FieldViolations again;
    Handle(kind, disguised, limits, again);
    return again;
  });
  return 0;
}
