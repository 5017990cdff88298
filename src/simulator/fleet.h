// The simulated fleet (`datenwerk simulate`): the sensor kinds Bochum has no open data for yet,
// placed on real geodata where it has places and marked as simulated everywhere:
// - 23 soil-moisture sensors at 10, 30 and 60 cm at Westpark, Universitätsstraße and
//   Wasserstraße (the concept's NMU-KK-1). No sensor positions are published, so each stands at
//   its site's published reference point, and its properties say so;
// - 2 rain gauges, 1 air station and 2 glass containers per Stadtbezirk, at points inside the
//   district's polygon (positions simulated, and marked so: no real sites are published);
// - a lake probe in the Kemnader See (the published lake point);
// - 4 LoRaWAN gateways, named only (their positions are not published either).
// `scale` multiplies the devices per site and district (for benchmarks). Pure apart from
// GEOS through geo::Districts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "geo/districts.h"

namespace datenwerk::simulator {

enum class Kind { kSoil, kRain, kAir, kLake, kContainer };
enum class Network { kChirpStack, kTheThingsStack };

// One decoded field of a device, and the Datastream it goes to.
struct Field {
  std::string name;       // in the uplink's decoded object (or the Cayenne LPP name)
  std::string quantity;   // properties.groesse of the Datastream
  std::string label;      // Datastream name (German)
  std::string unit_name, unit_symbol, unit_code;
  std::optional<double> threshold;  // soil moisture: when to water
};

struct Device {
  uint64_t index = 0;
  Kind kind = Kind::kSoil;
  Network network = Network::kChirpStack;
  bool cayenne = false;       // raw Cayenne LPP payload instead of a decoded object
  std::string dev_eui;        // 16 hex digits
  std::string device_id;      // the network server's id, e.g. "sim-boden-westpark-3"
  std::string name;           // German, e.g. "Bodenfeuchte Westpark 3 (60 cm)"
  std::string kind_label;     // properties.art: "Bodenfeuchte", "Regenmesser", …
  std::string site;           // properties.standort
  double lon = 0, lat = 0;
  std::string position_note;  // where the position comes from
  double depth_cm = 0;        // soil sensors
  int interval_s = 900;       // between uplinks
  std::vector<Field> fields;
};

struct Gateway {
  std::string id;    // e.g. "0016c001f1500001" (ChirpStack gateway id)
  std::string name;  // "Gateway 1 (simuliert)"
};

struct Fleet {
  std::vector<Device> devices;
  std::vector<Gateway> gateways;
};

// `places_csv`: ../shared/geo/places.csv (kind,name,lat,lon,source), for the soil sites and the
// lake. kInvalidArgument when a place the fleet needs is missing.
Result<Fleet> MakeFleet(const std::string& places_csv, const geo::Districts& districts, int scale);

}  // namespace datenwerk::simulator
