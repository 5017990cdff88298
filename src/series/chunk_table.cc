#include "series/chunk_table.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

namespace datenwerk::series::chunks {

namespace {

constexpr std::string_view kSqliteSchema = R"sql(
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

// The chunks are Gorilla-coded already: STORAGE EXTERNAL keeps PostgreSQL from trying pglz on
// them (it cannot shrink them and costs CPU at every insert); they are still TOASTed out of line.
constexpr std::string_view kPostgresSchema = R"sql(
CREATE TABLE IF NOT EXISTS chunk (id BIGSERIAL PRIMARY KEY, ds BIGINT NOT NULL,
  start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, count BIGINT NOT NULL, data BYTEA NOT NULL);
ALTER TABLE chunk ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS chunk_by_ds ON chunk (ds, start_ms);
CREATE TABLE IF NOT EXISTS rollup_hour (ds BIGINT NOT NULL, bucket BIGINT NOT NULL,
  count BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, min DOUBLE PRECISION NOT NULL,
  max DOUBLE PRECISION NOT NULL, PRIMARY KEY (ds, bucket));
CREATE TABLE IF NOT EXISTS rollup_day (ds BIGINT NOT NULL, bucket BIGINT NOT NULL,
  count BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, min DOUBLE PRECISION NOT NULL,
  max DOUBLE PRECISION NOT NULL, PRIMARY KEY (ds, bucket));
CREATE TABLE IF NOT EXISTS latest (ds BIGINT PRIMARY KEY, time_ms BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS retention (ds BIGINT PRIMARY KEY, raw_days BIGINT NOT NULL);
)sql";

bool IsSqlite(sql::Tx& tx) { return std::string_view(tx.Dialect()) == "sqlite"; }

ChunkRow ToChunk(const sql::Row& r) { return {r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Bytes(4)}; }

}  // namespace

Status CreateTables(sql::Tx& tx) {
  return tx.Exec(std::string(IsSqlite(tx) ? kSqliteSchema : kPostgresSchema));
}

Result<std::vector<ChunkRow>> Overlapping(sql::Tx& tx, int64_t ds, int64_t from, int64_t to_inclusive) {
  // A chunk lies within one UTC day, so none that starts before from's day reaches it: the
  // index range is one day's chunks, not the whole series before `from`.
  auto rows = tx.Query("SELECT id, start_ms, end_ms, count, data FROM chunk WHERE ds=$1 AND "
                       "start_ms<=$2 AND end_ms>=$3 AND start_ms>=$4 ORDER BY start_ms",
                       {ds, to_inclusive, from, DayOf(from)});
  if (!rows.ok()) return rows.status();
  std::vector<ChunkRow> out;
  out.reserve(rows->size());
  for (const sql::Row& r : *rows) out.push_back(ToChunk(r));
  return out;
}

Status ScanOverlapping(sql::Tx& tx, int64_t ds, int64_t from, int64_t to_inclusive, bool newest_first,
                       const std::function<Result<bool>(const ChunkRow&)>& take) {
  // In pages that grow, so a request for the newest few points reads a few chunks, not a year.
  // Chunks of one series do not share a start: the next page begins past the last one seen.
  int64_t after = std::numeric_limits<int64_t>::min();  // ascending: starts above this
  int64_t page = 4;
  for (;;) {
    // start_ms >= from's day: see Overlapping.
    const int64_t lowest = std::max(after + 1, DayOf(from));
    auto rows = newest_first
                    ? tx.Query("SELECT id, start_ms, end_ms, count, data FROM chunk WHERE ds=$1 AND start_ms<=$2 "
                               "AND end_ms>=$3 AND start_ms>=$4 ORDER BY start_ms DESC LIMIT $5",
                               {ds, to_inclusive, from, DayOf(from), page})
                    : tx.Query("SELECT id, start_ms, end_ms, count, data FROM chunk WHERE ds=$1 AND start_ms<=$2 "
                               "AND end_ms>=$3 AND start_ms>=$4 ORDER BY start_ms LIMIT $5",
                               {ds, to_inclusive, from, lowest, page});
    if (!rows.ok()) return rows.status();
    for (const sql::Row& r : *rows) {
      const ChunkRow chunk = ToChunk(r);
      auto more = take(chunk);
      if (!more.ok()) return more.status();
      if (!*more) return Status::Ok();
      if (newest_first) {
        to_inclusive = chunk.start - 1;
      } else {
        after = chunk.start;
      }
    }
    if (static_cast<int64_t>(rows->size()) < page) return Status::Ok();
    page = std::min<int64_t>(page * 4, 1024);
  }
}

Status DeleteChunk(sql::Tx& tx, int64_t id) { return tx.Query("DELETE FROM chunk WHERE id=$1", {id}).status(); }

Status WriteChunks(sql::Tx& tx, int64_t ds, std::span<const Point> points) {
  for (size_t at = 0, end = 0; at < points.size(); at = end) {
    const int64_t day = DayOf(points[at].time_ms);
    end = at + 1;
    while (end < points.size() && end - at < kMaxChunkPoints && DayOf(points[end].time_ms) == day) ++end;
    auto part = points.subspan(at, end - at);
    auto block = EncodeSeries(part);
    if (!block.ok()) return block.status();
    auto inserted = tx.Query("INSERT INTO chunk (ds, start_ms, end_ms, count, data) VALUES ($1,$2,$3,$4,$5)",
                             {ds, part.front().time_ms, part.back().time_ms, static_cast<int64_t>(part.size()),
                              sql::Blob{std::move(block).value()}});
    if (!inserted.ok()) return inserted.status();
  }
  return Status::Ok();
}

Status AddRollups(sql::Tx& tx, int64_t ds, std::span<const Point> points) {
  std::map<int64_t, Accumulator> hours, days;
  for (const Point& p : points) {
    hours[BucketStart(p.time_ms, {BucketSpec::Unit::kHour, 1})].Add(p.value);
    days[BucketStart(p.time_ms, {BucketSpec::Unit::kDay, 1})].Add(p.value);
  }
  // SQLite's two-argument min/max are PostgreSQL's LEAST/GREATEST.
  const bool sqlite = IsSqlite(tx);
  for (auto [table, rollup] : {std::pair{std::string("rollup_hour"), &hours}, {std::string("rollup_day"), &days}}) {
    const std::string t = table;
    const std::string sql = "INSERT INTO " + t +
                            " VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (ds, bucket) DO UPDATE SET count=" + t +
                            ".count+excluded.count, sum=" + t + ".sum+excluded.sum, min=" +
                            (sqlite ? "min(" : "LEAST(") + t + ".min, excluded.min), max=" +
                            (sqlite ? "max(" : "GREATEST(") + t + ".max, excluded.max)";
    for (const auto& [bucket, a] : *rollup) {
      auto s = tx.Query(sql, {ds, bucket, a.count, a.sum, a.min, a.max});
      if (!s.ok()) return s.status();
    }
  }
  return Status::Ok();
}

Result<std::optional<Point>> LastPoint(sql::Tx& tx, int64_t ds) {
  auto rows = tx.Query("SELECT data FROM chunk WHERE ds=$1 ORDER BY start_ms DESC LIMIT 1", {ds});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Point>();
  auto points = DecodeSeries(rows->front().Bytes(0));
  if (!points.ok()) return points.status();
  if (points->empty()) return std::optional<Point>();
  return std::optional<Point>(points->back());
}

Result<std::optional<int64_t>> FirstTime(sql::Tx& tx, int64_t ds) {
  auto rows = tx.Query("SELECT start_ms FROM chunk WHERE ds=$1 ORDER BY start_ms LIMIT 1", {ds});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows->front().Int(0));
}

Status MergeTail(sql::Tx& tx, int64_t ds) {
  auto newest = tx.Query("SELECT start_ms, count FROM chunk WHERE ds=$1 ORDER BY start_ms DESC LIMIT $2",
                         {ds, static_cast<int64_t>(2 * kTailChunks + 1)});
  if (!newest.ok()) return newest.status();
  size_t run = 0;
  int64_t from = 0;
  for (const sql::Row& r : *newest) {
    if (static_cast<size_t>(r.Int(1)) >= kOpenChunkPoints) break;
    if (run > 0 && DayOf(r.Int(0)) != DayOf(from)) break;
    from = r.Int(0);
    ++run;
  }
  if (run < 2) return Status::Ok();
  auto tail = tx.Query("SELECT data FROM chunk WHERE ds=$1 AND start_ms>=$2 ORDER BY start_ms", {ds, from});
  if (!tail.ok()) return tail.status();
  std::vector<Point> merged;
  for (const sql::Row& r : *tail) {
    auto decoded = DecodeSeries(r.Bytes(0));
    if (!decoded.ok()) return decoded.status();
    merged.insert(merged.end(), decoded->begin(), decoded->end());  // chunks do not overlap
  }
  // The same rows as read, in one statement (one per chunk was a statement per single write).
  auto deleted = tx.Query("DELETE FROM chunk WHERE ds=$1 AND start_ms>=$2", {ds, from});
  if (!deleted.ok()) return deleted.status();
  return WriteChunks(tx, ds, merged);
}

Result<Appended> AppendSorted(sql::Tx& tx, int64_t ds, const std::vector<Point>& points) {
  Appended out;
  out.is_new.assign(points.size(), 0);
  std::vector<char>& is_new = out.is_new;
  if (points.empty()) return out;
  if (points.size() <= kSmallAppendPoints && DayOf(points.front().time_ms) == DayOf(points.back().time_ms)) {
    // Chunks do not overlap, so the one that starts last ends last.
    auto last = tx.Query("SELECT end_ms FROM chunk WHERE ds=$1 ORDER BY start_ms DESC LIMIT 1", {ds});
    if (!last.ok()) return last.status();
    if (last->empty() || last->front().Int(0) < points.front().time_ms) {
      if (auto s = WriteChunks(tx, ds, points); !s.ok()) return s;
      if (auto s = AddRollups(tx, ds, points); !s.ok()) return s;
      out.is_new.assign(points.size(), 1);
      out.small_chunk = true;
      return out;
    }
  }
  // One read finds both what the new points overlap and the chunk just before them of the same
  // day: chunks of first's day on, starting no later than the last new point (chunks lie within
  // one UTC day). A chunk before them that is small takes them in, so readings that trickle in,
  // in order or late (a backlog beside live data), still end up in well-compressed chunks.
  auto near = tx.Query("SELECT id, start_ms, end_ms, count, data FROM chunk WHERE ds=$1 AND start_ms<=$2 "
                       "AND start_ms>=$3 ORDER BY start_ms",
                       {ds, points.back().time_ms, DayOf(points.front().time_ms)});
  if (!near.ok()) return near.status();
  std::vector<Point> existing;
  std::vector<int64_t> replaced;  // chunks the merged points are written over
  std::optional<ChunkRow> before;
  for (const sql::Row& r : *near) {
    ChunkRow c = ToChunk(r);
    if (c.end < points.front().time_ms) {
      before = std::move(c);  // the last one before the new points
      continue;
    }
    auto decoded = DecodeSeries(c.data);
    if (!decoded.ok()) return decoded.status();
    existing.insert(existing.end(), decoded->begin(), decoded->end());
    replaced.push_back(c.id);
  }
  if (replaced.empty() && before && static_cast<size_t>(before->count) < kOpenChunkPoints) {
    auto decoded = DecodeSeries(before->data);
    if (!decoded.ok()) return decoded.status();
    existing = std::move(decoded).value();
    replaced.push_back(before->id);
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
  if (fresh.empty()) return out;
  if (replaced.size() == 1 && merged.size() <= kMaxChunkPoints && DayOf(merged.front().time_ms) == DayOf(merged.back().time_ms)) {
    // The usual case, one chunk grown: rewritten in place.
    auto block = EncodeSeries(merged);
    if (!block.ok()) return block.status();
    auto updated = tx.Query("UPDATE chunk SET start_ms=$1, end_ms=$2, count=$3, data=$4 WHERE id=$5",
                            {merged.front().time_ms, merged.back().time_ms, static_cast<int64_t>(merged.size()),
                             sql::Blob{std::move(block).value()}, replaced.front()});
    if (!updated.ok()) return updated.status();
  } else {
    for (int64_t id : replaced) {
      if (auto s = DeleteChunk(tx, id); !s.ok()) return s;
    }
    if (auto s = WriteChunks(tx, ds, merged); !s.ok()) return s;
  }
  if (auto s = AddRollups(tx, ds, fresh); !s.ok()) return s;
  return out;
}

}  // namespace datenwerk::series::chunks
