#include "echo/report.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>

#include "core/dates.h"
#include "core/json_text.h"
#include "core/utf8.h"

namespace datenwerk::echo {

namespace {

size_t Characters(std::string_view utf8) {
  size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::optional<double> ParseDecimal(std::string text) {
  std::replace(text.begin(), text.end(), ',', '.');
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

bool LooksLikeEmail(const std::string& s) {
  const size_t at = s.find('@');
  return at != std::string::npos && at > 0 && at == s.rfind('@') && s.find('.', at) != std::string::npos &&
         s.back() != '.' && s.find(' ') == std::string::npos && s.size() <= 254;
}

Status CleanPlainText(std::string& text, size_t max_chars, const std::string& field, bool one_line) {
  if (!IsUtf8(text)) return InvalidArgument("must be UTF-8 text", field);
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') continue;
      out += '\n';
      continue;
    }
    if (c == '\n' && one_line) return InvalidArgument("must be one line", field);
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) return InvalidArgument("must not hold control characters", field);
    out += static_cast<char>(c);
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n' || out.back() == '\t')) out.pop_back();
  size_t start = 0;
  while (start < out.size() && (out[start] == ' ' || out[start] == '\n' || out[start] == '\t')) ++start;
  out.erase(0, start);
  if (Characters(out) > max_chars) {
    return InvalidArgument("must be at most " + std::to_string(max_chars) + " characters", field);
  }
  text = std::move(out);
  return Status::Ok();
}

namespace {

bool IsNumber(const std::string& s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(v);
}

}  // namespace

Result<NewReport> CheckNewReport(NewReport r, const Category& category) {
  if (Status s = CleanPlainText(r.description, kMaxDescriptionChars, "description", false); !s.ok()) return s;
  if (r.description.empty() && category.kind == Kind::kIdea) {
    return InvalidArgument("must say what the suggestion is", "description");
  }
  if (r.lat.has_value() != r.lon.has_value()) return InvalidArgument("lat and long must be given together", "long");
  if (Status s = CleanPlainText(r.address, 500, "address_string", true); !s.ok()) return s;
  if (!r.lat && r.address.empty()) return InvalidArgument("needs a position (lat and long) or an address", "lat");
  if (Status s = CleanPlainText(r.email, 254, "email", true); !s.ok()) return s;
  if (!r.email.empty() && !LooksLikeEmail(r.email)) return InvalidArgument("is not an e-mail address", "email");
  if (Status s = CleanPlainText(r.name, 200, "first_name", true); !s.ok()) return s;
  if (r.name.empty()) r.show_name = false;

  // Empty values are no answer (forms send every field): dropped before the checks.
  for (auto it = r.attributes.begin(); it != r.attributes.end();) {
    std::erase_if(it->second, [](const std::string& v) { return v.empty(); });
    it = it->second.empty() ? r.attributes.erase(it) : std::next(it);
  }
  for (const auto& entry : r.attributes) {
    const std::string& code = entry.first;  // a plain name: clang 14 refuses lambdas capturing bindings
    const auto known = std::find_if(category.attributes.begin(), category.attributes.end(),
                                    [&](const Attribute& a) { return a.code == code; });
    if (known == category.attributes.end()) {
      return InvalidArgument("is not an attribute of service " + category.code, "attribute[" + code.substr(0, 64) + "]");
    }
  }
  for (const Attribute& a : category.attributes) {
    const std::string field = "attribute[" + a.code + "]";
    auto it = r.attributes.find(a.code);
    if (it == r.attributes.end()) {
      if (a.required) return InvalidArgument("is required", field);
      continue;
    }
    std::vector<std::string>& values = it->second;
    const bool multi = a.datatype == "multivaluelist";
    if (!multi && values.size() > 1) return InvalidArgument("takes one value", field);
    if (values.size() > std::max<size_t>(1, a.values.size())) return InvalidArgument("has too many values", field);
    for (std::string& v : values) {
      if (a.datatype == "singlevaluelist" || multi) {
        if (std::none_of(a.values.begin(), a.values.end(), [&](const AttributeValue& x) { return x.key == v; })) {
          return InvalidArgument("must be one of the listed keys", field);
        }
      } else if (a.datatype == "number") {
        if (!IsNumber(v)) return InvalidArgument("must be a number", field);
      } else if (a.datatype == "datetime") {
        if (!ParseRfc3339Ms(v)) return InvalidArgument("must be an ISO 8601 date and time with zone", field);
      } else if (Status s = CleanPlainText(v, a.datatype == "text" ? 2000 : 200, field, a.datatype == "string"); !s.ok()) {
        return s;
      }
    }
  }
  return r;
}

std::string AttributesJson(const std::map<std::string, std::vector<std::string>>& attributes) {
  boost::json::object o;
  for (const auto& [code, values] : attributes) {
    boost::json::array a;
    for (const std::string& v : values) a.emplace_back(v);
    o[code] = std::move(a);
  }
  return ToJsonText(o);
}

std::map<std::string, std::vector<std::string>> AttributesFromJson(const std::string& text) {
  std::map<std::string, std::vector<std::string>> out;
  boost::system::error_code ec;
  const boost::json::value v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return out;
  for (const auto& [code, values] : v.as_object()) {
    if (!values.is_array()) continue;
    for (const auto& x : values.as_array()) {
      if (x.is_string()) out[std::string(code)].emplace_back(x.as_string());
    }
  }
  return out;
}

std::vector<int> VisiblePhotos(const Report& report) {
  std::vector<int> out;
  for (int n = 1; n <= static_cast<int>(kMaxPhotos); ++n) {
    if (report.photo_mask & (1u << (n - 1))) out.push_back(n);
  }
  return out;
}

std::string PhotoPath(int64_t id, int n, bool thumbnail) {
  return "/buergerecho/fotos/" + std::to_string(id) + "/" + std::to_string(n) + (thumbnail ? "-klein.jpg" : ".jpg");
}

}  // namespace datenwerk::echo
