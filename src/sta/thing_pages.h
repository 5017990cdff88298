// Views over all stations (the Klima-Dashboard's snapshot, the live KPIs) read every Thing
// through the service, page by page in id order, as a client would. Thread-safe as reads are.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "sta/service.h"

namespace datenwerk::sta {

// Calls `visit` with each Thing (its members as `select` and `expand` ask); stops at the first
// error, of a read or of `visit`.
Status ForEachThing(SensorThingsService& service, const std::string& select, const std::string& expand,
                    const std::function<Status(const boost::json::object& thing)>& visit);

// (longitude, latitude) of the first GeoJSON Point among a Thing's expanded "Locations".
std::optional<std::pair<double, double>> FirstPoint(const boost::json::object& thing);

}  // namespace datenwerk::sta
