#include "klima/districts.h"

#include <geos_c.h>

#include <boost/json.hpp>
#include <mutex>

namespace datenwerk::klima {

namespace {

// GEOS geometries are made in one context and read in others: the GEOS documentation allows
// that for reading. Prepared geometries are not thread-safe, so each lookup takes a lock.
GEOSContextHandle_t SharedContext() {
  static GEOSContextHandle_t context = GEOS_init_r();
  return context;
}

}  // namespace

struct Districts::Impl {
  std::mutex mu;
  std::vector<GEOSGeometry*> geometries;  // owned
  std::vector<const GEOSPreparedGeometry*> prepared;  // owned
  ~Impl() {
    for (auto* p : prepared) GEOSPreparedGeom_destroy_r(SharedContext(), p);
    for (auto* g : geometries) GEOSGeom_destroy_r(SharedContext(), g);
  }
};

Districts::Districts(Key, std::unique_ptr<Impl> impl, std::vector<std::string> names)
    : impl_(std::move(impl)), names_(std::move(names)) {}
Districts::~Districts() = default;

Result<std::shared_ptr<const Districts>> Districts::Load(const std::string& geojson) {
  boost::json::error_code ec;
  boost::json::value doc = boost::json::parse(geojson, ec);
  const boost::json::object* root = ec ? nullptr : doc.if_object();
  const boost::json::array* features =
      root && root->contains("features") ? root->at("features").if_array() : nullptr;
  if (!features || features->size() > 1000) {
    return InvalidArgument("must be a GeoJSON FeatureCollection of at most 1000 districts", "districts");
  }
  GEOSContextHandle_t ctx = SharedContext();
  auto impl = std::make_unique<Impl>();
  std::vector<std::string> names;
  GEOSGeoJSONReader* reader = GEOSGeoJSONReader_create_r(ctx);
  for (const boost::json::value& f : *features) {
    const auto* feature = f.if_object();
    const auto* properties = feature && feature->contains("properties") ? feature->at("properties").if_object() : nullptr;
    const auto* name = properties && properties->contains("name") ? properties->at("name").if_string() : nullptr;
    if (!name || !feature->contains("geometry")) continue;
    const std::string geometry = boost::json::serialize(feature->at("geometry"));
    GEOSGeometry* g = GEOSGeoJSONReader_readGeometry_r(ctx, reader, geometry.c_str());
    if (!g) continue;
    impl->geometries.push_back(g);
    impl->prepared.push_back(GEOSPrepare_r(ctx, g));
    names.emplace_back(*name);
  }
  GEOSGeoJSONReader_destroy_r(ctx, reader);
  if (names.empty()) return InvalidArgument("holds no polygon with a name", "districts");
  return std::shared_ptr<const Districts>(
      std::make_shared<Districts>(Key(), std::move(impl), std::move(names)));
}

std::optional<std::string> Districts::At(double longitude, double latitude) const {
  GEOSContextHandle_t ctx = SharedContext();
  std::lock_guard lock(impl_->mu);
  GEOSGeometry* point = GEOSGeom_createPointFromXY_r(ctx, longitude, latitude);
  if (!point) return std::nullopt;
  std::optional<std::string> found;
  for (size_t i = 0; i < impl_->prepared.size(); ++i) {
    if (impl_->prepared[i] && GEOSPreparedContains_r(ctx, impl_->prepared[i], point) == 1) {
      found = names_[i];
      break;
    }
  }
  GEOSGeom_destroy_r(ctx, point);
  return found;
}

}  // namespace datenwerk::klima
