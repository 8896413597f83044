// Status: the outcome of an operation that can fail in an expected way (bad
// input, unknown id, store unavailable). Errors are values at the public API;
// no exception crosses include/marac.
//
//   Status s = checklist.Record(25, Answer::kYes);
//   if (!s.ok()) std::cerr << s << "\n";  // "answers.25: safelives-ric has
//   ..."
//
// The message of an input error starts with the field path, then a colon and
// the problem, so a caller can show it to the person who typed the value.
#ifndef MARAC_COMMON_STATUS_H_
#define MARAC_COMMON_STATUS_H_

#include <ostream>
#include <string>
#include <string_view>
#include <utility>

namespace marac {

// The numbers are gRPC's, so a server maps a StatusCode with a cast.
enum class StatusCode : int {
  kOk = 0,
  kCancelled = 1,  // The caller gave up (see deadline.h).
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,  // The caller's deadline passed (see deadline.h).
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,   // The caller may not do this to this object.
  kResourceExhausted = 8,  // A bounded queue or limit is full; retry later.
  kFailedPrecondition = 9,
  kOutOfRange = 11,
  kUnimplemented = 12,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
};

// "INVALID_ARGUMENT" and so on, as gRPC spells them.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An OK status. Does not allocate.
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // Empty when ok().
  const std::string& message() const { return message_; }
  // "INVALID_ARGUMENT: answers.25: ..." or "OK".
  std::string ToString() const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

std::ostream& operator<<(std::ostream& os, const Status& status);

// Builders for the common codes. `field` is a dotted path ("answers.25",
// "completed_on"); `problem` says what is wrong with it, in plain words.
Status InvalidArgument(std::string_view field, std::string_view problem);
Status NotFound(std::string message);
Status FailedPrecondition(std::string message);
Status Internal(std::string message);
// `message` says what was stopped: "store: reading record: the deadline
// passed".
Status DeadlineExceeded(std::string message);
Status Cancelled(std::string message);

}  // namespace marac

// Returns from the current function if `expr` (a Status) is not OK.
#define MARAC_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::marac::Status marac_status_ = (expr);        \
    if (!marac_status_.ok()) return marac_status_; \
  } while (false)

#endif  // MARAC_COMMON_STATUS_H_
