#include "opendata/pages.h"

#include <algorithm>
#include <map>

#include "core/dates.h"
#include "core/json_text.h"
#include "web/html.h"

namespace datenwerk::opendata {

namespace {

using web::Escape;

constexpr size_t kMaxQueryBytes = 200;
constexpr size_t kSummaryBytes = 280;

// The German labels of the EU data themes the catalogue may use.
const std::map<std::string, std::string>& ThemeLabels() {
  static const std::map<std::string, std::string> kLabels = {
      {"AGRI", "Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel"},
      {"ECON", "Wirtschaft und Finanzen"},
      {"EDUC", "Bildung, Kultur und Sport"},
      {"ENER", "Energie"},
      {"ENVI", "Umwelt"},
      {"GOVE", "Regierung und öffentlicher Sektor"},
      {"HEAL", "Gesundheit"},
      {"INTR", "Internationale Themen"},
      {"JUST", "Justiz, Rechtssystem und öffentliche Sicherheit"},
      {"REGI", "Regionen und Städte"},
      {"SOCI", "Bevölkerung und Gesellschaft"},
      {"TECH", "Wissenschaft und Technologie"},
      {"TRAN", "Verkehr"},
  };
  return kLabels;
}

std::string ThemeLabel(const std::string& code) {
  auto it = ThemeLabels().find(code);
  return it == ThemeLabels().end() ? code : it->second;
}

// Lower case for searching: ASCII and the German capitals Ä, Ö, Ü.
std::string Folded(std::string_view text) {
  std::string out(text);
  for (size_t i = 0; i < out.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(out[i]);
    if (c >= 'A' && c <= 'Z') {
      out[i] = static_cast<char>(c + 32);
    } else if (c == 0xC3 && i + 1 < out.size()) {
      const unsigned char n = static_cast<unsigned char>(out[i + 1]);
      if (n == 0x84 || n == 0x96 || n == 0x9C) out[i + 1] = static_cast<char>(n + 0x20);
      ++i;
    }
  }
  return out;
}

std::vector<std::string> Words(std::string_view q) {
  std::vector<std::string> words;
  std::string folded = Folded(q.substr(0, kMaxQueryBytes));
  size_t at = 0;
  while (at < folded.size()) {
    const size_t end = std::min(folded.find(' ', at), folded.size());
    if (end > at) words.push_back(folded.substr(at, end - at));
    at = end + 1;
  }
  return words;
}

bool Matches(const Dataset& d, const std::vector<std::string>& words) {
  if (words.empty()) return true;
  std::string text = d.title + " " + d.description;
  for (const std::string& k : d.keywords) text += " " + k;
  text = Folded(text);
  return std::all_of(words.begin(), words.end(), [&](const std::string& w) { return text.find(w) != std::string::npos; });
}

std::vector<std::string> Formats(const Dataset& d) {
  std::vector<std::string> out;
  for (const Distribution& x : d.distributions) {
    if (!x.format.empty() && std::find(out.begin(), out.end(), x.format) == out.end()) out.push_back(x.format);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Licenses(const Dataset& d) {
  std::vector<std::string> out;
  for (const Distribution& x : d.distributions) {
    if (std::find(out.begin(), out.end(), x.license) == out.end()) out.push_back(x.license);
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : std::string(separator)) + p;
  return out;
}

// The first `bytes` of a text, cut at a space, with "…".
std::string Summary(const std::string& text) {
  if (text.size() <= kSummaryBytes) return text;
  size_t cut = text.rfind(' ', kSummaryBytes);
  if (cut == std::string::npos) cut = kSummaryBytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return text.substr(0, cut) + " …";
}

std::string GermanWhen(const std::string& text) {
  if (text.size() == 10) return GermanDate(text);
  if (auto ms = ParseRfc3339Ms(text)) return GermanDate(FormatRfc3339Ms(*ms).substr(0, 10));
  return text;
}

std::string Select(const char* id, const char* name, const char* label,
                   const std::vector<std::pair<std::string, std::string>>& options, const std::string& selected) {
  std::string html = std::string("<label for=\"") + id + "\">" + label + "</label>\n<select id=\"" + id +
                     "\" name=\"" + name + "\">\n<option value=\"\">Alle</option>\n";
  for (const auto& [value, text] : options) {
    html += "<option value=\"" + Escape(value) + "\"" + (value == selected ? " selected" : "") + ">" +
            Escape(text) + "</option>\n";
  }
  return html + "</select>\n";
}

// schema.org's Dataset as JSON-LD, safe inside <script> ("</" cannot end it).
std::string SchemaOrg(const Dataset& d, const CatalogMetadata& meta) {
  auto url = [&](const std::string& u) { return u.starts_with('/') ? meta.base_url + u : u; };
  std::string j = R"({"@context":"https://schema.org","@type":"Dataset","name":)";
  AppendJsonString(d.title, j);
  j += R"(,"description":)";
  AppendJsonString(d.description, j);
  j += R"(,"url":)";
  AppendJsonString(meta.base_url + "/daten/" + d.id, j);
  j += R"(,"inLanguage":"de","isAccessibleForFree":true,"keywords":[)";
  for (size_t i = 0; i < d.keywords.size(); ++i) {
    if (i) j += ',';
    AppendJsonString(d.keywords[i], j);
  }
  j += ']';
  if (!d.distributions.empty()) {
    j += R"(,"license":)";
    AppendJsonString(d.distributions.front().license, j);
  }
  j += R"(,"creator":{"@type":"Organization","name":)";
  AppendJsonString(meta.publisher_name, j);
  j += '}';
  if (!d.temporal_start.empty() || !d.temporal_end.empty()) {
    j += R"(,"temporalCoverage":)";
    AppendJsonString((d.temporal_start.empty() ? ".." : d.temporal_start) + "/" +
                         (d.temporal_end.empty() ? ".." : d.temporal_end), j);
  }
  if (!meta.place_name.empty()) {
    j += R"(,"spatialCoverage":{"@type":"Place","name":)";
    AppendJsonString(meta.place_name, j);
    j += '}';
  }
  if (!d.modified.empty()) {
    j += R"(,"dateModified":)";
    AppendJsonString(d.modified, j);
  }
  j += R"(,"distribution":[)";
  bool first = true;
  for (const Distribution& x : d.distributions) {
    if (x.download_url.empty()) continue;
    if (!first) j += ',';
    first = false;
    j += R"({"@type":"DataDownload","encodingFormat":)";
    AppendJsonString(x.media_type, j);
    j += R"(,"contentUrl":)";
    AppendJsonString(url(x.download_url), j);
    j += '}';
  }
  j += "]}";
  std::string safe;
  for (size_t i = 0; i < j.size(); ++i) {
    if (j[i] == '<') {
      safe += "\\u003c";
    } else {
      safe += j[i];
    }
  }
  return safe;
}

}  // namespace

std::string LicenseLabel(const std::string& iri) {
  static const std::map<std::string, std::string> kLabels = {
      {"http://dcat-ap.de/def/licenses/cc-zero", "Creative Commons CC Zero License (cc-zero)"},
      {"http://dcat-ap.de/def/licenses/dl-zero-de/2.0", "Datenlizenz Deutschland – Zero – Version 2.0"},
      {"http://dcat-ap.de/def/licenses/dl-by-de/2.0", "Datenlizenz Deutschland Namensnennung 2.0"},
      {"http://dcat-ap.de/def/licenses/cc-by/4.0", "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)"},
      {"http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
       "Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen 4.0 International (CC-BY-SA 4.0)"},
      {"http://dcat-ap.de/def/licenses/odbl", "Open Data Commons Open Database License (ODbL)"},
  };
  auto it = kLabels.find(iri);
  return it == kLabels.end() ? iri : it->second;
}

http::Response DatasetListPage(const std::vector<Dataset>& datasets, const http::Request& r,
                               const web::PortalOptions& o) {
  const std::string& q = r.Query("q");
  const std::string& theme = r.Query("thema");
  const std::string& format = r.Query("format");
  const std::string& license = r.Query("lizenz");
  const std::vector<std::string> words = Words(q);
  std::vector<std::pair<std::string, std::string>> themes, formats, licenses;
  for (const Dataset& d : datasets) {
    for (const std::string& t : d.themes) themes.emplace_back(t, ThemeLabel(t));
    for (const std::string& f : Formats(d)) formats.emplace_back(f, f);
    for (const std::string& l : Licenses(d)) licenses.emplace_back(l, LicenseLabel(l));
  }
  for (auto* list : {&themes, &formats, &licenses}) {
    std::sort(list->begin(), list->end());
    list->erase(std::unique(list->begin(), list->end()), list->end());
  }
  std::vector<const Dataset*> shown;
  for (const Dataset& d : datasets) {
    if (!theme.empty() && std::find(d.themes.begin(), d.themes.end(), theme) == d.themes.end()) continue;
    if (!format.empty()) {
      const auto f = Formats(d);
      if (std::find(f.begin(), f.end(), format) == f.end()) continue;
    }
    if (!license.empty()) {
      const auto l = Licenses(d);
      if (std::find(l.begin(), l.end(), license) == l.end()) continue;
    }
    if (Matches(d, words)) shown.push_back(&d);
  }

  web::Page page;
  page.title = "Offene Daten";
  page.current_nav = "/daten";
  page.breadcrumbs = {{"Start", "/"}};
  page.lead = "Alle Daten dieses Portals stehen zum Herunterladen bereit: die Smart-City-Strategie mit "
              "ihren Maßnahmen und Kennzahlen und die Messwerte der städtischen Sensoren, frei nutzbar unter "
              "der jeweils genannten Lizenz.";
  std::string& b = page.body;
  b += "<form class=\"filter\" method=\"get\" action=\"/daten\" role=\"search\">\n"
       "<label for=\"f-q\">Suchbegriff</label>\n<input id=\"f-q\" type=\"search\" name=\"q\" value=\"" +
       Escape(q.substr(0, kMaxQueryBytes)) + "\">\n";
  b += Select("f-thema", "thema", "Thema", themes, theme);
  b += Select("f-format", "format", "Format", formats, format);
  b += Select("f-lizenz", "lizenz", "Lizenz", licenses, license);
  b += "<button type=\"submit\">Suchen</button>\n</form>\n";
  b += "<p role=\"status\">" + std::to_string(shown.size()) +
       (shown.size() == 1 ? " Datensatz" : " Datensätze") + " gefunden.</p>\n";
  if (!shown.empty()) {
    b += "<ul class=\"cards\">\n";
    for (const Dataset* d : shown) {
      b += "<li class=\"card\"><h2><a href=\"" + web::Url("/daten/", d->id) + "\">" + Escape(d->title) +
           "</a></h2>\n<p>" + Escape(Summary(d->description)) + "</p>\n<p>Formate: " +
           Escape(Join(Formats(*d), ", ")) + " · Lizenz: " + Escape(Join([&] {
             std::vector<std::string> labels;
             for (const std::string& l : Licenses(*d)) labels.push_back(LicenseLabel(l));
             return labels;
           }(), "; ")) + "</p></li>\n";
    }
    b += "</ul>\n";
  }
  b += "<h2>Für Datenportale und Programme</h2>\n<p>Der Katalog aller Datensätze nach DCAT-AP.de, wie "
       "GovData und andere Datenportale ihn einsammeln: <a href=\"/catalog.ttl\">Turtle</a>, "
       "<a href=\"/catalog.jsonld\">JSON-LD</a>, <a href=\"/catalog.rdf\">RDF/XML</a>. Die Messwerte sind "
       "auch über die SensorThings-Schnittstelle abrufbar (<a href=\"/sta/v1.1\">/sta/v1.1</a>), die "
       "Strategie und ihre Kennzahlen über <a href=\"/api/v1\">/api/v1</a>.</p>\n";
  return web::RenderPage(o, page);
}

http::Response DatasetPage(const Dataset& d, const CatalogMetadata& meta, const Preview& preview,
                           const web::PortalOptions& o) {
  web::Page page;
  page.title = d.title;
  page.current_nav = "/daten";
  page.breadcrumbs = {{"Start", "/"}, {"Offene Daten", "/daten"}};
  page.lead = Escape(d.description);
  page.head_extra = "<script type=\"application/ld+json\">" + SchemaOrg(d, meta) + "</script>\n";
  std::string& b = page.body;
  b += "<dl class=\"facts\">\n";
  std::vector<std::string> themes;
  for (const std::string& t : d.themes) themes.push_back(ThemeLabel(t));
  b += "<dt>Thema</dt><dd>" + Escape(Join(themes, ", ")) + "</dd>\n";
  if (!d.keywords.empty()) b += "<dt>Schlagwörter</dt><dd>" + Escape(Join(d.keywords, ", ")) + "</dd>\n";
  std::vector<std::string> licenses;
  for (const std::string& l : Licenses(d)) licenses.push_back(LicenseLabel(l));
  b += "<dt>Lizenz</dt><dd>" + Escape(Join(licenses, "; "));
  if (!d.distributions.empty() && !d.distributions.front().license_attribution.empty()) {
    b += ", Namensnennung: „" + Escape(d.distributions.front().license_attribution) + "“";
  }
  b += "</dd>\n<dt>Herausgeber</dt><dd>" + Escape(meta.publisher_name) + "</dd>\n";
  if (!meta.place_name.empty()) b += "<dt>Gebiet</dt><dd>" + Escape(meta.place_name) + "</dd>\n";
  if (!d.temporal_start.empty() || !d.temporal_end.empty()) {
    b += "<dt>Zeitraum</dt><dd>" + Escape(GermanWhen(d.temporal_start)) + " bis " +
         Escape(GermanWhen(d.temporal_end)) + "</dd>\n";
  }
  if (!d.modified.empty()) b += "<dt>Zuletzt geändert</dt><dd>" + Escape(GermanWhen(d.modified)) + "</dd>\n";
  if (!d.provenance.empty()) {
    b += "<dt>Herkunft</dt><dd>" + Escape(d.provenance);
    if (!d.source_url.empty()) b += " <a href=\"" + Escape(d.source_url) + "\">Originalquelle</a>";
    b += "</dd>\n";
  }
  b += "</dl>\n<h2>Dateien und Schnittstellen</h2>\n<div class=\"table-wrap\"><table>\n<caption>"
       "Verteilungen dieses Datensatzes</caption>\n<thead><tr><th scope=\"col\">Inhalt</th>"
       "<th scope=\"col\">Format</th><th scope=\"col\">Abruf</th></tr></thead>\n<tbody>\n";
  for (const Distribution& x : d.distributions) {
    const bool file = !x.download_url.empty();
    const std::string& href = file ? x.download_url : x.access_url;
    b += "<tr><td>" + Escape(x.title) + "</td><td>" + Escape(x.format) + "</td><td><a href=\"" + Escape(href) +
         "\">" + (file ? "Herunterladen" : "Schnittstelle") + "<span class=\"visually-hidden\">: " +
         Escape(x.title) + "</span></a></td></tr>\n";
  }
  b += "</tbody>\n</table></div>\n";
  if (!preview.rows.empty()) {
    b += "<h2>Vorschau</h2>\n<div class=\"table-wrap\"><table>\n<caption>" + Escape(preview.caption) +
         "</caption>\n<thead><tr>";
    for (const std::string& c : preview.columns) b += "<th scope=\"col\">" + Escape(c) + "</th>";
    b += "</tr></thead>\n<tbody>\n";
    for (const PreviewRow& row : preview.rows) {
      b += "<tr>";
      for (const std::string& c : row.cells) b += "<td>" + Escape(c) + "</td>";
      b += "</tr>\n";
    }
    b += "</tbody>\n</table></div>\n";
  }
  return web::RenderPage(o, page);
}

}  // namespace datenwerk::opendata
