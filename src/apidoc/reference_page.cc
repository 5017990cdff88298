#include "apidoc/reference_page.h"

#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "web/html.h"

namespace datenwerk::apidoc {

namespace json = boost::json;
using web::Escape;

namespace {

constexpr int kMaxRefDepth = 8;
constexpr const char* kMethods[] = {"get", "put", "post", "delete", "patch"};

const json::object& Empty() {
  static const json::object kEmpty;
  return kEmpty;
}

const json::object& Object(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_object() ? v->get_object() : Empty();
}

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// "#/components/schemas/Kpi" -> "Kpi".
std::string RefName(std::string_view ref) { return std::string(ref.substr(ref.rfind('/') + 1)); }

// Follows "$ref" inside the document ("#/a/b"), at most kMaxRefDepth times.
const json::object& Resolve(const json::object& document, const json::object& o, int depth = 0) {
  const std::string ref = Text(o, "$ref");
  if (ref.empty() || depth >= kMaxRefDepth || ref.rfind("#/", 0) != 0) return o;
  const json::object* at = &document;
  size_t start = 2;
  while (start <= ref.size()) {
    const size_t end = std::min(ref.find('/', start), ref.size());
    at = &Object(*at, std::string_view(ref).substr(start, end - start));
    start = end + 1;
  }
  return Resolve(document, *at, depth + 1);
}

// Paragraphs separated by blank lines, each escaped.
std::string Paragraphs(std::string_view text) {
  std::string out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find("\n\n", start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view para = text.substr(start, end - start);
    if (para.find_first_not_of(" \n") != std::string_view::npos) out += "<p>" + Escape(para) + "</p>\n";
    start = end + 2;
  }
  return out;
}

std::string TypeText(const json::object& schema, int depth = 0) {
  if (depth > kMaxRefDepth) return "…";
  if (const std::string ref = Text(schema, "$ref"); !ref.empty()) return RefName(ref);
  if (const json::value* any = schema.if_contains("oneOf"); any && any->is_array()) {
    std::string out;
    for (const json::value& v : any->get_array()) {
      if (!v.is_object()) continue;
      out += (out.empty() ? "" : " oder ") + TypeText(v.get_object(), depth + 1);
    }
    return out;
  }
  if (const json::value* e = schema.if_contains("enum"); e && e->is_array()) {
    std::string out = "eins von: ";
    bool first = true;
    for (const json::value& v : e->get_array()) {
      out += (first ? "" : ", ") + (v.is_string() ? std::string(v.get_string()) : json::serialize(v));
      first = false;
    }
    return out;
  }
  std::string type;
  const json::value* t = schema.if_contains("type");
  if (t && t->is_string()) type = t->get_string();
  if (t && t->is_array()) {
    for (const json::value& v : t->get_array()) {
      if (v.is_string() && v.get_string() != "null") type = v.get_string();
    }
  }
  const std::string format = Text(schema, "format");
  if (type == "string") {
    if (format == "date-time") return "Zeitpunkt (ISO 8601)";
    if (format == "date") return "Datum (JJJJ-MM-TT)";
    return "Zeichenkette";
  }
  if (type == "integer") return "Ganzzahl";
  if (type == "number") return "Zahl";
  if (type == "boolean") return "Wahrheitswert";
  if (type == "array") return "Liste von " + TypeText(Object(schema, "items"), depth + 1);
  if (type == "object") return "Objekt";
  return "beliebig";
}

std::string Anchor(std::string_view id);

// As TypeText, escaped, with the data formats linked to their section; a page of a list says
// what it lists.
std::string TypeHtml(const json::object& schema) {
  const std::string ref = Text(schema, "$ref");
  if (ref.rfind("#/components/schemas/", 0) != 0) return Escape(TypeText(schema));
  auto link = [](const std::string& name) {
    return "<a href=\"#schema-" + Anchor(name) + "\">" + Escape(name) + "</a>";
  };
  const json::object& items = Object(Object(Object(schema, "properties"), "items"), "items");
  if (const std::string of = Text(items, "$ref"); !of.empty()) {
    return link(RefName(ref)) + " mit Einträgen vom Typ " + link(RefName(of));
  }
  return link(RefName(ref));
}

std::string Anchor(std::string_view id) {
  std::string out;
  for (char c : id) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
  return out;
}

std::string ParameterTable(const json::object& document, const json::array& parameters) {
  if (parameters.empty()) return {};
  std::string b = "<div class=\"table-wrap\"><table>\n<caption>Parameter</caption>\n<thead><tr>"
                  "<th scope=\"col\">Name</th><th scope=\"col\">Ort</th><th scope=\"col\">Pflicht</th>"
                  "<th scope=\"col\">Typ</th><th scope=\"col\">Beschreibung</th></tr></thead>\n<tbody>\n";
  for (const json::value& v : parameters) {
    if (!v.is_object()) continue;
    const json::object& p = Resolve(document, v.get_object());
    const std::string in = Text(p, "in");
    const json::value* required = p.if_contains("required");
    b += "<tr><th scope=\"row\"><code>" + Escape(Text(p, "name")) + "</code></th><td>" +
         (in == "path" ? "Pfad" : in == "query" ? "Abfrage" : in == "header" ? "Kopfzeile" : Escape(in)) +
         "</td><td>" + (required && required->is_bool() && required->get_bool() ? "ja" : "nein") + "</td><td>" +
         TypeHtml(Object(p, "schema")) + "</td><td>" + Escape(Text(p, "description")) + "</td></tr>\n";
  }
  return b + "</tbody>\n</table></div>\n";
}

std::string ContentText(const json::object& content) {
  std::string out;
  for (const auto& [media, v] : content) {
    if (!out.empty()) out += "; ";
    out += "<code>" + Escape(media) + "</code>";
    if (v.is_object()) {
      const json::object& schema = Object(v.get_object(), "schema");
      if (!schema.empty()) out += " (" + TypeHtml(schema) + ")";
    }
  }
  return out;
}

std::string Roles(const json::object& operation) {
  const json::value* security = operation.if_contains("security");
  if (!security || !security->is_array() || security->get_array().empty()) return "alle, ohne Anmeldung";
  std::string out;
  for (const json::value& requirement : security->get_array()) {
    if (!requirement.is_object()) continue;
    for (const auto& [scheme, roles] : requirement.get_object()) {
      if (!roles.is_array()) continue;
      for (const json::value& role : roles.get_array()) {
        if (role.is_string()) out += (out.empty() ? "" : ", ") + std::string(role.get_string());
      }
      if (out.empty()) out = std::string(scheme);
    }
  }
  return "API-Schlüssel mit der Rolle " + Escape(out) + " oder höher";
}

std::string Operation(const json::object& document, std::string_view path, std::string_view method,
                      const json::object& path_item, const json::object& operation) {
  const std::string id = Text(operation, "operationId");
  std::string method_upper(method);
  for (char& c : method_upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string b = "<section class=\"api-operation\" aria-labelledby=\"op-" + Anchor(id) + "\">\n<h3 id=\"op-" +
                  Anchor(id) + "\"><code>" + method_upper + " " + Escape(path) + "</code></h3>\n";
  b += "<p><strong>" + Escape(Text(operation, "summary")) + "</strong></p>\n";
  b += Paragraphs(Text(operation, "description"));
  b += "<p>Berechtigung: " + Roles(operation) + "</p>\n";
  json::array parameters;
  for (const json::object* source : {&path_item, &operation}) {
    if (const json::value* p = source->if_contains("parameters"); p && p->is_array()) {
      for (const json::value& x : p->get_array()) parameters.push_back(x);
    }
  }
  b += ParameterTable(document, parameters);
  if (const json::object& body = Resolve(document, Object(operation, "requestBody")); !body.empty()) {
    b += "<p>Anfrage: " + ContentText(Object(body, "content")) + "</p>\n";
    b += Paragraphs(Text(body, "description"));
  }
  b += "<dl class=\"api-responses\">\n";
  for (const auto& [status, v] : Object(operation, "responses")) {
    if (!v.is_object()) continue;
    const json::object& response = Resolve(document, v.get_object());
    b += "<dt>" + Escape(status) + "</dt><dd>" + Escape(Text(response, "description"));
    if (const json::object& content = Object(response, "content"); !content.empty()) {
      b += " – " + ContentText(content);
    }
    b += "</dd>\n";
  }
  return b + "</dl>\n</section>\n";
}

std::string SchemaSection(const json::object& document) {
  std::string b = "<h2 id=\"datenformate\">Datenformate</h2>\n";
  for (const auto& [name, v] : Object(Object(document, "components"), "schemas")) {
    if (!v.is_object()) continue;
    const json::object& schema = v.get_object();
    b += "<h3 id=\"schema-" + Anchor(name) + "\">" + Escape(name) + "</h3>\n";
    b += Paragraphs(Text(schema, "description"));
    const json::object& properties = Object(schema, "properties");
    if (properties.empty()) continue;
    b += "<div class=\"table-wrap\"><table>\n<caption>Felder von " + Escape(name) +
         "</caption>\n<thead><tr><th scope=\"col\">Feld</th><th scope=\"col\">Typ</th>"
         "<th scope=\"col\">Beschreibung</th></tr></thead>\n<tbody>\n";
    for (const auto& [field, p] : properties) {
      const json::object& property = p.is_object() ? p.get_object() : Empty();
      b += "<tr><th scope=\"row\"><code>" + Escape(field) + "</code></th><td>" + TypeHtml(property) +
           "</td><td>" + Escape(Text(property, "description")) + "</td></tr>\n";
    }
    b += "</tbody>\n</table></div>\n";
  }
  return b;
}

}  // namespace

web::Page ReferencePage(const json::value& document_value) {
  const json::object& document = document_value.is_object() ? document_value.get_object() : Empty();
  const json::object& info = Object(document, "info");
  web::Page page;
  page.title = "Programmierschnittstelle (API)";
  page.current_nav = "/daten";
  page.breadcrumbs = {{"Start", "/"}, {"Offene Daten", "/daten"}};
  page.lead = "Alle Schnittstellen von Datenwerk, Version " + Escape(Text(info, "version")) +
              ". Maschinenlesbar als <a href=\"/openapi.json\">OpenAPI-3.1-Beschreibung "
              "(<code>/openapi.json</code>)</a>.";
  std::string b = Paragraphs(Text(info, "description"));

  // Operations grouped by their first tag, in the order of the document's tag list.
  std::string contents = "<nav aria-label=\"Inhalt der Schnittstellenbeschreibung\">\n<h2>Inhalt</h2>\n<ul>\n";
  std::string sections;
  const json::value* tags = document.if_contains("tags");
  for (const json::value& t : tags && tags->is_array() ? tags->get_array() : json::array()) {
    if (!t.is_object()) continue;
    const std::string tag = Text(t.get_object(), "name");
    std::string operations;
    for (const auto& [path, item_value] : Object(document, "paths")) {
      if (!item_value.is_object()) continue;
      const json::object& item = item_value.get_object();
      for (const char* method : kMethods) {
        const json::object& operation = Object(item, method);
        const json::value* op_tags = operation.if_contains("tags");
        if (!op_tags || !op_tags->is_array() || op_tags->get_array().empty() ||
            op_tags->get_array()[0] != json::value(tag)) {
          continue;
        }
        operations += Operation(document, path, method, item, operation);
      }
    }
    if (operations.empty()) continue;
    contents += "<li><a href=\"#tag-" + Anchor(tag) + "\">" + Escape(tag) + "</a></li>\n";
    sections += "<section aria-labelledby=\"tag-" + Anchor(tag) + "\">\n<h2 id=\"tag-" + Anchor(tag) + "\">" +
                Escape(tag) + "</h2>\n" + Paragraphs(Text(t.get_object(), "description")) + operations +
                "</section>\n";
  }
  // What Datenwerk itself sends (OpenAPI's webhooks): the alert notifications.
  std::string webhooks;
  for (const auto& [name, item_value] : Object(document, "webhooks")) {
    if (!item_value.is_object()) continue;
    for (const char* method : kMethods) {
      const json::object& operation = Object(item_value.get_object(), method);
      if (!operation.empty()) webhooks += Operation(document, name, method, item_value.get_object(), operation);
    }
  }
  if (!webhooks.empty()) {
    contents += "<li><a href=\"#webhooks\">Benachrichtigungen an andere Systeme</a></li>\n";
    sections += "<section aria-labelledby=\"webhooks\">\n<h2 id=\"webhooks\">Benachrichtigungen an andere Systeme</h2>\n"
                "<p>Diese Aufrufe macht Datenwerk selbst, an Adressen, die die Verwaltung einträgt.</p>\n" +
                webhooks + "</section>\n";
  }
  contents += "<li><a href=\"#datenformate\">Datenformate</a></li>\n</ul>\n</nav>\n";
  page.body = b + contents + sections + SchemaSection(document);
  return page;
}

}  // namespace datenwerk::apidoc
