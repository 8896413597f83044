#include "services/wire/rpc_status.h"

#include "google/rpc/error_details.pb.h"

namespace marac {
namespace {

std::string Join(std::string_view prefix, std::string_view field) {
  if (prefix.empty()) return std::string(field);
  if (field.empty()) return std::string(prefix);
  return std::string(prefix) + "." + std::string(field);
}

// Calls `visit` with each field violation of the google.rpc.BadRequest an
// INVALID_ARGUMENT carries in its details, in order.
template <typename Visit>
void ForEachViolation(const grpc::Status& status, const Visit& visit) {
  if (status.error_code() != grpc::StatusCode::INVALID_ARGUMENT) return;
  google::rpc::Status detail;
  if (!detail.ParseFromString(status.error_details())) return;
  google::rpc::BadRequest bad;
  for (const google::protobuf::Any& any : detail.details()) {
    if (!any.UnpackTo(&bad)) continue;
    for (const auto& v : bad.field_violations()) visit(v);
  }
}

}  // namespace

void FieldViolations::AddStatus(std::string_view prefix, const Status& status) {
  const std::string& message = status.message();
  const std::size_t colon = message.find(": ");
  if (colon == std::string::npos) {
    Add(std::string(prefix), message);
  } else {
    Add(Join(prefix, std::string_view(message).substr(0, colon)),
        message.substr(colon + 2));
  }
}

google::rpc::Status FieldViolations::ToRpcStatus() const {
  assert(!empty());
  google::rpc::BadRequest bad_request;
  for (const Violation& v : violations_) {
    google::rpc::BadRequest::FieldViolation* out =
        bad_request.add_field_violations();
    out->set_field(v.field);
    out->set_description(v.description);
  }
  google::rpc::Status status;
  status.set_code(grpc::StatusCode::INVALID_ARGUMENT);
  std::string message =
      violations_.front().field + ": " + violations_.front().description;
  if (violations_.size() > 1) {
    message += " (and " + std::to_string(violations_.size() - 1) +
               " more in the BadRequest details)";
  }
  status.set_message(std::move(message));
  status.add_details()->PackFrom(bad_request);
  return status;
}

grpc::Status FieldViolations::ToStatus() const {
  const google::rpc::Status rpc = ToRpcStatus();
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, rpc.message(),
                      rpc.SerializeAsString());
}

grpc::Status ToGrpcStatus(const Status& status, std::string_view prefix) {
  switch (status.code()) {
    case StatusCode::kOk:
      return grpc::Status::OK;
    case StatusCode::kInvalidArgument: {
      FieldViolations v;
      v.AddStatus(prefix, status);
      return v.ToStatus();
    }
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kCancelled:
      // The message says what was stopped ("store: reading record: the
      // deadline passed"), never what was read.
      return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                          status.message());
    case StatusCode::kInternal:
    case StatusCode::kDataLoss:
      return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                          "the server failed; the call may be retried later");
    default:
      return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                          status.message());
  }
}

bool RefusesField(std::string_view field, const grpc::Status& status) {
  bool refused = false;
  ForEachViolation(
      status, [&](const google::rpc::BadRequest::FieldViolation& v) {
        const std::string_view named = v.field();
        refused = refused || named == field ||
                  (named.starts_with(field) && named.size() > field.size() &&
                   named[field.size()] == '[');
      });
  return refused;
}

Status StatusFromGrpc(const grpc::Status& status, std::string_view address,
                      std::string_view strip_prefix) {
  if (status.ok()) return Status::Ok();
  const auto code = static_cast<StatusCode>(status.error_code());
  if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
    std::string message;
    ForEachViolation(
        status, [&](const google::rpc::BadRequest::FieldViolation& v) {
          std::string_view field = v.field();
          if (!strip_prefix.empty() && field.starts_with(strip_prefix)) {
            field.remove_prefix(strip_prefix.size());
          }
          if (!message.empty()) message += "; ";
          message += std::string(field) + ": " + v.description();
        });
    if (message.empty()) message = status.error_message();
    return Status(code, message);
  }
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    return Status(
        code, "server " + std::string(address) + ": " + status.error_message());
  }
  return Status(code, status.error_message());
}

}  // namespace marac
