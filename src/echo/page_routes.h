// HTTP for BürgerEcho's public pages under /buergerecho (pages.h): the list, the form and its
// POST, a report's page and its photos, the reporter's private page and its two answers. Handlers only convert.
#pragma once

#include <memory>
#include <string>

#include "core/dates.h"
#include "echo/addresses.h"
#include "echo/locator.h"
#include "echo/rate_limit.h"
#include "echo/report_store.h"
#include "echo/routing.h"
#include "echo/services.h"
#include "http/router.h"
#include "web/layout.h"

namespace datenwerk::echo {


// The public form's settings. Filings per client address: a burst, then one per interval;
// beyond, a German page with status 429 and Retry-After.
struct FormLimits {
  int burst = 10;
  int64_t refill_ms = 60'000;
  // Open reports of the same category this close are shown before a new one is filed.
  double duplicate_radius_m = 50;
  // Told on the form: how long after closing the reporter's address and name are kept.
  int retention_days = 90;
  // How often a subscriber of an area gets a digest at most (subscriptions.h).
  int64_t digest_every_ms = 86'400'000;
  // Several nodes: the per-client limits kept in this database (borrowed), shared by all of them;
  // null: in this node's memory.
  sql::Connection* shared_limits = nullptr;
};

// The per-client limit of `scope` as `limits` say: shared through the database, or in memory.
std::shared_ptr<RateLimiter> MakeLimiter(const FormLimits& limits, const std::string& scope);

// Borrows everything; it must outlive the router.
// A typed address without a position is looked up through `locator` (imported house
// coordinates, then the geocoder); /buergerecho/adressen.json?q= suggests addresses to the form's
// script from `addresses` only (a geocoder is not asked at every keystroke).
void RegisterEchoPages(http::Router& router, std::shared_ptr<const Services> services, const CityArea& area,
                       ReportStore& store, AddressStore& addresses, AddressLocator& locator, const Clock& clock,
                       const web::PortalOptions& portal, FormLimits limits = {});

// The German page for a filing over the body limit (413).
http::Response FilingTooLargePage(size_t limit, const web::PortalOptions& portal);

}  // namespace datenwerk::echo
