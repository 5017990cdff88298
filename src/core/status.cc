#include "core/status.h"

namespace datenwerk {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "ok";
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kTooLarge: return "payload_too_large";
    case ErrorCode::kUnsupportedMediaType: return "unsupported_media_type";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kStorageFull: return "insufficient_storage";
    case ErrorCode::kDeadlineExceeded: return "deadline_exceeded";
    case ErrorCode::kNotImplemented: return "not_implemented";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace datenwerk
