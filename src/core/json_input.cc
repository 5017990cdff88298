#include "core/json_input.h"

#include <boost/json/parse.hpp>
#include <cmath>
#include <limits>
#include <vector>

namespace datenwerk {

namespace json = boost::json;

namespace {

std::string Join(const std::string& where, std::string_view key) {
  return where.empty() ? std::string(key) : where + "." + std::string(key);
}

// Whether every number in `value` is finite: the common case, checked without building paths.
bool AllFinite(const json::value& value) {
  std::vector<const json::value*> todo{&value};
  while (!todo.empty()) {
    const json::value& v = *todo.back();
    todo.pop_back();
    if (v.is_double() && !std::isfinite(v.get_double())) return false;
    if (v.is_array()) {
      for (const json::value& item : v.get_array()) todo.push_back(&item);
    } else if (v.is_object()) {
      for (const auto& member : v.get_object()) todo.push_back(&member.value());
    }
  }
  return true;
}

// The first number outside the range of a double, named by its member path ("properties.depth",
// "[0].dataArray[0][1]"; `root` for the value itself). Iterative, as every walk of input is.
Status CheckFiniteNumbers(const json::value& value, std::string_view root) {
  struct Item {
    const json::value* v;
    std::string at;
  };
  std::vector<Item> todo{{&value, ""}};
  while (!todo.empty()) {
    Item item = std::move(todo.back());
    todo.pop_back();
    const json::value& v = *item.v;
    if (v.is_double() && !std::isfinite(v.get_double())) {
      return InvalidArgument("is a number outside the range of a 64-bit float",
                             item.at.empty() ? std::string(root) : item.at);
    } else if (v.is_array()) {
      const json::array& a = v.get_array();
      for (size_t i = 0; i < a.size(); ++i) {
        todo.push_back({&a[i], item.at + "[" + std::to_string(i) + "]"});
      }
    } else if (v.is_object()) {
      for (const auto& member : v.get_object()) {
        todo.push_back({&member.value(), Join(item.at, member.key())});
      }
    }
  }
  return Status::Ok();
}

}  // namespace

Result<json::value> ParseJsonInput(std::string_view text, std::string_view where) {
  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec, {}, options);
  if (ec) return InvalidArgument("malformed JSON: " + ec.message(), std::string(where));
  if (!AllFinite(v)) {  // only now are member paths worth building
    if (auto s = CheckFiniteNumbers(v, where); !s.ok()) return s;
  }
  return v;
}

Result<int64_t> EntityId(const json::value& value, const std::string& field) {
  constexpr const char* kRange = "must be a whole number from 0 to 9223372036854775807";
  if (value.is_int64()) {
    if (value.get_int64() < 0) return InvalidArgument(kRange, field);
    return value.get_int64();
  }
  if (value.is_uint64()) {
    if (value.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return InvalidArgument(kRange, field);
    }
    return static_cast<int64_t>(value.get_uint64());
  }
  return InvalidArgument(kRange, field);
}

}  // namespace datenwerk
