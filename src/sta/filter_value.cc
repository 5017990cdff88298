#include "sta/filter_value.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "core/dates.h"

namespace datenwerk::sta::filter {

std::optional<TimeSpan> ParseTime(std::string_view text) {
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    auto a = ParseRfc3339Ms(text.substr(0, slash));
    auto b = ParseRfc3339Ms(text.substr(slash + 1));
    if (!a || !b || *b < *a) return std::nullopt;
    return TimeSpan{*a, *b, true};
  }
  if (auto t = ParseRfc3339Ms(text)) return TimeSpan{*t, *t, false};
  if (auto d = DaysFromIsoDate(text)) return TimeSpan{*d * 86'400'000, *d * 86'400'000, false};
  return std::nullopt;
}

std::optional<Duration> ParseDuration(std::string_view text) {
  Duration d;
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty() || (text.front() != 'P' && text.front() != 'p')) return std::nullopt;
  text.remove_prefix(1);
  bool in_time = false, any = false;
  constexpr double kLimitMs = 10'000.0 * 366 * 86'400'000;
  double exact_ms = 0;
  while (!text.empty()) {
    if (text.front() == 'T' || text.front() == 't') {
      if (in_time) return std::nullopt;
      in_time = true;
      text.remove_prefix(1);
      continue;
    }
    size_t n = 0;
    while (n < text.size() && (std::isdigit(static_cast<unsigned char>(text[n])) || text[n] == '.' || text[n] == ',')) ++n;
    if (n == 0 || n == text.size() || n > 18) return std::nullopt;
    std::string number(text.substr(0, n));
    std::replace(number.begin(), number.end(), ',', '.');
    char* end = nullptr;
    const double amount = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size() || !std::isfinite(amount)) return std::nullopt;
    const bool whole = amount == std::floor(amount);
    const char unit = static_cast<char>(std::toupper(static_cast<unsigned char>(text[n])));
    text.remove_prefix(n + 1);
    any = true;
    if (!in_time && (unit == 'Y' || unit == 'M')) {
      if (!whole || amount > 120'000) return std::nullopt;
      d.months += static_cast<int64_t>(amount) * (unit == 'Y' ? 12 : 1);
    } else if (!in_time && (unit == 'W' || unit == 'D')) {
      exact_ms += amount * (unit == 'W' ? 7 : 1) * 86'400'000.0;
    } else if (in_time && (unit == 'H' || unit == 'M' || unit == 'S')) {
      exact_ms += amount * (unit == 'H' ? 3'600'000.0 : unit == 'M' ? 60'000.0 : 1000.0);
    } else {
      return std::nullopt;
    }
    if (exact_ms > kLimitMs || d.months > 120'000) return std::nullopt;
  }
  if (!any) return std::nullopt;
  d.ms = static_cast<int64_t>(std::llround(exact_ms));
  if (negative) {
    d.months = -d.months;
    d.ms = -d.ms;
  }
  return d;
}

std::optional<int64_t> AddDuration(int64_t ms, const Duration& dur) {
  constexpr int64_t kDay = 86'400'000;
  constexpr int64_t kMin = -62'167'219'200'000;  // 0000-01-01
  constexpr int64_t kMax = 253'402'300'799'999;  // 9999-12-31T23:59:59.999
  if (ms < kMin || ms > kMax) return std::nullopt;
  int64_t out = ms;
  if (dur.months != 0) {
    using namespace std::chrono;
    const int64_t day_index = ms >= 0 ? ms / kDay : (ms - kDay + 1) / kDay;
    const year_month_day date{sys_days{days{day_index}}};
    const year_month moved = year_month{date.year(), date.month()} + months{dur.months};
    const day last = year_month_day_last{moved.year(), month_day_last{moved.month()}}.day();
    const sys_days shifted{year_month_day{moved.year(), moved.month(), std::min(date.day(), last)}};
    out = shifted.time_since_epoch().count() * kDay + (ms - day_index * kDay);
  }
  if (dur.ms > kMax - kMin || dur.ms < kMin - kMax) return std::nullopt;
  out += dur.ms;
  if (out < kMin || out > kMax) return std::nullopt;
  return out;
}

namespace {

std::optional<std::pair<double, double>> ParsePair(std::string_view text) {
  std::string s(text);
  char* end = nullptr;
  double x = std::strtod(s.c_str(), &end);
  if (end == s.c_str()) return std::nullopt;
  char* end2 = nullptr;
  double y = std::strtod(end, &end2);
  if (end2 == end) return std::nullopt;
  while (*end2 == ' ') ++end2;
  if (*end2 != '\0') return std::nullopt;
  return std::make_pair(x, y);
}

std::optional<std::vector<std::pair<double, double>>> ParseList(std::string_view text) {
  std::vector<std::pair<double, double>> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos) comma = text.size();
    std::string_view item = text.substr(start, comma - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    auto p = ParsePair(item);
    if (!p) return std::nullopt;
    out.push_back(*p);
    start = comma + 1;
  }
  return out;
}

std::optional<std::pair<double, double>> JsonPair(const boost::json::value& v) {
  if (!v.is_array() || v.as_array().size() < 2) return std::nullopt;
  const auto& a = v.as_array();
  if (!a[0].is_number() || !a[1].is_number()) return std::nullopt;
  return std::make_pair(a[0].to_number<double>(), a[1].to_number<double>());
}

double PointSegment(std::pair<double, double> p, std::pair<double, double> a,
                    std::pair<double, double> b) {
  const double dx = b.first - a.first, dy = b.second - a.second;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.first - a.first) * dx + (p.second - a.second) * dy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.first - (a.first + t * dx), p.second - (a.second + t * dy));
}

bool InRing(std::pair<double, double> p, const std::vector<std::pair<double, double>>& ring) {
  bool inside = false;
  for (size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const auto& a = ring[i];
    const auto& b = ring[j];
    if ((a.second > p.second) != (b.second > p.second) &&
        p.first < (b.first - a.first) * (p.second - a.second) / (b.second - a.second) + a.first) {
      inside = !inside;
    }
  }
  return inside;
}

bool SegmentsCross(std::pair<double, double> p1, std::pair<double, double> p2,
                   std::pair<double, double> q1, std::pair<double, double> q2) {
  auto orient = [](auto a, auto b, auto c) {
    double v = (b.first - a.first) * (c.second - a.second) - (b.second - a.second) * (c.first - a.first);
    return (v > 0) - (v < 0);
  };
  int o1 = orient(p1, p2, q1), o2 = orient(p1, p2, q2), o3 = orient(q1, q2, p1), o4 = orient(q1, q2, p2);
  return o1 != o2 && o3 != o4;
}

std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>> Edges(const Geometry& g) {
  std::vector<std::pair<std::pair<double, double>, std::pair<double, double>>> out;
  for (size_t i = 1; i < g.points.size(); ++i) out.emplace_back(g.points[i - 1], g.points[i]);
  return out;
}

}  // namespace

std::optional<Geometry> ParseWkt(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  auto body = [&](std::string_view keyword, int parens) -> std::optional<std::string_view> {
    if (text.size() < keyword.size()) return std::nullopt;
    for (size_t i = 0; i < keyword.size(); ++i) {
      if (std::toupper(static_cast<unsigned char>(text[i])) != keyword[i]) return std::nullopt;
    }
    std::string_view rest = text.substr(keyword.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    for (int i = 0; i < parens; ++i) {
      if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') return std::nullopt;
      rest = rest.substr(1, rest.size() - 2);
    }
    return rest;
  };
  if (auto b = body("POINT", 1)) {
    auto p = ParsePair(*b);
    if (!p) return std::nullopt;
    return Geometry{Geometry::Kind::kPoint, {*p}};
  }
  if (auto b = body("LINESTRING", 1)) {
    auto l = ParseList(*b);
    if (!l || l->size() < 2) return std::nullopt;
    return Geometry{Geometry::Kind::kLineString, *l};
  }
  if (auto b = body("POLYGON", 2)) {
    if (b->find('(') != std::string_view::npos) return std::nullopt;  // holes: not supported
    auto l = ParseList(*b);
    if (!l || l->size() < 4) return std::nullopt;
    return Geometry{Geometry::Kind::kPolygon, *l};
  }
  return std::nullopt;
}

std::optional<Geometry> FromGeoJson(const boost::json::value& v) {
  if (!v.is_object()) return std::nullopt;
  const auto& o = v.as_object();
  const auto* type = o.if_contains("type");
  if (!type || !type->is_string()) return std::nullopt;
  if (type->as_string() == "Feature" && o.contains("geometry")) return FromGeoJson(o.at("geometry"));
  const auto* coords = o.if_contains("coordinates");
  if (!coords) return std::nullopt;
  if (type->as_string() == "Point") {
    auto p = JsonPair(*coords);
    if (!p) return std::nullopt;
    return Geometry{Geometry::Kind::kPoint, {*p}};
  }
  auto list = [](const boost::json::value& arr) -> std::optional<std::vector<std::pair<double, double>>> {
    if (!arr.is_array()) return std::nullopt;
    std::vector<std::pair<double, double>> out;
    for (const auto& item : arr.as_array()) {
      auto p = JsonPair(item);
      if (!p) return std::nullopt;
      out.push_back(*p);
    }
    return out;
  };
  if (type->as_string() == "LineString") {
    auto l = list(*coords);
    if (!l || l->size() < 2) return std::nullopt;
    return Geometry{Geometry::Kind::kLineString, *l};
  }
  if (type->as_string() == "Polygon" && coords->is_array() && !coords->as_array().empty()) {
    auto l = list(coords->as_array()[0]);
    if (!l || l->size() < 4) return std::nullopt;
    return Geometry{Geometry::Kind::kPolygon, *l};
  }
  return std::nullopt;
}

Value FromJson(const boost::json::value& v) {
  switch (v.kind()) {
    case boost::json::kind::bool_: return v.get_bool();
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: return v.to_number<double>();
    case boost::json::kind::string: return std::string(v.get_string());
    case boost::json::kind::object:
      if (auto g = FromGeoJson(v)) return *g;
      return std::monostate{};
    default: return std::monostate{};
  }
}

bool Within(const Geometry& inner, const Geometry& outer) {
  if (outer.kind != Geometry::Kind::kPolygon) {
    return inner.points == outer.points;
  }
  return std::all_of(inner.points.begin(), inner.points.end(),
                     [&](const auto& p) { return InRing(p, outer.points); });
}

bool Intersects(const Geometry& a, const Geometry& b) {
  if (a.kind == Geometry::Kind::kPolygon &&
      std::any_of(b.points.begin(), b.points.end(), [&](const auto& p) { return InRing(p, a.points); })) {
    return true;
  }
  if (b.kind == Geometry::Kind::kPolygon &&
      std::any_of(a.points.begin(), a.points.end(), [&](const auto& p) { return InRing(p, b.points); })) {
    return true;
  }
  for (const auto& e : Edges(a)) {
    for (const auto& f : Edges(b)) {
      if (SegmentsCross(e.first, e.second, f.first, f.second)) return true;
    }
  }
  return Distance(a, b) == 0;
}

double Distance(const Geometry& a, const Geometry& b) {
  if (a.kind == Geometry::Kind::kPolygon && Within(b, a)) return 0;
  if (b.kind == Geometry::Kind::kPolygon && Within(a, b)) return 0;
  double best = INFINITY;
  auto edges_a = Edges(a), edges_b = Edges(b);
  for (const auto& p : a.points) {
    for (const auto& q : b.points) best = std::min(best, std::hypot(p.first - q.first, p.second - q.second));
    for (const auto& e : edges_b) best = std::min(best, PointSegment(p, e.first, e.second));
  }
  for (const auto& q : b.points) {
    for (const auto& e : edges_a) best = std::min(best, PointSegment(q, e.first, e.second));
  }
  return best;
}

double Length(const Geometry& g) {
  double total = 0;
  for (size_t i = 1; i < g.points.size(); ++i) {
    total += std::hypot(g.points[i].first - g.points[i - 1].first,
                        g.points[i].second - g.points[i - 1].second);
  }
  return total;
}

Status CheckComparable(const Geometry& a, const Geometry& b) {
  const size_t work = std::max<size_t>(a.points.size(), 1) * std::max<size_t>(b.points.size(), 1);
  if (work <= kMaxGeometryWork) return Status::Ok();
  return InvalidArgument("compares geometries of " + std::to_string(a.points.size()) + " and " +
                             std::to_string(b.points.size()) +
                             " points; their product may be at most " +
                             std::to_string(kMaxGeometryWork),
                         "$filter");
}

}  // namespace datenwerk::sta::filter
