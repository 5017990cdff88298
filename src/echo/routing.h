// Which office a report goes to: the office of the first uploaded responsibility area
// (office_areas.h) that covers the point and takes the category; else the one the city named for
// the district the point lies in (zustaendigkeiten.csv); else the category's office. Pure over
// the loaded geometry (GEOS, through geo::Districts).
//
// The boundary rule: a point on a border shared by two districts belongs to the first of them
// in the districts file (Bochum: the lower Stadtbezirk number); a point in a digitising sliver
// between district polygons goes to the nearest district within 50 m. So every point inside the
// city reaches exactly one office, and a point outside the city reaches none (the report is
// refused, naming the position).
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "echo/office_areas.h"
#include "echo/services.h"
#include "geo/districts.h"

namespace datenwerk::echo {

// The city's area and its districts. Either may be null: without a boundary every point is
// taken, without districts every report goes to its category's office.
struct CityArea {
  std::shared_ptr<const geo::Districts> boundary;
  std::shared_ptr<const geo::Districts> districts;
  // The responsibility areas staff uploaded, replaced while serving; null or empty: none.
  std::shared_ptr<OfficeAreaSet> office_areas;
};

inline constexpr double kSnapMetres = 50;

struct Routed {
  std::string office;    // office id
  std::string district;  // district name, "" when none
  std::string area;      // the responsibility area that decided, "" when none did
};

// kInvalidArgument (field "lat") for a point outside the city or not on the earth.
Result<Routed> Route(const Category& category, double longitude, double latitude, const CityArea& area);

}  // namespace datenwerk::echo
