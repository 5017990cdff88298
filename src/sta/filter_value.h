// Values during $filter evaluation, private to sta/filter*.cc.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/status.h"

namespace datenwerk::sta::filter {

struct TimeSpan {
  int64_t start = 0;  // ms since epoch
  int64_t end = 0;    // == start for an instant
  bool interval = false;
};

struct Geometry {
  enum class Kind { kPoint, kLineString, kPolygon } kind = Kind::kPoint;
  std::vector<std::pair<double, double>> points;  // polygon: the outer ring
};

// An ISO 8601 duration as FROST-Server's filters use it (duration'P1DT2H'): calendar months
// and exact milliseconds apart, as PostgreSQL keeps intervals (a day is 24 h in UTC).
struct Duration {
  int64_t months = 0;
  int64_t ms = 0;
  // Durations are ordered as PostgreSQL orders intervals: a month counts 30 days.
  int64_t ApproxMs() const { return months * 30 * 86'400'000 + ms; }
};

using Value = std::variant<std::monostate, bool, double, std::string, TimeSpan, Geometry, Duration>;

// "2024-05-01T10:00:00Z", "a/b" intervals, "2024-05-01" dates; nullopt for anything else.
std::optional<TimeSpan> ParseTime(std::string_view text);
// "P1Y2M10DT2H30M1.5S", "P2W", "-PT10M" (letters in either case); nullopt for anything else
// and for amounts beyond ±10,000 years.
std::optional<Duration> ParseDuration(std::string_view text);
// `ms` plus `d`: calendar months first (the day clamped to the month's last, as PostgreSQL
// does), then the exact part. nullopt when the result leaves years 0 to 9999.
std::optional<int64_t> AddDuration(int64_t ms, const Duration& d);
// WKT: POINT(x y), LINESTRING(x y, ...), POLYGON((x y, ...)).
std::optional<Geometry> ParseWkt(std::string_view text);
// GeoJSON Point, LineString, Polygon (also inside a Feature).
std::optional<Geometry> FromGeoJson(const boost::json::value& v);
// A stored JSON value as a filter value (objects: geometry or null).
Value FromJson(const boost::json::value& v);

// A geometry literal in a $filter may have this many points at most.
inline constexpr size_t kMaxGeometryPoints = 10'000;
// Comparing two geometries costs about the product of their points; Ok when that is at most
// kMaxGeometryWork, kInvalidArgument ("$filter") otherwise.
inline constexpr size_t kMaxGeometryWork = 4'000'000;
Status CheckComparable(const Geometry& a, const Geometry& b);

double Distance(const Geometry& a, const Geometry& b);
double Length(const Geometry& g);
bool Intersects(const Geometry& a, const Geometry& b);
bool Within(const Geometry& inner, const Geometry& outer);

}  // namespace datenwerk::sta::filter
