#include "api/json_body.h"

#include <cmath>

#include "core/json_input.h"

namespace datenwerk::api {

namespace json = boost::json;

namespace {

std::string Path(std::string_view path, std::string_view name) {
  return path.empty() ? std::string(name) : std::string(path) + "." + std::string(name);
}

const char* KindName(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "a boolean";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "a number";
    case json::kind::string: return "a string";
    case json::kind::array: return "an array";
    case json::kind::object: return "an object";
  }
  return "unknown";
}

}  // namespace

Result<const json::object*> AsObject(const json::value& value, std::string_view path,
                                     std::initializer_list<std::string_view> allowed) {
  if (!value.is_object()) {
    return InvalidArgument(std::string("must be a JSON object, not ") + KindName(value),
                           path.empty() ? "body" : std::string(path));
  }
  const json::object& o = value.get_object();
  for (const auto& member : o) {
    bool known = false;
    for (std::string_view a : allowed) known = known || member.key() == a;
    if (!known) return InvalidArgument("unknown member", Path(path, member.key()));
  }
  return &o;
}

Result<json::object> ParseObject(std::string_view body,
                                 std::initializer_list<std::string_view> allowed) {
  auto value = ParseJsonInput(body);
  if (!value.ok()) return value.status();
  auto object = AsObject(*value, "", allowed);
  if (!object.ok()) return object.status();
  return **object;
}

Status ReadString(const json::object& o, std::string_view name, std::string_view path,
                  std::string& out, bool required) {
  const json::value* v = o.if_contains(name);
  if (!v || v->is_null()) {
    return required ? InvalidArgument("is required", Path(path, name)) : Status::Ok();
  }
  if (!v->is_string()) {
    return InvalidArgument(std::string("must be a string, not ") + KindName(*v), Path(path, name));
  }
  out = std::string(v->get_string());
  return Status::Ok();
}

Status ReadNumber(const json::object& o, std::string_view name, std::string_view path,
                  std::optional<double>& out, bool required) {
  const json::value* v = o.if_contains(name);
  if (!v) return required ? InvalidArgument("is required", Path(path, name)) : Status::Ok();
  if (v->is_null()) {
    out.reset();
    return Status::Ok();
  }
  if (!v->is_number()) {
    return InvalidArgument(std::string("must be a number or null, not ") + KindName(*v),
                           Path(path, name));
  }
  double d = v->to_number<double>();
  if (!std::isfinite(d)) return InvalidArgument("must be finite", Path(path, name));
  // -0 is kept as 0: SQLite would drop the sign and PostgreSQL keep it; one answer on both.
  out = d == 0 ? 0.0 : d;
  return Status::Ok();
}

}  // namespace datenwerk::api
