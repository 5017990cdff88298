#include "opendata/area.h"

#include <boost/json.hpp>
#include <algorithm>
#include <cctype>

namespace datenwerk::opendata {

namespace json = boost::json;

namespace {

constexpr int kMaxDepth = 8;  // Point 1, Polygon 3, MultiPolygon 4 levels of arrays

// Widens `box` by every [lon, lat] position under `v`.
void Extend(const json::value& v, int depth, std::optional<CatalogMetadata::Box>& box) {
  if (!v.is_array() || depth > kMaxDepth) return;
  const json::array& a = v.as_array();
  if (a.size() >= 2 && a[0].is_number() && a[1].is_number()) {
    const double lon = a[0].to_number<double>(), lat = a[1].to_number<double>();
    if (!box) {
      box = CatalogMetadata::Box{lon, lat, lon, lat};
    } else {
      box->west = std::min(box->west, lon);
      box->east = std::max(box->east, lon);
      box->south = std::min(box->south, lat);
      box->north = std::max(box->north, lat);
    }
    return;
  }
  for (const json::value& e : a) Extend(e, depth + 1, box);
}

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

std::optional<Area> AreaFromBoundary(std::string_view geojson) {
  json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code ec;
  json::value doc = json::parse(geojson, ec, {}, options);
  if (ec || !doc.is_object()) return std::nullopt;
  const json::object* feature = &doc.as_object();
  if (const json::value* features = feature->if_contains("features")) {
    if (!features->is_array() || features->as_array().empty() || !features->as_array()[0].is_object()) {
      return std::nullopt;
    }
    feature = &features->as_array()[0].as_object();
  }
  const json::value* geometry = feature->if_contains("geometry");
  if (!geometry || !geometry->is_object() || !geometry->as_object().contains("coordinates")) return std::nullopt;
  Area area;
  if (const json::value* p = feature->if_contains("properties"); p && p->is_object()) {
    const std::string key = Text(p->as_object(), "ags");
    if (key.size() == 8 && std::all_of(key.begin(), key.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      area.municipality_key = key;
    }
    area.name = Text(p->as_object(), "name");
  }
  if (const json::value* b = feature->if_contains("bbox");
      b && b->is_array() && b->as_array().size() == 4 &&
      std::all_of(b->as_array().begin(), b->as_array().end(), [](const json::value& x) { return x.is_number(); })) {
    const json::array& a = b->as_array();
    area.bbox = CatalogMetadata::Box{a[0].to_number<double>(), a[1].to_number<double>(),
                                     a[2].to_number<double>(), a[3].to_number<double>()};
  } else {
    Extend(geometry->as_object().at("coordinates"), 0, area.bbox);
  }
  return area;
}

}  // namespace datenwerk::opendata
