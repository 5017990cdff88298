// How much of a city a sensor network covers, with GEOS, in metres: coordinates (lon, lat) are
// projected onto a plane tangent at the area's centre (an equirectangular projection: within a
// city of 20 km its area error is far below 0.1 %). Pure and thread-safe (a GEOS context per
// call).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace datenwerk::livekpi {

using LonLat = std::pair<double, double>;

// The city's area from GeoJSON: a FeatureCollection (e.g. its districts, which are united) or
// one geometry. kInvalidArgument when it holds no polygon.
struct Area {
  std::vector<std::string> polygons_geojson;  // each feature's geometry
};
Result<Area> ReadArea(const std::string& geojson);

// The share (0 to 1) of `area` within `radius_m` of at least one of `points`.
Result<double> ShareWithin(const Area& area, const std::vector<LonLat>& points, double radius_m);

struct GridCoverage {
  int64_t cells = 0;    // square cells of the grid that touch the area
  int64_t covered = 0;  // of those, cells holding at least one point
};
// A grid of `cell_m` squares over the area's bounding box; which cells touching the area hold
// a point. At most 1,000,000 cells (kInvalidArgument beyond).
Result<GridCoverage> GridCells(const Area& area, const std::vector<LonLat>& points, double cell_m);

}  // namespace datenwerk::livekpi
