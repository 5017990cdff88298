#include "series/chunk_table.h"

#include <map>

namespace datenwerk::series::chunks {

using sqlite::Statement;

Status Run(Statement& q) {
  q.Step();
  return q.status();
}

Result<std::vector<ChunkRow>> Overlapping(sqlite3* db, int64_t ds, int64_t from,
                                            int64_t to_inclusive) {
  Statement q(db, "SELECT id, start_ms, end_ms, count, data FROM chunk WHERE ds=? AND "
                  "start_ms<=? AND end_ms>=? ORDER BY start_ms");
  q.Bind(1, ds).Bind(2, to_inclusive).Bind(3, from);
  std::vector<ChunkRow> out;
  while (q.Step()) {
    out.push_back({q.Int(0), q.Int(1), q.Int(2), q.Int(3), std::string(q.Blob(4))});
  }
  if (!q.status().ok()) return q.status();
  return out;
}

Status ScanOverlapping(sqlite3* db, int64_t ds, int64_t from, int64_t to_inclusive,
                       bool newest_first, const std::function<Result<bool>(const ChunkRow&)>& take) {
  Statement q(db, newest_first ? "SELECT id, start_ms, end_ms, count, data FROM chunk WHERE ds=? "
                                 "AND start_ms<=? AND end_ms>=? ORDER BY start_ms DESC"
                               : "SELECT id, start_ms, end_ms, count, data FROM chunk WHERE ds=? "
                                 "AND start_ms<=? AND end_ms>=? ORDER BY start_ms");
  q.Bind(1, ds).Bind(2, to_inclusive).Bind(3, from);
  while (q.Step()) {
    auto more = take({q.Int(0), q.Int(1), q.Int(2), q.Int(3), std::string(q.Blob(4))});
    if (!more.ok()) return more.status();
    if (!*more) return Status::Ok();
  }
  return q.status();
}

Status DeleteChunk(sqlite3* db, int64_t id) {
  Statement q(db, "DELETE FROM chunk WHERE id=?");
  q.Bind(1, id);
  return Run(q);
}

// Writes sorted, unique points as chunks of at most kMaxChunkPoints within one UTC day.
Status WriteChunks(sqlite3* db, int64_t ds, std::span<const Point> points) {
  Statement q(db,
              "INSERT INTO chunk (ds, start_ms, end_ms, count, data) VALUES (?,?,?,?,?)");
  for (size_t at = 0, end = 0; at < points.size(); at = end) {
    const int64_t day = DayOf(points[at].time_ms);
    end = at + 1;
    while (end < points.size() && end - at < kMaxChunkPoints &&
           DayOf(points[end].time_ms) == day) {
      ++end;
    }
    auto part = points.subspan(at, end - at);
    auto block = EncodeSeries(part);
    if (!block.ok()) return block.status();
    q.Reset();
    q.Bind(1, ds).Bind(2, part.front().time_ms).Bind(3, part.back().time_ms);
    q.Bind(4, static_cast<int64_t>(part.size())).BindBlob(5, *block);
    if (auto s = Run(q); !s.ok()) return s;
  }
  return Status::Ok();
}

Status AddRollups(sqlite3* db, int64_t ds, std::span<const Point> points) {
  std::map<int64_t, Accumulator> hours, days;
  for (const Point& p : points) {
    hours[BucketStart(p.time_ms, {BucketSpec::Unit::kHour, 1})].Add(p.value);
    days[BucketStart(p.time_ms, {BucketSpec::Unit::kDay, 1})].Add(p.value);
  }
  for (auto [table, rollup] : {std::pair{"rollup_hour", &hours}, {"rollup_day", &days}}) {
    Statement q(db,
                std::string("INSERT INTO ") + table +
                    " VALUES (?,?,?,?,?,?) ON CONFLICT (ds, bucket) DO UPDATE SET "
                    "count=count+excluded.count, sum=sum+excluded.sum, "
                    "min=min(min, excluded.min), max=max(max, excluded.max)");
    for (const auto& [bucket, a] : *rollup) {
      q.Reset();
      q.Bind(1, ds).Bind(2, bucket).Bind(3, a.count).Bind(4, std::optional<double>(a.sum));
      q.Bind(5, std::optional<double>(a.min)).Bind(6, std::optional<double>(a.max));
      if (auto s = Run(q); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Result<std::optional<Point>> LastPoint(sqlite3* db, int64_t ds) {
  Statement q(db,
              "SELECT data FROM chunk WHERE ds=? ORDER BY start_ms DESC LIMIT 1");
  q.Bind(1, ds);
  if (!q.Step()) {
    if (!q.status().ok()) return q.status();
    return std::optional<Point>();
  }
  auto points = DecodeSeries(q.Blob(0));
  if (!points.ok()) return points.status();
  if (points->empty()) return std::optional<Point>();
  return std::optional<Point>(points->back());
}

// Stores the points of one datastream (sorted, unique); marks which were new (not stored yet).
Result<std::vector<char>> AppendSorted(sqlite3* db, int64_t ds, const std::vector<Point>& points) {
  std::vector<char> is_new(points.size(), 0);
  if (points.empty()) return is_new;
  auto overlapping = Overlapping(db, ds, points.front().time_ms, points.back().time_ms);
  if (!overlapping.ok()) return overlapping.status();
  std::vector<Point> existing;
  std::vector<int64_t> replaced;  // chunks the merged points are written over
  if (overlapping->empty()) {
    // The usual case: later than everything stored. Extend a small last chunk.
    Statement q(db, "SELECT id, start_ms, end_ms, count, data FROM chunk WHERE "
                               "ds=? ORDER BY start_ms DESC LIMIT 1");
    q.Bind(1, ds);
    if (q.Step() && static_cast<size_t>(q.Int(3)) < kOpenChunkPoints &&
        q.Int(2) < points.front().time_ms && DayOf(q.Int(1)) == DayOf(points.front().time_ms)) {
      auto decoded = DecodeSeries(q.Blob(4));
      if (!decoded.ok()) return decoded.status();
      existing = std::move(decoded).value();
      replaced.push_back(q.Int(0));
    }
    if (!q.status().ok()) return q.status();
  } else {
    for (const ChunkRow& c : *overlapping) {
      auto decoded = DecodeSeries(c.data);
      if (!decoded.ok()) return decoded.status();
      existing.insert(existing.end(), decoded->begin(), decoded->end());
      replaced.push_back(c.id);
    }
  }
  // Merge: a stored point wins over a new one at the same time.
  std::vector<Point> fresh;
  std::vector<Point> merged;
  merged.reserve(existing.size() + points.size());
  size_t i = 0, j = 0;
  while (i < existing.size() || j < points.size()) {
    if (j == points.size() || (i < existing.size() && existing[i].time_ms < points[j].time_ms)) {
      merged.push_back(existing[i++]);
    } else if (i == existing.size() || points[j].time_ms < existing[i].time_ms) {
      fresh.push_back(points[j]);
      is_new[j] = 1;
      merged.push_back(points[j++]);
    } else {
      merged.push_back(existing[i++]);
      ++j;  // duplicate
    }
  }
  // Nothing new (a repeated delivery, a re-import): the chunks stay as they are.
  if (fresh.empty()) return is_new;
  for (int64_t id : replaced) {
    if (auto s = DeleteChunk(db, id); !s.ok()) return s;
  }
  if (auto s = WriteChunks(db, ds, merged); !s.ok()) return s;
  if (auto s = AddRollups(db, ds, fresh); !s.ok()) return s;
  return is_new;
}

}  // namespace datenwerk::series::chunks
