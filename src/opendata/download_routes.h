// HTTP for the sensor data downloads the catalogue names: GET /daten/station-<Thing id>.csv,
// .json and .geojson, all readings of the station's Datastreams (or those `datastream=1,2`
// names) between `from` and `to` (RFC 3339 or a date; `to` exclusive), CSV in German number
// format with `numbers=de`. Streamed (http::BodyStream), gzip when asked, with an ETag that
// changes with the data (If-None-Match answers 304) and Last-Modified (the newest reading).
#pragma once

#include "http/router.h"
#include "series/observation_store.h"
#include "sta/service.h"

namespace datenwerk::opendata {

// Borrows both; they must outlive the router. The handlers read the SensorThings service: run
// them off the connection threads (ServerOptions::off_thread).
void RegisterDownloadRoutes(http::Router& router, sta::SensorThingsService& sensorthings,
                            series::ObservationStore& store);

}  // namespace datenwerk::opendata
