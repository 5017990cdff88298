// The audit trail for the API's other writes: alert rules and webhooks, device profiles,
// retention, SensorThings entities, bulk deletes, the live-KPI run. Every successful write that
// is not recorded by its own handler (KPI values, targets and statuses are, in write_handlers.cc;
// the back office records its own) gets an entry: the key's label, the client's address, method
// and path, and the JSON body with secrets blanked. Observations are not recorded one by one:
// they are sensor data arriving by the hundred thousand, not decisions of people.
#pragma once

#include "audit/audit_log.h"
#include "http/router.h"
#include "store/catalogue_service.h"

namespace datenwerk::api {

// Wraps the whole router's handler. Borrows `keys` and `audit`.
http::Handler AuditApiWrites(CatalogueService& keys, audit::AuditLog& audit, http::Handler next);

// The body as the audit trail keeps it: JSON with members named secret, password, passwort or
// key replaced by "***" (at any depth, at most 2,000 characters kept); "" for an empty body,
// "(<n> Bytes)" for anything else.
std::string AuditBody(std::string_view body);

}  // namespace datenwerk::api
