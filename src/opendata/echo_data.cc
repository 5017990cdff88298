#include "opendata/echo_data.h"

#include <fmt/format.h>

#include "core/csv.h"
#include "core/dates.h"
#include "core/json_text.h"

namespace datenwerk::opendata {

namespace {

constexpr int64_t kReportsPerRead = 1000;

enum class Kind { kCsv, kJson, kGeoJson };

class ReportsBody : public http::BodyStream {
 public:
  ReportsBody(echo::ReportStore& store, std::shared_ptr<const echo::Services> services, Kind kind)
      : store_(store), services_(std::move(services)), kind_(kind) {}

  Result<bool> Next(std::string& out) override {
    if (!started_) {
      if (kind_ == Kind::kCsv) {
        out += "id,category_code,category,state,state_label,open311_status,requested,updated,district,office,lat,lon,"
               "address,description\r\n";
      }
      if (kind_ == Kind::kJson) out += "{\"reports\":[";
      if (kind_ == Kind::kGeoJson) out += "{\"type\":\"FeatureCollection\",\"features\":[";
      started_ = true;
    }
    echo::ReportQuery q;
    q.after_id = last_id_;
    q.limit = kReportsPerRead;
    auto page = store_.List(q);
    if (!page.ok()) return page.status();
    for (const echo::Report& r : *page) {
      Row(r, out);
      last_id_ = r.id;
    }
    if (page->size() < static_cast<size_t>(kReportsPerRead)) {
      if (kind_ != Kind::kCsv) out += "\n]}\n";
      return false;
    }
    return true;
  }

 private:
  void Row(const echo::Report& r, std::string& out) {
    const echo::Category* category = services_->FindCategory(r.service_code);
    const echo::Office* office = services_->FindOffice(r.office);
    const std::string description = r.text_hidden ? "" : r.description;
    const std::string lat = r.lat ? JsonNumberText(*r.lat) : "", lon = r.lon ? JsonNumberText(*r.lon) : "";
    if (kind_ == Kind::kCsv) {
      AppendCsvRow(out, {std::to_string(r.id), r.service_code, SpreadsheetSafe(category ? category->name : ""),
                         echo::StatusCode(r.status), echo::StatusLabel(r.status), echo::IsOpen(r.status) ? "open" : "closed",
                         FormatRfc3339Ms(r.requested_ms), FormatRfc3339Ms(r.updated_ms), SpreadsheetSafe(r.district),
                         SpreadsheetSafe(office ? office->name : r.office), lat, lon, SpreadsheetSafe(r.address),
                         SpreadsheetSafe(description)});
      return;
    }
    if (rows_++ > 0) out += ',';
    std::string props = fmt::format("\"id\":{},\"category_code\":", r.id);
    AppendJsonString(r.service_code, props);
    props += ",\"category\":";
    AppendJsonString(category ? category->name : "", props);
    props += fmt::format(",\"state\":\"{}\",\"state_label\":", echo::StatusCode(r.status));
    AppendJsonString(echo::StatusLabel(r.status), props);
    props += fmt::format(",\"open311_status\":\"{}\",\"requested\":\"{}\",\"updated\":\"{}\",\"district\":",
                         echo::IsOpen(r.status) ? "open" : "closed", FormatRfc3339Ms(r.requested_ms),
                         FormatRfc3339Ms(r.updated_ms));
    AppendJsonString(r.district, props);
    props += ",\"office\":";
    AppendJsonString(office ? office->name : r.office, props);
    props += ",\"address\":";
    AppendJsonString(r.address, props);
    props += ",\"description\":";
    AppendJsonString(description, props);
    if (kind_ == Kind::kJson) {
      out += "\n{" + props + ",\"lat\":" + (lat.empty() ? "null" : lat) + ",\"lon\":" + (lon.empty() ? "null" : lon) + "}";
      return;
    }
    out += "\n{\"type\":\"Feature\",\"geometry\":";
    out += lat.empty() ? "null" : "{\"type\":\"Point\",\"coordinates\":[" + lon + "," + lat + "]}";
    out += ",\"properties\":{" + props + "}}";
  }

  echo::ReportStore& store_;
  std::shared_ptr<const echo::Services> services_;
  const Kind kind_;
  bool started_ = false;
  int64_t last_id_ = 0;
  int64_t rows_ = 0;
};

}  // namespace

std::optional<Dataset> ReportsDataset(const echo::ReportsSummary& s, const InventoryOptions& o) {
  if (s.count == 0) return std::nullopt;
  Dataset d;
  d.id = std::string(kReportsDatasetId);
  d.title = "BürgerEcho " + o.city_name + ": Meldungen von Mängeln und Anregungen";
  d.description = fmt::format(
      "Die Mängel und Anregungen, die Bürgerinnen und Bürger über das BürgerEcho gemeldet haben, mit Kategorie, "
      "Stand der Bearbeitung, zuständiger Stelle, Stadtbezirk, Ort und Beschreibung, ohne Angaben zu den meldenden "
      "Personen. Bisher {} Meldungen.",
      s.count);
  d.keywords = {"BürgerEcho", "Mängelmelder", "Anregungen", "Bürgerbeteiligung", "Open311", o.city_name};
  d.themes = {"GOVE"};
  d.accrual_periodicity = "CONT";
  d.landing_page = "/buergerecho";
  d.issued = FormatRfc3339Ms(s.first_requested_ms);
  d.modified = FormatRfc3339Ms(s.last_updated_ms);
  d.temporal_start = d.issued;
  d.temporal_end = d.modified;
  for (const auto& [id, title, format, media] :
       {std::tuple{"csv", "Meldungen als CSV", "CSV", "text/csv"}, {"json", "Meldungen als JSON", "JSON", "application/json"},
        {"geojson", "Meldungen als GeoJSON", "GEOJSON", "application/geo+json"}}) {
    Distribution x;
    x.id = id;
    x.title = title;
    x.access_url = std::string("/daten/buergerecho.") + id;
    x.download_url = x.access_url;
    x.format = format;
    x.media_type = media;
    x.modified = d.modified;
    d.distributions.push_back(std::move(x));
  }
  return d;
}

bool IsReportsDownload(std::string_view name) {
  return name == "buergerecho.csv" || name == "buergerecho.json" || name == "buergerecho.geojson";
}

http::Response ReportsDownload(echo::ReportStore& store, std::shared_ptr<const echo::Services> services,
                               const http::Request& r) {
  auto summary = store.Summary();
  if (!summary.ok()) return http::ErrorResponse(summary.status());
  const std::string& file = r.Param("file");
  const Kind kind = file.ends_with(".csv") ? Kind::kCsv : file.ends_with(".geojson") ? Kind::kGeoJson : Kind::kJson;
  const std::string etag = fmt::format("\"r{:x}-{:x}-{}\"", summary->count, summary->last_updated_ms, static_cast<int>(kind));
  http::Response out;
  out.headers.emplace_back("ETag", etag);
  out.headers.emplace_back("Cache-Control", "no-cache");
  if (summary->last_updated_ms > 0) out.headers.emplace_back("Last-Modified", FormatHttpDate(summary->last_updated_ms));
  if (r.Header("if-none-match") == etag) {
    out.status = 304;
    out.content_type.clear();
    return out;
  }
  out.content_type = kind == Kind::kCsv    ? "text/csv; charset=utf-8"
                     : kind == Kind::kJson ? "application/json; charset=utf-8"
                                           : "application/geo+json; charset=utf-8";
  out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file + "\"");
  out.stream = std::make_shared<ReportsBody>(store, std::move(services), kind);
  return out;
}

}  // namespace datenwerk::opendata
