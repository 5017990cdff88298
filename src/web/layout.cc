#include "web/layout.h"

#include "web/html.h"

namespace datenwerk::web {

http::Response RenderPage(const PortalOptions& options, const Page& page, int status) {
  static const std::pair<const char*, const char*> kNav[] = {
      {"/", "Start"},
      {"/massnahmen", "Maßnahmen"},
      {"/indikatoren", "Indikatoren"},
      {"/zahlen-und-fakten", "Zahlen und Fakten"},
      {"/klima", "Klima"},
      {"/buergerecho", "BürgerEcho"},
      {"/daten", "Offene Daten"},
  };
  std::string html;
  html.reserve(page.body.size() + 4096);
  html += "<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  html += Escape(page.title) + " – " + Escape(options.site_name);
  html += "</title>\n<link rel=\"stylesheet\" href=\"/static/datenwerk.css\">\n";
  html += page.head_extra;
  html += "</head>\n<body>\n<a class=\"skip-link\" href=\"#inhalt\">Zum Inhalt springen</a>\n"
          "<header class=\"site-header\">\n<p class=\"site-name\"><a href=\"/\">";
  html += Escape(options.site_name);
  html += "</a></p>\n<nav aria-label=\"Hauptnavigation\">\n<ul>\n";
  auto entry = [&](std::string_view href, std::string_view label) {
    html += "<li><a href=\"";
    html += Escape(href);
    html += "\"";
    if (page.current_nav == href) html += " aria-current=\"page\"";
    html += ">";
    html += Escape(label);
    html += "</a></li>\n";
  };
  if (page.nav.empty()) {
    for (const auto& [href, label] : kNav) entry(href, label);
  } else {
    for (const auto& [href, label] : page.nav) entry(href, label);
  }
  html += "</ul>\n</nav>\n" + page.header_extra + "</header>\n";
  if (!page.breadcrumbs.empty()) {
    html += "<nav class=\"breadcrumbs\" aria-label=\"Brotkrümelpfad\">\n<ol>\n";
    for (const auto& [label, href] : page.breadcrumbs) {
      html += "<li><a href=\"" + Escape(href) + "\">" + Escape(label) + "</a></li>\n";
    }
    html += "<li><a href=\"#inhalt\" aria-current=\"page\">" + Escape(page.title) +
            "</a></li>\n</ol>\n</nav>\n";
  }
  html += "<main id=\"inhalt\" tabindex=\"-1\">\n<h1>" + Escape(page.title) + "</h1>\n";
  if (!page.lead.empty()) html += "<p class=\"lead\">" + page.lead + "</p>\n";
  html += page.body;
  html += "</main>\n<footer class=\"site-footer\">\n<p>";
  html += Escape(options.site_name);
  html += " · Betrieben mit Datenwerk, der offenen urbanen Datenplattform · "
          "<a href=\"/daten\">Offene Daten</a> · <a href=\"/api\">Programmierschnittstelle "
          "(API)</a></p>\n</footer>\n";
  html += page.scripts;
  html += "</body>\n</html>\n";

  http::Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(html);
  // Images from the base map's origin only when the city configured one; nothing else external.
  const std::string tiles = options.basemap.origin.empty() ? "" : " " + options.basemap.origin;
  r.With("Content-Security-Policy",
         "default-src 'self'; img-src 'self' data:" + tiles + "; style-src 'self'; script-src 'self'; "
         "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  r.With("Referrer-Policy", "same-origin");
  return r;
}

}  // namespace datenwerk::web
