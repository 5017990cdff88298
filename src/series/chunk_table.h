// The on-disk layout of the observation store, private to it: Gorilla-coded chunks per
// datastream and day, hourly and daily rollups, the latest point and retention per datastream.
// Functions run on the caller's connection inside the caller's transaction; not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "series/buckets.h"
#include "series/gorilla.h"
#include "store/sqlite_db.h"

namespace datenwerk::series::chunks {

// A chunk holds at most kMaxChunkPoints of one UTC day (so retention drops whole days); one with
// fewer than kOpenChunkPoints at the end of a series takes later points of its day, so trickling
// sensors still end up in well-compressed chunks.
inline constexpr size_t kMaxChunkPoints = 4096;
inline constexpr size_t kOpenChunkPoints = 1024;

inline constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS chunk (id INTEGER PRIMARY KEY, ds INTEGER NOT NULL,
  start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, count INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS chunk_by_ds ON chunk (ds, start_ms);
CREATE TABLE IF NOT EXISTS rollup_hour (ds INTEGER NOT NULL, bucket INTEGER NOT NULL,
  count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
  PRIMARY KEY (ds, bucket)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rollup_day (ds INTEGER NOT NULL, bucket INTEGER NOT NULL,
  count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
  PRIMARY KEY (ds, bucket)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS latest (ds INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,
  value REAL NOT NULL);
CREATE TABLE IF NOT EXISTS retention (ds INTEGER PRIMARY KEY, raw_days INTEGER NOT NULL);
)sql";

struct ChunkRow {
  int64_t id;
  int64_t start, end, count;
  std::string data;
};

inline int64_t DayOf(int64_t time_ms) { return BucketStart(time_ms, {BucketSpec::Unit::kDay, 1}); }

Status Run(sqlite::Statement& q);
// Chunks of `ds` whose time range meets [from, to_inclusive], oldest first.
Result<std::vector<ChunkRow>> Overlapping(sqlite3* db, int64_t ds, int64_t from,
                                          int64_t to_inclusive);
// The same one by one, oldest or newest first, while `take` answers true (reads no further).
Status ScanOverlapping(sqlite3* db, int64_t ds, int64_t from, int64_t to_inclusive,
                       bool newest_first, const std::function<Result<bool>(const ChunkRow&)>& take);
Status DeleteChunk(sqlite3* db, int64_t id);
// Writes sorted, unique points as chunks of at most kMaxChunkPoints within one UTC day.
Status WriteChunks(sqlite3* db, int64_t ds, std::span<const Point> points);
// Adds the points to the hourly and daily rollups.
Status AddRollups(sqlite3* db, int64_t ds, std::span<const Point> points);
// The newest stored point of `ds`.
Result<std::optional<Point>> LastPoint(sqlite3* db, int64_t ds);
// Stores sorted, unique points; marks which were new (a stored point at the same time wins).
Result<std::vector<char>> AppendSorted(sqlite3* db, int64_t ds, const std::vector<Point>& points);

}  // namespace datenwerk::series::chunks
