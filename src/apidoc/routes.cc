#include "apidoc/routes.h"

#include <fmt/format.h>

#include <functional>
#include <string>

#include "apidoc/openapi.h"
#include "apidoc/reference_page.h"

namespace datenwerk::apidoc {

void RegisterApiDocRoutes(http::Router& router, const web::PortalOptions& portal) {
  // Parsed at start-up, so a broken document stops the server instead of a request failing.
  const boost::json::value& document = OpenApiDocument();
  const std::string etag = fmt::format("\"{:016x}\"", std::hash<std::string_view>{}(OpenApiText()));
  router.Add("GET", "/openapi.json", [etag](const http::Request& r) {
    http::Response out;
    out.With("ETag", etag).With("Cache-Control", "public, max-age=300");
    if (r.Header("if-none-match") == etag) {
      out.status = 304;
      return out;
    }
    out.content_type = "application/json; charset=utf-8";
    out.body = std::string(OpenApiText());
    out.With("Access-Control-Allow-Origin", "*");
    return out;
  });
  router.Add("GET", "/api", [&portal, &document](const http::Request&) {
    return web::RenderPage(portal, ReferencePage(document));
  });
}

}  // namespace datenwerk::apidoc
