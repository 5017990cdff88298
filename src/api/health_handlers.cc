#include "api/health.h"

#include <boost/json.hpp>

#include "api/json_codec.h"

namespace datenwerk::api {

void RegisterHealthRoutes(http::Router& router, std::function<Status()> ready,
                          std::function<sql::ReplicaState()> replica) {
  router.Add("GET", "/health/replica", [replica = std::move(replica)](const http::Request&) {
    boost::json::object body{{"configured", static_cast<bool>(replica)}};
    if (replica) {
      const sql::ReplicaState state = replica();
      body["usable"] = state.usable;
      body["lag_ms"] = state.lag_ms < 0 ? boost::json::value(nullptr) : boost::json::value(state.lag_ms);
      body["replica_reads"] = state.replica_reads;
      body["primary_reads"] = state.primary_reads;
      if (!state.usable) body["reason"] = state.reason;
    }
    return JsonResponse(body).With("Cache-Control", "no-store");
  });
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
