#include "app/live_kpis.h"

#include <spdlog/spdlog.h>

#include "app/wall_clock.h"

namespace datenwerk::app {

std::unique_ptr<livekpi::LiveKpiJob> MakeLiveKpis(const Config& config, const std::string& districts_geojson,
                                                   sta::SensorThingsService& sensorthings,
                                                   series::ObservationStore& series, sensors::DeviceRegistry& devices,
                                                   CatalogueService& catalogue) {
  auto area = livekpi::ReadArea(districts_geojson);
  if (!area.ok()) {
    spdlog::warn("live KPIs off: no city area in {}/bochum_stadtbezirke.geojson ({})", config.geo_dir,
                 area.status().message());
    return nullptr;
  }
  livekpi::Options options{config.coverage_radius_m, config.lorawan_cell_m, config.containers_total,
                           config.uplink_retention_days};
  auto job = std::make_unique<livekpi::LiveKpiJob>(sensorthings, series, devices, catalogue, std::move(area).value(),
                                                   options, WallClockMs);
  return job;
}

}  // namespace datenwerk::app
