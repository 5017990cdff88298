// Strict reading of JSON request bodies: unknown members, wrong types and missing members are
// errors whose `field` names the member (dotted for nested ones, e.g. "target.date").
#pragma once

#include <boost/json.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace datenwerk::api {

// Parses `body` as a JSON object whose members are all in `allowed`.
Result<boost::json::object> ParseObject(std::string_view body,
                                        std::initializer_list<std::string_view> allowed);
// Checks that `value` (found at `path`) is an object whose members are all in `allowed`.
Result<const boost::json::object*> AsObject(const boost::json::value& value, std::string_view path,
                                            std::initializer_list<std::string_view> allowed);

// A string member. Absent or null leaves `out` untouched unless `required`.
Status ReadString(const boost::json::object& o, std::string_view name, std::string_view path,
                  std::string& out, bool required = false);
// A number member; null gives nullopt. Absent is an error when `required`.
Status ReadNumber(const boost::json::object& o, std::string_view name, std::string_view path,
                  std::optional<double>& out, bool required = false);

}  // namespace datenwerk::api
