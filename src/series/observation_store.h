// The observation store: numeric time series per datastream, compressed in chunks (zstd over
// delta-coded varints, series/chunk_codec.h), aggregates per bucket computed from them (and
// kept as hourly and daily rollups for points that retention drops), the latest value kept
// in memory (and on disk; on PostgreSQL, where several nodes write, read from disk), idempotent
// appends, retention and bulk delete.
// One implementation over the shared data-access layer: the same tables in the deployment's one
// SQLite file or PostgreSQL database. Writes either run in a transaction of their own, or (the
// "In" variants) in the caller's, so a series point commits with whatever else that transaction
// writes; reads run beside writes in read transactions.
// Thread-safe: writes are serialised by the database; reads run beside them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "series/buckets.h"
#include "series/point.h"
#include "store/sql_connection.h"

namespace datenwerk::series {

struct SeriesBatch {
  int64_t datastream = 0;
  std::vector<Point> points;  // any order; finite values
};

struct IngestStats {
  size_t stored = 0;
  size_t duplicates = 0;  // same datastream and phenomenon time as a stored point: skipped
};

// What a write did to the values the store keeps in memory (each series' newest point and oldest
// time): applied in order by Committed() once its transaction has committed, dropped otherwise.
struct SeriesEffect {
  enum class Kind {
    kWiden,        // latest: the newer of it and `latest`; first: the older of it and `first`
    kSet,          // latest and first as given (none: the series is empty)
    kResetFirsts,  // every series' first time from `firsts`
  };
  Kind kind = Kind::kWiden;
  int64_t datastream = 0;
  std::optional<Point> latest;
  std::optional<int64_t> first;
  std::vector<std::pair<int64_t, int64_t>> firsts;
};
using SeriesEffects = std::vector<SeriesEffect>;

class ObservationStore {
 public:
  virtual ~ObservationStore() = default;

  // The database the store keeps its tables in (for callers that write more in one transaction).
  virtual sql::Connection& database() = 0;
  // AppendGroup, DeleteRange and DropSeries inside the caller's write transaction `tx` (of
  // database()). The caller passes `effects` to Committed() after its commit (in
  // sql::Connection::Write's `after`, before later writes) and forgets them on a rollback.
  virtual Result<std::vector<IngestStats>> AppendGroupIn(sql::Tx& tx, std::vector<std::vector<SeriesBatch>> requests,
                                                         SeriesEffects& effects) = 0;
  virtual Result<size_t> DeleteRangeIn(sql::Tx& tx, int64_t datastream, int64_t from_ms, int64_t to_ms,
                                       SeriesEffects& effects) = 0;
  virtual Status DropSeriesIn(sql::Tx& tx, int64_t datastream, SeriesEffects& effects) = 0;
  virtual void Committed(const SeriesEffects& effects) = 0;

  // Stores every batch in one transaction: all or nothing. The first point stored for a
  // (datastream, time) wins; later ones count as duplicates. kInvalidArgument for NaN/inf.
  virtual Result<IngestStats> Append(std::vector<SeriesBatch> batches) = 0;
  // Several independent requests in one transaction (group commit), with stats per request. A
  // point repeated across requests is stored for the earliest request and a duplicate for later
  // ones. All or nothing: one invalid request fails the group.
  virtual Result<std::vector<IngestStats>> AppendGroup(
      std::vector<std::vector<SeriesBatch>> requests) = 0;

  // Newest point of a datastream; constant time.
  virtual std::optional<Point> Latest(int64_t datastream) const = 0;
  // The newest point as the caller's transaction `tx` of database() sees it (the table, not this
  // process's memory: on PostgreSQL other nodes write the same series).
  virtual Result<std::optional<Point>> LatestIn(sql::Tx& tx, int64_t datastream) = 0;
  // Time of the oldest stored point of a datastream; constant time.
  virtual std::optional<int64_t> FirstTime(int64_t datastream) const = 0;

  // Points with from <= time < to, oldest first (or newest first), at most `limit`; RangeIn as
  // the caller's transaction `tx` of database() sees them (inside a write: its own changes too).
  virtual Result<std::vector<Point>> Range(int64_t datastream, int64_t from_ms, int64_t to_ms,
                                           size_t limit, bool newest_first) = 0;
  virtual Result<std::vector<Point>> RangeIn(sql::Tx& tx, int64_t datastream, int64_t from_ms, int64_t to_ms,
                                             size_t limit, bool newest_first) = 0;

  // Non-empty buckets of width `spec` covering [from, to), widened to whole buckets: from the raw
  // points, merged for whole hours, days and months with the rollups of points retention dropped.
  virtual Result<std::vector<Bucket>> Aggregate(int64_t datastream, int64_t from_ms,
                                                int64_t to_ms, const BucketSpec& spec) = 0;

  // Removes points with from <= time < to, and the rollups of dropped points of buckets wholly
  // inside the range. Returns how many raw points went.
  virtual Result<size_t> DeleteRange(int64_t datastream, int64_t from_ms, int64_t to_ms) = 0;

  // How many raw points of the datastream are stored (with from <= time < to).
  virtual Result<int64_t> Count(int64_t datastream) = 0;
  virtual Result<int64_t> CountRange(int64_t datastream, int64_t from_ms, int64_t to_ms) = 0;
  // The datastreams with at least one stored point, ascending.
  virtual std::vector<int64_t> Datastreams() const = 0;
  // Removes everything of the datastream: points, rollups, latest value, retention.
  virtual Status DropSeries(int64_t datastream) = 0;

  // Keep raw points of a datastream for `raw_days` (0: for ever); their hourly and daily rollups
  // are kept when they go.
  virtual Status SetRetention(int64_t datastream, int raw_days) = 0;
  virtual Result<int> Retention(int64_t datastream) = 0;  // 0: for ever
  // Drops raw points older than each datastream's retention, keeping their rollups. Returns
  // how many went.
  virtual Result<size_t> ApplyRetention(int64_t now_ms) = 0;

  // Bytes the series take: the SQLite file with its log (the whole file: the one database), or
  // the series tables with their indexes and TOAST on PostgreSQL.
  virtual uint64_t BytesOnDisk() const = 0;
};

// kInvalidArgument when a value is NaN or infinite.
Status ValidateBatches(const std::vector<SeriesBatch>& batches);

// The store in `db` (borrowed: it must outlive the store); creates its tables when missing.
Result<std::unique_ptr<ObservationStore>> OpenObservationStore(sql::Connection& db);
// The store in a database of its own: the SQLite file at `path` (created when missing), or the
// PostgreSQL database at a conninfo (tests, benchmarks).
Result<std::unique_ptr<ObservationStore>> OpenObservationStore(const std::string& path_or_conninfo);

}  // namespace datenwerk::series
