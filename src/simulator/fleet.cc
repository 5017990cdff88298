#include "simulator/fleet.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "core/csv.h"

namespace datenwerk::simulator {

namespace {

std::string Hex16(uint64_t v) {
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(v));
  return out;
}

std::string Slug(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c)) out.push_back(static_cast<char>(std::tolower(c)));
    else if (c == 0xC3) continue;  // the first byte of ä, ö, ü, ß: the second is skipped too
    else if (c >= 0x80) continue;
    else if (!out.empty() && out.back() != '-') out.push_back('-');
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

Field Battery() { return {"battery", "batteriespannung", "Batteriespannung", "Volt", "V", "V", {}}; }

}  // namespace

Result<Fleet> MakeFleet(const std::string& places_csv, const geo::Districts& districts, int scale) {
  auto places = ParseCsv(places_csv, "places.csv");
  if (!places.ok()) return places.status();
  const int kind_at = places->Column("kind"), name_at = places->Column("name");
  const int lat_at = places->Column("lat"), lon_at = places->Column("lon");
  if (kind_at < 0 || name_at < 0 || lat_at < 0 || lon_at < 0) {
    return InvalidArgument("needs the columns kind, name, lat, lon", "places.csv");
  }
  struct Place { std::string name; double lon, lat; };
  std::vector<Place> sites;
  std::optional<Place> lake;
  for (const CsvRow& row : places->rows) {
    const std::string& kind = row.cells[kind_at];
    const double lat = std::strtod(row.cells[lat_at].c_str(), nullptr);
    const double lon = std::strtod(row.cells[lon_at].c_str(), nullptr);
    const std::string& name = row.cells[name_at];
    if (kind == "soil_moisture_area_reference") sites.push_back({name.substr(0, name.find(" - ")), lon, lat});
    if (kind == "lake" && name.starts_with("Kemnader See")) lake = Place{"Kemnader See", lon, lat};
  }
  if (sites.size() < 3 || !lake) {
    return InvalidArgument("needs the three soil-moisture sites and the Kemnader See", "places.csv");
  }
  scale = std::max(1, scale);
  Fleet fleet;
  uint64_t next = 1;
  const auto add = [&](Device d) {
    d.index = next++;
    d.dev_eui = Hex16(0xd57a000000000000ULL | d.index);
    fleet.devices.push_back(std::move(d));
  };
  // Soil: 23 sensors over the three sites (8, 8, 7), depths 10, 30, 60 cm in turn.
  const int per_site[] = {8, 8, 7};
  for (size_t s = 0; s < 3; ++s) {
    for (int i = 0; i < per_site[s] * scale; ++i) {
      Device d;
      d.kind = Kind::kSoil;
      d.network = Network::kChirpStack;
      d.depth_cm = (i % 3 == 0) ? 10 : (i % 3 == 1) ? 30 : 60;
      d.site = sites[s].name;
      d.kind_label = "Bodenfeuchte";
      d.name = "Bodenfeuchte " + d.site + " " + std::to_string(i + 1) + " (" +
               std::to_string(static_cast<int>(d.depth_cm)) + " cm)";
      d.device_id = "sim-boden-" + Slug(d.site) + "-" + std::to_string(i + 1);
      d.lon = sites[s].lon;
      d.lat = sites[s].lat;
      d.position_note = "Bezugspunkt des Standorts (Stadt Bochum, Open Data); Sensorposition nicht veröffentlicht";
      d.interval_s = 900;
      d.fields = {{"soilMoisture", "bodenfeuchte", "Bodenfeuchte", "Prozent (Volumen)", "%", "%", 20.0}, Battery()};
      add(std::move(d));
    }
  }
  // Per Stadtbezirk: rain gauges, an air station, glass containers, on points inside it.
  for (size_t k = 0; k < districts.Names().size(); ++k) {
    const std::string& district = districts.Names()[k];
    const auto points = districts.PointsInside(k, 5 * scale);
    size_t p = 0;
    const auto place = [&](Device& d) {
      const auto& xy = points[std::min(p++, points.size() - 1)];
      d.lon = xy.first;
      d.lat = xy.second;
      d.site = district;
      d.position_note = "Lage simuliert (ein Punkt im Stadtbezirk " + district + ")";
    };
    for (int i = 0; i < 2 * scale; ++i) {
      Device d;
      d.kind = Kind::kRain;
      d.network = Network::kTheThingsStack;
      d.cayenne = true;
      d.kind_label = "Regenmesser";
      d.name = "Regenmesser " + district + " " + std::to_string(i + 1);
      d.device_id = "sim-regen-" + Slug(district) + "-" + std::to_string(i + 1);
      d.interval_s = 300;
      d.fields = {{"analog_in_1", "niederschlag", "Niederschlag (5 Minuten)", "Millimeter", "mm", "mm", {}},
                  {"voltage_2", "batteriespannung", "Batteriespannung", "Volt", "V", "V", {}}};
      place(d);
      add(std::move(d));
    }
    for (int i = 0; i < scale; ++i) {
      Device d;
      d.kind = Kind::kAir;
      d.network = Network::kTheThingsStack;
      d.kind_label = "Luftmessstation";
      d.name = "Luftmessstation " + district + (scale > 1 ? " " + std::to_string(i + 1) : "");
      d.device_id = "sim-luft-" + Slug(district) + "-" + std::to_string(i + 1);
      d.interval_s = 600;
      d.fields = {{"temperature", "lufttemperatur", "Lufttemperatur", "Grad Celsius", "°C", "Cel", {}},
                  {"humidity", "luftfeuchte", "Relative Luftfeuchte", "Prozent", "%", "%", {}}, Battery()};
      place(d);
      add(std::move(d));
    }
    for (int i = 0; i < 2 * scale; ++i) {
      Device d;
      d.kind = Kind::kContainer;
      d.network = Network::kChirpStack;
      d.kind_label = "Glascontainer";
      d.name = "Glascontainer " + district + " " + std::to_string(i + 1);
      d.device_id = "sim-glas-" + Slug(district) + "-" + std::to_string(i + 1);
      d.interval_s = 3600;
      d.fields = {{"fill_level", "fuellstand", "Füllstand", "Prozent", "%", "%", {}}, Battery()};
      place(d);
      add(std::move(d));
    }
  }
  Device probe;
  probe.kind = Kind::kLake;
  probe.network = Network::kTheThingsStack;
  probe.kind_label = "Seesonde";
  probe.name = "Seesonde Kemnader See";
  probe.device_id = "sim-see-kemnader-see";
  probe.site = lake->name;
  probe.lon = lake->lon;
  probe.lat = lake->lat;
  probe.position_note = "Koordinate des Sees (Wikipedia, Kemnader See); Sondenposition simuliert";
  probe.interval_s = 900;
  probe.fields = {{"water_temperature", "wassertemperatur", "Wassertemperatur", "Grad Celsius", "°C", "Cel", {}},
                  {"dissolved_oxygen", "geloester-sauerstoff", "Gelöster Sauerstoff", "Milligramm pro Liter", "mg/l", "mg/L", {}},
                  {"ph", "ph", "pH-Wert", "pH", "", "[pH]", {}},
                  {"conductivity", "leitfaehigkeit", "Elektrische Leitfähigkeit", "Mikrosiemens pro Zentimeter", "µS/cm", "uS/cm", {}},
                  Battery()};
  add(std::move(probe));
  for (int g = 1; g <= 4; ++g) {
    fleet.gateways.push_back({Hex16(0x0016c001f1500000ULL + static_cast<uint64_t>(g)),
                              "Gateway " + std::to_string(g) + " (simuliert)"});
  }
  return fleet;
}

}  // namespace datenwerk::simulator
