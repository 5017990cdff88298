#include "livekpi/live_kpis.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace datenwerk::livekpi {

namespace {

bool Has(const std::vector<std::string>& list, std::initializer_list<const char*> any) {
  for (const char* a : any) {
    if (std::find(list.begin(), list.end(), a) != list.end()) return true;
  }
  return false;
}

bool IsContainer(const Station& s) { return s.kind == "Glascontainer" || Has(s.quantities, {"fuellstand"}); }
bool IsAir(const Station& s) {
  return s.kind == "Luftmessstation" || Has(s.quantities, {"feinstaub", "pm10", "pm2_5", "no2", "ozon", "luftqualitaet"});
}

double Percent(double share) { return std::round(share * 1000) / 10; }

std::string Metres(double m) {
  const auto whole = static_cast<int64_t>(std::llround(m));
  return std::to_string(whole) + " m";
}

std::string Count(size_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

}  // namespace

Result<Outcome> ComputeLiveKpis(const std::vector<Station>& stations, const Area& city, const Options& o) {
  Outcome out;
  std::vector<LonLat> climate, air, received_at;
  size_t climate_count = 0, containers = 0, containers_known = 0, lorawan = 0, unplaced = 0;
  std::set<std::string> projects;
  size_t received_without_project = 0;
  for (const Station& s : stations) {
    if (s.replay) continue;
    if (IsContainer(s)) ++containers_known;
    if (s.lorawan) ++lorawan;
    if (!s.active) continue;
    if (IsContainer(s)) {
      ++containers;
    } else {
      ++climate_count;
      if (s.position) climate.push_back(*s.position); else ++unplaced;
      if (IsAir(s) && s.position) air.push_back(*s.position);
    }
    if (s.lorawan && s.received) {
      if (s.position) received_at.push_back(*s.position);
      if (!s.project.empty()) projects.insert(s.project); else ++received_without_project;
    }
  }
  // A KPI whose basis the platform does not have yet is left to the team: a city that has not
  // connected its sensors must not see its reported figures replaced by zeros.
  auto skip = [&](const char* kpi, const char* why) { out.not_computed.emplace_back(kpi, why); };
  if (climate_count == 0) {
    skip("SCBOK-NMU-KK-K1.2", "keine Messstelle mit Messwerten im Zeitraum");
    skip("SCBOK-NMU-KK-K1.3", "keine Messstelle mit Messwerten im Zeitraum");
  } else {
    out.values.push_back({"SCBOK-NMU-KK-K1.2", static_cast<double>(climate_count), "Sensoren",
                          Count(climate_count, "Messstelle", "Messstellen") + " mit Messwerten im Zeitraum"});
    auto share = ShareWithin(city, climate, o.sensor_radius_m);
    if (!share.ok()) return share.status();
    out.values.push_back({"SCBOK-NMU-KK-K1.3", Percent(*share), "%",
                          Count(climate.size(), "Messstelle", "Messstellen") + ", Umkreis " + Metres(o.sensor_radius_m) +
                              (unplaced ? "; " + std::to_string(unplaced) + " ohne Standort nicht gezählt" : "")});
  }
  if (air.empty()) {
    skip("SCBOK-NMU-KK-K-H7", "keine Luftmessstation mit Messwerten im Zeitraum");
  } else {
    auto air_share = ShareWithin(city, air, o.sensor_radius_m);
    if (!air_share.ok()) return air_share.status();
    out.values.push_back({"SCBOK-NMU-KK-K-H7", Percent(*air_share), "%",
                          Count(air.size(), "Luftmessstation", "Luftmessstationen") + ", Umkreis " + Metres(o.sensor_radius_m)});
  }
  if (o.containers_total <= 0) {
    skip("SCBOK-NMU-ER-K-H3", "die Gesamtzahl der Container ist nicht eingestellt (--containers-total)");
  } else if (containers_known == 0) {
    skip("SCBOK-NMU-ER-K-H3", "kein Container mit Füllstandssensor auf der Plattform");
  } else {
    out.values.push_back({"SCBOK-NMU-ER-K-H3",
                          Percent(std::min(1.0, static_cast<double>(containers) / static_cast<double>(o.containers_total))), "%",
                          Count(containers, "Container", "Container") + " mit Füllstandsmeldung von " +
                              std::to_string(o.containers_total) + " Containern"});
  }
  if (lorawan == 0) {
    skip("SCBOK-ZI-NI-K5.1", "keine LoRaWAN-Geräte registriert");
    skip("SCBOK-ZI-NI-K5.2", "keine LoRaWAN-Geräte registriert");
    return out;
  }
  auto grid = GridCells(city, received_at, o.lorawan_cell_m);
  if (!grid.ok()) return grid.status();
  out.values.push_back({"SCBOK-ZI-NI-K5.1", grid->cells ? Percent(static_cast<double>(grid->covered) / static_cast<double>(grid->cells)) : 0,
                        "%", std::to_string(grid->covered) + " von " + std::to_string(grid->cells) + " Rasterzellen (" +
                                 Metres(o.lorawan_cell_m) + ") mit empfangenen Uplinks"});
  out.values.push_back({"SCBOK-ZI-NI-K5.2", static_cast<double>(projects.size()), "Projekte",
                        Count(projects.size(), "Projekt", "Projekte") +
                            (received_without_project ? "; " + std::to_string(received_without_project) + " Geräte ohne Projektangabe" : "")});
  return out;
}

std::vector<Method> Methods(const Options& o) {
  const std::string radius = Metres(o.sensor_radius_m), cell = Metres(o.lorawan_cell_m);
  return {
      {"SCBOK-NMU-KK-K1.2", "Gezählt werden die Messstellen der Plattform (Bodenfeuchte, Regen, Wetter, Bäume, Gewässer, "
                            "Luft), die im Monat mindestens einen Messwert geliefert haben. Füllstandssensoren und "
                            "Wiedergabe-Kopien zählen nicht."},
      {"SCBOK-NMU-KK-K1.3", "Anteil der Stadtfläche (Vereinigung der Stadtbezirke), der höchstens " + radius +
                            " von einer im Monat aktiven Messstelle entfernt liegt; Kreise um die Messstellen, mit GEOS "
                            "vereinigt und mit der Stadtfläche geschnitten."},
      {"SCBOK-NMU-KK-K-H7", "Wie die Abdeckung des Sensornetzes, aber nur mit den Luftmessstationen: Anteil der Stadtfläche "
                            "höchstens " + radius + " von einer im Monat aktiven Luftmessstation entfernt."},
      {"SCBOK-NMU-ER-K-H3", "Container mit mindestens einer Füllstandsmeldung im Monat, geteilt durch die eingestellte "
                            "Gesamtzahl der Container" +
                            (o.containers_total > 0 ? " (" + std::to_string(o.containers_total) + ")." : " (noch nicht eingestellt).")},
      {"SCBOK-ZI-NI-K5.1", "Gemessen, nicht berechnet: Die Stadtfläche wird in Zellen von " + cell + " × " + cell +
                           " geteilt. Eine Zelle gilt als versorgt, wenn ein LoRaWAN-Gerät in ihr im Monat Uplinks "
                           "gesendet hat, die ein Gateway empfangen hat. Zellen ohne Gerät zählen als nicht versorgt; der "
                           "Wert ist also eine Untergrenze."},
      {"SCBOK-ZI-NI-K5.2", "Anzahl der verschiedenen Projekte (Angabe „projekt“ an der Messstelle) der LoRaWAN-Geräte, "
                           "deren Uplinks im Monat ein Gateway empfangen hat."},
  };
}

}  // namespace datenwerk::livekpi
