#include "app/commands.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "apidoc/routes.h"
#include "echo/addresses.h"
#include "echo/office_areas.h"
#include "echo/kpis.h"
#include "echo/page_routes.h"
#include "echo/routes.h"
#include "echo/subscription_pages.h"
#include "echo/uploads.h"
#include "api/api.h"
#include "api/audited_writes.h"
#include "api/health.h"
#include "app/alerting.h"
#include "app/back_office.h"
#include "app/cluster_wiring.h"
#include "app/database.h"
#include "app/live_kpis.h"
#include "api/live_kpis.h"
#include "api/ingest.h"
#include "api/series.h"
#include "core/dates.h"
#include "api/sta.h"
#include "core/json_text.h"
#include "http/cache.h"
#include "http/server.h"
#include "importer/open_data.h"
#include "mail/outbox.h"
#include "importer/sensor_import.h"
#include "klima/pages.h"
#include "opendata/area.h"
#include "opendata/catalog_routes.h"
#include "opendata/curation_routes.h"
#include "opendata/page_routes.h"
#include "opendata/inventory.h"
#include "replay/replayer.h"
#include "simulator/simulation.h"
#include "series/appended.h"
#include "sensors/device_registry.h"
#include "sensors/mqtt_bridge.h"
#include "series/observation_store.h"
#include "series/retention_scheduler.h"
#include "sta/tiered_store.h"
#include "store/catalogue_service.h"
#include "store/read_replica.h"
#include "store/sql_connection.h"
#include "core/periodic_task.h"
#include "web/basemap.h"
#include "web/portal.h"

namespace datenwerk::app {

namespace {

// Spreadsheets uploaded to the back office may be larger than API bodies.
constexpr size_t kUploadLimit = 16 << 20;

std::unique_ptr<CatalogueService> OpenService(sql::Connection& db, const Clock& clock) {
  auto store = OpenCatalogueStore(db);
  if (!store.ok()) {
    spdlog::error("{}", store.status().message());
    return nullptr;
  }
  return std::make_unique<CatalogueService>(std::move(store).value(), clock);
}

bool ImportInto(CatalogueService& service, const std::string& directory) {
  Status s = service.ImportDirectory(directory);
  if (!s.ok()) {
    spdlog::error("import of {} failed at {}: {}", directory, s.field(), s.message());
    return false;
  }
  const auto& d = service.Snapshot()->data();
  spdlog::info("imported {}: {} themes, {} fields, {} measures, {} KPIs, {} values", directory,
               d.themes.size(), d.fields.size(), d.measures.size(), d.kpis.size(),
               d.values.size());
  return true;
}

// The SensorThings service over its two tiers in the one database: plain numeric Observations as
// time series, the rest as documents, written in one transaction.
struct SensorStores {
  std::unique_ptr<series::ObservationStore> series;
  std::unique_ptr<sta::SensorThingsService> sensorthings;  // uses *series: declared after it
};

std::optional<SensorStores> OpenSensorStores(sql::Connection& db, const Clock& clock) {
  SensorStores stores;
  auto series = series::OpenObservationStore(db);
  if (!series.ok()) {
    spdlog::error("{}", series.status().message());
    return std::nullopt;
  }
  stores.series = std::move(series).value();
  auto entities = sta::MakeTieredEntityStore(*stores.series);
  if (!entities.ok()) {
    spdlog::error("{}", entities.status().message());
    return std::nullopt;
  }
  stores.sensorthings = std::make_unique<sta::SensorThingsService>(std::move(entities).value(), clock);
  return stores;
}

// A whole file, or nullopt when it cannot be read.
std::optional<std::string> ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return std::nullopt;
  return text.str();
}

// The city's districts for the Klima-Dashboard, and its boundary and districts as one GeoJSON
// collection to draw; without the files the dashboard works without districts and borders.
std::string DistrictsText(const std::string& folder) {
  return ReadFileText(folder + "/bochum_stadtbezirke.geojson").value_or("");
}

std::shared_ptr<const geo::Districts> LoadGeo(const std::string& folder, const std::string& districts_text,
                                              std::string& boundaries) {
  const std::string boundary_text = ReadFileText(folder + "/bochum_boundary.geojson").value_or("");
  boost::json::array features;
  for (const std::string* text : {&boundary_text, &districts_text}) {
    boost::json::error_code ec;
    auto doc = boost::json::parse(*text, ec);
    if (ec || !doc.is_object()) continue;
    if (doc.as_object().contains("features") && doc.at("features").is_array()) {
      for (auto& f : doc.at("features").as_array()) features.push_back(f);
    } else if (doc.as_object().contains("geometry")) {
      features.push_back(doc);
    }
  }
  boundaries = ToJsonText(boost::json::object{{"type", "FeatureCollection"}, {"features", features}});
  auto districts = geo::Districts::Load(districts_text);
  if (!districts.ok()) {
    spdlog::warn("no districts from {}: {}", folder, districts.status().message());
    return nullptr;
  }
  return *districts;
}

// The city's boundary as one area (a report outside it is refused); null without the file.
std::shared_ptr<const geo::Districts> CityBoundary(const std::string& folder) {
  auto boundary = geo::Districts::Load(ReadFileText(folder + "/bochum_boundary.geojson").value_or(""));
  if (!boundary.ok()) {
    spdlog::warn("no city boundary in {}: reports are taken for any position", folder);
    return nullptr;
  }
  return *boundary;
}

// Who publishes the open-data catalogue and for which area (the boundary file names its
// municipality key and box).
opendata::CatalogMetadata CatalogMetadataFor(const Config& config) {
  opendata::CatalogMetadata meta;
  meta.base_url = config.public_url;  // empty: the catalogue takes the request's host
  meta.title = "Offene Daten der Smart City " + config.city_name;
  meta.description = "Die offenen Daten der Smart-City-Plattform der Stadt " + config.city_name +
                     ": die Smart-City-Strategie mit ihren Maßnahmen und Kennzahlen, und die "
                     "Messwerte der städtischen Sensoren.";
  meta.publisher_name = "Stadt " + config.city_name;
  meta.contact_name = "Smart-City-Team der Stadt " + config.city_name;
  meta.contact_email = config.open_data_contact;
  meta.contact_url = "/daten";
  meta.place_name = config.city_name;
  if (auto text = ReadFileText(config.geo_dir + "/bochum_boundary.geojson")) {
    if (auto area = opendata::AreaFromBoundary(*text)) {
      meta.municipality_key = area->municipality_key;
      meta.bbox = area->bbox;
      if (!area->name.empty()) meta.place_name = area->name;
    }
  }
  return meta;
}

// SensorThings, time-series and Klima-Dashboard reads may come from the read replica (at most its
// bound behind). Not the back office, sessions, forms or anything that writes: they must see the
// latest commit.
bool ReadsMayBeStale(const http::Request& r) {
  return (r.method == "GET" || r.method == "HEAD") &&
         (r.path.starts_with("/sta/") || r.path.starts_with("/api/v1/datastreams/") || r.path.starts_with("/klima"));
}

}  // namespace

int Serve(const Config& config) {
  SystemClock clock;
  auto db = OpenDatabase(config);
  if (!db) return 1;
  sql::ReplicaRouter* replica = nullptr;
  if (!config.read_database.empty()) {
    auto routed = sql::WithReadReplica(std::move(db), config.read_database,
                                       {std::chrono::milliseconds(config.read_max_lag_ms)});
    if (!routed.ok()) {
      spdlog::error("--{}: {}", routed.status().field(), routed.status().message());
      return 1;
    }
    replica = routed->get();
    db = std::move(routed).value();
  }
  auto service = OpenService(*db, clock);
  if (!service) return 1;
  if (Status s = service->Reload(); !s.ok()) {
    spdlog::error("cannot load the catalogue: {}", s.message());
    return 1;
  }
  if (service->Snapshot()->data().themes.empty() && !ImportInto(*service, config.catalogue_dir)) {
    return 1;
  }

  // Before every background job: each asks it whether this node does the job now.
  auto cluster = ClusterWiring::Start(config, *db);
  if (!cluster) return 1;
  auto stores = OpenSensorStores(*db, clock);
  if (!stores) return 1;
  auto& series = stores->series;
  sta::SensorThingsService& sensorthings = *stores->sensorthings;
  sensorthings.SetReadBudget(std::chrono::milliseconds(config.read_budget_ms));
  auto devices = sensors::OpenDeviceRegistry(*db);
  if (!devices.ok()) {
    spdlog::error("{}", devices.status().message());
    return 1;
  }
  // No uplink older than its record would be kept is taken: a redelivered one is always known.
  const int64_t uplink_days_ms = int64_t{config.uplink_retention_days} * kDayMs;
  sensors::UplinkIngestor ingestor(**devices, sensorthings, clock,
                                   uplink_days_ms > 0 ? std::min(uplink_days_ms, sensors::UplinkIngestor::kMaxPastMs)
                                                      : sensors::UplinkIngestor::kMaxPastMs);
  auto alerting = Alerting::Start(config, *db, sensorthings, *series,
                                  {cluster->Gate("alert-webhooks"), cluster->Gate("alerts"), cluster->Fence("alerts")});
  if (!alerting) return 1;

  const std::string districts_text = DistrictsText(config.geo_dir);
  // BürgerEcho: reports in the one database, routed by category and district. Opened before the
  // live KPIs, whose job reads them: destroyed after it has stopped.
  auto echo_services = echo::Services::Load(config.buergerecho_dir);
  if (!echo_services.ok()) {
    spdlog::error("BürgerEcho: {} ({})", echo_services.status().message(), echo_services.status().field());
    return 1;
  }
  auto reports = echo::ReportStore::Open(*db);
  if (!reports.ok()) {
    spdlog::error("BürgerEcho: {}", reports.status().message());
    return 1;
  }
  auto live_kpis = MakeLiveKpis(config, districts_text, sensorthings, *series, **devices, *service);
  auto basemap = web::ParseBasemap(config.basemap, config.basemap_attribution);
  if (!basemap.ok()) {
    spdlog::error("--{}: {}", basemap.status().field(), basemap.status().message());
    return 1;
  }
  web::PortalOptions portal{config.city_name, "Smart City " + config.city_name, {}, *basemap};
  if (live_kpis) {
    for (const auto& m : livekpi::Methods(live_kpis->options())) portal.automatic_kpis[m.kpi_id] = m.text;
  }
  http::Router router;
  api::RegisterReadRoutes(router, *service);
  api::RegisterDownloadRoutes(router, *service);
  // Server threads: enough that writes waiting for the store leave some to readers.
  const int threads = config.threads > 0
                          ? config.threads
                          : std::max(4, 2 * static_cast<int>(std::thread::hardware_concurrency()));
  api::WriteGate writes(config.max_queued_writes > 0 ? config.max_queued_writes : api::WriteGate::kDefaultLimit);
  api::RegisterSensorThingsRoutes(router, sensorthings, *service, writes);
  api::RegisterIngestRoutes(router, ingestor, **devices, *service, writes);
  api::RegisterSeriesRoutes(router, *series, sensorthings, *service, writes);
  alerting->RegisterRoutes(router, *service);
  if (live_kpis) api::RegisterLiveKpiRoutes(router, *live_kpis, *service);
  web::RegisterPortalRoutes(router, *service, portal);
  opendata::InventoryOptions inventory_options{config.city_name};
  inventory_options.live_kpis = live_kpis != nullptr;
  auto curations = opendata::CurationStore::Open(*db);
  if (!curations.ok()) {
    spdlog::error("cannot open the open-data curation: {}", curations.status().message());
    return 1;
  }
  opendata::Inventory inventory(inventory_options, sensorthings, curations->get(), std::chrono::seconds(60));
  inventory.SetAlerts(&alerting->store());
  inventory.SetReports(reports->get());
  opendata::RegisterCurationRoutes(router, *service, **curations, clock);
  auto back_office = BackOfficeWiring::Start(config, *service, portal,
                                             [&cluster](const std::string& job) { return cluster->Holds(job); });
  if (!back_office) return 1;
  back_office->SetOpenData(curations->get(), [&inventory, &service] { return inventory.Uncurated(*service->Snapshot()); });
  const std::string citizens_url =
      config.public_url.empty() ? "http://localhost:" + std::to_string(config.port) : config.public_url;
  // The responsibility areas staff uploaded (echo/office_areas.h), in force from the start.
  auto office_area_store = echo::OfficeAreaStore::Open(*db);
  if (!office_area_store.ok()) {
    spdlog::error("BürgerEcho: {}", office_area_store.status().message());
    return 1;
  }
  auto office_areas = std::make_shared<echo::OfficeAreaSet>();
  // At the start, and when another node stored new ones.
  auto load_office_areas = [&office_area_store, &office_areas, &echo_services]() -> Status {
    auto stored = (*office_area_store)->Load();
    if (!stored.ok()) return stored.status();
    if (!*stored) {
      office_areas->Set(nullptr);
      return Status::Ok();
    }
    auto parsed = echo::OfficeAreas::Parse((*stored)->geojson, **echo_services);
    if (parsed.ok()) {
      office_areas->Set(*parsed);
    } else {
      spdlog::warn("BürgerEcho: the uploaded responsibility areas no longer fit the offices and categories ({}: {}); "
                   "reports go by district until new ones are uploaded",
                   parsed.status().field(), parsed.status().message());
    }
    return Status::Ok();
  };
  if (Status s = load_office_areas(); !s.ok()) {
    spdlog::error("BürgerEcho: {}", s.message());
    return 1;
  }
  back_office->SetEcho(reports->get(), *echo_services, citizens_url, office_areas.get(), office_area_store->get());
  back_office->RegisterRoutes(router);
  api::RegisterWriteRoutes(router, *service, &back_office->audit());
  klima::KlimaOptions klima_options{portal, basemap->url_template, basemap->attribution, {},
                                    [&alerting] { return alerting->ActiveAlerts(); }};
  auto districts = LoadGeo(config.geo_dir, districts_text, klima_options.boundaries_geojson);
  std::unique_ptr<replay::Replayer> replayer;
  if (config.replay) {
    replayer = std::make_unique<replay::Replayer>(
        sensorthings, *series, clock,
        replay::ReplayOptions{config.replay_days, std::chrono::seconds(60),
                              (config.public_url.empty() ? "http://localhost:" + std::to_string(config.port)
                                                         : config.public_url) + "/sta/v1.1",
                              cluster->Gate("replay")});
    replayer->Start();
  }
  klima::KlimaData klima_data(sensorthings, *series, districts, clock,
                              std::chrono::seconds(config.dashboard_refresh_s));
  klima::RegisterKlimaRoutes(router, klima_data, *series, klima_options);
  const opendata::CatalogMetadata catalog_meta = CatalogMetadataFor(config);
  opendata::RegisterCatalogRoutes(router, *service, inventory, catalog_meta);
  opendata::RegisterDataPages(router, *service, inventory, catalog_meta, sensorthings, *series, &alerting->store(),
                              portal, reports->get(), *echo_services);
  echo::CityArea city_area{CityBoundary(config.geo_dir), districts, office_areas};
  echo::Open311Options open311{config.open311_jurisdiction, config.open_data_contact, config.public_url};
  if (std::string_view(db->Dialect()) == "postgresql") open311.shared_limits = db.get();
  if (open311.jurisdiction_id.empty()) {
    for (char c : config.city_name) open311.jurisdiction_id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    open311.jurisdiction_id += ".de";
  }
  if (live_kpis) {
    // BürgerEcho's five KPIs go with the monthly run of the live KPIs.
    live_kpis->SetExtraSource([store = reports->get(), services = *echo_services](int64_t from, int64_t to)
                                  -> Result<livekpi::Outcome> {
      std::vector<std::string> ideas, defects;
      for (const echo::Category& c : services->Categories()) {
        (c.kind == echo::Kind::kIdea ? ideas : defects).push_back(c.code);
      }
      auto basis = store->KpiBasisOf(from, to, ideas, defects);
      if (!basis.ok()) return basis.status();
      const echo::KpiFigures figures = echo::ComputeEchoKpis(*basis);
      livekpi::Outcome out;
      for (const echo::KpiFigure& f : figures.figures) out.values.push_back({f.kpi_id, f.value, f.unit, f.note});
      out.not_computed = figures.not_computed;
      return out;
    });
    for (const auto& [kpi, how] : echo::EchoKpiMethods()) portal.automatic_kpis[kpi] = how;
    live_kpis->SetActive(cluster->Gate("live-kpis"));
    live_kpis->Start();
  }
  echo::FormLimits form_limits;
  form_limits.duplicate_radius_m = config.buergerecho_radius_m;
  form_limits.retention_days = config.buergerecho_retention_days;
  form_limits.burst = config.buergerecho_burst;
  // Several nodes share the database, so they share the per-client limits through it.
  if (std::string_view(db->Dialect()) == "postgresql") form_limits.shared_limits = db.get();
  if (Status s = echo::RateLimiter::OpenTable(*db); !s.ok()) {
    spdlog::error("BürgerEcho: {}", s.message());
    return 1;
  }
  auto addresses = echo::AddressStore::Open(*db);
  if (!addresses.ok()) {
    spdlog::error("cannot open BürgerEcho's addresses: {}", addresses.status().message());
    return 1;
  }
  std::unique_ptr<geocode::Geocoder> geocoder;
  if (!config.geocoder.empty()) {
    if (Status s = geocode::CheckTemplate(config.geocoder); !s.ok()) {
      spdlog::error("--geocoder: {}", s.message());
      return 1;
    }
    geocoder = std::make_unique<geocode::Geocoder>(
        geocode::GeocoderOptions{.url_template = config.geocoder, .user_agent = config.geocoder_user_agent});
  }
  echo::AddressLocator locator(**addresses, std::move(geocoder), [&city_area](double lat, double lon) {
    return !city_area.boundary || city_area.boundary->IndexAt(lon, lat, echo::kSnapMetres).has_value();
  });
  auto subscriptions = echo::SubscriptionStore::Open(*db);
  if (!subscriptions.ok()) {
    spdlog::error("cannot open BürgerEcho's subscriptions: {}", subscriptions.status().message());
    return 1;
  }
  form_limits.digest_every_ms = config.buergerecho_digest_s * 1000;
  echo::RegisterOpen311Routes(router, *echo_services, city_area, **reports, *service, clock, open311, &locator);
  echo::RegisterEchoPages(router, *echo_services, city_area, **reports, **addresses, locator, clock, portal,
                          form_limits);
  echo::RegisterSubscriptionPages(router, **subscriptions, city_area, locator, clock, portal, citizens_url, form_limits);
  echo::RegisterStaffApi(router, **reports, *echo_services, *service, clock, citizens_url);
  apidoc::RegisterApiDocRoutes(router, portal);
  api::RegisterHealthRoutes(router, [&cluster, &db] { return cluster->Ready(*db); },
                            replica ? std::function<sql::ReplicaState()>([replica] { return replica->State(); })
                                    : std::function<sql::ReplicaState()>());
  if (config.print_routes) {
    for (const std::string& line : router.Describe()) std::printf("%s\n", line.c_str());
    return 0;
  }
  router.SetNotFound([&portal](const http::Request& r) {
    if (r.path.starts_with("/api/")) {
      return http::ErrorResponse(NotFound("no resource at " + r.path, "path"));
    }
    return web::NotFoundPage(portal);
  });
  // The catalogue's version keys the cache; SensorThings data changes on its own.
  http::ResponseCache cache([&service] { return service->Version(); }, 4096,
                            {"/static/", "/health/", "/sta/", "/api/v1/datastreams/", "/klima", "/verwaltung", "/catalog", "/daten",
                             "/api/v1/open-data/", "/open311/", "/buergerecho"});

  http::ServerOptions options;
  options.address = config.bind;
  options.port = config.port;
  options.threads = threads;
  // 64 clients (a network server's webhook deliveries, a burst of sensors) get a thread each, on
  // which their writes run without a hand-over to the write pool (http/server.h).
  options.dedicated_threads = 64;
  // Writes wait for their group's commit on these threads: as many as may be merged into one.
  options.write_threads = std::max(threads, 128);
  options.body_limit = config.body_limit;
  options.trusted_proxies = config.trusted_proxies;
  options.upload_limits = {{"/verwaltung/import", std::max(config.body_limit, kUploadLimit)},
                           {"/verwaltung/zustaendigkeitsgebiete", std::max(config.body_limit, kUploadLimit)},
                           {"/buergerecho/melden", std::max(config.body_limit, echo::kFilingBodyLimit)},
                           {"/open311/v2/requests", std::max(config.body_limit, echo::kFilingBodyLimit)}};
  options.too_large = [&back_office, &portal](std::string_view target, size_t limit) {
    if (target.starts_with("/verwaltung")) return back_office->TooLarge(limit);
    if (target.starts_with("/buergerecho")) return echo::FilingTooLargePage(limit, portal);
    return http::ErrorResponse(
        {ErrorCode::kTooLarge, "request body is larger than " + std::to_string(limit) + " bytes", "body"});
  };
  // SensorThings, time-series and open-data reads wait for their stores while a write holds them, and a
  // $filter may run up to its time budget: off the connection threads, which keep serving the
  // portal's pages and the catalogue API (answered from memory) meanwhile.
  options.off_thread = [](const http::Request& r) {
    return r.path.starts_with("/sta/") || r.path.starts_with("/api/v1/datastreams/") ||
           r.path.starts_with("/verwaltung") || r.path.starts_with("/daten") || r.path.starts_with("/catalog") ||
           r.path.starts_with("/open311/") || r.path.starts_with("/buergerecho");
  };
  const http::Handler routed = api::AuditApiWrites(
      *service, back_office->audit(), [&router](const http::Request& req) { return router.Handle(req); });
  http::Server server(options, [&routed, &cache](const http::Request& r) {
    sql::ReplicaReadScope may_be_stale(ReadsMayBeStale(r));
    return cache.Handle(r, routed);
  });
  auto port = server.Listen();
  if (!port.ok()) {
    spdlog::error("{}", port.status().message());
    return 1;
  }
  back_office->StartMail(*port);
  // Reporters' e-mail addresses and names go once their report has been closed long enough.
  PeriodicTask forget_reporters(std::chrono::hours(1), [&reports, &subscriptions, &clock, &cluster, &db,
                                                        days = config.buergerecho_retention_days] {
    if (!cluster->Holds("buergerecho.housekeeping")) return;
    auto cleared = (*reports)->ForgetPersonalData(clock.NowMs() - int64_t{days} * kDayMs);
    if (!cleared.ok()) spdlog::warn("BürgerEcho: personal data not erased: {}", cleared.status().message());
    else if (*cleared > 0) spdlog::info("BürgerEcho: personal data of {} closed reports erased", *cleared);
    auto unconfirmed = (*subscriptions)->ForgetUnconfirmed(clock.NowMs() - echo::kConfirmWindowMs);
    if (!unconfirmed.ok()) spdlog::warn("BürgerEcho: unconfirmed subscriptions not erased: {}", unconfirmed.status().message());
    // Shared per-client limits idle for a day are full again: their rows (client addresses) go.
    auto idle = echo::RateLimiter::ForgetIdle(*db, kDayMs);
    if (!idle.ok()) spdlog::warn("BürgerEcho: idle client limits not erased: {}", idle.status().message());
  });
  // Area subscribers' digests: checked every minute (or as often as they are due, if more often).
  PeriodicTask digests(
      std::min<std::chrono::milliseconds>(std::chrono::minutes(1), std::chrono::seconds(config.buergerecho_digest_s)),
      [&] {
        if (!cluster->Holds("buergerecho.digests")) return;
        auto queued = echo::SendDigests(**subscriptions, **reports, **echo_services, citizens_url, clock.NowMs(),
                                        config.buergerecho_digest_s * 1000);
        if (!queued.ok()) spdlog::warn("BürgerEcho: digests not sent: {}", queued.status().message());
        else if (*queued > 0) spdlog::info("BürgerEcho: {} area digests queued", *queued);
      });
  // Uplink records past their retention go once at start and then daily, in bounded steps.
  std::optional<PeriodicTask> forget_uplinks;
  if (config.uplink_retention_days > 0) {
    forget_uplinks.emplace(std::chrono::hours(24), [&devices, &clock, &cluster, days = config.uplink_retention_days] {
      const auto retention = cluster->Gate("retention");
      if (!retention()) return;
      auto gone = (*devices)->ForgetUplinksBefore(clock.NowMs() - int64_t{days} * kDayMs, retention);
      if (!gone.ok()) spdlog::warn("uplink records not pruned: {}", gone.status().message());
      else if (*gone > 0) spdlog::info("{} uplink records older than {} days forgotten", *gone, days);
    });
  }
  // Raw points past their datastream's retention go once at start and then hourly.
  series::RetentionScheduler retention(
      *series, std::chrono::hours(1), [&clock] { return ParseRfc3339Ms(clock.NowUtc()).value_or(0); },
      cluster->Gate("retention"));
  std::unique_ptr<sensors::MqttBridge> mqtt;
  if (!config.mqtt.empty()) {
    auto options = sensors::ParseMqttAddress(config.mqtt);
    if (!options.ok()) {
      spdlog::error("{}", options.status().message());
      return 1;
    }
    const std::string public_url = config.public_url.empty()
                                       ? "http://localhost:" + std::to_string(*port)
                                       : config.public_url;
    options->base_url = public_url + "/sta/v1.1";
    if (!config.mqtt_share.empty()) {
      options->share_group = config.mqtt_share;
      options->client_id = "datenwerk-" + cluster->node().substr(cluster->node().rfind('/') + 1);
    }
    mqtt = std::make_unique<sensors::MqttBridge>(*options, ingestor, sensorthings);
    sensorthings.SetNotifyLatestOfBulk(config.mqtt_bulk_notify == "latest");
    sensorthings.SetCreatedListener([bridge = mqtt.get()](const std::string& path,
                                                          const boost::json::object& entity) {
      bridge->Notify(path, entity);
    });
    alerting->SetMqtt(mqtt.get());
    if (Status s = mqtt->Start(); !s.ok()) {
      spdlog::error("{}", s.message());
      return 1;
    }
  }
  spdlog::info("Datenwerk serves http://{}:{}/ (data in {})",
               config.bind == "0.0.0.0" ? "localhost" : config.bind, *port,
               config.database.empty() ? config.data_dir : "PostgreSQL");
  // Other nodes' writes reach this node's caches (PostgreSQL; on SQLite the node is alone).
  cluster->On(kCatalogueTopic, [&service] {
    if (Status s = service->Reload(); !s.ok()) spdlog::warn("catalogue not reloaded: {}", s.message());
  });
  cluster->On(sensors::kDevicesTopic, [&devices] { (*devices)->ForgetCached(); });
  cluster->On(sta::kSensorThingsTopic, [&sensorthings] { sensorthings.ForgetHints(); });
  cluster->On(echo::kOfficeAreasTopic, [&load_office_areas] {
    if (Status s = load_office_areas(); !s.ok()) spdlog::warn("BürgerEcho: areas not reloaded: {}", s.message());
  });
  cluster->On(mail::kMailTopic, [&back_office] { back_office->WakeRelay(); });
  alerts::AlertEngine& engine = alerting->engine();
  cluster->On(series::kAppendedTopic, [&engine](std::string_view detail) { engine.OnAppended(detail); });
  cluster->On(alerts::kRulesTopic, [&engine] {
    if (Status s = engine.ReloadRules(); !s.ok()) spdlog::warn("alert rules not reloaded: {}", s.message());
  });
  cluster->On(alerts::kResetTopic, [&engine](std::string_view detail) { engine.OnReset(detail); });
  if (!cluster->Listen()) return 1;
  if (std::string_view(db->Dialect()) == "postgresql") engine.OnAppended("");  // what came before the feed
  server.Run();
  cluster->StopFeed();  // its handlers use what goes next
  replayer.reset();  // its writes notify through the MQTT bridge: it stops first
  alerting->SetMqtt(nullptr);
  mqtt.reset();  // stops the MQTT thread, the last one that could still create entities
  sensorthings.SetCreatedListener(nullptr);
  alerting.reset();  // no writer is left: the last checkpoint of the alert states
  live_kpis.reset();
  spdlog::info("stopped");
  return 0;
}

int Import(const Config& config) {
  SystemClock clock;
  auto db = OpenDatabase(config);
  if (!db) return 1;
  auto service = OpenService(*db, clock);
  if (!service) return 1;
  return ImportInto(*service, config.catalogue_dir) ? 0 : 1;
}

int ImportSensors(const Config& config) {
  SystemClock clock;
  const auto started = std::chrono::steady_clock::now();
  importer::ImportSet set = importer::ReadBochumOpenData(config.sensor_data_dir);
  const double read_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int64_t readings = 0, flagged = 0;
  for (const auto& station : set.stations) {
    for (const auto& series : station.series) {
      readings += static_cast<int64_t>(series.readings.size());
      for (const auto& r : series.readings) flagged += r.quality.empty() ? 0 : 1;
    }
  }
  spdlog::info("read {} files, {} rows: {} stations, {} readings ({} flagged as implausible or "
               "incomplete), {} times given twice (first kept) in {:.1f} s",
               set.files, set.rows, set.stations.size(), readings, flagged, set.duplicates, read_s);
  for (size_t i = 0; i < set.problems.size() && i < 200; ++i) {
    spdlog::warn("{}: {}", set.problems[i].where, set.problems[i].message);
  }
  if (set.problems.size() > 200) spdlog::warn("… and {} more", set.problems.size() - 200);
  if (!set.problems.empty() && !config.skip_unreadable) {
    spdlog::error("{} problems: nothing imported (--skip-unreadable imports the rest)",
                  set.problems.size());
    return 2;
  }
  auto db = OpenDatabase(config);
  if (!db) return 1;
  auto stores = OpenSensorStores(*db, clock);
  if (!stores) return 1;
  const std::string base = (config.public_url.empty() ? "http://localhost:" + std::to_string(config.port)
                                                      : config.public_url) + "/sta/v1.1";
  auto stats = importer::StoreImport(*stores->sensorthings, set, base);
  if (!stats.ok()) {
    spdlog::error("import failed, nothing stored: {} ({})", stats.status().message(), stats.status().field());
    return 1;
  }
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("stored in {:.1f} s ({:.0f} readings/s): {} Things and {} Datastreams new, {} "
               "readings, {} flagged readings new, {} flagged readings there already",
               total_s, static_cast<double>(readings) / total_s, stats->things_created,
               stats->datastreams_created, stats->readings, stats->flagged_created,
               stats->flagged_existing);
  return 0;
}

int ImportAddresses(const Config& config) {
  std::ifstream in(config.addresses_file, std::ios::binary);
  if (!in) {
    spdlog::error("cannot read {}", config.addresses_file);
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  auto addresses = echo::ParseHouseCoordinates(text.str());
  if (!addresses.ok()) {
    spdlog::error("{}: {}: {}; nothing imported", config.addresses_file, addresses.status().field(),
                  addresses.status().message());
    return 2;
  }
  auto db = OpenDatabase(config);
  if (!db) return 1;
  auto store = echo::AddressStore::Open(*db);
  if (!store.ok()) {
    spdlog::error("cannot open the addresses: {}", store.status().message());
    return 1;
  }
  if (Status s = (*store)->Replace(*addresses); !s.ok()) {
    spdlog::error("import failed, nothing stored: {}", s.message());
    return 1;
  }
  spdlog::info("{} addresses imported for BürgerEcho's address search", addresses->size());
  return 0;
}

int Simulate(const Config& config) {
  std::string boundaries;
  auto districts = LoadGeo(config.geo_dir, DistrictsText(config.geo_dir), boundaries);
  const auto places = ReadFileText(config.geo_dir + "/places.csv");
  if (!districts || !places) {
    spdlog::error("simulate needs the districts and places.csv in {}", config.geo_dir);
    return 1;
  }
  auto fleet = simulator::MakeFleet(*places, *districts, config.sim_scale);
  if (!fleet.ok()) {
    spdlog::error("{} ({})", fleet.status().message(), fleet.status().field());
    return 1;
  }
  simulator::Simulation simulation(std::move(fleet).value(),
                                   {config.sim_url, config.sim_key, config.sim_mqtt,
                                    config.sim_backfill_days, config.sim_live, config.sim_seed,
                                    config.sim_connections});
  if (Status s = simulation.Setup(); !s.ok()) {
    spdlog::error("simulate: {} ({})", s.message(), s.field());
    return 1;
  }
  int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch()).count();
  if (!config.sim_until.empty()) {
    auto until = ParseRfc3339Ms(config.sim_until);
    if (!until || *until > now) {
      spdlog::error("--until must be an RFC 3339 time that is not in the future");
      return 1;
    }
    now = *until;
  }
  if (Status s = simulation.Backfill(now - static_cast<int64_t>(config.sim_backfill_days * 86.4e6), now); !s.ok()) {
    spdlog::error("simulate: {} ({})", s.message(), s.field());
    return 1;
  }
  const auto& stats = simulation.stats();
  spdlog::info("simulate: {} devices, {} uplinks for {} days in {:.1f} s ({:.0f} uplinks/s), {} refused",
               stats.devices, stats.uplinks, config.sim_backfill_days, stats.backfill_seconds,
               static_cast<double>(stats.uplinks) / std::max(stats.backfill_seconds, 1e-9), stats.refused);
  if (config.sim_live) {
    spdlog::info("simulate: sending live");
    if (Status s = simulation.Live(); !s.ok()) return 1;
  }
  return stats.refused == 0 ? 0 : 3;
}

int CreateApiKey(const Config& config) {
  SystemClock clock;
  auto db = OpenDatabase(config);
  if (!db) return 1;
  auto service = OpenService(*db, clock);
  if (!service) return 1;
  auto key = service->CreateApiKey(config.key_label, ParseRole(config.key_role).value());
  if (!key.ok()) {
    spdlog::error("{}", key.status().message());
    return 1;
  }
  // The key's record goes to the audit trail (never the key itself).
  if (auto parts = OpenAccounts(config, *db)) {
    auto record = service->Authenticate(*key);
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    auto entry = parts->audit->Append(
        {0, now, "kommandozeile", "", "schluessel.angelegt",
         "schluessel:" + std::to_string(record.ok() ? record->id : 0), "",
         ToJsonText(boost::json::object{{"label", config.key_label}, {"role", config.key_role}}), ""});
    if (!entry.ok()) spdlog::warn("audit entry not written: {}", entry.status().message());
  }
  std::printf("%s\n", key->c_str());
  std::fprintf(stderr, "Created a %s key labelled '%s'. Store it now: it is not shown again.\n",
               config.key_role.c_str(), config.key_label.c_str());
  return 0;
}

}  // namespace datenwerk::app
