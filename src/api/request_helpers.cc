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

http::Handler WithKey(CatalogueService& keys,
                      std::function<http::Response(const http::Request&)> inner) {
  return [&keys, inner = std::move(inner)](const http::Request& r) {
    auto key = keys.Authenticate(PresentedApiKey(r));
    if (!key.ok()) return http::ErrorResponse(key.status());
    return inner(r);
  };
}

}  // namespace datenwerk::api
