// Time buckets (1 minute to 1 month, UTC) and the aggregates kept per bucket. Pure.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datenwerk::series {

inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;

enum class Aggregation { kAvg, kMin, kMax, kSum, kCount };
Result<Aggregation> ParseAggregation(std::string_view name);  // "avg", "min", "max", "sum", "count"

// A bucket width: `count` minutes, hours, days or months.
struct BucketSpec {
  enum class Unit { kMinute, kHour, kDay, kMonth } unit = Unit::kHour;
  int count = 1;

  bool IsMonths() const { return unit == Unit::kMonth; }
  // Width in milliseconds; not meaningful for months.
  int64_t WidthMs() const;
};

// "15m", "1h", "6h", "1d", "7d", "1mo"; from 1 minute to 1 month (at most 31 days or 1 month).
Result<BucketSpec> ParseBucket(std::string_view text);

// Start of the bucket holding `time_ms`. Fixed widths are aligned to the Unix epoch; months to
// calendar months (UTC). The next bucket starts at NextBucket(start).
int64_t BucketStart(int64_t time_ms, const BucketSpec& spec);
int64_t NextBucket(int64_t start_ms, const BucketSpec& spec);

// Count, sum, min and max of the values in a bucket; mergeable, so rollups combine.
struct Accumulator {
  int64_t count = 0;
  double sum = 0;
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();

  void Add(double v) {
    ++count;
    sum += v;
    min = std::min(min, v);
    max = std::max(max, v);
  }
  void Merge(const Accumulator& o) {
    count += o.count;
    sum += o.sum;
    min = std::min(min, o.min);
    max = std::max(max, o.max);
  }
  double Get(Aggregation a) const;
};

struct Bucket {
  int64_t start_ms = 0;
  Accumulator values;
};

// Sorts points in time order into buckets of `spec`, keeping those with from <= time < to
// (`from` already a bucket start). Points must come in time order across all calls to Add (a
// series' chunks, oldest first); the current bucket stays in registers, not in the vector.
class BucketSorter {
 public:
  BucketSorter(const BucketSpec& spec, int64_t from, int64_t to) : spec_(spec), from_(from), to_(to) {}
  template <typename Points>  // a range of series::Point
  void Add(const Points& points) {
    Accumulator a = current_;
    int64_t start = start_, next = next_;
    for (const auto& p : points) {
      if (p.time_ms < from_ || p.time_ms >= to_) continue;
      if (p.time_ms >= next) {
        if (a.count) done_.push_back({start, a});
        start = BucketStart(p.time_ms, spec_);
        next = NextBucket(start, spec_);
        a = Accumulator{};
      }
      a.Add(p.value);
    }
    current_ = a;
    start_ = start;
    next_ = next;
  }
  // The buckets, oldest first; the sorter is empty afterwards.
  std::vector<Bucket> Take() {
    if (current_.count) done_.push_back({start_, current_});
    current_ = Accumulator{};
    next_ = std::numeric_limits<int64_t>::min();
    return std::move(done_);
  }

 private:
  BucketSpec spec_;
  int64_t from_, to_;
  Accumulator current_;
  int64_t start_ = 0, next_ = std::numeric_limits<int64_t>::min();  // the current bucket
  std::vector<Bucket> done_;
};

}  // namespace datenwerk::series
