// The live KPIs (livekpi/job.h) wired into the server: the city's area from the district
// GeoJSON (read from --geo-dir by the caller), the options from the configuration, the monthly
// check started.
#pragma once

#include <memory>

#include "app/config.h"
#include "livekpi/job.h"

namespace datenwerk::app {

// The job, not yet started (Start() it once its extra sources are set); nullptr (logged) without
// the district GeoJSON: the KPIs need the city's area.
std::unique_ptr<livekpi::LiveKpiJob> MakeLiveKpis(const Config& config, const std::string& districts_geojson,
                                                   sta::SensorThingsService& sensorthings,
                                                   series::ObservationStore& series, sensors::DeviceRegistry& devices,
                                                   CatalogueService& catalogue);

}  // namespace datenwerk::app
