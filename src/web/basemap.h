// The base map under the public maps (Klima-Dashboard, BürgerEcho): a tile URL the city
// configures, XYZ ("…/{z}/{x}/{y}.png") or a WMTS REST template ("…/{TileMatrix}/{TileRow}/
// {TileCol}.png", as basemap.de publishes it), with the attribution its licence asks for. The
// browser loads tiles only when one is configured; the pages' Content-Security-Policy then allows
// images from that one origin. Pure.
#pragma once

#include <string>

#include "core/status.h"

namespace datenwerk::web {

struct Basemap {
  std::string url_template;  // Leaflet's form: {z}, {x}, {y}
  std::string attribution;   // plain text, shown under the map
  std::string origin;        // "https://sgx.geodatenzentrum.de": where the tiles come from
  bool configured() const { return !url_template.empty(); }
};

// Checks and normalises a configured tile URL: http or https, a host, {z} {x} {y} (or WMTS's
// {TileMatrix} {TileCol} {TileRow}), no quotes, spaces or angle brackets; an attribution is
// required with it (tile licences ask for one). An empty URL is no base map. kInvalidArgument
// naming "basemap" or "basemap-attribution".
Result<Basemap> ParseBasemap(const std::string& url, const std::string& attribution);

}  // namespace datenwerk::web
