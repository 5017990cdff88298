// Readers of the sensor data a city publishes as open data, in the formats Bochum uses
// (github.com/StadtBochum/OpenData, data/ENVI/): the EcoWitt GW2001 weather stations on the
// "smart benches", the TerraTransfer water loggers and the TreeSense tree sensors. Each reads
// its folder (station table + data files) into stations with series; every row or file that
// cannot be read becomes a Problem with "file:line". Time zones, as documented in each reader's
// .cc: EcoWitt gives offsets; TerraTransfer is naive and read as UTC+1 all year; TreeSense is
// naive and read as UTC. Pure apart from reading files.
#pragma once

#include <filesystem>

#include "importer/station.h"

namespace datenwerk::importer {

// `root` is a folder holding data/ENVI/ (a copy of the repository or a slice of it), or ENVI/
// itself. Folders that are missing are skipped; a root with none of the three is a problem.
ImportSet ReadBochumOpenData(const std::filesystem::path& root);

// Each format on its own (the folder of the format, e.g. .../ENVI/ecowitt_gw2001).
void ReadEcowitt(const std::filesystem::path& folder, ImportSet& out);
void ReadTerraTransfer(const std::filesystem::path& folder, ImportSet& out);
void ReadTreeSense(const std::filesystem::path& folder, ImportSet& out);

// A Markdown table's rows as trimmed cells ("| 1 | Westpark | 51.48 |" -> {"1", "Westpark",
// "51.48"}), header and separator rows left out.
std::vector<std::vector<std::string>> MarkdownTableRows(std::string_view text);

}  // namespace datenwerk::importer
