#include "core/json_text.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

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

void AppendJsonString(std::string_view text, std::string& out) {
  out += '"';
  AppendJsonEscaped(text, out);
  out += '"';
}

namespace {

// Whether any of the eight bytes is a control character, '"' or '\\' (bit tricks on a word:
// a byte less than n, or equal to b, sets its high bit).
bool NeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const auto zero = [&](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  return (below_space | zero(w ^ (kOnes * '"')) | zero(w ^ (kOnes * '\\'))) != 0;
}

}  // namespace

void AppendJsonEscaped(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t run = 0;  // start of the characters not yet copied
  size_t i = 0;
  for (uint64_t w; i + 8 <= text.size(); i += 8) {  // most text needs no escape: 8 bytes a step
    std::memcpy(&w, text.data() + i, 8);
    if (NeedsEscape(w)) break;
  }
  for (; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(text.data() + run, text.size() - run);
}

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
        AppendJsonString(member.key(), out);
        out += ':';
        AppendJsonText(member.value(), out);
      }
      out += '}';
      return;
    }
    case boost::json::kind::string:
      AppendJsonString(value.get_string(), out);
      return;
    case boost::json::kind::int64:
    case boost::json::kind::uint64: {
      char buffer[24];
      auto [end, ec] = value.is_int64() ? std::to_chars(buffer, buffer + sizeof buffer, value.get_int64())
                                        : std::to_chars(buffer, buffer + sizeof buffer, value.get_uint64());
      out.append(buffer, end);
      return;
    }
    case boost::json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case boost::json::kind::null:
      out += "null";
      return;
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
