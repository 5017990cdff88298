// Transport-neutral HTTP messages. Handlers see only these, never Beast.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/url.h"

namespace datenwerk::http {

struct Request {
  std::string method;  // "GET", "POST", ...; HEAD arrives as GET with `head_only` set
  bool head_only = false;
  std::string target;  // raw request target, e.g. "/api/v1/kpis?limit=5"
  std::string path;    // percent-decoded path, e.g. "/api/v1/kpis"
  std::map<std::string, std::string> query;         // decoded; first occurrence wins
  std::map<std::string, std::string> headers;       // names in lower case
  std::map<std::string, std::string> path_params;   // filled by the router
  std::string body;
  // The client's address as the socket sees it ("127.0.0.1", "::1"); a reverse proxy's own
  // address when one is in front. For the audit trail.
  std::string remote_address;

  // Empty when absent.
  const std::string& Header(const std::string& lower_name) const;
  const std::string& Query(const std::string& name) const;
  const std::string& Param(const std::string& name) const;
};

// A body made piece by piece, for downloads of any size: the server asks for the next piece only
// when the previous one is on its way, so memory stays bounded whatever the size. It is sent with
// chunked transfer coding (gzip-compressed when the client accepts it). Next() runs on the
// server's pool for slow reads (it may wait for a store), one call at a time per body.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  // Appends the next piece to `out` (empty on entry); false once the body is complete (`out`
  // may still hold a last piece). An error ends the body early: the server closes the connection
  // without the terminating chunk, so the client sees that the download is incomplete.
  virtual Result<bool> Next(std::string& out) = 0;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // An immutable body shared with a cache; when set, it is sent instead of `body` without a copy.
  std::shared_ptr<const std::string> shared_body;
  // When set, the body comes from here instead (never cached).
  std::shared_ptr<BodyStream> stream;
  std::vector<std::pair<std::string, std::string>> headers;
  // For a 5xx answer: what went wrong inside, logged with the request and never sent.
  std::string log_detail;

  std::string_view Body() const { return shared_body ? std::string_view(*shared_body) : body; }

  Response& With(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// Splits "path?query" and percent-decodes both; false when the encoding is malformed.
bool ParseTarget(std::string_view target, Request& out);
using datenwerk::PercentDecode;  // core/url.h, used by handlers as http::
using datenwerk::PercentEncode;

// The items of a header with quality values (Accept, Accept-Encoding; RFC 9110 12.4.2), in
// order: "text/turtle;q=0.5, */*" -> {("text/turtle", 0.5), ("*/*", 1)}. Other parameters are
// dropped; the views point into `header`.
struct QualityItem {
  std::string_view value;
  double q = 1;
};
std::vector<QualityItem> ParseQualityList(std::string_view header);

// The client's address behind proxies (HAProxy in front of several nodes): `peer` unless it is
// one of `trusted_proxies`; then the X-Forwarded-For list (`forwarded_for`, "client, proxy1, …")
// read from the right, skipping trusted proxies: the first address a trusted proxy vouches for.
// A client can prepend whatever it likes to the list, so nothing left of that is believed.
// Entries that are no IP address end the walk (the last trusted one is returned).
std::string ClientAddress(const std::string& peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

// The HTTP status for an error code, e.g. kNotFound -> 404.
int HttpStatusFor(ErrorCode code);
// {"error":{"code":...,"message":...,"field":...}} with the matching status.
Response ErrorResponse(const Status& status);

}  // namespace datenwerk::http
