// The live KPIs (livekpi/job.h) wired into the server: the city's area from the district
// GeoJSON (read from --geo-dir by the caller), the options from the configuration, the monthly
// check started.
#pragma once

#include <memory>

#include "app/config.h"
#include "livekpi/job.h"

namespace datenwerk::app {

// nullptr (logged) without the district GeoJSON: the KPIs need the city's area.
std::unique_ptr<livekpi::LiveKpiJob> StartLiveKpis(const Config& config, const std::string& districts_geojson,
                                                   sta::SensorThingsService& sensorthings,
                                                   series::ObservationStore& series, sensors::DeviceRegistry& devices,
                                                   CatalogueService& catalogue);

}  // namespace datenwerk::app
