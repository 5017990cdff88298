#include "livekpi/coverage.h"

#include <geos_c.h>

#include <boost/json.hpp>
#include <cmath>
#include <memory>
#include <set>

namespace datenwerk::livekpi {

namespace json = boost::json;

namespace {

constexpr double kMetresPerDegreeLat = 111'320.0;
constexpr double kPi = 3.14159265358979323846;

// A GEOS context for one computation, and geometries that free themselves in it.
class Geos {
 public:
  Geos() : ctx_(GEOS_init_r()) {}
  ~Geos() { GEOS_finish_r(ctx_); }
  Geos(const Geos&) = delete;
  Geos& operator=(const Geos&) = delete;
  GEOSContextHandle_t ctx() const { return ctx_; }

  struct Deleter {
    GEOSContextHandle_t ctx;
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(ctx, g); }
  };
  using Geometry = std::unique_ptr<GEOSGeometry, Deleter>;
  Geometry Own(GEOSGeometry* g) const { return Geometry(g, Deleter{ctx_}); }

 private:
  GEOSContextHandle_t ctx_;
};

struct Projection {
  double lon0 = 0, lat0 = 0, cos_lat0 = 1;
};

int Project(double* x, double* y, void* userdata) {
  const auto* p = static_cast<const Projection*>(userdata);
  *x = (*x - p->lon0) * kMetresPerDegreeLat * p->cos_lat0;
  *y = (*y - p->lat0) * kMetresPerDegreeLat;
  return 1;
}

// The area united and projected into metres, with the projection used.
Result<std::pair<Geos::Geometry, Projection>> ProjectedArea(const Geos& g, const Area& area) {
  GEOSGeoJSONReader* reader = GEOSGeoJSONReader_create_r(g.ctx());
  std::vector<GEOSGeometry*> parts;
  for (const std::string& text : area.polygons_geojson) {
    if (GEOSGeometry* part = GEOSGeoJSONReader_readGeometry_r(g.ctx(), reader, text.c_str())) parts.push_back(part);
  }
  GEOSGeoJSONReader_destroy_r(g.ctx(), reader);
  if (parts.empty()) return InvalidArgument("holds no polygon", "area");
  auto collection = g.Own(GEOSGeom_createCollection_r(g.ctx(), GEOS_GEOMETRYCOLLECTION, parts.data(),
                                                     static_cast<unsigned>(parts.size())));
  auto united = g.Own(GEOSUnaryUnion_r(g.ctx(), collection.get()));
  if (!united) return InvalidArgument("cannot be united (invalid polygons)", "area");
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  GEOSGeom_getXMin_r(g.ctx(), united.get(), &minx);
  GEOSGeom_getYMin_r(g.ctx(), united.get(), &miny);
  GEOSGeom_getXMax_r(g.ctx(), united.get(), &maxx);
  GEOSGeom_getYMax_r(g.ctx(), united.get(), &maxy);
  Projection p{(minx + maxx) / 2, (miny + maxy) / 2, std::cos((miny + maxy) / 2 * kPi / 180)};
  auto projected = g.Own(GEOSGeom_transformXY_r(g.ctx(), united.get(), Project, &p));
  if (!projected) return Internal("GEOS could not project the area");
  return std::pair{std::move(projected), p};
}

std::pair<double, double> ProjectPoint(const Projection& p, const LonLat& point) {
  double x = point.first, y = point.second;
  Project(&x, &y, const_cast<Projection*>(&p));
  return {x, y};
}

}  // namespace

Result<Area> ReadArea(const std::string& geojson) {
  json::error_code ec;
  json::value doc = json::parse(geojson, ec);
  if (ec || !doc.is_object()) return InvalidArgument("is not GeoJSON", "area");
  Area area;
  const json::object& root = doc.as_object();
  auto add = [&](const json::value* geometry) {
    const json::object* g = geometry ? geometry->if_object() : nullptr;
    const json::value* type = g ? g->if_contains("type") : nullptr;
    if (type && type->is_string() && (type->as_string() == "Polygon" || type->as_string() == "MultiPolygon")) {
      area.polygons_geojson.push_back(json::serialize(*geometry));
    }
  };
  if (const json::value* features = root.if_contains("features"); features && features->is_array()) {
    if (features->as_array().size() > 1'000) return InvalidArgument("has more than 1,000 features", "area");
    for (const json::value& f : features->as_array()) {
      if (f.is_object()) add(f.as_object().if_contains("geometry"));
    }
  } else if (root.contains("geometry")) {
    add(root.if_contains("geometry"));
  } else {
    add(&doc);
  }
  if (area.polygons_geojson.empty()) return InvalidArgument("holds no polygon", "area");
  return area;
}

Result<double> ShareWithin(const Area& area, const std::vector<LonLat>& points, double radius_m) {
  if (!(radius_m > 0) || radius_m > 100'000) return InvalidArgument("must be from 0 to 100 km", "radius");
  Geos g;
  auto projected = ProjectedArea(g, area);
  if (!projected.ok()) return projected.status();
  auto& [city, p] = *projected;
  double total = 0;
  GEOSArea_r(g.ctx(), city.get(), &total);
  if (points.empty() || total <= 0) return 0.0;
  std::vector<GEOSGeometry*> circles;
  circles.reserve(points.size());
  for (const LonLat& point : points) {
    const auto [x, y] = ProjectPoint(p, point);
    auto centre = g.Own(GEOSGeom_createPointFromXY_r(g.ctx(), x, y));
    circles.push_back(GEOSBuffer_r(g.ctx(), centre.get(), radius_m, 16));
  }
  auto all = g.Own(GEOSGeom_createCollection_r(g.ctx(), GEOS_GEOMETRYCOLLECTION, circles.data(),
                                              static_cast<unsigned>(circles.size())));
  auto reach = g.Own(GEOSUnaryUnion_r(g.ctx(), all.get()));
  if (!reach) return Internal("GEOS could not unite the sensors' circles");
  auto inside = g.Own(GEOSIntersection_r(g.ctx(), reach.get(), city.get()));
  if (!inside) return Internal("GEOS could not intersect the circles with the area");
  double covered = 0;
  GEOSArea_r(g.ctx(), inside.get(), &covered);
  return std::min(1.0, covered / total);
}

Result<GridCoverage> GridCells(const Area& area, const std::vector<LonLat>& points, double cell_m) {
  if (!(cell_m >= 10) || cell_m > 100'000) return InvalidArgument("must be from 10 m to 100 km", "cell");
  Geos g;
  auto projected = ProjectedArea(g, area);
  if (!projected.ok()) return projected.status();
  auto& [city, p] = *projected;
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  GEOSGeom_getXMin_r(g.ctx(), city.get(), &minx);
  GEOSGeom_getYMin_r(g.ctx(), city.get(), &miny);
  GEOSGeom_getXMax_r(g.ctx(), city.get(), &maxx);
  GEOSGeom_getYMax_r(g.ctx(), city.get(), &maxy);
  const int64_t columns = static_cast<int64_t>(std::ceil((maxx - minx) / cell_m));
  const int64_t rows = static_cast<int64_t>(std::ceil((maxy - miny) / cell_m));
  if (columns * rows > 1'000'000) return InvalidArgument("makes more than 1,000,000 cells over the area", "cell");
  std::set<std::pair<int64_t, int64_t>> with_point;
  for (const LonLat& point : points) {
    const auto [x, y] = ProjectPoint(p, point);
    const auto c = static_cast<int64_t>(std::floor((x - minx) / cell_m));
    const auto r = static_cast<int64_t>(std::floor((y - miny) / cell_m));
    if (c >= 0 && c < columns && r >= 0 && r < rows) with_point.insert({c, r});
  }
  const GEOSPreparedGeometry* prepared = GEOSPrepare_r(g.ctx(), city.get());
  GridCoverage grid;
  for (int64_t c = 0; c < columns; ++c) {
    for (int64_t r = 0; r < rows; ++r) {
      const double x0 = minx + static_cast<double>(c) * cell_m, y0 = miny + static_cast<double>(r) * cell_m;
      auto cell = g.Own(GEOSGeom_createRectangle_r(g.ctx(), x0, y0, x0 + cell_m, y0 + cell_m));
      if (GEOSPreparedIntersects_r(g.ctx(), prepared, cell.get()) != 1) continue;
      ++grid.cells;
      if (with_point.contains({c, r})) ++grid.covered;
    }
  }
  GEOSPreparedGeom_destroy_r(g.ctx(), prepared);
  return grid;
}

}  // namespace datenwerk::livekpi
