#include "klima/snapshot.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "sta/thing_pages.h"
#include "store/read_replica.h"

namespace datenwerk::klima {

namespace json = boost::json;

namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr double kDefaultThreshold = 20;  // % volumetric water content: a common watering mark

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<double> Number(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v && v->is_number()) return v->to_number<double>();
  return std::nullopt;
}

bool Flag(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

}  // namespace

const StationState* KlimaSnapshot::Station(int64_t id) const {
  for (const auto& s : stations) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

std::pair<const StationState*, const StreamState*> KlimaSnapshot::Stream(int64_t id) const {
  for (const auto& s : stations) {
    for (const auto& d : s.streams) {
      if (d.id == id) return {&s, &d};
    }
  }
  return {nullptr, nullptr};
}

std::string StateOf(const StationState& station, int64_t now_ms) {
  if (!station.latest_ms) return "keine Daten";
  return *station.latest_ms >= now_ms - 3 * kHourMs ? "aktuell" : "veraltet";
}

KlimaData::KlimaData(sta::SensorThingsService& service, series::ObservationStore& series,
                     std::shared_ptr<const geo::Districts> districts, const Clock& clock,
                     std::chrono::seconds refresh)
    : service_(service), series_(series), districts_(std::move(districts)), clock_(clock) {
  Refresh();
  refresher_ = std::thread([this, refresh] {
    std::unique_lock lock(mu_);
    while (!stop_cv_.wait_for(lock, refresh, [this] { return stopping_; })) {
      lock.unlock();
      Refresh();
      lock.lock();
    }
  });
}

KlimaData::~KlimaData() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  refresher_.join();
}

std::shared_ptr<const KlimaSnapshot> KlimaData::Snapshot() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

void KlimaData::Refresh() {
  std::lock_guard build(build_mu_);
  // The snapshot is up to a refresh old anyway: its reads may come from a read replica.
  sql::ReplicaReadScope may_be_stale;
  const auto started = std::chrono::steady_clock::now();
  auto made = Build();
  if (!made.ok()) {  // the last snapshot stays; the next refresh tries again
    spdlog::warn("Klima-Dashboard: {} ({})", made.status().message(), made.status().field());
    std::lock_guard lock(mu_);
    if (!snapshot_) snapshot_ = std::make_shared<KlimaSnapshot>();
    return;
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  std::lock_guard lock(mu_);
  if (!snapshot_ || snapshot_->stations.size() != (*made)->stations.size()) {
    spdlog::info("Klima-Dashboard: {} Messstellen, Übersicht in {:.0f} ms erstellt", (*made)->stations.size(), ms);
  }
  snapshot_ = std::move(made).value();
}

StreamState KlimaData::StreamOf(const json::object& ds, const json::object& station_properties) {
  StreamState stream;
  stream.id = ds.at("@iot.id").as_int64();
  stream.name = Text(ds, "name");
  if (const json::value* u = ds.if_contains("unitOfMeasurement"); u && u->is_object()) {
    stream.unit = Text(u->as_object(), "symbol");
  }
  const json::value* dp = ds.if_contains("properties");
  const json::object empty;
  const json::object& dprops = dp && dp->is_object() ? dp->as_object() : empty;
  stream.quantity = Text(dprops, "groesse");
  stream.latest = series_.Latest(stream.id);
  if (stream.latest && stream.quantity == "niederschlag") {
    auto amounts = series_.Range(stream.id, stream.latest->time_ms - 24 * kHourMs + 1,
                                 stream.latest->time_ms + 1, 100'000, false);
    if (amounts.ok()) stream.rain = TotalsOf(*amounts, stream.latest->time_ms);
  }
  if (stream.latest && stream.quantity == "bodenfeuchte") {
    stream.threshold = Number(dprops, "schwellwert").value_or(
        Number(station_properties, "schwellwert").value_or(kDefaultThreshold));
    auto recent = series_.Range(stream.id, stream.latest->time_ms - 48 * kHourMs,
                                stream.latest->time_ms + 1, 100'000, false);
    if (recent.ok()) stream.outlook = OutlookOf(*recent, stream.threshold);
  }
  return stream;
}

Result<std::shared_ptr<const KlimaSnapshot>> KlimaData::Build() {
  auto snapshot = std::make_shared<KlimaSnapshot>();
  snapshot->built_ms = ParseRfc3339Ms(clock_.NowUtc()).value_or(0);
  Status read = sta::ForEachThing(
      service_, "id,name,properties",
      "Locations($select=location;$top=1),Datastreams($select=id,name,unitOfMeasurement,properties;$top=100)",
      [&](const json::object& thing) {
        StationState station;
        station.id = thing.at("@iot.id").as_int64();
        station.name = Text(thing, "name");
        const json::value* props = thing.if_contains("properties");
        const json::object empty;
        const json::object& properties = props && props->is_object() ? props->as_object() : empty;
        station.kind = Text(properties, "art");  // set by whoever registered the station
        if (station.kind.empty()) station.kind = "Sensor";
        station.site = Text(properties, "standort");
        station.source = Text(properties, "quelle");
        station.simulated = Flag(properties, "simuliert");
        station.replay = Flag(properties, "wiedergabe");
        station.lon_lat = sta::FirstPoint(thing);
        if (station.lon_lat && districts_) {
          station.district = districts_->At(station.lon_lat->first, station.lon_lat->second).value_or("");
        }
        for (const json::value& d : thing.at("Datastreams").as_array()) {
          station.streams.push_back(StreamOf(d.as_object(), properties));
          const StreamState& stream = station.streams.back();
          if (stream.latest && (!station.latest_ms || stream.latest->time_ms > *station.latest_ms)) {
            station.latest_ms = stream.latest->time_ms;
          }
        }
        snapshot->simulated += station.simulated ? 1 : 0;
        snapshot->replayed += station.replay ? 1 : 0;
        snapshot->stations.push_back(std::move(station));
        return Status::Ok();
      });
  if (!read.ok()) return read;
  std::sort(snapshot->stations.begin(), snapshot->stations.end(),
            [](const StationState& a, const StationState& b) { return a.name < b.name; });
  return std::shared_ptr<const KlimaSnapshot>(std::move(snapshot));
}

}  // namespace datenwerk::klima
