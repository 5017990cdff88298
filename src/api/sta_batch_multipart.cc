// The multipart/mixed form of SensorThings batch requests (18-088 11.2; OData 4.0 Part 1,
// 11.7): each part an application/http request, change sets as nested multipart/mixed parts
// whose requests carry a Content-ID that later requests reference as "$<id>". A change set
// holds no GET. Answered in kind: a part per request, a nested part per change set, or one
// response for a change set that failed (OData 4.0 11.7.4).
#include <algorithm>
#include <random>

#include "api/sta_batch.h"
#include "core/json_input.h"
#include "http/multipart.h"

namespace datenwerk::api::batch {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

// "http://host/sta/v1.1/Things" and "/sta/v1.1/Things" (or FROST's "/v1.1/Things") become
// "Things"; a relative url stays as it is.
std::string RelativeUrl(std::string url) {
  if (url.starts_with("http://") || url.starts_with("https://")) {
    const size_t path = url.find('/', url.find("://") + 3);
    url = path == std::string::npos ? "/" : url.substr(path);
  }
  const size_t query = url.find('?');
  const size_t root = url.substr(0, query).find("/v1.1/");
  if (root != std::string::npos) return url.substr(root + 6);
  if (url.starts_with("/")) url.erase(0, 1);
  return url;
}

Result<SubRequest> ReadRequest(const http::MimePart& part, const std::string& where, size_t number,
                               const std::string& group) {
  if (http::MediaType(part.headers.count("content-type") ? part.headers.at("content-type") : "") !=
      "application/http") {
    return InvalidArgument("a part is an application/http request or a multipart/mixed change set",
                           where + ".Content-Type");
  }
  auto embedded = http::ParseEmbeddedRequest(part.body, where);
  if (!embedded.ok()) return embedded.status();
  SubRequest sub;
  sub.method = embedded->method;
  std::transform(sub.method.begin(), sub.method.end(), sub.method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (sub.method != "GET" && sub.method != "POST" && sub.method != "PATCH" && sub.method != "PUT" &&
      sub.method != "DELETE") {
    return InvalidArgument("must be GET, POST, PATCH, PUT or DELETE", where + ".method");
  }
  if (!group.empty() && sub.method == "GET") {
    return InvalidArgument("a change set holds no GET (OData 4.0 11.7.3)", where + ".method");
  }
  auto id = part.headers.find("content-id");
  sub.has_content_id = id != part.headers.end();
  sub.id = sub.has_content_id ? id->second : std::to_string(number);
  sub.url = RelativeUrl(embedded->target);
  sub.group = group;
  if (auto type = embedded->headers.find("content-type"); type != embedded->headers.end()) {
    sub.content_type = type->second;
  }
  const std::string_view body = embedded->body;
  if (body.find_first_not_of(" \t\r\n") != std::string_view::npos) {
    auto parsed = ParseJsonInput(body);
    if (parsed.ok()) {
      sub.body = std::move(parsed).value();
    } else {
      sub.raw_body = std::string(body);  // refused by the handler with its own message
    }
  }
  return sub;
}

void AppendPart(const SubRequest& sub, const Response& response, bool with_id, std::string& out) {
  out += "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n";
  if (with_id && sub.has_content_id) out += "Content-ID: " + sub.id + "\r\n";
  out += "\r\nHTTP/1.1 " + std::to_string(response.status) + " ";
  out += http::ReasonPhrase(response.status);
  out += "\r\n";
  const std::string_view body = response.Body();
  if (!body.empty() && !response.content_type.empty()) out += "Content-Type: " + response.content_type + "\r\n";
  for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
  out += "\r\n";
  out += body;
  out += "\r\n";
}

std::string NewBoundary(std::string_view kind) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(kind);
  for (int i = 0; i < 24; ++i) out += kHex[random() % 16];
  return out;
}

}  // namespace

Result<std::vector<SubRequest>> ParseMultipart(const Request& r) {
  auto boundary = http::BoundaryOf(r.Header("content-type"));
  if (!boundary) return InvalidArgument("multipart/mixed needs a boundary parameter", "Content-Type");
  auto parts = http::SplitMultipart(r.body, *boundary, "body");
  if (!parts.ok()) return parts.status();
  std::vector<SubRequest> out;
  for (size_t i = 0; i < parts->size(); ++i) {
    const http::MimePart& part = (*parts)[i];
    const std::string where = "body[" + std::to_string(i) + "]";
    auto type = part.headers.find("content-type");
    const std::string media = http::MediaType(type == part.headers.end() ? "" : type->second);
    if (media == "multipart/mixed") {
      auto inner_boundary = http::BoundaryOf(type->second);
      if (!inner_boundary) return InvalidArgument("a change set needs a boundary parameter", where + ".Content-Type");
      auto changes = http::SplitMultipart(part.body, *inner_boundary, where);
      if (!changes.ok()) return changes.status();
      const std::string group = "changeset " + std::to_string(i);
      for (size_t k = 0; k < changes->size(); ++k) {
        if (out.size() == kMaxRequests) break;
        auto sub = ReadRequest((*changes)[k], where + "[" + std::to_string(k) + "]", out.size(), group);
        if (!sub.ok()) return sub.status();
        out.push_back(std::move(sub).value());
      }
    } else {
      auto sub = ReadRequest(part, where, out.size(), "");
      if (!sub.ok()) return sub.status();
      out.push_back(std::move(sub).value());
    }
    if (out.size() >= kMaxRequests && i + 1 < parts->size()) {
      return InvalidArgument("at most " + std::to_string(kMaxRequests) + " requests per batch", "body");
    }
  }
  return out;
}

Response RenderMultipart(const std::vector<SubRequest>& requests, const Answers& answers) {
  const std::string boundary = NewBoundary("batchresponse_");
  std::string out;
  for (size_t i = 0; i < requests.size();) {
    out += "--" + boundary + "\r\n";
    const std::string& group = requests[i].group;
    if (group.empty()) {
      AppendPart(requests[i], answers.responses[i], false, out);
      ++i;
      continue;
    }
    size_t end = i + 1;
    while (end < requests.size() && requests[end].group == group) ++end;
    if (answers.group_failed[i]) {
      AppendPart(requests[i], answers.responses[i], false, out);  // one answer for the change set
    } else {
      const std::string inner = NewBoundary("changesetresponse_");
      out += "Content-Type: multipart/mixed; boundary=" + inner + "\r\n\r\n";
      for (size_t k = i; k < end; ++k) {
        out += "--" + inner + "\r\n";
        AppendPart(requests[k], answers.responses[k], true, out);
      }
      out += "--" + inner + "--\r\n";
    }
    i = end;
  }
  out += "--" + boundary + "--\r\n";
  Response response;
  response.content_type = "multipart/mixed; boundary=" + boundary;
  response.body = std::move(out);
  return response;
}

}  // namespace datenwerk::api::batch
