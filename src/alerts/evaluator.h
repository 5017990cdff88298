// The state of one alert rule on one Datastream, advanced by each reading as it is ingested and
// by timers — never by scanning stored data. Pure; not thread-safe (one state per rule and
// series, advanced by one writer).
//   ok --breach--> pending --holds for `for`--> firing --clears by the hysteresis--> ok
//   pending --no longer breached--> ok (cancelled)
// With `for` = 0 a breach fires at once. No-data rules fire by timer `silence` after the last
// reading and resolve with the next one.
// Late and out-of-order readings: a reading older than the newest one evaluated for the series
// is stored as usual but not evaluated (counted in `late`): an alert's history only moves
// forward, so a delayed delivery can neither reopen nor close it.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <deque>
#include <limits>
#include <vector>

#include "alerts/rule.h"
#include "series/point.h"

namespace datenwerk::alerts {

enum class Phase { kOk, kPending, kFiring };

struct Transition {
  enum class Kind { kPending, kFiring, kResolved, kCancelled } kind;
  int64_t at_ms = 0;
  double value = 0;  // what the rule looked at: the reading, the window's sum or the rate
  double peak = 0;   // its most extreme value since the alert began
  int64_t began_ms = 0;  // kFiring: when the condition began (the start of pending, if any)
};

struct SeriesState {
  Phase phase = Phase::kOk;
  int64_t since_ms = 0;  // when the current phase began
  int64_t last_ms = std::numeric_limits<int64_t>::min();  // newest reading evaluated
  double last_value = 0;
  double last_condition = 0;
  double peak = 0;  // the condition's most extreme value since pending or firing began
  std::deque<series::Point> window;  // kAccumulation, kRateOfChange: readings in the window
  double window_sum = 0;
  int64_t late = 0;
};

// At most this many readings are kept per window (a one-minute series over four days).
inline constexpr size_t kMaxWindowPoints = 6'000;

// Evaluates one reading (time order per series; older ones only count as late), appending what
// changed to `out`. Runs for every reading and rule: it allocates nothing unless it appends.
void ObserveInto(const AlertRule& rule, SeriesState& state, int64_t t_ms, double value, std::vector<Transition>& out);
inline std::vector<Transition> Observe(const AlertRule& rule, SeriesState& state, int64_t t_ms, double value) {
  std::vector<Transition> out;
  ObserveInto(rule, state, t_ms, value, out);
  return out;
}
// Advances time without a reading: a pending alert fires once it has held for `for`; a no-data
// rule fires `silence` after the last reading.
std::vector<Transition> Tick(const AlertRule& rule, SeriesState& state, int64_t now_ms);

// The state as JSON and back, so that it survives a restart.
boost::json::object StateJson(const SeriesState& state);
Result<SeriesState> StateFromJson(const boost::json::value& value);

const char* PhaseName(Phase phase);  // "ok", "pending", "firing"

}  // namespace datenwerk::alerts
