#include "sta/json_patch.h"

#include <optional>
#include <string>
#include <vector>

namespace datenwerk::sta {

namespace json = boost::json;

namespace {

using Tokens = std::vector<std::string>;

// RFC 6901: "" is the whole document; else "/"-separated tokens with ~1 for "/" and ~0 for "~".
Result<Tokens> ParsePointer(std::string_view text, const std::string& where) {
  Tokens tokens;
  if (text.empty()) return tokens;
  if (text.front() != '/') return InvalidArgument("a JSON Pointer starts with '/'", where);
  std::string token;
  for (size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      if (tokens.size() == kMaxPointerDepth) {
        return InvalidArgument("at most " + std::to_string(kMaxPointerDepth) + " levels", where);
      }
      tokens.push_back(std::move(token));
      token.clear();
      continue;
    }
    if (text[i] != '~') {
      token += text[i];
      continue;
    }
    if (i + 1 < text.size() && (text[i + 1] == '0' || text[i + 1] == '1')) {
      token += text[i + 1] == '0' ? '~' : '/';
      ++i;
      continue;
    }
    return InvalidArgument("'~' must be followed by 0 or 1", where);
  }
  return tokens;
}

// An array index: digits without a leading zero (RFC 6901 section 4).
std::optional<size_t> ArrayIndex(const std::string& token) {
  if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0')) return std::nullopt;
  size_t n = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<size_t>(c - '0');
  }
  return n;
}

// The value a pointer names, or nullptr.
json::value* Find(json::value& doc, const Tokens& tokens, size_t count) {
  json::value* at = &doc;
  for (size_t i = 0; i < count; ++i) {
    if (at->is_object()) {
      at = at->as_object().if_contains(tokens[i]);
    } else if (at->is_array()) {
      auto index = ArrayIndex(tokens[i]);
      if (!index || *index >= at->as_array().size()) return nullptr;
      at = &at->as_array()[*index];
    } else {
      return nullptr;
    }
    if (!at) return nullptr;
  }
  return at;
}

Status Add(json::value& doc, const Tokens& path, json::value value, const std::string& where) {
  if (path.empty()) {
    doc = std::move(value);
    return Status::Ok();
  }
  json::value* parent = Find(doc, path, path.size() - 1);
  if (!parent) return InvalidArgument("the parent of this location does not exist", where);
  const std::string& last = path.back();
  if (parent->is_object()) {
    parent->as_object()[last] = std::move(value);
    return Status::Ok();
  }
  if (!parent->is_array()) return InvalidArgument("the parent is neither an object nor an array", where);
  json::array& items = parent->as_array();
  if (last == "-") {
    items.push_back(std::move(value));
    return Status::Ok();
  }
  auto index = ArrayIndex(last);
  if (!index || *index > items.size()) return InvalidArgument("no such array position", where);
  items.insert(items.begin() + static_cast<std::ptrdiff_t>(*index), std::move(value));
  return Status::Ok();
}

Result<json::value> Remove(json::value& doc, const Tokens& path, const std::string& where) {
  if (path.empty()) return InvalidArgument("the whole document cannot be removed", where);
  json::value* parent = Find(doc, path, path.size() - 1);
  json::value* target = Find(doc, path, path.size());
  if (!parent || !target) return InvalidArgument("names nothing in the entity", where);
  json::value removed = std::move(*target);
  if (parent->is_object()) {
    parent->as_object().erase(path.back());
  } else {
    json::array& items = parent->as_array();
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(*ArrayIndex(path.back())));
  }
  return removed;
}

// RFC 6902 4.6: numbers are equal when their values are; objects regardless of member order.
bool Equal(const json::value& a, const json::value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
    if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
    if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
    const json::value& s = a.is_int64() ? a : b;  // one signed, one unsigned
    const json::value& u = a.is_int64() ? b : a;
    return s.get_int64() >= 0 && static_cast<uint64_t>(s.get_int64()) == u.get_uint64();
  }
  if (a.kind() != b.kind()) return false;
  if (a.is_object()) {
    const json::object& x = a.get_object();
    const json::object& y = b.get_object();
    if (x.size() != y.size()) return false;
    for (const auto& member : x) {
      const json::value* other = y.if_contains(member.key());
      if (!other || !Equal(member.value(), *other)) return false;
    }
    return true;
  }
  if (a.is_array()) {
    const json::array& x = a.get_array();
    const json::array& y = b.get_array();
    if (x.size() != y.size()) return false;
    for (size_t i = 0; i < x.size(); ++i) {
      if (!Equal(x[i], y[i])) return false;
    }
    return true;
  }
  return a == b;
}

Status ApplyOne(json::value& doc, const json::object& op, const std::string& where) {
  const json::value* name = op.if_contains("op");
  if (!name || !name->is_string()) return InvalidArgument("must be a string", where + ".op");
  const std::string_view kind = name->get_string();
  const json::value* path_text = op.if_contains("path");
  if (!path_text || !path_text->is_string()) return InvalidArgument("must be a string", where + ".path");
  auto path = ParsePointer(path_text->get_string(), where + ".path");
  if (!path.ok()) return path.status();
  const json::value* value = op.if_contains("value");
  auto from = [&]() -> Result<Tokens> {
    const json::value* text = op.if_contains("from");
    if (!text || !text->is_string()) return InvalidArgument("must be a string", where + ".from");
    return ParsePointer(text->get_string(), where + ".from");
  };
  if (kind == "add" || kind == "replace" || kind == "test") {
    if (!value) return InvalidArgument("is required", where + ".value");
  }
  if (kind == "add") return Add(doc, *path, *value, where + ".path");
  if (kind == "remove") return Remove(doc, *path, where + ".path").status();
  if (kind == "replace") {
    json::value* target = Find(doc, *path, path->size());
    if (!target) return InvalidArgument("names nothing in the entity", where + ".path");
    *target = *value;
    return Status::Ok();
  }
  if (kind == "test") {
    json::value* target = Find(doc, *path, path->size());
    if (!target) return InvalidArgument("names nothing in the entity", where + ".path");
    if (!Equal(*target, *value)) return Status(ErrorCode::kConflict, "the test failed", where);
    return Status::Ok();
  }
  if (kind == "move" || kind == "copy") {
    auto source = from();
    if (!source.ok()) return source.status();
    if (kind == "copy") {
      json::value* found = Find(doc, *source, source->size());
      if (!found) return InvalidArgument("names nothing in the entity", where + ".from");
      return Add(doc, *path, *found, where + ".path");
    }
    const bool into_itself = path->size() > source->size() &&
                             std::equal(source->begin(), source->end(), path->begin());
    if (into_itself) return InvalidArgument("a value cannot move into itself", where + ".path");
    auto moved = Remove(doc, *source, where + ".from");
    if (!moved.ok()) return moved.status();
    return Add(doc, *path, std::move(moved).value(), where + ".path");
  }
  return InvalidArgument("must be add, remove, replace, move, copy or test", where + ".op");
}

}  // namespace

Result<json::value> ApplyJsonPatch(json::value doc, const json::value& patch) {
  if (!patch.is_array()) return InvalidArgument("a JSON Patch is an array of operations", "body");
  const json::array& ops = patch.get_array();
  if (ops.size() > kMaxPatchOperations) {
    return InvalidArgument("at most " + std::to_string(kMaxPatchOperations) + " operations", "body");
  }
  for (size_t i = 0; i < ops.size(); ++i) {
    const std::string where = "[" + std::to_string(i) + "]";
    if (!ops[i].is_object()) return InvalidArgument("an operation is a JSON object", where);
    if (Status s = ApplyOne(doc, ops[i].get_object(), where); !s.ok()) return s;
  }
  return doc;
}

}  // namespace datenwerk::sta
