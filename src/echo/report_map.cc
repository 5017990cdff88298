#include "echo/report_map.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <mutex>
#include <numbers>
#include <unordered_map>
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

uint32_t MapIndex::Intern(const std::string& name) {
  const auto [it, added] = name_ids_.emplace(name, static_cast<uint32_t>(names_.size()));
  if (added) names_.push_back(name);
  return it->second;
}

std::optional<uint32_t> MapIndex::Find(const std::string& name) const {
  const auto it = name_ids_.find(name);
  if (it == name_ids_.end()) return std::nullopt;
  return it->second;
}

void MapIndex::Put(const Report& report) {
  std::unique_lock lock(mutex_);
  const auto known = by_id_.find(report.id);
  if (!report.lat || !report.lon) {
    if (known != by_id_.end()) entries_[known->second].id = 0;  // no longer located: a hole, skipped
    return;
  }
  Entry e{report.id, *report.lat, *report.lon, report.requested_ms, report.status, Intern(report.service_code),
          Intern(report.district), Intern(report.office)};
  if (known != by_id_.end()) {
    entries_[known->second] = e;
    return;
  }
  by_id_.emplace(report.id, entries_.size());
  entries_.push_back(e);
}

size_t MapIndex::size() const {
  std::shared_lock lock(mutex_);
  return by_id_.size();
}

std::vector<MapCell> MapIndex::Cells(const MapFilter& filter, const MapView& view, const Grid& grid) const {
  std::shared_lock lock(mutex_);
  // A name nobody uses matches nothing.
  std::vector<uint32_t> categories;
  for (const std::string& code : filter.service_codes) {
    if (auto id = Find(code)) categories.push_back(*id);
  }
  if (!filter.service_codes.empty() && categories.empty()) return {};
  std::optional<uint32_t> district, office;
  if (!filter.district.empty() && !(district = Find(filter.district))) return {};
  if (!filter.office.empty() && !(office = Find(filter.office))) return {};
  struct Sum {
    MapCell cell;
    double lat = 0, lon = 0;
  };
  std::unordered_map<uint64_t, Sum> cells;
  for (const Entry& e : entries_) {
    if (e.id == 0 || e.lat < view.south || e.lat > view.north || e.lon < view.west || e.lon > view.east) continue;
    if (!categories.empty() && std::find(categories.begin(), categories.end(), e.category) == categories.end()) continue;
    if (filter.open && IsOpen(e.status) != *filter.open) continue;
    if (district && e.district != *district) continue;
    if (office && e.office != *office) continue;
    if ((filter.requested_from_ms && e.requested_ms < *filter.requested_from_ms) ||
        (filter.requested_to_ms && e.requested_ms > *filter.requested_to_ms)) {
      continue;
    }
    const auto row = static_cast<uint64_t>((e.lat + 90) / grid.cell_lat);
    const auto column = static_cast<uint64_t>((e.lon + 180) / grid.cell_lon);
    Sum& s = cells[(row << 32) | (column & 0xFFFFFFFF)];
    if (s.cell.count == 0 || e.id < s.cell.id) {
      s.cell.id = e.id;
      s.cell.status = e.status;
      s.cell.service_code = names_[e.category];
    }
    ++s.cell.count;
    s.lat += e.lat;
    s.lon += e.lon;
  }
  std::vector<MapCell> out;
  out.reserve(cells.size());
  for (auto& [key, s] : cells) {
    s.cell.lat = s.lat / static_cast<double>(s.cell.count);
    s.cell.lon = s.lon / static_cast<double>(s.cell.count);
    out.push_back(std::move(s.cell));
  }
  // The same view gives the same order (ids are unique).
  std::sort(out.begin(), out.end(), [](const MapCell& a, const MapCell& b) { return a.id < b.id; });
  return out;
}

std::vector<int64_t> MapIndex::Nearby(const std::string& service_code, double lat, double lon, double radius_m,
                                      size_t limit) const {
  std::shared_lock lock(mutex_);
  const auto category = Find(service_code);
  if (!category) return {};
  // Metres per degree here (an equirectangular approximation: exact enough within a city).
  const double per_lat = 111'132.0;
  const double per_lon = 111'320.0 * std::cos(lat * std::numbers::pi / 180);
  std::vector<std::pair<double, int64_t>> found;
  for (const Entry& e : entries_) {
    if (e.id == 0 || e.category != *category || !IsOpen(e.status)) continue;
    const double dy = (e.lat - lat) * per_lat, dx = (e.lon - lon) * per_lon;
    const double d = std::sqrt(dx * dx + dy * dy);
    if (d <= radius_m) found.emplace_back(d, e.id);
  }
  std::sort(found.begin(), found.end());
  std::vector<int64_t> out;
  for (size_t i = 0; i < found.size() && i < limit; ++i) out.push_back(found[i].second);
  return out;
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
