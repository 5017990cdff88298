#include "sta/query_options.h"

#include <charconv>

namespace datenwerk::sta {

namespace {

Status NotImplemented(const std::string& what) {
  return {ErrorCode::kNotImplemented, "not implemented yet: " + what, what};
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Splits at `sep` outside parentheses and quotes.
Result<std::vector<std::string_view>> SplitTop(std::string_view text, char sep,
                                               const std::string& option) {
  std::vector<std::string_view> out;
  int depth = 0;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\'') quoted = !quoted;
    if (quoted) continue;
    if (c == '(') ++depth;
    if (c == ')' && --depth < 0) return InvalidArgument("unbalanced parentheses", option);
    if (c == sep && depth == 0) {
      out.push_back(Trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (depth != 0 || quoted) return InvalidArgument("unbalanced parentheses or quotes", option);
  out.push_back(Trim(text.substr(start)));
  return out;
}

Result<int64_t> NonNegative(std::string_view text, const std::string& option) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || v < 0) {
    return InvalidArgument("must be a non-negative whole number", option);
  }
  return v;
}

Status Apply(const EntityDef& def, std::string_view name, std::string_view value,
             QueryOptions& out);

// Deeper $expand trees multiply queries; eight levels cover every path in the model twice.
constexpr int kMaxExpandDepth = 8;
thread_local int expand_depth = 0;

Status ParseExpand(const EntityDef& def, std::string_view value, QueryOptions& out) {
  if (expand_depth >= kMaxExpandDepth) {
    return InvalidArgument("nested deeper than " + std::to_string(kMaxExpandDepth) + " levels",
                           "$expand");
  }
  struct Depth {
    Depth() { ++expand_depth; }
    ~Depth() { --expand_depth; }
  } depth;
  auto items = SplitTop(value, ',', "$expand");
  if (!items.ok()) return items.status();
  for (std::string_view item : *items) {
    if (item.empty()) return InvalidArgument("empty item", "$expand");
    std::string_view options;
    if (size_t open = item.find('('); open != std::string_view::npos) {
      if (item.back() != ')') return InvalidArgument("unbalanced parentheses", "$expand");
      options = item.substr(open + 1, item.size() - open - 2);
      item = item.substr(0, open);
    }
    // "Datastreams/ObservedProperty" is "Datastreams($expand=ObservedProperty)".
    std::string_view rest;
    if (size_t slash = item.find('/'); slash != std::string_view::npos) {
      rest = item.substr(slash + 1);
      item = item.substr(0, slash);
    }
    const NavigationDef* nav = def.Navigation(item);
    if (!nav) {
      return InvalidArgument("'" + std::string(def.singular) + "' has no navigation property '" +
                                 std::string(item) + "'",
                             "$expand");
    }
    ExpandItem* target = nullptr;
    for (ExpandItem& existing : out.expand) {
      if (existing.navigation == nav) target = &existing;
    }
    if (!target) {
      out.expand.push_back({nav, {}});
      target = &out.expand.back();
    }
    const EntityDef& child = Definition(nav->target);
    if (!rest.empty()) {
      std::string nested(rest);
      if (!options.empty()) nested += "(" + std::string(options) + ")";
      if (auto s = ParseExpand(child, nested, target->options); !s.ok()) return s;
      continue;
    }
    if (options.empty()) continue;
    auto parts = SplitTop(options, ';', "$expand");
    if (!parts.ok()) return parts.status();
    for (std::string_view part : *parts) {
      size_t eq = part.find('=');
      if (eq == std::string_view::npos) return InvalidArgument("expected $option=value", "$expand");
      if (auto s = Apply(child, Trim(part.substr(0, eq)), Trim(part.substr(eq + 1)),
                         target->options);
          !s.ok()) {
        return s;
      }
    }
  }
  return Status::Ok();
}

Status Apply(const EntityDef& def, std::string_view name, std::string_view value,
             QueryOptions& out) {
  const std::string option(name);
  if (name != "$top" && name != "$skip") out.given[option] = std::string(value);
  if (name == "$top") {
    auto v = NonNegative(value, option);
    if (!v.ok()) return v.status();
    out.top = *v;
  } else if (name == "$skip") {
    auto v = NonNegative(value, option);
    if (!v.ok()) return v.status();
    // Bounded so that skip + top cannot overflow anywhere a page is computed.
    if (*v > kMaxSkip) return InvalidArgument("at most " + std::to_string(kMaxSkip), option);
    out.skip = *v;
  } else if (name == "$count") {
    if (value != "true" && value != "false") return InvalidArgument("must be true or false", option);
    out.count = value == "true";
  } else if (name == "$select") {
    auto items = SplitTop(value, ',', option);
    if (!items.ok()) return items.status();
    for (std::string_view item : *items) {
      if (item != "id" && item != "@iot.id" && !def.Property(item) && !def.Navigation(item)) {
        return InvalidArgument("'" + std::string(def.singular) + "' has no property '" +
                                   std::string(item) + "'",
                               option);
      }
      out.select.emplace_back(item);
    }
  } else if (name == "$orderby") {
    auto items = SplitTop(value, ',', option);
    if (!items.ok()) return items.status();
    for (std::string_view item : *items) {
      OrderBy order;
      if (size_t space = item.rfind(' '); space != std::string_view::npos) {
        std::string_view direction = Trim(item.substr(space + 1));
        if (direction == "desc" || direction == "asc") {
          order.descending = direction == "desc";
          item = Trim(item.substr(0, space));
        }
      }
      for (size_t start = 0; start <= item.size();) {
        size_t end = item.find('/', start);
        if (end == std::string_view::npos) end = item.size();
        order.path.emplace_back(item.substr(start, end - start));
        start = end + 1;
      }
      const std::string& head = order.path.front();
      const PropertyDef* p = def.Property(head);
      if (head != "id" && head != "@iot.id" && !p) {
        if (def.Navigation(head)) return NotImplemented("$orderby on related entities");
        return InvalidArgument("'" + std::string(def.singular) + "' has no property '" + head + "'",
                               option);
      }
      out.orderby.push_back(std::move(order));
    }
  } else if (name == "$expand") {
    return ParseExpand(def, value, out);
  } else if (name == "$filter") {
    auto filter = Filter::Parse(value, def);
    if (!filter.ok()) return filter.status();
    out.filter = std::make_shared<const Filter>(std::move(filter).value());
  } else if (name == "$resultFormat") {
    // The Data Array extension (18-088, 14.3): Observations only.
    if (value != "dataArray") return InvalidArgument("the only result format offered is dataArray", option);
    if (def.type != EntityType::kObservation) {
      return InvalidArgument("dataArray is a result format of Observations", option);
    }
    out.data_array = true;
  } else {
    return InvalidArgument("unknown system query option", option);
  }
  return Status::Ok();
}

}  // namespace

Result<QueryOptions> ParseQueryOptions(const EntityDef& def,
                                       const std::map<std::string, std::string>& query) {
  QueryOptions out;
  for (const auto& [name, value] : query) {
    if (name.empty() || name.front() != '$') continue;
    if (auto s = Apply(def, name, value, out); !s.ok()) return s;
  }
  return out;
}

}  // namespace datenwerk::sta
