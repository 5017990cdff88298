// The Klima-Dashboard's pages (German, server-rendered, readable without JavaScript; the map and
// the charts are enhancements with the same content in tables) and downloads. Handlers only
// render what a KlimaSnapshot and the time-series store hold.
#pragma once

#include <functional>
#include <vector>

#include <string>

#include "http/router.h"
#include "klima/snapshot.h"
#include "web/layout.h"

namespace datenwerk::klima {

// An alert that is firing or acknowledged (alerts/engine.h), as the public overview shows it:
// no names of staff, no notes.
struct ActiveAlert {
  std::string rule_name;
  std::string severity;  // info, warnung, kritisch
  int64_t datastream = 0;
  bool acknowledged = false;
  int64_t since_ms = 0;
  double value = 0;
};

struct KlimaOptions {
  web::PortalOptions portal;
  std::string tiles_url;          // e.g. "https://tile.example/{z}/{x}/{y}.png"; empty: no tiles
  std::string tiles_attribution;  // shown under the map when tiles are used
  std::string boundaries_geojson;  // city boundary and districts, served at /klima/grenzen.geojson
  // The active alerts, newest first (at most 50 are shown); empty: the section is left out.
  std::function<std::vector<ActiveAlert>()> active_alerts;
};

// Adds /klima and its pages and downloads. Borrows everything; it must outlive the router.
void RegisterKlimaRoutes(http::Router& router, KlimaData& data, series::ObservationStore& series,
                         const KlimaOptions& options);

}  // namespace datenwerk::klima
