#include "sta/entity_store.h"

#include <cmath>

#include "core/dates.h"

namespace datenwerk::sta {

namespace json = boost::json;

Result<InsertedObservation> EntityStore::InsertObservation(const json::object& doc,
                                                           int64_t datastream, int64_t feature) {
  auto id = Insert(EntityType::kObservation, doc);
  if (!id.ok()) return id.status();
  const std::pair<EntityType, int64_t> owners[] = {{EntityType::kDatastream, datastream},
                                                   {EntityType::kFeatureOfInterest, feature}};
  for (const auto& [type, owner] : owners) {
    const std::string_view nav =
        type == EntityType::kDatastream ? "Datastream" : "FeatureOfInterest";
    if (auto s = Link(EntityType::kObservation, *id, nav, type, owner); !s.ok()) return s;
    if (auto s = Link(type, owner, "Observations", EntityType::kObservation, *id); !s.ok()) return s;
  }
  return InsertedObservation{*id, true};
}

Result<int64_t> EntityStore::RemoveObservations(int64_t datastream, int64_t from_ms,
                                               int64_t to_ms) {
  auto ids = Linked(EntityType::kDatastream, datastream, "Observations");
  if (!ids.ok()) return ids.status();
  int64_t removed = 0;
  for (int64_t id : *ids) {
    auto observation = Get(EntityType::kObservation, id);
    if (!observation.ok()) return observation.status();
    const json::value* time = *observation ? (*observation)->doc.if_contains("phenomenonTime") : nullptr;
    if (!time || !time->is_string()) continue;
    const std::string_view text = time->get_string();
    auto ms = ParseRfc3339Ms(text.substr(0, text.find('/')));
    if (!ms || *ms < from_ms || *ms >= to_ms) continue;
    if (auto s = Remove(EntityType::kObservation, id); !s.ok()) return s;
    ++removed;
  }
  return removed;
}

json::object MeasurementDoc(const Measurement& m) {
  json::value result = m.result;
  if (std::trunc(m.result) == m.result && std::abs(m.result) < 9007199254740992.0) {
    result = static_cast<int64_t>(m.result);
  }
  return json::object{{"phenomenonTime", FormatRfc3339Ms(m.time_ms)},
                      {"result", std::move(result)},
                      {"resultTime", nullptr}};
}

Result<std::vector<InsertedObservation>> EntityStore::InsertMeasurements(
    int64_t datastream, int64_t feature, const std::vector<Measurement>& rows) {
  std::vector<InsertedObservation> out;
  out.reserve(rows.size());
  for (const Measurement& m : rows) {
    auto inserted = InsertObservation(MeasurementDoc(m), datastream, feature);
    if (!inserted.ok()) return inserted.status();
    out.push_back(*inserted);
  }
  return out;
}

}  // namespace datenwerk::sta
