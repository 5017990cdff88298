// The dashboard's downloads: every view as CSV (RFC 4180, UTC times in ISO 8601, a source and a
// licence column on every row so that no copy loses them) and as GeoJSON (RFC 7946, the licence
// in the collection's properties).
#include <boost/json.hpp>

#include "core/csv.h"
#include "core/dates.h"
#include "core/json_text.h"
#include "klima/pages_internal.h"
#include "web/html.h"

namespace datenwerk::klima {

namespace json = boost::json;

namespace {

constexpr char kLicence[] = "CC0-1.0 (Messdaten); Bezirke: ODbL-1.0";

std::string Source(const StationState& st) {
  if (st.simulated) return "Datenwerk-Simulation (simulierte Daten)";
  std::string s = st.source.empty() ? "unbekannt" : st.source;
  if (st.replay) s += " (Wiedergabe)";
  return s;
}

http::Response Download(std::string body, const char* type, const std::string& file) {
  http::Response r;
  r.content_type = type;
  r.body = std::move(body);
  r.With("Content-Disposition", "attachment; filename=\"" + file + "\"");
  return r;
}

json::object Point(const StationState& st) {
  if (!st.lon_lat) return {};
  return {{"type", "Point"}, {"coordinates", json::array{st.lon_lat->first, st.lon_lat->second}}};
}

}  // namespace

// The texts of the all-stations downloads (kept in the snapshot once made).
std::string SensorsCsvText(const KlimaSnapshot& s);
std::string SensorsGeoJsonText(const KlimaSnapshot& s);

http::Response SensorsCsv(const KlimaSnapshot& s) {
  std::call_once(s.csv_once, [&s] { s.csv = SensorsCsvText(s); });
  return Download(s.csv, "text/csv; charset=utf-8", "messstellen.csv");
}

http::Response SensorsGeoJson(const KlimaSnapshot& s) {
  std::call_once(s.geojson_once, [&s] { s.geojson = SensorsGeoJsonText(s); });
  return Download(s.geojson, "application/geo+json", "messstellen.geojson");
}

std::string SensorsCsvText(const KlimaSnapshot& s) {
  std::string out;
  AppendCsvRow(out, {"station_id", "name", "art", "stadtbezirk", "laenge", "breite", "messreihe_id",
                     "messreihe", "wert", "einheit", "zeit_utc", "simuliert", "wiedergabe", "quelle",
                     "lizenz"});
  for (const auto& st : s.stations) {
    for (const auto& d : st.streams) {
      AppendCsvRow(out, {std::to_string(st.id), st.name, st.kind, st.district,
                         st.lon_lat ? JsonNumberText(st.lon_lat->first) : "", st.lon_lat ? JsonNumberText(st.lon_lat->second) : "",
                         std::to_string(d.id), ShortName(d.name), d.latest ? JsonNumberText(d.latest->value) : "",
                         d.unit, d.latest ? FormatRfc3339Ms(d.latest->time_ms) : "",
                         st.simulated ? "ja" : "nein", st.replay ? "ja" : "nein", Source(st), kLicence});
    }
  }
  return out;
}

std::string SensorsGeoJsonText(const KlimaSnapshot& s) {
  json::array features;
  for (const auto& st : s.stations) {
    if (!st.lon_lat) continue;
    json::array values;
    for (const auto& d : st.streams) {
      values.push_back({{"id", d.id}, {"name", ShortName(d.name)}, {"einheit", d.unit},
                        {"wert", d.latest ? json::value(d.latest->value) : json::value(nullptr)},
                        {"zeit", d.latest ? json::value(FormatRfc3339Ms(d.latest->time_ms)) : json::value(nullptr)},
                        {"anzeige", ValueText(d)}});
    }
    features.push_back({{"type", "Feature"}, {"id", st.id}, {"geometry", Point(st)},
                        {"properties", {{"name", st.name}, {"art", st.kind}, {"stadtbezirk", st.district},
                                        {"zustand", StateOf(st, s.built_ms)}, {"simuliert", st.simulated},
                                        {"wiedergabe", st.replay}, {"quelle", Source(st)},
                                        {"url", "/klima/stationen/" + std::to_string(st.id)},
                                        {"messreihen", std::move(values)}}}});
  }
  json::object collection{{"type", "FeatureCollection"},
                          {"properties", {{"lizenz", kLicence}, {"hinweis", kLicenceNote}}},
                          {"features", std::move(features)}};
  return ToJsonText(collection);
}

http::Response SeriesCsv(const StationState& st, const StreamState& d, const SeriesView& view) {
  std::string out;
  AppendCsvRow(out, {"beginn_utc", "mittel", "minimum", "maximum", "anzahl", "einheit", "messreihe",
                     "station", "quelle", "lizenz"});
  for (const auto& b : view.buckets) {
    const auto& v = b.values;
    AppendCsvRow(out, {FormatRfc3339Ms(b.start_ms), JsonNumberText(v.sum / static_cast<double>(v.count)),
                       JsonNumberText(v.min), JsonNumberText(v.max), std::to_string(v.count), d.unit, ShortName(d.name),
                       st.name, Source(st), kLicence});
  }
  return Download(std::move(out), "text/csv; charset=utf-8",
                  "messreihe-" + std::to_string(d.id) + "-" + view.range->key + ".csv");
}

http::Response SeriesGeoJson(const StationState& st, const StreamState& d, const SeriesView& view) {
  json::array rows;
  for (const auto& b : view.buckets) {
    const auto& v = b.values;
    rows.push_back({{"beginn", FormatRfc3339Ms(b.start_ms)}, {"mittel", v.sum / static_cast<double>(v.count)},
                    {"minimum", v.min}, {"maximum", v.max}, {"anzahl", v.count}});
  }
  json::object feature{{"type", "Feature"}, {"id", d.id}, {"geometry", st.lon_lat ? json::value(Point(st)) : json::value(nullptr)},
                       {"properties", {{"station", st.name}, {"messreihe", ShortName(d.name)}, {"einheit", d.unit},
                                       {"zeitraum", view.range->label}, {"intervall", view.range->bucket},
                                       {"simuliert", st.simulated}, {"wiedergabe", st.replay},
                                       {"quelle", Source(st)}, {"lizenz", kLicence}, {"werte", std::move(rows)}}}};
  json::object collection{{"type", "FeatureCollection"}, {"features", json::array{std::move(feature)}}};
  return Download(ToJsonText(collection), "application/geo+json",
                  "messreihe-" + std::to_string(d.id) + "-" + view.range->key + ".geojson");
}

}  // namespace datenwerk::klima
