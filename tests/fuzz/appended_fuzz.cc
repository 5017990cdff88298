// Announcements of new readings as they arrive on the change feed (series/appended.h): any text
// parses or is refused, never a crash; what parses as readings is announced again and reads back
// to the same readings.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string_view>
#include <vector>

#include "series/appended.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view detail(reinterpret_cast<const char*>(data), size);
  auto parsed = datenwerk::series::ParseAppended(detail);
  if (!parsed.ok() || parsed->readings.empty()) return 0;
  // Each series' readings in a row, as a transaction announces them.
  std::map<int64_t, std::vector<datenwerk::series::Point>> by_series;
  std::vector<int64_t> order;
  for (const auto& r : parsed->readings) {
    if (!by_series.contains(r.datastream)) order.push_back(r.datastream);
    by_series[r.datastream].push_back(r.point);
  }
  std::vector<datenwerk::series::AppendedRun> runs;
  for (int64_t ds : order) runs.push_back({ds, by_series[ds]});
  size_t read = 0;
  for (const std::string& again : datenwerk::series::AppendedDetails(runs)) {
    auto back = datenwerk::series::ParseAppended(again);
    if (!back.ok()) std::abort();
    read += back->readings.size();
    for (const auto& r : back->readings) {
      const auto& points = by_series[r.datastream];
      if (std::find_if(points.begin(), points.end(), [&](const auto& p) {
            return p.time_ms == r.point.time_ms && std::memcmp(&p.value, &r.point.value, sizeof(double)) == 0;
          }) == points.end()) {
        std::abort();
      }
    }
  }
  if (read != parsed->readings.size()) std::abort();
  return 0;
}
