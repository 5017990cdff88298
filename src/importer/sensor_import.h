// Stores what the readers of open_data.h read: per station a Thing with its Location, a Sensor
// per device model, an ObservedProperty per quantity and a Datastream per series, and the
// readings as Observations (plausible ones as time-series points, flagged ones with their
// resultQuality). Idempotent: Things, Sensors, ObservedProperties and Datastreams are found
// again by properties/importKey, a reading by its Datastream and time, so importing the same
// files again changes nothing and importing more files adds what is new. All in one
// transaction: a failure stores nothing.
#pragma once

#include <string>

#include "core/status.h"
#include "importer/station.h"
#include "sta/service.h"

namespace datenwerk::importer {

struct ImportStats {
  int64_t things_created = 0;
  int64_t datastreams_created = 0;
  int64_t readings = 0;          // plausible readings written (or found already there)
  int64_t flagged_created = 0;   // flagged readings newly stored
  int64_t flagged_existing = 0;  // flagged readings that were there already
};

// `base` is the SensorThings root for self links, e.g. "http://localhost:8080/sta/v1.1".
Result<ImportStats> StoreImport(sta::SensorThingsService& service, const ImportSet& set,
                                const std::string& base);

}  // namespace datenwerk::importer
