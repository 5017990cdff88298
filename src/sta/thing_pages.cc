#include "sta/thing_pages.h"

#include "sta/resource_path.h"

namespace datenwerk::sta {

namespace json = boost::json;

namespace {

constexpr int64_t kPageSize = 2'000;

}  // namespace

Status ForEachThing(SensorThingsService& service, const std::string& select, const std::string& expand,
                    const std::function<Status(const json::object& thing)>& visit) {
  auto path = ParseResourcePath("/Things");
  if (!path.ok()) return path.status();
  for (int64_t skip = 0;; skip += kPageSize) {
    auto page = service.Read(*path,
                             {{"$select", select},
                              {"$expand", expand},
                              {"$orderby", "id"},
                              {"$top", std::to_string(kPageSize)},
                              {"$skip", std::to_string(skip)}},
                             "");
    if (!page.ok()) return page.status();
    const json::array& things = page->json.as_object().at("value").as_array();
    for (const json::value& t : things) {
      if (Status s = visit(t.as_object()); !s.ok()) return s;
    }
    if (static_cast<int64_t>(things.size()) < kPageSize) return Status::Ok();
  }
}

std::optional<std::pair<double, double>> FirstPoint(const json::object& thing) {
  const json::value* locations = thing.if_contains("Locations");
  if (!locations || !locations->is_array()) return std::nullopt;
  for (const json::value& l : locations->as_array()) {
    const json::value* where = l.is_object() ? l.as_object().if_contains("location") : nullptr;
    const json::object* g = where ? where->if_object() : nullptr;
    const json::value* type = g ? g->if_contains("type") : nullptr;
    const json::value* c = g ? g->if_contains("coordinates") : nullptr;
    if (!type || !type->is_string() || type->as_string() != "Point" || !c || !c->is_array()) continue;
    const json::array& xy = c->as_array();
    if (xy.size() >= 2 && xy[0].is_number() && xy[1].is_number()) {
      return std::pair{xy[0].to_number<double>(), xy[1].to_number<double>()};
    }
  }
  return std::nullopt;
}

}  // namespace datenwerk::sta
