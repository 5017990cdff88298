// The OGC SensorThings API 1.1 endpoints (/sta/v1.1). Reads are public; writes need an API key.
#pragma once

#include "api/write_gate.h"
#include "http/router.h"
#include "sta/service.h"
#include "store/catalogue_service.h"

namespace datenwerk::api {

// Borrows everything; it must outlive the router. Writes pass `gate`.
void RegisterSensorThingsRoutes(http::Router& router, sta::SensorThingsService& service,
                                CatalogueService& keys, WriteGate& gate);

}  // namespace datenwerk::api
