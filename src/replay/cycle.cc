#include "replay/cycle.h"

#include <algorithm>

namespace datenwerk::replay {

namespace {
// Floor division for negative differences too.
int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
}  // namespace

int64_t RecordedAt(const Cycle& c, int64_t now_ms) {
  const int64_t k = FloorDiv(now_ms - c.from_ms, c.period_ms);
  return now_ms - k * c.period_ms;
}

std::vector<series::Point> Playing(const Cycle& c, const std::vector<series::Point>& recorded,
                                   int64_t after_ms, int64_t until_ms, size_t limit) {
  std::vector<series::Point> out;
  if (until_ms <= after_ms || recorded.empty()) return out;
  // The cycles that overlap (after, until]: from the one playing at `after` to the one at `until`.
  const int64_t first = FloorDiv(after_ms - c.from_ms, c.period_ms);
  const int64_t last = FloorDiv(until_ms - c.from_ms, c.period_ms);
  for (int64_t k = std::max(first, last - 1 - static_cast<int64_t>(limit / std::max<size_t>(1, recorded.size()))); k <= last; ++k) {
    const int64_t shift = k * c.period_ms;
    for (const auto& p : recorded) {
      if (p.time_ms < c.from_ms || p.time_ms >= c.from_ms + c.period_ms) continue;
      const int64_t t = p.time_ms + shift;
      if (t > after_ms && t <= until_ms) out.push_back({t, p.value});
    }
  }
  if (out.size() > limit) out.erase(out.begin(), out.end() - static_cast<std::ptrdiff_t>(limit));
  return out;
}

}  // namespace datenwerk::replay
