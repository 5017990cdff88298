#include "sta/filter.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "core/dates.h"
#include "sta/filter_node.h"
#include "sta/filter_value.h"
#include "sta/geometry_relate.h"

namespace datenwerk::sta {

namespace json = boost::json;
using filter::Duration;
using filter::Geometry;
using filter::TimeSpan;
using filter::Value;

namespace {

// ---- evaluation ---------------------------------------------------------------------------

using Values = std::vector<Value>;

const double* Num(const Value& v) { return std::get_if<double>(&v); }
const std::string* Str(const Value& v) { return std::get_if<std::string>(&v); }

std::optional<TimeSpan> AsTime(const Value& v) {
  if (const auto* t = std::get_if<TimeSpan>(&v)) return *t;
  if (const auto* s = Str(v)) return filter::ParseTime(*s);
  return std::nullopt;
}

const Duration* Dur(const Value& v) { return std::get_if<Duration>(&v); }

// Comparisons and temporal relations of times exactly as FROST-Server evaluates them
// (StaDateTimeWrapper and StaTimeIntervalWrapper): an instant t, an interval [s, e). `op` is a
// comparison (eq ne gt ge lt le) or before, after, meets, overlaps, starts, finishes and
// contains (what "during" asks of its second argument). nullopt where FROST refuses (an instant
// cannot contain).
std::optional<bool> CompareTimes(std::string_view op, const TimeSpan& x, const TimeSpan& y) {
  const int64_t s1 = x.start, e1 = x.end, s2 = y.start, e2 = y.end;
  if (!x.interval && !y.interval) {
    const int64_t t1 = s1, t2 = s2;
    if (op == "eq" || op == "meets" || op == "overlaps" || op == "starts" || op == "finishes") return t1 == t2;
    if (op == "ne") return t1 != t2;
    if (op == "gt" || op == "after") return t1 > t2;
    if (op == "ge") return t1 >= t2;
    if (op == "lt" || op == "before") return t1 < t2;
    if (op == "le") return t1 <= t2;
    return std::nullopt;
  }
  if (x.interval && !y.interval) {
    const int64_t t2 = s2;
    if (op == "eq") return s1 == t2 && e1 == t2;
    if (op == "ne") return s1 != t2 && e1 != t2;
    if (op == "gt" || op == "after") return s1 > t2;
    if (op == "ge") return s1 >= t2;
    if (op == "lt" || op == "before") return e1 <= t2 && s1 < t2;
    if (op == "le") return e1 <= t2;
    if (op == "contains") return s1 <= t2 && e1 > t2;
    if (op == "meets") return s1 == t2 || e1 == t2;
    if (op == "overlaps") return s1 == t2 || (s1 <= t2 && e1 > t2);
    if (op == "starts") return s1 == t2;
    if (op == "finishes") return e1 == t2;
    return std::nullopt;
  }
  if (!x.interval) {
    const int64_t t1 = s1;
    if (op == "eq") return t1 == s2 && t1 == e2;
    if (op == "ne") return t1 != s2 && t1 != e2;
    if (op == "gt" || op == "after") return t1 >= e2 && t1 > s2;
    if (op == "ge") return t1 >= e2;
    if (op == "lt" || op == "before") return t1 < s2;
    if (op == "le") return t1 <= s2;
    if (op == "meets") return t1 == s2 || t1 == e2;
    if (op == "overlaps") return t1 == s2 || (s2 <= t1 && e2 > t1);
    if (op == "starts") return t1 == s2;
    if (op == "finishes") return t1 == e2;
    return std::nullopt;  // contains: FROST's "First parameter of contains must be an interval"
  }
  if (op == "eq") return s1 == s2 && e1 == e2;
  if (op == "ne") return s1 != s2 && e1 != e2;
  if (op == "gt" || op == "after") return s1 >= e2 && s1 > s2;
  if (op == "ge") return s1 >= s2 && e1 >= e2;
  if (op == "lt" || op == "before") return e1 <= s2 && s1 < s2;
  if (op == "le") return s1 <= s2 && e1 <= e2;
  if (op == "contains") return s1 <= s2 && e1 > s2 && e1 >= e2;
  if (op == "meets") return s1 == e2 || e1 == s2;
  if (op == "overlaps") return !(s1 >= e2 || s2 >= e1) || s1 == s2;
  if (op == "starts") return s1 == s2;
  if (op == "finishes") return e1 == e2;
  return std::nullopt;
}

bool Truthy(const Values& vs) {
  for (const Value& v : vs) {
    if (const bool* b = std::get_if<bool>(&v); b && *b) return true;
  }
  return false;
}

Value CompareValues(const std::string& op, const Value& a, const Value& b) {
  const bool a_null = std::holds_alternative<std::monostate>(a);
  const bool b_null = std::holds_alternative<std::monostate>(b);
  if (a_null || b_null) {
    if (op == "eq") return a_null && b_null;
    if (op == "ne") return a_null != b_null;
    return std::monostate{};
  }
  int cmp = 0;
  if (Num(a) && Num(b)) {
    cmp = (*Num(a) > *Num(b)) - (*Num(a) < *Num(b));
  } else if (std::holds_alternative<bool>(a) && std::holds_alternative<bool>(b)) {
    cmp = std::get<bool>(a) - std::get<bool>(b);
  } else if (std::holds_alternative<TimeSpan>(a) || std::holds_alternative<TimeSpan>(b)) {
    auto x = AsTime(a), y = AsTime(b);
    if (!x || !y) return std::monostate{};
    auto holds = CompareTimes(op, *x, *y);
    return holds ? Value(*holds) : Value();
  } else if (Dur(a) && Dur(b)) {
    const int64_t x = Dur(a)->ApproxMs(), y = Dur(b)->ApproxMs();
    cmp = (x > y) - (x < y);
  } else if (Str(a) && Str(b)) {
    cmp = Str(a)->compare(*Str(b));
    cmp = (cmp > 0) - (cmp < 0);
  } else {
    if (op == "eq") return false;
    if (op == "ne") return true;
    return std::monostate{};
  }
  if (op == "eq") return cmp == 0;
  if (op == "ne") return cmp != 0;
  if (op == "gt") return cmp > 0;
  if (op == "ge") return cmp >= 0;
  if (op == "lt") return cmp < 0;
  return cmp <= 0;
}

// A time shifted by a duration (both ends of an interval), or null past years 0 to 9999.
Value Shift(const TimeSpan& t, Duration d, bool back) {
  if (back) d = Duration{-d.months, -d.ms};
  auto start = filter::AddDuration(t.start, d);
  auto end = filter::AddDuration(t.end, d);
  if (!start || !end) return std::monostate{};
  return TimeSpan{*start, *end, t.interval};
}

// A duration times a factor; fractions of months spill into days of 30 as in PostgreSQL.
Value Scale(const Duration& d, double factor) {
  if (!std::isfinite(factor)) return std::monostate{};
  const double months = static_cast<double>(d.months) * factor;
  const double ms = static_cast<double>(d.ms) * factor + (months - std::trunc(months)) * 30 * 86'400'000.0;
  if (std::abs(months) > 120'000 || std::abs(ms) > 4e14) return std::monostate{};
  return Duration{static_cast<int64_t>(std::trunc(months)), static_cast<int64_t>(std::llround(ms))};
}

// Time arithmetic as FROST-Server's (StaDateTimeWrapper, StaTimeIntervalWrapper,
// StaDurationWrapper): a time plus or minus a duration, the duration between two times (of
// their starts), durations added, subtracted, multiplied and divided by numbers.
Value TimeArithmetic(const std::string& op, const Value& a, const Value& b) {
  const Duration* da = Dur(a);
  const Duration* db = Dur(b);
  const auto ta = da || Num(a) ? std::nullopt : AsTime(a);
  const auto tb = db || Num(b) ? std::nullopt : AsTime(b);
  const bool add = op == "add", sub = op == "sub";
  if (ta && db && (add || sub)) return Shift(*ta, *db, sub);
  if (da && tb && add) return Shift(*tb, *da, false);
  if (ta && tb && sub) return Duration{0, ta->start - tb->start};
  if (da && db && (add || sub)) {
    const int64_t sign = add ? 1 : -1;
    return Scale(Duration{da->months + sign * db->months, da->ms + sign * db->ms}, 1.0);
  }
  if (da && Num(b) && op == "mul") return Scale(*da, *Num(b));
  if (da && Num(b) && op == "div" && *Num(b) != 0) return Scale(*da, 1.0 / *Num(b));
  if (Num(a) && db && op == "mul") return Scale(*db, *Num(a));
  return std::monostate{};
}

Value Arithmetic(const std::string& op, const Value& a, const Value& b) {
  if (!Num(a) || !Num(b)) return TimeArithmetic(op, a, b);
  const double x = *Num(a), y = *Num(b);
  if (op == "add") return x + y;
  if (op == "sub") return x - y;
  if (op == "mul") return x * y;
  if (y == 0) return std::monostate{};
  if (op == "div") return x / y;
  return std::fmod(x, y);
}

Value TimePart(const std::string& f, const TimeSpan& t) {
  const int64_t ms = t.start;
  const int64_t day = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
  const int64_t in_day = ms - day * 86'400'000;
  const std::string iso = FormatRfc3339Ms(ms);
  if (f == "year") return static_cast<double>(std::stoi(iso.substr(0, 4)));
  if (f == "month") return static_cast<double>(std::stoi(iso.substr(5, 2)));
  if (f == "day") return static_cast<double>(std::stoi(iso.substr(8, 2)));
  if (f == "hour") return static_cast<double>(in_day / 3'600'000);
  if (f == "minute") return static_cast<double>(in_day / 60'000 % 60);
  if (f == "second") return static_cast<double>(in_day / 1000 % 60);
  if (f == "fractionalseconds") return static_cast<double>(in_day % 1000) / 1000.0;
  if (f == "date") return TimeSpan{day * 86'400'000, day * 86'400'000, false};
  return 0.0;  // totaloffsetminutes: times are kept in UTC
}

// Values one node may produce: a comparison of two paths across to-many navigations yields the
// product of their sizes, and each further such term multiplies again.
Status CheckFanOut(size_t values) {
  if (values <= Filter::kMaxValues) return Status::Ok();
  return InvalidArgument("compares more than " + std::to_string(Filter::kMaxValues) +
                             " values at once (paths across to-many navigation multiply); "
                             "narrow it",
                         "$filter");
}

// Two geometries compared segment by segment: refuse what would take too long.
Status CheckGeometryArguments(const std::string& f, const std::vector<Value>& a) {
  if (a.size() < 2 || !(f.starts_with("geo.") || f.starts_with("st_"))) return Status::Ok();
  const auto* g0 = std::get_if<Geometry>(&a[0]);
  const auto* g1 = std::get_if<Geometry>(&a[1]);
  if (!g0 || !g1) return Status::Ok();
  return filter::CheckComparable(*g0, *g1);
}

Value Call(const std::string& f, const std::vector<Value>& a, int64_t now_ms) {
  auto s = [&](size_t i) { return Str(a[i]); };
  auto n = [&](size_t i) { return Num(a[i]); };
  if (f == "now") return TimeSpan{now_ms, now_ms, false};
  if (f == "mindatetime") return TimeSpan{-62135596800000, -62135596800000, false};
  if (f == "maxdatetime") return TimeSpan{253402300799999, 253402300799999, false};
  if (f == "substringof") return s(0) && s(1) ? Value(s(1)->find(*s(0)) != std::string::npos) : Value();
  if (f == "startswith") return s(0) && s(1) ? Value(s(0)->starts_with(*s(1))) : Value();
  if (f == "endswith") return s(0) && s(1) ? Value(s(0)->ends_with(*s(1))) : Value();
  if (f == "length") return s(0) ? Value(static_cast<double>(s(0)->size())) : Value();
  if (f == "indexof") {
    if (!s(0) || !s(1)) return {};
    size_t at = s(0)->find(*s(1));
    return at == std::string::npos ? -1.0 : static_cast<double>(at);
  }
  if (f == "substring") {
    if (!s(0) || !n(1)) return {};
    const double start = std::max(0.0, *n(1));
    if (start >= static_cast<double>(s(0)->size())) return std::string();
    if (a.size() == 3) {
      if (!n(2)) return {};
      // Clamped before the cast: a length of 3e108 (or inf) is no size_t (found by fuzzing).
      const double length = std::min(std::max(0.0, *n(2)), static_cast<double>(s(0)->size()));
      return s(0)->substr(static_cast<size_t>(start), static_cast<size_t>(length));
    }
    return s(0)->substr(static_cast<size_t>(start));
  }
  if (f == "tolower" || f == "toupper") {
    if (!s(0)) return {};
    std::string out = *s(0);
    for (char& c : out) c = static_cast<char>(f == "tolower" ? std::tolower(static_cast<unsigned char>(c)) : std::toupper(static_cast<unsigned char>(c)));
    return out;
  }
  if (f == "trim") {
    if (!s(0)) return {};
    std::string_view v = *s(0);
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return std::string(v);
  }
  if (f == "concat") return s(0) && s(1) ? Value(*s(0) + *s(1)) : Value();
  if (f == "round" || f == "floor" || f == "ceiling") {
    if (!n(0)) return {};
    return f == "round" ? std::round(*n(0)) : f == "floor" ? std::floor(*n(0)) : std::ceil(*n(0));
  }
  if (f == "year" || f == "month" || f == "day" || f == "hour" || f == "minute" || f == "second" ||
      f == "fractionalseconds" || f == "date" || f == "totaloffsetminutes") {
    auto t = AsTime(a[0]);
    return t ? TimePart(f, *t) : Value();
  }
  if (f.starts_with("geo.") || f.starts_with("st_")) {
    const auto* g0 = std::get_if<Geometry>(&a[0]);
    if (f == "geo.length") return g0 ? Value(filter::Length(*g0)) : Value();
    const auto* g1 = std::get_if<Geometry>(&a[1]);
    if (!g0 || !g1) return {};
    if (f == "geo.distance") return filter::Distance(*g0, *g1);
    if (f == "geo.intersects" || f == "st_intersects") return filter::Intersects(*g0, *g1);
    if (f == "st_disjoint") return !filter::Intersects(*g0, *g1);
    if (f == "st_within") return filter::Within(*g0, *g1);
    if (f == "st_contains") return filter::Within(*g1, *g0);
    std::optional<bool> related;
    if (f == "st_crosses") related = filter::Relate(filter::Relation::kCrosses, *g0, *g1);
    else if (f == "st_overlaps") related = filter::Relate(filter::Relation::kOverlaps, *g0, *g1);
    else if (f == "st_touches") related = filter::Relate(filter::Relation::kTouches, *g0, *g1);
    else if (f == "st_relate") {
      const auto* pattern = a.size() == 3 ? Str(a[2]) : nullptr;
      if (pattern) related = filter::RelatePattern(*g0, *g1, *pattern);
    }
    if (f == "st_crosses" || f == "st_overlaps" || f == "st_touches" || f == "st_relate") {
      return related ? Value(*related) : Value();
    }
    return g0->kind == g1->kind && g0->points == g1->points;  // st_equals
  }
  auto x = AsTime(a[0]), y = AsTime(a[1]);  // temporal functions
  if (!x || !y) return {};
  // FROST-Server: during(a, b) is "b contains a", and b must be an interval.
  auto holds = f == "during" ? (y->interval ? CompareTimes("contains", *y, *x) : std::nullopt)
                             : CompareTimes(f, *x, *y);
  return holds ? Value(*holds) : Value();
}

Result<Values> Evaluate(const FilterNode& n, const Filter::Resolver& resolve, int64_t now) {
  switch (n.kind) {
    case FilterNode::Kind::kLiteral: return Values{n.literal};
    case FilterNode::Kind::kPath: {
      auto raw = resolve(n.path);
      if (!raw.ok()) return raw.status();
      Values out;
      for (const json::value& v : *raw) out.push_back(filter::FromJson(v));
      if (out.empty()) out.push_back(std::monostate{});
      return out;
    }
    case FilterNode::Kind::kNot: {
      auto inner = Evaluate(*n.args[0], resolve, now);
      if (!inner.ok()) return inner;
      return Values{!Truthy(*inner)};
    }
    case FilterNode::Kind::kNegate: break;
    case FilterNode::Kind::kBinary: {
      auto left = Evaluate(*n.args[0], resolve, now);
      if (!left.ok()) return left;
      if (n.op == "and" || n.op == "or") {
        const bool l = Truthy(*left);
        if (n.op == "and" && !l) return Values{false};
        if (n.op == "or" && l) return Values{true};
        auto right = Evaluate(*n.args[1], resolve, now);
        if (!right.ok()) return right;
        return Values{Truthy(*right)};
      }
      auto right = Evaluate(*n.args[1], resolve, now);
      if (!right.ok()) return right;
      if (auto s = CheckFanOut(left->size() * right->size()); !s.ok()) return s;
      Values out;
      const bool compare = n.op.size() == 2;
      for (const Value& a : *left) {
        for (const Value& b : *right) {
          out.push_back(compare ? CompareValues(n.op, a, b) : Arithmetic(n.op, a, b));
        }
      }
      return out;
    }
    case FilterNode::Kind::kCall: {
      std::vector<Values> args;
      for (const auto& arg : n.args) {
        auto v = Evaluate(*arg, resolve, now);
        if (!v.ok()) return v;
        args.push_back(std::move(v).value());
      }
      // Any combination of argument values (paths over to-many navigations give several).
      size_t combinations = 1;
      for (const Values& arg : args) {
        combinations *= std::max<size_t>(arg.size(), 1);
        if (auto s = CheckFanOut(combinations); !s.ok()) return s;
      }
      Values out;
      std::vector<size_t> index(args.size(), 0);
      for (;;) {
        std::vector<Value> current;
        for (size_t i = 0; i < args.size(); ++i) current.push_back(args[i][index[i]]);
        if (auto s = CheckGeometryArguments(n.op, current); !s.ok()) return s;
        out.push_back(Call(n.op, current, now));
        size_t k = 0;
        while (k < args.size() && ++index[k] == args[k].size()) index[k++] = 0;
        if (k == args.size()) break;
      }
      return out;
    }
  }
  return Values{std::monostate{}};
}

}  // namespace

Filter::Filter(std::unique_ptr<FilterNode> root) : root_(std::move(root)) {}
Filter::Filter(Filter&&) noexcept = default;
Filter& Filter::operator=(Filter&&) noexcept = default;
Filter::~Filter() = default;

Result<Filter> Filter::Parse(std::string_view text, const EntityDef& def) {
  auto root = ParseFilterTree(text, def);
  if (!root.ok()) return root.status();
  return Filter(std::move(root).value());
}

namespace {

// `property op instant` (or `instant op property`, turned around) as {op, instant in ms};
// nullopt when `n` is not such a comparison.
struct TimeComparison {
  std::string op;
  int64_t instant_ms;
};
// Whether `n` has a value without an entity: no property path in it.
bool IsConstant(const FilterNode& n) {
  if (n.kind == FilterNode::Kind::kPath) return false;
  return std::all_of(n.args.begin(), n.args.end(), [](const auto& a) { return IsConstant(*a); });
}

// The instant a constant subtree stands for (a literal, now() sub duration'P1D'), or nullopt.
std::optional<TimeSpan> ConstantInstant(const FilterNode& n, int64_t now_ms) {
  if (n.kind == FilterNode::Kind::kLiteral) {
    const auto* t = std::get_if<TimeSpan>(&n.literal);
    return t && !t->interval ? std::optional<TimeSpan>(*t) : std::nullopt;
  }
  if (!IsConstant(n)) return std::nullopt;
  const Filter::Resolver none = [](const std::vector<std::string>&) -> Result<std::vector<json::value>> {
    return std::vector<json::value>{};
  };
  auto v = Evaluate(n, none, now_ms);
  if (!v.ok() || v->size() != 1) return std::nullopt;
  const auto* t = std::get_if<TimeSpan>(&v->front());
  return t && !t->interval ? std::optional<TimeSpan>(*t) : std::nullopt;
}

std::optional<TimeComparison> AsTimeComparison(const FilterNode& n, std::string_view property, int64_t now_ms) {
  if (n.kind != FilterNode::Kind::kBinary || n.args.size() != 2) return std::nullopt;
  const FilterNode* path = n.args[0].get();
  const FilterNode* literal = n.args[1].get();
  std::string op = n.op;
  if (path->kind != FilterNode::Kind::kPath) {
    std::swap(path, literal);
    if (op == "gt") op = "lt"; else if (op == "lt") op = "gt";
    else if (op == "ge") op = "le"; else if (op == "le") op = "ge";
  }
  if (path->kind != FilterNode::Kind::kPath || path->path.size() != 1 || path->path[0] != property) {
    return std::nullopt;
  }
  auto t = ConstantInstant(*literal, now_ms);
  if (!t) return std::nullopt;
  return TimeComparison{std::move(op), t->start};
}

bool IsAnd(const FilterNode& n) {
  return n.kind == FilterNode::Kind::kBinary && n.args.size() == 2 && n.op == "and";
}

// Narrows `w` by the comparisons of `property` joined by "and" at the top of `n`.
void NarrowBy(const FilterNode& n, std::string_view property, int64_t now_ms, Filter::TimeWindow& w) {
  if (IsAnd(n)) {
    NarrowBy(*n.args[0], property, now_ms, w);  // depth is bounded by the parser
    NarrowBy(*n.args[1], property, now_ms, w);
    return;
  }
  auto c = AsTimeComparison(n, property, now_ms);
  if (!c) return;
  // Supersets for instants and intervals alike (for an interval "gt T" means start >= T).
  if (c->op == "ge" || c->op == "gt" || c->op == "eq") w.from_ms = std::max(w.from_ms, c->instant_ms);
  if (c->op == "le" || c->op == "lt" || c->op == "eq") w.to_ms = std::min(w.to_ms, c->instant_ms + 1);
}

// Narrows `w` to exactly the instants that `n` holds for, when `n` is comparisons of `property`
// with instant literals joined by "and"; false when it is anything else.
bool NarrowExactly(const FilterNode& n, std::string_view property, int64_t now_ms, Filter::TimeWindow& w) {
  if (IsAnd(n)) {
    return NarrowExactly(*n.args[0], property, now_ms, w) && NarrowExactly(*n.args[1], property, now_ms, w);
  }
  auto c = AsTimeComparison(n, property, now_ms);
  if (!c) return false;
  const int64_t t = c->instant_ms;
  if (c->op == "ge" || c->op == "eq") w.from_ms = std::max(w.from_ms, t);
  else if (c->op == "gt") w.from_ms = std::max(w.from_ms, t + 1);
  if (c->op == "lt") w.to_ms = std::min(w.to_ms, t);
  else if (c->op == "le" || c->op == "eq") w.to_ms = std::min(w.to_ms, t + 1);
  return c->op == "ge" || c->op == "gt" || c->op == "le" || c->op == "lt" || c->op == "eq";
}

}  // namespace

std::optional<Filter::TimeWindow> Filter::ExactWindowOf(std::string_view property, int64_t now_ms) const {
  TimeWindow w{std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  if (!NarrowExactly(*root_, property, now_ms, w)) return std::nullopt;
  return w;
}

std::optional<Filter::TimeWindow> Filter::WindowOf(std::string_view property, int64_t now_ms) const {
  TimeWindow w{std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  NarrowBy(*root_, property, now_ms, w);
  if (w.from_ms == std::numeric_limits<int64_t>::min() &&
      w.to_ms == std::numeric_limits<int64_t>::max()) {
    return std::nullopt;
  }
  return w;
}

namespace {

std::optional<int64_t> EqualityIn(const FilterNode& n, const std::vector<std::string>& path) {
  if (IsAnd(n)) {
    if (auto left = EqualityIn(*n.args[0], path)) return left;  // depth is bounded by the parser
    return EqualityIn(*n.args[1], path);
  }
  if (n.kind != FilterNode::Kind::kBinary || n.op != "eq" || n.args.size() != 2) return std::nullopt;
  const FilterNode* a = n.args[0].get();
  const FilterNode* b = n.args[1].get();
  if (a->kind != FilterNode::Kind::kPath) std::swap(a, b);
  if (a->kind != FilterNode::Kind::kPath || a->path != path || b->kind != FilterNode::Kind::kLiteral) {
    return std::nullopt;
  }
  const double* v = std::get_if<double>(&b->literal);
  if (!v || *v != std::floor(*v) || std::abs(*v) > 9e15) return std::nullopt;
  return static_cast<int64_t>(*v);
}

}  // namespace

std::optional<int64_t> Filter::IntegerEqualityOf(const std::vector<std::string>& path) const {
  return EqualityIn(*root_, path);
}

Result<bool> Filter::Matches(const Resolver& resolve, int64_t now_ms) const {
  auto v = Evaluate(*root_, resolve, now_ms);
  if (!v.ok()) return v.status();
  return Truthy(*v);
}

}  // namespace datenwerk::sta
