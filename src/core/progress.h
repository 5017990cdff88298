// Progress status of a KPI towards its target, by the method Open SDG uses (Statistics Canada):
// the observed compound annual growth rate since the base value is compared with the rate needed
// to reach the target on time. R = d * CAGR_observed / |CAGR_required| where d is +1 when up is
// good and -1 when down is good; R >= 0.95 on track, 0.6 <= R < 0.95 acceleration needed,
// 0 <= R < 0.6 limited progress, R < 0 deterioration. Where growth rates are undefined (a base
// or target value <= 0), the same ratio is taken of linear annual changes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/kpi_types.h"

namespace datenwerk {

enum class ProgressStatus {
  kTargetReached,
  kOnTrack,
  kAccelerationNeeded,
  kLimitedProgress,
  kDeterioration,
  kNotAssessable,
};

const char* ProgressStatusName(ProgressStatus s);   // "target_reached", ...
const char* ProgressStatusLabel(ProgressStatus s);  // German, for the portal

struct ProgressResult {
  ProgressStatus status = ProgressStatus::kNotAssessable;
  std::optional<double> ratio;  // R, when it was computed
  std::string reason;           // why it could not be assessed, in German; empty otherwise
};

// A point of the series: ISO date and value. Points without a value ("not reported") are skipped.
struct SeriesPoint {
  std::string date;
  double value = 0;
};

// Base point: the explicit baseline if set, else the earliest value. Current: the newest value.
// Not assessable with no target, no direction, or fewer than two points on distinct dates.
ProgressResult ComputeProgress(const KpiSettings& settings, const std::vector<SeriesPoint>& series);

// Convenience: the series from stored values.
std::vector<SeriesPoint> SeriesOf(const std::vector<const KpiValue*>& values);

}  // namespace datenwerk
