// Extensions beyond SensorThings for the time series of plain numeric Observations, under
// /api/v1/datastreams/{id} (ids are SensorThings Datastream ids):
//   GET    .../aggregate?interval=1h&from=..&to=..   avg/min/max/sum/count per bucket (rollups)
//   GET    .../latest, GET /api/v1/datastreams/latest[?ids=1,2]   newest point, constant time
//   GET|PUT .../retention  {"rawDays": n}               keep raw points n days (0: for ever)
//   DELETE .../observations?from=..&to=..              bulk delete of a time range
// Reads are public like the SensorThings API; PUT and DELETE need an API key.
#pragma once

#include "api/write_gate.h"
#include "http/router.h"
#include "series/observation_store.h"
#include "sta/service.h"
#include "store/catalogue_service.h"

namespace datenwerk::api {

// Borrows everything; it must outlive the router. Bulk deletes pass `gate`.
void RegisterSeriesRoutes(http::Router& router, series::ObservationStore& series,
                          sta::SensorThingsService& sensorthings, CatalogueService& keys,
                          WriteGate& gate);

}  // namespace datenwerk::api
