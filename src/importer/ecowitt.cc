// EcoWitt GW2001 weather stations on Bochum's smart benches (ecowitt_gw2001/).
// - Stations: the city's README table (#, Name, Latitude, Longitude, MAC); the folder is the MAC
//   without colons. The README's coordinates are used (the EcoWitt account's differ by 4-43 m).
// - Data: <MAC>/daily/bochum_ecowitt_gw2001_<MAC>_<date>.csv, 5-minute rows, "datetime" in
//   Europe/Berlin local time with its offset ("2024-04-20 00:00:32+02:00").
// - Times are put back on the 5-minute grid: the city's back-filled files carry epoch seconds
//   rounded to multiples of 128 s (float32), at most 64 s off; exact files are unchanged.
// - Units: the city's documentation names none; its collector asks EcoWitt's API for °C, hPa,
//   km/h and mm (unit ids 1, 3, 7, 12), and W/m² is the API's default for irradiance. Each
//   Datastream says so in its description.
// - Rain: the daily counter (mm since local midnight) becomes 5-minute amounts (rain.h); the
//   other counters (event, hourly, weekly, monthly, yearly) say the same again and are left.
// - Left out: indoor_* (the gateway's own sensor, heated by the sun), pressure_relative (equal to
//   pressure_absolute in every row), outdoor_app_temp (a second apparent temperature) and the
//   capacitor voltage.
#include <cmath>

#include "core/csv.h"
#include "core/dates.h"
#include "importer/csv_series.h"
#include "importer/open_data.h"
#include "importer/open_data_common.h"
#include "importer/rain.h"

namespace datenwerk::importer {

namespace fs = std::filesystem;

namespace {

constexpr char kUnitNote[] =
    " Einheit: vom Sammelskript der Stadt bei der EcoWitt-API angefordert; die Dokumentation der "
    "Stadt nennt keine Einheiten.";
constexpr int64_t kGridMs = 300'000;

std::vector<SeriesSpec> Specs() {
  const std::string note = kUnitNote;
  return {
      {"outdoor_temperature", "lufttemperatur", "Lufttemperatur", "Lufttemperatur in etwa 1 m Höhe." + note,
       "Grad Celsius", "°C", "Cel", "Lufttemperatur", -35, 45},
      {"outdoor_humidity", "luftfeuchte", "Relative Luftfeuchte", "Relative Luftfeuchte." + note,
       "Prozent", "%", "%", "Relative Luftfeuchte", 0, 100},
      {"outdoor_dew_point", "taupunkt", "Taupunkt", "Taupunkttemperatur." + note, "Grad Celsius",
       "°C", "Cel", "Taupunkt", -40, 35},
      {"outdoor_feels_like", "gefuehlte-temperatur", "Gefühlte Temperatur",
       "Gefühlte Temperatur, von der Station berechnet." + note, "Grad Celsius", "°C", "Cel",
       "Gefühlte Temperatur", -50, 55},
      {"solar_and_uvi_solar", "globalstrahlung", "Globalstrahlung",
       "Solare Einstrahlung. Einheit: Voreinstellung der EcoWitt-API; die Stadt nennt keine.",
       "Watt pro Quadratmeter", "W/m²", "W/m2", "Globalstrahlung", 0, 1500},
      {"solar_and_uvi_uvi", "uv-index", "UV-Index", "UV-Index in ganzen Zahlen, wie veröffentlicht.",
       "UV-Index", "", "{UV-Index}", "UV-Index", 0, 15},
      {"rainfall_piezo_rain_rate", "niederschlagsintensitaet", "Niederschlagsintensität",
       "Regenrate des piezoelektrischen Regensensors." + note, "Millimeter pro Stunde", "mm/h",
       "mm/h", "Niederschlagsintensität", 0, 250},
      {"rainfall_piezo_daily", "niederschlag", "Niederschlag (5 Minuten)",
       "Regenmenge seit der vorigen Messung, aus dem Tageszähler (rainfall_piezo_daily) "
       "berechnet: Rücksetzungen und Rücksprünge zählen keinen Regen, Datenlücken sind markiert." +
           note,
       "Millimeter", "mm", "mm", "Niederschlag", 0, 60},
      {"wind_wind_speed", "windgeschwindigkeit", "Windgeschwindigkeit", "Windgeschwindigkeit." + note,
       "Kilometer pro Stunde", "km/h", "km/h", "Windgeschwindigkeit", 0, 200},
      {"wind_wind_gust", "windboeen", "Windböen", "Böengeschwindigkeit." + note,
       "Kilometer pro Stunde", "km/h", "km/h", "Windböen", 0, 250},
      {"wind_wind_direction", "windrichtung", "Windrichtung", "Windrichtung in Grad von Nord.",
       "Grad", "°", "deg", "Windrichtung", 0, 360},
      {"pressure_absolute", "luftdruck", "Luftdruck", "Luftdruck am Standort (nicht auf "
       "Meereshöhe reduziert)." + note, "Hektopascal", "hPa", "hPa", "Luftdruck", 900, 1080},
      {"battery_haptic_array_battery", "batteriespannung", "Batteriespannung",
       "Batteriespannung des Sensorarrays. Einheit nicht dokumentiert; die Werte passen zu Volt.",
       "Volt (angenommen)", "V", "V", "Batteriespannung", 0, 5},
  };
}

// "2024-04-20 00:00:32+02:00": UTC on the 5-minute grid, and the offset.
std::optional<TimeOfRow> ParseTime(const std::string& cell) {
  if (cell.size() != 25 || cell[10] != ' ') return std::nullopt;
  std::string iso = cell;
  iso[10] = 'T';
  auto ms = ParseRfc3339Ms(iso);
  if (!ms) return std::nullopt;
  const int sign = cell[19] == '-' ? -1 : 1;
  const int32_t offset = sign * ((cell[20] - '0') * 600 + (cell[21] - '0') * 60 +
                                 (cell[23] - '0') * 10 + (cell[24] - '0'));
  const int64_t on_grid = (*ms + kGridMs / 2) / kGridMs * kGridMs;
  return TimeOfRow{on_grid, offset};
}

std::string MacWithoutColons(const std::string& mac) {
  std::string out;
  for (char c : mac) {
    if (c != ':') out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

void ReadEcowitt(const fs::path& folder, ImportSet& out) {
  auto readme = ReadWholeFile(folder / "README.md", out);
  if (!readme) return;
  for (const auto& row : MarkdownTableRows(*readme)) {
    if (row.size() < 5) continue;
    const std::string mac = MacWithoutColons(row[4]);
    auto lat = ParseNumber(row[2]), lon = ParseNumber(row[3]);
    if (!lat || !lon || mac.size() != 12) {
      out.problems.push_back({Shown(folder / "README.md"), "station row \"" + row[1] + "\" cannot be read"});
      continue;
    }
    const fs::path daily = folder / mac / "daily";
    if (!fs::is_directory(daily)) continue;  // listed, but nothing published
    Station station;
    station.key = "ecowitt:" + mac;
    station.name = "Wetterstation " + row[1];
    station.description = "Wetterstation auf einer Smarten Bank der Stadt Bochum (EcoWitt "
                          "GW2001), Nr. " + row[0] + ", MAC " + row[4] + ".";
    station.sensor = "EcoWitt GW2001 (Smarte Bank)";
    station.latitude = *lat;
    station.longitude = *lon;
    station.properties = SourceProperties(station.key, "data/ENVI/ecowitt_gw2001",
                                          "Europe/Berlin, mit UTC-Versatz in jeder Zeile");
    station.properties["mac"] = row[4];
    station.properties["art"] = "Wetterstation";
    station.series = SeriesOf(Specs());
    ReadFiles(FilesIn(daily, ".csv"), ',', "datetime", ParseTime, station, out);
    Finish(station.series, out.duplicates);
    for (Series& s : station.series) {
      if (s.spec.column != "rainfall_piezo_daily") continue;
      // Amounts from the counter (in time order now); a gap of over two intervals is marked.
      for (Reading& r : s.readings) r.quality.clear();  // the counter's range is not the amounts'
      s.readings = RainAmounts(s.readings, 3 * kGridMs);
      FlagImplausible(s);
    }
    out.stations.push_back(std::move(station));
  }
}

}  // namespace datenwerk::importer
