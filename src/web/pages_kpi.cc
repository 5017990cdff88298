#include <algorithm>

#include "core/dates.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/portal.h"

namespace datenwerk::web {

namespace {

std::string PointText(const std::optional<double>& value, const std::string& date,
                      const std::string& unit) {
  if (!value) return "nicht festgelegt";
  return ValueText(value, Qualifier::kExact, unit) + " (" + GermanDate(date) + ")";
}

// The series as JSON for the chart script: {"label":..., "dates":[...], "values":[...]}.
std::string SeriesJson(const Kpi& k, const std::vector<const KpiValue*>& values) {
  std::string json = "{\"label\":\"";
  for (char ch : k.settings.unit.empty() ? std::string("Wert") : k.settings.unit) {
    if (ch == '"' || ch == '\\') json.push_back('\\');
    if (static_cast<unsigned char>(ch) >= 0x20) json.push_back(ch);
  }
  json += "\",\"dates\":[";
  std::string nums;
  bool first = true;
  for (const KpiValue* v : values) {
    if (!v->value) continue;
    if (!first) {
      json += ",";
      nums += ",";
    }
    first = false;
    json += "\"" + v->date + "\"";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *v->value);
    nums += buf;
  }
  json += "],\"values\":[" + nums + "]}";
  // Inside <script>, "</" must not appear; dates and numbers never contain it, the label might.
  size_t pos = 0;
  while ((pos = json.find("</", pos)) != std::string::npos) json.replace(pos, 2, "<\\/");
  return json;
}

}  // namespace

http::Response KpiPage(const Catalogue& c, const http::Request& r, const PortalOptions& o) {
  const Kpi* k = c.FindKpi(r.Param("id"));
  if (!k) return NotFoundPage(o);
  const Field* f = c.FindField(k->field_id);
  const Theme* t = f ? c.FindTheme(f->theme_id) : nullptr;
  const Measure* m = c.FindMeasure(k->measure_id);
  const KpiSettings& s = k->settings;
  const KpiValue* latest = c.LatestValue(k->id);
  const ProgressResult& progress = c.ProgressOf(k->id);
  const auto& values = c.ValuesOf(k->id);

  Page page;
  page.title = k->name;
  page.current_nav = "/indikatoren";
  page.breadcrumbs = {{"Start", "/"}};
  if (t) page.breadcrumbs.emplace_back(t->name, Url("/themen/", t->id));
  if (f) page.breadcrumbs.emplace_back(f->name, Url("/handlungsfelder/", f->id));
  if (m) page.breadcrumbs.emplace_back(m->name, Url("/massnahmen/", m->id));

  std::string& b = page.body;
  b += "<h2>Auf einen Blick</h2>\n<dl class=\"facts\">\n";
  b += "<dt>Kennung</dt><dd>" + Escape(k->id);
  if (k->id_as_printed != k->id) {
    b += " (im Konzept gedruckt als " + Escape(k->id_as_printed) + ")";
  }
  b += "</dd>\n<dt>Letzter Wert</dt><dd>";
  b += latest ? Escape(ValueText(latest->value, latest->qualifier,
                                 latest->unit.empty() ? s.unit : latest->unit))
              : "Noch kein Wert erfasst";
  b += "</dd>\n";
  if (latest) {
    b += "<dt>Stand</dt><dd>" + Escape(GermanDate(latest->date)) + "</dd>\n";
    b += "<dt>Quelle</dt><dd>" + (latest->source.empty() ? "–" : Escape(latest->source)) +
         "</dd>\n";
  }
  b += "<dt>Basiswert</dt><dd>" + Escape(PointText(s.baseline_value, s.baseline_date, s.unit)) +
       "</dd>\n";
  b += "<dt>Zielwert</dt><dd>" + Escape(PointText(s.target_value, s.target_date, s.unit)) +
       "</dd>\n";
  b += "<dt>Gewünschte Entwicklung</dt><dd>";
  b += s.direction == Direction::kUp     ? "steigend"
       : s.direction == Direction::kDown ? "fallend"
                                         : "nicht festgelegt";
  b += "</dd>\n<dt>Fortschritt</dt><dd>" + ProgressBadge(progress);
  if (!progress.reason.empty()) b += " <span class=\"muted\">" + Escape(progress.reason) + "</span>";
  b += "</dd>\n</dl>\n";

  b += "<h2>Definition</h2>\n<dl class=\"facts\">\n<dt>Referenzrahmen</dt><dd>";
  for (size_t i = 0; i < k->references.size(); ++i) {
    b += (i ? ", " : "") + Escape(ReferenceLabel(k->references[i]));
  }
  b += "</dd>\n<dt>Nachhaltigkeitsziele (SDG-Unterziele)</dt><dd>";
  if (k->sdg_targets.empty()) b += "keine angegeben";
  for (size_t i = 0; i < k->sdg_targets.size(); ++i) {
    b += (i ? ", " : "") + Escape(k->sdg_targets[i]);
  }
  b += "</dd>\n<dt>Bezug</dt><dd>";
  if (k->scope == "field") {
    b += "Gesamtes Handlungsfeld";
    if (f) b += " <a href=\"" + Url("/handlungsfelder/", f->id) + "\">" + Escape(f->name) + "</a>";
  } else if (m) {
    b += "Maßnahme <a href=\"" + Url("/massnahmen/", m->id) + "\">" + Escape(m->name) + "</a>";
  } else {
    b += "Maßnahme " + Escape(k->measure_id) + " (im Katalog nicht enthalten)";
  }
  b += "</dd>\n<dt>An laufende Maßnahme gekoppelt</dt><dd>";
  b += k->linked_to_running_measure ? "ja" : "nein";
  b += "</dd>\n</dl>\n";
  if (auto method = o.automatic_kpis.find(k->id); method != o.automatic_kpis.end()) {
    b += "<h2 id=\"automatisch\">Automatisch ermittelt</h2>\n<p>Datenwerk ermittelt diese Kennzahl jeden Monat "
         "selbst aus den Daten der eigenen Plattform; diese Werte tragen die Quelle „Datenwerk (automatisch)“. "
         "Ein Wert, den das Smart-City-Team für einen Monat einträgt, wird nie überschrieben.</p>\n<p><strong>Methode:"
         "</strong> " + Escape(method->second) + "</p>\n";
  }

  b += "<h2>Verlauf</h2>\n";
  const bool has_numbers =
      std::any_of(values.begin(), values.end(), [](const KpiValue* v) { return v->value; });
  if (has_numbers) {
    b += "<figure class=\"chart-figure\">\n<div id=\"kpi-chart\" class=\"chart\" role=\"img\" "
         "aria-label=\"Liniendiagramm des Verlaufs von " +
         Escape(k->name) +
         ". Alle Werte stehen in der Tabelle unter dem Diagramm.\"></div>\n"
         "<figcaption>Verlauf der berichteten Werte; die Tabelle enthält dieselben Daten."
         "</figcaption>\n</figure>\n";
    b += "<script type=\"application/json\" id=\"kpi-series\">" + SeriesJson(*k, values) +
         "</script>\n";
    page.head_extra = "<link rel=\"stylesheet\" href=\"/static/uPlot.min.css\">\n";
    page.scripts = "<script src=\"/static/uPlot.iife.min.js\" defer></script>\n"
                   "<script src=\"/static/uplot-de.js\" defer></script>\n"
                   "<script src=\"/static/kpi-chart.js\" defer></script>\n";
  }
  if (values.empty()) {
    b += "<p>Für diesen Indikator sind noch keine Werte erfasst.</p>\n";
  } else {
    b += "<div class=\"table-wrap\"><table id=\"werte\">\n<caption>Alle Werte von " + Escape(k->name) +
         "</caption>\n<thead><tr><th scope=\"col\">Datum</th><th scope=\"col\">Zeitraum</th>"
         "<th scope=\"col\">Wert</th><th scope=\"col\">Quelle</th><th scope=\"col\">Anmerkung"
         "</th></tr></thead>\n<tbody>\n";
    for (auto it = values.rbegin(); it != values.rend(); ++it) {
      const KpiValue& v = **it;
      b += "<tr><td>" + Escape(GermanDate(v.date)) + "</td><td>" + Escape(v.period) + "</td><td>" +
           Escape(ValueText(v.value, v.qualifier, v.unit.empty() ? s.unit : v.unit)) +
           "</td><td>" + Escape(v.source) + "</td>" +
           // Notes imported with the catalogue are English; WCAG 3.1.2 wants them marked.
           (v.entered_by == "import" && !v.note.empty() ? "<td lang=\"en\">" : "<td>") +
           Escape(v.note) + "</td></tr>\n";
    }
    b += "</tbody>\n</table></div>\n";
  }
  b += "<p><a href=\"" + Url("/api/v1/kpis/", k->id) + "\">Diesen Indikator als JSON abrufen</a>"
       "</p>\n";
  return RenderPage(o, page);
}

http::Response KpiListPage(const Catalogue& c, const http::Request& r, const PortalOptions& o) {
  const std::string& theme = r.Query("thema");
  const std::string& progress = r.Query("fortschritt");
  Page page;
  page.title = "Indikatoren";
  page.current_nav = "/indikatoren";
  page.breadcrumbs = {{"Start", "/"}};
  page.lead = "Mit diesen Kennzahlen (KPIs) misst die Stadt, ob die Maßnahmen wirken. Der "
              "Fortschritt vergleicht die jährliche Entwicklung seit dem Basiswert mit der, die "
              "zum Erreichen des Ziels nötig ist.";
  std::string& b = page.body;
  b += FilterFormStart(c, "/indikatoren", theme);
  b += "<label for=\"f-fortschritt\">Fortschritt</label>\n<select id=\"f-fortschritt\" "
       "name=\"fortschritt\">\n<option value=\"\">Alle</option>\n";
  for (auto st : {ProgressStatus::kTargetReached, ProgressStatus::kOnTrack,
                  ProgressStatus::kAccelerationNeeded, ProgressStatus::kLimitedProgress,
                  ProgressStatus::kDeterioration, ProgressStatus::kNotAssessable}) {
    b += std::string("<option value=\"") + ProgressStatusName(st) + "\"" +
         (progress == ProgressStatusName(st) ? " selected" : "") + ">" + ProgressStatusLabel(st) +
         "</option>\n";
  }
  b += "</select>\n<button type=\"submit\">Anzeigen</button>\n</form>\n";
  std::vector<const Kpi*> shown;
  for (const Kpi& k : c.data().kpis) {
    if (!theme.empty() && c.ThemeOfField(k.field_id) != theme) continue;
    if (!progress.empty() && progress != ProgressStatusName(c.ProgressOf(k.id).status)) continue;
    shown.push_back(&k);
  }
  b += "<p role=\"status\">" + std::to_string(shown.size()) + " von " +
       std::to_string(c.data().kpis.size()) + " Indikatoren</p>\n";
  b += KpiTable(c, shown, "Indikatoren des Smart-City-Konzepts");
  return RenderPage(o, page);
}

}  // namespace datenwerk::web
