#include "web/basemap.h"

namespace datenwerk::web {

namespace {

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

Result<Basemap> ParseBasemap(const std::string& url, const std::string& attribution) {
  Basemap out;
  if (url.empty()) return out;
  std::string tiles = url;
  ReplaceAll(tiles, "{TileMatrix}", "{z}");
  ReplaceAll(tiles, "{TileCol}", "{x}");
  ReplaceAll(tiles, "{TileRow}", "{y}");
  const size_t scheme_end = tiles.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : tiles.substr(0, scheme_end);
  if (scheme != "https" && scheme != "http") {
    return InvalidArgument("must be an http or https URL, e.g. https://tiles.example/{z}/{x}/{y}.png", "basemap");
  }
  const size_t host_start = scheme_end + 3;
  const size_t host_end = tiles.find('/', host_start);
  if (host_end == std::string::npos || host_end == host_start) return InvalidArgument("has no host", "basemap");
  out.origin = tiles.substr(0, host_end);
  if (out.origin.find_first_of("{}@") != std::string::npos) {
    return InvalidArgument("must name its host plainly (no placeholders or user names in it)", "basemap");
  }
  for (unsigned char c : tiles) {
    if (c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' || c == ';' || c >= 0x7F) {
      return InvalidArgument("contains a character a URL must not have", "basemap");
    }
  }
  for (const char* placeholder : {"{z}", "{x}", "{y}"}) {
    if (tiles.find(placeholder) == std::string::npos) {
      return InvalidArgument(std::string("lacks ") + placeholder + " (or WMTS's {TileMatrix}, {TileCol}, {TileRow})",
                             "basemap");
    }
  }
  if (attribution.empty()) {
    return InvalidArgument("is required with a base map: the tiles' licence asks for it", "basemap-attribution");
  }
  out.url_template = std::move(tiles);
  out.attribution = attribution;
  return out;
}

}  // namespace datenwerk::web
