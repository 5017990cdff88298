// The KPIs an editor looks after, one KPI with its published values, its drafts and history, and
// the forms to add, correct and withdraw values (each becomes a draft for review).
#include "core/berlin_time.h"
#include "core/dates.h"
#include "verwaltung/pages.h"
#include "verwaltung/value_form.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

std::string ValueLabel(const KpiValue& v) { return web::ValueText(v.value, v.qualifier, v.unit); }

std::string DraftTable(const Catalogue& c, const std::vector<review::ValueDraft>& drafts, const std::string& caption,
                       bool show_kpi) {
  if (drafts.empty()) return "<p>" + Escape(caption) + ": keine.</p>\n";
  std::string h = "<div class=\"table-wrap\"><table>\n<caption>" + Escape(caption) + "</caption>\n<thead><tr>";
  if (show_kpi) h += "<th scope=\"col\">Indikator</th>";
  h += "<th scope=\"col\">Art</th><th scope=\"col\">Stichtag</th><th scope=\"col\">Wert</th>"
       "<th scope=\"col\">Von</th><th scope=\"col\">Stand</th><th scope=\"col\">Entwurf</th></tr></thead>\n<tbody>\n";
  for (const review::ValueDraft& d : drafts) {
    h += "<tr>";
    if (show_kpi) {
      const Kpi* k = c.FindKpi(d.value.kpi_id);
      h += "<td>" + Escape(k ? k->name : d.value.kpi_id) + "</td>";
    }
    h += std::string("<td>") + review::DraftActionLabel(d.action) + "</td><td>" + GermanDate(d.value.date) +
         "</td><td>" + Escape(ValueLabel(d.value)) + "</td><td>" + Escape(d.author) + "<br><span class=\"muted\">" +
         BerlinTime(d.created_ms) + "</span></td><td>" + review::DraftStateLabel(d.state);
    if (d.state != review::DraftState::kOpen) {
      h += "<br><span class=\"muted\">" + Escape(d.reviewer) + ", " + BerlinTime(d.decided_ms) + "</span>";
    }
    h += "</td><td><a href=\"/verwaltung/entwuerfe/" + std::to_string(d.id) + "\">Entwurf " + std::to_string(d.id) +
         " ansehen</a></td></tr>\n";
  }
  return h + "</tbody>\n</table></div>\n";
}

Response KpiListPage(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  web::Page page;
  page.title = "Indikatoren";
  page.current_nav = "/verwaltung/indikatoren";
  const bool mine_only = visit.request.Query("alle").empty() && visit.actor.role == Role::kEditor;
  page.lead = mine_only ? "Die Indikatoren Ihrer Themen und Handlungsfelder. <a href=\"/verwaltung/indikatoren?alle=1\">Alle "
                          "Indikatoren anzeigen</a>"
                        : "Alle Indikatoren des Katalogs.";
  std::string& b = page.body;
  for (const Theme& t : c->data().themes) {
    std::string rows;
    for (const Field* f : c->FieldsOf(t.id)) {
      for (const Kpi* k : c->KpisOfField(f->id)) {
        bool may = review::MayEnter(visit.actor, *c, *k);
        if (mine_only && !may) continue;
        const KpiValue* latest = c->LatestValue(k->id);
        rows += "<tr><td><a href=\"" + web::Url("/verwaltung/indikatoren/", k->id) + "\">" + Escape(k->name) +
                "</a><br><span class=\"muted\">" + Escape(k->id) + "</span></td><td>" + Escape(f->name) + "</td><td>" +
                (latest ? Escape(ValueLabel(*latest)) + " (" + GermanDate(latest->date) + ")" : "noch kein Wert") +
                "</td><td>" + web::ProgressBadge(c->ProgressOf(k->id)) + "</td></tr>\n";
      }
    }
    if (rows.empty()) continue;
    b += "<h2>" + Escape(t.name) + "</h2>\n<div class=\"table-wrap\"><table>\n<caption>Indikatoren im Thema " +
         Escape(t.name) +
         "</caption>\n<thead><tr><th scope=\"col\">Indikator</th><th scope=\"col\">Handlungsfeld</th>"
         "<th scope=\"col\">Neuester veröffentlichter Wert</th><th scope=\"col\">Fortschritt</th></tr></thead>\n<tbody>\n" +
         rows + "</tbody>\n</table></div>\n";
  }
  if (b.empty()) b = "<p>Ihrem Konto sind noch keine Themen oder Handlungsfelder zugeordnet. Bitte wenden Sie sich an die Administration.</p>\n";
  return Frame(visit, std::move(page));
}

namespace {

struct KpiContext {
  CatalogueSnapshot catalogue;
  const Kpi* kpi = nullptr;
};

KpiContext FindKpi(const Visit& visit) {
  KpiContext k{visit.office.catalogue.Snapshot()};
  k.kpi = k.catalogue->FindKpi(visit.request.Param("id"));
  return k;
}

std::string KpiPath(const Kpi& k) { return web::Url("/verwaltung/indikatoren/", k.id); }

Response RenderKpiPage(Visit& visit, const KpiContext& k, const FormData& form, const FieldErrors& errors, int status) {
  const Catalogue& c = *k.catalogue;
  const Kpi& kpi = *k.kpi;
  web::Page page;
  page.title = kpi.name;
  page.current_nav = "/verwaltung/indikatoren";
  page.breadcrumbs = {{"Verwaltung", "/verwaltung"}, {"Indikatoren", "/verwaltung/indikatoren"}};
  std::string& b = page.body;
  b += Notice(visit.request);
  b += ErrorSummary(errors, ValueFieldOrder());
  const KpiSettings& s = kpi.settings;
  b += "<dl class=\"facts\">\n<dt>Kennung</dt><dd>" + Escape(kpi.id) + "</dd>\n<dt>Einheit</dt><dd>" +
       Escape(s.unit.empty() ? "–" : s.unit) + "</dd>\n<dt>Ausgangswert</dt><dd>" +
       (s.baseline_value ? web::GermanNumber(*s.baseline_value) + " (" + GermanDate(s.baseline_date) + ")" : "nicht festgelegt") +
       "</dd>\n<dt>Zielwert</dt><dd>" +
       (s.target_value ? web::GermanNumber(*s.target_value) + " (" + GermanDate(s.target_date) + ")" : "nicht festgelegt") +
       "</dd>\n<dt>Richtung</dt><dd>" +
       (s.direction == Direction::kUp ? "steigen" : s.direction == Direction::kDown ? "sinken" : "nicht festgelegt") +
       "</dd>\n<dt>Fortschritt (veröffentlicht)</dt><dd>" + web::ProgressBadge(c.ProgressOf(kpi.id)) +
       "</dd>\n<dt>Öffentliche Seite</dt><dd><a href=\"" + web::Url("/indikatoren/", kpi.id) +
       "\">im Portal ansehen</a></dd>\n</dl>\n";
  if (review::MayEnter(visit.actor, c, kpi)) {
    b += "<p><a href=\"" + KpiPath(kpi) + "/ziel\">Ausgangswert, Ziel und Richtung ändern</a></p>\n";
  }

  b += "<h2>Veröffentlichte Werte</h2>\n";
  const auto& values = c.ValuesOf(kpi.id);
  const bool may = review::MayEnter(visit.actor, c, kpi);
  if (values.empty()) {
    b += "<p>Noch keine veröffentlichten Werte.</p>\n";
  } else {
    b += "<div class=\"table-wrap\"><table>\n<caption>Veröffentlichte Werte, älteste zuerst</caption>\n<thead><tr>"
         "<th scope=\"col\">Stichtag</th><th scope=\"col\">Zeitraum</th><th scope=\"col\">Wert</th>"
         "<th scope=\"col\">Quelle</th><th scope=\"col\">Erfasst</th>";
    if (may) b += "<th scope=\"col\">Ändern</th>";
    b += "</tr></thead>\n<tbody>\n";
    for (const KpiValue* v : values) {
      b += "<tr><td>" + GermanDate(v->date) + "</td><td>" + Escape(v->period) + "</td><td>" + Escape(ValueLabel(*v)) +
           "</td><td>" + Escape(v->source) + "</td><td>" + Escape(v->entered_by.empty() ? "Katalog" : v->entered_by) + "</td>";
      if (may) {
        b += "<td><a href=\"" + KpiPath(kpi) + "/werte/" + std::to_string(v->id) +
             "\">Wert vom " + GermanDate(v->date) + " korrigieren oder zurücknehmen</a></td>";
      }
      b += "</tr>\n";
    }
    b += "</tbody>\n</table></div>\n";
  }

  auto drafts = visit.office.workflow.store().Query({std::nullopt, kpi.id, -1, 200, true});
  b += "<h2>Entwürfe und Verlauf</h2>\n";
  b += drafts.ok() ? DraftTable(c, *drafts, "Entwürfe und Entscheidungen zu diesem Indikator, neueste zuerst", false)
                   : "<p>Der Verlauf kann gerade nicht gelesen werden.</p>\n";

  if (may) {
    b += "<h2 id=\"neuer-wert\">Neuen Wert erfassen</h2>\n<p>Der Wert wird als Entwurf gespeichert und erst "
         "öffentlich, wenn eine andere Person ihn geprüft und veröffentlicht hat.</p>\n";
    b += "<form method=\"post\" action=\"" + KpiPath(kpi) + "/werte\" class=\"form\" novalidate>\n" +
         CsrfField(visit.session.csrf) + ValueFields(form, errors) +
         "<button type=\"submit\">Als Entwurf speichern</button>\n</form>\n";
  }
  return Frame(visit, std::move(page), status);
}

const KpiValue* PublishedValue(const Catalogue& c, const Kpi& kpi, const std::string& id_text) {
  for (const KpiValue* v : c.ValuesOf(kpi.id)) {
    if (std::to_string(v->id) == id_text) return v;
  }
  return nullptr;
}

Response NoKpi(Visit& visit) {
  return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen Indikator gibt es nicht.");
}

// A failed Propose: field errors go back into the form, the rest to an error page.
FieldErrors FieldErrorOf(const Status& s) {
  std::string field = s.field() == "begruendung" || s.field() == "wert" || s.field() == "datum" ? s.field() : "";
  if (s.code() == ErrorCode::kInvalidArgument) {
    if (field.empty()) field = "datum";
    return {{field, s.message()}};
  }
  return {};
}

}  // namespace

Response KpiPage(Visit& visit) {
  KpiContext k = FindKpi(visit);
  if (!k.kpi) return NoKpi(visit);
  FormData empty;
  return RenderKpiPage(visit, k, empty, {}, 200);
}

Response AddValue(Visit& visit) {
  KpiContext k = FindKpi(visit);
  if (!k.kpi) return NoKpi(visit);
  review::ValueDraft draft;
  draft.value.kpi_id = k.kpi->id;
  FieldErrors errors = ReadValueForm(visit.form, draft.value);
  if (errors.empty()) {
    auto stored = visit.office.workflow.Propose(visit.actor, draft, visit.From(), visit.office.now_ms());
    if (stored.ok()) return Redirect(KpiPath(*k.kpi) + "?hinweis=entwurf");
    errors = FieldErrorOf(stored.status());
    if (errors.empty()) return StatusPage(visit, stored.status());
  }
  return RenderKpiPage(visit, k, visit.form, errors, 422);
}

namespace {

Response RenderCorrection(Visit& visit, const KpiContext& k, const KpiValue& value, const FormData& form,
                          const FieldErrors& errors, int status) {
  web::Page page;
  page.title = "Wert vom " + GermanDate(value.date) + " ändern";
  page.current_nav = "/verwaltung/indikatoren";
  page.breadcrumbs = {{"Verwaltung", "/verwaltung"}, {"Indikatoren", "/verwaltung/indikatoren"},
                      {k.kpi->name, KpiPath(*k.kpi)}};
  std::string& b = page.body;
  b += ErrorSummary(errors, ValueFieldOrder());
  b += "<p>Veröffentlicht: <strong>" + Escape(ValueLabel(value)) + "</strong> zum " + GermanDate(value.date) +
       ". Eine Korrektur oder Rücknahme wird erst wirksam, wenn eine andere Person sie prüft und veröffentlicht.</p>\n";
  std::string action = KpiPath(*k.kpi) + "/werte/" + std::to_string(value.id);
  b += "<h2>Korrigieren</h2>\n<form method=\"post\" action=\"" + action + "\" class=\"form\" novalidate>\n" +
       CsrfField(visit.session.csrf) + ValueFields(form, errors);
  b += InputField({"begruendung", "Begründung der Korrektur", "textarea", "Intern; für die Prüfung und den Verlauf.", true},
             form.count("begruendung") ? form.at("begruendung") : "", errors);
  b += "<button type=\"submit\">Korrektur als Entwurf speichern</button>\n</form>\n";
  FieldErrors withdraw_errors;
  if (auto it = errors.find("begruendung_ruecknahme"); it != errors.end()) withdraw_errors[it->first] = it->second;
  b += "<h2>Zurücknehmen</h2>\n<p>Der Wert verschwindet nach der Prüfung aus dem Portal, bleibt aber im Verlauf "
       "nachvollziehbar.</p>\n<form method=\"post\" action=\"" + action + "/ruecknahme\" class=\"form\" novalidate>\n" +
       CsrfField(visit.session.csrf) +
       InputField({"begruendung_ruecknahme", "Begründung der Rücknahme", "textarea", "", true},
             form.count("begruendung_ruecknahme") ? form.at("begruendung_ruecknahme") : "", withdraw_errors) +
       "<button type=\"submit\">Rücknahme als Entwurf speichern</button>\n</form>\n";
  return Frame(visit, std::move(page), status);
}

}  // namespace

Response CorrectionPage(Visit& visit) {
  KpiContext k = FindKpi(visit);
  if (!k.kpi) return NoKpi(visit);
  const KpiValue* value = PublishedValue(*k.catalogue, *k.kpi, visit.request.Param("value_id"));
  if (!value) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen veröffentlichten Wert gibt es nicht (mehr).");
  return RenderCorrection(visit, k, *value, FormOf(*value), {}, 200);
}

Response CorrectValue(Visit& visit) {
  KpiContext k = FindKpi(visit);
  if (!k.kpi) return NoKpi(visit);
  const KpiValue* value = PublishedValue(*k.catalogue, *k.kpi, visit.request.Param("value_id"));
  if (!value) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen veröffentlichten Wert gibt es nicht (mehr).");
  review::ValueDraft draft;
  draft.action = review::DraftAction::kCorrect;
  draft.value.kpi_id = k.kpi->id;
  draft.value.id = value->id;
  draft.reason = visit.Form("begruendung");
  FieldErrors errors = ReadValueForm(visit.form, draft.value);
  if (draft.reason.empty()) errors["begruendung"] = "Bitte begründen Sie die Korrektur.";
  if (errors.empty()) {
    auto stored = visit.office.workflow.Propose(visit.actor, draft, visit.From(), visit.office.now_ms());
    if (stored.ok()) return Redirect(KpiPath(*k.kpi) + "?hinweis=entwurf");
    errors = FieldErrorOf(stored.status());
    if (errors.empty()) return StatusPage(visit, stored.status());
  }
  return RenderCorrection(visit, k, *value, visit.form, errors, 422);
}

Response WithdrawValue(Visit& visit) {
  KpiContext k = FindKpi(visit);
  if (!k.kpi) return NoKpi(visit);
  const KpiValue* value = PublishedValue(*k.catalogue, *k.kpi, visit.request.Param("value_id"));
  if (!value) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen veröffentlichten Wert gibt es nicht (mehr).");
  review::ValueDraft draft;
  draft.action = review::DraftAction::kWithdraw;
  draft.value = *value;
  draft.reason = visit.Form("begruendung_ruecknahme");
  FieldErrors errors;
  if (draft.reason.empty()) errors["begruendung_ruecknahme"] = "Bitte begründen Sie die Rücknahme.";
  if (errors.empty()) {
    auto stored = visit.office.workflow.Propose(visit.actor, draft, visit.From(), visit.office.now_ms());
    if (stored.ok()) return Redirect(KpiPath(*k.kpi) + "?hinweis=entwurf");
    if (stored.status().code() != ErrorCode::kInvalidArgument) return StatusPage(visit, stored.status());
    errors["begruendung_ruecknahme"] = stored.status().message();
  }
  return RenderCorrection(visit, k, *value, FormOf(*value), errors, 422);
}

}  // namespace datenwerk::verwaltung
