#include "opendata/inventory.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "api/api.h"
#include "opendata/alerts_data.h"
#include "opendata/echo_data.h"
#include "sta/resource_path.h"

namespace datenwerk::opendata {

namespace json = boost::json;

namespace {

constexpr size_t kMaxKeywords = 20;
constexpr int kThingsPerRead = 100;

// A KPI id as part of a dataset id: lower case, anything but a-z, 0-9, '.' and '-' as '-'.
std::string Slug(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) c = '-';
  }
  return out;
}

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::string Attribution(const InventoryOptions& o) {
  return o.own_attribution.empty() ? "Stadt " + o.city_name : o.own_attribution;
}

// A file of the city's own data on this server; licence and attribution come from Curated().
Distribution Own(std::string id, std::string title, std::string path, bool csv, std::string modified) {
  Distribution d;
  d.id = std::move(id);
  d.title = std::move(title);
  d.access_url = path;
  d.download_url = d.access_url;
  d.format = csv ? "CSV" : "JSON";
  d.media_type = csv ? "text/csv" : "application/json";
  d.modified = std::move(modified);
  return d;
}

// The two ends of an ISO 8601 interval "start/end" (or one instant).
std::pair<std::string, std::string> Ends(const std::string& interval) {
  const size_t slash = interval.find('/');
  if (slash == std::string::npos) return {interval, interval};
  return {interval.substr(0, slash), interval.substr(slash + 1)};
}

// A Thing with its Datastreams as the service answers it, as a dataset; nullopt without data.
std::optional<Dataset> StationDataset(const json::object& thing, const InventoryOptions& o) {
  const json::value* id = thing.if_contains("@iot.id");
  const json::value* streams = thing.if_contains("Datastreams");
  if (!id || !id->is_int64() || !streams || !streams->is_array() || streams->as_array().empty()) {
    return std::nullopt;
  }
  const std::string thing_id = std::to_string(id->as_int64());
  const json::object* properties =
      thing.contains("properties") && thing.at("properties").is_object() ? &thing.at("properties").as_object() : nullptr;
  Dataset d;
  d.id = "station-" + thing_id;
  const std::string name = Text(thing, "name");
  d.title = name + ": Messwerte";
  d.themes = {"ENVI"};
  d.accrual_periodicity = "CONT";
  d.keywords = {"Sensordaten", "Messstation", "Smart City"};
  std::string quantities;
  std::string source = "Quelle: Stadt " + o.city_name + ", Open Data";
  if (properties) {
    if (std::string quelle = Text(*properties, "quelle"); !quelle.empty()) source = "Quelle: " + quelle;
    if (std::string origin = Text(*properties, "datensatz"); !origin.empty()) {
      d.provenance = "Übernommen aus den offenen Daten der Stadt " + o.city_name + ": " + origin + ".";
      if (origin.starts_with("https://")) d.source_url = origin.substr(0, origin.find(", "));
    }
  }
  for (const json::value& s : streams->as_array()) {
    if (!s.is_object()) continue;
    const json::object& stream = s.as_object();
    const json::value* sid = stream.if_contains("@iot.id");
    if (!sid || !sid->is_int64()) continue;
    const std::string stream_name = Text(stream, "name");
    std::string unit;
    if (const json::value* u = stream.if_contains("unitOfMeasurement"); u && u->is_object()) {
      unit = Text(u->as_object(), "symbol");
    }
    Distribution dist;
    dist.id = "messreihe-" + std::to_string(sid->as_int64());
    dist.title = stream_name + (unit.empty() ? "" : " (" + unit + ")");
    dist.description = Text(stream, "description");
    dist.access_url = "/sta/v1.1/Datastreams(" + std::to_string(sid->as_int64()) + ")/Observations";
    dist.format = "JSON";
    dist.media_type = "application/json";
    dist.license = o.sensor_license;
    dist.license_attribution = source;
    const auto [start, end] = Ends(Text(stream, "phenomenonTime"));
    dist.modified = end;
    if (!start.empty() && (d.temporal_start.empty() || start < d.temporal_start)) d.temporal_start = start;
    if (end > d.temporal_end) d.temporal_end = end;
    quantities += (quantities.empty() ? "" : ", ") + dist.title;
    d.datastreams.push_back(sid->as_int64());
    if (d.keywords.size() < kMaxKeywords && !stream_name.empty() &&
        std::find(d.keywords.begin(), d.keywords.end(), stream_name) == d.keywords.end()) {
      d.keywords.push_back(stream_name);
    }
    d.distributions.push_back(std::move(dist));
  }
  if (d.distributions.empty()) return std::nullopt;
  // The whole station as files: every reading of every quantity (a time range and a choice of
  // Datastreams are parameters of the same URLs, see download_routes.h).
  static constexpr struct {
    const char* id;
    const char* title;
    const char* extension;
    const char* format;
    const char* media_type;
  } kFiles[] = {
      {"csv", "Alle Messwerte als CSV", "csv", "CSV", "text/csv"},
      {"geojson", "Alle Messwerte als GeoJSON", "geojson", "GEOJSON", "application/geo+json"},
      {"json", "Alle Messwerte als JSON", "json", "JSON", "application/json"},
  };
  for (const auto& f : kFiles) {
    Distribution file;
    file.id = f.id;
    file.title = f.title;
    file.description = "Alle Messwerte der Station, nach Messgröße und Zeit geordnet; Zeitraum mit "
                       "?from=…&to=…, Messgrößen mit ?datastream=…";
    file.access_url = "/daten/station-" + thing_id + "." + f.extension;
    file.download_url = file.access_url;
    file.format = f.format;
    file.media_type = f.media_type;
    file.license = o.sensor_license;
    file.license_attribution = source;
    file.modified = d.temporal_end;
    d.distributions.push_back(std::move(file));
  }
  const std::string about = Text(thing, "description");
  d.description = (about.empty() || about == name ? "Messwerte der Station " + name + "." : about) +
                  " Gemessen werden: " + quantities + ". Jede Messgröße ist über die "
                  "SensorThings-Schnittstelle (OGC SensorThings API 1.1) abrufbar.";
  d.issued = d.temporal_start;
  d.modified = d.temporal_end;
  return d;
}

}  // namespace

std::vector<Dataset> CatalogueDatasets(const Catalogue& c, const InventoryOptions& o) {
  const CatalogueData& data = c.data();
  std::string entered, first_entered;  // the last and the first time a value was entered
  for (const KpiValue& v : data.values) {
    entered = std::max(entered, v.entered_at);
    if (!v.entered_at.empty() && (first_entered.empty() || v.entered_at < first_entered)) first_entered = v.entered_at;
  }
  std::vector<Dataset> out;

  // The strategy and the KPI definitions: each a dataset of two files of /api/v1/downloads.
  auto programme = [&](std::string id, std::string title, std::string description,
                       std::vector<std::string> keywords, std::string landing, const std::string& file,
                       const std::string& label) {
    Dataset d;
    d.id = std::move(id);
    d.title = std::move(title);
    d.description = std::move(description);
    d.keywords = std::move(keywords);
    d.themes = {"GOVE"};
    d.accrual_periodicity = "IRREG";
    d.landing_page = std::move(landing);
    d.issued = first_entered;
    d.modified = entered;
    d.distributions = {Own("csv", label + " als CSV", "/api/v1/downloads/" + file + ".csv", true, entered),
                       Own("json", label + " als JSON", "/api/v1/downloads/" + file + ".json", false, entered)};
    out.push_back(std::move(d));
  };
  programme("smart-city-massnahmen", "Smart-City-Strategie " + o.city_name + ": Themen, Handlungsfelder und Maßnahmen",
            fmt::format("Die Maßnahmen der Smart-City-Strategie der Stadt {}: {} Maßnahmen in {} Themen und {} "
                        "Handlungsfeldern, mit Kurzbeschreibung, Zeitrahmen und Umsetzungsstand.",
                        o.city_name, data.measures.size(), data.themes.size(), data.fields.size()),
            {"Smart City", "Strategie", "Maßnahmen", "Digitalisierung", o.city_name}, "/massnahmen", "measures",
            "Maßnahmen");
  programme("smart-city-kennzahlen", "Kennzahlen der Smart-City-Strategie " + o.city_name,
            fmt::format("Die {} Kennzahlen (KPI), mit denen die Stadt {} den Fortschritt ihrer Smart-City-Strategie "
                        "misst: Ausgangswert, Zielwert, letzter Wert und Fortschritt.",
                        data.kpis.size(), o.city_name),
            {"Smart City", "Kennzahlen", "KPI", "Monitoring", o.city_name}, "/indikatoren", "kpis", "Kennzahlen");

  for (const Kpi& k : data.kpis) {
    const std::vector<const KpiValue*>& values = c.ValuesOf(k.id);
    if (values.empty()) continue;  // a series with nothing in it is no dataset yet
    Dataset d;
    d.id = "kennzahl-" + Slug(k.id);
    d.kpi_id = k.id;
    d.title = "Kennzahl " + k.id + ": " + k.name;
    d.description = fmt::format("Die veröffentlichten Werte der Kennzahl „{}“ der Smart-City-Strategie "
                                "der Stadt {}{}.",
                                k.name, o.city_name,
                                k.settings.unit.empty() ? "" : " in " + k.settings.unit);
    d.keywords = {"Smart City", "Kennzahl", k.id, o.city_name};
    d.themes = {"GOVE"};
    d.accrual_periodicity = "IRREG";
    d.landing_page = "/indikatoren/" + k.id;
    for (const KpiValue* v : values) {
      if (d.temporal_start.empty() || v->date < d.temporal_start) d.temporal_start = v->date;
      d.temporal_end = std::max(d.temporal_end, v->date);
      d.modified = std::max(d.modified, v->entered_at);
      if (!v->entered_at.empty() && (d.issued.empty() || v->entered_at < d.issued)) d.issued = v->entered_at;
    }
    const std::string path = "/api/v1/kpis/" + k.id + "/values";
    d.distributions = {Own("csv", "Werte als CSV", path + ".csv", true, d.modified),
                       Own("json", "Werte als JSON", path, false, d.modified)};
    out.push_back(std::move(d));
  }

  // The sizes of the files made from the catalogue (the sensor data streams: its size is unknown).
  for (Dataset& d : out) {
    for (Distribution& x : d.distributions) {
      if (auto bytes = api::DownloadSize(c, x.download_url)) x.byte_size = static_cast<int64_t>(*bytes);
    }
  }

  if (o.live_kpis) {
    Dataset live;
    live.id = "kennzahlen-automatisch";
    live.title = "Automatisch berechnete Kennzahlen " + o.city_name;
    live.description = "Kennzahlen der Smart-City-Strategie, die laufend aus den Sensordaten der "
                       "städtischen Datenplattform berechnet werden, mit Rechenweg.";
    live.keywords = {"Smart City", "Kennzahlen", "Sensordaten", o.city_name};
    live.themes = {"GOVE", "ENVI"};
    live.accrual_periodicity = "CONT";
    live.distributions = {Own("json", "Kennzahlen als JSON", "/api/v1/kpis-automatisch", false, "")};
    live.distributions.front().download_url.clear();  // computed on request: an access URL
    out.push_back(std::move(live));
  }
  return out;
}

Result<std::vector<Dataset>> SensorDatasets(sta::SensorThingsService& sensorthings,
                                            const InventoryOptions& o) {
  auto path = sta::ParseResourcePath("/Things");
  if (!path.ok()) return path.status();
  std::vector<Dataset> out;
  for (int64_t skip = 0;; skip += kThingsPerRead) {
    const std::map<std::string, std::string> query = {
        {"$orderby", "id"},
        {"$top", std::to_string(kThingsPerRead)},
        {"$skip", std::to_string(skip)},
        {"$select", "id,name,description,properties"},
        {"$expand", "Datastreams($select=id,name,description,unitOfMeasurement,phenomenonTime;"
                    "$orderby=id;$top=10000)"}};
    auto read = sensorthings.Read(*path, query, "/sta/v1.1");
    if (!read.ok()) return read.status();
    const json::value* value = read->json.is_object() ? read->json.as_object().if_contains("value") : nullptr;
    if (!value || !value->is_array()) return Internal("the Things list has no value array");
    for (const json::value& thing : value->as_array()) {
      if (!thing.is_object()) continue;
      if (auto d = StationDataset(thing.as_object(), o)) out.push_back(std::move(*d));
    }
    if (value->as_array().size() < static_cast<size_t>(kThingsPerRead)) break;
  }
  return out;
}

std::vector<Dataset> Curated(std::vector<Dataset> own, std::vector<Dataset> sensors,
                             const std::map<std::string, Curation>& curations, const InventoryOptions& o) {
  const auto defaults = curations.find(kDefaults);
  auto apply_texts = [&](Dataset& d, const Curation& c) {
    if (!c.title.empty()) d.title = c.title;
    if (!c.description.empty()) d.description = c.description;
    if (!c.keywords.empty()) d.keywords = c.keywords;
  };
  std::vector<Dataset> out;
  out.reserve(own.size() + sensors.size());
  for (Dataset& d : own) {
    const auto it = curations.find(d.id);
    std::string license, attribution;
    if (it != curations.end()) {
      apply_texts(d, it->second);
      license = it->second.license;
      attribution = it->second.attribution;
    }
    if (license.empty() && defaults != curations.end()) {
      license = defaults->second.license;
      if (attribution.empty()) attribution = defaults->second.attribution;
    }
    if (license.empty()) continue;  // nothing is published without a licence
    if (attribution.empty()) attribution = Attribution(o);
    for (Distribution& x : d.distributions) {
      x.license = license;
      x.license_attribution = attribution;
    }
    out.push_back(std::move(d));
  }
  for (Dataset& d : sensors) {
    if (const auto it = curations.find(d.id); it != curations.end()) {
      apply_texts(d, it->second);
      for (Distribution& x : d.distributions) {
        if (!it->second.license.empty()) x.license = it->second.license;
        if (!it->second.attribution.empty()) x.license_attribution = it->second.attribution;
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

Inventory::Inventory(InventoryOptions options, sta::SensorThingsService& sensorthings,
                     const CurationStore* curations, std::chrono::seconds refresh)
    : options_(std::move(options)), sensorthings_(sensorthings), curations_(curations), refresh_(refresh) {}

Result<std::shared_ptr<const std::vector<Dataset>>> Inventory::Sensors() {
  MutexLock lock(mu_);
  // Rebuilt under the lock: concurrent harvesters wait for one rebuild instead of each doing it.
  if (!sensors_ || std::chrono::steady_clock::now() - built_ >= refresh_) {
    auto fresh = SensorDatasets(sensorthings_, options_);
    if (!fresh.ok()) return fresh.status();
    sensors_ = std::make_shared<const std::vector<Dataset>>(std::move(fresh).value());
    built_ = std::chrono::steady_clock::now();
    ++builds_;
  }
  return sensors_;
}

std::string Inventory::Version() {
  (void)Sensors();  // rebuilt when due: a version asked for is never older than `refresh`
  uint64_t builds = 0;
  {
    MutexLock lock(mu_);
    builds = builds_;
  }
  std::string alerts;
  if (alerts_) {
    auto published = alerts_->Published();
    alerts = published.ok() ? fmt::format(".{}.{}", published->count, published->last_change_ms) : ".?";
  }
  if (reports_) {
    auto summary = reports_->Summary();
    alerts += summary.ok() ? fmt::format(".{}.{}", summary->count, summary->last_updated_ms) : ".?";
  }
  return std::to_string(builds) + "." + std::to_string(curations_ ? curations_->Version() : 0) + alerts;
}

Result<std::vector<Dataset>> Inventory::Own(const Catalogue& catalogue) {
  std::vector<Dataset> own = CatalogueDatasets(catalogue, options_);
  if (alerts_) {
    auto published = alerts_->Published();
    if (!published.ok()) return published.status();
    if (auto d = AlertsDataset(*published, options_)) own.push_back(std::move(*d));
  }
  if (reports_) {
    auto summary = reports_->Summary();
    if (!summary.ok()) return summary.status();
    if (auto d = ReportsDataset(*summary, options_)) own.push_back(std::move(*d));
  }
  return own;
}

Result<std::shared_ptr<const std::vector<Dataset>>> Inventory::All(const Catalogue& catalogue) {
  auto sensors = Sensors();
  if (!sensors.ok()) return sensors.status();
  auto own = Own(catalogue);
  if (!own.ok()) return own.status();
  static const std::map<std::string, Curation> kNone;
  const auto curations = curations_ ? curations_->All() : nullptr;
  return std::shared_ptr<const std::vector<Dataset>>(std::make_shared<std::vector<Dataset>>(
      Curated(std::move(own).value(), **sensors, curations ? *curations : kNone, options_)));
}

Result<Inventory::Generated> Inventory::Uncurated(const Catalogue& catalogue) {
  auto sensors = Sensors();
  if (!sensors.ok()) return sensors.status();
  auto own = Own(catalogue);
  if (!own.ok()) return own.status();
  Generated out{std::move(own).value(), 0};
  out.own_count = out.datasets.size();
  out.datasets.insert(out.datasets.end(), (*sensors)->begin(), (*sensors)->end());
  return out;
}

}  // namespace datenwerk::opendata
