// The time-series changes one write transaction of the tiered store collects: new points (at
// most one per datastream and second), removed points and ranges, and dropped series. Applied to
// the series store in the same transaction when its work succeeded, or forgotten. Not thread-safe (the
// tiered store holds its lock while it uses it).
#pragma once

#include <cstdint>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "core/status.h"
#include "series/observation_store.h"

namespace datenwerk::sta {

class SeriesChanges {
 public:
  // The new point of `ds` within `second`, if one is pending.
  series::Point* FindNew(int64_t ds, int64_t second);
  void AddNew(int64_t ds, const series::Point& point);
  void EraseNew(int64_t ds, int64_t second);
  // Drops the new points of `ds` in [from_ms, to_ms); returns how many.
  int64_t EraseNewRange(int64_t ds, int64_t from_ms, int64_t to_ms);

  void RemovePoint(int64_t ds, int64_t time_ms) { removals_.emplace_back(ds, time_ms); }
  void RemoveRange(int64_t ds, int64_t from_ms, int64_t to_ms) {
    ranges_.emplace_back(ds, from_ms, to_ms);
  }
  void DropSeries(int64_t ds);
  // Whether a stored point of `ds` within `second` is being removed.
  bool Removes(int64_t ds, int64_t second) const;

  // Drops, removals, then new points, into `store` within the caller's transaction `tx`; what
  // the store must do after the commit goes to `effects`.
  Status ApplyIn(series::ObservationStore& store, sql::Tx& tx, series::SeriesEffects& effects);
  void Clear();

 private:
  struct NewPoints {
    std::vector<series::Point> points;
    bool sorted = true;
  };
  std::map<int64_t, NewPoints> new_;                             // datastream -> new points
  std::vector<std::pair<int64_t, int64_t>> removals_;            // (datastream, time_ms)
  std::vector<std::tuple<int64_t, int64_t, int64_t>> ranges_;    // (datastream, from, to)
  std::vector<int64_t> drops_;
};

}  // namespace datenwerk::sta
