// The Data Array extension of 18-088 (14.3): Observations grouped by their (Multi)Datastream as
// a table, {"Datastream@iot.navigationLink", "components", "dataArray@iot.count", "dataArray"}.
#include <map>

#include "sta/service.h"
#include "sta/service_impl.h"

namespace datenwerk::sta {

namespace json = boost::json;

Result<json::array> SensorThingsService::Impl::DataArray(
    const std::vector<StoredEntity>& observations, const QueryOptions& options,
    const std::string& base) {
  static const std::vector<std::string> kAll = {"id",           "phenomenonTime", "result",
                                                "resultTime",   "resultQuality",  "validTime",
                                                "parameters"};
  std::vector<std::string> components;
  for (const std::string& s : options.select.empty() ? kAll : options.select) {
    components.push_back(s == "@iot.id" ? "id" : s);
  }
  json::array names;
  for (const std::string& c : components) names.emplace_back(c);
  // Groups in order of their first Observation; each keeps its rows in list order.
  std::vector<std::pair<std::string, json::array>> groups;
  std::map<std::string, size_t> index;
  for (const StoredEntity& o : observations) {
    if (auto s = CheckReadDeadline(); !s.ok()) return s;
    std::string link;
    for (std::string_view nav : {"Datastream", "MultiDatastream"}) {
      auto owner = store->Linked(EntityType::kObservation, o.id, nav);
      if (!owner.ok()) return owner.status();
      if (owner->empty()) continue;
      const EntityType type = nav == "Datastream" ? EntityType::kDatastream : EntityType::kMultiDatastream;
      link = std::string(nav) + "@iot.navigationLink\n" + SelfLink(base, type, owner->front());
      break;
    }
    auto [it, fresh] = index.try_emplace(link, groups.size());
    if (fresh) groups.emplace_back(link, json::array{});
    json::array row;
    for (const std::string& c : components) {
      if (c == "id") {
        row.emplace_back(o.id);
        continue;
      }
      const json::value* v = o.doc.if_contains(c);
      row.push_back(v ? *v : json::value(nullptr));
    }
    groups[it->second].second.push_back(std::move(row));
  }
  json::array out;
  for (auto& [link, rows] : groups) {
    json::object group;
    const size_t newline = link.find('\n');
    if (newline != std::string::npos) group[link.substr(0, newline)] = link.substr(newline + 1);
    group["components"] = names;
    group["dataArray@iot.count"] = static_cast<int64_t>(rows.size());
    group["dataArray"] = std::move(rows);
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace datenwerk::sta
