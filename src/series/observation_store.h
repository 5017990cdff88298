// The observation store: numeric time series per datastream, compressed in chunks (Gorilla),
// with hourly and daily rollups maintained at ingest time, the latest value per datastream kept
// in memory (and on disk), idempotent appends, retention and bulk delete.
// Thread-safe: appends and deletes are serialised; reads run beside them on their own connection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "series/buckets.h"
#include "series/gorilla.h"

namespace datenwerk::series {

struct SeriesBatch {
  int64_t datastream = 0;
  std::vector<Point> points;  // any order; finite values
};

struct IngestStats {
  size_t stored = 0;
  size_t duplicates = 0;  // same datastream and phenomenon time as a stored point: skipped
};

struct Bucket {
  int64_t start_ms = 0;
  Accumulator values;
};

class ObservationStore {
 public:
  virtual ~ObservationStore() = default;

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
  // Time of the oldest stored point of a datastream; constant time.
  virtual std::optional<int64_t> FirstTime(int64_t datastream) const = 0;

  // Points with from <= time < to, oldest first (or newest first), at most `limit`.
  virtual Result<std::vector<Point>> Range(int64_t datastream, int64_t from_ms, int64_t to_ms,
                                           size_t limit, bool newest_first) = 0;

  // Non-empty buckets of width `spec` covering [from, to), widened to whole buckets. Widths of
  // whole hours and days (and months) are answered from the rollups, minutes from raw points.
  virtual Result<std::vector<Bucket>> Aggregate(int64_t datastream, int64_t from_ms,
                                                int64_t to_ms, const BucketSpec& spec) = 0;

  // Removes points with from <= time < to and corrects the rollups. Returns how many went.
  virtual Result<size_t> DeleteRange(int64_t datastream, int64_t from_ms, int64_t to_ms) = 0;

  // How many raw points of the datastream are stored (with from <= time < to).
  virtual Result<int64_t> Count(int64_t datastream) = 0;
  virtual Result<int64_t> CountRange(int64_t datastream, int64_t from_ms, int64_t to_ms) = 0;
  // The datastreams with at least one stored point, ascending.
  virtual std::vector<int64_t> Datastreams() const = 0;
  // Removes everything of the datastream: points, rollups, latest value, retention.
  virtual Status DropSeries(int64_t datastream) = 0;

  // Keep raw points of a datastream for `raw_days` (0: for ever); rollups are kept.
  virtual Status SetRetention(int64_t datastream, int raw_days) = 0;
  virtual Result<int> Retention(int64_t datastream) = 0;  // 0: for ever
  // Drops raw chunks entirely older than each datastream's retention. Returns points dropped.
  virtual Result<size_t> ApplyRetention(int64_t now_ms) = 0;

  // Database and log file sizes.
  virtual uint64_t BytesOnDisk() const = 0;
};

// kInvalidArgument when a value is NaN or infinite.
Status ValidateBatches(const std::vector<SeriesBatch>& batches);

// Opens (creating) the SQLite file at `path`.
Result<std::unique_ptr<ObservationStore>> OpenSqliteObservationStore(const std::string& path);

}  // namespace datenwerk::series
