#include "api/api.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "api/json_body.h"
#include "api/json_codec.h"
#include "api/request_helpers.h"
#include "audit/records.h"
#include "core/json_text.h"

namespace datenwerk::api {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The audit trail's name for a key: "schluessel:2 Amt für Statistik".
std::string KeyActor(const ApiKeyRecord& key) { return "schluessel:" + std::to_string(key.id) + " " + key.label; }

// What a successful write leaves in the audit trail.
struct AuditNote {
  std::string action, object, before, after;
};

using WriteFn = std::function<Response(CatalogueService&, const Request&, const ApiKeyRecord&, AuditNote&)>;

// Authenticates (an editor's key or higher), checks the media type, runs the write and records
// it in the audit trail. (The catalogue lives in its own database: should the audit entry fail
// after the write, the failure is logged with the entry's content.)
http::Handler Writer(CatalogueService& service, audit::AuditLog* audit, WriteFn fn, bool has_body = true) {
  return [&service, audit, fn = std::move(fn), has_body](const Request& request) {
    auto key = Authorize(service, request, Role::kEditor);
    if (!key.ok()) return http::ErrorResponse(key.status());
    if (has_body) {
      if (auto s = CheckJsonMediaType(request, /*required=*/true); !s.ok()) {
        return http::ErrorResponse(s);
      }
    }
    AuditNote note;
    Response response = fn(service, request, *key, note);
    if (audit && response.status < 300 && !note.action.empty()) {
      auto entry = audit->Append({0, NowMs(), KeyActor(*key), request.remote_address, note.action, note.object,
                                  note.before, note.after, ""});
      if (!entry.ok()) {
        response.log_detail = "audit entry not written: " + entry.status().message() + " (" + note.action + " " +
                              note.object + " " + note.after + ")";
        spdlog::error("{}", response.log_detail);
      }
    }
    return response;
  };
}

const KpiValue* Published(const CatalogueService& service, const std::string& kpi_id, int64_t id,
                          CatalogueSnapshot& keep) {
  keep = service.Snapshot();
  for (const KpiValue* v : keep->ValuesOf(kpi_id)) {
    if (v->id == id) return v;
  }
  return nullptr;
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

Response AddValue(CatalogueService& service, const Request& r, const ApiKeyRecord& key, AuditNote& note) {
  auto value = ReadValueBody(r);
  if (!value.ok()) return http::ErrorResponse(value.status());
  auto stored = service.AddValue(std::move(value).value(), key.label);
  if (!stored.ok()) return http::ErrorResponse(stored.status());
  note = {"wert.api.add", "kpi:" + stored->kpi_id + "/wert:" + std::to_string(stored->id), "",
          audit::ValueAuditJson(*stored)};
  return JsonResponse(KpiValueJson(*stored), 201)
      .With("Location", "/api/v1/kpis/" + http::PercentEncode(stored->kpi_id) + "/values/" +
                            std::to_string(stored->id));
}

Response UpdateValue(CatalogueService& service, const Request& r, const ApiKeyRecord& key, AuditNote& note) {
  auto id = ValueId(r);
  if (!id.ok()) return http::ErrorResponse(id.status());
  auto value = ReadValueBody(r);
  if (!value.ok()) return http::ErrorResponse(value.status());
  value->id = *id;
  CatalogueSnapshot keep;
  const KpiValue* before = Published(service, value->kpi_id, *id, keep);
  auto stored = service.UpdateValue(std::move(value).value(), key.label);
  if (!stored.ok()) return http::ErrorResponse(stored.status());
  note = {"wert.api.correct", "kpi:" + stored->kpi_id + "/wert:" + std::to_string(stored->id),
          before ? audit::ValueAuditJson(*before) : "", audit::ValueAuditJson(*stored)};
  return JsonResponse(KpiValueJson(*stored));
}

Response DeleteValue(CatalogueService& service, const Request& r, const ApiKeyRecord&, AuditNote& note) {
  auto id = ValueId(r);
  if (!id.ok()) return http::ErrorResponse(id.status());
  CatalogueSnapshot keep;
  const KpiValue* before = Published(service, r.Param("id"), *id, keep);
  if (auto s = service.DeleteValue(r.Param("id"), *id); !s.ok()) return http::ErrorResponse(s);
  note = {"wert.api.withdraw", "kpi:" + r.Param("id") + "/wert:" + std::to_string(*id),
          before ? audit::ValueAuditJson(*before) : "", ""};
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

Response SetTarget(CatalogueService& service, const Request& r, const ApiKeyRecord&, AuditNote& note) {
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
  CatalogueSnapshot old = service.Snapshot();
  const Kpi* previous = old->FindKpi(r.Param("id"));
  if (auto s = service.SetSettings(r.Param("id"), settings); !s.ok()) {
    return http::ErrorResponse(s);
  }
  note = {"kpi.api.ziel", "kpi:" + r.Param("id"), previous ? audit::SettingsAuditJson(previous->settings) : "",
          audit::SettingsAuditJson(settings)};
  CatalogueSnapshot c = service.Snapshot();
  const Kpi* kpi = c->FindKpi(r.Param("id"));
  if (!kpi) return http::ErrorResponse(NotFound("no KPI '" + r.Param("id") + "'", "id"));
  return JsonResponse(KpiJson(*c, *kpi));
}

Response SetMeasureStatus(CatalogueService& service, const Request& r, const ApiKeyRecord&, AuditNote& note) {
  auto body = ParseObject(r.body, {"status"});
  if (!body.ok()) return http::ErrorResponse(body.status());
  std::string status;
  if (auto s = ReadString(*body, "status", "", status, true); !s.ok()) {
    return http::ErrorResponse(s);
  }
  CatalogueSnapshot old = service.Snapshot();
  const Measure* previous = old->FindMeasure(r.Param("id"));
  if (auto s = service.SetMeasureStatus(r.Param("id"), status); !s.ok()) {
    return http::ErrorResponse(s);
  }
  note = {"massnahme.api.status", "massnahme:" + r.Param("id"),
          previous ? ToJsonText(json::object{{"status", previous->status}}) : "",
          ToJsonText(json::object{{"status", status}})};
  CatalogueSnapshot c = service.Snapshot();
  const Measure* measure = c->FindMeasure(r.Param("id"));
  if (!measure) return http::ErrorResponse(NotFound("no measure '" + r.Param("id") + "'", "id"));
  return JsonResponse(MeasureJson(*c, *measure));
}

}  // namespace

void RegisterWriteRoutes(http::Router& router, CatalogueService& service, audit::AuditLog* audit) {
  router.Add("POST", "/api/v1/kpis/{id}/values", Writer(service, audit, AddValue));
  router.Add("PUT", "/api/v1/kpis/{id}/values/{value_id}", Writer(service, audit, UpdateValue));
  router.Add("DELETE", "/api/v1/kpis/{id}/values/{value_id}",
             Writer(service, audit, DeleteValue, /*has_body=*/false));
  router.Add("PUT", "/api/v1/kpis/{id}/target", Writer(service, audit, SetTarget));
  router.Add("PUT", "/api/v1/measures/{id}/status", Writer(service, audit, SetMeasureStatus));
}

}  // namespace datenwerk::api
