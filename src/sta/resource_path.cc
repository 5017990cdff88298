#include "sta/resource_path.h"

#include <charconv>

namespace datenwerk::sta {

bool ResourcePath::IsCollection() const {
  if (segments.empty() || !property.empty()) return false;
  const PathSegment& last = segments.back();
  if (last.id) return false;
  return last.via == nullptr || last.via->to_many;
}

namespace {

Status Bad(std::string message) { return InvalidArgument(std::move(message), "path"); }

// "Things(12)" -> name "Things", id 12; "Things" -> no id.
Status SplitSegment(std::string_view segment, std::string_view& name,
                    std::optional<int64_t>& id) {
  size_t open = segment.find('(');
  if (open == std::string_view::npos) {
    name = segment;
    return Status::Ok();
  }
  if (segment.back() != ')') return Bad("unbalanced parentheses in '" + std::string(segment) + "'");
  name = segment.substr(0, open);
  std::string_view key = segment.substr(open + 1, segment.size() - open - 2);
  if (key.size() >= 2 && key.front() == '\'' && key.back() == '\'') key = key.substr(1, key.size() - 2);
  int64_t value = 0;
  auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), value);
  if (ec != std::errc() || p != key.data() + key.size() || value <= 0) {
    return Bad("'" + std::string(key) + "' is not an entity id (a positive whole number)");
  }
  id = value;
  return Status::Ok();
}

}  // namespace

Result<ResourcePath> ParseResourcePath(std::string_view path) {
  ResourcePath out;
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= path.size();) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (end == start) return Bad("empty path segment");
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (part == "$value" || part == "$ref") {
      if (i + 1 != parts.size()) return Bad(std::string(part) + " must end the path");
      if (part == "$value") {
        if (out.property.empty()) return Bad("$value follows a property");
        out.value = true;
      } else {
        if (!out.property.empty() || out.segments.empty()) return Bad("$ref follows entities");
        if (out.segments.back().id) return Bad("$ref follows a navigation property or set");
        out.ref = true;
      }
      continue;
    }
    if (!out.property.empty()) {  // inside a complex property
      out.property.emplace_back(part);
      continue;
    }
    std::string_view name;
    std::optional<int64_t> id;
    if (auto s = SplitSegment(part, name, id); !s.ok()) return s;
    if (out.segments.empty()) {
      const EntityDef* def = DefinitionBySetName(name);
      if (!def) return NotFound("no entity set '" + std::string(name) + "'", "path");
      out.segments.push_back({def, nullptr, id});
      continue;
    }
    PathSegment& last = out.segments.back();
    const bool addresses_one = last.id || (last.via && !last.via->to_many);
    if (!addresses_one) {
      return Bad("'" + std::string(part) + "' must follow a single entity, e.g. " +
                 std::string(last.def->set_name) + "(1)/" + std::string(part));
    }
    if (const NavigationDef* nav = last.def->Navigation(name)) {
      if (id && !nav->to_many) return Bad("'" + std::string(name) + "' takes no id");
      out.segments.push_back({&Definition(nav->target), nav, id});
      continue;
    }
    if (id) return Bad("'" + std::string(name) + "' takes no id");
    if (name == "id" || name == "@iot.id" || last.def->Property(name)) {
      out.property.emplace_back(name);
      continue;
    }
    return NotFound("'" + std::string(last.def->singular) + "' has no property or navigation '" +
                        std::string(name) + "'",
                    "path");
  }
  return out;
}

}  // namespace datenwerk::sta
