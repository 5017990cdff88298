#include "alerts/evaluator.h"

#include <cmath>

namespace datenwerk::alerts {

namespace json = boost::json;

namespace {

constexpr double kHourMs = 3'600'000;

bool Breached(const AlertRule& r, double c) {
  switch (r.kind) {
    case RuleKind::kAbove:
    case RuleKind::kAccumulation: return c > r.threshold;
    case RuleKind::kBelow: return c < r.threshold;
    case RuleKind::kRateOfChange: return std::abs(c) > r.threshold;
    case RuleKind::kNoData: return false;
  }
  return false;
}

// Cleared: inside the threshold by the hysteresis (between, an alert keeps its phase).
bool Cleared(const AlertRule& r, double c) {
  switch (r.kind) {
    case RuleKind::kAbove:
    case RuleKind::kAccumulation: return c <= r.threshold - r.hysteresis;
    case RuleKind::kBelow: return c >= r.threshold + r.hysteresis;
    case RuleKind::kRateOfChange: return std::abs(c) <= r.threshold - r.hysteresis;
    case RuleKind::kNoData: return true;
  }
  return true;
}

// The value the rule looks at after `t, v` entered the state's window.
double Condition(const AlertRule& r, SeriesState& s, int64_t t, double v) {
  if (r.kind != RuleKind::kAccumulation && r.kind != RuleKind::kRateOfChange) return v;
  s.window.push_back({t, v});
  s.window_sum += v;
  while (!s.window.empty() && (s.window.front().time_ms <= t - r.window_ms || s.window.size() > kMaxWindowPoints)) {
    s.window_sum -= s.window.front().value;
    s.window.pop_front();
  }
  if (r.kind == RuleKind::kAccumulation) return std::round(s.window_sum * 1e6) / 1e6;
  const auto& oldest = s.window.front();
  const double hours = static_cast<double>(t - oldest.time_ms) / kHourMs;
  return hours > 0 ? (v - oldest.value) / hours : 0;
}

// More extreme in the rule's direction.
double Extreme(const AlertRule& r, double a, double b) {
  if (r.kind == RuleKind::kBelow) return std::min(a, b);
  if (r.kind == RuleKind::kRateOfChange) return std::abs(b) > std::abs(a) ? b : a;
  return std::max(a, b);
}

}  // namespace

const char* PhaseName(Phase p) {
  return p == Phase::kOk ? "ok" : p == Phase::kPending ? "pending" : "firing";
}

void ObserveInto(const AlertRule& r, SeriesState& s, int64_t t, double v, std::vector<Transition>& out) {
  if (t <= s.last_ms) {
    ++s.late;
    return;
  }
  const size_t before = out.size();
  // First what time alone did (a pending alert that has held, a silence that has passed); only
  // those two can change by time, and this runs for every reading and rule.
  if (s.phase == Phase::kPending || r.kind == RuleKind::kNoData) {
    for (const Transition& tr : Tick(r, s, t)) out.push_back(tr);
  }
  s.last_ms = t;
  s.last_value = v;
  if (r.kind == RuleKind::kNoData) {
    if (s.phase == Phase::kFiring) {
      s.phase = Phase::kOk;
      s.since_ms = t;
      out.push_back({Transition::Kind::kResolved, t, v});
    }
    return;
  }
  const double c = Condition(r, s, t, v);
  s.last_condition = c;
  if (s.phase != Phase::kOk) s.peak = Extreme(r, s.peak, c);
  else if (Breached(r, c)) s.peak = c;
  switch (s.phase) {
    case Phase::kOk:
      if (!Breached(r, c)) break;
      s.since_ms = t;
      if (r.for_ms == 0) {
        s.phase = Phase::kFiring;
        out.push_back({Transition::Kind::kFiring, t, c, 0, t});
      } else {
        s.phase = Phase::kPending;
        out.push_back({Transition::Kind::kPending, t, c});
      }
      break;
    case Phase::kPending:
      if (!Breached(r, c)) {
        s.phase = Phase::kOk;
        s.since_ms = t;
        out.push_back({Transition::Kind::kCancelled, t, c});
      } else if (t - s.since_ms >= r.for_ms) {
        out.push_back({Transition::Kind::kFiring, t, c, 0, s.since_ms});
        s.phase = Phase::kFiring;
        s.since_ms = t;
      }
      break;
    case Phase::kFiring:
      if (Cleared(r, c)) {
        s.phase = Phase::kOk;
        s.since_ms = t;
        out.push_back({Transition::Kind::kResolved, t, c});
      }
      break;
  }
  for (size_t i = before; i < out.size(); ++i) out[i].peak = s.peak;
}

std::vector<Transition> Tick(const AlertRule& r, SeriesState& s, int64_t now) {
  std::vector<Transition> out;
  if (s.last_ms == std::numeric_limits<int64_t>::min()) return out;  // nothing seen yet
  if (r.kind == RuleKind::kNoData) {
    if (s.phase == Phase::kOk && now - s.last_ms >= r.silence_ms) {
      s.phase = Phase::kFiring;
      s.since_ms = s.last_ms + r.silence_ms;
      out.push_back({Transition::Kind::kFiring, s.since_ms, s.last_value, s.last_value, s.since_ms});
    }
    return out;
  }
  // The last reading still breaches: the alert fires when `for` has passed since it began.
  if (s.phase == Phase::kPending && now - s.since_ms >= r.for_ms) {
    const int64_t began = s.since_ms;
    s.phase = Phase::kFiring;
    s.since_ms += r.for_ms;
    out.push_back({Transition::Kind::kFiring, s.since_ms, s.last_condition, s.peak, began});
  }
  return out;
}

json::object StateJson(const SeriesState& s) {
  json::array window;
  for (const auto& p : s.window) window.push_back(json::array{p.time_ms, p.value});
  return {{"phase", PhaseName(s.phase)}, {"since", s.since_ms}, {"last", s.last_ms},
          {"lastValue", s.last_value}, {"lastCondition", s.last_condition},
          {"window", std::move(window)}, {"late", s.late}, {"peak", s.peak}};
}

Result<SeriesState> StateFromJson(const json::value& value) {
  const json::object* o = value.if_object();
  const auto number = [&](std::string_view key) -> std::optional<json::value> {
    const json::value* v = o ? o->if_contains(key) : nullptr;
    if (!v || !v->is_number()) return std::nullopt;
    return *v;
  };
  auto phase = o && o->contains("phase") && o->at("phase").is_string() ? std::string(o->at("phase").as_string()) : "";
  auto since = number("since"), last = number("last"), last_value = number("lastValue"),
       last_condition = number("lastCondition"), late = number("late");
  const json::value* window = o ? o->if_contains("window") : nullptr;
  if ((phase != "ok" && phase != "pending" && phase != "firing") || !since || !last || !last_value ||
      !last_condition || !late || !window || !window->is_array()) {
    return InvalidArgument("is no alert state", "state");
  }
  SeriesState s;
  s.phase = phase == "ok" ? Phase::kOk : phase == "pending" ? Phase::kPending : Phase::kFiring;
  boost::system::error_code ec;
  s.since_ms = since->to_number<int64_t>(ec);
  s.last_ms = last->to_number<int64_t>(ec);
  s.last_value = last_value->to_number<double>(ec);
  s.last_condition = last_condition->to_number<double>(ec);
  s.late = late->to_number<int64_t>(ec);
  if (auto peak = number("peak")) s.peak = peak->to_number<double>(ec);
  if (ec) return InvalidArgument("has a number out of range", "state");
  for (const json::value& p : window->as_array()) {
    const json::array* pair = p.if_array();
    if (!pair || pair->size() != 2 || !(*pair)[0].is_number() || !(*pair)[1].is_number()) {
      return InvalidArgument("has a malformed window", "state.window");
    }
    const int64_t t = (*pair)[0].to_number<int64_t>(ec);
    const double v = (*pair)[1].to_number<double>(ec);
    if (ec) return InvalidArgument("has a number out of range", "state.window");
    s.window.push_back({t, v});
    s.window_sum += s.window.back().value;
  }
  return s;
}

}  // namespace datenwerk::alerts
