#include "api/request_helpers.h"


#include <cctype>

namespace datenwerk::api {

std::string PresentedApiKey(const http::Request& r) {
  const std::string& auth = r.Header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() > kBearer.size() && auth.starts_with(kBearer)) return auth.substr(kBearer.size());
  return r.Header("x-api-key");
}

std::string SensorThingsBaseUrl(const http::Request& r) {
  std::string host = r.Header("host");
  for (char c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != ':' && c != '-' &&
        c != '[' && c != ']') {
      host.clear();
      break;
    }
  }
  if (host.empty()) host = "localhost";
  return "http://" + host + "/sta/v1.1";
}

Status CheckJsonMediaType(const http::Request& r, bool required) {
  const std::string& type = r.Header("content-type");
  if (type.empty() && !required) return Status::Ok();
  std::string_view media = std::string_view(type).substr(0, type.find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  std::string lower(media);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "application/json") return Status::Ok();
  return Status(ErrorCode::kUnsupportedMediaType, "Content-Type must be application/json",
                "Content-Type");
}

Result<ApiKeyRecord> Authorize(CatalogueService& keys, const http::Request& r, Role needed) {
  auto key = keys.Authenticate(PresentedApiKey(r));
  if (!key.ok()) return key.status();
  if (!RoleAllows(key->role, needed)) {
    return Status(ErrorCode::kPermissionDenied,
                  std::string("this needs a key with the role ") + RoleName(needed) +
                      " or higher; the key presented is " + RoleName(key->role),
                  "Authorization");
  }
  return key;
}

http::Handler WithKey(CatalogueService& keys, Role needed,
                      std::function<http::Response(const http::Request&)> inner) {
  return [&keys, needed, inner = std::move(inner)](const http::Request& r) {
    auto key = Authorize(keys, r, needed);
    if (!key.ok()) return http::ErrorResponse(key.status());
    return inner(r);
  };
}

}  // namespace datenwerk::api
