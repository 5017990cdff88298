// Cayenne Low Power Payload: channel, type, value, repeated. Decodes the IPSO types of the
// original format and the common extended ones into flat named fields, "temperature_1",
// "accelerometer_3.x", "gps_4.latitude", as The Things Stack's CayenneLPP formatter names them.
// Pure; thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/status.h"

namespace datenwerk::sensors {

// A decoded value: a number, a boolean (occupied: true) or a text (events: "motion").
using FieldValue = std::variant<double, bool, std::string>;
using Fields = std::vector<std::pair<std::string, FieldValue>>;

// kInvalidArgument for an unknown type or a truncated value (field "payload").
Result<Fields> DecodeCayenneLpp(std::string_view bytes);

}  // namespace datenwerk::sensors
