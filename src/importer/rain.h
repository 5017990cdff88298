// Rain amounts per interval from a rain gauge's cumulative daily counter, as weather stations
// publish it (EcoWitt's rainfall_piezo_daily: mm since local midnight). Counters reset at local
// midnight, sometimes early, and sometimes fall back mid-day; files have gaps. The rule never
// invents rain:
//  - same local day, counter up or equal: the difference is the amount since the last reading;
//  - a new local day: the counter restarted at midnight, so its value is the amount since then
//    (the reading before midnight already counted what fell until then);
//  - same local day, counter down (an early reset or a fall-back): 0, flagged, and the new
//    value is the base from then on;
//  - the first reading of a series: an amount only if it lies within `max_gap_ms` of its local
//    midnight (else when the rain fell is unknown: no value, a gap stays a gap);
//  - an amount that covers more than `max_gap_ms` (a gap in the file) is flagged with the time
//    it starts from.
// Pure.
#pragma once

#include <cstdint>
#include <vector>

#include "importer/station.h"

namespace datenwerk::importer {

// `counter` in time order with each reading's UTC offset; returns one amount per reading that
// has one, at that reading's time.
std::vector<Reading> RainAmounts(const std::vector<Reading>& counter, int64_t max_gap_ms);

}  // namespace datenwerk::importer
