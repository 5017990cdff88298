// Batch requests for the SensorThings API (18-088 section 11), in both forms: JSON as OData
// 4.01 defines it (JSON Format, section 19) and FROST-Server offers it,
//   {"requests": [{"id": "1", "method": "post", "url": "Things", "body": {...},
//                  "atomicityGroup": "g1"}, ...]}
// answered {"responses": [{"id": "1", "status": 201, "headers": {"location": ...},
// "location": ..., "body": ...}]}, and multipart/mixed as OData 4.0 defines it (Part 1, 11.7;
// api/sta_batch_multipart.cc). Requests run in order, each as if sent on its own (with the
// batch's Authorization). Consecutive requests of one atomicityGroup (change set) are staged
// into one change set and applied in one transaction: all are stored or none, and then each
// answers with the error that stopped the group. Reads inside a group see what is committed,
// not what the group staged before them. "$<id>" at the start of a url, or as the "@iot.id" of
// a link in a body, stands for the entity an earlier request of the batch created.
#include <algorithm>
#include <map>

#include "api/request_helpers.h"
#include "api/sta_batch.h"
#include "api/sta_internal.h"
#include "core/json_input.h"
#include "core/json_text.h"
#include "http/multipart.h"

namespace datenwerk::api {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

using batch::kMaxRequests;
using batch::SubRequest;
constexpr std::string_view kRoot = "/sta/v1.1/";

// An entity made by an earlier request: "Sensors(5)" and 5.
struct Made {
  std::string path;
  int64_t id = 0;
};

Result<std::vector<SubRequest>> ParseBatch(const json::value& body) {
  const json::value* list = body.is_object() ? body.as_object().if_contains("requests") : nullptr;
  if (!list || !list->is_array()) return InvalidArgument("must be an array", "requests");
  if (list->as_array().size() > kMaxRequests) {
    return InvalidArgument("at most " + std::to_string(kMaxRequests) + " requests per batch",
                           "requests");
  }
  std::vector<SubRequest> out;
  for (size_t i = 0; i < list->as_array().size(); ++i) {
    const std::string where = "requests[" + std::to_string(i) + "]";
    const json::value& item = list->as_array()[i];
    if (!item.is_object()) return InvalidArgument("must be an object", where);
    const json::object& o = item.as_object();
    SubRequest r;
    auto text = [&](const char* name, std::string& into, bool required) -> Status {
      const json::value* v = o.if_contains(name);
      if (!v) return required ? InvalidArgument("is required", where + "." + name) : Status::Ok();
      if (!v->is_string()) return InvalidArgument("must be a string", where + "." + name);
      into = std::string(v->get_string());
      return Status::Ok();
    };
    for (auto [name, into, required] : {std::tuple{"id", &r.id, true},
                                        std::tuple{"method", &r.method, true},
                                        std::tuple{"url", &r.url, true},
                                        std::tuple{"atomicityGroup", &r.group, false}}) {
      if (auto s = text(name, *into, required); !s.ok()) return s;
    }
    for (const auto& member : o) {
      const std::string_view k = member.key();
      if (k != "id" && k != "method" && k != "url" && k != "atomicityGroup" && k != "body" &&
          k != "headers" && k != "dependsOn") {
        return InvalidArgument("unknown member", where + "." + std::string(k));
      }
    }
    std::transform(r.method.begin(), r.method.end(), r.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (r.method != "GET" && r.method != "POST" && r.method != "PATCH" && r.method != "PUT" &&
        r.method != "DELETE") {
      return InvalidArgument("must be get, post, patch, put or delete", where + ".method");
    }
    if (const json::value* body = o.if_contains("body")) r.body = *body;
    if (const json::value* headers = o.if_contains("headers")) {
      if (!headers->is_object()) return InvalidArgument("must be an object", where + ".headers");
      const json::value* type = nullptr;
      for (const auto& h : headers->as_object()) {
        std::string name(h.key());
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == "content-type") type = &h.value();
      }
      if (type && !type->is_string()) return InvalidArgument("must be a string", where + ".headers.content-type");
      if (type) r.content_type = std::string(type->get_string());
    }
    out.push_back(std::move(r));
  }
  return out;
}

void SubstituteIds(json::value& v, const std::map<std::string, Made>& made) {
  if (v.is_array()) {
    for (json::value& item : v.as_array()) SubstituteIds(item, made);
    return;
  }
  if (!v.is_object()) return;
  for (auto& member : v.as_object()) {
    json::value& value = member.value();
    if (member.key() == "@iot.id" && value.is_string() && value.get_string().starts_with("$")) {
      auto it = made.find(std::string(value.get_string().subview(1)));
      if (it != made.end()) value = it->second.id;
      continue;
    }
    SubstituteIds(value, made);
  }
}

std::string SubstituteUrl(std::string url, const std::map<std::string, Made>& made) {
  if (url.starts_with("/")) url.erase(0, 1);
  if (!url.starts_with("$")) return url;
  const size_t end = std::min(url.find('/'), url.find('?'));
  auto it = made.find(url.substr(1, end == std::string::npos ? end : end - 1));
  if (it == made.end()) return url;
  return it->second.path + (end == std::string::npos ? "" : url.substr(end));
}

Response Dispatch(const Request& outer, const SubRequest& sub, std::map<std::string, Made>& made,
                  sta::SensorThingsService& service, CatalogueService& keys,
                  sta::ChangeSet* changes = nullptr) {
  Request r;
  r.method = sub.method;
  r.headers = outer.headers;
  r.headers.erase("content-length");
  r.headers.erase("content-type");
  if (!sub.content_type.empty()) r.headers["content-type"] = sub.content_type;
  const std::string url = SubstituteUrl(sub.url, made);
  if (!http::ParseTarget(std::string(kRoot) + url, r) || r.path == "/sta/v1.1/$batch") {
    return http::ErrorResponse(InvalidArgument("not a resource of this service: " + url, "url"));
  }
  r.target = std::string(kRoot) + url;
  if (sub.body) {
    json::value body = *sub.body;
    SubstituteIds(body, made);
    r.body = ToJsonText(body);
  } else {
    r.body = sub.raw_body;
  }
  Response response = HandleSensorThings(r, service, keys, changes);
  if (response.status == 201) {
    const std::string base = SensorThingsBaseUrl(r) + "/";
    for (const auto& [name, value] : response.headers) {
      if (name != "Location" || !value.starts_with(base)) continue;
      const std::string path = value.substr(base.size());
      const size_t open = path.rfind('(');
      made[sub.id] = {path, std::strtoll(path.c_str() + open + 1, nullptr, 10)};
    }
  }
  return response;
}

void AppendAnswer(const std::string& id, const Response& response, std::string& out) {
  if (out.back() != '[') out += ',';
  out += "{\"id\":" + ToJsonText(json::value(id)) + ",\"status\":" +
         std::to_string(response.status);
  for (const auto& [name, value] : response.headers) {
    // OData 4.01 puts it in "headers"; FROST-Server's clients read it beside "status".
    if (name == "Location") {
      const std::string location = ToJsonText(json::value(value));
      out += ",\"headers\":{\"location\":" + location + "},\"location\":" + location;
    }
  }
  const std::string_view body = response.Body();
  if (!body.empty()) {
    out += ",\"body\":";
    if (response.content_type.starts_with("application/json")) {
      out += body;
    } else {
      out += ToJsonText(json::value(json::string_view(body.data(), body.size())));
    }
  }
  out += '}';
}

}  // namespace

namespace {

// Runs the requests in order; a group's requests together in one change set.
batch::Answers Run(const Request& r, const std::vector<SubRequest>& requests,
                   sta::SensorThingsService& service, CatalogueService& keys) {
  batch::Answers out;
  std::map<std::string, Made> made;
  for (size_t i = 0; i < requests.size();) {
    const SubRequest& first = requests[i];
    size_t end = i + 1;
    while (!first.group.empty() && end < requests.size() && requests[end].group == first.group) ++end;
    if (first.group.empty()) {
      out.responses.push_back(Dispatch(r, first, made, service, keys));
      out.group_failed.push_back(0);
      i = end;
      continue;
    }
    std::vector<Response> answers;
    std::optional<Response> failure;
    const std::map<std::string, Made> made_before = made;
    // The group's requests are staged into one change set and applied at once.
    sta::ChangeSet changes = service.BeginChanges();
    Status s = Status::Ok();
    for (size_t k = i; k < end && s.ok(); ++k) {
      Response response = Dispatch(r, requests[k], made, service, keys, &changes);
      if (response.status >= 400) {
        failure = std::move(response);
        s = Status(ErrorCode::kConflict, "the atomicity group failed", "requests");
        break;
      }
      answers.push_back(std::move(response));
    }
    if (s.ok()) s = service.Commit(changes, SensorThingsBaseUrl(r));
    for (size_t k = i; k < end; ++k) {
      if (s.ok()) {
        out.responses.push_back(answers[k - i]);
      } else {
        out.responses.push_back(failure ? *failure : http::ErrorResponse(s));
      }
      out.group_failed.push_back(!s.ok());
    }
    if (!s.ok()) made = made_before;  // nothing of the group was stored
    i = end;
  }
  return out;
}

Response RenderJson(const std::vector<SubRequest>& requests, const batch::Answers& answers) {
  std::string out = "{\"responses\":[";
  for (size_t i = 0; i < requests.size(); ++i) AppendAnswer(requests[i].id, answers.responses[i], out);
  out += "]}";
  Response response;
  response.body = std::move(out);
  return response;
}

}  // namespace

Response HandleBatch(const Request& r, sta::SensorThingsService& service, CatalogueService& keys,
                     WriteGate& gate) {
  if (r.method != "POST") {
    Response r405 = http::ErrorResponse(InvalidArgument("only POST", "method"));
    r405.status = 405;
    return r405.With("Allow", "POST");
  }
  const bool multipart = http::MediaType(r.Header("content-type")) == "multipart/mixed";
  Result<std::vector<SubRequest>> requests = std::vector<SubRequest>{};
  if (multipart) {
    requests = batch::ParseMultipart(r);
  } else {
    auto body = ParseJsonInput(r.body);
    if (!body.ok()) return http::ErrorResponse(body.status());
    requests = ParseBatch(*body);
  }
  if (!requests.ok()) return http::ErrorResponse(requests.status());
  // Writes wait for the store; reads do not, so only a batch that may write holds a place, and
  // only when its key may write (the requests answer 401/403 each otherwise).
  const bool writes = std::any_of(requests->begin(), requests->end(),
                                  [](const SubRequest& s) { return s.method != "GET"; });
  const bool may_write = writes && Authorize(keys, r, Role::kEditor).ok();
  const auto ticket = may_write ? gate.Enter(r.body.size()) : std::optional<WriteGate::Ticket>();
  if (may_write && !ticket) return WriteGate::Busy();
  sta::ReadDeadline budget(service.ReadBudget());
  const batch::Answers answers = Run(r, *requests, service, keys);
  return multipart ? batch::RenderMultipart(*requests, answers) : RenderJson(*requests, answers);
}

}  // namespace datenwerk::api
