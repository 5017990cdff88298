// Alert rules (Grafana/Prometheus-style pending -> firing -> resolved, with hysteresis), pure:
//  - kAbove / kBelow: a reading beyond the threshold, for `for_ms` (0: at once);
//  - kAccumulation: the sum of readings in the last `window_ms` above the threshold (rain in
//    one hour);
//  - kRateOfChange: the change per hour over `window_ms` beyond ±threshold (a level rising
//    fast, a temperature falling fast);
//  - kNoData: no reading for `silence_ms` (a sensor offline) — decided by timers, not scans.
// A rule applies to one Datastream, to every Datastream of an ObservedProperty, or to those
// whose Thing lies inside an area (a GeoJSON polygon). The hysteresis keeps a value hovering at
// the threshold from flapping: an alert resolves only once the value is `hysteresis` inside.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"

namespace datenwerk::alerts {

enum class RuleKind { kAbove, kBelow, kAccumulation, kRateOfChange, kNoData };

struct RuleScope {
  std::optional<int64_t> datastream;
  std::optional<int64_t> observed_property;
  std::optional<boost::json::object> area;  // a GeoJSON Polygon or MultiPolygon (lon, lat)
};

struct AlertRule {
  int64_t id = 0;
  std::string name;
  RuleKind kind = RuleKind::kAbove;
  RuleScope scope;
  double threshold = 0;
  double hysteresis = 0;   // >= 0, in the threshold's unit
  int64_t for_ms = 0;      // how long the condition must hold before firing
  int64_t window_ms = 0;   // kAccumulation, kRateOfChange
  int64_t silence_ms = 0;  // kNoData
  std::string severity = "warnung";  // "info", "warnung", "kritisch"
};

// Reads a rule from its JSON form:
//   {"name": "Starkregen", "kind": "accumulation", "threshold": 15, "window": "PT1H",
//    "scope": {"observedProperty": 12}, "hysteresis": 2, "for": "PT0S", "severity": "kritisch"}
// kinds: "above", "below", "accumulation", "rate_of_change", "no_data"; durations as ISO 8601
// (PT15M, PT1H, P1D) or seconds. kInvalidArgument naming the member otherwise.
Result<AlertRule> ParseRule(const boost::json::value& body);
boost::json::object RuleJson(const AlertRule& rule);

// "PT1H30M", "P2D", "PT45S" (days, hours, minutes, seconds) into ms; nullopt otherwise.
std::optional<int64_t> ParseIsoDuration(std::string_view text);
std::string FormatIsoDuration(int64_t ms);

}  // namespace datenwerk::alerts
