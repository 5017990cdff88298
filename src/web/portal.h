// The public progress portal ("Verfolge unseren Fortschritt"): server-rendered German HTML that
// reads fully without JavaScript; only the KPI chart uses a script, with a table beside it.
#pragma once

#include "http/router.h"
#include "store/catalogue_service.h"
#include "web/layout.h"

namespace datenwerk::web {

// Adds the page routes and /static/. Borrows service and options; both must outlive the router.
void RegisterPortalRoutes(http::Router& router, const CatalogueService& service,
                          const PortalOptions& options);
// The German HTML 404 page, for paths outside /api.
http::Response NotFoundPage(const PortalOptions& options);

}  // namespace datenwerk::web
