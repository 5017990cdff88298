#include "api/api.h"
#include "api/json_body.h"
#include "api/json_codec.h"
#include "api/request_helpers.h"

namespace datenwerk::api {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

using WriteFn = std::function<Response(CatalogueService&, const Request&, const ApiKeyRecord&)>;

// Authenticates (an editor's key or higher), checks the media type, then runs the write.
http::Handler Writer(CatalogueService& service, WriteFn fn, bool has_body = true) {
  return [&service, fn = std::move(fn), has_body](const Request& request) {
    auto key = Authorize(service, request, Role::kEditor);
    if (!key.ok()) return http::ErrorResponse(key.status());
    if (has_body) {
      if (auto s = CheckJsonMediaType(request, /*required=*/true); !s.ok()) {
        return http::ErrorResponse(s);
      }
    }
    return fn(service, request, *key);
  };
}

Result<int64_t> ValueId(const Request& r) {
  auto id = PositiveId(r.Param("value_id"));
  if (!id) return InvalidArgument("must be a positive whole number", "value_id");
  return *id;
}

// Reads a KPI value body (POST and PUT replace the whole value).
Result<KpiValue> ReadValueBody(const Request& r) {
  auto body = ParseObject(r.body, {"date", "period", "value", "unit", "qualifier", "source",
                                   "note"});
  if (!body.ok()) return body.status();
  KpiValue v;
  v.kpi_id = r.Param("id");
  std::string qualifier;
  for (Status s : {ReadString(*body, "date", "", v.date, true),
                   ReadNumber(*body, "value", "", v.value, true),
                   ReadString(*body, "period", "", v.period),
                   ReadString(*body, "unit", "", v.unit),
                   ReadString(*body, "qualifier", "", qualifier),
                   ReadString(*body, "source", "", v.source),
                   ReadString(*body, "note", "", v.note)}) {
    if (!s.ok()) return s;
  }
  auto q = ParseQualifier(qualifier);
  if (!q) return InvalidArgument("must be exact, approx, at_least or at_most", "qualifier");
  v.qualifier = *q;
  return v;
}

Response AddValue(CatalogueService& service, const Request& r, const ApiKeyRecord& key) {
  auto value = ReadValueBody(r);
  if (!value.ok()) return http::ErrorResponse(value.status());
  auto stored = service.AddValue(std::move(value).value(), key.label);
  if (!stored.ok()) return http::ErrorResponse(stored.status());
  return JsonResponse(KpiValueJson(*stored), 201)
      .With("Location", "/api/v1/kpis/" + http::PercentEncode(stored->kpi_id) + "/values/" +
                            std::to_string(stored->id));
}

Response UpdateValue(CatalogueService& service, const Request& r, const ApiKeyRecord& key) {
  auto id = ValueId(r);
  if (!id.ok()) return http::ErrorResponse(id.status());
  auto value = ReadValueBody(r);
  if (!value.ok()) return http::ErrorResponse(value.status());
  value->id = *id;
  auto stored = service.UpdateValue(std::move(value).value(), key.label);
  if (!stored.ok()) return http::ErrorResponse(stored.status());
  return JsonResponse(KpiValueJson(*stored));
}

Response DeleteValue(CatalogueService& service, const Request& r, const ApiKeyRecord&) {
  auto id = ValueId(r);
  if (!id.ok()) return http::ErrorResponse(id.status());
  if (auto s = service.DeleteValue(r.Param("id"), *id); !s.ok()) return http::ErrorResponse(s);
  Response out;
  out.status = 204;
  return out;
}

Status ReadPoint(const json::object& body, const char* name, std::optional<double>& value,
                 std::string& date) {
  const json::value* v = body.if_contains(name);
  if (!v || v->is_null()) return Status::Ok();
  auto point = AsObject(*v, name, {"value", "date"});
  if (!point.ok()) return point.status();
  if (auto s = ReadNumber(**point, "value", name, value, true); !s.ok()) return s;
  if (!value) return InvalidArgument("is required", std::string(name) + ".value");
  return ReadString(**point, "date", name, date, true);
}

Response SetTarget(CatalogueService& service, const Request& r, const ApiKeyRecord&) {
  auto body = ParseObject(r.body, {"baseline", "target", "direction", "unit"});
  if (!body.ok()) return http::ErrorResponse(body.status());
  KpiSettings settings;
  std::string direction;
  for (Status s : {ReadPoint(*body, "baseline", settings.baseline_value, settings.baseline_date),
                   ReadPoint(*body, "target", settings.target_value, settings.target_date),
                   ReadString(*body, "direction", "", direction),
                   ReadString(*body, "unit", "", settings.unit)}) {
    if (!s.ok()) return http::ErrorResponse(s);
  }
  auto d = ParseDirection(direction);
  if (!d) return http::ErrorResponse(InvalidArgument("must be up, down or unset", "direction"));
  settings.direction = *d;
  if (auto s = service.SetSettings(r.Param("id"), settings); !s.ok()) {
    return http::ErrorResponse(s);
  }
  CatalogueSnapshot c = service.Snapshot();
  const Kpi* kpi = c->FindKpi(r.Param("id"));
  if (!kpi) return http::ErrorResponse(NotFound("no KPI '" + r.Param("id") + "'", "id"));
  return JsonResponse(KpiJson(*c, *kpi));
}

Response SetMeasureStatus(CatalogueService& service, const Request& r, const ApiKeyRecord&) {
  auto body = ParseObject(r.body, {"status"});
  if (!body.ok()) return http::ErrorResponse(body.status());
  std::string status;
  if (auto s = ReadString(*body, "status", "", status, true); !s.ok()) {
    return http::ErrorResponse(s);
  }
  if (auto s = service.SetMeasureStatus(r.Param("id"), status); !s.ok()) {
    return http::ErrorResponse(s);
  }
  CatalogueSnapshot c = service.Snapshot();
  const Measure* measure = c->FindMeasure(r.Param("id"));
  if (!measure) return http::ErrorResponse(NotFound("no measure '" + r.Param("id") + "'", "id"));
  return JsonResponse(MeasureJson(*c, *measure));
}

}  // namespace

void RegisterWriteRoutes(http::Router& router, CatalogueService& service) {
  router.Add("POST", "/api/v1/kpis/{id}/values", Writer(service, AddValue));
  router.Add("PUT", "/api/v1/kpis/{id}/values/{value_id}", Writer(service, UpdateValue));
  router.Add("DELETE", "/api/v1/kpis/{id}/values/{value_id}",
             Writer(service, DeleteValue, /*has_body=*/false));
  router.Add("PUT", "/api/v1/kpis/{id}/target", Writer(service, SetTarget));
  router.Add("PUT", "/api/v1/measures/{id}/status", Writer(service, SetMeasureStatus));
}

}  // namespace datenwerk::api
