#include "core/json_text.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>

namespace datenwerk {

namespace {

void AppendDouble(double d, std::string& out) {
  if (!std::isfinite(d)) {  // JSON has no NaN or infinity
    out += "null";
    return;
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
  out.append(buffer, end);
}

}  // namespace

void AppendJsonText(const boost::json::value& value, std::string& out) {
  switch (value.kind()) {
    case boost::json::kind::double_:
      AppendDouble(value.get_double(), out);
      return;
    case boost::json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value.get_array()) {
        if (!first) out += ',';
        first = false;
        AppendJsonText(item, out);
      }
      out += ']';
      return;
    }
    case boost::json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& member : value.get_object()) {
        if (!first) out += ',';
        first = false;
        out += boost::json::serialize(boost::json::string_view(member.key()));
        out += ':';
        AppendJsonText(member.value(), out);
      }
      out += '}';
      return;
    }
    default:  // null, bool, integers, strings: Boost.JSON's text is the usual one
      out += boost::json::serialize(value);
  }
}

void AppendJsonNumber(double value, std::string& out) { AppendDouble(value, out); }

std::string JsonNumberText(double value) {
  std::string out;
  AppendDouble(value, out);
  return out;
}

std::string ToJsonText(const boost::json::value& value) {
  std::string out;
  AppendJsonText(value, out);
  return out;
}

}  // namespace datenwerk
