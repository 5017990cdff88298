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

}  // namespace datenwerk::api
