#include "alerts/rule.h"

#include <cmath>

namespace datenwerk::alerts {

namespace json = boost::json;

namespace {

constexpr int64_t kMaxDurationMs = 400LL * 86'400'000;  // longer windows say nothing at ingest

const char* KindName(RuleKind k) {
  switch (k) {
    case RuleKind::kAbove: return "above";
    case RuleKind::kBelow: return "below";
    case RuleKind::kAccumulation: return "accumulation";
    case RuleKind::kRateOfChange: return "rate_of_change";
    case RuleKind::kNoData: return "no_data";
  }
  return "above";
}

Result<int64_t> Duration(const json::object& o, std::string_view key, bool required) {
  const json::value* v = o.if_contains(key);
  if (!v) {
    if (required) return InvalidArgument("is required (an ISO 8601 duration, e.g. PT1H)", std::string(key));
    return int64_t{0};
  }
  std::optional<int64_t> ms;
  if (v->is_string()) ms = ParseIsoDuration(v->as_string());
  if (v->is_int64() && v->as_int64() >= 0) ms = v->as_int64() * 1000;
  if (!ms || *ms < 0 || *ms > kMaxDurationMs) {
    return InvalidArgument("must be an ISO 8601 duration from PT0S to P400D (or seconds)", std::string(key));
  }
  return *ms;
}

Result<int64_t> Id(const json::object& o, std::string_view key) {
  const json::value& v = o.at(key);
  if (!v.is_int64() || v.as_int64() <= 0) return InvalidArgument("must be an id (a positive whole number)", "scope." + std::string(key));
  return v.as_int64();
}

}  // namespace

std::optional<int64_t> ParseIsoDuration(std::string_view text) {
  if (text.size() < 3 || text.size() > 32 || text[0] != 'P') return std::nullopt;
  int64_t ms = 0;
  bool in_time = false, any = false;
  int64_t number = -1;
  for (size_t i = 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == 'T') {
      if (in_time || number >= 0) return std::nullopt;
      in_time = true;
      continue;
    }
    if (c >= '0' && c <= '9') {
      number = (number < 0 ? 0 : number) * 10 + (c - '0');
      if (number > 1'000'000) return std::nullopt;
      continue;
    }
    if (number < 0) return std::nullopt;
    int64_t unit = 0;
    if (!in_time && c == 'D') unit = 86'400'000;
    else if (in_time && c == 'H') unit = 3'600'000;
    else if (in_time && c == 'M') unit = 60'000;
    else if (in_time && c == 'S') unit = 1'000;
    else return std::nullopt;
    ms += number * unit;
    number = -1;
    any = true;
  }
  if (number >= 0 || !any) return std::nullopt;
  return ms;
}

std::string FormatIsoDuration(int64_t ms) {
  if (ms % 86'400'000 == 0 && ms > 0) return "P" + std::to_string(ms / 86'400'000) + "D";
  std::string out = "PT";
  if (ms >= 3'600'000) { out += std::to_string(ms / 3'600'000) + "H"; ms %= 3'600'000; }
  if (ms >= 60'000) { out += std::to_string(ms / 60'000) + "M"; ms %= 60'000; }
  if (ms > 0 || out == "PT") out += std::to_string(ms / 1000) + "S";
  return out;
}

Result<AlertRule> ParseRule(const json::value& body) {
  const json::object* o = body.if_object();
  if (!o) return InvalidArgument("must be a JSON object", "body");
  for (const auto& [key, value] : *o) {
    static const std::string_view kKnown[] = {"name", "kind", "threshold", "hysteresis", "for", "window",
                                              "silence", "scope", "severity", "id"};
    if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
      return InvalidArgument("is not a member of an alert rule", std::string(key));
    }
  }
  AlertRule rule;
  const json::value* name = o->if_contains("name");
  if (!name || !name->is_string() || name->as_string().empty() || name->as_string().size() > 200) {
    return InvalidArgument("is required: a text of 1 to 200 characters", "name");
  }
  rule.name = std::string(name->as_string());
  const json::value* kind = o->if_contains("kind");
  const std::string k = kind && kind->is_string() ? std::string(kind->as_string()) : "";
  if (k == "above") rule.kind = RuleKind::kAbove;
  else if (k == "below") rule.kind = RuleKind::kBelow;
  else if (k == "accumulation") rule.kind = RuleKind::kAccumulation;
  else if (k == "rate_of_change") rule.kind = RuleKind::kRateOfChange;
  else if (k == "no_data") rule.kind = RuleKind::kNoData;
  else return InvalidArgument("must be above, below, accumulation, rate_of_change or no_data", "kind");
  if (rule.kind != RuleKind::kNoData) {
    const json::value* t = o->if_contains("threshold");
    if (!t || !t->is_number() || !std::isfinite(t->to_number<double>())) {
      return InvalidArgument("is required: a finite number", "threshold");
    }
    rule.threshold = t->to_number<double>();
  }
  if (const json::value* h = o->if_contains("hysteresis")) {
    if (!h->is_number() || !(h->to_number<double>() >= 0) || !std::isfinite(h->to_number<double>())) {
      return InvalidArgument("must be a number from 0", "hysteresis");
    }
    rule.hysteresis = h->to_number<double>();
  }
  auto for_ms = Duration(*o, "for", false);
  if (!for_ms.ok()) return for_ms.status();
  rule.for_ms = *for_ms;
  const bool windowed = rule.kind == RuleKind::kAccumulation || rule.kind == RuleKind::kRateOfChange;
  auto window = Duration(*o, "window", windowed);
  if (!window.ok()) return window.status();
  if (windowed && *window == 0) return InvalidArgument("must be longer than PT0S", "window");
  rule.window_ms = *window;
  auto silence = Duration(*o, "silence", rule.kind == RuleKind::kNoData);
  if (!silence.ok()) return silence.status();
  if (rule.kind == RuleKind::kNoData && *silence < 60'000) return InvalidArgument("must be at least PT1M", "silence");
  rule.silence_ms = *silence;
  if (const json::value* s = o->if_contains("severity")) {
    if (!s->is_string() || (s->as_string() != "info" && s->as_string() != "warnung" && s->as_string() != "kritisch")) {
      return InvalidArgument("must be info, warnung or kritisch", "severity");
    }
    rule.severity = std::string(s->as_string());
  }
  const json::value* scope = o->if_contains("scope");
  if (!scope || !scope->is_object() || scope->as_object().size() != 1) {
    return InvalidArgument("is required: one of datastream, observedProperty or area", "scope");
  }
  const json::object& sc = scope->as_object();
  if (sc.contains("datastream")) {
    auto id = Id(sc, "datastream");
    if (!id.ok()) return id.status();
    rule.scope.datastream = *id;
  } else if (sc.contains("observedProperty")) {
    auto id = Id(sc, "observedProperty");
    if (!id.ok()) return id.status();
    rule.scope.observed_property = *id;
  } else if (sc.contains("area")) {
    const json::object* area = sc.at("area").if_object();
    const json::value* type = area ? area->if_contains("type") : nullptr;
    if (!type || !type->is_string() || (type->as_string() != "Polygon" && type->as_string() != "MultiPolygon") ||
        !area->contains("coordinates")) {
      return InvalidArgument("must be a GeoJSON Polygon or MultiPolygon", "scope.area");
    }
    rule.scope.area = *area;
  } else {
    return InvalidArgument("must name datastream, observedProperty or area", "scope");
  }
  return rule;
}

json::object RuleJson(const AlertRule& r) {
  json::object scope;
  if (r.scope.datastream) scope["datastream"] = *r.scope.datastream;
  if (r.scope.observed_property) scope["observedProperty"] = *r.scope.observed_property;
  if (r.scope.area) scope["area"] = *r.scope.area;
  json::object out{{"id", r.id}, {"name", r.name}, {"kind", KindName(r.kind)}, {"scope", std::move(scope)},
                   {"hysteresis", r.hysteresis}, {"for", FormatIsoDuration(r.for_ms)}, {"severity", r.severity}};
  if (r.kind != RuleKind::kNoData) out["threshold"] = r.threshold;
  if (r.window_ms) out["window"] = FormatIsoDuration(r.window_ms);
  if (r.silence_ms) out["silence"] = FormatIsoDuration(r.silence_ms);
  return out;
}

}  // namespace datenwerk::alerts
