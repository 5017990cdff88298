#include "importer/csv_series.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/json_text.h"

namespace datenwerk::importer {

std::optional<double> ParseNumber(const std::string& cell) {
  double v = 0;
  const char* end = cell.data() + cell.size();
  auto [p, ec] = std::from_chars(cell.data(), end, v);
  if (ec != std::errc() || p != end || !std::isfinite(v)) return std::nullopt;
  return v;
}

void ReadColumns(const CsvTable& table, const std::string& file, const std::string& time_column,
                 const TimeParser& parse_time, std::vector<Series>& series,
                 std::vector<Problem>& problems) {
  const int time_at = table.Column(time_column);
  if (time_at < 0) {
    problems.push_back({file + ":1", "no column " + time_column});
    return;
  }
  std::vector<int> columns;
  for (const Series& s : series) {
    columns.push_back(table.Column(s.spec.column));
    if (columns.back() < 0) problems.push_back({file + ":1", "no column " + s.spec.column});
  }
  for (const CsvRow& row : table.rows) {
    const std::string where = file + ":" + std::to_string(row.line);
    auto time = parse_time(row.cells[time_at]);
    if (!time) {
      problems.push_back({where, "time \"" + row.cells[time_at] + "\" cannot be read"});
      continue;
    }
    for (size_t i = 0; i < series.size(); ++i) {
      if (columns[i] < 0) continue;
      const std::string& cell = row.cells[columns[i]];
      if (cell.empty()) continue;  // no value: a gap stays a gap
      auto value = ParseNumber(cell);
      if (!value) {
        problems.push_back({where, series[i].spec.column + " \"" + cell + "\" is no number"});
        continue;
      }
      series[i].readings.push_back({time->utc_ms, *value, {}, time->offset_min});
    }
  }
}

void FlagImplausible(Series& s) {
  const std::string unit = s.spec.unit_symbol.empty() ? "" : " " + s.spec.unit_symbol;
  for (Reading& reading : s.readings) {
    if (!reading.quality.empty()) continue;  // flagged by the reader already
    if (s.spec.min && reading.value < *s.spec.min) {
      reading.quality = "unplausibel: " + JsonNumberText(reading.value) + unit + " liegt unter " +
                        JsonNumberText(*s.spec.min) + unit;
    } else if (s.spec.max && reading.value > *s.spec.max) {
      reading.quality = "unplausibel: " + JsonNumberText(reading.value) + unit + " liegt über " +
                        JsonNumberText(*s.spec.max) + unit;
    }
  }
}

void Finish(std::vector<Series>& series, int64_t& duplicates) {
  for (Series& s : series) {
    auto& r = s.readings;
    std::stable_sort(r.begin(), r.end(),
                     [](const Reading& a, const Reading& b) { return a.time_ms < b.time_ms; });
    const auto end = std::unique(r.begin(), r.end(), [](const Reading& a, const Reading& b) {
      return a.time_ms == b.time_ms;
    });
    duplicates += r.end() - end;
    r.erase(end, r.end());
    FlagImplausible(s);
  }
}

}  // namespace datenwerk::importer
