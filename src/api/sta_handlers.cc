// The SensorThings API under /sta/v1.1: converts HTTP to SensorThingsService calls and back.
#include "api/sta.h"

#include <algorithm>

#include "api/json_codec.h"
#include "api/request_helpers.h"
#include "api/sta_internal.h"
#include "core/json_input.h"
#include "http/multipart.h"
#include "sta/resource_path.h"

namespace datenwerk::api {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr std::string_view kRoot = "/sta/v1.1";

Result<json::value> Body(const Request& r) { return ParseJsonInput(r.body); }

// The CreateObservations answer: a self link per row, or "error".
Response MeasurementLinks(const std::vector<std::optional<int64_t>>& ids, const std::string& base) {
  const std::string prefix = "\"" + base + "/Observations(";
  Response out;
  out.status = 201;
  out.body.reserve(ids.size() * (prefix.size() + 20) + 2);
  out.body += '[';
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) out.body += ',';
    if (ids[i]) {
      out.body += prefix;
      out.body += std::to_string(*ids[i]);
      out.body += ")\"";
    } else {
      out.body += "\"error\"";
    }
  }
  out.body += ']';
  return out;
}

// 204 for "Prefer: return=minimal"; rows answered "error" are counted in a header.
Response Minimal(std::ptrdiff_t errors) {
  Response out;
  out.status = 204;
  out.content_type.clear();
  out.With("Preference-Applied", "return=minimal");
  out.With("Datenwerk-Rejected-Rows", std::to_string(errors));
  return out;
}

}  // namespace

Response HandleSensorThings(const Request& r, sta::SensorThingsService& service,
                            CatalogueService& keys, sta::ChangeSet* changes) {
  const std::string_view rest = std::string_view(r.path).substr(kRoot.size());
  if (rest == "/CreateObservations") {
    if (r.method != "POST") {
      Response r405 = http::ErrorResponse(InvalidArgument("only POST", "method"));
      r405.status = 405;
      return r405.With("Allow", "POST");
    }
    auto key = Authorize(keys, r, Role::kEditor);
    if (!key.ok()) return http::ErrorResponse(key.status());
    if (auto s = CheckJsonMediaType(r, /*required=*/false); !s.ok()) return http::ErrorResponse(s);
    // OData's "Prefer: return=minimal": the client does not want the list of links back.
    const bool minimal = r.Header("prefer").find("return=minimal") != std::string::npos;
    if (auto groups = sta::ReadMeasurementGroups(r.body)) {  // the usual form, read fast
      auto ids = service.CreateMeasurements(*groups, SensorThingsBaseUrl(r), changes);
      if (!ids.ok()) return http::ErrorResponse(ids.status());
      if (minimal) return Minimal(std::count(ids->begin(), ids->end(), std::nullopt));
      return MeasurementLinks(*ids, SensorThingsBaseUrl(r));
    }
    auto body = Body(r);
    if (!body.ok()) return http::ErrorResponse(body.status());
    auto links = service.CreateObservations(*body, SensorThingsBaseUrl(r), changes);
    if (!links.ok()) return http::ErrorResponse(links.status());
    if (minimal) {
      return Minimal(std::count(links->begin(), links->end(), json::value("error")));
    }
    return JsonResponse(*links, 201);
  }
  auto path = sta::ParseResourcePath(rest);
  if (!path.ok()) return http::ErrorResponse(path.status());
  const std::string base = SensorThingsBaseUrl(r);
  if (r.method == "GET") {
    auto result = service.ReadText(*path, r.query, base);
    if (!result.ok()) return http::ErrorResponse(result.status());
    switch (result->kind) {
      case sta::ReadResult::Kind::kNoContent: {
        Response none;
        none.status = 204;
        none.content_type.clear();
        return none;
      }
      case sta::ReadResult::Kind::kRawValue: {
        Response raw;
        raw.content_type = "text/plain; charset=utf-8";
        raw.body = std::move(result->raw);
        return raw;
      }
      case sta::ReadResult::Kind::kJsonText: {
        Response list;
        list.content_type = "application/json; charset=utf-8";
        list.body = std::move(result->raw);
        return list;
      }
      case sta::ReadResult::Kind::kJson: break;
    }
    return JsonResponse(result->json);
  }
  if (r.method != "POST" && r.method != "PATCH" && r.method != "PUT" && r.method != "DELETE") {
    Response r405 = http::ErrorResponse(
        InvalidArgument("method not allowed; allowed: GET, POST, PATCH, PUT, DELETE", "method"));
    r405.status = 405;
    return r405.With("Allow", "GET, POST, PATCH, PUT, DELETE");
  }
  auto key = Authorize(keys, r, Role::kEditor);
  if (!key.ok()) return http::ErrorResponse(key.status());
  if (r.method == "DELETE") {
    if (auto s = service.Delete(*path, changes); !s.ok()) return http::ErrorResponse(s);
    Response ok;
    ok.content_type.clear();
    return ok;  // 200, as 18-088 10.4 asks
  }
  // 18-088 10.3.2: a PATCH with application/json-patch+json carries RFC 6902 operations.
  const bool json_patch =
      r.method == "PATCH" && http::MediaType(r.Header("content-type")) == "application/json-patch+json";
  if (!json_patch) {
    if (auto s = CheckJsonMediaType(r, /*required=*/false); !s.ok()) return http::ErrorResponse(s);
  }
  auto body = Body(r);
  if (!body.ok()) return http::ErrorResponse(body.status());
  if (r.method == "POST") {
    // OData's "Prefer: return=minimal": 204 with the Location, the entity not read back.
    const bool minimal = r.Header("prefer").find("return=minimal") != std::string::npos;
    auto created = service.Create(*path, *body, base, !minimal, changes);
    if (!created.ok()) return http::ErrorResponse(created.status());
    if (minimal) {
      Response none;
      none.status = 204;
      none.content_type.clear();
      return none.With("Location", created->self_link).With("Preference-Applied", "return=minimal");
    }
    return JsonResponse(created->entity, 201).With("Location", created->self_link);
  }
  using Mode = sta::SensorThingsService::UpdateMode;
  const Mode mode = json_patch ? Mode::kJsonPatch : r.method == "PUT" ? Mode::kReplace : Mode::kMerge;
  auto updated = service.Update(*path, *body, base, changes, mode);
  if (!updated.ok()) return http::ErrorResponse(updated.status());
  return JsonResponse(*updated);
}

void RegisterSensorThingsRoutes(http::Router& router, sta::SensorThingsService& service,
                                CatalogueService& keys, WriteGate& gate) {
  router.AddPrefix(std::string(kRoot), [&service, &keys, &gate](const Request& r) -> Response {
    if (std::string_view(r.path).substr(kRoot.size()) == "/$batch") {
      return HandleBatch(r, service, keys, gate);  // takes a write slot only if it writes
    }
    const bool write = r.method != "GET";
    auto ticket = write ? gate.Enter(r.body.size()) : std::optional<WriteGate::Ticket>();
    if (write && !ticket) return WriteGate::Busy();
    return HandleSensorThings(r, service, keys);
  });
}

}  // namespace datenwerk::api
