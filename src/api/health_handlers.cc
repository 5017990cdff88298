#include "api/health.h"

#include <boost/json.hpp>

#include "api/json_codec.h"

namespace datenwerk::api {

void RegisterHealthRoutes(http::Router& router, std::function<Status()> ready) {
  router.Add("GET", "/health/live", [](const http::Request&) {
    return JsonResponse(boost::json::object{{"status", "live"}}).With("Cache-Control", "no-store");
  });
  router.Add("GET", "/health/ready", [ready = std::move(ready)](const http::Request&) {
    const Status s = ready();
    if (s.ok()) return JsonResponse(boost::json::object{{"status", "ready"}}).With("Cache-Control", "no-store");
    return JsonResponse(boost::json::object{{"status", "not ready"}, {"part", s.field()}, {"reason", s.message()}}, 503)
        .With("Retry-After", "5")
        .With("Cache-Control", "no-store");
  });
}

}  // namespace datenwerk::api
