// Result<T>: a T or the Status saying why there is none.
//
//   Result<Date> d = Date::Parse("completed_on", text);
//   if (!d.ok()) return d.status();
//   Use(*d);
//
// Check ok() before dereferencing; dereferencing an error is a bug and
// asserts in debug builds.
#ifndef MARAC_COMMON_RESULT_H_
#define MARAC_COMMON_RESULT_H_

#include <cassert>
#include <optional>
#include <type_traits>
#include <utility>

#include "marac/common/status.h"

namespace marac {

template <typename T>
class [[nodiscard]] Result {
 public:
  // A value. Implicit, so `return value;` works in a function returning
  // Result<T>.
  Result(const T& value)
      : value_(value) {}  // NOLINT(google-explicit-constructor)
  Result(T&& value) : value_(std::move(value)) {}  // NOLINT
  // An error. `status` must not be OK: an OK status without a value is a bug.
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "Result built from an OK status without a value");
    if (status_.ok()) {
      status_ = Status(StatusCode::kInternal, "Result without a value");
    }
  }

  bool ok() const { return value_.has_value(); }
  // OK when ok(); the error otherwise.
  const Status& status() const { return status_; }

  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace marac

#define MARAC_CONCAT_INNER_(a, b) a##b
#define MARAC_CONCAT_(a, b) MARAC_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (a Result<T>); on error returns its Status from the
// current function, otherwise moves the value into `lhs` (a declaration or an
// lvalue).
#define MARAC_ASSIGN_OR_RETURN(lhs, rexpr)                                  \
  MARAC_ASSIGN_OR_RETURN_IMPL_(MARAC_CONCAT_(marac_result_, __LINE__), lhs, \
                               rexpr)
#define MARAC_ASSIGN_OR_RETURN_IMPL_(result, lhs, rexpr) \
  auto result = (rexpr);                                 \
  if (!result.ok()) return result.status();              \
  lhs = std::move(result).value()

#endif  // MARAC_COMMON_RESULT_H_
