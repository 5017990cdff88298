#include "web/assets.h"

#include <string>

namespace datenwerk::web {

namespace {

const char* ContentType(std::string_view name) {
  if (name.ends_with(".css")) return "text/css; charset=utf-8";
  if (name.ends_with(".js")) return "text/javascript; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

void RegisterAssetRoutes(http::Router& router) {
  for (const EmbeddedAsset& asset : EmbeddedAssets()) {
    router.Add("GET", std::string("/static/") + asset.name, [&asset](const http::Request&) {
      http::Response r;
      r.content_type = ContentType(asset.name);
      r.body.assign(reinterpret_cast<const char*>(asset.data), asset.size);
      return r.With("Cache-Control", "public, max-age=86400");
    });
  }
}

}  // namespace datenwerk::web
