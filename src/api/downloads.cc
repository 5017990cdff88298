// Open-data downloads of the catalogue: CSV (RFC 4180, UTF-8) and JSON, one file per dataset.
#include <sstream>

#include "api/api.h"
#include "api/json_codec.h"
#include "core/csv.h"
#include "core/json_text.h"

namespace datenwerk::api {

namespace json = boost::json;

namespace {

std::string Number(const std::optional<double>& v) {
  if (!v) return {};
  std::ostringstream out;
  out.precision(15);
  out << *v;
  return out.str();
}

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

std::vector<std::string> ValueRow(const KpiValue& v) {
  return {v.kpi_id, v.date, v.period, Number(v.value), v.unit, QualifierName(v.qualifier), v.source, v.note};
}

struct Dataset {
  const char* name;
  std::vector<std::string> header;
  std::function<void(const Catalogue&, std::vector<std::vector<std::string>>&)> rows;
};

const std::vector<Dataset>& Datasets() {
  static const std::vector<Dataset> kDatasets = {
      {"measures",
       {"measure_id", "theme_id", "field_id", "name", "summary", "timeframe", "status", "stage"},
       [](const Catalogue& c, auto& rows) {
         for (const Measure& m : c.data().measures) {
           rows.push_back({m.id, c.ThemeOfField(m.field_id), m.field_id, m.name, m.summary,
                           m.timeframe, m.status, MeasureStageName(m.stage())});
         }
       }},
      {"kpis",
       {"kpi_id", "theme_id", "field_id", "scope", "measure_id", "name", "reference",
        "sdg_targets", "unit", "direction", "baseline_value", "baseline_date", "target_value",
        "target_date", "latest_value", "latest_date", "progress_status"},
       [](const Catalogue& c, auto& rows) {
         for (const Kpi& k : c.data().kpis) {
           const KpiSettings& s = k.settings;
           const KpiValue* latest = c.LatestValue(k.id);
           rows.push_back({k.id, c.ThemeOfField(k.field_id), k.field_id, k.scope, k.measure_id,
                           k.name, Join(k.references, ","), Join(k.sdg_targets, ";"), s.unit,
                           DirectionName(s.direction), Number(s.baseline_value), s.baseline_date,
                           Number(s.target_value), s.target_date,
                           latest ? Number(latest->value) : "", latest ? latest->date : "",
                           ProgressStatusName(c.ProgressOf(k.id).status)});
         }
       }},
      {"values",
       {"kpi_id", "date", "period", "value", "unit", "qualifier", "source", "note"},
       [](const Catalogue& c, auto& rows) {
         for (const KpiValue& v : c.data().values) rows.push_back(ValueRow(v));
       }},
  };
  return kDatasets;
}

http::Response Download(const Catalogue& c, const Dataset& d, bool as_csv) {
  std::vector<std::vector<std::string>> rows;
  d.rows(c, rows);
  http::Response r;
  if (as_csv) {
    r.content_type = "text/csv; charset=utf-8";
    AppendCsvRow(r.body, d.header);
    for (const auto& row : rows) AppendCsvRow(r.body, row);
  } else {
    json::array items;
    for (const auto& row : rows) {
      json::object item;
      for (size_t i = 0; i < d.header.size(); ++i) item[d.header[i]] = row[i];
      items.push_back(std::move(item));
    }
    r.content_type = "application/json; charset=utf-8";
    r.body = ToJsonText(items);
  }
  return r.With("Content-Disposition", std::string("attachment; filename=\"") + d.name +
                                           (as_csv ? ".csv\"" : ".json\""));
}

std::string KpiValuesCsv(const Catalogue& c, const std::string& id) {
  std::string out;
  AppendCsvRow(out, Datasets()[2].header);
  for (const KpiValue* v : c.ValuesOf(id)) AppendCsvRow(out, ValueRow(*v));
  return out;
}

}  // namespace

std::optional<size_t> DownloadSize(const Catalogue& c, std::string_view path) {
  constexpr std::string_view kDownloads = "/api/v1/downloads/", kKpis = "/api/v1/kpis/", kValues = "/values.csv";
  if (path.starts_with(kDownloads)) {
    const std::string_view file = path.substr(kDownloads.size());
    for (const Dataset& d : Datasets()) {
      for (bool csv : {true, false}) {
        if (file == std::string(d.name) + (csv ? ".csv" : ".json")) return Download(c, d, csv).body.size();
      }
    }
    return std::nullopt;
  }
  if (path.starts_with(kKpis) && path.ends_with(kValues) && path.size() > kKpis.size() + kValues.size()) {
    const std::string id(path.substr(kKpis.size(), path.size() - kKpis.size() - kValues.size()));
    if (!c.FindKpi(id)) return std::nullopt;
    return KpiValuesCsv(c, id).size();
  }
  return std::nullopt;
}

void RegisterDownloadRoutes(http::Router& router, const CatalogueService& service) {
  router.Add("GET", "/api/v1/downloads", [](const http::Request&) {
    json::array files;
    for (const Dataset& d : Datasets()) {
      for (const char* ext : {"csv", "json"}) {
        files.push_back(json::object{
            {"dataset", d.name},
            {"format", ext},
            {"url", std::string("/api/v1/downloads/") + d.name + "." + ext}});
      }
    }
    return JsonResponse(json::object{{"items", std::move(files)}});
  });
  // One KPI's values as CSV (the JSON is /api/v1/kpis/{id}/values): the open-data catalogue's
  // download of each KPI's series.
  router.Add("GET", "/api/v1/kpis/{id}/values.csv", [&service](const http::Request& r) {
    const CatalogueSnapshot snapshot = service.Snapshot();
    const std::string& id = r.Param("id");
    if (!snapshot->FindKpi(id)) return http::ErrorResponse(NotFound("no KPI " + id, "id"));
    http::Response out;
    out.content_type = "text/csv; charset=utf-8";
    out.body = KpiValuesCsv(*snapshot, id);
    return out.With("Content-Disposition", "attachment; filename=\"" + id + ".csv\"");
  });
  for (const Dataset& d : Datasets()) {
    for (bool csv : {true, false}) {
      router.Add("GET", std::string("/api/v1/downloads/") + d.name + (csv ? ".csv" : ".json"),
                 [&service, &d, csv](const http::Request&) {
                   return Download(*service.Snapshot(), d, csv);
                 });
    }
  }
}

}  // namespace datenwerk::api
