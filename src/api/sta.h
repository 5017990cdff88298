// The OGC SensorThings API 1.1 endpoints (/sta/v1.1). Reads are public; writes need an API key.
#pragma once

#include "http/router.h"
#include "sta/service.h"
#include "store/catalogue_service.h"

namespace datenwerk::api {

// Borrows both services; they must outlive the router.
void RegisterSensorThingsRoutes(http::Router& router, sta::SensorThingsService& service,
                                CatalogueService& keys);

}  // namespace datenwerk::api
