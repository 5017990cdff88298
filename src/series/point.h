// One reading of a numeric time series.
#pragma once

#include <cstdint>

namespace datenwerk::series {

struct Point {
  int64_t time_ms = 0;  // phenomenon time, milliseconds since the Unix epoch (UTC)
  double value = 0;
  bool operator==(const Point&) const = default;
};

}  // namespace datenwerk::series
