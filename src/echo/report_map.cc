#include "echo/report_map.h"

#include <charconv>
#include <cmath>
#include <numbers>
#include <optional>

#include <boost/json.hpp>


namespace datenwerk::echo {

namespace {

std::optional<double> Number(std::string_view text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

Grid GridFor(const MapView& view, double pixels) {
  const double world_pixels = 256.0 * std::ldexp(1.0, view.zoom);
  Grid g;
  g.cell_lon = 360.0 / world_pixels * pixels;
  const double middle = (view.south + view.north) / 2 * std::numbers::pi / 180;
  g.cell_lat = g.cell_lon * std::max(0.01, std::cos(middle));
  return g;
}

Result<MapView> ParseMapView(const std::string& bbox, const std::string& zoom) {
  MapView v;
  std::vector<double> corners;
  size_t start = 0;
  while (corners.size() < 5 && start <= bbox.size()) {
    const size_t comma = std::min(bbox.find(',', start), bbox.size());
    auto n = Number(std::string_view(bbox).substr(start, comma - start));
    if (!n) return InvalidArgument("must be four numbers: west,south,east,north", "bbox");
    corners.push_back(*n);
    start = comma + 1;
  }
  if (corners.size() != 4) return InvalidArgument("must be four numbers: west,south,east,north", "bbox");
  v.west = corners[0], v.south = corners[1], v.east = corners[2], v.north = corners[3];
  if (v.west < -180 || v.east > 180 || v.south < -90 || v.north > 90 || v.west >= v.east || v.south >= v.north) {
    return InvalidArgument("must lie in WGS 84 with west < east and south < north", "bbox");
  }
  auto z = Number(zoom);
  if (!z || *z != std::floor(*z) || *z < 0 || *z > 22) return InvalidArgument("must be a whole number from 0 to 22", "zoom");
  v.zoom = static_cast<int>(*z);
  const Grid g = GridFor(v);
  const double cells = std::ceil((v.east - v.west) / g.cell_lon) * std::ceil((v.north - v.south) / g.cell_lat);
  if (cells > kMaxCells) return InvalidArgument("shows too large an area for this zoom level", "bbox");
  return v;
}

std::string MapJson(const std::vector<MapCell>& cells, const Services& services) {
  boost::json::array clusters, reports;
  int64_t total = 0;
  for (const MapCell& c : cells) {
    total += c.count;
    if (c.count > 1) {
      clusters.push_back(boost::json::object{{"lat", c.lat}, {"lon", c.lon}, {"count", c.count}});
      continue;
    }
    const Category* category = services.FindCategory(c.service_code);
    reports.push_back(boost::json::object{{"id", c.id},
                                          {"lat", c.lat},
                                          {"lon", c.lon},
                                          {"category", category ? category->name : c.service_code},
                                          {"status", StatusLabel(c.status)},
                                          {"open", IsOpen(c.status)}});
  }
  return boost::json::serialize(boost::json::object{{"total", total}, {"cells", clusters}, {"reports", reports}});
}

}  // namespace datenwerk::echo
