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
CREATE TABLE IF NOT EXISTS chunk_open (id INTEGER PRIMARY KEY, ds INTEGER NOT NULL,
  start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, count INTEGER NOT NULL, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS chunk_open_by_ds ON chunk_open (ds, start_ms);
CREATE VIEW IF NOT EXISTS chunks AS
  SELECT id, ds, start_ms, end_ms, count, data, 1 AS is_full FROM chunk
  UNION ALL SELECT id, ds, start_ms, end_ms, count, data, 0 AS is_full FROM chunk_open;
CREATE TABLE IF NOT EXISTS archive_hour (ds INTEGER NOT NULL, bucket INTEGER NOT NULL,
  count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
  PRIMARY KEY (ds, bucket)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS archive_day (ds INTEGER NOT NULL, bucket INTEGER NOT NULL,
  count INTEGER NOT NULL, sum REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL,
  PRIMARY KEY (ds, bucket)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS latest (ds INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL,
  value REAL NOT NULL);
CREATE TABLE IF NOT EXISTS retention (ds INTEGER PRIMARY KEY, raw_days INTEGER NOT NULL);
)sql";

// The chunks are zstd-coded already: STORAGE EXTERNAL keeps PostgreSQL from trying pglz on them
// (it cannot shrink them and costs CPU at every insert); they are still TOASTed out of line.
constexpr std::string_view kPostgresSchema = R"sql(
CREATE TABLE IF NOT EXISTS chunk (id BIGSERIAL PRIMARY KEY, ds BIGINT NOT NULL,
  start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, count BIGINT NOT NULL, data BYTEA NOT NULL);
ALTER TABLE chunk ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS chunk_by_ds ON chunk (ds, start_ms);
CREATE TABLE IF NOT EXISTS chunk_open (id BIGSERIAL PRIMARY KEY, ds BIGINT NOT NULL,
  start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, count BIGINT NOT NULL, data BYTEA NOT NULL);
ALTER TABLE chunk_open ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS chunk_open_by_ds ON chunk_open (ds, start_ms);
CREATE OR REPLACE VIEW chunks AS
  SELECT id, ds, start_ms, end_ms, count, data, 1 AS is_full FROM chunk
  UNION ALL SELECT id, ds, start_ms, end_ms, count, data, 0 AS is_full FROM chunk_open;
CREATE TABLE IF NOT EXISTS archive_hour (ds BIGINT NOT NULL, bucket BIGINT NOT NULL,
  count BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, min DOUBLE PRECISION NOT NULL,
  max DOUBLE PRECISION NOT NULL, PRIMARY KEY (ds, bucket));
CREATE TABLE IF NOT EXISTS archive_day (ds BIGINT NOT NULL, bucket BIGINT NOT NULL,
  count BIGINT NOT NULL, sum DOUBLE PRECISION NOT NULL, min DOUBLE PRECISION NOT NULL,
  max DOUBLE PRECISION NOT NULL, PRIMARY KEY (ds, bucket));
CREATE TABLE IF NOT EXISTS latest (ds BIGINT PRIMARY KEY, time_ms BIGINT NOT NULL,
  value DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS retention (ds BIGINT PRIMARY KEY, raw_days BIGINT NOT NULL);
)sql";

constexpr BucketSpec kHour{BucketSpec::Unit::kHour, 1};
constexpr BucketSpec kDay{BucketSpec::Unit::kDay, 1};

bool IsSqlite(sql::Tx& tx) { return std::string_view(tx.Dialect()) == "sqlite"; }

// Rows of "SELECT id, start_ms, end_ms, count, data, is_full FROM chunks".
ChunkRow ToChunk(const sql::Row& r) { return {r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Bytes(4), r.Int(5) != 0}; }

const char* TableOf(const ChunkRow& c) { return c.full ? "chunk" : "chunk_open"; }

// The lowest start a chunk holding points at or after `from` can have: the start of the last
// chunk that starts at or before it (chunks do not overlap), else `from`.
Result<int64_t> LowestStart(sql::Tx& tx, int64_t ds, int64_t from) {
  // Per table, each answered from its index's one entry (through the view, SQLite reads them all).
  auto rows = tx.Query("SELECT MAX(m) FROM (SELECT MAX(start_ms) AS m FROM chunk WHERE ds=$1 AND start_ms<=$2 "
                       "UNION ALL SELECT MAX(start_ms) AS m FROM chunk_open WHERE ds=$1 AND start_ms<=$2) AS t",
                       {ds, from});
  if (!rows.ok()) return rows.status();
  return rows->empty() || rows->front().IsNull(0) ? from : rows->front().Int(0);
}

Status DecodeAll(const std::vector<ChunkRow>& chunks, std::vector<Point>& out) {
  for (const ChunkRow& c : chunks) {
    if (Status s = DecodeChunkInto(c.data, out); !s.ok()) return s;
  }
  return Status::Ok();
}

Status DeleteChunks(sql::Tx& tx, const std::vector<ChunkRow>& chunks) {
  for (const ChunkRow& c : chunks) {
    if (auto s = tx.Change(std::string("DELETE FROM ") + TableOf(c) + " WHERE id=$1", {c.id}); !s.ok()) {
      return s.status();
    }
  }
  return Status::Ok();
}

// Earlier releases kept hourly and daily rollups of every point (rollup_hour, rollup_day). The
// archive keeps them only for points no longer kept raw: buckets wholly before a series' first
// raw point move as they are; from the bucket holding that point, the raw points' count and sum
// are taken out (its min and max stay: merged with the raw points' they give the true ones).
Status ConvertRollups(sql::Tx& tx) {
  auto old = IsSqlite(tx) ? tx.Query("SELECT 1 FROM sqlite_master WHERE type='table' AND name='rollup_hour'")
                          : tx.Query("SELECT 1 FROM pg_tables WHERE schemaname=current_schema() AND "
                                     "tablename='rollup_hour'");
  if (!old.ok()) return old.status();
  if (old->empty()) return Status::Ok();
  for (auto [from, into, width] : {std::tuple{"rollup_hour", "archive_hour", kHourMs},
                                   std::tuple{"rollup_day", "archive_day", kDayMs}}) {
    const std::string w = std::to_string(width);
    auto moved = tx.Change(std::string("INSERT INTO ") + into + " SELECT ds, bucket, count, sum, min, max FROM " + from +
                           " r WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.ds=r.ds AND c.start_ms<r.bucket+" + w +
                           ")");
    if (!moved.ok()) return moved.status();
  }
  auto firsts = tx.Query(kFirstOfEverySeries);
  if (!firsts.ok()) return firsts.status();
  for (const sql::Row& f : *firsts) {
    const int64_t ds = f.Int(0), first = f.Int(1);
    for (auto [from, into, spec] : {std::tuple{"rollup_hour", "archive_hour", kHour},
                                    std::tuple{"rollup_day", "archive_day", kDay}}) {
      const int64_t bucket = BucketStart(first, spec);
      auto row = tx.Query(std::string("SELECT count, sum, min, max FROM ") + from + " WHERE ds=$1 AND bucket=$2",
                          {ds, bucket});
      if (!row.ok()) return row.status();
      if (row->empty()) continue;
      auto chunks = Overlapping(tx, ds, bucket, NextBucket(bucket, spec) - 1);
      if (!chunks.ok()) return chunks.status();
      std::vector<Point> raw;
      if (Status s = DecodeAll(*chunks, raw); !s.ok()) return s;
      const sql::Row& r = row->front();
      int64_t count = r.Int(0);
      double sum = r.Real(1);
      for (const Point& p : raw) {
        if (p.time_ms < bucket || p.time_ms >= NextBucket(bucket, spec)) continue;
        --count;
        sum -= p.value;
      }
      if (count <= 0) continue;
      auto put = tx.Change(std::string("INSERT INTO ") + into + " VALUES ($1,$2,$3,$4,$5,$6)",
                           {ds, bucket, count, sum, r.Real(2), r.Real(3)});
      if (!put.ok()) return put.status();
    }
  }
  return tx.Exec("DROP TABLE rollup_hour; DROP TABLE rollup_day;");
}

}  // namespace

Status CreateTables(sql::Tx& tx) {
  if (Status s = tx.Exec(std::string(IsSqlite(tx) ? kSqliteSchema : kPostgresSchema)); !s.ok()) return s;
  return ConvertRollups(tx);
}

Result<std::vector<ChunkRow>> Overlapping(sql::Tx& tx, int64_t ds, int64_t from, int64_t to_inclusive) {
  auto lowest = LowestStart(tx, ds, from);
  if (!lowest.ok()) return lowest.status();
  auto rows = tx.Query("SELECT id, start_ms, end_ms, count, data, is_full FROM chunks WHERE ds=$1 AND "
                       "start_ms>=$2 AND start_ms<=$3 AND end_ms>=$4 ORDER BY start_ms",
                       {ds, *lowest, to_inclusive, from});
  if (!rows.ok()) return rows.status();
  std::vector<ChunkRow> out;
  out.reserve(rows->size());
  for (const sql::Row& r : *rows) out.push_back(ToChunk(r));
  return out;
}

Status ScanOverlapping(sql::Tx& tx, int64_t ds, int64_t from, int64_t to_inclusive, bool newest_first,
                       const std::function<Result<bool>(const ChunkRow&)>& take) {
  auto lowest = LowestStart(tx, ds, from);
  if (!lowest.ok()) return lowest.status();
  // In pages that grow, so a request for the newest few points reads a few chunks, not a year.
  // Chunks of one series do not share a start: the next page begins past the last one seen.
  int64_t after = *lowest;  // ascending: starts at or above this
  int64_t page = 4;
  for (;;) {
    auto rows = newest_first
                    ? tx.Query("SELECT id, start_ms, end_ms, count, data, is_full FROM chunks WHERE ds=$1 AND start_ms<=$2 "
                               "AND end_ms>=$3 AND start_ms>=$4 ORDER BY start_ms DESC LIMIT $5",
                               {ds, to_inclusive, from, *lowest, page})
                    : tx.Query("SELECT id, start_ms, end_ms, count, data, is_full FROM chunks WHERE ds=$1 AND start_ms<=$2 "
                               "AND end_ms>=$3 AND start_ms>=$4 ORDER BY start_ms LIMIT $5",
                               {ds, to_inclusive, from, after, page});
    if (!rows.ok()) return rows.status();
    for (const sql::Row& r : *rows) {
      const ChunkRow chunk = ToChunk(r);
      auto more = take(chunk);
      if (!more.ok()) return more.status();
      if (!*more) return Status::Ok();
      if (newest_first) {
        to_inclusive = chunk.start - 1;
      } else {
        after = chunk.start + 1;
      }
    }
    if (static_cast<int64_t>(rows->size()) < page) return Status::Ok();
    page = std::min<int64_t>(page * 4, 1024);
  }
}

Status WriteChunks(sql::Tx& tx, int64_t ds, std::span<const Point> points) {
  for (size_t at = 0; at < points.size(); at += kMaxChunkPoints) {
    auto part = points.subspan(at, std::min(kMaxChunkPoints, points.size() - at));
    auto block = EncodeChunk(part);
    if (!block.ok()) return block.status();
    // Full chunks are appended to their own table and never rewritten in place, so its pages
    // stay packed; chunks still growing churn only chunk_open.
    const bool full = part.size() == kMaxChunkPoints;
    auto inserted = tx.Change(std::string("INSERT INTO ") + (full ? "chunk" : "chunk_open") +
                                  " (ds, start_ms, end_ms, count, data) VALUES ($1,$2,$3,$4,$5)",
                              {ds, part.front().time_ms, part.back().time_ms, static_cast<int64_t>(part.size()),
                               sql::Blob{std::move(block).value()}});
    if (!inserted.ok()) return inserted.status();
  }
  return Status::Ok();
}

Status Archive(sql::Tx& tx, int64_t ds, std::span<const Point> points) {
  std::map<int64_t, Accumulator> hours, days;
  for (const Point& p : points) {
    hours[BucketStart(p.time_ms, kHour)].Add(p.value);
    days[BucketStart(p.time_ms, kDay)].Add(p.value);
  }
  // SQLite's two-argument min/max are PostgreSQL's LEAST/GREATEST.
  const bool sqlite = IsSqlite(tx);
  for (auto [table, buckets] : {std::pair{std::string("archive_hour"), &hours}, {std::string("archive_day"), &days}}) {
    const std::string& t = table;
    const std::string sql = "INSERT INTO " + t +
                            " VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (ds, bucket) DO UPDATE SET count=" + t +
                            ".count+excluded.count, sum=" + t + ".sum+excluded.sum, min=" +
                            (sqlite ? "min(" : "LEAST(") + t + ".min, excluded.min), max=" +
                            (sqlite ? "max(" : "GREATEST(") + t + ".max, excluded.max)";
    for (const auto& [bucket, a] : *buckets) {
      if (auto s = tx.Change(sql, {ds, bucket, a.count, a.sum, a.min, a.max}); !s.ok()) return s.status();
    }
  }
  return Status::Ok();
}

Status EachArchived(sql::Tx& tx, int64_t ds, int64_t from, int64_t to, bool daily,
                    const std::function<void(int64_t bucket, const Accumulator&)>& each) {
  return tx.Each(daily ? "SELECT bucket, count, sum, min, max FROM archive_day WHERE ds=$1 AND bucket>=$2 AND "
                         "bucket<$3 ORDER BY bucket"
                       : "SELECT bucket, count, sum, min, max FROM archive_hour WHERE ds=$1 AND bucket>=$2 AND "
                         "bucket<$3 ORDER BY bucket",
                 {ds, from, to}, [&](sql::Row& r) {
                   each(r.Int(0), Accumulator{r.Int(1), r.Real(2), r.Real(3), r.Real(4)});
                   return Status::Ok();
                 });
}

Status ForgetArchived(sql::Tx& tx, int64_t ds, int64_t from, int64_t to) {
  // Buckets wholly inside: bucket >= from and bucket + width <= to, written without overflow.
  for (auto [table, width] : {std::pair{"archive_hour", kHourMs}, {"archive_day", kDayMs}}) {
    if (to - from < width) continue;
    auto s = tx.Change(std::string("DELETE FROM ") + table + " WHERE ds=$1 AND bucket>=$2 AND bucket<=$3",
                       {ds, from, to - width});
    if (!s.ok()) return s.status();
  }
  return Status::Ok();
}

Result<std::optional<Point>> LastPoint(sql::Tx& tx, int64_t ds) {
  // start_ms among the columns lets SQLite merge the two tables' index orders (else it sorts).
  auto rows = tx.Query("SELECT data, start_ms FROM chunks WHERE ds=$1 ORDER BY start_ms DESC LIMIT 1", {ds});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Point>();
  auto points = DecodeChunk(rows->front().Bytes(0));
  if (!points.ok()) return points.status();
  if (points->empty()) return std::optional<Point>();
  return std::optional<Point>(points->back());
}

Result<std::optional<int64_t>> FirstTime(sql::Tx& tx, int64_t ds) {
  auto rows = tx.Query("SELECT start_ms FROM chunks WHERE ds=$1 ORDER BY start_ms LIMIT 1", {ds});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows->front().Int(0));
}

Result<size_t> MergeTail(sql::Tx& tx, int64_t ds) {
  // The run at the end: chunk_open's newest rows after the last full chunk, with their data in
  // the same read, so a merge is three statements (this, one DELETE, one INSERT). A not-full
  // chunk that an earlier release kept in `chunk` ends the run, and stays as it is.
  auto tail = tx.Query("SELECT start_ms, count, data FROM chunk_open WHERE ds=$1 AND start_ms > "
                       "COALESCE((SELECT MAX(start_ms) FROM chunk WHERE ds=$1), $2) ORDER BY start_ms DESC LIMIT $3",
                       {ds, std::numeric_limits<int64_t>::min(), static_cast<int64_t>(2 * kTailChunks + 1)});
  if (!tail.ok()) return tail.status();
  if (tail->size() < 2) return tail->empty() ? size_t{0} : static_cast<size_t>(tail->front().Int(1));
  std::vector<Point> merged;
  for (auto r = tail->rbegin(); r != tail->rend(); ++r) {
    if (Status s = DecodeChunkInto(r->Bytes(2), merged); !s.ok()) return s;  // chunks do not overlap
  }
  auto deleted = tx.Change("DELETE FROM chunk_open WHERE ds=$1 AND start_ms>=$2", {ds, tail->back().Int(0)});
  if (!deleted.ok()) return deleted.status();
  if (Status s = WriteChunks(tx, ds, merged); !s.ok()) return s;
  return merged.size() % kMaxChunkPoints;
}

Result<Appended> AppendSorted(sql::Tx& tx, int64_t ds, const std::vector<Point>& points) {
  Appended out;
  out.is_new.assign(points.size(), 0);
  std::vector<char>& is_new = out.is_new;
  if (points.empty()) return out;
  if (points.size() <= kSmallAppendPoints) {
    // The series' newest point (table `latest`, a key lookup, as this transaction sees it) is at
    // or after every stored point. Without one (a new series), the chunk that starts last: chunks
    // do not overlap, so it ends last.
    auto last = tx.Query("SELECT time_ms FROM latest WHERE ds=$1", {ds});
    if (!last.ok()) return last.status();
    if (last->empty()) last = tx.Query("SELECT end_ms FROM chunks WHERE ds=$1 ORDER BY start_ms DESC LIMIT 1", {ds});
    if (!last.ok()) return last.status();
    if (last->empty() || last->front().Int(0) < points.front().time_ms) {
      if (auto s = WriteChunks(tx, ds, points); !s.ok()) return s;
      out.is_new.assign(points.size(), 1);
      out.small_chunk = true;
      return out;
    }
  }
  // One read finds both what the new points overlap and the chunk just before them. A chunk
  // before them that is not full takes them in, so readings that trickle in, in order or late
  // (a backlog beside live data), still end up in well-compressed chunks.
  auto lowest = LowestStart(tx, ds, points.front().time_ms);
  if (!lowest.ok()) return lowest.status();
  auto near = tx.Query("SELECT id, start_ms, end_ms, count, data, is_full FROM chunks WHERE ds=$1 AND start_ms>=$2 "
                       "AND start_ms<=$3 ORDER BY start_ms",
                       {ds, *lowest, points.back().time_ms});
  if (!near.ok()) return near.status();
  std::vector<ChunkRow> replaced;  // chunks the merged points are written over
  std::optional<ChunkRow> before;
  for (const sql::Row& r : *near) {
    ChunkRow c = ToChunk(r);
    if (c.end < points.front().time_ms) {
      before = std::move(c);  // the last one before the new points
      continue;
    }
    replaced.push_back(std::move(c));
  }
  if (replaced.empty() && before && static_cast<size_t>(before->count) < kMaxChunkPoints) {
    replaced.push_back(std::move(*before));
  }
  std::vector<Point> existing;
  if (Status s = DecodeAll(replaced, existing); !s.ok()) return s;
  // Merge: a stored point wins over a new one at the same time.
  bool fresh = false;
  std::vector<Point> merged;
  merged.reserve(existing.size() + points.size());
  size_t i = 0, j = 0;
  while (i < existing.size() || j < points.size()) {
    if (j == points.size() || (i < existing.size() && existing[i].time_ms < points[j].time_ms)) {
      merged.push_back(existing[i++]);
    } else if (i == existing.size() || points[j].time_ms < existing[i].time_ms) {
      fresh = true;
      is_new[j] = 1;
      merged.push_back(points[j++]);
    } else {
      merged.push_back(existing[i++]);
      ++j;  // duplicate
    }
  }
  // Nothing new (a repeated delivery, a re-import): the chunks stay as they are.
  if (!fresh) return out;
  if (replaced.size() == 1 && merged.size() < kMaxChunkPoints && !replaced.front().full) {
    // The usual case, the open chunk grown: rewritten in place.
    auto block = EncodeChunk(merged);
    if (!block.ok()) return block.status();
    auto updated = tx.Change("UPDATE chunk_open SET start_ms=$1, end_ms=$2, count=$3, data=$4 WHERE id=$5",
                             {merged.front().time_ms, merged.back().time_ms, static_cast<int64_t>(merged.size()),
                              sql::Blob{std::move(block).value()}, replaced.front().id});
    if (!updated.ok()) return updated.status();
    return out;
  }
  if (Status s = DeleteChunks(tx, replaced); !s.ok()) return s;
  if (Status s = WriteChunks(tx, ds, merged); !s.ok()) return s;
  return out;
}

Result<size_t> DeleteRaw(sql::Tx& tx, int64_t ds, int64_t from, int64_t to) {
  auto chunks = Overlapping(tx, ds, from, to - 1);
  if (!chunks.ok()) return chunks.status();
  std::vector<Point> points;
  if (Status s = DecodeAll(*chunks, points); !s.ok()) return s;
  std::vector<Point> kept;
  for (const Point& p : points) {
    if (p.time_ms < from || p.time_ms >= to) kept.push_back(p);
  }
  if (kept.size() == points.size()) return size_t{0};
  if (Status s = DeleteChunks(tx, *chunks); !s.ok()) return s;
  if (Status s = WriteChunks(tx, ds, kept); !s.ok()) return s;
  return points.size() - kept.size();
}

Result<size_t> ArchiveBefore(sql::Tx& tx, int64_t ds, int64_t cutoff) {
  // Every chunk starting before the cutoff: wholly older ones, and at most one that straddles it.
  auto rows = tx.Query("SELECT id, start_ms, end_ms, count, data, is_full FROM chunks WHERE ds=$1 AND start_ms<$2 "
                       "ORDER BY start_ms",
                       {ds, cutoff});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return size_t{0};
  std::vector<ChunkRow> chunks;
  for (const sql::Row& r : *rows) chunks.push_back(ToChunk(r));
  std::vector<Point> points;
  if (Status s = DecodeAll(chunks, points); !s.ok()) return s;
  const auto split = static_cast<size_t>(
      std::lower_bound(points.begin(), points.end(), cutoff, [](const Point& p, int64_t t) { return p.time_ms < t; }) -
      points.begin());
  const std::span<const Point> all(points);
  if (Status s = Archive(tx, ds, all.first(split)); !s.ok()) return s;
  if (Status s = DeleteChunks(tx, chunks); !s.ok()) return s;
  if (Status s = WriteChunks(tx, ds, all.subspan(split)); !s.ok()) return s;
  return split;
}

}  // namespace datenwerk::series::chunks
