// The public map of reports at any number of them: the server groups the reports in view into
// cells of about 60 screen pixels at the map's zoom level, so a browser draws a few hundred
// markers whether the city has 100 reports or 1,000,000. A cell with one report is that report
// (number, category, state); a cell with more is a cluster with its count at the mean position.
// Pure: the grid, the checks of the map's request, the JSON answer; the store does the grouping.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "echo/services.h"
#include "echo/status.h"

namespace datenwerk::echo {

struct MapView {
  double west = 0, south = 0, east = 0, north = 0;  // WGS 84 degrees
  int zoom = 0;                                     // web map zoom level, 0..22
};

// The cell size in degrees at a view: `pixels` screen pixels of web Mercator at the view's zoom,
// in longitude, and in latitude scaled by the cosine of the view's middle latitude.
struct Grid {
  double cell_lat = 0, cell_lon = 0;
};
inline constexpr double kCellPixels = 60;
inline constexpr double kMaxCells = 20'000;  // a request asking for more cells is refused
Grid GridFor(const MapView& view, double pixels = kCellPixels);

// "bbox" = "west,south,east,north" and "zoom" as the map script sends them. kInvalidArgument
// naming the parameter: not numbers, outside WGS 84, west >= east or south >= north, a zoom
// outside 0..22, or more than kMaxCells cells in view.
Result<MapView> ParseMapView(const std::string& bbox, const std::string& zoom);

struct MapCell {
  double lat = 0, lon = 0;  // mean position of its reports
  int64_t count = 0;
  // For a cell of one report:
  int64_t id = 0;
  ReportStatus status = ReportStatus::kReceived;
  std::string service_code;
};

// {"total": n, "cells": [{"lat":…, "lon":…, "count": 17}, …],
//  "reports": [{"id": 4, "lat":…, "lon":…, "category": "Straßenschaden", "status": "Eingegangen",
//               "open": true}, …]}
std::string MapJson(const std::vector<MapCell>& cells, const Services& services);

}  // namespace datenwerk::echo
