// Errors as values: every expected failure (bad input, unknown id, missing key) is a Status,
// and Result<T> carries either a value or a Status. Exceptions are reserved for the fatal.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace datenwerk {

enum class ErrorCode {
  kOk,
  kInvalidArgument,   // the request or file is malformed; `field` says where
  kNotFound,          // an id names nothing
  kConflict,          // the write contradicts what is stored
  kUnauthenticated,   // no or unknown credentials
  kPermissionDenied,  // credentials lack the role
  kTooLarge,          // body over the limit
  kUnsupportedMediaType,  // the body is not of a media type the resource takes
  kUnavailable,       // try again later (a part such as the database is away, or busy)
  kStorageFull,       // the disk is full: nothing was written; try again when space is back
  kDeadlineExceeded,  // the request ran past its time budget; narrow it
  kNotImplemented,    // a recognised feature this server does not offer (yet)
  kInternal,          // a bug or an I/O failure
};

// A short machine-readable name, e.g. "invalid_argument"; stable, part of the API.
const char* ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // Where the problem is: a JSON field name, a query parameter, or "file:line".
  const std::string& field() const { return field_; }
  // What went wrong inside (a database's own message), for the log; never sent to clients.
  const std::string& detail() const { return detail_; }
  Status WithDetail(std::string detail) const {
    Status s = *this;
    s.detail_ = std::move(detail);
    return s;
  }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
  std::string field_;
  std::string detail_;
};

inline Status InvalidArgument(std::string message, std::string field = {}) {
  return {ErrorCode::kInvalidArgument, std::move(message), std::move(field)};
}
inline Status NotFound(std::string message, std::string field = {}) {
  return {ErrorCode::kNotFound, std::move(message), std::move(field)};
}
inline Status Internal(std::string message) { return {ErrorCode::kInternal, std::move(message)}; }
inline Status Unavailable(std::string message, std::string field = {}) {
  return {ErrorCode::kUnavailable, std::move(message), std::move(field)};
}

// Deliberately drops a Status whose failure changes nothing for the caller (a ROLLBACK after a
// failed statement, say); says so where a plain call would hide it.
inline void IgnoreError(const Status&) {}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : state_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace datenwerk
