// The area a catalogue covers, read from the city's boundary GeoJSON (../shared/geo): its
// official municipality key (properties "ags", Amtlicher Gemeindeschlüssel), its name, and its
// bounding box (the feature's "bbox", else computed from the coordinates). Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "opendata/dcat.h"

namespace datenwerk::opendata {

struct Area {
  std::string municipality_key;  // 8 digits, or empty when the file does not say
  std::string name;
  std::optional<CatalogMetadata::Box> bbox;
};

// nullopt when the text is no GeoJSON Feature or FeatureCollection with a geometry.
std::optional<Area> AreaFromBoundary(std::string_view geojson);

}  // namespace datenwerk::opendata
