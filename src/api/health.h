// Health checks for a load balancer (HAProxy) and a service manager: /health/live answers 200
// while the process serves; /health/ready answers 200 when this node can do its work (its
// database answers, and on PostgreSQL it hears the other nodes' changes), else 503 with the
// reason, so HAProxy sends no requests to it meanwhile. Never cached; no authentication (they
// tell nothing but "ready" or which part is away). /health/replica tells whether SensorThings and
// portal reads use the read replica now, how stale it is at most, and why not.
#pragma once

#include <functional>

#include "core/status.h"
#include "http/router.h"
#include "store/read_replica.h"

namespace datenwerk::api {

// `ready` checks the node's parts (it must answer within a few seconds); Ok: ready.
// `replica`: the read replica's state; null without one.
void RegisterHealthRoutes(http::Router& router, std::function<Status()> ready,
                          std::function<sql::ReplicaState()> replica = {});

}  // namespace datenwerk::api
