#include "importer/sensor_import.h"

#include <map>

#include "core/dates.h"
#include "sta/resource_path.h"

namespace datenwerk::importer {

namespace json = boost::json;

namespace {

constexpr char kMeasurement[] =
    "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";

class Importer {
 public:
  // Stages every write into `changes`; the caller commits it.
  Importer(sta::SensorThingsService& service, const std::string& base, sta::ChangeSet& changes)
      : service_(service), base_(base), changes_(changes) {}

  Status Station(const importer::Station& station) {
    auto thing = FindOne("Things", station.key, "$expand", "Datastreams($select=id,properties)");
    if (!thing.ok()) return thing.status();
    int64_t thing_id = 0;
    std::map<std::string, int64_t> datastreams;  // importKey -> id
    std::map<std::string, bool> created;
    if (*thing) {
      thing_id = (*thing)->at("@iot.id").as_int64();
      for (const json::value& ds : (*thing)->at("Datastreams").as_array()) {
        const json::value* key = ds.as_object().at("properties").as_object().if_contains("importKey");
        if (key && key->is_string()) datastreams[std::string(key->as_string())] = ds.at("@iot.id").as_int64();
      }
    } else {
      json::object body{{"name", station.name},
                        {"description", station.description},
                        {"properties", station.properties},
                        {"Locations", json::array{json::object{
                                          {"name", station.name},
                                          {"description", "Standort laut Stationstabelle der Stadt"},
                                          {"encodingType", "application/geo+json"},
                                          {"location", json::object{{"type", "Point"},
                                                                    {"coordinates", json::array{station.longitude, station.latitude}}}}}}}};
      auto made = Create("Things", body);
      if (!made.ok()) return made.status();
      thing_id = made->at("@iot.id").as_int64();
      ++stats.things_created;
    }
    for (const Series& series : station.series) {
      const std::string key = station.key + "/" + series.spec.key;
      auto it = datastreams.find(key);
      int64_t id = 0;
      bool fresh = false;
      if (it != datastreams.end()) {
        id = it->second;
      } else {
        auto made = MakeDatastream(station, series.spec, key, thing_id);
        if (!made.ok()) return made.status();
        id = *made;
        fresh = true;
      }
      if (Status s = Readings(id, fresh, series); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // Writes the readings Station() collected. Apart because the time-series points of a
  // transaction are applied at its end and a read in between would go through all pending ones.
  Status Flush() {
    if (!plain_.empty()) {
      int64_t rows = 0;
      for (const auto& group : plain_) rows += static_cast<int64_t>(group.rows.size());
      auto ids = service_.CreateMeasurements(plain_, base_, &changes_);
      if (!ids.ok()) return ids.status();
      for (const auto& id : *ids) {
        if (!id) return Internal("a reading was refused by the store");
      }
      stats.readings += rows;
    }
    if (!flagged_.empty()) {
      auto links = service_.CreateObservationGroup(flagged_, base_, &changes_);
      if (!links.ok()) return links.status();
      stats.flagged_created += static_cast<int64_t>(flagged_.size());
    }
    return Status::Ok();
  }

  ImportStats stats;

 private:
  // The one entity of `set` whose properties/importKey is `key`, or nullopt.
  Result<std::optional<json::object>> FindOne(const std::string& set, const std::string& key,
                                              const std::string& option = "",
                                              const std::string& value = "") {
    auto path = sta::ParseResourcePath("/" + set);
    if (!path.ok()) return path.status();
    std::map<std::string, std::string> query{{"$filter", "properties/importKey eq '" + key + "'"},
                                             {"$top", "1"}};
    if (!option.empty()) query[option] = value;
    auto read = service_.Read(*path, query, base_);
    if (!read.ok()) return read.status();
    const json::array& items = read->json.as_object().at("value").as_array();
    if (items.empty()) return std::optional<json::object>();
    return std::optional<json::object>(items.front().as_object());
  }

  Result<json::object> Create(const std::string& set, const json::object& body) {
    auto path = sta::ParseResourcePath("/" + set);
    if (!path.ok()) return path.status();
    auto made = service_.Create(*path, body, base_, true, &changes_);
    if (!made.ok()) return made.status();
    return made->entity;
  }

  // The id of the entity of `set` with importKey `key`, made from `body` if there is none.
  Result<int64_t> FindOrCreate(const std::string& set, const std::string& key, json::object body) {
    auto cached = ids_.find(set + "|" + key);
    if (cached != ids_.end()) return cached->second;
    auto found = FindOne(set, key);
    if (!found.ok()) return found.status();
    int64_t id = 0;
    if (*found) {
      id = (*found)->at("@iot.id").as_int64();
    } else {
      body["properties"] = json::object{{"importKey", key}};
      auto made = Create(set, body);
      if (!made.ok()) return made.status();
      id = made->at("@iot.id").as_int64();
    }
    ids_[set + "|" + key] = id;
    return id;
  }

  Result<int64_t> MakeDatastream(const importer::Station& station, const SeriesSpec& spec,
                                 const std::string& key, int64_t thing) {
    auto sensor = FindOrCreate("Sensors", "sensor:" + station.sensor,
                               {{"name", station.sensor},
                                {"description", station.sensor},
                                {"encodingType", "text/html"},
                                {"metadata", ""}});
    if (!sensor.ok()) return sensor.status();
    auto property = FindOrCreate("ObservedProperties", "property:" + spec.property,
                                 {{"name", spec.property},
                                  {"definition", "urn:datenwerk:property:" + spec.key},
                                  {"description", spec.property}});
    if (!property.ok()) return property.status();
    json::object body{
        {"name", spec.name + " – " + station.name},
        {"description", spec.description},
        {"observationType", kMeasurement},
        {"unitOfMeasurement", json::object{{"name", spec.unit_name},
                                           {"symbol", spec.unit_symbol},
                                           {"definition", spec.unit_code.empty() ? "" : "ucum:" + spec.unit_code}}},
        {"properties", json::object{{"importKey", key}, {"spalte", spec.column}, {"groesse", spec.key},
                                    {"quelle", station.properties.at("quelle")}}},
        {"Sensor", json::object{{"@iot.id", *sensor}}},
        {"ObservedProperty", json::object{{"@iot.id", *property}}}};
    auto made = Create("Things(" + std::to_string(thing) + ")/Datastreams", body);
    if (!made.ok()) return made.status();
    ++stats.datastreams_created;
    return made->at("@iot.id").as_int64();
  }

  // Collects the readings of one series for Flush(); a flagged one (a document) only if its
  // Datastream has none at that time yet.
  Status Readings(int64_t datastream, bool fresh, const Series& series) {
    sta::MeasurementGroup plain{datastream, {}};
    for (const Reading& r : series.readings) {
      if (r.quality.empty()) {
        plain.rows.push_back(sta::Measurement{r.time_ms, r.value});
        continue;
      }
      if (!fresh) {
        auto there = Exists(datastream, r.time_ms);
        if (!there.ok()) return there.status();
        if (*there) {
          ++stats.flagged_existing;
          continue;
        }
      }
      flagged_.push_back({{"phenomenonTime", FormatRfc3339Ms(r.time_ms)},
                          {"result", r.value},
                          {"resultQuality", r.quality},
                          {"Datastream", json::object{{"@iot.id", datastream}}}});
    }
    if (!plain.rows.empty()) plain_.push_back(std::move(plain));
    return Status::Ok();
  }

  Result<bool> Exists(int64_t datastream, int64_t time_ms) {
    auto path = sta::ParseResourcePath("/Datastreams(" + std::to_string(datastream) + ")/Observations");
    if (!path.ok()) return path.status();
    auto read = service_.Read(*path, {{"$filter", "phenomenonTime eq " + FormatRfc3339Ms(time_ms)},
                                      {"$select", "id"}, {"$top", "1"}},
                              base_);
    if (!read.ok()) return read.status();
    return !read->json.as_object().at("value").as_array().empty();
  }

  sta::SensorThingsService& service_;
  const std::string& base_;
  sta::ChangeSet& changes_;
  std::map<std::string, int64_t> ids_;  // "Sensors|key" -> id, within this import
  std::vector<sta::MeasurementGroup> plain_;
  std::vector<json::object> flagged_;
};

}  // namespace

Result<ImportStats> StoreImport(sta::SensorThingsService& service, const ImportSet& set,
                                const std::string& base) {
  // The whole set in one change set: stored completely or not at all.
  sta::ChangeSet changes = service.BeginChanges();
  Importer importer(service, base, changes);
  Status s = [&] {
    for (const Station& station : set.stations) {
      if (Status st = importer.Station(station); !st.ok()) {
        return Status(st.code(), station.name + ": " + st.message(), st.field());
      }
    }
    return importer.Flush();
  }();
  if (s.ok()) s = service.Commit(changes, base);
  if (!s.ok()) return s;
  return importer.stats;
}

}  // namespace datenwerk::importer
