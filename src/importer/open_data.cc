#include "importer/open_data.h"

#include <fstream>
#include <sstream>

#include "core/csv.h"
#include "importer/open_data_common.h"

namespace datenwerk::importer {

namespace fs = std::filesystem;

std::optional<std::string> ReadWholeFile(const fs::path& file, ImportSet& out) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec || size > static_cast<uintmax_t>(kMaxFileBytes)) {
    out.problems.push_back({Shown(file), ec ? "cannot be read: " + ec.message()
                                            : "larger than 256 MiB: not a data file"});
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    out.problems.push_back({Shown(file), "cannot be read"});
    return std::nullopt;
  }
  ++out.files;
  return text.str();
}

std::vector<fs::path> FilesIn(const fs::path& folder, std::string_view suffix) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with(suffix)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Shown(const fs::path& file) {
  const std::string s = file.generic_string();
  const size_t envi = s.rfind("/ENVI/");
  return envi == std::string::npos ? s : s.substr(envi + 6);
}

boost::json::object SourceProperties(std::string_view key, std::string_view dataset,
                                     std::string_view time_zone) {
  return {{"importKey", key},
          {"quelle", kSource},
          {"lizenz", "CC0-1.0"},
          {"datensatz", std::string(kRepository) + ", " + std::string(dataset)},
          {"zeitzone", time_zone}};
}

std::vector<Series> SeriesOf(const std::vector<SeriesSpec>& specs) {
  std::vector<Series> series;
  for (const SeriesSpec& spec : specs) series.push_back({spec, {}});
  return series;
}

void ReadFiles(const std::vector<fs::path>& files, char separator, const std::string& time_column,
               const TimeParser& parse_time, Station& station, ImportSet& out) {
  for (const fs::path& file : files) {
    auto text = ReadWholeFile(file, out);
    if (!text) continue;
    auto table = ParseCsv(*text, Shown(file), separator);
    if (!table.ok()) {
      out.problems.push_back({table.status().field(), table.status().message()});
      continue;
    }
    out.rows += static_cast<int64_t>(table->rows.size());
    ReadColumns(*table, Shown(file), time_column, parse_time, station.series, out.problems);
  }
}

std::vector<std::vector<std::string>> MarkdownTableRows(std::string_view text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines{std::string(text)};
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.starts_with("|")) continue;
    std::vector<std::string> cells;
    size_t start = 1;
    for (size_t bar = line.find('|', start); bar != std::string::npos;
         start = bar + 1, bar = line.find('|', start)) {
      std::string cell = line.substr(start, bar - start);
      const auto first = cell.find_first_not_of(" \t\r");
      const auto last = cell.find_last_not_of(" \t\r");
      cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
    }
    // The header and the "|---|" separator do not start with a number.
    if (cells.empty() || cells[0].empty() || !std::isdigit(static_cast<unsigned char>(cells[0][0]))) {
      continue;
    }
    rows.push_back(std::move(cells));
  }
  return rows;
}

ImportSet ReadBochumOpenData(const fs::path& root) {
  ImportSet out;
  fs::path envi = root;
  if (fs::is_directory(root / "data" / "ENVI")) envi = root / "data" / "ENVI";
  else if (fs::is_directory(root / "ENVI")) envi = root / "ENVI";
  bool any = false;
  if (fs::is_directory(envi / "ecowitt_gw2001")) {
    ReadEcowitt(envi / "ecowitt_gw2001", out);
    any = true;
  }
  if (fs::is_directory(envi / "terratransfer")) {
    ReadTerraTransfer(envi / "terratransfer", out);
    any = true;
  }
  if (fs::is_directory(envi / "treesense")) {
    ReadTreeSense(envi / "treesense", out);
    any = true;
  }
  if (!any) {
    out.problems.push_back({root.string(), "holds none of ecowitt_gw2001, terratransfer, treesense "
                                           "(in data/ENVI/, ENVI/ or itself)"});
  }
  return out;
}

}  // namespace datenwerk::importer
