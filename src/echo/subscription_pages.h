// HTTP for the area subscriptions (subscriptions.h) under /buergerecho/benachrichtigungen: the
// form and its POST, and the two links every mail carries, each a page with a button (a GET
// changes nothing, so a mail scanner that opens links neither confirms nor ends anything):
//   /buergerecho/benachrichtigungen/bestaetigen/{token}   confirm (double opt-in)
//   /buergerecho/benachrichtigungen/abmelden/{token}      end it; the address is erased
// German, usable without JavaScript. Handlers only convert.
#pragma once

#include <memory>
#include <string>

#include "core/dates.h"
#include "echo/locator.h"
#include "echo/page_routes.h"
#include "echo/routing.h"
#include "echo/subscription_store.h"
#include "http/router.h"
#include "web/layout.h"

namespace datenwerk::echo {

// Borrows everything; it must outlive the router. `base_url`: how citizens reach the server, for
// the links in the confirmation mail. Requests per client address are limited like filings.
void RegisterSubscriptionPages(http::Router& router, SubscriptionStore& store, const CityArea& area,
                               AddressLocator& locator, const Clock& clock, const web::PortalOptions& portal,
                               std::string base_url, FormLimits limits = {});

}  // namespace datenwerk::echo
