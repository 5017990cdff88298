// Private to api/sta_batch*.cc: a SensorThings batch (18-088 section 11) as a list of
// requests, whichever form it came in (OData 4.01 JSON or OData 4.0 multipart/mixed), and
// their answers.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace datenwerk::api::batch {

inline constexpr size_t kMaxRequests = 1000;

struct SubRequest {
  std::string id;            // JSON "id"; multipart Content-ID (or the part's number)
  bool has_content_id = false;  // multipart: echo the Content-ID in the answer
  std::string method;        // upper case
  std::string url;           // relative to the service root; may start with "$<id>"
  std::string group;         // atomicityGroup or change set; empty: none
  std::string content_type;  // the request's own Content-Type (a JSON Patch says so)
  std::optional<boost::json::value> body;  // a JSON body; "$<id>" links are resolved in it
  std::string raw_body;      // a body that is no JSON, passed on as is (and refused there)
};

// The answer to each request, in order. When an atomicity group fails, every request of it
// answers with the response that stopped it, and `group_failed` is set for each.
struct Answers {
  std::vector<http::Response> responses;
  std::vector<char> group_failed;
};

// The multipart/mixed form: parts of application/http requests, change sets as nested
// multipart/mixed parts. kInvalidArgument naming the part when the body is malformed.
Result<std::vector<SubRequest>> ParseMultipart(const http::Request& r);
// The answers as multipart/mixed (OData 4.0 Part 1, 11.7.4): the body, and its boundary.
http::Response RenderMultipart(const std::vector<SubRequest>& requests, const Answers& answers);

}  // namespace datenwerk::api::batch
