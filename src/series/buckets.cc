#include "series/buckets.h"

#include <charconv>
#include <chrono>
#include <string>

namespace datenwerk::series {

Result<Aggregation> ParseAggregation(std::string_view name) {
  if (name == "avg") return Aggregation::kAvg;
  if (name == "min") return Aggregation::kMin;
  if (name == "max") return Aggregation::kMax;
  if (name == "sum") return Aggregation::kSum;
  if (name == "count") return Aggregation::kCount;
  return InvalidArgument("must be avg, min, max, sum or count", "aggregate");
}

int64_t BucketSpec::WidthMs() const {
  switch (unit) {
    case Unit::kMinute: return count * kMinuteMs;
    case Unit::kHour: return count * kHourMs;
    case Unit::kDay: return count * kDayMs;
    case Unit::kMonth: break;
  }
  return 0;
}

Result<BucketSpec> ParseBucket(std::string_view text) {
  const Status bad = InvalidArgument(
      "must be a width from 1 minute to 1 month, e.g. 15m, 1h, 1d or 1mo", "bucket");
  int count = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc() || count < 1) return bad;
  std::string_view unit(ptr, static_cast<size_t>(text.data() + text.size() - ptr));
  BucketSpec spec;
  spec.count = count;
  if (unit == "m" || unit == "min") {
    spec.unit = BucketSpec::Unit::kMinute;
  } else if (unit == "h") {
    spec.unit = BucketSpec::Unit::kHour;
  } else if (unit == "d") {
    spec.unit = BucketSpec::Unit::kDay;
  } else if (unit == "mo") {
    spec.unit = BucketSpec::Unit::kMonth;
    if (count != 1) return bad;
    return spec;
  } else {
    return bad;
  }
  if (spec.WidthMs() > 31 * kDayMs) return bad;
  return spec;
}

namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

int64_t BucketStart(int64_t time_ms, const BucketSpec& spec) {
  if (!spec.IsMonths()) {
    const int64_t width = spec.WidthMs();
    return FloorDiv(time_ms, width) * width;
  }
  using namespace std::chrono;
  const sys_days day{days{FloorDiv(time_ms, kDayMs)}};
  const year_month_day ymd{day};
  const sys_days first{ymd.year() / ymd.month() / std::chrono::day{1}};
  return first.time_since_epoch().count() * kDayMs;
}

int64_t NextBucket(int64_t start_ms, const BucketSpec& spec) {
  if (!spec.IsMonths()) return start_ms + spec.WidthMs();
  using namespace std::chrono;
  const year_month_day ymd{sys_days{days{FloorDiv(start_ms, kDayMs)}}};
  const year_month next = (ymd.year() / ymd.month()) + months{1};
  return sys_days{next / std::chrono::day{1}}.time_since_epoch().count() * kDayMs;
}

double Accumulator::Get(Aggregation a) const {
  switch (a) {
    case Aggregation::kAvg: return count ? sum / static_cast<double>(count) : 0;
    case Aggregation::kMin: return min;
    case Aggregation::kMax: return max;
    case Aggregation::kSum: return sum;
    case Aggregation::kCount: return static_cast<double>(count);
  }
  return 0;
}

}  // namespace datenwerk::series
