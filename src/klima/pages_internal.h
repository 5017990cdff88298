// Private to klima/pages_*.cc and routes.cc.
#pragma once

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "http/message.h"
#include "klima/pages.h"
#include "klima/views.h"

namespace datenwerk::klima {

http::Response OverviewPage(const KlimaSnapshot& s, const http::Request& r, const KlimaOptions& o);
http::Response StationPage(const KlimaSnapshot& s, const StationState& station, const KlimaOptions& o);
http::Response SeriesPage(const StationState& station, const StreamState& stream, const SeriesView& view,
                          const KlimaOptions& o);

http::Response SensorsCsv(const KlimaSnapshot& s);
http::Response SensorsGeoJson(const KlimaSnapshot& s);
http::Response SeriesCsv(const StationState& station, const StreamState& stream, const SeriesView& view);
http::Response SeriesGeoJson(const StationState& station, const StreamState& stream, const SeriesView& view);

// "3" -> 3; anything else 1.
size_t ParsePage(const std::string& text);
// "Lufttemperatur – Wetterstation Westpark" -> "Lufttemperatur".
std::string ShortName(const std::string& stream_name);
// " (Simuliert)" / " (Wiedergabe)" as visible text badges, or "".
std::string OriginBadges(const StationState& station);
// Links to the neighbouring pages of the sensor table.
std::string Pager(size_t page, size_t pages, const std::string& kind, const std::string& district,
                  const std::string& site);

}  // namespace datenwerk::klima
