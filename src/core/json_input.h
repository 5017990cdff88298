// JSON from outside (request bodies, MQTT payloads): parsed with bounds, and checked for what
// JSON allows but no stored value may be. Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace datenwerk {

// Nesting deeper than this is refused (Boost.JSON's parser recurses neither way, but every
// walk over the value does).
inline constexpr int kMaxJsonDepth = 32;

// Parses `text`; kInvalidArgument (field `where`) for malformed JSON, nesting deeper than
// kMaxJsonDepth, or a number outside the range of a double (1e400 would be stored as infinity),
// naming the member: "properties.depth".
Result<boost::json::value> ParseJsonInput(std::string_view text, std::string_view where = "body");

// An entity id from JSON: a whole number from 0 to 2^63-1 (kInvalidArgument at `field`
// otherwise; 18446744073709551615 is refused, not wrapped).
Result<int64_t> EntityId(const boost::json::value& value, const std::string& field);

}  // namespace datenwerk
