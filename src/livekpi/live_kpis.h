// Six of the programme's KPIs computed from the platform's own data (issue: "KPIs computed live"),
// pure: from what each station did in a period to the values. The method of each is stated in
// German for the portal's KPI pages (Methods()).
//   SCBOK-NMU-KK-K1.2  Anzahl instrumentierter Sensoren: climate and environment stations with a
//                      reading in the period (not fill-level sensors; replay copies not counted).
//   SCBOK-NMU-KK-K1.3  Abdeckung des Sensoren-Netzes: share of the city's area within
//                      `sensor_radius_m` of such a station.
//   SCBOK-NMU-KK-K-H7  the same for air-quality stations.
//   SCBOK-NMU-ER-K-H3  containers under fill-level control: containers with a reading in the
//                      period out of `containers_total` (not computed without that number).
//   SCBOK-ZI-NI-K5.1   LoRaWAN coverage: share of the `lorawan_cell_m` grid cells over the city
//                      in which a device's uplink reached a gateway in the period (measured, no
//                      radio model; cells without a device count as not covered).
//   SCBOK-ZI-NI-K5.2   projects on LoRaWAN: distinct projects (Thing property "projekt") of the
//                      devices whose uplinks reached a gateway in the period.
// A KPI whose basis the platform lacks (no active station of the kind, no LoRaWAN device, no
// container total) is not computed: a figure the team reported is not followed by a zero.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "livekpi/coverage.h"

namespace datenwerk::livekpi {

inline constexpr char kSource[] = "Datenwerk (automatisch)";

struct Station {
  int64_t id = 0;
  std::string kind;  // the Thing's properties.art ("Bodenfeuchte", "Glascontainer", …)
  std::optional<LonLat> position;
  std::vector<std::string> quantities;  // properties.groesse of its Datastreams
  bool active = false;    // a reading in the period
  bool replay = false;    // a "Wiedergabe" copy of another station
  bool lorawan = false;   // fed by a LoRaWAN device of the registry
  bool received = false;  // one of that device's uplinks reached a gateway in the period
  std::string project;    // properties.projekt
};

struct Options {
  double sensor_radius_m = 500;
  double lorawan_cell_m = 500;
  int64_t containers_total = 0;  // 0: unknown, K-H3 is not computed
  int uplink_retention_days = 0;  // uplink records are kept this long (0: for ever): K5.1 and
                                  // K5.2 are not computed for periods that began before
};

struct Value {
  std::string kpi_id;
  double value = 0;
  std::string unit;
  std::string note;  // what it was computed from, for the value's note
};

struct Outcome {
  std::vector<Value> values;
  std::vector<std::pair<std::string, std::string>> not_computed;  // (kpi id, why)
};

Result<Outcome> ComputeLiveKpis(const std::vector<Station>& stations, const Area& city, const Options& options);

struct Method {
  std::string kpi_id;
  std::string text;  // German, for the KPI page
};
// The methods, with the configured radius, cell and container total in the text.
std::vector<Method> Methods(const Options& options);

}  // namespace datenwerk::livekpi
