// The districts of a city (GeoJSON polygons with a "name", e.g. Bochum's six Stadtbezirke) and
// which of them holds a point, through GEOS prepared geometries. Immutable after Load; the
// lookups are thread-safe (all GEOS calls share one context under one lock).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace datenwerk::geo {

class Districts {
 public:
  // `geojson`: a FeatureCollection of Polygon/MultiPolygon features with properties.name.
  // kInvalidArgument when it is not one; at most 1,000 features.
  // Features without a name or a readable geometry are skipped (files the city ships).
  static Result<std::shared_ptr<const Districts>> Load(const std::string& geojson);
  // The same for a file a person uploads: every feature must be a valid Polygon or MultiPolygon
  // with a name; kInvalidArgument naming "features[i]" (from 0) for the first that is not.
  static Result<std::shared_ptr<const Districts>> LoadChecked(const std::string& geojson);
  struct Key {  // only Load makes one
   private:
    Key() = default;
    friend class Districts;
  };
  struct Impl;
  Districts(Key, std::unique_ptr<Impl> impl, std::vector<std::string> names);
  ~Districts();

  // The district holding (lon, lat): its index and name, or nullopt outside all of them. A point
  // on a boundary shared by several districts belongs to exactly one: the first of them in the
  // file's order (for Bochum the lowest Stadtbezirk number), so a report on the border street is
  // never routed twice nor to nobody. A point in a sliver between two polygons (digitising gaps
  // of a few metres) goes to the nearest district within `snap_m` metres.
  std::optional<size_t> IndexAt(double longitude, double latitude, double snap_m = 0) const;
  std::optional<std::string> At(double longitude, double latitude) const;
  // Every polygon that covers the point (its border included), in the file's order.
  std::vector<size_t> AllAt(double longitude, double latitude) const;
  const std::vector<std::string>& Names() const { return names_; }
  // `count` points inside district `index` (lon, lat): a point on its surface (GEOS
  // PointOnSurface) and then points on rings around it, about 500 m apart, that lie inside.
  // For placing simulated devices; empty for an unknown index.
  std::vector<std::pair<double, double>> PointsInside(size_t index, int count) const;

 private:
  static Result<std::shared_ptr<const Districts>> Read(const std::string& geojson, bool strict);
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> names_;
};

}  // namespace datenwerk::geo
