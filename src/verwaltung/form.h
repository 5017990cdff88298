// HTML forms of the back office: reading what a browser posts (URL-encoded bodies, cookies) and
// writing accessible fields whose errors stand next to them in German. Pure.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "http/form_data.h"

namespace datenwerk::verwaltung {

using FormData = std::map<std::string, std::string>;

// An application/x-www-form-urlencoded body: at most 200 fields, names up to 100 bytes; the
// first occurrence of a name wins. kInvalidArgument (German) for a malformed or oversized body
// or text that is not UTF-8.
Result<FormData> ParseForm(std::string_view body);
// The value of field `name`, "" when absent.
const std::string& FormValue(const FormData& form, const std::string& name);
// "a=1; b=2" from a Cookie header; the first occurrence of a name wins.
std::map<std::string, std::string> ParseCookies(std::string_view header);
// True when `text` is well-formed UTF-8 without control characters other than tab, CR and LF.
using http::IsCleanText;

// The errors of a form by field name, in German; shown next to each field and summarised above.
using FieldErrors = std::map<std::string, std::string>;

struct FieldSpec {
  std::string name;   // form field name, also the id suffix
  std::string label;  // visible label
  std::string type = "text";  // text, date, email, password, number-text, textarea
  std::string hint;   // help text under the label
  bool required = false;
  std::string autocomplete;  // e.g. "email", "current-password"
};

// A labelled field with its hint and error (aria-describedby, aria-invalid), value kept.
std::string InputField(const FieldSpec& spec, const std::string& value, const FieldErrors& errors);
// A labelled <select> of (value, label) options.
std::string SelectField(const FieldSpec& spec, const std::vector<std::pair<std::string, std::string>>& options,
                        const std::string& selected, const FieldErrors& errors);
// "Bitte korrigieren Sie: …" with a link to each field in error, or "" without errors.
std::string ErrorSummary(const FieldErrors& errors, const std::vector<std::string>& order);
// The hidden CSRF field.
std::string CsrfField(const std::string& token);

}  // namespace datenwerk::verwaltung
