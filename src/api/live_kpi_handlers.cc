#include "api/json_codec.h"
#include "api/listing.h"
#include "api/live_kpis.h"
#include "api/request_helpers.h"

namespace datenwerk::api {

namespace json = boost::json;
using http::Request;

namespace {

json::object ReportJson(const livekpi::Report& r) {
  json::array written, skipped;
  for (const auto& v : r.written) {
    written.push_back({{"kpi", v.kpi_id}, {"value", v.value}, {"unit", v.unit}, {"note", v.note}});
  }
  for (const auto& [kpi, why] : r.skipped) skipped.push_back({{"kpi", kpi}, {"reason", why}});
  return {{"period", r.period}, {"date", r.date}, {"stations", r.stations}, {"seconds", r.seconds},
          {"written", std::move(written)}, {"skipped", std::move(skipped)}};
}

}  // namespace

void RegisterLiveKpiRoutes(http::Router& router, livekpi::LiveKpiJob& job, CatalogueService& keys) {
  router.Add("GET", "/api/v1/kpis-automatisch", [&job](const Request&) {
    json::array methods;
    for (const auto& m : livekpi::Methods(job.options())) methods.push_back({{"kpi", m.kpi_id}, {"method", m.text}});
    return JsonResponse(json::object{{"source", livekpi::kSource}, {"value", std::move(methods)}});
  });
  router.Add("POST", "/api/v1/kpis-automatisch/berechnen", WithKey(keys, Role::kEditor, [&job](const Request& r) {
    if (auto s = CheckQueryParams(r, {"monat"}); !s.ok()) return http::ErrorResponse(s);
    const std::string& month = r.Query("monat");
    auto report = month.empty() ? job.ComputeCurrentMonth() : job.ComputeMonth(month);
    if (!report.ok()) return http::ErrorResponse(report.status());
    return JsonResponse(ReportJson(*report));
  }));
}

}  // namespace datenwerk::api
