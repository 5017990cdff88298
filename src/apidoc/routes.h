// GET /openapi.json (the OpenAPI 3.1 description, with an ETag) and GET /api (the same for
// people, in German). Borrows `portal`; it must outlive the router.
#pragma once

#include "http/router.h"
#include "web/layout.h"

namespace datenwerk::apidoc {

void RegisterApiDocRoutes(http::Router& router, const web::PortalOptions& portal);

}  // namespace datenwerk::apidoc
