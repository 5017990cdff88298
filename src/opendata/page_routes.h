// HTTP for the open-data pages and files under /daten: the dataset list, each dataset's page,
// and the downloads (download_routes.h). Handlers only convert: the datasets come from the
// inventory, the pages from pages.h.
#pragma once

#include "alerts/alert_store.h"
#include "echo/report_store.h"
#include "echo/services.h"
#include "http/router.h"
#include "opendata/dcat.h"
#include "opendata/inventory.h"
#include "series/observation_store.h"
#include "sta/service.h"
#include "store/catalogue_service.h"
#include "web/layout.h"

namespace datenwerk::opendata {

// Borrows everything; it must outlive the router. `alerts` may be null (no alerts dataset). The handlers read the stores: run /daten/
// off the connection threads (ServerOptions::off_thread).
void RegisterDataPages(http::Router& router, const CatalogueService& catalogue, Inventory& inventory,
                       const CatalogMetadata& meta, sta::SensorThingsService& sensorthings,
                       series::ObservationStore& store, alerts::AlertStore* alerts,
                       const web::PortalOptions& portal, echo::ReportStore* reports = nullptr,
                       std::shared_ptr<const echo::Services> services = nullptr);

}  // namespace datenwerk::opendata
