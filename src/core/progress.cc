#include "core/progress.h"

#include <algorithm>
#include <cmath>

#include "core/dates.h"

namespace datenwerk {

const char* ProgressStatusName(ProgressStatus s) {
  switch (s) {
    case ProgressStatus::kTargetReached: return "target_reached";
    case ProgressStatus::kOnTrack: return "on_track";
    case ProgressStatus::kAccelerationNeeded: return "acceleration_needed";
    case ProgressStatus::kLimitedProgress: return "limited_progress";
    case ProgressStatus::kDeterioration: return "deterioration";
    case ProgressStatus::kNotAssessable: break;
  }
  return "not_assessable";
}

const char* ProgressStatusLabel(ProgressStatus s) {
  switch (s) {
    case ProgressStatus::kTargetReached: return "Ziel erreicht";
    case ProgressStatus::kOnTrack: return "Auf Kurs";
    case ProgressStatus::kAccelerationNeeded: return "Fortschritt, aber Beschleunigung nötig";
    case ProgressStatus::kLimitedProgress: return "Geringer Fortschritt";
    case ProgressStatus::kDeterioration: return "Verschlechterung";
    case ProgressStatus::kNotAssessable: break;
  }
  return "Nicht bewertbar";
}

std::vector<SeriesPoint> SeriesOf(const std::vector<const KpiValue*>& values) {
  std::vector<SeriesPoint> out;
  for (const KpiValue* v : values) {
    if (v->value) out.push_back({v->date, *v->value});
  }
  return out;
}

namespace {

constexpr double kDaysPerYear = 365.2425;

ProgressResult NotAssessable(std::string reason) {
  return {ProgressStatus::kNotAssessable, std::nullopt, std::move(reason)};
}

// Annual growth between two values `years` apart: compound where defined, else linear.
double AnnualGrowth(double from, double to, double years, bool compound) {
  if (compound) return std::pow(to / from, 1.0 / years) - 1.0;
  return (to - from) / years;
}

}  // namespace

ProgressResult ComputeProgress(const KpiSettings& settings,
                               const std::vector<SeriesPoint>& series_in) {
  if (!settings.target_value || settings.target_date.empty()) {
    return NotAssessable("Kein Zielwert festgelegt");
  }
  if (settings.direction == Direction::kUnset) return NotAssessable("Keine Zielrichtung festgelegt");

  std::vector<SeriesPoint> series = series_in;
  std::stable_sort(series.begin(), series.end(),
                   [](const SeriesPoint& a, const SeriesPoint& b) { return a.date < b.date; });
  if (series.empty()) return NotAssessable("Noch keine Werte erfasst");

  SeriesPoint base = series.front();
  if (settings.baseline_value && !settings.baseline_date.empty()) {
    base = {settings.baseline_date, *settings.baseline_value};
  }
  const SeriesPoint& current = series.back();
  auto t0 = DaysFromIsoDate(base.date);
  auto ti = DaysFromIsoDate(current.date);
  auto tt = DaysFromIsoDate(settings.target_date);
  if (!t0 || !ti || !tt) return NotAssessable("Ungültiges Datum");
  if (*ti <= *t0) return NotAssessable("Weniger als zwei Werte zu verschiedenen Zeitpunkten");

  const double d = settings.direction == Direction::kUp ? 1.0 : -1.0;
  const double target = *settings.target_value;
  if (d * (current.value - target) >= 0) {
    return {ProgressStatus::kTargetReached, std::nullopt, {}};
  }
  if (*tt <= *t0) return NotAssessable("Zieldatum liegt nicht nach dem Basiswert");

  const double years_observed = static_cast<double>(*ti - *t0) / kDaysPerYear;
  const double years_required = static_cast<double>(*tt - *t0) / kDaysPerYear;
  const bool compound = base.value > 0 && current.value > 0 && target > 0;
  const double observed = AnnualGrowth(base.value, current.value, years_observed, compound);
  const double required = AnnualGrowth(base.value, target, years_required, compound);
  if (required == 0) {
    // The base value met the target; the current one no longer does.
    return {ProgressStatus::kDeterioration, std::nullopt, {}};
  }
  const double ratio = d * observed / std::abs(required);
  ProgressStatus status = ratio >= 0.95   ? ProgressStatus::kOnTrack
                          : ratio >= 0.60 ? ProgressStatus::kAccelerationNeeded
                          : ratio >= 0.0  ? ProgressStatus::kLimitedProgress
                                          : ProgressStatus::kDeterioration;
  return {status, ratio, {}};
}

}  // namespace datenwerk
