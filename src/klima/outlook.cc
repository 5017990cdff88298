#include "klima/outlook.h"

#include <cmath>

namespace datenwerk::klima {

namespace {
constexpr double kDayMs = 86'400'000;
constexpr int64_t kHourMs = 3'600'000;
}  // namespace

std::optional<IrrigationOutlook> OutlookOf(const std::vector<series::Point>& points,
                                           double threshold) {
  if (points.size() < 3 || points.back().time_ms - points.front().time_ms < 3 * kHourMs) {
    return std::nullopt;
  }
  // Least squares over (days since the first reading, value): centred sums for precision.
  const double t0 = static_cast<double>(points.front().time_ms);
  double mean_t = 0, mean_v = 0;
  for (const auto& p : points) {
    mean_t += (static_cast<double>(p.time_ms) - t0) / kDayMs;
    mean_v += p.value;
  }
  const double n = static_cast<double>(points.size());
  mean_t /= n;
  mean_v /= n;
  double stt = 0, stv = 0;
  for (const auto& p : points) {
    const double t = (static_cast<double>(p.time_ms) - t0) / kDayMs - mean_t;
    stt += t * t;
    stv += t * (p.value - mean_v);
  }
  IrrigationOutlook out;
  out.current = points.back().value;
  out.per_day = stt > 0 ? stv / stt : 0;
  out.below_threshold = out.current <= threshold;
  if (!out.below_threshold && out.per_day < 0) {
    const double days = (out.current - threshold) / -out.per_day;
    if (days < 3650) {  // beyond ten years the line says nothing
      out.reaches_at_ms = points.back().time_ms + std::llround(days * kDayMs);
    }
  }
  return out;
}

RainTotals TotalsOf(const std::vector<series::Point>& amounts, int64_t end_ms) {
  RainTotals totals;
  for (const auto& p : amounts) {
    if (p.time_ms > end_ms || p.time_ms <= end_ms - 24 * kHourMs) continue;
    totals.last_day += p.value;
    if (p.time_ms > end_ms - kHourMs) totals.last_hour += p.value;
  }
  return totals;
}

}  // namespace datenwerk::klima
