#include "verwaltung/form.h"

#include <algorithm>

#include "core/dates.h"
#include "core/german_number.h"
#include "core/url.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using web::Escape;

Result<FormData> ParseForm(std::string_view body) {
  FormData out;
  size_t fields = 0;
  while (!body.empty()) {
    size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    if (++fields > 200) return InvalidArgument("Das Formular hat zu viele Felder.", "formular");
    size_t eq = pair.find('=');
    bool ok_name = true, ok_value = true;
    std::string name = PercentDecode(pair.substr(0, eq), true, &ok_name);
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1), true, &ok_value);
    if (!ok_name || !ok_value || name.size() > 100) {
      return InvalidArgument("Das Formular kam beschädigt an. Bitte laden Sie die Seite neu.", "formular");
    }
    if (!IsCleanText(name) || !IsCleanText(value)) {
      return InvalidArgument("Das Formular enthält Zeichen, die kein gültiger Text sind (kein UTF-8).", name);
    }
    out.emplace(std::move(name), std::move(value));
  }
  return out;
}

const std::string& FormValue(const FormData& form, const std::string& name) {
  static const std::string kEmpty;
  auto it = form.find(name);
  return it == form.end() ? kEmpty : it->second;
}

std::map<std::string, std::string> ParseCookies(std::string_view header) {
  std::map<std::string, std::string> out;
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view part = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    size_t eq = part.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    out.emplace(std::string(part.substr(0, eq)), std::string(part.substr(eq + 1)));
  }
  return out;
}


namespace {

std::string Describe(const FieldSpec& spec, const FieldErrors& errors, bool& invalid, std::string& described) {
  std::string html = "<div class=\"field\">\n<label for=\"f-" + spec.name + "\">" + Escape(spec.label);
  if (spec.required) html += " <span class=\"required\">(Pflichtfeld)</span>";
  html += "</label>\n";
  std::vector<std::string> ids;
  if (!spec.hint.empty()) {
    html += "<p class=\"hint\" id=\"f-" + spec.name + "-hinweis\">" + Escape(spec.hint) + "</p>\n";
    ids.push_back("f-" + spec.name + "-hinweis");
  }
  auto error = errors.find(spec.name);
  invalid = error != errors.end();
  if (invalid) {
    html += "<p class=\"field-error\" id=\"f-" + spec.name + "-fehler\"><span class=\"visually-hidden\">Fehler: </span>" +
            Escape(error->second) + "</p>\n";
    ids.push_back("f-" + spec.name + "-fehler");
  }
  for (size_t i = 0; i < ids.size(); ++i) described += (i ? " " : "") + ids[i];
  return html;
}

std::string Attributes(const FieldSpec& spec, bool invalid, const std::string& described) {
  std::string a = " id=\"f-" + spec.name + "\" name=\"" + spec.name + "\"";
  if (!described.empty()) a += " aria-describedby=\"" + described + "\"";
  if (invalid) a += " aria-invalid=\"true\"";
  if (spec.required) a += " required";
  if (!spec.autocomplete.empty()) a += " autocomplete=\"" + spec.autocomplete + "\"";
  return a;
}

}  // namespace

std::string InputField(const FieldSpec& spec, const std::string& value, const FieldErrors& errors) {
  bool invalid = false;
  std::string described;
  std::string html = Describe(spec, errors, invalid, described);
  std::string attributes = Attributes(spec, invalid, described);
  if (spec.type == "textarea") {
    html += "<textarea" + attributes + " rows=\"4\">" + Escape(value) + "</textarea>\n";
  } else if (spec.type == "checkbox") {
    html = "<div class=\"field field-check\">\n<input type=\"checkbox\"" + attributes + " value=\"1\"" +
           (value.empty() ? "" : " checked") + ">\n<label for=\"f-" + spec.name + "\">" + Escape(spec.label) +
           "</label>\n";
  } else {
    std::string type = spec.type == "number-text" ? "text\" inputmode=\"decimal" : spec.type;
    html += "<input type=\"" + type + "\"" + attributes + " value=\"" + Escape(value) + "\">\n";
  }
  return html + "</div>\n";
}

std::string SelectField(const FieldSpec& spec, const std::vector<std::pair<std::string, std::string>>& options,
                        const std::string& selected, const FieldErrors& errors) {
  bool invalid = false;
  std::string described;
  std::string html = Describe(spec, errors, invalid, described);
  html += "<select" + Attributes(spec, invalid, described) + ">\n";
  for (const auto& [value, label] : options) {
    html += "<option value=\"" + Escape(value) + "\"" + (value == selected ? " selected" : "") + ">" +
            Escape(label) + "</option>\n";
  }
  return html + "</select>\n</div>\n";
}

std::string ErrorSummary(const FieldErrors& errors, const std::vector<std::string>& order) {
  if (errors.empty()) return "";
  std::string html =
      "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"fehler\">\n"
      "<h2>Bitte korrigieren Sie Ihre Angaben</h2>\n<ul>\n";
  std::vector<std::string> names = order;
  for (const auto& [name, message] : errors) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  for (const std::string& name : names) {
    auto it = errors.find(name);
    if (it == errors.end()) continue;
    html += "<li><a href=\"#f-" + Escape(name) + "\">" + Escape(it->second) + "</a></li>\n";
  }
  return html + "</ul>\n</div>\n";
}

std::string CsrfField(const std::string& token) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + Escape(token) + "\">\n";
}

}  // namespace datenwerk::verwaltung
