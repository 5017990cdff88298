// Review: the queue of drafts, one draft beside the value it changes, and the decisions.
#include "core/berlin_time.h"
#include "core/dates.h"
#include "core/ids.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

Response ReviewQueuePage(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  web::Page page;
  page.title = "Prüfen und veröffentlichen";
  page.current_nav = "/verwaltung/pruefung";
  page.lead = "Entwürfe, die auf Prüfung warten, älteste zuerst. Eigene Entwürfe prüft eine andere Person "
              "(Vier-Augen-Prinzip).";
  review::DraftQuery query{review::DraftState::kOpen, "", -1, 500, false};
  query.without_batch = true;
  auto open = visit.office.workflow.store().Query(query);
  if (!open.ok()) return StatusPage(visit, open.status());
  auto batches = visit.office.workflow.store().OpenBatches();
  if (!batches.ok()) return StatusPage(visit, batches.status());
  std::string& b = page.body;
  b += Notice(visit.request);
  b += "<h2>Einzelne Entwürfe</h2>\n" + DraftTable(*c, *open, "Wartende Entwürfe aus den Formularen", true);
  b += "<h2>Tabellenimporte</h2>\n";
  if (batches->empty()) b += "<p>Keine Importe warten auf Prüfung.</p>\n";
  for (const auto& batch : *batches) {
    review::DraftQuery sample{review::DraftState::kOpen, "", -1, 20, false};
    sample.batch = batch.batch;
    auto drafts = visit.office.workflow.store().Query(sample);
    if (!drafts.ok()) return StatusPage(visit, drafts.status());
    b += "<h3>Import von " + Escape(batch.author) + ", " + BerlinTime(batch.created_ms) + ": " +
         std::to_string(batch.drafts) + " Werte</h3>\n";
    b += DraftTable(*c, *drafts, "Die ersten Werte dieses Imports", true);
    if (batch.author_id == visit.actor.account_id) {
      b += "<p>Diesen Import hat Ihr Konto hochgeladen; eine andere Person prüft ihn (Vier-Augen-Prinzip).</p>\n";
      continue;
    }
    b += "<form method=\"post\" action=\"/verwaltung/stapel/" + Escape(batch.batch) + "/veroeffentlichen\" class=\"form\">\n" +
         CsrfField(visit.session.csrf) + "<button type=\"submit\">Alle " + std::to_string(batch.drafts) +
         " Werte dieses Imports veröffentlichen</button>\n</form>\n";
  }
  return Frame(visit, std::move(page));
}

namespace {

std::optional<review::ValueDraft> FindDraft(Visit& visit, Status& failure) {
  auto id = PositiveId(visit.request.Param("draft_id"));
  if (!id) return std::nullopt;
  auto draft = visit.office.workflow.store().Find(*id);
  if (!draft.ok()) {
    if (draft.status().code() != ErrorCode::kNotFound) failure = draft.status();
    return std::nullopt;
  }
  return *draft;
}

Response NoDraft(Visit& visit, const Status& failure) {
  if (!failure.ok()) return StatusPage(visit, failure);
  return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen Entwurf gibt es nicht.");
}

std::string ValueFacts(const KpiValue& v) {
  return "<dl class=\"facts\">\n<dt>Stichtag</dt><dd>" + GermanDate(v.date) + "</dd>\n<dt>Zeitraum</dt><dd>" +
         Escape(v.period.empty() ? "–" : v.period) + "</dd>\n<dt>Wert</dt><dd>" + Escape(ValueLabel(v)) +
         "</dd>\n<dt>Quelle</dt><dd>" + Escape(v.source.empty() ? "–" : v.source) + "</dd>\n<dt>Anmerkung</dt><dd>" +
         Escape(v.note.empty() ? "–" : v.note) + "</dd>\n</dl>\n";
}

Response RenderDraft(Visit& visit, const review::ValueDraft& d, const FieldErrors& errors, int status) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  const Kpi* kpi = c->FindKpi(d.value.kpi_id);
  web::Page page;
  page.title = std::string(review::DraftActionLabel(d.action)) + ": Entwurf " + std::to_string(d.id);
  page.current_nav = "/verwaltung/pruefung";
  page.breadcrumbs = {{"Verwaltung", "/verwaltung"}, {"Prüfen", "/verwaltung/pruefung"}};
  std::string& b = page.body;
  b += ErrorSummary(errors, {"anmerkung"});
  b += "<dl class=\"facts\">\n<dt>Indikator</dt><dd>" +
       (kpi ? "<a href=\"" + web::Url("/verwaltung/indikatoren/", kpi->id) + "\">" + Escape(kpi->name) + "</a>"
            : Escape(d.value.kpi_id)) +
       "</dd>\n<dt>Stand</dt><dd>" + review::DraftStateLabel(d.state) + "</dd>\n<dt>Von</dt><dd>" + Escape(d.author) +
       ", " + BerlinTime(d.created_ms) + "</dd>\n";
  if (!d.reason.empty()) b += "<dt>Begründung</dt><dd>" + Escape(d.reason) + "</dd>\n";
  if (d.state != review::DraftState::kOpen) {
    b += "<dt>Entschieden von</dt><dd>" + Escape(d.reviewer) + ", " + BerlinTime(d.decided_ms) + "</dd>\n";
    if (!d.decision_note.empty()) b += "<dt>Anmerkung der Prüfung</dt><dd>" + Escape(d.decision_note) + "</dd>\n";
  }
  b += "</dl>\n";
  const KpiValue* published = nullptr;
  if (kpi && d.action != review::DraftAction::kAdd) {
    for (const KpiValue* v : c->ValuesOf(kpi->id)) {
      if (v->id == d.value.id) published = v;
    }
  }
  if (d.action == review::DraftAction::kWithdraw) {
    b += "<h2>Zurückzunehmender Wert</h2>\n" + ValueFacts(d.value);
  } else {
    if (d.action == review::DraftAction::kCorrect && published && d.state == review::DraftState::kOpen) {
      b += "<h2>Bisher veröffentlicht</h2>\n" + ValueFacts(*published);
    }
    b += std::string("<h2>") + (d.action == review::DraftAction::kCorrect ? "Korrigierter Wert" : "Neuer Wert") +
         "</h2>\n" + ValueFacts(d.value);
  }
  if (d.state == review::DraftState::kOpen && RoleAllows(visit.actor.role, Role::kReviewer)) {
    Status may = review::MayPublish(visit.actor, d, visit.office.workflow.SelfPublishAllowed(
                                                        visit.office.workflow.ThemeOfKpi(d.value.kpi_id)));
    std::string action = "/verwaltung/entwuerfe/" + std::to_string(d.id);
    b += "<h2>Entscheidung</h2>\n";
    if (may.ok()) {
      b += "<form method=\"post\" action=\"" + action + "/veroeffentlichen\" class=\"form\">\n" +
           CsrfField(visit.session.csrf) + "<button type=\"submit\">Prüfen und veröffentlichen</button>\n</form>\n";
    } else {
      b += "<p class=\"notice\">" + Escape(may.message()) + "</p>\n";
    }
    b += "<form method=\"post\" action=\"" + action + "/ablehnen\" class=\"form\" novalidate>\n" +
         CsrfField(visit.session.csrf) +
         InputField({"anmerkung", "Was ist zu ändern?", "textarea", "Die Autorin oder der Autor liest diese Anmerkung.", true},
               visit.Form("anmerkung"), errors) +
         "<button type=\"submit\" class=\"secondary\">Ablehnen</button>\n</form>\n";
  }
  return Frame(visit, std::move(page), status);
}

}  // namespace

Response DraftPage(Visit& visit) {
  Status failure;
  auto draft = FindDraft(visit, failure);
  if (!draft) return NoDraft(visit, failure);
  return RenderDraft(visit, *draft, {}, 200);
}

Response PublishDraft(Visit& visit) {
  Status failure;
  auto draft = FindDraft(visit, failure);
  if (!draft) return NoDraft(visit, failure);
  auto published = visit.office.workflow.Publish(visit.actor, draft->id, "", visit.From(), visit.office.now_ms());
  if (!published.ok()) return StatusPage(visit, published.status());
  return Redirect("/verwaltung/pruefung?hinweis=veroeffentlicht");
}

Response RejectDraft(Visit& visit) {
  Status failure;
  auto draft = FindDraft(visit, failure);
  if (!draft) return NoDraft(visit, failure);
  auto rejected = visit.office.workflow.Reject(visit.actor, draft->id, visit.Form("anmerkung"), visit.From(),
                                               visit.office.now_ms());
  if (!rejected.ok()) {
    if (rejected.status().code() == ErrorCode::kInvalidArgument) {
      return RenderDraft(visit, *draft, {{"anmerkung", rejected.status().message()}}, 422);
    }
    return StatusPage(visit, rejected.status());
  }
  return Redirect("/verwaltung/pruefung?hinweis=abgelehnt");
}

}  // namespace datenwerk::verwaltung
