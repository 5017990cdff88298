// The on-disk layout of the observation store, private to it: zstd-coded chunks per datastream
// (series/chunk_codec.h), the aggregates of points that retention dropped, the latest point and
// retention per datastream. Functions run inside the caller's transaction (SQLite or PostgreSQL
// alike); not thread-safe.
//
// Invariants: the chunks of a series do not overlap in time, so the one that starts last ends
// last, and at most one chunk starting before a time can hold points at or after it. Hourly and
// daily aggregates are computed from the raw points; the archive tables hold them only for
// points no longer kept raw, so a bucket's aggregate is its archive row merged with its raw
// points, and the two never count a point twice.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "series/buckets.h"
#include "series/chunk_codec.h"
#include "store/sql_connection.h"

namespace datenwerk::series::chunks {

// A chunk holds at most kMaxChunkPoints of one series, of any span of time: enough points that
// the per-chunk costs (a row, an index entry, zstd's tables) are a few hundredths of a byte per
// point, and few enough that a query for the last day decodes no more than a few thousand.
// The chunk at the end of a series takes later points until it is full. Full chunks live in
// table `chunk`, written once; the others (growing at a series' end, small ones merged into it
// later, rare partial ones) in `chunk_open`, so the churn of rewrites leaves no half-empty pages
// among the many full ones. The view `chunks` shows both, with a column `is_full`.
inline constexpr size_t kMaxChunkPoints = 8192;
// A small append (at most kSmallAppendPoints new points, all later than every stored point of
// the series) becomes a chunk of its own: one INSERT, where growing the open chunk would read,
// decode, re-encode and rewrite it for every single reading. MergeTail folds such chunks into
// the open chunk once there are TailChunksToMerge of them.
inline constexpr size_t kSmallAppendPoints = 64;
// How many small chunks wait before they are merged: merging rewrites the growing chunk, so a
// series whose growing chunk holds `open_points` waits for about open_points / 128 of them
// (a point added costs at most about 128 points re-encoded), at least 4 (so that a
// series reporting every 15 minutes keeps a few rows of ~60 bytes overhead, not dozens) and at
// most 32.
inline constexpr size_t kMinTailChunks = 4;
inline constexpr size_t kTailChunks = 32;
inline constexpr size_t TailChunksToMerge(size_t open_points) {
  return std::clamp<size_t>(open_points / 128, kMinTailChunks, kTailChunks);
}

// Creates the tables in the dialect of `tx` ("sqlite" or "postgresql"), and converts the layout
// of earlier releases (hourly and daily rollups of every point) into the archive of dropped points.
Status CreateTables(sql::Tx& tx);

// "ds, the start of its oldest chunk" for every series, from both tables' indexes.
inline constexpr const char* kFirstOfEverySeries =
    "SELECT ds, MIN(m) FROM (SELECT ds, MIN(start_ms) AS m FROM chunk GROUP BY ds UNION ALL "
    "SELECT ds, MIN(start_ms) AS m FROM chunk_open GROUP BY ds) AS t GROUP BY ds";

struct ChunkRow {
  int64_t id;
  int64_t start, end, count;
  std::string data;
  bool full;  // in table `chunk` (else `chunk_open`)
};

// Chunks of `ds` holding points in [from, to_inclusive], oldest first.
Result<std::vector<ChunkRow>> Overlapping(sql::Tx& tx, int64_t ds, int64_t from, int64_t to_inclusive);
// The same one by one, oldest or newest first, while `take` answers true (reads no further than
// a few chunks past the one that said stop).
Status ScanOverlapping(sql::Tx& tx, int64_t ds, int64_t from, int64_t to_inclusive, bool newest_first,
                       const std::function<Result<bool>(const ChunkRow&)>& take);
// Writes sorted, unique points as chunks of at most kMaxChunkPoints.
Status WriteChunks(sql::Tx& tx, int64_t ds, std::span<const Point> points);
// Adds the points to the hourly and daily aggregates of dropped points.
Status Archive(sql::Tx& tx, int64_t ds, std::span<const Point> points);
// Buckets of the archive in [from, to), oldest first: hourly rows, or daily ones when `daily`.
Status EachArchived(sql::Tx& tx, int64_t ds, int64_t from, int64_t to, bool daily,
                    const std::function<void(int64_t bucket, const Accumulator&)>& each);
// Removes the archive's buckets that lie wholly within [from, to).
Status ForgetArchived(sql::Tx& tx, int64_t ds, int64_t from, int64_t to);
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
// Merges the run of chunks that are not full at the end of the series into as few as fit;
// answers how many points the last (growing) one holds then.
Result<size_t> MergeTail(sql::Tx& tx, int64_t ds);
// Removes the points with from <= time < to; returns how many went.
Result<size_t> DeleteRaw(sql::Tx& tx, int64_t ds, int64_t from, int64_t to);
// Moves the raw points older than `cutoff` into the archive; returns how many went.
Result<size_t> ArchiveBefore(sql::Tx& tx, int64_t ds, int64_t cutoff);

}  // namespace datenwerk::series::chunks
