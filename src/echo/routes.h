// HTTP for Open311 GeoReport v2 under /open311/v2: discovery, services, service definitions,
// POST and GET requests, one request, tokens; each as .json or .xml. Handlers only convert: the
// answers come from open311.h, the checks from report.h, the routing from routing.h.
#pragma once

#include <memory>
#include <string>

#include "audit/audit_log.h"
#include "core/dates.h"
#include "echo/locator.h"
#include "echo/rate_limit.h"
#include "echo/report_store.h"
#include "echo/routing.h"
#include "echo/services.h"
#include "http/router.h"
#include "store/catalogue_service.h"

namespace datenwerk::echo {

struct Open311Options {
  std::string jurisdiction_id;  // e.g. "bochum.de"; another one named in a request is a 404
  std::string contact;          // for the discovery document
  std::string public_url;       // base URL of this server ("" : from the request's Host)
  // Filings per API key: a burst, then one per interval (an app files for many people).
  int key_burst = 600;
  int64_t key_refill_ms = 100;
  // Several nodes: the limits per API key in this database (borrowed); null: in memory.
  sql::Connection* shared_limits = nullptr;
};

// Borrows everything; it must outlive the router. POST requests take any valid API key of the
// city (a viewer's suffices: an app that files reports for citizens needs no more). A request
// with an address_string and no position is placed through `locator` when one is given (the
// house coordinates, then the geocoder), else filed with the address only.
void RegisterOpen311Routes(http::Router& router, std::shared_ptr<const Services> services, const CityArea& area,
                           ReportStore& store, CatalogueService& keys, const Clock& clock,
                           const Open311Options& options, AddressLocator* locator = nullptr);

// POST /api/v1/buergerecho/reports/{id}/status with {"status": "in_progress", "note": "…"} and an
// editor's key (Authorization: Bearer): the report's new state and public note, recorded in the
// audit trail and told to the reporter by mail (notify.h; links to `base_url`) in the same write.
// For the city's ticket systems; staff use /verwaltung/buergerecho.
void RegisterStaffApi(http::Router& router, ReportStore& store, std::shared_ptr<const Services> services,
                      CatalogueService& keys, const Clock& clock, std::string base_url);

}  // namespace datenwerk::echo
