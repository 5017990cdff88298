#include "app/live_kpis.h"

#include <spdlog/spdlog.h>

#include <fstream>
#include <sstream>

#include "app/wall_clock.h"

namespace datenwerk::app {

std::unique_ptr<livekpi::LiveKpiJob> StartLiveKpis(const Config& config, sta::SensorThingsService& sensorthings,
                                                   series::ObservationStore& series, sensors::DeviceRegistry& devices,
                                                   CatalogueService& catalogue) {
  const std::string path = config.geo_dir + "/bochum_stadtbezirke.geojson";
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  auto area = livekpi::ReadArea(in ? text.str() : "");
  if (!area.ok()) {
    spdlog::warn("live KPIs off: no city area in {} ({})", path, area.status().message());
    return nullptr;
  }
  livekpi::Options options{config.coverage_radius_m, config.lorawan_cell_m, config.containers_total};
  auto job = std::make_unique<livekpi::LiveKpiJob>(sensorthings, series, devices, catalogue, std::move(area).value(),
                                                   options, WallClockMs);
  job->Start();
  return job;
}

}  // namespace datenwerk::app
