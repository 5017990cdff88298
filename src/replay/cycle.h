// The time arithmetic of a replay: a recorded window [from, from + period) is played again and
// again, shifted by whole periods, so that it runs up to the present. A period of whole weeks
// keeps both the time of day and the weekday of every reading. Pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "series/point.h"

namespace datenwerk::replay {

struct Cycle {
  int64_t from_ms = 0;    // start of the recorded window
  int64_t period_ms = 0;  // its length; > 0
};

// The recorded time that plays at wall-clock time `now_ms`.
int64_t RecordedAt(const Cycle& c, int64_t now_ms);

// The recorded points (in time order, inside the window) as they play in (after_ms, until_ms]:
// shifted to wall-clock time, in time order. At most `limit` points (the oldest first are
// dropped) so that a long pause is not made up for in one go.
std::vector<series::Point> Playing(const Cycle& c, const std::vector<series::Point>& recorded,
                                   int64_t after_ms, int64_t until_ms, size_t limit);

}  // namespace datenwerk::replay
