// Static front-end files compiled into the binary (CSS, uPlot, the chart script).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "http/router.h"

namespace datenwerk::web {

struct EmbeddedAsset {
  const char* name;  // file name, served as /static/<name>
  const unsigned char* data;
  size_t size;
};

const std::vector<EmbeddedAsset>& EmbeddedAssets();

// GET /static/<name>, cacheable for a day.
void RegisterAssetRoutes(http::Router& router);

}  // namespace datenwerk::web
