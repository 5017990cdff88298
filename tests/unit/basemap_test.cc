// The base map's configuration: XYZ and WMTS templates, the origin the pages allow, refusals.
#include "web/basemap.h"

#include <gtest/gtest.h>

#include "web/layout.h"

namespace datenwerk::web {
namespace {

TEST(Basemap, NoneConfiguredIsNoBaseMap) {
  auto none = ParseBasemap("", "");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->configured());
}

TEST(Basemap, WmtsTemplateOfBasemapDeBecomesLeafletsForm) {
  auto b = ParseBasemap(
      "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_farbe/default/"
      "GLOBAL_WEBMERCATOR/{TileMatrix}/{TileRow}/{TileCol}.png",
      "© basemap.de / BKG, CC BY 4.0");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->url_template,
            "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_farbe/default/"
            "GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png");
  EXPECT_EQ(b->origin, "https://sgx.geodatenzentrum.de");
  auto xyz = ParseBasemap("http://127.0.0.1:8081/kacheln/{z}/{x}/{y}.png", "Testkacheln");
  ASSERT_TRUE(xyz.ok());
  EXPECT_EQ(xyz->origin, "http://127.0.0.1:8081");
}

TEST(Basemap, RefusesWhatWouldBreakThePageOrThePolicy) {
  for (const std::string& url : {"ftp://tiles.example/{z}/{x}/{y}.png", "tiles.example/{z}/{x}/{y}.png",
                                 "https://tiles.example/{z}/{x}.png", "https:///{z}/{x}/{y}.png",
                                 "https://tiles.example/{z}/{x}/{y}.png\" onload=\"x",
                                 "https://tiles.example/{z}/{x}/{y}.png; script-src *",
                                 "https://{s}.tiles.example/{z}/{x}/{y}.png", "https://a@tiles.example/{z}/{x}/{y}.png",
                                 "https://tiles.example/{z}/{x}/{y}.png<script>"}) {
    auto b = ParseBasemap(url, "Quelle");
    EXPECT_FALSE(b.ok()) << url;
    if (!b.ok()) EXPECT_EQ(b.status().field(), "basemap");
  }
  auto unattributed = ParseBasemap("https://tiles.example/{z}/{x}/{y}.png", "");
  ASSERT_FALSE(unattributed.ok());
  EXPECT_EQ(unattributed.status().field(), "basemap-attribution");
}

TEST(Basemap, PagesAllowImagesFromTheBaseMapOnly) {
  PortalOptions portal;
  auto header = [](const http::Response& r) {
    for (const auto& [name, value] : r.headers) {
      if (name == "Content-Security-Policy") return value;
    }
    return std::string();
  };
  EXPECT_NE(header(RenderPage(portal, {"Test"})).find("img-src 'self' data:;"), std::string::npos);
  portal.basemap.origin = "https://sgx.geodatenzentrum.de";
  EXPECT_NE(header(RenderPage(portal, {"Test"})).find("img-src 'self' data: https://sgx.geodatenzentrum.de;"),
            std::string::npos);
}

}  // namespace
}  // namespace datenwerk::web
