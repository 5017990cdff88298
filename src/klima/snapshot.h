// What the Klima-Dashboard shows, gathered from the SensorThings entities and the time-series
// store: every station (Thing) with its place, district, kind, origin (imported, replayed,
// simulated) and the latest reading of each Datastream, plus the rain totals of rain gauges and
// the irrigation outlook of soil-moisture sensors. Built in the background every
// `refresh` and handed out as an immutable snapshot, so a page costs the same with 10,000
// sensors as with ten. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/dates.h"
#include "geo/districts.h"
#include "klima/outlook.h"
#include "series/observation_store.h"
#include "sta/service.h"

namespace datenwerk::klima {

struct StreamState {
  int64_t id = 0;
  std::string name;
  std::string quantity;  // properties.groesse, e.g. "lufttemperatur", "bodenfeuchte", "niederschlag"
  std::string unit;      // symbol, e.g. "°C"
  std::optional<series::Point> latest;
  std::optional<RainTotals> rain;              // rain gauges: the hour and day before `latest`
  std::optional<IrrigationOutlook> outlook;    // soil moisture: the trend of the last 48 h
  double threshold = 0;                        // soil moisture: when to water
};

struct StationState {
  int64_t id = 0;
  std::string name;
  std::string kind;      // properties.art: "Wetterstation", "Bodenfeuchte", "Gewässer", …; else "Sensor"
  std::string site;      // properties.standort, e.g. "Westpark"; may be empty
  std::string district;  // from the district polygons; empty outside them or without a place
  std::string source;    // properties.quelle
  std::optional<std::pair<double, double>> lon_lat;
  bool simulated = false;  // properties.simuliert
  bool replay = false;     // properties.wiedergabe
  std::vector<StreamState> streams;
  std::optional<int64_t> latest_ms;  // newest reading of any stream
};

struct KlimaSnapshot {
  std::vector<StationState> stations;  // by name
  int64_t built_ms = 0;
  int simulated = 0, replayed = 0;  // stations of each origin

  // The downloads of all stations, made on the first request for this snapshot.
  mutable std::once_flag geojson_once, csv_once;
  mutable std::string geojson, csv;

  const StationState* Station(int64_t id) const;
  // The station and stream of a Datastream id, or {nullptr, nullptr}.
  std::pair<const StationState*, const StreamState*> Stream(int64_t id) const;
};

// "aktuell" (a reading within the last 3 hours), "veraltet", "keine Daten".
std::string StateOf(const StationState& station, int64_t now_ms);

class KlimaData {
 public:
  // Borrows the service, the store and the clock (they must outlive it). Builds the first
  // snapshot now, then every `refresh` on a thread of its own.
  KlimaData(sta::SensorThingsService& service, series::ObservationStore& series,
            std::shared_ptr<const geo::Districts> districts, const Clock& clock,
            std::chrono::seconds refresh = std::chrono::seconds(30));
  ~KlimaData();
  KlimaData(const KlimaData&) = delete;
  KlimaData& operator=(const KlimaData&) = delete;

  std::shared_ptr<const KlimaSnapshot> Snapshot() const;
  // Builds a new snapshot now (after an import, in tests).
  void Refresh();
  const geo::Districts* districts() const { return districts_.get(); }

 private:
  Result<std::shared_ptr<const KlimaSnapshot>> Build();
  // One Datastream of a station with its latest value, rain totals or irrigation outlook.
  StreamState StreamOf(const boost::json::object& datastream, const boost::json::object& station_properties);

  sta::SensorThingsService& service_;
  series::ObservationStore& series_;
  std::shared_ptr<const geo::Districts> districts_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::shared_ptr<const KlimaSnapshot> snapshot_;
  std::mutex build_mu_;  // one build at a time
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // under mu_
  std::thread refresher_;  // last: starts after everything it uses
};

}  // namespace datenwerk::klima
