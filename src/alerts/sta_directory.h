// The alert engine's view of Datastreams, read through the SensorThings service: each one's
// ObservedProperty and its Thing's Location. Thread-safe as the service's reads are.
#pragma once

#include "alerts/engine.h"
#include "sta/service.h"

namespace datenwerk::alerts {

class SensorThingsDirectory final : public DatastreamDirectory {
 public:
  explicit SensorThingsDirectory(sta::SensorThingsService& service) : service_(service) {}  // borrows
  Result<std::optional<DatastreamFacts>> Lookup(int64_t datastream) override;
  Result<std::vector<DatastreamFacts>> All() override;

 private:
  sta::SensorThingsService& service_;
};

}  // namespace datenwerk::alerts
