#include "api/audited_writes.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>

#include "api/request_helpers.h"
#include "core/json_text.h"

namespace datenwerk::api {

namespace json = boost::json;

namespace {

bool Recorded(const http::Request& r) {
  if (r.method == "GET") return false;
  const std::string& p = r.path;
  // Recorded by their own handlers, or sensor data (see the header).
  for (const char* prefix : {"/verwaltung", "/api/v1/kpis/", "/api/v1/measures/", "/api/v1/ingest/", "/api/v1/buergerecho/"}) {
    if (p.starts_with(prefix)) return false;
  }
  return p.find("Observations") == std::string::npos && p.find("$batch") == std::string::npos &&
         (p.starts_with("/api/") || p.starts_with("/sta/"));
}

void Blank(json::value& v, int depth) {
  if (depth > 32) return;
  if (auto* o = v.if_object()) {
    for (auto& [key, member] : *o) {
      if (key == "secret" || key == "password" || key == "passwort" || key == "key") {
        member = "***";
      } else {
        Blank(member, depth + 1);
      }
    }
  } else if (auto* a = v.if_array()) {
    for (json::value& e : *a) Blank(e, depth + 1);
  }
}

}  // namespace

std::string AuditBody(std::string_view body) {
  if (body.empty()) return "";
  json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  json::value v = json::parse(body, ec, {}, options);
  if (ec) return "(" + std::to_string(body.size()) + " Bytes)";
  Blank(v, 0);
  std::string text = ToJsonText(v);
  if (text.size() > 2000) text = text.substr(0, 2000) + "…";
  return text;
}

http::Handler AuditApiWrites(CatalogueService& keys, audit::AuditLog& audit, http::Handler next) {
  return [&keys, &audit, next = std::move(next)](const http::Request& request) {
    http::Response response = next(request);
    if (response.status >= 300 || !Recorded(request)) return response;
    auto key = keys.Authenticate(PresentedApiKey(request));
    const std::string actor = key.ok() ? "schluessel:" + std::to_string(key->id) + " " + key->label : "anonym";
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    std::string method = request.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto entry = audit.Append({0, now, actor, request.remote_address, "api." + method, request.target.substr(0, 500),
                               "", AuditBody(request.body), ""});
    if (!entry.ok()) spdlog::error("audit entry not written for {} {}: {}", request.method, request.target,
                                   entry.status().message());
    return response;
  };
}

}  // namespace datenwerk::api
