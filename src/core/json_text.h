// JSON text as people and other programs expect it: numbers in their shortest round-trip
// decimal form ("21.5", not Boost.JSON's "2.15E1"). Pure; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace datenwerk {

std::string ToJsonText(const boost::json::value& value);
// Appends to `out`.
void AppendJsonText(const boost::json::value& value, std::string& out);
// A JSON string, escaped exactly as Boost.JSON escapes it (", \\, control characters).
void AppendJsonString(std::string_view text, std::string& out);
// The same without the quotes (for text that is put together from escaped pieces).
void AppendJsonEscaped(std::string_view text, std::string& out);
// One number as JSON writes it: shortest round-trip form ("21.5"), "null" for NaN and infinity.
std::string JsonNumberText(double value);
void AppendJsonNumber(double value, std::string& out);

}  // namespace datenwerk
