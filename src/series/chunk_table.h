// The on-disk layout of the observation store, private to it: Gorilla-coded chunks per
// datastream and day, hourly and daily rollups, the latest point and retention per datastream.
// Functions run inside the caller's transaction (SQLite or PostgreSQL alike); not thread-safe.
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
#include "store/sql_connection.h"

namespace datenwerk::series::chunks {

// A chunk holds at most kMaxChunkPoints of one UTC day (so retention drops whole days); one with
// fewer than kOpenChunkPoints at the end of a series takes later points of its day, so trickling
// sensors still end up in well-compressed chunks.
inline constexpr size_t kMaxChunkPoints = 4096;
inline constexpr size_t kOpenChunkPoints = 1024;
// A small append (at most kSmallAppendPoints new points of one day, all later than every stored
// point of the series) becomes a chunk of its own: one INSERT, where growing the open chunk would
// read, decode, re-encode and rewrite it for every single reading. MergeTail folds such chunks
// into the open chunk once there are kTailChunks of them.
inline constexpr size_t kSmallAppendPoints = 64;
inline constexpr size_t kTailChunks = 32;

// The tables, in the dialect of `tx` ("sqlite" or "postgresql").
Status CreateTables(sql::Tx& tx);

struct ChunkRow {
  int64_t id;
  int64_t start, end, count;
  std::string data;
};

inline int64_t DayOf(int64_t time_ms) { return BucketStart(time_ms, {BucketSpec::Unit::kDay, 1}); }

// Chunks of `ds` whose time range meets [from, to_inclusive], oldest first.
Result<std::vector<ChunkRow>> Overlapping(sql::Tx& tx, int64_t ds, int64_t from, int64_t to_inclusive);
// The same one by one, oldest or newest first, while `take` answers true (reads no further than
// a few chunks past the one that said stop).
Status ScanOverlapping(sql::Tx& tx, int64_t ds, int64_t from, int64_t to_inclusive, bool newest_first,
                       const std::function<Result<bool>(const ChunkRow&)>& take);
Status DeleteChunk(sql::Tx& tx, int64_t id);
// Writes sorted, unique points as chunks of at most kMaxChunkPoints within one UTC day.
Status WriteChunks(sql::Tx& tx, int64_t ds, std::span<const Point> points);
// Adds the points to the hourly and daily rollups.
Status AddRollups(sql::Tx& tx, int64_t ds, std::span<const Point> points);
// The newest stored point of `ds`.
Result<std::optional<Point>> LastPoint(sql::Tx& tx, int64_t ds);
// The time of the oldest stored point of `ds`.
Result<std::optional<int64_t>> FirstTime(sql::Tx& tx, int64_t ds);
// Stores sorted, unique points; marks which were new (a stored point at the same time wins).
struct Appended {
  std::vector<char> is_new;
  bool small_chunk = false;  // stored as a small chunk of its own (see kSmallAppendPoints)
};
Result<Appended> AppendSorted(sql::Tx& tx, int64_t ds, const std::vector<Point>& points);
// Merges the run of chunks smaller than kOpenChunkPoints at the end of the series (within its
// newest day) into as few chunks as fit.
Status MergeTail(sql::Tx& tx, int64_t ds);

}  // namespace datenwerk::series::chunks
