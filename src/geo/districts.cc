#include "geo/districts.h"

#include <geos_c.h>

#include <boost/json.hpp>
#include <algorithm>
#include <cmath>
#include <mutex>

namespace datenwerk::geo {

namespace {

// One GEOS context for every geometry: a context (its error state) and prepared geometries are
// not thread-safe, so every call into GEOS holds this one lock. Lookups take microseconds.
GEOSContextHandle_t SharedContext() {
  static GEOSContextHandle_t context = GEOS_init_r();
  return context;
}
std::mutex& GeosLock() {
  static std::mutex mu;
  return mu;
}

// Whether `geometry` is a Polygon or MultiPolygon whose coordinates nest as GeoJSON says: rings
// of at least four positions of two or three numbers. GEOS 3.11's GeoJSON reader reads
// positions unchecked (an empty one, "[]", crashes it: found by the fuzzer), so nothing else
// reaches it.
bool IsRing(const boost::json::value& v) {
  const auto* ring = v.if_array();
  if (!ring || ring->size() < 4) return false;
  for (const boost::json::value& p : *ring) {
    const auto* position = p.if_array();
    if (!position || position->size() < 2 || position->size() > 3) return false;
    for (const boost::json::value& n : *position) {
      if (!n.is_number()) return false;
    }
  }
  return true;
}
bool IsPolygon(const boost::json::value& v) {
  const auto* rings = v.if_array();
  return rings && !rings->empty() && std::all_of(rings->begin(), rings->end(), IsRing);
}
bool IsPolygonal(const boost::json::value& geometry) {
  const auto* o = geometry.if_object();
  const auto* type = o ? o->if_contains("type") : nullptr;
  const auto* coordinates = o ? o->if_contains("coordinates") : nullptr;
  if (!type || !type->is_string() || !coordinates) return false;
  if (type->as_string() == "Polygon") return IsPolygon(*coordinates);
  if (type->as_string() != "MultiPolygon" || !coordinates->is_array() || coordinates->as_array().empty()) return false;
  return std::all_of(coordinates->as_array().begin(), coordinates->as_array().end(), IsPolygon);
}

struct ReaderCleanup {
  void operator()(GEOSGeoJSONReader* r) const { GEOSGeoJSONReader_destroy_r(SharedContext(), r); }
};

}  // namespace

struct Districts::Impl {
  std::vector<GEOSGeometry*> geometries;  // owned
  std::vector<const GEOSPreparedGeometry*> prepared;  // owned
  ~Impl() {
    std::lock_guard lock(GeosLock());
    for (auto* p : prepared) GEOSPreparedGeom_destroy_r(SharedContext(), p);
    for (auto* g : geometries) GEOSGeom_destroy_r(SharedContext(), g);
  }
};

Districts::Districts(Key, std::unique_ptr<Impl> impl, std::vector<std::string> names)
    : impl_(std::move(impl)), names_(std::move(names)) {}
Districts::~Districts() = default;

Result<std::shared_ptr<const Districts>> Districts::Load(const std::string& geojson) { return Read(geojson, false); }
Result<std::shared_ptr<const Districts>> Districts::LoadChecked(const std::string& geojson) {
  return Read(geojson, true);
}

Result<std::shared_ptr<const Districts>> Districts::Read(const std::string& geojson, bool strict) {
  boost::json::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 64;  // polygons nest four deep; anything far deeper is no GeoJSON
  boost::json::value doc = boost::json::parse(geojson, ec, {}, options);
  const boost::json::object* root = ec ? nullptr : doc.if_object();
  const boost::json::array* features =
      root && root->contains("features") ? root->at("features").if_array() : nullptr;
  if (!features || features->size() > 1000) {
    return InvalidArgument("must be a GeoJSON FeatureCollection of at most 1000 districts", "districts");
  }
  // Declared before the lock: a refusal destroys it (which locks too) after the lock is released.
  auto impl = std::make_unique<Impl>();
  std::vector<std::string> names;
  GEOSContextHandle_t ctx = SharedContext();
  std::lock_guard lock(GeosLock());
  std::unique_ptr<GEOSGeoJSONReader, ReaderCleanup> reader(GEOSGeoJSONReader_create_r(ctx));
  for (size_t i = 0; i < features->size(); ++i) {
    const std::string where = "features[" + std::to_string(i) + "]";
    const auto* feature = (*features)[i].if_object();
    const auto* properties = feature && feature->contains("properties") ? feature->at("properties").if_object() : nullptr;
    const auto* name = properties && properties->contains("name") ? properties->at("name").if_string() : nullptr;
    if (!name || name->empty() || !feature->contains("geometry")) {
      if (strict) return InvalidArgument("needs properties.name and a geometry", where);
      continue;
    }
    if (!IsPolygonal(feature->at("geometry"))) {
      if (strict) {
        return InvalidArgument("is no Polygon or MultiPolygon of rings of at least four [longitude, latitude] positions",
                               where);
      }
      continue;
    }
    const std::string geometry = boost::json::serialize(feature->at("geometry"));
    GEOSGeometry* g = GEOSGeoJSONReader_readGeometry_r(ctx, reader.get(), geometry.c_str());
    if (!g) {
      if (strict) return InvalidArgument("has a geometry GEOS cannot read", where);
      continue;
    }
    impl->geometries.push_back(g);  // owned from here on, also on the refusals below
    if (strict) {
      const int type = GEOSGeomTypeId_r(ctx, g);
      if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) return InvalidArgument("is no Polygon or MultiPolygon", where);
      if (GEOSisValid_r(ctx, g) != 1) {
        char* reason = GEOSisValidReason_r(ctx, g);
        std::string why = reason ? reason : "invalid";
        if (reason) GEOSFree_r(ctx, reason);
        return InvalidArgument("is not a valid polygon (" + why + ")", where);
      }
    }
    impl->prepared.push_back(GEOSPrepare_r(ctx, g));
    names.emplace_back(*name);
  }
  if (names.empty()) return InvalidArgument("holds no polygon with a name", "districts");
  return std::shared_ptr<const Districts>(
      std::make_shared<Districts>(Key(), std::move(impl), std::move(names)));
}

std::vector<size_t> Districts::AllAt(double longitude, double latitude) const {
  GEOSContextHandle_t ctx = SharedContext();
  std::lock_guard lock(GeosLock());
  std::vector<size_t> out;
  GEOSGeometry* point = GEOSGeom_createPointFromXY_r(ctx, longitude, latitude);
  if (!point) return out;
  for (size_t i = 0; i < impl_->prepared.size(); ++i) {
    if (impl_->prepared[i] && GEOSPreparedCovers_r(ctx, impl_->prepared[i], point) == 1) out.push_back(i);
  }
  GEOSGeom_destroy_r(ctx, point);
  return out;
}

std::optional<size_t> Districts::IndexAt(double longitude, double latitude, double snap_m) const {
  GEOSContextHandle_t ctx = SharedContext();
  std::lock_guard lock(GeosLock());
  GEOSGeometry* point = GEOSGeom_createPointFromXY_r(ctx, longitude, latitude);
  if (!point) return std::nullopt;
  std::optional<size_t> found;
  for (size_t i = 0; i < impl_->prepared.size() && !found; ++i) {
    if (impl_->prepared[i] && GEOSPreparedCovers_r(ctx, impl_->prepared[i], point) == 1) found = i;
  }
  if (!found && snap_m > 0) {
    // Degrees to metres at this latitude: good enough for a few metres of snapping.
    const double metres_per_degree = 111'320.0 * std::cos(latitude * M_PI / 180.0);
    double best = snap_m;
    for (size_t i = 0; i < impl_->geometries.size(); ++i) {
      double degrees = 0;
      if (GEOSDistance_r(ctx, impl_->geometries[i], point, &degrees) != 1) continue;
      const double metres = degrees * std::min(metres_per_degree, 111'320.0);
      if (metres <= best) {
        best = metres;
        found = i;
      }
    }
  }
  GEOSGeom_destroy_r(ctx, point);
  return found;
}

std::optional<std::string> Districts::At(double longitude, double latitude) const {
  const auto index = IndexAt(longitude, latitude);
  if (!index) return std::nullopt;
  return names_[*index];
}

}  // namespace datenwerk::geo

namespace datenwerk::geo {

std::vector<std::pair<double, double>> Districts::PointsInside(size_t index, int count) const {
  std::vector<std::pair<double, double>> out;
  if (index >= impl_->geometries.size() || count <= 0) return out;
  GEOSContextHandle_t ctx = SharedContext();
  std::lock_guard lock(GeosLock());
  GEOSGeometry* anchor = GEOSPointOnSurface_r(ctx, impl_->geometries[index]);
  double x = 0, y = 0;
  if (!anchor || GEOSGeomGetX_r(ctx, anchor, &x) != 1 || GEOSGeomGetY_r(ctx, anchor, &y) != 1) {
    if (anchor) GEOSGeom_destroy_r(ctx, anchor);
    return out;
  }
  GEOSGeom_destroy_r(ctx, anchor);
  out.emplace_back(x, y);
  constexpr double kLatStep = 0.0045;  // about 500 m
  const double lon_step = kLatStep / std::cos(y * 3.14159265358979 / 180);
  for (int ring = 1; static_cast<int>(out.size()) < count && ring < 40; ++ring) {
    const int around = 6 * ring;
    for (int k = 0; k < around && static_cast<int>(out.size()) < count; ++k) {
      const double angle = 2 * 3.14159265358979 * k / around;
      const double px = x + ring * lon_step * std::cos(angle), py = y + ring * kLatStep * std::sin(angle);
      GEOSGeometry* p = GEOSGeom_createPointFromXY_r(ctx, px, py);
      if (p && GEOSPreparedContains_r(ctx, impl_->prepared[index], p) == 1) out.emplace_back(px, py);
      if (p) GEOSGeom_destroy_r(ctx, p);
    }
  }
  return out;
}

}  // namespace datenwerk::geo
