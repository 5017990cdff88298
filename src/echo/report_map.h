// The public map of reports at any number of them: the server groups the reports in view into
// cells of about 60 screen pixels at the map's zoom level, so a browser draws a few hundred
// markers whether the city has 100 reports or 1,000,000. A cell with one report is that report
// (number, category, state); a cell with more is a cluster with its count at the mean position.
// The grid, the checks of the map's request and the JSON answer are pure; MapIndex keeps what the
// map needs of every located report in memory (about 40 bytes each: 4 MB for 100,000), so the
// grouping is a scan of memory, not of the database (which took 80 ms for the whole city).
#pragma once

#include <cstdint>
#include <map>
#include <shared_mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "echo/services.h"
#include "echo/status.h"
#include "echo/report.h"

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

// What the map may filter by (the public list's filters): categories, open or closed, district,
// office, when it was reported ([from, to], Unix ms).
struct MapFilter {
  std::vector<std::string> service_codes;
  std::optional<bool> open;
  std::string district;
  std::string office;
  std::optional<int64_t> requested_from_ms, requested_to_ms;
};

// Every located report's id, position, time of filing, state, category, district and office. Thread-safe: many
// readers, one writer at a time. The store keeps it in step with its commits.
class MapIndex {
 public:
  // Adds the report or replaces what was known of it; a report without a position is left out.
  void Put(const Report& report);
  // The reports `filter` finds in `view`, grouped into the cells of `grid`.
  std::vector<MapCell> Cells(const MapFilter& filter, const MapView& view, const Grid& grid) const;
  // The open reports of category `service_code` within `radius_m` metres of (lat, lon), nearest
  // first, at most `limit`: what a citizen is shown before filing the same defect again.
  std::vector<int64_t> Nearby(const std::string& service_code, double lat, double lon, double radius_m,
                              size_t limit) const;
  size_t size() const;

 private:
  struct Entry {
    int64_t id = 0;
    double lat = 0, lon = 0;
    int64_t requested_ms = 0;
    ReportStatus status = ReportStatus::kReceived;
    uint32_t category = 0, district = 0, office = 0;  // indexes into names_
  };
  uint32_t Intern(const std::string& name);                  // under the writer's lock
  std::optional<uint32_t> Find(const std::string& name) const;  // under a reader's lock

  mutable std::shared_mutex mutex_;
  std::vector<Entry> entries_;          // in id order (reports are numbered upwards)
  std::map<int64_t, size_t> by_id_;     // id -> index into entries_
  std::vector<std::string> names_;
  std::map<std::string, uint32_t> name_ids_;
};

// {"total": n, "cells": [{"lat":…, "lon":…, "count": 17}, …],
//  "reports": [{"id": 4, "lat":…, "lon":…, "category": "Straßenschaden", "status": "Eingegangen",
//               "open": true}, …]}
std::string MapJson(const std::vector<MapCell>& cells, const Services& services);

}  // namespace datenwerk::echo
