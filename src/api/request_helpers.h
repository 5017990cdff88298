// Small request helpers shared by the API handlers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/ids.h"
#include "http/message.h"
#include "http/router.h"
#include "store/catalogue_service.h"

namespace datenwerk::api {

// The API key a request presents: "Authorization: Bearer <key>" or "X-API-Key: <key>".
std::string PresentedApiKey(const http::Request& request);

// The SensorThings service root as this client reached it, e.g. "http://host:8080/sta/v1.1".
// The Host header ends up in links, so anything but host-name characters falls back to localhost.
std::string SensorThingsBaseUrl(const http::Request& request);

// The body's media type: application/json, with parameters such as "; charset=utf-8" allowed
// (anything else is kUnsupportedMediaType). An absent Content-Type passes unless `required`.
Status CheckJsonMediaType(const http::Request& request, bool required);

// Ids in paths and queries (core/ids.h).
using datenwerk::PositiveId;

// A key of at least `needed`: 401 without a known key, 403 with a key of a lesser role.
Result<ApiKeyRecord> Authorize(CatalogueService& keys, const http::Request& request, Role needed);

// `inner` behind an API key check of at least role `needed` (401/403 as JSON otherwise).
// Borrows `keys`.
http::Handler WithKey(CatalogueService& keys, Role needed,
                      std::function<http::Response(const http::Request&)> inner);

}  // namespace datenwerk::api
