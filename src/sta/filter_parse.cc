// The $filter tokenizer and parser: text to a FilterNode tree, refusing what crosses the bounds
// of Filter before it recurses or builds.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "sta/filter.h"
#include "sta/filter_node.h"

namespace datenwerk::sta {

using filter::Geometry;
using filter::TimeSpan;
using filter::Value;

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
    if (tok.text == "duration" && t_[pos_ + 1].kind == Token::Kind::kString) {
      auto d = filter::ParseDuration(t_[pos_ + 1].text);
      if (!d) return Bad("not an ISO 8601 duration such as P1DT2H: " + t_[pos_ + 1].text, t_[pos_ + 1].at);
      ++pos_;
      return literal(*d);
    }
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

}  // namespace

Result<std::unique_ptr<FilterNode>> ParseFilterTree(std::string_view text, const EntityDef& def) {
  auto tokens = Tokenize(text);
  if (!tokens.ok()) return tokens.status();
  if (tokens->size() == 1) return InvalidArgument("is empty", "$filter");
  return Parser(std::move(tokens).value(), def).Parse();
}

}  // namespace datenwerk::sta
