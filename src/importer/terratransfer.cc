// TerraTransfer "Aquatos" water loggers at Bochum's ponds and waters (terratransfer/).
// - Loggers: bochum_terratransfer_logger.csv (#, logger_id, name, latitude, longitude); data
//   folders are <logger_id>_<slug>/daily/*.csv; a listed logger without a folder is skipped.
// - Time: "datetime" is naive. The city does not say which zone; its files on the days clocks
//   change have 96 rows with no hour missing or doubled, and readings stamped 01:00 appear in
//   commits made at 00:01 UTC: a fixed UTC+1 (MEZ) all year fits, so that is what is applied.
// - Units: the city documents none for any column. Water temperature reads as °C and is marked
//   as assumed; the level (its reference differs between loggers), the oxygen columns o and do
//   and the conductivity elL stay "nicht dokumentiert". Columns a logger never fills get no
//   Datastream. Exactly 0 °C water temperature between other values is flagged (a logger's "no
//   value"), as are oxygen values no unit could explain.
#include "core/csv.h"
#include "core/dates.h"
#include "importer/csv_series.h"
#include "importer/open_data.h"
#include "importer/open_data_common.h"

namespace datenwerk::importer {

namespace fs = std::filesystem;

namespace {

constexpr char kNoUnit[] = "nicht dokumentiert";

std::vector<SeriesSpec> Specs() {
  const std::string undocumented = " Die Stadt dokumentiert keine Einheit.";
  return {
      {"pegel", "pegel", "Pegel", "Wasserstand (Spalte pegel); Bezugspunkt und Einheit sind "
       "nicht dokumentiert und unterscheiden sich zwischen den Loggern.", kNoUnit, "", "",
       "Wasserstand", std::nullopt, std::nullopt},
      {"wtemp", "wassertemperatur", "Wassertemperatur", "Wassertemperatur (Spalte wtemp). Die "
       "Stadt dokumentiert keine Einheit; die Werte passen zu °C.", "Grad Celsius (angenommen)",
       "°C", "Cel", "Wassertemperatur", -1, 35},
      {"o", "sauerstoff-o", "Sauerstoff (o)", "Sauerstoffmessung (Spalte o)." + undocumented,
       kNoUnit, "", "", "Sauerstoff", 0, 300},
      {"do", "geloester-sauerstoff", "Gelöster Sauerstoff (do)",
       "Gelöster Sauerstoff (Spalte do)." + undocumented, kNoUnit, "", "", "Gelöster Sauerstoff",
       0, 50},
      {"elL", "leitfaehigkeit", "Elektrische Leitfähigkeit (elL)",
       "Elektrische Leitfähigkeit (Spalte elL)." + undocumented, kNoUnit, "", "",
       "Elektrische Leitfähigkeit", 0, 10000},
      {"hkBat", "batteriespannung", "Batteriespannung", "Batteriespannung des Loggers (Spalte "
       "hkBat)." + undocumented + " Die Werte passen zu Volt.", "Volt (angenommen)", "V", "V",
       "Batteriespannung", 0, 15},
  };
}

// "2024-04-20 00:15:01", naive: read as UTC+1 (see above).
std::optional<TimeOfRow> ParseTime(const std::string& cell) {
  if (cell.size() != 19 || cell[10] != ' ') return std::nullopt;
  std::string iso = cell + "+01:00";
  iso[10] = 'T';
  auto ms = ParseRfc3339Ms(iso);
  if (!ms) return std::nullopt;
  return TimeOfRow{*ms, 60};
}

}  // namespace

void ReadTerraTransfer(const fs::path& folder, ImportSet& out) {
  const fs::path list = folder / "bochum_terratransfer_logger.csv";
  auto text = ReadWholeFile(list, out);
  if (!text) return;
  auto loggers = ParseCsv(*text, Shown(list));
  if (!loggers.ok()) {
    out.problems.push_back({loggers.status().field(), loggers.status().message()});
    return;
  }
  const int id_at = loggers->Column("logger_id"), name_at = loggers->Column("name");
  const int lat_at = loggers->Column("latitude"), lon_at = loggers->Column("longitude");
  if (id_at < 0 || name_at < 0 || lat_at < 0 || lon_at < 0) {
    out.problems.push_back({Shown(list) + ":1", "needs logger_id, name, latitude, longitude"});
    return;
  }
  for (const CsvRow& row : loggers->rows) {
    const std::string& id = row.cells[id_at];
    auto lat = ParseNumber(row.cells[lat_at]), lon = ParseNumber(row.cells[lon_at]);
    if (!lat || !lon || id.empty()) {
      out.problems.push_back({Shown(list) + ":" + std::to_string(row.line), "logger row cannot be read"});
      continue;
    }
    fs::path daily;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      if (entry.is_directory() && entry.path().filename().string().starts_with(id + "_")) {
        daily = entry.path() / "daily";
      }
    }
    if (daily.empty() || !fs::is_directory(daily)) continue;  // listed, nothing published
    Station station;
    station.key = "terratransfer:" + id;
    station.name = "Gewässersensor " + row.cells[name_at];
    station.description = "Gewässermessstelle der Stadt Bochum (TerraTransfer Aquatos Web "
                          "Logger " + id + ").";
    station.sensor = "TerraTransfer Aquatos Web Logger";
    station.latitude = *lat;
    station.longitude = *lon;
    station.properties = SourceProperties(station.key, "data/ENVI/terratransfer",
                                          "nicht dokumentiert; als UTC+1 (MEZ) gelesen");
    station.properties["loggerId"] = id;
    station.properties["art"] = "Gewässer";
    station.series = SeriesOf(Specs());
    ReadFiles(FilesIn(daily, ".csv"), ',', "datetime", ParseTime, station, out);
    for (Series& s : station.series) {
      if (s.spec.column != "wtemp") continue;
      for (size_t i = 1; i + 1 < s.readings.size(); ++i) {
        if (s.readings[i].value == 0 && s.readings[i - 1].value > 2 && s.readings[i + 1].value > 2) {
          s.readings[i].quality = "genau 0 °C zwischen wärmeren Werten: vermutlich kein Messwert";
        }
      }
    }
    Finish(station.series, out.duplicates);
    std::erase_if(station.series, [](const Series& s) { return s.readings.empty(); });
    out.stations.push_back(std::move(station));
  }
}

}  // namespace datenwerk::importer
