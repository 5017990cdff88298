// What the city publishes as open data, as DCAT datasets: the Smart-City catalogue (themes,
// fields of action, measures), the KPI definitions and each KPI's series of values, the
// automatically computed KPIs, and one dataset per sensor station (a SensorThings Thing) with one
// distribution per quantity it measures (Datastream).
//
// One dataset per station, not per Datastream: people look for "the weather station at the town
// hall", not for its humidity series alone, and a portal that harvests 10,000 Datastreams of a
// large city as 10,000 datasets buries everything else. Each quantity is still its own
// distribution with its own URL, unit and period.
//
// No HTTP here: the builders read the catalogue snapshot and the SensorThings service.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "alerts/alert_store.h"
#include "core/catalogue.h"
#include "echo/report_store.h"
#include "core/status.h"
#include "core/thread_annotations.h"
#include "opendata/curation.h"
#include "opendata/dcat.h"
#include "sta/service.h"

namespace datenwerk::opendata {

// The datasets' URLs on this server are paths ("/api/v1/downloads/kpis.csv"): the catalogue makes
// them absolute with the base URL it is served under (dcat.h).
struct InventoryOptions {
  std::string city_name;  // "Bochum"
  // The attribution of the city's own datasets when a licence asks for one and the curation
  // names none; default "Stadt <city>".
  std::string own_attribution;
  // Sensor data: CC0 as the city publishes its own (realdata/LICENSE).
  std::string sensor_license = "http://dcat-ap.de/def/licenses/cc-zero";
  bool live_kpis = false;  // the automatically computed KPIs are served (/api/v1/kpis-automatisch)
};

// The catalogue's datasets: the strategy (measures), the KPI definitions, and one per KPI that has
// published values, still without a licence (the curation sets it). Pure.
std::vector<Dataset> CatalogueDatasets(const Catalogue& catalogue, const InventoryOptions& options);

// One dataset per Thing that has Datastreams, in id order. Reads the service page by page.
Result<std::vector<Dataset>> SensorDatasets(sta::SensorThingsService& sensorthings,
                                            const InventoryOptions& options);

// What administrators decided (curation.h) applied to the generated datasets: titles,
// descriptions and keywords replaced where set; the city's own datasets get their licence (their
// own, else the defaults) and are left out without one; sensor datasets keep their source's
// licence unless one is set. Pure.
std::vector<Dataset> Curated(std::vector<Dataset> own, std::vector<Dataset> sensors,
                             const std::map<std::string, Curation>& curations, const InventoryOptions& options);

// All published datasets, the sensor part rebuilt at most every `refresh` (reading 10,000
// Datastreams takes a while; a harvester asks once a day). Thread-safe.
class Inventory {
 public:
  // Borrows both; `curations` may be null (nothing curated: only the sensor data is published).
  Inventory(InventoryOptions options, sta::SensorThingsService& sensorthings, const CurationStore* curations,
            std::chrono::seconds refresh);
  Result<std::shared_ptr<const std::vector<Dataset>>> All(const Catalogue& catalogue);
  // What All() answers depends on: the stations read last (a count of rebuilds; rebuilt first when
  // due) and the curation's version; with the catalogue's version a key for caches of pages.
  std::string Version();
  // Every dataset as generated, published or not and before curation: the city's own first
  // (`own_count` of them), then the stations. For the back office.
  struct Generated {
    std::vector<Dataset> datasets;
    size_t own_count = 0;
  };
  Result<Generated> Uncurated(const Catalogue& catalogue);
  const InventoryOptions& options() const { return options_; }
  // The alerts that have fired become the city's dataset "warnmeldungen" (alerts_data.h). Call
  // before serving; borrows `store`, which must outlive this.
  void SetAlerts(alerts::AlertStore* store) { alerts_ = store; }
  // BürgerEcho's reports become the city's dataset "buergerecho-meldungen" (echo_data.h). Call
  // before serving; borrows `store`.
  void SetReports(echo::ReportStore* store) { reports_ = store; }

 private:
  const InventoryOptions options_;
  sta::SensorThingsService& sensorthings_;
  const CurationStore* curations_;
  const std::chrono::seconds refresh_;
  alerts::AlertStore* alerts_ = nullptr;
  echo::ReportStore* reports_ = nullptr;
  Mutex mu_;
  std::shared_ptr<const std::vector<Dataset>> sensors_ GUARDED_BY(mu_);
  std::chrono::steady_clock::time_point built_ GUARDED_BY(mu_);
  uint64_t builds_ GUARDED_BY(mu_) = 0;
  Result<std::shared_ptr<const std::vector<Dataset>>> Sensors();
  // The city's own datasets: the catalogue's and, once an alert has fired, the alerts.
  Result<std::vector<Dataset>> Own(const Catalogue& catalogue);
};

}  // namespace datenwerk::opendata
