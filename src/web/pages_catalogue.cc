#include "core/dates.h"
#include "http/router.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/portal.h"

namespace datenwerk::web {

std::string StageTable(const Catalogue&, const std::string& caption,
                       const std::vector<std::pair<std::string, StageCounts>>& rows,
                       const std::string& first_column) {
  std::string html = "<div class=\"table-wrap\"><table>\n<caption>" + Escape(caption) +
                     "</caption>\n<thead><tr><th scope=\"col\">" + Escape(first_column) + "</th>";
  for (MeasureStage s : kAllMeasureStages) {
    html += "<th scope=\"col\" class=\"num\">" + Escape(MeasureStageLabel(s)) + "</th>";
  }
  html += "<th scope=\"col\" class=\"num\">Gesamt</th></tr></thead>\n<tbody>\n";
  for (const auto& [label_html, counts] : rows) {
    html += "<tr><th scope=\"row\">" + label_html + "</th>";
    for (MeasureStage s : kAllMeasureStages) {
      html += "<td class=\"num\">" + std::to_string(counts.Of(s)) + "</td>";
    }
    html += "<td class=\"num\">" + std::to_string(counts.total) + "</td></tr>\n";
  }
  return html + "</tbody>\n</table></div>\n";
}

std::string FilterFormStart(const Catalogue& c, const std::string& action,
                            const std::string& selected_theme) {
  std::string html = "<form class=\"filter\" method=\"get\" action=\"" + Escape(action) +
                     "\">\n<label for=\"f-thema\">Leitthema</label>\n<select id=\"f-thema\" "
                     "name=\"thema\">\n<option value=\"\">Alle</option>\n";
  for (const Theme& t : c.data().themes) {
    html += "<option value=\"" + Escape(t.id) + "\"" + (t.id == selected_theme ? " selected" : "") +
            ">" + Escape(t.name) + "</option>\n";
  }
  return html + "</select>\n";
}

std::string MeasureTable(const Catalogue& c, const std::vector<const Measure*>& measures,
                         const std::string& caption) {
  if (measures.empty()) return "<p>Keine Maßnahmen gefunden.</p>\n";
  std::string html = "<div class=\"table-wrap\"><table>\n<caption>" + Escape(caption) +
                     "</caption>\n<thead><tr><th scope=\"col\">Kennung</th>"
                     "<th scope=\"col\">Maßnahme</th><th scope=\"col\">Zeitraum</th>"
                     "<th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">Indikatoren"
                     "</th></tr></thead>\n<tbody>\n";
  for (const Measure* m : measures) {
    html += "<tr><td>" + Escape(m->id) + "</td><td><a href=\"" + Url("/massnahmen/", m->id) +
            "\">" + Escape(m->name) + "</a></td><td>" + Escape(m->timeframe) +
            "</td><td><span class=\"stage stage-" + MeasureStageName(m->stage()) + "\">" +
            Escape(m->status) + "</span></td><td class=\"num\">" +
            std::to_string(c.KpisOfMeasure(m->id).size()) + "</td></tr>\n";
  }
  return html + "</tbody>\n</table></div>\n";
}

std::string KpiTable(const Catalogue& c, const std::vector<const Kpi*>& kpis,
                     const std::string& caption) {
  if (kpis.empty()) return "<p>Keine Indikatoren gefunden.</p>\n";
  std::string html = "<div class=\"table-wrap\"><table>\n<caption>" + Escape(caption) +
                     "</caption>\n<thead><tr><th scope=\"col\">Indikator</th>"
                     "<th scope=\"col\">Letzter Wert</th><th scope=\"col\">Stand</th>"
                     "<th scope=\"col\">Fortschritt</th></tr></thead>\n<tbody>\n";
  for (const Kpi* k : kpis) {
    const KpiValue* latest = c.LatestValue(k->id);
    html += "<tr><td><a href=\"" + Url("/indikatoren/", k->id) + "\">" + Escape(k->name) +
            "</a><br><span class=\"muted\">" + Escape(k->id) + "</span></td><td>" +
            (latest ? Escape(ValueText(latest->value, latest->qualifier,
                                       latest->unit.empty() ? k->settings.unit : latest->unit))
                    : "noch kein Wert") +
            "</td><td>" + (latest ? Escape(GermanDate(latest->date)) : "–") + "</td><td>" +
            ProgressBadge(c.ProgressOf(k->id)) + "</td></tr>\n";
  }
  return html + "</tbody>\n</table></div>\n";
}

http::Response StartPage(const Catalogue& c, const http::Request&, const PortalOptions& o) {
  Page page;
  page.title = "Verfolge unseren Fortschritt";
  page.current_nav = "/";
  page.lead = "Wo steht " + Escape(o.city_name) +
              " auf dem Weg zur smarten Stadt? Hier siehst Du alle Leitthemen, "
              "Handlungsfelder, Maßnahmen und Indikatoren des Smart-City-Konzepts und wie weit "
              "sie umgesetzt sind.";
  std::string& b = page.body;
  const auto& d = c.data();
  b += "<section aria-labelledby=\"ueberblick\">\n<h2 id=\"ueberblick\">Das Konzept in Zahlen"
       "</h2>\n<ul class=\"figures\">\n";
  for (auto [n, label] : {std::pair{d.themes.size(), "Leitthemen"},
                          {d.fields.size(), "Handlungsfelder"},
                          {d.measures.size(), "Maßnahmen"},
                          {d.kpis.size(), "Indikatoren"}}) {
    b += "<li><span class=\"figure\">" + std::to_string(n) + "</span> " + label + "</li>\n";
  }
  b += "</ul>\n</section>\n";

  b += "<section aria-labelledby=\"leitthemen\">\n<h2 id=\"leitthemen\">Leitthemen</h2>\n"
       "<ul class=\"cards\">\n";
  for (const Theme& t : d.themes) {
    StageCounts stages = c.StagesOfTheme(t.id);
    b += "<li class=\"card\"><h3><a href=\"" + Url("/themen/", t.id) + "\">" + Escape(t.name) +
         "</a></h3>\n<p>" + std::to_string(c.FieldsOf(t.id).size()) + " Handlungsfelder · " +
         std::to_string(stages.total) + " Maßnahmen · " +
         std::to_string(c.KpiCountOfTheme(t.id)) + " Indikatoren</p>\n<p>" +
         std::to_string(stages.Of(MeasureStage::kImplemented)) + " umgesetzt, " +
         std::to_string(stages.Of(MeasureStage::kInProgress) +
                        stages.Of(MeasureStage::kOngoing)) +
         " in Umsetzung oder laufend</p></li>\n";
  }
  b += "</ul>\n</section>\n";

  std::vector<std::pair<std::string, StageCounts>> rows;
  for (const Theme& t : d.themes) {
    rows.emplace_back("<a href=\"" + Url("/themen/", t.id) + "\">" + Escape(t.name) + "</a>",
                      c.StagesOfTheme(t.id));
  }
  rows.emplace_back("Alle Leitthemen", c.StagesOverall());
  b += "<section aria-labelledby=\"umsetzung\">\n<h2 id=\"umsetzung\">So weit ist das Konzept "
       "umgesetzt</h2>\n" +
       StageTable(c, "Maßnahmen nach Umsetzungsstand und Leitthema", rows, "Leitthema") +
       "</section>\n";
  b += "<section aria-labelledby=\"mehr\">\n<h2 id=\"mehr\">Mehr erfahren</h2>\n<ul>\n"
       "<li><a href=\"/zahlen-und-fakten\">Zahlen und Fakten im Überblick</a></li>\n"
       "<li><a href=\"/indikatoren\">Alle Indikatoren mit Fortschritt</a></li>\n"
       "<li><a href=\"/daten\">Offene Daten zum Herunterladen (CSV, JSON)</a></li>\n"
       "</ul>\n</section>\n";
  return RenderPage(o, page);
}

http::Response ThemePage(const Catalogue& c, const http::Request& r, const PortalOptions& o) {
  const Theme* t = c.FindTheme(r.Param("id"));
  if (!t) return NotFoundPage(o);
  Page page;
  page.title = t->name;
  page.breadcrumbs = {{"Start", "/"}};
  std::vector<std::pair<std::string, StageCounts>> rows;
  page.body += "<h2>Handlungsfelder</h2>\n<ul class=\"cards\">\n";
  for (const Field* f : c.FieldsOf(t->id)) {
    page.body += "<li class=\"card\"><h3><a href=\"" + Url("/handlungsfelder/", f->id) + "\">" +
                 Escape(f->name) + "</a></h3>\n<p>Kapitel " + Escape(f->chapter) + " · " +
                 std::to_string(c.MeasuresOf(f->id).size()) + " Maßnahmen · " +
                 std::to_string(c.KpisOfField(f->id).size()) + " Indikatoren</p></li>\n";
    rows.emplace_back(
        "<a href=\"" + Url("/handlungsfelder/", f->id) + "\">" + Escape(f->name) + "</a>",
        c.StagesOfField(f->id));
  }
  page.body += "</ul>\n<h2>Umsetzungsstand</h2>\n";
  page.body += StageTable(c, "Maßnahmen nach Umsetzungsstand und Handlungsfeld", rows,
                          "Handlungsfeld");
  return RenderPage(o, page);
}

http::Response FieldPage(const Catalogue& c, const http::Request& r, const PortalOptions& o) {
  const Field* f = c.FindField(r.Param("id"));
  if (!f) return NotFoundPage(o);
  const Theme* t = c.FindTheme(f->theme_id);
  Page page;
  page.title = f->name;
  page.breadcrumbs = {{"Start", "/"}};
  if (t) page.breadcrumbs.emplace_back(t->name, Url("/themen/", t->id));
  page.lead = "Handlungsfeld " + Escape(f->id) + " (Kapitel " + Escape(f->chapter) + ")";
  page.body += "<h2>Maßnahmen</h2>\n" +
               MeasureTable(c, c.MeasuresOf(f->id), "Maßnahmen im Handlungsfeld " + f->name);
  page.body += "<h2>Indikatoren</h2>\n" +
               KpiTable(c, c.KpisOfField(f->id), "Indikatoren im Handlungsfeld " + f->name);
  return RenderPage(o, page);
}

http::Response MeasurePage(const Catalogue& c, const http::Request& r, const PortalOptions& o) {
  const Measure* m = c.FindMeasure(r.Param("id"));
  if (!m) return NotFoundPage(o);
  const Field* f = c.FindField(m->field_id);
  const Theme* t = f ? c.FindTheme(f->theme_id) : nullptr;
  Page page;
  page.title = m->name;
  page.breadcrumbs = {{"Start", "/"}};
  if (t) page.breadcrumbs.emplace_back(t->name, Url("/themen/", t->id));
  if (f) page.breadcrumbs.emplace_back(f->name, Url("/handlungsfelder/", f->id));
  std::string& b = page.body;
  b += "<dl class=\"facts\">\n<dt>Kennung</dt><dd>" + Escape(m->id) + "</dd>\n";
  if (!m->anomaly.empty()) {
    b += "<dt>Im Konzept gedruckt als</dt><dd>" + Escape(m->id_as_printed) + "</dd>\n";
  }
  b += "<dt>Zeitraum</dt><dd>" + Escape(m->timeframe) + "</dd>\n<dt>Status</dt><dd>" +
       "<span class=\"stage stage-" + MeasureStageName(m->stage()) + "\">" + Escape(m->status) +
       "</span></dd>\n</dl>\n";
  b += "<h2>Worum es geht</h2>\n<p>" + Escape(m->summary) + "</p>\n";
  b += "<h2>Indikatoren</h2>\n" +
       KpiTable(c, c.KpisOfMeasure(m->id), "Indikatoren der Maßnahme " + m->name);
  return RenderPage(o, page);
}

http::Response MeasureListPage(const Catalogue& c, const http::Request& r,
                               const PortalOptions& o) {
  const std::string& theme = r.Query("thema");
  const std::string& stage = r.Query("status");
  Page page;
  page.title = "Maßnahmen";
  page.current_nav = "/massnahmen";
  page.breadcrumbs = {{"Start", "/"}};
  std::string& b = page.body;
  b += FilterFormStart(c, "/massnahmen", theme);
  b += "<label for=\"f-status\">Status</label>\n<select id=\"f-status\" "
       "name=\"status\">\n<option value=\"\">Alle</option>\n";
  for (MeasureStage s : kAllMeasureStages) {
    b += std::string("<option value=\"") + MeasureStageName(s) + "\"" +
         (stage == MeasureStageName(s) ? " selected" : "") + ">" + MeasureStageLabel(s) +
         "</option>\n";
  }
  b += "</select>\n<button type=\"submit\">Anzeigen</button>\n</form>\n";
  std::vector<const Measure*> shown;
  for (const Measure& m : c.data().measures) {
    if (!theme.empty() && c.ThemeOfField(m.field_id) != theme) continue;
    if (!stage.empty() && stage != MeasureStageName(m.stage())) continue;
    shown.push_back(&m);
  }
  b += "<p role=\"status\">" + std::to_string(shown.size()) + " von " +
       std::to_string(c.data().measures.size()) + " Maßnahmen</p>\n";
  b += MeasureTable(c, shown, "Maßnahmen des Smart-City-Konzepts");
  return RenderPage(o, page);
}

}  // namespace datenwerk::web
