// HTTP for the sensor data downloads the catalogue names: GET /daten/station-<Thing id>.csv,
// .json and .geojson, all readings of the station's Datastreams (or those `datastream=1,2`
// names) between `from` and `to` (RFC 3339 or a date; `to` exclusive), CSV in German number
// format with `numbers=de`. Streamed (http::BodyStream), gzip when asked, with an ETag that
// changes with the data (If-None-Match answers 304) and Last-Modified (the newest reading).
#pragma once

#include <string_view>

#include "http/message.h"
#include "series/observation_store.h"
#include "sta/service.h"

namespace datenwerk::opendata {

// Whether /daten/<name> names a download ("station-12.csv") rather than a dataset's page.
bool IsDownloadName(std::string_view name);

// The answer to GET /daten/<file> (path parameter "file"). Reads the SensorThings service: run
// it off the connection threads (ServerOptions::off_thread). `store` must outlive the answer's
// body stream.
http::Response DownloadResponse(sta::SensorThingsService& sensorthings, series::ObservationStore& store,
                                const http::Request& request);

}  // namespace datenwerk::opendata
