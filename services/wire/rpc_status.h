// The server's error model: library Status values and field violations
// become gRPC statuses, INVALID_ARGUMENT carrying a google.rpc.BadRequest
// in the grpc-status-details-bin trailer.
//
//   FieldViolations v;
//   v.Add("assessment.completed_on", "required");
//   if (!v.empty()) return v.ToStatus();
//   return ToGrpcStatus(store.PutMeeting(actor, meeting));
//
// Messages name fields and rules, never the values sent.
#ifndef MARAC_SERVICES_WIRE_RPC_STATUS_H_
#define MARAC_SERVICES_WIRE_RPC_STATUS_H_

#include <grpcpp/support/status.h>

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "google/rpc/status.pb.h"
#include "marac/common/status.h"

namespace marac {

// Every rule a request broke, by field path (docs/server.md): dotted
// message fields, [i] for list elements, .<key> for map entries, e.g.
// "referral.perpetrator_record_ids[2]", "assessment.answers.25".
class FieldViolations {
 public:
  struct Violation {
    std::string field;
    std::string description;
  };

  void Add(std::string field, std::string description) {
    violations_.push_back({std::move(field), std::move(description)});
  }
  // Adds a library kInvalidArgument ("field: problem") under `prefix`
  // ("referral" + "victim_record_id: ..." -> "referral.victim_record_id").
  void AddStatus(std::string_view prefix, const Status& status);
  bool empty() const { return violations_.empty(); }
  const std::vector<Violation>& all() const { return violations_; }

  // INVALID_ARGUMENT naming the first field, with every violation in a
  // google.rpc.BadRequest. Only when !empty().
  grpc::Status ToStatus() const;
  // The same as a google.rpc.Status, for an item of a stream.
  google::rpc::Status ToRpcStatus() const;

 private:
  std::vector<Violation> violations_;
};

// Maps a library status: the code by cast (the numbers are gRPC's);
// kInvalidArgument becomes a BadRequest with the field under `prefix`;
// kDeadlineExceeded and kCancelled become DEADLINE_EXCEEDED and CANCELLED,
// saying what was stopped; internal failures (kInternal, kDataLoss) lose
// their detail, which may describe the store, and say only that the server
// failed.
grpc::Status ToGrpcStatus(const Status& status, std::string_view prefix = "");

// The client's direction (`marac --server`): the server's answer as the
// library's Status. The code is kept; an INVALID_ARGUMENT lists its field
// violations ("field: rule; ..."), with the request's own prefix
// (`strip_prefix`, e.g. "assessment.") dropped so that paths read as the
// local commands' do; UNAVAILABLE and DEADLINE_EXCEEDED name the server
// at `address`.
Status StatusFromGrpc(const grpc::Status& status, std::string_view address,
                      std::string_view strip_prefix);
// Whether an INVALID_ARGUMENT names `field` or an element of it
// ("field[3]") among its violations.
bool RefusesField(std::string_view field, const grpc::Status& status);

// A T, or the gRPC status refusing the call: Result<T> for the codes the
// library has no use for (UNAUTHENTICATED, RESOURCE_EXHAUSTED, ...).
template <typename T>
class [[nodiscard]] RpcResult {
 public:
  RpcResult(T value) : value_(std::move(value)) {}               // NOLINT
  RpcResult(grpc::Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "RpcResult built from an OK status");
  }
  bool ok() const { return value_.has_value(); }
  const grpc::Status& status() const { return status_; }
  const T& operator*() const& { return *value_; }
  T& operator*() & { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  const T* operator->() const { return &*value_; }

 private:
  grpc::Status status_;
  std::optional<T> value_;
};

}  // namespace marac

#endif  // MARAC_SERVICES_WIRE_RPC_STATUS_H_
