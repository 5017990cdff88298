// The $filter expression language of the SensorThings API (18-088, 9.3.3.5; OData 4.0 subset):
// comparison (eq ne gt ge lt le), logical (and or not), arithmetic (add sub mul div mod),
// grouping, string, date, math, temporal (before, after, meets, during, overlaps, starts,
// finishes) and spatial functions on points and polygons (geo.distance, geo.length,
// geo.intersects, st_within, st_intersects, st_contains, st_equals, st_disjoint, and through
// GEOS st_crosses, st_overlaps, st_touches and st_relate with a DE-9IM pattern), literals
// (strings, numbers, true/false/null, ISO 8601 times and intervals, durations
// duration'P1DT2H', geography'POINT(x y)'). Times compare and relate as FROST-Server's do, on
// instants and intervals alike; time arithmetic adds durations (calendar months, then exact
// time) and subtracts times into durations. Property paths may cross navigation properties:
// Datastream/Thing/name. Pure.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sta/model.h"

namespace datenwerk::sta {

struct FilterNode;

class Filter {
 public:
  // Bounds that keep one request's parse and evaluation small (a $filter comes from anyone):
  // terms, nesting (the parser and evaluation recurse this deep), and values a node may produce.
  static constexpr size_t kMaxTokens = 2'000;
  static constexpr int kMaxDepth = 64;
  static constexpr size_t kMaxValues = 200'000;

  // Parses and checks every property path against the model. Errors: kInvalidArgument, field
  // "$filter", with the position in the message (also when a bound above is crossed).
  static Result<Filter> Parse(std::string_view text, const EntityDef& def);

  // Values of a property path for the entity under test: one value for a property, several when
  // the path crosses a to-many navigation (the comparison then holds if it holds for any).
  using Resolver =
      std::function<Result<std::vector<boost::json::value>>(const std::vector<std::string>&)>;

  // True when the entity matches; an expression evaluating to null or false does not match.
  // kInvalidArgument when evaluation would cross kMaxValues or compare geometries too large.
  Result<bool> Matches(const Resolver& resolve, int64_t now_ms) const;

  // A span [from_ms, to_ms) that holds the start of `property` (a time, e.g. "phenomenonTime")
  // of every entity the filter can match, read off comparisons of the property with time
  // literals joined by "and" at the top (an instant or an interval: either way its start lies in
  // the span). A store may skip everything outside it; the filter still decides. nullopt when
  // the filter does not bound the property. The time side may be computed without the entity
  // (now() sub duration'P1D'): it is evaluated with `now_ms`, as Matches would.
  struct TimeWindow {
    int64_t from_ms;
    int64_t to_ms;
  };
  std::optional<TimeWindow> WindowOf(std::string_view property, int64_t now_ms) const;
  // The window when the whole filter is such comparisons joined by "and": an entity whose
  // `property` is an instant matches exactly when that instant lies in [from_ms, to_ms), so the
  // filter need not be evaluated for it. nullopt when the filter is anything else.
  std::optional<TimeWindow> ExactWindowOf(std::string_view property, int64_t now_ms) const;

  // N when the filter holds only for entities whose `path` equals the integer N: a comparison
  // `path eq N` (either way round) among the terms joined by "and" at the top. A store may read
  // only what has it; the filter still decides. nullopt otherwise.
  std::optional<int64_t> IntegerEqualityOf(const std::vector<std::string>& path) const;

  Filter(Filter&&) noexcept;
  Filter& operator=(Filter&&) noexcept;
  ~Filter();

 private:
  explicit Filter(std::unique_ptr<FilterNode> root);
  std::unique_ptr<FilterNode> root_;
};

}  // namespace datenwerk::sta
