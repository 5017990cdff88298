// Spatial relations of the DE-9IM model between $filter geometries, computed by GEOS (Debian's
// libgeos, through its reentrant C API): st_crosses, st_overlaps, st_touches and st_relate with
// an intersection pattern. Thread-safe (a GEOS context per thread).
#pragma once

#include <optional>
#include <string_view>

#include "sta/filter_value.h"

namespace datenwerk::sta::filter {

enum class Relation { kCrosses, kOverlaps, kTouches };

// nullopt when GEOS cannot read a geometry (a polygon ring that is not closed, say).
std::optional<bool> Relate(Relation relation, const Geometry& a, const Geometry& b);
// `pattern`: nine characters of T, F, *, 0, 1, 2 (OGC 06-103r4, 6.1.15.2); nullopt also for a
// malformed pattern.
std::optional<bool> RelatePattern(const Geometry& a, const Geometry& b, std::string_view pattern);

}  // namespace datenwerk::sta::filter
