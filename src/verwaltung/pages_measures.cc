// Measures: the list an editor looks after, and one measure's status (with the date it holds
// from and a note, kept as history) and texts. KPI names are edited on the KPI's target page.
#include "core/berlin_time.h"
#include "core/dates.h"
#include "core/kpi_value.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

namespace {

// The status words the portal recognises (core/measure_status.h), as the form offers them.
const std::vector<std::pair<std::string, std::string>>& StageOptions() {
  static const std::vector<std::pair<std::string, std::string>> kStages = {
      {"Neu", "Neu (Projektidee)"}, {"In Planung", "In Planung"}, {"In Umsetzung", "In Umsetzung"},
      {"Laufend", "Laufend"},       {"Umgesetzt", "Umgesetzt"}};
  return kStages;
}

std::string LeadingStage(const std::string& status) {
  for (const auto& [value, label] : StageOptions()) {
    if (status.rfind(value, 0) == 0) return value;
  }
  return "In Umsetzung";
}

Response NoMeasure(Visit& visit) {
  return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diese Maßnahme gibt es nicht.");
}

Response RenderMeasure(Visit& visit, const Measure& m, const FieldErrors& errors, int status) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  web::Page page;
  page.title = m.name;
  page.current_nav = "/verwaltung/massnahmen";
  page.breadcrumbs = {{"Verwaltung", "/verwaltung"}, {"Maßnahmen", "/verwaltung/massnahmen"}};
  std::string& b = page.body;
  b += Notice(visit.request);
  b += ErrorSummary(errors, {"stufe", "zusatz", "stand", "anmerkung", "name", "zusammenfassung"});
  b += "<dl class=\"facts\">\n<dt>Kennung</dt><dd>" + Escape(m.id) + "</dd>\n<dt>Stand im Portal</dt><dd>" +
       Escape(m.status) + "</dd>\n<dt>Öffentliche Seite</dt><dd><a href=\"" + web::Url("/massnahmen/", m.id) +
       "\">im Portal ansehen</a></dd>\n</dl>\n";
  const bool may = review::MayEnterMeasure(visit.actor, *c, m);
  const std::string path = web::Url("/verwaltung/massnahmen/", m.id);
  const bool status_posted = visit.form.count("stufe") > 0, texts_posted = visit.form.count("name") > 0;
  if (may) {
    const std::string today = FormatRfc3339Ms(visit.office.now_ms()).substr(0, 10);
    b += "<h2>Stand ändern</h2>\n<form method=\"post\" action=\"" + path + "/stand\" class=\"form\" novalidate>\n" +
         CsrfField(visit.session.csrf);
    b += SelectField({"stufe", "Umsetzungsstand"}, StageOptions(),
                     status_posted ? visit.Form("stufe") : LeadingStage(m.status), errors);
    b += InputField({"zusatz", "Zusatz", "text", "Optional, z. B. „im Regelbetrieb mit Ausbau“."},
                    status_posted ? visit.Form("zusatz") : "", errors);
    b += InputField({"stand", "Stand vom", "text", "TT.MM.JJJJ", true},
                    status_posted ? visit.Form("stand") : GermanDate(today), errors);
    b += InputField({"anmerkung", "Anmerkung", "textarea", "Was sich geändert hat; intern, im Verlauf sichtbar."},
                    status_posted ? visit.Form("anmerkung") : "", errors);
    b += "<button type=\"submit\">Stand speichern</button>\n</form>\n";
  }
  auto notes = visit.office.workflow.store().StatusNotes(m.id, 50);
  b += "<h2>Verlauf des Stands</h2>\n";
  if (!notes.ok() || notes->empty()) {
    b += "<p>Noch keine Änderungen in der Verwaltung; der Stand stammt aus dem Konzept.</p>\n";
  } else {
    b += "<div class=\"table-wrap\"><table>\n<caption>Änderungen des Stands, neueste zuerst</caption>\n<thead><tr>"
         "<th scope=\"col\">Stand vom</th><th scope=\"col\">Umsetzungsstand</th><th scope=\"col\">Anmerkung</th>"
         "<th scope=\"col\">Von</th></tr></thead>\n<tbody>\n";
    for (const review::StatusNote& n : *notes) {
      b += "<tr><td>" + GermanDate(n.date) + "</td><td>" + Escape(n.status) + "</td><td>" + Escape(n.note) +
           "</td><td>" + Escape(n.author) + "<br><span class=\"muted\">" + BerlinTime(n.at_ms) + "</span></td></tr>\n";
    }
    b += "</tbody>\n</table></div>\n";
  }
  if (may) {
    b += "<h2>Texte</h2>\n<form method=\"post\" action=\"" + path + "/texte\" class=\"form\" novalidate>\n" +
         CsrfField(visit.session.csrf);
    b += InputField({"name", "Bezeichnung", "text", "", true}, texts_posted ? visit.Form("name") : m.name, errors);
    b += InputField({"zusammenfassung", "Worum es geht", "textarea"},
                    texts_posted ? visit.Form("zusammenfassung") : m.summary, errors);
    b += "<button type=\"submit\">Texte speichern</button>\n</form>\n";
  }
  return Frame(visit, std::move(page), status);
}

}  // namespace

Response MeasureListPage(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  web::Page page;
  page.title = "Maßnahmen";
  page.current_nav = "/verwaltung/massnahmen";
  std::string& b = page.body;
  for (const Theme& t : c->data().themes) {
    std::string rows;
    for (const Field* f : c->FieldsOf(t.id)) {
      for (const Measure* m : c->MeasuresOf(f->id)) {
        if (visit.actor.role == Role::kEditor && !review::MayEnterMeasure(visit.actor, *c, *m)) continue;
        rows += "<tr><td><a href=\"" + web::Url("/verwaltung/massnahmen/", m->id) + "\">" + Escape(m->name) +
                "</a><br><span class=\"muted\">" + Escape(m->id) + "</span></td><td>" + Escape(f->name) + "</td><td>" +
                Escape(m->status) + "</td></tr>\n";
      }
    }
    if (rows.empty()) continue;
    b += "<h2>" + Escape(t.name) + "</h2>\n<div class=\"table-wrap\"><table>\n<caption>Maßnahmen im Thema " +
         Escape(t.name) + "</caption>\n<thead><tr><th scope=\"col\">Maßnahme</th><th scope=\"col\">Handlungsfeld</th>"
         "<th scope=\"col\">Stand</th></tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table></div>\n";
  }
  if (b.empty()) b = "<p>Ihrem Konto sind noch keine Themen oder Handlungsfelder zugeordnet.</p>\n";
  return Frame(visit, std::move(page));
}

Response MeasurePage(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  const Measure* m = c->FindMeasure(visit.request.Param("id"));
  if (!m) return NoMeasure(visit);
  return RenderMeasure(visit, *m, {}, 200);
}

Response SetMeasureStatus(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  const Measure* m = c->FindMeasure(visit.request.Param("id"));
  if (!m) return NoMeasure(visit);
  FieldErrors errors;
  std::string stage = visit.Form("stufe");
  bool known = false;
  for (const auto& [value, label] : StageOptions()) known = known || value == stage;
  if (!known) errors["stufe"] = "Bitte wählen Sie einen Umsetzungsstand aus der Liste.";
  const std::string& detail = visit.Form("zusatz");
  if (detail.size() > 150) errors["zusatz"] = "Der Zusatz darf höchstens 150 Zeichen lang sein.";
  auto date = ParseGermanOrIsoDate(visit.Form("stand"));
  if (!date) errors["stand"] = "Das Datum ist ungültig. Bitte im Format TT.MM.JJJJ angeben.";
  if (visit.Form("anmerkung").size() > kMaxTextLength) errors["anmerkung"] = "Die Anmerkung darf höchstens 2000 Zeichen lang sein.";
  if (errors.empty()) {
    review::StatusNote note{m->id, stage + (detail.empty() ? "" : ", " + detail), *date, visit.Form("anmerkung"), "", 0};
    Status s = visit.office.workflow.SetMeasureStatus(visit.actor, note, visit.From(), visit.office.now_ms());
    if (s.ok()) return Redirect(web::Url("/verwaltung/massnahmen/", m->id) + "?hinweis=gespeichert");
    if (s.code() != ErrorCode::kInvalidArgument) return StatusPage(visit, s);
    errors["stufe"] = "Dieser Stand kann nicht gespeichert werden: " + s.message();
  }
  return RenderMeasure(visit, *m, errors, 422);
}

Response SetMeasureTexts(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  const Measure* m = c->FindMeasure(visit.request.Param("id"));
  if (!m) return NoMeasure(visit);
  FieldErrors errors;
  const std::string& name = visit.Form("name");
  const std::string& summary = visit.Form("zusammenfassung");
  if (name.empty() || name.size() > 500) errors["name"] = "Bitte geben Sie eine Bezeichnung mit höchstens 500 Zeichen an.";
  if (summary.size() > 10'000) errors["zusammenfassung"] = "Der Text darf höchstens 10.000 Zeichen lang sein.";
  if (errors.empty()) {
    Status s = visit.office.workflow.SetMeasureTexts(visit.actor, m->id, name, summary, visit.From(), visit.office.now_ms());
    if (s.ok()) return Redirect(web::Url("/verwaltung/massnahmen/", m->id) + "?hinweis=gespeichert");
    return StatusPage(visit, s);
  }
  return RenderMeasure(visit, *m, errors, 422);
}

Response SetKpiName(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  const Kpi* kpi = c->FindKpi(visit.request.Param("id"));
  if (!kpi) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen Indikator gibt es nicht.");
  const std::string& name = visit.Form("bezeichnung");
  if (name.empty() || name.size() > 500) {
    return ErrorPage(&visit, visit.office, 422, "Eingabe prüfen", "Bitte geben Sie eine Bezeichnung mit höchstens 500 Zeichen an.");
  }
  Status s = visit.office.workflow.SetKpiName(visit.actor, kpi->id, name, visit.From(), visit.office.now_ms());
  if (!s.ok()) return StatusPage(visit, s);
  return Redirect(web::Url("/verwaltung/indikatoren/", kpi->id) + "?hinweis=gespeichert");
}

}  // namespace datenwerk::verwaltung
