#include "alerts/sta_directory.h"

#include "sta/thing_pages.h"

namespace datenwerk::alerts {

namespace json = boost::json;

namespace {

const std::map<std::string, std::string> kExpand{
    {"$select", "id"},
    {"$expand", "ObservedProperty($select=id),Thing($select=id;$expand=Locations($select=location;$top=1))"}};

DatastreamFacts FactsOf(const json::object& ds) {
  DatastreamFacts facts;
  facts.id = ds.at("@iot.id").as_int64();
  if (const json::value* op = ds.if_contains("ObservedProperty"); op && op->is_object()) {
    if (const json::value* id = op->as_object().if_contains("@iot.id"); id && id->is_int64()) facts.observed_property = id->as_int64();
  }
  if (const json::value* thing = ds.if_contains("Thing"); thing && thing->is_object()) {
    facts.lon_lat = sta::FirstPoint(thing->as_object());
  }
  return facts;
}

}  // namespace

Result<std::optional<DatastreamFacts>> SensorThingsDirectory::Lookup(int64_t datastream) {
  auto path = sta::ParseResourcePath("/Datastreams(" + std::to_string(datastream) + ")");
  if (!path.ok()) return path.status();
  auto read = service_.Read(*path, kExpand, "");
  if (!read.ok()) {
    if (read.status().code() == ErrorCode::kNotFound) return std::optional<DatastreamFacts>();
    return read.status();
  }
  return std::optional<DatastreamFacts>(FactsOf(read->json.as_object()));
}

Result<std::vector<DatastreamFacts>> SensorThingsDirectory::All() {
  constexpr int64_t kPage = 1'000;
  auto path = sta::ParseResourcePath("/Datastreams");
  if (!path.ok()) return path.status();
  std::vector<DatastreamFacts> all;
  for (int64_t skip = 0;; skip += kPage) {
    auto query = kExpand;
    query["$orderby"] = "id";
    query["$top"] = std::to_string(kPage);
    query["$skip"] = std::to_string(skip);
    auto page = service_.Read(*path, query, "");
    if (!page.ok()) return page.status();
    const json::array& values = page->json.as_object().at("value").as_array();
    for (const json::value& v : values) all.push_back(FactsOf(v.as_object()));
    if (values.size() < static_cast<size_t>(kPage)) break;
  }
  return all;
}

}  // namespace datenwerk::alerts
