// The alert API: /api/v1/alert-rules (read with a viewer key; create, update, delete with an
// editor key), /api/v1/alerts (list and filter, one with its history; acknowledge and resolve
// with an editor key) and /api/v1/alert-webhooks (administrator). Handlers only convert; the
// AlertEngine decides.
#pragma once

#include "alerts/engine.h"
#include "alerts/webhook_sender.h"
#include "http/router.h"
#include "store/catalogue_service.h"

namespace datenwerk::api {

// Borrows all; they must outlive the router. `sender` is woken after each change.
void RegisterAlertRoutes(http::Router& router, alerts::AlertEngine& engine, alerts::AlertStore& store,
                         alerts::WebhookSender& sender, CatalogueService& keys);

}  // namespace datenwerk::api
