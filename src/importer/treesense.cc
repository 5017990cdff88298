// TreeSense "Pulse" tree sensors on Bochum's street trees (treesense/).
// - Sensors: the city's README table (#, Name, Latitude, Longitude, Hardware Serial); each
//   serial's folder holds one CSV with the whole published series.
// - Format: semicolons, a UTF-8 byte order mark, CR LF, German short dates without seconds
//   ("14.6.23 8:45").
// - Time: naive and undocumented. The files hold times that cannot exist in Europe/Berlin (31.3.24
//   2:05 … 2:50) and no doubled hour in October, so it is no Berlin wall-clock time; read as UTC.
// - Units: from the vendor's page "Pulse – Interpretation der Daten" (resistance in kΩ,
//   temperature in °C, moisture an index of 0-100 %); the city states none. A resistance of
//   exactly 1000 kΩ is the sensor's ceiling: flagged, with the compensated value of that row.
#include "core/csv.h"
#include "core/dates.h"
#include "importer/csv_series.h"
#include "importer/open_data.h"
#include "importer/open_data_common.h"

namespace datenwerk::importer {

namespace fs = std::filesystem;

namespace {

constexpr double kCeiling = 1000;

std::vector<SeriesSpec> Specs() {
  const std::string vendor = " Einheit laut Hersteller (TreeSense); die Stadt nennt keine.";
  return {
      {"resistance", "widerstand", "Elektrischer Widerstand im Holz",
       "Widerstand zwischen den Elektroden im Stamm." + vendor, "Kiloohm", "kΩ", "kOhm",
       "Elektrischer Widerstand im Holz", 0, std::nullopt},
      {"temperature", "temperatur", "Temperatur", "Temperatur am Sensor." + vendor,
       "Grad Celsius", "°C", "Cel", "Temperatur am Baum", -30, 50},
      {"resis_temp_comp", "widerstand-kompensiert", "Widerstand (temperaturkompensiert)",
       "Auf eine Bezugstemperatur umgerechneter Widerstand; Einheit nicht dokumentiert.",
       "nicht dokumentiert", "", "", "Temperaturkompensierter Widerstand", 0, std::nullopt},
      {"moisture_content", "feuchteindex", "Feuchteindex",
       "Feuchteindex des Holzes (0-100 %), in der Cloud des Herstellers berechnet." + vendor,
       "Prozent", "%", "%", "Feuchteindex Holz", 0, 100},
  };
}

// "14.6.23 8:45" (d.m.yy H:MM), read as UTC.
std::optional<TimeOfRow> ParseTime(const std::string& cell) {
  int day = 0, month = 0, year = 0, hour = 0, minute = 0;
  char tail = 0;
  if (std::sscanf(cell.c_str(), "%2d.%2d.%2d %2d:%2d%c", &day, &month, &year, &hour, &minute,
                  &tail) != 5) {
    return std::nullopt;
  }
  char iso[32];
  std::snprintf(iso, sizeof iso, "20%02d-%02d-%02dT%02d:%02d:00Z", year, month, day, hour, minute);
  auto ms = ParseRfc3339Ms(iso);
  if (!ms) return std::nullopt;
  return TimeOfRow{*ms, 0};
}

}  // namespace

void ReadTreeSense(const fs::path& folder, ImportSet& out) {
  auto readme = ReadWholeFile(folder / "README.md", out);
  if (!readme) return;
  for (const auto& row : MarkdownTableRows(*readme)) {
    if (row.size() < 5) continue;
    const std::string& serial = row[4];
    auto lat = ParseNumber(row[2]), lon = ParseNumber(row[3]);
    if (!lat || !lon || serial.empty()) {
      out.problems.push_back({Shown(folder / "README.md"), "sensor row \"" + row[1] + "\" cannot be read"});
      continue;
    }
    const auto files = FilesIn(folder / serial, ".csv");
    if (files.empty()) continue;
    Station station;
    station.key = "treesense:" + serial;
    station.name = "Baumsensor " + row[1];
    station.description = "TreeSense-Pulse-Sensor im Stamm eines Stadtbaums, Seriennummer " +
                          serial + ".";
    station.sensor = "TreeSense Pulse";
    station.latitude = *lat;
    station.longitude = *lon;
    station.properties = SourceProperties(station.key, "data/ENVI/treesense",
                                          "nicht dokumentiert; als UTC gelesen");
    station.properties["seriennummer"] = serial;
    station.properties["art"] = "Baum";
    station.series = SeriesOf(Specs());
    ReadFiles(files, ';', "time", ParseTime, station, out);
    // A resistance at the ceiling, and what was computed from it, are kept but flagged.
    Series& resistance = station.series[0];
    Series& compensated = station.series[2];
    std::vector<int64_t> at_ceiling;
    for (Reading& r : resistance.readings) {
      if (r.value == kCeiling) {
        r.quality = "an der Messbereichsgrenze (1000 kΩ)";
        at_ceiling.push_back(r.time_ms);
      }
    }
    std::sort(at_ceiling.begin(), at_ceiling.end());
    for (Reading& r : compensated.readings) {
      if (std::binary_search(at_ceiling.begin(), at_ceiling.end(), r.time_ms)) {
        r.quality = "aus einem Widerstand an der Messbereichsgrenze berechnet";
      }
    }
    Finish(station.series, out.duplicates);
    std::erase_if(station.series, [](const Series& s) { return s.readings.empty(); });
    out.stations.push_back(std::move(station));
  }
}

}  // namespace datenwerk::importer
