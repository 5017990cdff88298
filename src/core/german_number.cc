#include "core/german_number.h"

#include <cstdio>
#include <string>

#include "core/kpi_value.h"

namespace datenwerk {

namespace {

// "1.234.567" with optional sign: digits grouped by three after the first group of 1-3.
bool GroupedByThree(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  size_t first_dot = s.find('.');
  if (first_dot == std::string_view::npos || first_dot == 0 || first_dot > 3) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    bool dot_place = i >= first_dot && (i - first_dot) % 4 == 0;
    if (dot_place ? s[i] != '.' : (s[i] < '0' || s[i] > '9')) return false;
  }
  return (s.size() - first_dot) % 4 == 0;
}

}  // namespace

std::optional<double> ParseLocalNumber(std::string_view text) {
  std::string s;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = text[i];
    if (c == ' ' || c == '\t') continue;
    // U+202F narrow no-break space and U+00A0 no-break space, as thousands separators.
    if (c == 0xE2 && i + 2 < text.size() && text.substr(i, 3) == "\xE2\x80\xAF") { i += 2; continue; }
    if (c == 0xC2 && i + 1 < text.size() && text.substr(i, 2) == "\xC2\xA0") { i += 1; continue; }
    s += static_cast<char>(c);
  }
  if (s.empty() || s.size() > 64) return std::nullopt;
  size_t comma = s.find(',');
  if (comma != std::string::npos) {
    if (s.find(',', comma + 1) != std::string::npos) return std::nullopt;
    std::string whole = s.substr(0, comma);
    if (whole.find('.') != std::string::npos) {
      if (!GroupedByThree(whole)) return std::nullopt;
      std::erase(whole, '.');
    }
    std::string fraction = s.substr(comma + 1);
    if (fraction.empty() || fraction.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    s = whole + "." + fraction;
  } else if (GroupedByThree(s)) {
    std::erase(s, '.');
  }
  return ParseNumber(s);
}

std::string FormatLocalNumber(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", value);
  std::string s = buf;
  for (char& c : s) {
    if (c == '.') c = ',';
  }
  return s;
}

}  // namespace datenwerk
