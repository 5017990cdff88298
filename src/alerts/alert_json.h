// The JSON forms of alerts and their history (API answers, webhook and MQTT notifications).
// Times as RFC 3339 UTC.
#pragma once

#include <boost/json.hpp>
#include <string>

#include "alerts/alert_store.h"

namespace datenwerk::alerts {

boost::json::object AlertJson(const Alert& alert);
boost::json::object EventJson(const AlertEvent& event);
// A notification: {"id": key, "event": …, "at": …, "alert": {…}, "who": …, "note": …}; `key` is
// the idempotency key ("alert-17-firing"), the same on every delivery attempt.
boost::json::object NotificationJson(const std::string& key, const std::string& event, int64_t at_ms,
                                     const Alert& alert, const std::string& who, const std::string& note);

}  // namespace datenwerk::alerts
