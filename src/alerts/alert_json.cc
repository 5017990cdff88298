#include "alerts/alert_json.h"

#include "core/dates.h"

namespace datenwerk::alerts {

namespace json = boost::json;

namespace {

json::value Time(const std::optional<int64_t>& ms) {
  return ms ? json::value(FormatRfc3339Ms(*ms)) : json::value(nullptr);
}

}  // namespace

json::object AlertJson(const Alert& a) {
  return {{"id", a.id},
          {"rule", json::object{{"id", a.rule_id}, {"name", a.rule_name}}},
          {"datastream", a.datastream},
          {"state", a.state},
          {"severity", a.severity},
          {"started", FormatRfc3339Ms(a.started_ms)},
          {"fired", Time(a.fired_ms)},
          {"acknowledged", Time(a.acknowledged_ms)},
          {"resolved", Time(a.resolved_ms)},
          {"value", a.value},
          {"peak", a.peak}};
}

json::object EventJson(const AlertEvent& e) {
  return {{"at", FormatRfc3339Ms(e.at_ms)}, {"kind", e.kind}, {"who", e.who.empty() ? json::value(nullptr) : json::value(e.who)},
          {"note", e.note}, {"value", e.value}};
}

json::object NotificationJson(const std::string& key, const std::string& event, int64_t at_ms,
                              const Alert& alert, const std::string& who, const std::string& note) {
  return {{"id", key}, {"event", event}, {"at", FormatRfc3339Ms(at_ms)}, {"alert", AlertJson(alert)},
          {"who", who.empty() ? json::value(nullptr) : json::value(who)}, {"note", note}};
}

}  // namespace datenwerk::alerts
