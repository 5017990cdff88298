// Milliseconds since the Unix epoch, from the system clock: the "now" of timers and jobs.
#pragma once

#include <chrono>
#include <cstdint>

namespace datenwerk::app {

inline int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace datenwerk::app
