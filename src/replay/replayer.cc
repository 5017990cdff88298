#include "replay/replayer.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/dates.h"
#include "sta/resource_path.h"

namespace datenwerk::replay {

namespace json = boost::json;

namespace {

constexpr size_t kMaxPerTick = 200'000;  // per Datastream: a long pause is not made up at once
constexpr int kRawDays = 60;

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t Now(const Clock& clock) { return ParseRfc3339Ms(clock.NowUtc()).value_or(0); }

}  // namespace

Replayer::Replayer(sta::SensorThingsService& service, series::ObservationStore& series,
                   const Clock& clock, ReplayOptions options)
    : service_(service), series_(series), clock_(clock), options_(std::move(options)) {}

Replayer::~Replayer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Replayer::Start() {
  thread_ = std::thread([this] {
    if (options_.active) {  // another node replays: wait until it stops or dies
      std::unique_lock lock(mu_);
      while (!options_.active()) {
        if (stop_cv_.wait_for(lock, options_.tick / 6, [this] { return stopping_; })) return;
      }
    }
    auto prepared = Prepare();
    if (!prepared.ok()) {
      spdlog::error("Wiedergabe: {} ({})", prepared.status().message(), prepared.status().field());
      return;
    }
    spdlog::info("Wiedergabe: {} Stationen, {} Messreihen, {} Messwerte nachgetragen",
                 prepared->stations, prepared->datastreams, prepared->readings);
    std::unique_lock lock(mu_);
    while (!stop_cv_.wait_for(lock, options_.tick, [this] { return stopping_; })) {
      if (options_.active && !options_.active()) continue;
      lock.unlock();
      if (auto t = Tick(); !t.ok()) spdlog::warn("Wiedergabe: {}", t.status().message());
      lock.lock();
    }
  });
}

Status Replayer::MakeCopies() {
  auto things_path = sta::ParseResourcePath("/Things");
  if (!things_path.ok()) return things_path.status();
  auto read = service_.Read(
      *things_path,
      {{"$filter", "properties/importKey ne null"},
       {"$expand", "Locations,Datastreams($expand=Sensor($select=id),ObservedProperty($select=id);$top=200)"},
       {"$top", "10000"}},
      options_.base);
  if (!read.ok()) return read.status();
  std::map<std::string, json::object> things;  // importKey -> Thing
  for (const json::value& t : read->json.as_object().at("value").as_array()) {
    const json::object& thing = t.as_object();
    things[Text(thing.at("properties").as_object(), "importKey")] = thing;
  }
  for (const auto& [key, source] : things) {
    if (key.starts_with("replay:")) continue;
    const std::string copy_key = "replay:" + key;
    std::map<std::string, int64_t> copies;  // importKey of a copied Datastream -> id
    int64_t copy_id = 0;
    if (auto it = things.find(copy_key); it != things.end()) {
      copy_id = it->second.at("@iot.id").as_int64();
      for (const json::value& d : it->second.at("Datastreams").as_array()) {
        copies[Text(d.at("properties").as_object(), "importKey")] = d.at("@iot.id").as_int64();
      }
    } else {
      json::object properties = source.at("properties").as_object();
      properties["importKey"] = copy_key;
      properties["wiedergabe"] = true;
      properties["quelleThing"] = source.at("@iot.id");
      json::array locations;
      for (const json::value& l : source.at("Locations").as_array()) {
        const json::object& loc = l.as_object();
        locations.push_back({{"name", loc.at("name")}, {"description", loc.at("description")},
                             {"encodingType", loc.at("encodingType")}, {"location", loc.at("location")}});
      }
      json::object body{{"name", Text(source, "name") + " (Wiedergabe)"},
                        {"description", Text(source, "description") + " Wiedergabe früherer Messwerte."},
                        {"properties", std::move(properties)},
                        {"Locations", std::move(locations)}};
      auto made = service_.Create(*things_path, body, options_.base);
      if (!made.ok()) return made.status();
      copy_id = made->entity.at("@iot.id").as_int64();
      ++stats_.stations;
    }
    for (const json::value& d : source.at("Datastreams").as_array()) {
      const json::object& ds = d.as_object();
      const int64_t source_ds = ds.at("@iot.id").as_int64();
      const std::string ds_key = "replay:" + Text(ds.at("properties").as_object(), "importKey");
      int64_t target = 0;
      if (auto it = copies.find(ds_key); it != copies.end()) {
        target = it->second;
      } else {
        json::object properties = ds.at("properties").as_object();
        properties["importKey"] = ds_key;
        properties["wiedergabe"] = true;
        properties["quelleDatastream"] = source_ds;
        json::object body{{"name", Text(ds, "name") + " (Wiedergabe)"},
                          {"description", ds.at("description")},
                          {"observationType", ds.at("observationType")},
                          {"unitOfMeasurement", ds.at("unitOfMeasurement")},
                          {"properties", std::move(properties)},
                          {"Sensor", {{"@iot.id", ds.at("Sensor").at("@iot.id")}}},
                          {"ObservedProperty", {{"@iot.id", ds.at("ObservedProperty").at("@iot.id")}}}};
        auto path = sta::ParseResourcePath("/Things(" + std::to_string(copy_id) + ")/Datastreams");
        if (!path.ok()) return path.status();
        auto made = service_.Create(*path, body, options_.base);
        if (!made.ok()) return made.status();
        target = made->entity.at("@iot.id").as_int64();
        if (auto s = series_.SetRetention(target, kRawDays); !s.ok()) return s;
      }
      pairs_.push_back({source_ds, target, {}});
    }
  }
  return Status::Ok();
}

Result<ReplayStats> Replayer::Prepare() {
  std::lock_guard lock(mu_);
  pairs_.clear();
  if (Status s = MakeCopies(); !s.ok()) return s;
  // The window: `days` whole days ending with the day most series reach (the median of their
  // newest readings): a few series that run on longer must not leave the others out.
  std::vector<int64_t> newest_times;
  for (const Pair& p : pairs_) {
    if (auto latest = series_.Latest(p.source)) newest_times.push_back(latest->time_ms);
  }
  if (newest_times.empty()) return stats_;  // nothing recorded: nothing to play
  std::nth_element(newest_times.begin(), newest_times.begin() + newest_times.size() / 2, newest_times.end());
  const int64_t newest = newest_times[newest_times.size() / 2];
  cycle_.period_ms = options_.days * kDayMs;
  cycle_.from_ms = (newest / kDayMs + 1) * kDayMs - cycle_.period_ms;
  for (Pair& p : pairs_) {
    auto points = series_.Range(p.source, cycle_.from_ms, cycle_.from_ms + cycle_.period_ms, 10'000'000, false);
    if (!points.ok()) return points.status();
    p.recorded = std::move(points).value();
  }
  std::erase_if(pairs_, [](const Pair& p) { return p.recorded.empty(); });
  stats_.datastreams = static_cast<int64_t>(pairs_.size());
  // The whole last cycle up to now; what is there already is skipped by the store.
  played_until_ms_ = Now(clock_) - cycle_.period_ms;
  auto written = TickLocked();
  if (!written.ok()) return written.status();
  return stats_;
}

Result<int64_t> Replayer::Tick() {
  std::lock_guard lock(mu_);
  return TickLocked();
}

Result<int64_t> Replayer::TickLocked() {
  if (pairs_.empty()) return int64_t{0};
  const int64_t now = Now(clock_);
  std::vector<sta::MeasurementGroup> groups;
  int64_t rows = 0;
  for (const Pair& p : pairs_) {
    sta::MeasurementGroup group{p.target, {}};
    for (const auto& point : Playing(cycle_, p.recorded, played_until_ms_, now, kMaxPerTick)) {
      group.rows.push_back(sta::Measurement{point.time_ms, point.value});
    }
    rows += static_cast<int64_t>(group.rows.size());
    if (!group.rows.empty()) groups.push_back(std::move(group));
  }
  if (!groups.empty()) {
    auto ids = service_.CreateMeasurements(groups, options_.base);
    if (!ids.ok()) return ids.status();
  }
  played_until_ms_ = now;
  stats_.readings += rows;
  return rows;
}

}  // namespace datenwerk::replay
