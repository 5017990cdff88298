#include "sta/series_changes.h"

#include <algorithm>

#include "series/appended.h"

namespace datenwerk::sta {

using series::Point;

Point* SeriesChanges::FindNew(int64_t ds, int64_t second) {
  auto it = new_.find(ds);
  if (it == new_.end() || it->second.points.empty()) return nullptr;
  NewPoints& p = it->second;
  if (p.sorted && p.points.back().time_ms / 1000 < second) return nullptr;  // in-order ingest
  if (!p.sorted) {
    std::sort(p.points.begin(), p.points.end(),
              [](const Point& a, const Point& b) { return a.time_ms < b.time_ms; });
    p.sorted = true;
  }
  auto at = std::lower_bound(p.points.begin(), p.points.end(), second,
                             [](const Point& a, int64_t s) { return a.time_ms / 1000 < s; });
  return at != p.points.end() && at->time_ms / 1000 == second ? &*at : nullptr;
}

void SeriesChanges::AddNew(int64_t ds, const Point& point) {
  NewPoints& p = new_[ds];
  if (!p.points.empty() && point.time_ms < p.points.back().time_ms) p.sorted = false;
  p.points.push_back(point);
}

void SeriesChanges::EraseNew(int64_t ds, int64_t second) {
  if (Point* p = FindNew(ds, second)) {
    auto& points = new_[ds].points;
    points.erase(points.begin() + (p - points.data()));
  }
}

int64_t SeriesChanges::EraseNewRange(int64_t ds, int64_t from_ms, int64_t to_ms) {
  auto it = new_.find(ds);
  if (it == new_.end()) return 0;
  return static_cast<int64_t>(std::erase_if(it->second.points, [&](const Point& p) {
    return p.time_ms >= from_ms && p.time_ms < to_ms;
  }));
}

void SeriesChanges::DropSeries(int64_t ds) {
  new_.erase(ds);
  drops_.push_back(ds);
}

bool SeriesChanges::Removes(int64_t ds, int64_t second) const {
  for (const auto& [removed, time] : removals_) {
    if (removed == ds && time / 1000 == second) return true;
  }
  for (const auto& [removed, from, to] : ranges_) {
    if (removed == ds && from <= second * 1000 && second * 1000 + 999 < to) return true;
  }
  return false;
}

Status SeriesChanges::ApplyIn(series::ObservationStore& store, sql::Tx& tx, series::SeriesEffects& effects) {
  for (int64_t ds : drops_) {
    if (auto s = store.DropSeriesIn(tx, ds, effects); !s.ok()) return s;
  }
  for (const auto& [ds, time] : removals_) {
    if (auto s = store.DeleteRangeIn(tx, ds, time, time + 1, effects); !s.ok()) return s.status();
  }
  for (const auto& [ds, from, to] : ranges_) {
    if (auto s = store.DeleteRangeIn(tx, ds, from, to, effects); !s.ok()) return s.status();
  }
  std::vector<series::SeriesBatch> batches;
  for (auto& [ds, fresh] : new_) {
    if (!fresh.points.empty()) batches.push_back({ds, std::move(fresh.points)});
  }
  if (batches.empty()) return Status::Ok();
  // The other nodes hear of the new readings when this commits (the alert engine runs on one).
  std::vector<series::AppendedRun> runs;
  runs.reserve(batches.size());
  for (const series::SeriesBatch& b : batches) runs.push_back({b.datastream, b.points});
  if (Status s = series::AnnounceAppended(tx, runs); !s.ok()) return s;
  std::vector<std::vector<series::SeriesBatch>> one;
  one.push_back(std::move(batches));
  return store.AppendGroupIn(tx, std::move(one), effects).status();
}

void SeriesChanges::Clear() {
  new_.clear();
  removals_.clear();
  ranges_.clear();
  drops_.clear();
}

}  // namespace datenwerk::sta
