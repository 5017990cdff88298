// Private to importer/*.cc: what the three readers share.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "importer/csv_series.h"
#include "importer/station.h"

namespace datenwerk::importer {

inline constexpr char kSource[] = "Stadt Bochum, Open Data (CC0 1.0)";
inline constexpr char kRepository[] = "https://github.com/StadtBochum/OpenData";
inline constexpr int64_t kMaxFileBytes = 256LL << 20;  // a published file larger is no data file

// The whole file, or nullopt with a problem recorded.
std::optional<std::string> ReadWholeFile(const std::filesystem::path& file, ImportSet& out);
// Files directly in `folder` whose name ends with `suffix`, sorted by name.
std::vector<std::filesystem::path> FilesIn(const std::filesystem::path& folder,
                                           std::string_view suffix);
// A path relative to the ENVI folder for problems ("ecowitt_gw2001/…/x.csv").
std::string Shown(const std::filesystem::path& file);
// The station's properties every reader sets.
boost::json::object SourceProperties(std::string_view key, std::string_view dataset,
                                     std::string_view time_zone);
std::vector<Series> SeriesOf(const std::vector<SeriesSpec>& specs);
// Reads each CSV file (with `separator`) into the station's series: rows counted, a file that
// is no CSV and every unreadable row become problems.
void ReadFiles(const std::vector<std::filesystem::path>& files, char separator,
               const std::string& time_column, const TimeParser& parse_time, Station& station,
               ImportSet& out);

}  // namespace datenwerk::importer
