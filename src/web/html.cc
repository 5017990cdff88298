#include "web/html.h"

#include <cmath>
#include <cstdio>

#include "http/message.h"

namespace datenwerk::web {

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string Url(std::string_view prefix, std::string_view id) {
  return std::string(prefix) + http::PercentEncode(id);
}

std::string GermanNumber(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f", std::abs(value));
  std::string digits(buf);
  size_t dot = digits.find('.');
  std::string integer = digits.substr(0, dot);
  std::string fraction = digits.substr(dot + 1);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  std::string grouped;
  for (size_t i = 0; i < integer.size(); ++i) {
    if (i && (integer.size() - i) % 3 == 0) grouped.push_back('.');
    grouped.push_back(integer[i]);
  }
  std::string out = (value < 0 && (grouped != "0" || !fraction.empty())) ? "-" : "";
  out += grouped;
  if (!fraction.empty()) out += "," + fraction;
  return out;
}

std::string ValueText(const std::optional<double>& value, Qualifier qualifier,
                      std::string_view unit) {
  if (!value) return "nicht berichtet";
  std::string out;
  switch (qualifier) {
    case Qualifier::kApprox: out = "ca. "; break;
    case Qualifier::kAtLeast: out = "mindestens "; break;
    case Qualifier::kAtMost: out = "höchstens "; break;
    case Qualifier::kExact: break;
  }
  out += GermanNumber(*value);
  if (!unit.empty()) out += " " + std::string(unit);
  return out;
}

std::string ReferenceLabel(std::string_view reference) {
  if (reference == "UN") return "U4SSC (UN)";
  if (reference == "EU") return "CITYkeys (EU)";
  if (reference == "EIGENE") return "Eigener Indikator";
  return std::string(reference);
}

std::string ProgressBadge(const ProgressResult& progress) {
  return std::string("<span class=\"badge badge-") + ProgressStatusName(progress.status) + "\">" +
         ProgressStatusLabel(progress.status) + "</span>";
}

}  // namespace datenwerk::web
