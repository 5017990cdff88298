#include "opendata/alerts_data.h"

#include <fmt/format.h>

#include <functional>

#include "core/csv.h"
#include "core/dates.h"
#include "core/json_text.h"

namespace datenwerk::opendata {

namespace {

constexpr int64_t kAlertsPerRead = 1000;

std::string Time(const std::optional<int64_t>& ms) { return ms ? FormatRfc3339Ms(*ms) : std::string(); }

// The published alerts, oldest first, a page per piece.
class AlertsBody : public http::BodyStream {
 public:
  AlertsBody(alerts::AlertStore& store, bool csv) : store_(store), csv_(csv) {}

  Result<bool> Next(std::string& out) override {
    if (!started_) {
      out += csv_ ? "id,rule,severity,datastream_id,state,started,fired,acknowledged,resolved,value,peak\r\n"
                  : "{\"alerts\":[";
      started_ = true;
    }
    alerts::AlertQuery q;
    q.states.assign(std::begin(alerts::kPublishedStates), std::end(alerts::kPublishedStates));
    q.after_id = last_id_;
    q.limit = kAlertsPerRead;
    auto page = store_.ListAlerts(q);
    if (!page.ok()) return page.status();
    for (const alerts::Alert& a : *page) {
      if (csv_) {
        AppendCsvRow(out, {std::to_string(a.id), a.rule_name, a.severity, std::to_string(a.datastream), a.state,
                           FormatRfc3339Ms(a.started_ms), Time(a.fired_ms), Time(a.acknowledged_ms),
                           Time(a.resolved_ms), JsonNumberText(a.value), JsonNumberText(a.peak)});
      } else {
        if (rows_ > 0) out += ',';
        out += fmt::format("\n{{\"id\":{},\"rule\":", a.id);
        AppendJsonString(a.rule_name, out);
        out += ",\"severity\":";
        AppendJsonString(a.severity, out);
        out += fmt::format(",\"datastream_id\":{},\"state\":", a.datastream);
        AppendJsonString(a.state, out);
        for (const auto& [name, ms] : {std::pair{"started", std::optional<int64_t>(a.started_ms)},
                                      {"fired", a.fired_ms}, {"acknowledged", a.acknowledged_ms},
                                      {"resolved", a.resolved_ms}}) {
          out += fmt::format(",\"{}\":", name);
          out += ms ? "\"" + FormatRfc3339Ms(*ms) + "\"" : "null";
        }
        out += ",\"value\":" + JsonNumberText(a.value) + ",\"peak\":" + JsonNumberText(a.peak) + "}";
      }
      ++rows_;
      last_id_ = a.id;
    }
    if (page->size() < static_cast<size_t>(kAlertsPerRead)) {
      if (!csv_) out += "\n]}\n";
      return false;
    }
    return true;
  }

 private:
  alerts::AlertStore& store_;
  const bool csv_;
  bool started_ = false;
  int64_t last_id_ = 0;
  int64_t rows_ = 0;
};

}  // namespace

std::optional<Dataset> AlertsDataset(const alerts::PublishedAlerts& published, const InventoryOptions& o) {
  if (published.count == 0) return std::nullopt;
  Dataset d;
  d.id = std::string(kAlertsDatasetId);
  d.title = "Warnmeldungen der Sensorik " + o.city_name;
  d.description = fmt::format(
      "Die Warnungen, die die städtische Datenplattform aus den Messwerten ihrer Sensoren erzeugt hat "
      "(zum Beispiel Starkregen, Hitze, Pegelstände oder ausgefallene Sensoren), mit Regel, Schwere, "
      "Messreihe, Beginn, Auslösung, Bestätigung und Ende sowie dem Wert und seinem Höchststand. "
      "Bisher {} Warnungen.",
      published.count);
  d.keywords = {"Warnungen", "Sensordaten", "Umwelt", "Smart City", o.city_name};
  d.themes = {"ENVI", "TECH"};
  d.accrual_periodicity = "CONT";
  d.landing_page = "/daten/" + d.id;
  d.issued = FormatRfc3339Ms(published.first_started_ms);
  d.modified = FormatRfc3339Ms(published.last_change_ms);
  d.temporal_start = d.issued;
  d.temporal_end = d.modified;
  for (const bool csv : {true, false}) {
    Distribution x;
    x.id = csv ? "csv" : "json";
    x.title = csv ? "Warnmeldungen als CSV" : "Warnmeldungen als JSON";
    x.access_url = "/daten/warnmeldungen." + x.id;
    x.download_url = x.access_url;
    x.format = csv ? "CSV" : "JSON";
    x.media_type = csv ? "text/csv" : "application/json";
    x.modified = d.modified;
    d.distributions.push_back(std::move(x));
  }
  return d;
}

bool IsAlertsDownload(std::string_view name) {
  return name == "warnmeldungen.csv" || name == "warnmeldungen.json";
}

http::Response AlertsDownload(alerts::AlertStore& store, const http::Request& r) {
  auto published = store.Published();
  if (!published.ok()) return http::ErrorResponse(published.status());
  const bool csv = r.Param("file").ends_with(".csv");
  const std::string etag = fmt::format("\"a{:x}-{:x}-{:x}\"", published->count, published->last_change_ms, csv ? 1 : 0);
  http::Response out;
  out.headers.emplace_back("ETag", etag);
  out.headers.emplace_back("Cache-Control", "no-cache");
  if (published->last_change_ms > 0) out.headers.emplace_back("Last-Modified", FormatHttpDate(published->last_change_ms));
  if (r.Header("if-none-match") == etag) {
    out.status = 304;
    out.content_type.clear();
    return out;
  }
  out.content_type = csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
  out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + r.Param("file") + "\"");
  out.stream = std::make_shared<AlertsBody>(store, csv);
  return out;
}

}  // namespace datenwerk::opendata
