#include "sta/filter.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <map>

#include "core/dates.h"
#include "sta/filter_value.h"
#include "sta/geometry_relate.h"

namespace datenwerk::sta {

namespace json = boost::json;
using filter::Geometry;
using filter::TimeSpan;
using filter::Value;

struct FilterNode {
  enum class Kind { kLiteral, kPath, kNot, kNegate, kBinary, kCall } kind;
  Value literal;
  std::vector<std::string> path;
  std::string op;  // binary operator or function name
  std::vector<std::unique_ptr<FilterNode>> args;
  int depth = 1;  // of the subtree: evaluation recurses this deep
};

namespace {

using Node = std::unique_ptr<FilterNode>;

// ---- tokens -------------------------------------------------------------------------------

struct Token {
  enum class Kind { kIdent, kString, kNumber, kTime, kLParen, kRParen, kComma, kEnd } kind;
  std::string text;
  size_t at = 0;
};

Status Bad(const std::string& message, size_t at) {
  return InvalidArgument(message + " (at character " + std::to_string(at + 1) + ")", "$filter");
}

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == '@'; }
bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '/' || c == '.' || c == '@';
}

Result<std::vector<Token>> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    if (out.size() >= Filter::kMaxTokens) {
      return Bad("longer than " + std::to_string(Filter::kMaxTokens) + " terms", i);
    }
    char c = s[i];
    if (c == ' ') {
      ++i;
      continue;
    }
    const size_t at = i;
    if (c == '(') {
      out.push_back({Token::Kind::kLParen, "(", at});
      ++i;
    } else if (c == ')') {
      out.push_back({Token::Kind::kRParen, ")", at});
      ++i;
    } else if (c == ',') {
      out.push_back({Token::Kind::kComma, ",", at});
      ++i;
    } else if (c == '\'') {
      std::string text;
      ++i;
      for (;;) {
        if (i >= s.size()) return Bad("unterminated string", at);
        if (s[i] == '\'') {
          if (i + 1 < s.size() && s[i + 1] == '\'') {
            text.push_back('\'');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        text.push_back(s[i++]);
      }
      out.push_back({Token::Kind::kString, text, at});
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '-' && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])) &&
                (out.empty() || out.back().kind == Token::Kind::kLParen ||
                 out.back().kind == Token::Kind::kComma ||
                 (out.back().kind == Token::Kind::kIdent &&
                  std::string_view("eq ne gt ge lt le and or not add sub mul div mod")
                          .find(out.back().text) != std::string_view::npos)))) {
      size_t j = i + 1;
      while (j < s.size() && s[j] != ' ' && s[j] != ')' && s[j] != ',') ++j;
      std::string text(s.substr(i, j - i));
      const bool time_like = text.size() >= 10 && text[4] == '-' && text[7] == '-';
      out.push_back({time_like ? Token::Kind::kTime : Token::Kind::kNumber, text, at});
      i = j;
    } else if (IsIdentStart(c)) {
      size_t j = i + 1;
      while (j < s.size() && IsIdentChar(s[j])) ++j;
      out.push_back({Token::Kind::kIdent, std::string(s.substr(i, j - i)), at});
      i = j;
    } else {
      return Bad(std::string("unexpected character '") + c + "'", at);
    }
  }
  out.push_back({Token::Kind::kEnd, "", s.size()});
  return out;
}

// ---- parser -------------------------------------------------------------------------------

struct FunctionSpec {
  std::string_view name;
  int min_args, max_args;
};

constexpr FunctionSpec kFunctions[] = {
    {"substringof", 2, 2}, {"startswith", 2, 2}, {"endswith", 2, 2}, {"length", 1, 1},
    {"indexof", 2, 2},     {"substring", 2, 3},  {"tolower", 1, 1},  {"toupper", 1, 1},
    {"trim", 1, 1},        {"concat", 2, 2},     {"year", 1, 1},     {"month", 1, 1},
    {"day", 1, 1},         {"hour", 1, 1},       {"minute", 1, 1},   {"second", 1, 1},
    {"fractionalseconds", 1, 1}, {"date", 1, 1}, {"totaloffsetminutes", 1, 1},
    {"now", 0, 0},         {"mindatetime", 0, 0}, {"maxdatetime", 0, 0},
    {"round", 1, 1},       {"floor", 1, 1},      {"ceiling", 1, 1},
    {"geo.distance", 2, 2}, {"geo.length", 1, 1}, {"geo.intersects", 2, 2},
    {"st_equals", 2, 2},   {"st_disjoint", 2, 2}, {"st_intersects", 2, 2}, {"st_within", 2, 2},
    {"st_contains", 2, 2}, {"st_crosses", 2, 2},  {"st_overlaps", 2, 2}, {"st_touches", 2, 2},
    {"st_relate", 3, 3},
    {"before", 2, 2},      {"after", 2, 2},      {"meets", 2, 2},    {"during", 2, 2},
    {"overlaps", 2, 2},    {"starts", 2, 2},     {"finishes", 2, 2},
};
constexpr std::string_view kUnsupported[] = {"time"};

class Parser {
 public:
  Parser(std::vector<Token> tokens, const EntityDef& def) : t_(std::move(tokens)), def_(def) {}

  Result<Node> Parse() {
    auto e = Or();
    if (!e.ok()) return e;
    if (Peek().kind != Token::Kind::kEnd) return Bad("unexpected '" + Peek().text + "'", Peek().at);
    return e;
  }

 private:
  const Token& Peek() const { return t_[pos_]; }
  bool IsWord(std::string_view w) const {
    return Peek().kind == Token::Kind::kIdent && Peek().text == w;
  }

  // Sets the node's depth from its arguments; refuses trees deeper than Filter::kMaxDepth
  // (a left-deep chain of "add" is built without recursion here but evaluated with it).
  static Result<Node> Checked(Node n, size_t at) {
    for (const Node& arg : n->args) n->depth = std::max(n->depth, arg->depth + 1);
    if (n->depth > Filter::kMaxDepth) {
      return Bad("nested deeper than " + std::to_string(Filter::kMaxDepth) + " levels", at);
    }
    return n;
  }

  static Result<Node> MakeBinary(std::string op, Node left, Node right, size_t at) {
    auto n = std::make_unique<FilterNode>();
    n->kind = FilterNode::Kind::kBinary;
    n->op = std::move(op);
    n->args.push_back(std::move(left));
    n->args.push_back(std::move(right));
    return Checked(std::move(n), at);
  }

  // Counts the parser's own recursion (parentheses, calls, "not"): bounded before it descends.
  class Nesting {
   public:
    explicit Nesting(Parser& p) : p_(p) { ++p_.nesting_; }
    ~Nesting() { --p_.nesting_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;
    bool too_deep() const { return p_.nesting_ > Filter::kMaxDepth; }

   private:
    Parser& p_;
  };

  // A left-associative chain of `ops` over operands parsed by `next`.
  Result<Node> Binary(Result<Node> (Parser::*next)(), std::initializer_list<std::string_view> ops) {
    auto left = (this->*next)();
    if (!left.ok()) return left;
    for (;;) {
      std::string op;
      for (std::string_view o : ops) {
        if (IsWord(o)) op = o;
      }
      if (op.empty()) return left;
      const size_t at = Peek().at;
      ++pos_;
      auto right = (this->*next)();
      if (!right.ok()) return right;
      left = MakeBinary(op, std::move(left).value(), std::move(right).value(), at);
      if (!left.ok()) return left;
    }
  }
  Result<Node> Or() { return Binary(&Parser::And, {"or"}); }
  Result<Node> And() { return Binary(&Parser::Not, {"and"}); }
  Result<Node> Not() {
    if (!IsWord("not")) return Compare();
    const size_t at = Peek().at;
    Nesting nesting(*this);
    if (nesting.too_deep()) return TooDeep(at);
    ++pos_;
    auto inner = Not();
    if (!inner.ok()) return inner;
    auto n = std::make_unique<FilterNode>();
    n->kind = FilterNode::Kind::kNot;
    n->args.push_back(std::move(inner).value());
    return Checked(std::move(n), at);
  }
  static Status TooDeep(size_t at) {
    return Bad("nested deeper than " + std::to_string(Filter::kMaxDepth) + " levels", at);
  }
  Result<Node> Compare() {
    auto left = Add();
    if (!left.ok()) return left;
    for (std::string_view op : {"eq", "ne", "gt", "ge", "lt", "le"}) {
      if (!IsWord(op)) continue;
      const size_t at = Peek().at;
      ++pos_;
      auto right = Add();
      if (!right.ok()) return right;
      return MakeBinary(std::string(op), std::move(left).value(), std::move(right).value(), at);
    }
    return left;
  }
  Result<Node> Add() { return Binary(&Parser::Mul, {"add", "sub"}); }
  Result<Node> Mul() { return Binary(&Parser::Primary, {"mul", "div", "mod"}); }

  Result<Node> Primary() {
    const Token tok = Peek();
    auto literal = [&](Value v) {
      auto n = std::make_unique<FilterNode>();
      n->kind = FilterNode::Kind::kLiteral;
      n->literal = std::move(v);
      ++pos_;
      return Result<Node>(std::move(n));
    };
    switch (tok.kind) {
      case Token::Kind::kLParen: {
        Nesting nesting(*this);
        if (nesting.too_deep()) return TooDeep(tok.at);
        ++pos_;
        auto inner = Or();
        if (!inner.ok()) return inner;
        if (Peek().kind != Token::Kind::kRParen) return Bad("missing ')'", Peek().at);
        ++pos_;
        return inner;
      }
      case Token::Kind::kString: return literal(tok.text);
      case Token::Kind::kNumber: {
        char* end = nullptr;
        double v = std::strtod(tok.text.c_str(), &end);
        if (end != tok.text.c_str() + tok.text.size() || !std::isfinite(v)) {
          return Bad("not a number: " + tok.text, tok.at);
        }
        return literal(v);
      }
      case Token::Kind::kTime: {
        auto t = filter::ParseTime(tok.text);
        if (!t) return Bad("not an ISO 8601 time: " + tok.text, tok.at);
        return literal(*t);
      }
      case Token::Kind::kIdent: break;
      default: return Bad("expected a value", tok.at);
    }
    if (tok.text == "true" || tok.text == "false") return literal(tok.text == "true");
    if (tok.text == "null") return literal(std::monostate{});
    if ((tok.text == "geography" || tok.text == "geometry") &&
        t_[pos_ + 1].kind == Token::Kind::kString) {
      auto g = filter::ParseWkt(t_[pos_ + 1].text);
      if (!g) return Bad("not a WKT POINT, LINESTRING or POLYGON", t_[pos_ + 1].at);
      if (g->points.size() > filter::kMaxGeometryPoints) {
        return Bad("a geometry of more than " + std::to_string(filter::kMaxGeometryPoints) +
                       " points",
                   t_[pos_ + 1].at);
      }
      ++pos_;
      return literal(*g);
    }
    if (t_[pos_ + 1].kind == Token::Kind::kLParen) return Call();
    return Path();
  }

  Result<Node> Call() {
    const Token name = Peek();
    for (std::string_view u : kUnsupported) {
      if (name.text == u) return Status(ErrorCode::kNotImplemented, "not implemented yet: " + name.text, "$filter");
    }
    const FunctionSpec* spec = nullptr;
    for (const FunctionSpec& f : kFunctions) {
      if (f.name == name.text) spec = &f;
    }
    if (!spec) return Bad("unknown function '" + name.text + "'", name.at);
    Nesting nesting(*this);
    if (nesting.too_deep()) return TooDeep(name.at);
    pos_ += 2;  // name and '('
    auto n = std::make_unique<FilterNode>();
    n->kind = FilterNode::Kind::kCall;
    n->op = name.text;
    if (Peek().kind != Token::Kind::kRParen) {
      for (;;) {
        auto arg = Or();
        if (!arg.ok()) return arg;
        n->args.push_back(std::move(arg).value());
        if (Peek().kind == Token::Kind::kComma) {
          ++pos_;
          continue;
        }
        break;
      }
    }
    if (Peek().kind != Token::Kind::kRParen) return Bad("missing ')'", Peek().at);
    ++pos_;
    const int count = static_cast<int>(n->args.size());
    if (count < spec->min_args || count > spec->max_args) {
      return Bad(name.text + " takes " + std::to_string(spec->min_args) +
                     (spec->max_args != spec->min_args ? "-" + std::to_string(spec->max_args) : "") +
                     " arguments",
                 name.at);
    }
    if (auto s = CheckGeometryCost(*n, name.at); !s.ok()) return s;
    return Checked(std::move(n), name.at);
  }

  // Two geometry literals compared: the cost is known now (segments of one against the other).
  static Status CheckGeometryCost(const FilterNode& call, size_t at) {
    if (call.args.size() != 2) return Status::Ok();
    const auto* a = std::get_if<Geometry>(&call.args[0]->literal);
    const auto* b = std::get_if<Geometry>(&call.args[1]->literal);
    if (!a || !b || call.args[0]->kind != FilterNode::Kind::kLiteral ||
        call.args[1]->kind != FilterNode::Kind::kLiteral) {
      return Status::Ok();
    }
    return filter::CheckComparable(*a, *b).ok()
               ? Status::Ok()
               : Bad(filter::CheckComparable(*a, *b).message(), at);
  }

  Result<Node> Path() {
    const Token tok = Peek();
    ++pos_;
    auto n = std::make_unique<FilterNode>();
    n->kind = FilterNode::Kind::kPath;
    const EntityDef* def = &def_;
    bool in_property = false;
    for (size_t start = 0; start <= tok.text.size();) {
      size_t end = tok.text.find('/', start);
      if (end == std::string::npos) end = tok.text.size();
      std::string part = tok.text.substr(start, end - start);
      if (part.empty()) return Bad("empty path step in '" + tok.text + "'", tok.at);
      if (!in_property) {
        if (const NavigationDef* nav = def->Navigation(part)) {
          def = &Definition(nav->target);
        } else if (part == "id" || part == "@iot.id" || def->Property(part)) {
          in_property = true;
        } else {
          return Bad("'" + std::string(def->singular) + "' has no property '" + part + "'", tok.at);
        }
      }
      n->path.push_back(std::move(part));
      start = end + 1;
    }
    if (!in_property) return Bad("'" + tok.text + "' names entities, not a value", tok.at);
    return n;
  }

  std::vector<Token> t_;
  const EntityDef& def_;
  size_t pos_ = 0;
  int nesting_ = 0;
};

// ---- evaluation ---------------------------------------------------------------------------

using Values = std::vector<Value>;

const double* Num(const Value& v) { return std::get_if<double>(&v); }
const std::string* Str(const Value& v) { return std::get_if<std::string>(&v); }

std::optional<TimeSpan> AsTime(const Value& v) {
  if (const auto* t = std::get_if<TimeSpan>(&v)) return *t;
  if (const auto* s = Str(v)) return filter::ParseTime(*s);
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
    const bool interval = x->interval || y->interval;
    if (op == "eq") return x->start == y->start && x->end == y->end;
    if (op == "ne") return !(x->start == y->start && x->end == y->end);
    if (op == "lt") return interval ? x->end <= y->start && !(x->start == y->start && x->end == y->end) : x->start < y->start;
    if (op == "gt") return interval ? x->start >= y->end && !(x->start == y->start && x->end == y->end) : x->start > y->start;
    if (op == "le") return x->start <= y->start && x->end <= y->end;
    if (op == "ge") return x->start >= y->start && x->end >= y->end;
    return std::monostate{};
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

Value Arithmetic(const std::string& op, const Value& a, const Value& b) {
  if (!Num(a) || !Num(b)) return std::monostate{};
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
  if (f == "before") return x->interval || y->interval ? x->end <= y->start : x->start < y->start;
  if (f == "after") return x->interval || y->interval ? x->start >= y->end : x->start > y->start;
  if (f == "meets") return x->end == y->start || y->end == x->start;
  if (f == "during") return x->start >= y->start && x->end <= y->end;
  if (f == "overlaps") return x->start < y->end && y->start < x->end;
  if (f == "starts") return x->start == y->start;
  return x->end == y->end;  // finishes
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
  auto tokens = Tokenize(text);
  if (!tokens.ok()) return tokens.status();
  if (tokens->size() == 1) return InvalidArgument("is empty", "$filter");
  auto root = Parser(std::move(tokens).value(), def).Parse();
  if (!root.ok()) return root.status();
  return Filter(std::move(root).value());
}

namespace {

// Narrows `w` by one comparison `path op literal` (or `literal op path`) of `property`.
void NarrowBy(const FilterNode& n, std::string_view property, Filter::TimeWindow& w) {
  if (n.kind != FilterNode::Kind::kBinary || n.args.size() != 2) return;
  if (n.op == "and") {
    NarrowBy(*n.args[0], property, w);  // depth is bounded by the parser
    NarrowBy(*n.args[1], property, w);
    return;
  }
  const FilterNode* path = n.args[0].get();
  const FilterNode* literal = n.args[1].get();
  std::string op = n.op;
  if (path->kind == FilterNode::Kind::kLiteral) {
    std::swap(path, literal);
    if (op == "gt") op = "lt"; else if (op == "lt") op = "gt";
    else if (op == "ge") op = "le"; else if (op == "le") op = "ge";
  }
  if (path->kind != FilterNode::Kind::kPath || path->path.size() != 1 || path->path[0] != property ||
      literal->kind != FilterNode::Kind::kLiteral) {
    return;
  }
  const auto* t = std::get_if<TimeSpan>(&literal->literal);
  if (!t || t->interval) return;
  // Supersets for instants and intervals alike (for an interval "gt T" means start >= T).
  if (op == "ge" || op == "gt" || op == "eq") w.from_ms = std::max(w.from_ms, t->start);
  if (op == "le" || op == "lt" || op == "eq") w.to_ms = std::min(w.to_ms, t->start + 1);
}

}  // namespace

std::optional<Filter::TimeWindow> Filter::WindowOf(std::string_view property) const {
  TimeWindow w{std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  NarrowBy(*root_, property, w);
  if (w.from_ms == std::numeric_limits<int64_t>::min() &&
      w.to_ms == std::numeric_limits<int64_t>::max()) {
    return std::nullopt;
  }
  return w;
}

Result<bool> Filter::Matches(const Resolver& resolve, int64_t now_ms) const {
  auto v = Evaluate(*root_, resolve, now_ms);
  if (!v.ok()) return v.status();
  return Truthy(*v);
}

}  // namespace datenwerk::sta
