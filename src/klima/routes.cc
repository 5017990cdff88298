#include <charconv>

#include "klima/pages_internal.h"

namespace datenwerk::klima {

namespace {

std::optional<int64_t> IdOf(const http::Request& r) {
  const std::string& text = r.Param("id");
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

http::Response NotFound(const KlimaOptions& o) {
  web::Page p;
  p.title = "Messstelle nicht gefunden";
  p.current_nav = "/klima";
  p.body = "<p>Diese Messstelle oder Messreihe gibt es nicht (mehr). Zur <a href=\"/klima\">Übersicht"
           "</a>.</p>\n";
  return web::RenderPage(o.portal, p, 404);
}

}  // namespace

void RegisterKlimaRoutes(http::Router& router, KlimaData& data, series::ObservationStore& series,
                         const KlimaOptions& o) {
  router.Add("GET", "/klima", [&data, &o](const http::Request& r) {
    return OverviewPage(*data.Snapshot(), r, o);
  });
  router.Add("GET", "/klima/stationen/{id}", [&data, &o](const http::Request& r) {
    auto snapshot = data.Snapshot();
    auto id = IdOf(r);
    const StationState* st = id ? snapshot->Station(*id) : nullptr;
    return st ? StationPage(*snapshot, *st, o) : NotFound(o);
  });
  // One series over a range: the page and its downloads.
  const auto series_view = [&data, &series, &o](const http::Request& r, auto render) {
    auto snapshot = data.Snapshot();
    auto id = IdOf(r);
    auto [st, stream] = id ? snapshot->Stream(*id) : std::pair<const StationState*, const StreamState*>{};
    if (!st) return NotFound(o);
    auto view = ViewOf(series, *stream, RangeOf(r.Query("zeitraum")));
    if (!view.ok()) return http::ErrorResponse(view.status());
    return render(*st, *stream, *view);
  };
  router.Add("GET", "/klima/messreihen/{id}", [series_view, &o](const http::Request& r) {
    return series_view(r, [&o](const auto& st, const auto& d, const auto& v) { return SeriesPage(st, d, v, o); });
  });
  router.Add("GET", "/klima/messreihen/{id}/daten.csv", [series_view](const http::Request& r) {
    return series_view(r, [](const auto& st, const auto& d, const auto& v) { return SeriesCsv(st, d, v); });
  });
  router.Add("GET", "/klima/messreihen/{id}/daten.geojson", [series_view](const http::Request& r) {
    return series_view(r, [](const auto& st, const auto& d, const auto& v) { return SeriesGeoJson(st, d, v); });
  });
  router.Add("GET", "/klima/sensoren.csv", [&data](const http::Request&) { return SensorsCsv(*data.Snapshot()); });
  router.Add("GET", "/klima/sensoren.geojson", [&data](const http::Request&) {
    return SensorsGeoJson(*data.Snapshot());
  });
  router.Add("GET", "/klima/grenzen.geojson", [&o](const http::Request&) {
    http::Response r;
    r.content_type = "application/geo+json";
    r.body = o.boundaries_geojson;
    return r;
  });
}

}  // namespace datenwerk::klima
