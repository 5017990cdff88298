#include "core/dates.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/portal.h"

namespace datenwerk::web {

http::Response FactsPage(const Catalogue& c, const http::Request&, const PortalOptions& o) {
  Page page;
  page.title = "Zahlen und Fakten im Überblick";
  page.current_nav = "/zahlen-und-fakten";
  page.breadcrumbs = {{"Start", "/"}};
  page.lead = "Mit einer Auswahl von Zahlen und Fakten zu den Smart-City-Aktivitäten zeigen wir, "
              "welche Fortschritte " + Escape(o.city_name) + " macht.";
  std::string& b = page.body;
  for (const Theme& t : c.data().themes) {
    std::string items;
    for (const PublicIndicator& p : c.data().public_indicators) {
      if (p.theme_id != t.id) continue;
      const Kpi* k = p.kpi_id.empty() ? nullptr : c.FindKpi(p.kpi_id);
      const KpiValue* latest = k ? c.LatestValue(k->id) : nullptr;
      items += "<li class=\"card\"><h3>" + Escape(p.title) + "</h3>\n<dl class=\"facts\">\n";
      items += "<dt>Wert</dt><dd>";
      items += latest ? Escape(ValueText(latest->value, latest->qualifier,
                                         latest->unit.empty() ? k->settings.unit : latest->unit)) +
                            " (Stand " + Escape(GermanDate(latest->date)) + ")"
                      : std::string("Noch kein Wert erfasst");
      items += "</dd>\n<dt>Was wir messen</dt><dd>";
      items += k ? "<a href=\"" + Url("/indikatoren/", k->id) + "\">" + Escape(k->name) + "</a>"
                 : std::string("Kennzahl außerhalb des Indikatorenkatalogs");
      items += "</dd>\n<dt>Erhebungszeitpunkt</dt><dd>" + Escape(GermanDate(p.measured_on)) +
               "</dd>\n</dl></li>\n";
    }
    if (items.empty()) continue;
    b += "<section aria-labelledby=\"thema-" + Escape(t.id) + "\">\n<h2 id=\"thema-" +
         Escape(t.id) + "\">" + Escape(t.name) + "</h2>\n<ul class=\"cards\">\n" + items +
         "</ul>\n</section>\n";
  }
  if (!c.data().context_facts.empty()) {
    b += "<section aria-labelledby=\"weitere\">\n<h2 id=\"weitere\">Weitere Zahlen aus dem "
         "Konzept</h2>\n<div class=\"table-wrap\"><table>\n<caption>Kennzahlen ohne eigenen "
         "Indikator</caption>\n<thead><tr><th scope=\"col\">Wert</th><th scope=\"col\">Stand</th>"
         "<th scope=\"col\">Quelle</th></tr></thead>\n<tbody>\n";
    for (const ContextFact& f : c.data().context_facts) {
      b += "<tr><td>" + Escape(ValueText(f.value, f.qualifier, f.unit)) + "</td><td>" +
           Escape(GermanDate(f.as_of)) + "</td><td>" + Escape(f.source) + "</td></tr>\n";
    }
    b += "</tbody>\n</table></div>\n</section>\n";
  }
  return RenderPage(o, page);
}

http::Response NotFoundPage(const PortalOptions& o) {
  Page page;
  page.title = "Seite nicht gefunden";
  page.body = "<p>Diese Seite gibt es nicht (mehr). Vielleicht hilft Dir die "
              "<a href=\"/\">Startseite</a> weiter.</p>\n";
  return RenderPage(o, page, 404);
}

}  // namespace datenwerk::web
