#include "series/observation_store.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "core/thread_annotations.h"
#include "series/chunk_table.h"

namespace datenwerk::series {

namespace {

using namespace chunks;  // NOLINT: the store's own on-disk layout

// A point and the request it came with.
struct Tagged {
  Point point;
  uint32_t owner;
};

class SqlObservationStore final : public ObservationStore {
 public:
  SqlObservationStore(sql::Connection& db, std::unique_ptr<sql::Connection> owned)
      : owned_(std::move(owned)), db_(db) {}

  Status Init() {
    if (Status s = db_.Write([](sql::Tx& tx) { return CreateTables(tx); }); !s.ok()) return s;
    return db_.Read([&](sql::Tx& tx) -> Status {
      auto latest = tx.Query("SELECT ds, time_ms, value FROM latest");
      if (!latest.ok()) return latest.status();
      auto firsts = tx.Query(kFirstOfEverySeries);
      if (!firsts.ok()) return firsts.status();
      WriterLock lock(latest_mu_);
      for (const sql::Row& r : *latest) latest_[r.Int(0)] = Point{r.Int(1), r.Real(2)};
      for (const sql::Row& r : *firsts) first_[r.Int(0)] = r.Int(1);
      return Status::Ok();
    });
  }

  sql::Connection& database() override { return db_; }

  // Counts a small chunk at the end of `ds`; true when the tail should be merged. Only a hint
  // (writes are serialised; a rolled-back write or a restart miscounts, which merges a little
  // early or late).
  // Whether the series' small chunks should be merged now: after chunks::TailChunksToMerge of
  // them for the size its growing chunk had at the last merge (unknown: the fewest).
  bool CountSmallChunk(int64_t ds) EXCLUDES(tail_mu_) {
    MutexLock lock(tail_mu_);
    if (tails_.size() > kMaxTrackedSeries) tails_.clear();
    Tail& tail = tails_[ds];
    return ++tail.small_chunks >= chunks::TailChunksToMerge(tail.open_points);
  }
  void NoteMerged(int64_t ds, size_t open_points) EXCLUDES(tail_mu_) {
    MutexLock lock(tail_mu_);
    tails_[ds] = Tail{0, open_points};
  }

  // Runs one of the "In" writes in a transaction of its own.
  template <typename T, typename F>
  Result<T> OwnWrite(F&& write) {
    SeriesEffects effects;
    Result<T> out = T{};
    Status s = db_.Write(
        [&](sql::Tx& tx) {
          out = write(tx, effects);
          return out.status();
        },
        [&](const Status& outcome) {
          if (outcome.ok()) Committed(effects);
        });
    if (!s.ok()) return s;
    return out;
  }

  Result<IngestStats> Append(std::vector<SeriesBatch> batches) override {
    std::vector<std::vector<SeriesBatch>> one;
    one.push_back(std::move(batches));
    auto stats = AppendGroup(std::move(one));
    if (!stats.ok()) return stats.status();
    return stats->front();
  }

  Result<std::vector<IngestStats>> AppendGroup(std::vector<std::vector<SeriesBatch>> requests) override {
    for (const auto& r : requests) {
      if (Status s = ValidateBatches(r); !s.ok()) return s;
    }
    return OwnWrite<std::vector<IngestStats>>(
        [&](sql::Tx& tx, SeriesEffects& effects) { return AppendGroupIn(tx, std::move(requests), effects); });
  }

  Result<std::vector<IngestStats>> AppendGroupIn(sql::Tx& tx, std::vector<std::vector<SeriesBatch>> requests,
                                                 SeriesEffects& effects) override {
    std::map<int64_t, std::vector<Tagged>> by_stream;
    std::vector<IngestStats> stats(requests.size());
    for (uint32_t owner = 0; owner < requests.size(); ++owner) {
      if (Status s = ValidateBatches(requests[owner]); !s.ok()) return s;
      for (SeriesBatch& b : requests[owner]) {
        auto& into = by_stream[b.datastream];
        for (const Point& p : b.points) into.push_back({p, owner});
      }
    }
    for (auto& [ds, tagged] : by_stream) {
      // Earlier requests first at equal times, so they win.
      std::stable_sort(tagged.begin(), tagged.end(),
                       [](const Tagged& a, const Tagged& b) { return a.point.time_ms < b.point.time_ms; });
      std::vector<Point> points;
      std::vector<uint32_t> owners;
      for (size_t i = 0; i < tagged.size(); ++i) {
        if (i > 0 && tagged[i].point.time_ms == tagged[i - 1].point.time_ms) {
          ++stats[tagged[i].owner].duplicates;
          continue;
        }
        points.push_back(tagged[i].point);
        owners.push_back(tagged[i].owner);
      }
      auto appended = AppendSorted(tx, ds, points);
      if (!appended.ok()) return appended.status();
      if (appended->small_chunk && CountSmallChunk(ds)) {
        auto open_points = MergeTail(tx, ds);
        if (!open_points.ok()) return open_points.status();
        NoteMerged(ds, *open_points);
      }
      const std::vector<char>* fresh = &appended->is_new;
      const Point* first_new = nullptr;
      const Point* last_new = nullptr;
      for (size_t i = 0; i < points.size(); ++i) {
        if ((*fresh)[i]) {
          ++stats[owners[i]].stored;
          if (!first_new) first_new = &points[i];
          last_new = &points[i];
        } else {
          ++stats[owners[i]].duplicates;
        }
      }
      if (!last_new) continue;
      auto latest = tx.Query(
          "INSERT INTO latest VALUES ($1,$2,$3) ON CONFLICT (ds) DO UPDATE SET time_ms=excluded.time_ms, "
          "value=excluded.value WHERE excluded.time_ms >= latest.time_ms",
          {ds, last_new->time_ms, last_new->value});
      if (!latest.ok()) return latest.status();
      effects.push_back({SeriesEffect::Kind::kWiden, ds, *last_new, first_new->time_ms, {}});
    }
    return stats;
  }

  void Committed(const SeriesEffects& effects) override {
    WriterLock lock(latest_mu_);
    for (const SeriesEffect& e : effects) {
      switch (e.kind) {
        case SeriesEffect::Kind::kWiden: {
          auto it = latest_.find(e.datastream);
          if (e.latest && (it == latest_.end() || it->second.time_ms <= e.latest->time_ms)) {
            latest_[e.datastream] = *e.latest;
          }
          if (e.first) {
            auto [f, fresh] = first_.try_emplace(e.datastream, *e.first);
            if (!fresh) f->second = std::min(f->second, *e.first);
          }
          break;
        }
        case SeriesEffect::Kind::kSet:
          if (e.latest) {
            latest_[e.datastream] = *e.latest;
          } else {
            latest_.erase(e.datastream);
          }
          if (e.first) {
            first_[e.datastream] = *e.first;
          } else {
            first_.erase(e.datastream);
          }
          break;
        case SeriesEffect::Kind::kResetFirsts:
          first_.clear();
          first_.insert(e.firsts.begin(), e.firsts.end());
          break;
      }
    }
  }

  std::optional<int64_t> FirstTime(int64_t datastream) const override {
    if (shared_) {
      auto rows = sql::ReadQuery(db_,
                                 "SELECT MIN(m) FROM (SELECT MIN(start_ms) AS m FROM chunk WHERE ds = $1 UNION ALL "
                                 "SELECT MIN(start_ms) AS m FROM chunk_open WHERE ds = $1) AS t",
                                 {datastream});
      if (!rows.ok() || rows->empty() || rows->front().IsNull(0)) return std::nullopt;
      return rows->front().Int(0);
    }
    ReaderLock lock(latest_mu_);
    auto it = first_.find(datastream);
    if (it == first_.end()) return std::nullopt;
    return it->second;
  }

  Result<std::optional<Point>> LatestIn(sql::Tx& tx, int64_t datastream) override {
    auto rows = tx.Query("SELECT time_ms, value FROM latest WHERE ds = $1", {datastream});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return std::optional<Point>();
    return std::optional<Point>(Point{rows->front().Int(0), rows->front().Real(1)});
  }

  std::optional<Point> Latest(int64_t datastream) const override {
    if (shared_) {
      auto rows = sql::ReadQuery(db_, "SELECT time_ms, value FROM latest WHERE ds = $1", {datastream});
      if (!rows.ok() || rows->empty()) return std::nullopt;
      return Point{rows->front().Int(0), rows->front().Real(1)};
    }
    ReaderLock lock(latest_mu_);
    auto it = latest_.find(datastream);
    if (it == latest_.end()) return std::nullopt;
    return it->second;
  }

  Result<std::vector<Point>> Range(int64_t ds, int64_t from, int64_t to, size_t limit, bool newest_first) override {
    Result<std::vector<Point>> out = std::vector<Point>{};
    Status s = db_.Read([&](sql::Tx& tx) {
      out = RangeIn(tx, ds, from, to, limit, newest_first);
      return out.status();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<Point>> RangeIn(sql::Tx& tx, int64_t ds, int64_t from, int64_t to, size_t limit,
                                     bool newest_first) override {
    std::vector<Point> out;
    if (from >= to || limit == 0) return out;
    auto in_range = [&](const Point& p) { return p.time_ms >= from && p.time_ms < to; };
    Status s = ScanOverlapping(tx, ds, from, to - 1, newest_first, [&](const ChunkRow& c) -> Result<bool> {
      auto points = DecodeChunk(c.data);
      if (!points.ok()) return points.status();
      if (newest_first) {
        for (auto it = points->rbegin(); it != points->rend() && out.size() < limit; ++it) {
          if (in_range(*it)) out.push_back(*it);
        }
      } else {
        for (const Point& p : *points) {
          if (out.size() >= limit) break;
          if (in_range(p)) out.push_back(p);
        }
      }
      return out.size() < limit;
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<Bucket>> Aggregate(int64_t ds, int64_t from, int64_t to, const BucketSpec& spec) override {
    const int64_t start = BucketStart(from, spec);
    const bool daily = spec.IsMonths() || spec.WidthMs() % kDayMs == 0;
    const bool hourly = !daily && spec.WidthMs() % kHourMs == 0;
    std::vector<Bucket> raw, archived;
    Status s = db_.Read([&](sql::Tx& tx) -> Status {
      if (daily || hourly) {
        Status archive = EachArchived(tx, ds, start, to, daily, [&](int64_t bucket, const Accumulator& a) {
          const int64_t b = BucketStart(bucket, spec);
          if (archived.empty() || archived.back().start_ms != b) archived.push_back({b, {}});
          archived.back().values.Merge(a);
        });
        if (!archive.ok()) return archive;
      }
      auto chunks = Overlapping(tx, ds, start, to - 1);
      if (!chunks.ok()) return chunks.status();
      // Points come in time order (chunks do not overlap).
      BucketSorter sorter(spec, start, to);
      std::vector<Point> points;
      for (const ChunkRow& c : *chunks) {
        points.clear();
        if (Status decoded = DecodeChunkInto(c.data, points); !decoded.ok()) return decoded;
        sorter.Add(points);
      }
      raw = sorter.Take();
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (archived.empty()) return raw;
    // Archived points and raw ones are disjoint: a bucket holding both merges them.
    std::vector<Bucket> out;
    out.reserve(raw.size() + archived.size());
    size_t i = 0, j = 0;
    while (i < raw.size() || j < archived.size()) {
      if (j == archived.size() || (i < raw.size() && raw[i].start_ms < archived[j].start_ms)) {
        out.push_back(raw[i++]);
      } else if (i == raw.size() || archived[j].start_ms < raw[i].start_ms) {
        out.push_back(archived[j++]);
      } else {
        out.push_back(raw[i++]);
        out.back().values.Merge(archived[j++].values);
      }
    }
    return out;
  }

  Result<size_t> DeleteRange(int64_t ds, int64_t from, int64_t to) override {
    if (from >= to) return InvalidArgument("the range is empty", "to");
    return OwnWrite<size_t>(
        [&](sql::Tx& tx, SeriesEffects& effects) { return DeleteRangeIn(tx, ds, from, to, effects); });
  }

  Result<size_t> DeleteRangeIn(sql::Tx& tx, int64_t ds, int64_t from, int64_t to, SeriesEffects& effects) override {
    if (from >= to) return InvalidArgument("the range is empty", "to");
    auto removed = DeleteRaw(tx, ds, from, to);
    if (!removed.ok()) return removed.status();
    // Of points no longer kept raw only the archived buckets wholly inside the range can go.
    if (Status s = ForgetArchived(tx, ds, from, to); !s.ok()) return s;
    auto last = LastPoint(tx, ds);
    if (!last.ok()) return last.status();
    auto fix = *last ? tx.Change("INSERT INTO latest VALUES ($1,$2,$3) ON CONFLICT (ds) DO UPDATE SET "
                                 "time_ms=excluded.time_ms, value=excluded.value",
                                 {ds, (*last)->time_ms, (*last)->value})
                     : tx.Change("DELETE FROM latest WHERE ds=$1", {ds});
    if (!fix.ok()) return fix.status();
    auto first = chunks::FirstTime(tx, ds);
    if (!first.ok()) return first.status();
    effects.push_back({SeriesEffect::Kind::kSet, ds, *last, *first, {}});
    return *removed;
  }

  Result<int64_t> Count(int64_t ds) override {
    auto rows = sql::ReadQuery(db_, "SELECT COALESCE(SUM(count), 0) FROM chunks WHERE ds=$1", {ds});
    if (!rows.ok()) return rows.status();
    return rows->empty() ? 0 : rows->front().Int(0);
  }

  Result<int64_t> CountRange(int64_t ds, int64_t from, int64_t to) override {
    if (from >= to) return int64_t{0};
    int64_t total = 0;
    Status s = db_.Read([&](sql::Tx& tx) -> Status {
      // Chunks inside the range count by their header; the (at most two) cut ones point by point.
      auto inside = tx.Query("SELECT COALESCE(SUM(count), 0) FROM chunks WHERE ds=$1 AND start_ms>=$2 AND end_ms<$3",
                             {ds, from, to});
      if (!inside.ok()) return inside.status();
      total = inside->empty() ? 0 : inside->front().Int(0);
      auto cut = tx.Query("SELECT data FROM chunks WHERE ds=$1 AND end_ms>=$2 AND start_ms<$3 AND "
                          "NOT (start_ms>=$2 AND end_ms<$3)",
                          {ds, from, to});
      if (!cut.ok()) return cut.status();
      for (const sql::Row& r : *cut) {
        auto points = DecodeChunk(r.Bytes(0));
        if (!points.ok()) return points.status();
        for (const Point& p : *points) total += p.time_ms >= from && p.time_ms < to;
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return total;
  }

  std::vector<int64_t> Datastreams() const override {
    if (shared_) {
      std::vector<int64_t> out;
      auto rows = sql::ReadQuery(db_, "SELECT ds FROM latest ORDER BY ds");
      if (rows.ok()) {
        for (const sql::Row& r : *rows) out.push_back(r.Int(0));
      }
      return out;
    }
    ReaderLock lock(latest_mu_);
    std::vector<int64_t> out;
    out.reserve(latest_.size());
    for (const auto& [ds, point] : latest_) out.push_back(ds);
    std::sort(out.begin(), out.end());
    return out;
  }

  Status DropSeries(int64_t ds) override {
    return OwnWrite<bool>([&](sql::Tx& tx, SeriesEffects& effects) -> Result<bool> {
             if (Status s = DropSeriesIn(tx, ds, effects); !s.ok()) return s;
             return true;
           })
        .status();
  }

  Status DropSeriesIn(sql::Tx& tx, int64_t ds, SeriesEffects& effects) override {
    for (const char* table : {"chunk", "chunk_open", "archive_hour", "archive_day", "latest", "retention"}) {
      auto q = tx.Query(std::string("DELETE FROM ") + table + " WHERE ds=$1", {ds});
      if (!q.ok()) return q.status();
    }
    effects.push_back({SeriesEffect::Kind::kSet, ds, std::nullopt, std::nullopt, {}});
    return Status::Ok();
  }

  Status SetRetention(int64_t ds, int raw_days) override {
    if (raw_days < 0) return InvalidArgument("must be 0 (for ever) or more days", "raw_days");
    return db_.Write([&](sql::Tx& tx) {
      return (raw_days ? tx.Query("INSERT INTO retention VALUES ($1,$2) ON CONFLICT (ds) DO UPDATE SET "
                                  "raw_days=excluded.raw_days",
                                  {ds, int64_t{raw_days}})
                       : tx.Query("DELETE FROM retention WHERE ds=$1", {ds}))
          .status();
    });
  }

  Result<int> Retention(int64_t ds) override {
    auto rows = sql::ReadQuery(db_, "SELECT raw_days FROM retention WHERE ds=$1", {ds});
    if (!rows.ok()) return rows.status();
    return rows->empty() ? 0 : static_cast<int>(rows->front().Int(0));
  }

  Result<size_t> ApplyRetention(int64_t now_ms) override {
    return OwnWrite<size_t>([&](sql::Tx& tx, SeriesEffects& effects) -> Result<size_t> {
      auto kept = tx.Query("SELECT ds, raw_days FROM retention ORDER BY ds");
      if (!kept.ok()) return kept.status();
      size_t dropped = 0;
      for (const sql::Row& r : *kept) {
        auto archived = ArchiveBefore(tx, r.Int(0), now_ms - r.Int(1) * kDayMs);
        if (!archived.ok()) return archived.status();
        dropped += *archived;
      }
      if (dropped == 0) return dropped;
      auto firsts = tx.Query(kFirstOfEverySeries);
      if (!firsts.ok()) return firsts.status();
      SeriesEffect reset{SeriesEffect::Kind::kResetFirsts, 0, std::nullopt, std::nullopt, {}};
      for (const sql::Row& f : *firsts) reset.firsts.emplace_back(f.Int(0), f.Int(1));
      effects.push_back(std::move(reset));
      return dropped;
    });
  }

  uint64_t BytesOnDisk() const override {
    if (std::string_view(db_.Dialect()) == "postgresql") {
      auto rows = sql::ReadQuery(db_,
                                 "SELECT pg_total_relation_size('chunk') + pg_total_relation_size('chunk_open') + "
                                 "pg_total_relation_size('archive_hour') + "
                                 "pg_total_relation_size('archive_day') + pg_total_relation_size('latest')");
      return rows.ok() && !rows->empty() ? static_cast<uint64_t>(rows->front().Int(0)) : 0;
    }
    uint64_t total = 0;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::error_code ec;
      auto size = std::filesystem::file_size(db_.Path() + suffix, ec);
      if (!ec) total += size;
    }
    return total;
  }

 private:
  std::unique_ptr<sql::Connection> owned_;  // when the store has a database of its own
  sql::Connection& db_;
  // PostgreSQL: other nodes write the same series, so the newest and oldest points are read from
  // the tables (an index lookup each) and not from this process's memory, which only SQLite's
  // one node can trust.
  const bool shared_ = std::string_view(db_.Dialect()) == "postgresql";
  mutable SharedMutex latest_mu_;
  std::unordered_map<int64_t, Point> latest_ GUARDED_BY(latest_mu_);
  std::unordered_map<int64_t, int64_t> first_ GUARDED_BY(latest_mu_);  // oldest point time
  static constexpr size_t kMaxTrackedSeries = 1 << 20;
  Mutex tail_mu_;
  struct Tail {
    size_t small_chunks = 0;  // written since the last merge
    size_t open_points = 0;   // in the growing chunk after the last merge
  };
  std::unordered_map<int64_t, Tail> tails_ GUARDED_BY(tail_mu_);  // at each series' end
};

Result<std::unique_ptr<ObservationStore>> Make(sql::Connection& db, std::unique_ptr<sql::Connection> owned) {
  auto store = std::make_unique<SqlObservationStore>(db, std::move(owned));
  if (auto s = store->Init(); !s.ok()) return s;
  return std::unique_ptr<ObservationStore>(std::move(store));
}

}  // namespace

Status ValidateBatches(const std::vector<SeriesBatch>& batches) {
  for (const SeriesBatch& b : batches) {
    for (const Point& p : b.points) {
      if (!std::isfinite(p.value)) return InvalidArgument("value must be finite", "result");
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<ObservationStore>> OpenObservationStore(sql::Connection& db) { return Make(db, nullptr); }

Result<std::unique_ptr<ObservationStore>> OpenObservationStore(const std::string& path_or_conninfo) {
  return sql::OpenOwned(path_or_conninfo, "observation store", Make);
}

}  // namespace datenwerk::series
