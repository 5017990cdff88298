#include "echo/routing.h"

#include <cmath>

namespace datenwerk::echo {

Result<Routed> Route(const Category& category, double longitude, double latitude, const CityArea& area) {
  if (!std::isfinite(longitude) || !std::isfinite(latitude) || std::abs(latitude) > 90 || std::abs(longitude) > 180) {
    return InvalidArgument("must be a position in WGS 84 (lat -90 to 90, long -180 to 180)", "lat");
  }
  if (area.boundary && !area.boundary->IndexAt(longitude, latitude)) {
    return InvalidArgument("lies outside the city; reports are taken for places inside it", "lat");
  }
  Routed out{category.office, ""};
  if (area.districts) {
    if (const auto index = area.districts->IndexAt(longitude, latitude, kSnapMetres)) {
      out.district = area.districts->Names()[*index];
      if (const auto it = category.office_by_district.find(out.district); it != category.office_by_district.end()) {
        out.office = it->second;
      }
    }
  }
  if (area.office_areas) {
    if (const auto areas = area.office_areas->Current()) {
      if (const auto index = areas->AreaFor(category.code, longitude, latitude)) {
        out.office = areas->Areas()[*index].office;
        out.area = areas->Areas()[*index].name;
      }
    }
  }
  return out;
}

}  // namespace datenwerk::echo
