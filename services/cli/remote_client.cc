// The CLI as a client of marac-server: the CLI's types to marac.v1 and
// back, and gRPC statuses to the library's Status (a BadRequest becomes
// "field: description; ..." as the local commands write it).
#include "services/cli/remote_client.h"

#ifdef MARAC_WITH_REMOTE

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <fstream>
#include <set>
#include <span>
#include <sstream>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "marac/v1/agenda.grpc.pb.h"
#include "marac/v1/assessment.grpc.pb.h"
#include "marac/v1/audit.grpc.pb.h"
#include "marac/v1/linkage.grpc.pb.h"
#include "marac/v1/referral.grpc.pb.h"
#include "marac/v1/statistics.grpc.pb.h"
#include "services/wire/convert.h"

namespace marac {
namespace {

// A PEM file's text; kInvalidArgument naming `option` otherwise.
Result<std::string> ReadPem(const std::string& path, std::string_view option) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in.good() && !in.eof()) {
    return InvalidArgument(option, "cannot read " + path);
  }
  std::string pem = std::move(text).str();
  if (pem.find("-----BEGIN ") == std::string::npos) {
    return InvalidArgument(option, "not a PEM file: " + path);
  }
  return pem;
}

// The meeting fields GenerateAgenda and GetResearchList share.
template <typename Request>
void SetMeeting(std::string_view area, Date meeting, std::optional<Date> cutoff,
                int capacity_cases, std::string_view format,
                std::string_view purpose, Request& request) {
  request.set_area(std::string(area));
  DateToWire(meeting, request.mutable_meeting_date());
  if (cutoff) DateToWire(*cutoff, request.mutable_referral_cutoff());
  request.set_capacity_cases(capacity_cases);
  request.set_purpose(std::string(purpose));
  request.set_format(OutputFormatToWire(format));
}

}  // namespace

struct RemoteClient::Impl {
  RemoteOptions options;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::AssessmentService::Stub> assessments;
  std::unique_ptr<v1::IdentityService::Stub> identity;
  std::unique_ptr<v1::ReferralService::Stub> referrals;
  std::unique_ptr<v1::AgendaService::Stub> agendas;
  std::unique_ptr<v1::StatisticsService::Stub> statistics;
  std::unique_ptr<v1::AuditService::Stub> audit;

  // One call with a prepared context, its answer as the library's Status
  // (`strip`: the request's own prefix on field paths).
  template <typename Rpc>
  Status Call(const Rpc& rpc, std::string_view strip) const {
    return StatusFromGrpc(Send(rpc), options.address, strip);
  }

  // One call with a prepared context, its answer as gRPC gave it.
  template <typename Rpc>
  grpc::Status Send(const Rpc& rpc) const {
    grpc::ClientContext context;
    Prepare(context);
    return rpc(&context);
  }

  // A context carrying the caller and the deadline.
  void Prepare(grpc::ClientContext& context) const {
    if (!options.token.empty()) {
      context.AddMetadata("authorization", "Bearer " + options.token);
    }
    if (!options.role.empty())
      context.AddMetadata("x-marac-role", options.role);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(options.deadline_ms));
  }
};

RemoteClient::RemoteClient(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
RemoteClient::~RemoteClient() = default;

Result<std::unique_ptr<RemoteClient>> RemoteClient::Connect(
    const RemoteOptions& options) {
  const std::size_t colon = options.address.rfind(':');
  if (colon == std::string::npos || colon == 0 ||
      colon + 1 == options.address.size() ||
      options.address.find_first_not_of("0123456789", colon + 1) !=
          std::string::npos) {
    return InvalidArgument("--server", "not host:port");
  }
  if (options.client_certificate_file.empty() !=
      options.client_key_file.empty()) {
    return InvalidArgument(
        options.client_key_file.empty() ? "--client-key" : "--client-cert",
        "required with the other (mutual TLS)");
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.plaintext) {
    if (!options.ca_file.empty() || !options.client_certificate_file.empty()) {
      return InvalidArgument("--plaintext",
                             "cannot go with --ca or --client-cert");
    }
    credentials = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    if (!options.ca_file.empty()) {
      MARAC_ASSIGN_OR_RETURN(ssl.pem_root_certs,
                             ReadPem(options.ca_file, "--ca"));
    }
    if (!options.client_certificate_file.empty()) {
      MARAC_ASSIGN_OR_RETURN(
          ssl.pem_cert_chain,
          ReadPem(options.client_certificate_file, "--client-cert"));
      MARAC_ASSIGN_OR_RETURN(ssl.pem_private_key,
                             ReadPem(options.client_key_file, "--client-key"));
    }
    credentials = grpc::SslCredentials(ssl);
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->channel = grpc::CreateChannel(options.address, credentials);
  impl->assessments = v1::AssessmentService::NewStub(impl->channel);
  impl->identity = v1::IdentityService::NewStub(impl->channel);
  impl->referrals = v1::ReferralService::NewStub(impl->channel);
  impl->agendas = v1::AgendaService::NewStub(impl->channel);
  impl->statistics = v1::StatisticsService::NewStub(impl->channel);
  impl->audit = v1::AuditService::NewStub(impl->channel);
  return std::unique_ptr<RemoteClient>(new RemoteClient(std::move(impl)));
}

Status RemoteClient::ScoreJson(const ParsedAssessment& a, std::string& out) {
  v1::ScoreAssessmentRequest request;
  v1::Assessment* wire = request.mutable_assessment();
  wire->set_assessment_id(a.assessment_id);
  wire->set_instrument(a.checklist.instrument().id());
  DateToWire(a.completed_on, wire->mutable_completed_on());
  AnswersInOrderToWire(a.checklist, wire);
  const CaseHistory& h = a.history;
  if (h.incident_on || h.incidents_last_12_months ||
      !h.incident_dates.empty() || h.last_marac_referral_on ||
      h.professional_judgement != ProfessionalJudgement::kNone ||
      h.victim_age || h.children_in_household || h.victim_disability ||
      h.hbv_concern || h.officer_grade || !h.officer_rationale.empty()) {
    v1::CaseHistory* history = wire->mutable_history();
    if (h.incident_on)
      DateToWire(*h.incident_on, history->mutable_incident_on());
    if (h.incidents_last_12_months) {
      history->set_incidents_last_12_months(*h.incidents_last_12_months);
    }
    for (const Date& d : h.incident_dates) {
      DateToWire(d, history->add_incident_dates());
    }
    if (h.last_marac_referral_on) {
      DateToWire(*h.last_marac_referral_on,
                 history->mutable_last_marac_referral_on());
    }
    if (h.professional_judgement == ProfessionalJudgement::kRefer) {
      history->set_professional_judgement(v1::PROFESSIONAL_JUDGEMENT_REFER);
      history->set_professional_judgement_reason(
          h.professional_judgement_reason);
    }
    if (h.victim_age) history->set_victim_age(*h.victim_age);
    if (h.children_in_household) {
      history->set_children_in_household(*h.children_in_household);
    }
    history->set_victim_disability(h.victim_disability);
    history->set_hbv_concern(h.hbv_concern);
    if (h.officer_grade) {
      history->set_officer_grade(GradeToWire(*h.officer_grade));
    }
    history->set_officer_rationale(h.officer_rationale);
  }
  wire->set_parent_assessment_id(a.parent_assessment_id);
  v1::ScoreAssessmentResponse response;
  const auto score = [&](grpc::ClientContext* context) {
    return impl_->assessments->ScoreAssessment(context, request, &response);
  };
  grpc::Status status = impl_->Send(score);
  if (RefusesField("assessment.answers_in_order", status)) {
    // The server's form has fewer questions than the local definition. The
    // list's violations name positions ("answers_in_order[25]"), unasked
    // ones included; the map's name each question asked by its number, as
    // the input does ("answers.26"). Ask again with the map for those.
    AnswersInOrderToMap(wire);
    response.Clear();
    status = impl_->Send(score);
  }
  MARAC_RETURN_IF_ERROR(
      StatusFromGrpc(status, impl_->options.address, "assessment."));
  const v1::RiskScore& s = response.score();
  ResultView v;
  v.assessment_id = s.assessment_id();
  v.parent_assessment_id = s.parent_assessment_id();
  v.instrument = s.instrument();
  v.instrument_version = s.instrument_version();
  v.policy_version = s.policy_version();
  v.score = s.score();
  v.answered = s.answered();
  v.unanswered.assign(s.unanswered_items().begin(), s.unanswered_items().end());
  v.not_known.assign(s.not_known_items().begin(), s.not_known_items().end());
  v.max_possible_score = s.max_possible_score();
  if (s.has_ric_equivalent_score()) {
    v.ric_equivalent_score = s.ric_equivalent_score();
  }
  v.grade = GradeName(GradeFromWire(s.grade()).value_or(Grade::kNotGraded));
  v.incomplete = s.incomplete();
  v.could_be_high = s.could_be_high();
  v.marac_referral = s.marac_referral();
  v.criteria = FindingsFromWire(s.criteria());
  v.criteria_not_met = FindingsFromWire(s.criteria_not_met());
  v.high_harm_indicators = FindingsFromWire(s.high_harm_indicators());
  v.prompts = FindingsFromWire(s.prompts());
  AppendResultJson(v, out);
  return Status::Ok();
}

Result<std::string> RemoteClient::ResolveRecord(const PersonRecord& r,
                                                std::string_view purpose) {
  v1::ResolveRecordRequest request;
  request.set_purpose(std::string(purpose));
  MARAC_RETURN_IF_ERROR(PersonRecordToWire(r, request.mutable_record()));
  v1::ResolveRecordResponse response;
  MARAC_RETURN_IF_ERROR(impl_->Call(
      [&](grpc::ClientContext* context) {
        return impl_->identity->ResolveRecord(context, request, &response);
      },
      "record."));
  return response.person_id();
}

Result<RemoteSubmitted> RemoteClient::SubmitReferral(const StoredReferral& r) {
  v1::SubmitReferralRequest request;
  request.set_request_id(r.submission_id);
  v1::Referral* w = request.mutable_referral();
  ReferralToWire(r, w);
  // The server sets the id and the agency; a criterion the wire has no
  // value for is refused here rather than dropped.
  w->clear_referral_id();
  w->clear_agency();
  if (static_cast<std::size_t>(w->criteria_size()) != r.criteria.size()) {
    for (const std::string& c : r.criteria) {
      std::string name = "CRITERION_" + c;
      for (char& ch : name) ch = static_cast<char>(std::toupper(ch));
      v1::Criterion criterion = v1::CRITERION_UNSPECIFIED;
      if (!v1::Criterion_Parse(name, &criterion)) {
        return InvalidArgument("criteria", "'" + c + "' is not a criterion");
      }
    }
  }
  v1::SubmitReferralResponse response;
  MARAC_RETURN_IF_ERROR(impl_->Call(
      [&](grpc::ClientContext* context) {
        return impl_->referrals->SubmitReferral(context, request, &response);
      },
      ""));
  return RemoteSubmitted{response.referral().referral_id(),
                         response.replayed()};
}

Result<std::string> RemoteClient::Agenda(std::string_view area, Date meeting,
                                         std::optional<Date> cutoff,
                                         int capacity_cases, bool save,
                                         std::string_view format,
                                         std::string_view purpose) {
  v1::GenerateAgendaRequest request;
  SetMeeting(area, meeting, cutoff, capacity_cases, format, purpose, request);
  request.set_save(save);
  v1::GenerateAgendaResponse response;
  MARAC_RETURN_IF_ERROR(impl_->Call(
      [&](grpc::ClientContext* context) {
        return impl_->agendas->GenerateAgenda(context, request, &response);
      },
      ""));
  return response.rendered();
}

Result<RemoteResearchList> RemoteClient::ResearchList(
    std::string_view area, Date meeting, std::optional<Date> cutoff,
    int capacity_cases, std::string_view agency, std::string_view format,
    std::string_view purpose) {
  v1::GetResearchListRequest request;
  SetMeeting(area, meeting, cutoff, capacity_cases, format, purpose, request);
  request.set_agency(std::string(agency));
  v1::GetResearchListResponse response;
  MARAC_RETURN_IF_ERROR(impl_->Call(
      [&](grpc::ClientContext* context) {
        return impl_->agendas->GetResearchList(context, request, &response);
      },
      ""));
  return RemoteResearchList{response.rendered(), response.circulation()};
}

Result<std::string> RemoteClient::Report(Date from, Date to,
                                         std::int64_t adult_women,
                                         std::string_view format,
                                         std::string_view purpose,
                                         bool compare_previous) {
  v1::GetStatisticsRequest request;
  request.set_compare_previous(compare_previous);
  DateToWire(from, request.mutable_period_start());
  DateToWire(to, request.mutable_period_end());
  request.set_adult_women(adult_women);
  request.set_purpose(std::string(purpose));
  request.set_area(impl_->options.area);
  request.set_format(OutputFormatToWire(format));
  v1::GetStatisticsResponse response;
  MARAC_RETURN_IF_ERROR(impl_->Call(
      [&](grpc::ClientContext* context) {
        return impl_->statistics->GetStatistics(context, request, &response);
      },
      ""));
  return response.rendered();
}

Result<std::vector<AuditEntry>> RemoteClient::AuditMentioning(
    std::string_view object_id, std::string_view purpose) {
  std::vector<AuditEntry> out;
  v1::ListAuditEntriesRequest request;
  request.set_purpose(std::string(purpose));
  request.set_object_id(std::string(object_id));
  // Each page's look-up is itself an entry naming the object, written after
  // the page: reaching one of our own look-ups is reaching the end of the
  // log as it stood (else a page size of one would never end).
  std::set<std::string> ours;
  do {
    v1::ListAuditEntriesResponse response;
    MARAC_RETURN_IF_ERROR(impl_->Call(
        [&](grpc::ClientContext* context) {
          const grpc::Status status =
              impl_->audit->ListAuditEntries(context, request, &response);
          const auto& metadata = context->GetServerInitialMetadata();
          const auto id = metadata.find("x-marac-request-id");
          if (id != metadata.end()) {
            ours.emplace(id->second.data(), id->second.size());
          }
          return status;
        },
        ""));
    for (const v1::AuditEntry& e : response.entries()) {
      if (ours.contains(e.request_id())) return out;
      out.push_back(AuditEntryFromWire(e));
    }
    request.set_after_sequence(response.next_after_sequence());
  } while (request.after_sequence() != 0);
  return out;
}

}  // namespace marac

#else  // A build without gRPC: every call says so.

namespace marac {

struct RemoteClient::Impl {};
RemoteClient::RemoteClient(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
RemoteClient::~RemoteClient() = default;

Result<std::unique_ptr<RemoteClient>> RemoteClient::Connect(
    const RemoteOptions&) {
  return InvalidArgument("--server",
                         "this build has no gRPC client (MARAC_BUILD_SERVER "
                         "was off)");
}
Status RemoteClient::ScoreJson(const ParsedAssessment&, std::string&) {
  return Internal("no gRPC client");
}
Result<std::string> RemoteClient::ResolveRecord(const PersonRecord&,
                                                std::string_view) {
  return Internal("no gRPC client");
}
Result<RemoteSubmitted> RemoteClient::SubmitReferral(const StoredReferral&) {
  return Internal("no gRPC client");
}
Result<std::string> RemoteClient::Agenda(std::string_view, Date,
                                         std::optional<Date>, int, bool,
                                         std::string_view, std::string_view) {
  return Internal("no gRPC client");
}
Result<RemoteResearchList> RemoteClient::ResearchList(std::string_view, Date,
                                                      std::optional<Date>, int,
                                                      std::string_view,
                                                      std::string_view,
                                                      std::string_view) {
  return Internal("no gRPC client");
}

Result<std::string> RemoteClient::Report(Date, Date, std::int64_t,
                                         std::string_view, std::string_view,
                                         bool) {
  return Internal("no gRPC client");
}
Result<std::vector<AuditEntry>> RemoteClient::AuditMentioning(
    std::string_view, std::string_view) {
  return Internal("no gRPC client");
}

}  // namespace marac

#endif  // MARAC_WITH_REMOTE

namespace marac {

Result<std::string> ParseToken(std::string_view text, std::string_view source) {
  const std::size_t end_of_line = text.find('\n');
  std::string_view token = text.substr(0, end_of_line);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\r' ||
                            token.back() == '\t')) {
    token.remove_suffix(1);
  }
  while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) {
    token.remove_prefix(1);
  }
  if (token.empty()) return InvalidArgument(source, "holds no token");
  if (token.size() > 4096) {
    return InvalidArgument(source, "the token is longer than 4096 bytes");
  }
  for (const char c : token) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return InvalidArgument(source, "the token holds a control character");
    }
  }
  return std::string(token);
}

}  // namespace marac
