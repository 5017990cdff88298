// What the Klima-Dashboard computes from readings, transport-free and pure:
//  - the irrigation outlook of a soil-moisture sensor: its trend over the recent window (least
//    squares line through the readings, in % per day) and, if it falls, when it reaches the
//    site's threshold at that rate (the linear extrapolation is stated on the page as such; it
//    is not a forecast of rain or of watering);
//  - rain totals of a gauge: the sum of its per-interval amounts over the last hour and day
//    before a given time.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "series/point.h"

namespace datenwerk::klima {

struct IrrigationOutlook {
  double current = 0;           // the newest reading
  double per_day = 0;           // trend, units per day (negative: drying)
  bool below_threshold = false;  // water now
  std::optional<int64_t> reaches_at_ms;  // when the trend meets the threshold; none if not falling
};

// `points` in time order, from the window the trend is taken over (e.g. the last 48 h).
// nullopt with fewer than 3 readings or a window shorter than 3 hours: no trend to speak of.
std::optional<IrrigationOutlook> OutlookOf(const std::vector<series::Point>& points,
                                           double threshold);

struct RainTotals {
  double last_hour = 0;
  double last_day = 0;
};
// Sums the amounts with end - 1 h < time <= end and end - 24 h < time <= end.
RainTotals TotalsOf(const std::vector<series::Point>& amounts, int64_t end_ms);

}  // namespace datenwerk::klima
