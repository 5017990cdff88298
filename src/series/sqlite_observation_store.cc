#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include "series/observation_store.h"
#include "series/chunk_table.h"
#include "store/sqlite_db.h"

namespace datenwerk::series {

namespace {

using sqlite::Exec;
using sqlite::Statement;
using sqlite::Transaction;
using namespace chunks;  // NOLINT: the store's own on-disk layout

// A point and the request it came with.
struct Tagged {
  Point point;
  uint32_t owner;
};

class SqliteObservationStore final : public ObservationStore {
 public:
  SqliteObservationStore(std::string path, sqlite::DbHandle writer)
      : path_(std::move(path)), writer_(std::move(writer)) {}

  Status Init() {
    if (auto s = Exec(writer_.get(), "PRAGMA cache_size=-65536"); !s.ok()) return s;
    if (auto s = Exec(writer_.get(), kSchema); !s.ok()) return s;
    auto reader = sqlite::Open(path_, "observation store", /*read_only=*/true);
    if (!reader.ok()) return reader.status();
    reader_ = std::move(reader).value();
    Statement q(writer_.get(), "SELECT ds, time_ms, value FROM latest");
    while (q.Step()) latest_[q.Int(0)] = Point{q.Int(1), q.Real(2).value_or(0)};
    if (!q.status().ok()) return q.status();
    return LoadFirstTimes();
  }

  // The oldest point of each datastream is the start of its first chunk.
  Status LoadFirstTimes(std::optional<int64_t> only = std::nullopt) {
    Statement q(writer_.get(), only ? "SELECT ds, MIN(start_ms) FROM chunk WHERE ds=? GROUP BY ds"
                                    : "SELECT ds, MIN(start_ms) FROM chunk GROUP BY ds");
    if (only) q.Bind(1, *only);
    std::unordered_map<int64_t, int64_t> found;
    while (q.Step()) found[q.Int(0)] = q.Int(1);
    if (!q.status().ok()) return q.status();
    std::unique_lock lock(latest_mu_);
    if (only) {
      first_.erase(*only);
      first_.insert(found.begin(), found.end());
    } else {
      first_ = std::move(found);
    }
    return Status::Ok();
  }

  Result<IngestStats> Append(std::vector<SeriesBatch> batches) override {
    std::vector<std::vector<SeriesBatch>> one;
    one.push_back(std::move(batches));
    auto stats = AppendGroup(std::move(one));
    if (!stats.ok()) return stats.status();
    return stats->front();
  }

  Result<std::vector<IngestStats>> AppendGroup(
      std::vector<std::vector<SeriesBatch>> requests) override {
    std::map<int64_t, std::vector<Tagged>> by_stream;
    std::vector<IngestStats> stats(requests.size());
    for (uint32_t owner = 0; owner < requests.size(); ++owner) {
      if (Status s = ValidateBatches(requests[owner]); !s.ok()) return s;
      for (SeriesBatch& b : requests[owner]) {
        auto& into = by_stream[b.datastream];
        for (const Point& p : b.points) into.push_back({p, owner});
      }
    }
    std::lock_guard lock(write_mu_);
    Transaction tx(writer_.get());
    if (!tx.status().ok()) return tx.status();
    std::vector<std::pair<int64_t, Point>> newest;
    std::vector<std::pair<int64_t, int64_t>> oldest;
    for (auto& [ds, tagged] : by_stream) {
      // Earlier requests first at equal times, so they win.
      std::stable_sort(tagged.begin(), tagged.end(), [](const Tagged& a, const Tagged& b) {
        return a.point.time_ms < b.point.time_ms;
      });
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
      auto fresh = AppendSorted(writer_.get(), ds, points);
      if (!fresh.ok()) return fresh.status();
      const Point* last_new = nullptr;
      for (size_t i = 0; i < points.size(); ++i) {
        if ((*fresh)[i]) {
          ++stats[owners[i]].stored;
          if (!last_new) oldest.emplace_back(ds, points[i].time_ms);
          last_new = &points[i];
        } else {
          ++stats[owners[i]].duplicates;
        }
      }
      if (last_new) newest.emplace_back(ds, *last_new);
    }
    for (const auto& [ds, point] : newest) {
      Statement q(writer_.get(),
                  "INSERT INTO latest VALUES (?,?,?) ON CONFLICT (ds) DO UPDATE SET "
                  "time_ms=excluded.time_ms, value=excluded.value WHERE excluded.time_ms >= "
                  "latest.time_ms");
      q.Bind(1, ds).Bind(2, point.time_ms).Bind(3, std::optional<double>(point.value));
      if (auto s = Run(q); !s.ok()) return s;
    }
    if (auto s = tx.Commit(); !s.ok()) return s;
    std::unique_lock latest_lock(latest_mu_);
    for (const auto& [ds, point] : newest) {
      auto it = latest_.find(ds);
      if (it == latest_.end() || it->second.time_ms <= point.time_ms) latest_[ds] = point;
    }
    for (const auto& [ds, time] : oldest) {
      auto [it, fresh] = first_.try_emplace(ds, time);
      if (!fresh) it->second = std::min(it->second, time);
    }
    return stats;
  }

  std::optional<int64_t> FirstTime(int64_t datastream) const override {
    std::shared_lock lock(latest_mu_);
    auto it = first_.find(datastream);
    if (it == first_.end()) return std::nullopt;
    return it->second;
  }

  std::optional<Point> Latest(int64_t datastream) const override {
    std::shared_lock lock(latest_mu_);
    auto it = latest_.find(datastream);
    if (it == latest_.end()) return std::nullopt;
    return it->second;
  }

  Result<std::vector<Point>> Range(int64_t ds, int64_t from, int64_t to, size_t limit,
                                   bool newest_first) override {
    std::vector<Point> out;
    if (from >= to || limit == 0) return out;
    std::lock_guard lock(read_mu_);
    auto in_range = [&](const Point& p) { return p.time_ms >= from && p.time_ms < to; };
    Status s = ScanOverlapping(
        reader_.get(), ds, from, to - 1, newest_first, [&](const ChunkRow& c) -> Result<bool> {
          auto points = DecodeSeries(c.data);
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

  Result<std::vector<Bucket>> Aggregate(int64_t ds, int64_t from, int64_t to,
                                        const BucketSpec& spec) override {
    const int64_t start = BucketStart(from, spec);
    std::map<int64_t, Accumulator> buckets;
    const bool daily = spec.IsMonths() || spec.WidthMs() % kDayMs == 0;
    const bool hourly = !daily && spec.WidthMs() % kHourMs == 0;
    std::lock_guard lock(read_mu_);
    if (daily || hourly) {
      Statement q(reader_.get(), daily ? "SELECT bucket, count, sum, min, max FROM rollup_day "
                                          "WHERE ds=? AND bucket>=? AND bucket<? ORDER BY bucket"
                                        : "SELECT bucket, count, sum, min, max FROM rollup_hour "
                                          "WHERE ds=? AND bucket>=? AND bucket<? ORDER BY bucket");
      q.Bind(1, ds).Bind(2, start).Bind(3, to);
      while (q.Step()) {
        Accumulator a{q.Int(1), q.Real(2).value_or(0), q.Real(3).value_or(0),
                      q.Real(4).value_or(0)};
        buckets[BucketStart(q.Int(0), spec)].Merge(a);
      }
      if (!q.status().ok()) return q.status();
    } else {
      auto chunks = Overlapping(reader_.get(), ds, start, to - 1);
      if (!chunks.ok()) return chunks.status();
      for (const ChunkRow& c : *chunks) {
        auto points = DecodeSeries(c.data);
        if (!points.ok()) return points.status();
        for (const Point& p : *points) {
          if (p.time_ms >= start && p.time_ms < to) buckets[BucketStart(p.time_ms, spec)].Add(p.value);
        }
      }
    }
    std::vector<Bucket> out;
    out.reserve(buckets.size());
    for (const auto& [bucket_start, values] : buckets) out.push_back({bucket_start, values});
    return out;
  }

  Result<size_t> DeleteRange(int64_t ds, int64_t from, int64_t to) override {
    if (from >= to) return InvalidArgument("the range is empty", "to");
    std::lock_guard lock(write_mu_);
    Transaction tx(writer_.get());
    if (!tx.status().ok()) return tx.status();
    // Whole days around the range: their rollups are rebuilt from the raw points left.
    const int64_t day_from = DayOf(from);
    const int64_t last_day = DayOf(to - 1);
    const int64_t day_to =
        last_day > std::numeric_limits<int64_t>::max() - kDayMs ? std::numeric_limits<int64_t>::max()
                                                                 : last_day + kDayMs;
    auto chunks = Overlapping(writer_.get(), ds, day_from, day_to - 1);
    if (!chunks.ok()) return chunks.status();
    std::vector<Point> kept, around;
    size_t removed = 0;
    for (const ChunkRow& c : *chunks) {
      auto points = DecodeSeries(c.data);
      if (!points.ok()) return points.status();
      for (const Point& p : *points) {
        if (p.time_ms >= from && p.time_ms < to) {
          ++removed;
          continue;
        }
        kept.push_back(p);
        if (p.time_ms >= day_from && p.time_ms < day_to) around.push_back(p);
      }
      if (auto s = DeleteChunk(writer_.get(), c.id); !s.ok()) return s;
    }
    if (auto s = WriteChunks(writer_.get(), ds, kept); !s.ok()) return s;
    for (const char* table : {"rollup_hour", "rollup_day"}) {
      Statement q(writer_.get(), std::string("DELETE FROM ") + table +
                                     " WHERE ds=? AND bucket>=? AND bucket<?");
      q.Bind(1, ds).Bind(2, day_from).Bind(3, day_to);
      if (auto s = Run(q); !s.ok()) return s;
    }
    if (auto s = AddRollups(writer_.get(), ds, around); !s.ok()) return s;
    auto last = LastPoint(writer_.get(), ds);
    if (!last.ok()) return last.status();
    Statement fix(writer_.get(), *last ? "INSERT OR REPLACE INTO latest VALUES (?,?,?)"
                                       : "DELETE FROM latest WHERE ds=?");
    fix.Bind(1, ds);
    if (*last) fix.Bind(2, (*last)->time_ms).Bind(3, std::optional<double>((*last)->value));
    if (auto s = Run(fix); !s.ok()) return s;
    if (auto s = tx.Commit(); !s.ok()) return s;
    {
      std::unique_lock latest_lock(latest_mu_);
      if (*last) {
        latest_[ds] = **last;
      } else {
        latest_.erase(ds);
      }
    }
    if (auto s = LoadFirstTimes(ds); !s.ok()) return s;
    return removed;
  }

  Result<int64_t> Count(int64_t ds) override {
    std::lock_guard lock(read_mu_);
    Statement q(reader_.get(), "SELECT COALESCE(SUM(count), 0) FROM chunk WHERE ds=?");
    q.Bind(1, ds);
    if (!q.Step()) return q.status().ok() ? Internal("count failed") : q.status();
    return q.Int(0);
  }

  Result<int64_t> CountRange(int64_t ds, int64_t from, int64_t to) override {
    if (from >= to) return int64_t{0};
    std::lock_guard lock(read_mu_);
    // Chunks inside the range count by their header; the (at most two) cut ones point by point.
    Statement inside(reader_.get(), "SELECT COALESCE(SUM(count), 0) FROM chunk WHERE ds=? AND "
                                     "start_ms>=? AND end_ms<?");
    inside.Bind(1, ds).Bind(2, from).Bind(3, to);
    if (!inside.Step()) return inside.status().ok() ? Internal("count failed") : inside.status();
    int64_t total = inside.Int(0);
    Statement cut(reader_.get(), "SELECT data FROM chunk WHERE ds=? AND end_ms>=? AND "
                                  "start_ms<? AND NOT (start_ms>=? AND end_ms<?)");
    cut.Bind(1, ds).Bind(2, from).Bind(3, to).Bind(4, from).Bind(5, to);
    while (cut.Step()) {
      auto points = DecodeSeries(cut.Blob(0));
      if (!points.ok()) return points.status();
      for (const Point& p : *points) total += p.time_ms >= from && p.time_ms < to;
    }
    if (!cut.status().ok()) return cut.status();
    return total;
  }

  std::vector<int64_t> Datastreams() const override {
    std::shared_lock lock(latest_mu_);
    std::vector<int64_t> out;
    out.reserve(latest_.size());
    for (const auto& [ds, point] : latest_) out.push_back(ds);
    std::sort(out.begin(), out.end());
    return out;
  }

  Status DropSeries(int64_t ds) override {
    std::lock_guard lock(write_mu_);
    Transaction tx(writer_.get());
    if (!tx.status().ok()) return tx.status();
    for (const char* table : {"chunk", "rollup_hour", "rollup_day", "latest", "retention"}) {
      Statement q(writer_.get(), std::string("DELETE FROM ") + table + " WHERE ds=?");
      q.Bind(1, ds);
      if (auto s = Run(q); !s.ok()) return s;
    }
    if (auto s = tx.Commit(); !s.ok()) return s;
    std::unique_lock latest_lock(latest_mu_);
    latest_.erase(ds);
    first_.erase(ds);
    return Status::Ok();
  }

  Status SetRetention(int64_t ds, int raw_days) override {
    if (raw_days < 0) return InvalidArgument("must be 0 (for ever) or more days", "raw_days");
    std::lock_guard lock(write_mu_);
    Statement q(writer_.get(), raw_days ? "INSERT OR REPLACE INTO retention VALUES (?,?)"
                                        : "DELETE FROM retention WHERE ds=?");
    q.Bind(1, ds);
    if (raw_days) q.Bind(2, int64_t{raw_days});
    return Run(q);
  }

  Result<int> Retention(int64_t ds) override {
    std::lock_guard lock(write_mu_);
    Statement q(writer_.get(), "SELECT raw_days FROM retention WHERE ds=?");
    q.Bind(1, ds);
    if (!q.Step()) {
      if (!q.status().ok()) return q.status();
      return 0;
    }
    return static_cast<int>(q.Int(0));
  }

  Result<size_t> ApplyRetention(int64_t now_ms) override {
    std::lock_guard lock(write_mu_);
    Transaction tx(writer_.get());
    if (!tx.status().ok()) return tx.status();
    Statement count(writer_.get(),
                    "SELECT COALESCE(SUM(c.count), 0) FROM chunk c JOIN retention r ON r.ds = c.ds "
                    "WHERE c.end_ms < ? - r.raw_days * 86400000");
    count.Bind(1, now_ms);
    size_t dropped = count.Step() ? static_cast<size_t>(count.Int(0)) : 0;
    if (!count.status().ok()) return count.status();
    Statement del(writer_.get(),
                  "DELETE FROM chunk WHERE id IN (SELECT c.id FROM chunk c JOIN retention r ON "
                  "r.ds = c.ds WHERE c.end_ms < ? - r.raw_days * 86400000)");
    del.Bind(1, now_ms);
    if (auto s = Run(del); !s.ok()) return s;
    if (auto s = tx.Commit(); !s.ok()) return s;
    if (dropped > 0) {
      if (auto s = LoadFirstTimes(); !s.ok()) return s;
    }
    return dropped;
  }

  uint64_t BytesOnDisk() const override {
    uint64_t total = 0;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::error_code ec;
      auto size = std::filesystem::file_size(path_ + suffix, ec);
      if (!ec) total += size;
    }
    return total;
  }

 private:
  std::string path_;
  std::mutex write_mu_;
  sqlite::DbHandle writer_;  // guarded by write_mu_
  std::mutex read_mu_;
  sqlite::DbHandle reader_;  // guarded by read_mu_
  mutable std::shared_mutex latest_mu_;
  std::unordered_map<int64_t, Point> latest_;  // guarded by latest_mu_
  std::unordered_map<int64_t, int64_t> first_;  // oldest point time; guarded by latest_mu_
};

}  // namespace

Status ValidateBatches(const std::vector<SeriesBatch>& batches) {
  for (const SeriesBatch& b : batches) {
    for (const Point& p : b.points) {
      if (!std::isfinite(p.value)) return InvalidArgument("value must be finite", "result");
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<ObservationStore>> OpenSqliteObservationStore(const std::string& path) {
  auto writer = sqlite::Open(path, "observation store");
  if (!writer.ok()) return writer.status();
  auto store = std::make_unique<SqliteObservationStore>(path, std::move(writer).value());
  if (auto s = store->Init(); !s.ok()) return s;
  return std::unique_ptr<ObservationStore>(std::move(store));
}

}  // namespace datenwerk::series
