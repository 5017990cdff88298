// Reads the columns of a parsed CSV table into series of readings: each row's time through the
// format's own parser, each numeric cell into its series, empty cells as gaps, values outside
// the plausible range flagged. Shared by the readers of every published format. Pure.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/csv.h"
#include "importer/station.h"

namespace datenwerk::importer {

struct TimeOfRow {
  int64_t utc_ms = 0;
  int32_t offset_min = 0;
};
// nullopt when the cell is no time of the format.
using TimeParser = std::function<std::optional<TimeOfRow>(const std::string& cell)>;

// Appends the readings of `table` to `series` (one per spec, matched by column; a missing
// column is a problem), and a problem for every row whose time or number cannot be read.
// `file` names the source in problems ("…/2024-04-20.csv:17").
void ReadColumns(const CsvTable& table, const std::string& file, const std::string& time_column,
                 const TimeParser& parse_time, std::vector<Series>& series,
                 std::vector<Problem>& problems);

// Sorts each series by time, keeps the first reading of a time given twice (counted), and
// flags readings outside the spec's range.
void Finish(std::vector<Series>& series, int64_t& duplicates);
// Flags the readings outside the spec's range that are not flagged yet.
void FlagImplausible(Series& series);

// "12.5" or "-3" into a number; nullopt otherwise (also for "nan", "inf" and trailing text).
std::optional<double> ParseNumber(const std::string& cell);

}  // namespace datenwerk::importer
