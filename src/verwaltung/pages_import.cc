// Spreadsheet import (upload, preview per row with line numbers, confirm: all or nothing, as
// drafts for review) and the exports of the current figures (CSV for German spreadsheets, XLSX).
#include "accounts/password.h"
#include "core/dates.h"
#include "sheets/figures.h"
#include "sheets/value_sheet.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

namespace {

constexpr int64_t kPreviewValidMs = 24 * 3'600'000;
constexpr size_t kShownChanges = 1000;

Response RenderUpload(Visit& visit, const FieldErrors& errors, int status) {
  web::Page page;
  page.title = "Import und Export";
  page.current_nav = "/verwaltung/import";
  std::string& b = page.body;
  b += ErrorSummary(errors, {"datei"});
  b += "<h2>Werte aus einer Tabelle importieren</h2>\n"
       "<p>Laden Sie eine CSV-Datei hoch (aus Excel oder LibreOffice: „Speichern unter“, Dateityp CSV; UTF-8 oder "
       "Windows-1252, Komma oder Semikolon, Dezimalkomma erlaubt). Zuerst sehen Sie eine Vorschau mit allen "
       "Zeilen und Fehlern; geändert wird erst, wenn Sie bestätigen, und dann alles oder nichts. Die Werte werden "
       "Entwürfe und warten auf Prüfung.</p>\n"
       "<p>Spalten (erste Zeile): <strong>Kennung</strong>, <strong>Stichtag</strong>, <strong>Wert</strong>, "
       "Einheit, Genauigkeit (genau, ca., mindestens, höchstens), Quelle, Anmerkung, Zeitraum. Für einen Stichtag "
       "ohne Wert schreiben Sie „nicht berichtet“. <a href=\"/verwaltung/import/vorlage.csv\">Vorlage herunterladen "
       "(CSV)</a></p>\n";
  b += "<form method=\"post\" action=\"/verwaltung/import\" enctype=\"multipart/form-data\" class=\"form\" novalidate>\n" +
       CsrfField(visit.session.csrf);
  b += InputField({"datei", "CSV-Datei", "file", "Höchstens 16 MB und 50.000 Zeilen.", true}, "", errors);
  b += "<button type=\"submit\">Vorschau anzeigen</button>\n</form>\n";
  b += "<h2>Aktuelle Zahlen exportieren</h2>\n<p>Die veröffentlichten Zahlen für den Jahresbericht:</p>\n<ul>\n"
       "<li><a href=\"/verwaltung/export/bericht.xlsx\">Kennzahlen und alle Werte als Excel-Arbeitsmappe (XLSX)</a></li>\n"
       "<li><a href=\"/verwaltung/export/kennzahlen.csv\">Kennzahlen als CSV</a> (eine Zeile je Indikator)</li>\n"
       "<li><a href=\"/verwaltung/export/werte.csv\">Alle Werte als CSV</a></li>\n</ul>\n";
  return Frame(visit, std::move(page), status);
}

Result<sheets::ImportPlan> Plan(Visit& visit, std::string_view text) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  Status failure;
  auto plan = sheets::PlanValueImport(
      text, *c,
      {[&](const Kpi& kpi) { return review::MayEnter(visit.actor, *c, kpi); },
       // Asked only for rows that change a published value: one indexed lookup each.
       [&](const std::string& kpi_id, int64_t value_id) {
         auto pending = visit.office.workflow.store().OpenDraftFor(kpi_id, "", value_id);
         if (!pending.ok()) failure = pending.status();
         return pending.ok() && *pending;
       }});
  if (!failure.ok()) return failure;
  return plan;
}

std::string Outcome(const sheets::ImportRow& row) {
  switch (row.outcome) {
    case sheets::RowOutcome::kNew: return "neu";
    case sheets::RowOutcome::kChange:
      return "ändert " + (row.published ? web::GermanNumber(*row.published) : std::string("„nicht berichtet“"));
    case sheets::RowOutcome::kUnchanged: return "unverändert (wird übersprungen)";
    case sheets::RowOutcome::kError: return "Fehler: " + row.error;
  }
  return "";
}

std::string RowsTable(const Catalogue& c, const sheets::ImportPlan& plan, bool errors, const std::string& caption) {
  std::string rows;
  size_t shown = 0, total = 0;
  for (const sheets::ImportRow& row : plan.rows) {
    if ((row.outcome == sheets::RowOutcome::kError) != errors) continue;
    ++total;
    if (shown >= kShownChanges) continue;
    ++shown;
    const Kpi* kpi = c.FindKpi(row.value.kpi_id);
    rows += "<tr><td class=\"num\">" + std::to_string(row.line) + "</td><td>" +
            Escape(kpi ? kpi->name : row.value.kpi_id) + "</td><td>" + GermanDate(row.value.date) + "</td><td>" +
            (row.outcome == sheets::RowOutcome::kError ? "" : Escape(ValueLabel(row.value))) + "</td><td>" +
            Escape(Outcome(row)) + "</td></tr>\n";
  }
  if (total == 0) return "";
  std::string h = "<div class=\"table-wrap\"><table>\n<caption>" + Escape(caption) + " (" + std::to_string(total) +
                  ")</caption>\n<thead><tr><th scope=\"col\">Zeile</th><th scope=\"col\">Indikator</th>"
                  "<th scope=\"col\">Stichtag</th><th scope=\"col\">Wert</th><th scope=\"col\">Was geschieht</th></tr>"
                  "</thead>\n<tbody>\n" + rows + "</tbody>\n</table></div>\n";
  if (total > shown) h += "<p>… und " + std::to_string(total - shown) + " weitere Zeilen.</p>\n";
  return h;
}

Response RenderPreview(Visit& visit, const sheets::ImportPlan& plan, const std::string& file_name,
                       const std::string& pending_id) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  web::Page page;
  page.title = "Vorschau des Imports";
  page.current_nav = "/verwaltung/import";
  page.breadcrumbs = {{"Verwaltung", "/verwaltung"}, {"Import und Export", "/verwaltung/import"}};
  std::string& b = page.body;
  b += "<p>Datei „" + Escape(file_name) + "“ (" + Escape(plan.encoding) + ", Trennzeichen „" +
       (plan.separator == '\t' ? std::string("Tabulator") : std::string(1, plan.separator)) + "“): " +
       std::to_string(plan.new_rows) + " neue Werte, " + std::to_string(plan.changed_rows) + " Änderungen, " +
       std::to_string(plan.unchanged_rows) + " unverändert, " + std::to_string(plan.error_rows) + " fehlerhafte Zeilen.</p>\n";
  if (plan.error_rows > 0) {
    b += "<div class=\"error-summary\" role=\"alert\"><h2>Die Datei hat Fehler</h2><p>Es wurde nichts geändert. Bitte "
         "korrigieren Sie die genannten Zeilen in Ihrer Tabelle und laden Sie die Datei erneut hoch.</p>"
         "<p><a href=\"/verwaltung/import\">Zurück zum Hochladen</a></p></div>\n";
    b += RowsTable(*c, plan, true, "Fehlerhafte Zeilen");
  } else if (plan.new_rows + plan.changed_rows == 0) {
    b += "<p class=\"notice\">Alle Werte der Datei sind schon so veröffentlicht; es gibt nichts zu importieren.</p>\n";
  } else {
    b += "<form method=\"post\" action=\"/verwaltung/import/" + Escape(pending_id) + "\" class=\"form\">\n" +
         CsrfField(visit.session.csrf) + "<button type=\"submit\">" +
         std::to_string(plan.new_rows + plan.changed_rows) + " Werte als Entwürfe übernehmen</button>\n</form>\n";
  }
  b += RowsTable(*c, plan, false, "Zeilen der Datei");
  return Frame(visit, std::move(page), plan.error_rows > 0 ? 422 : 200);
}

}  // namespace

Response ImportPage(Visit& visit) { return RenderUpload(visit, {}, 200); }

Response ImportPreview(Visit& visit) {
  const UploadedFile* file = nullptr;
  for (const UploadedFile& f : visit.files) {
    if (f.field == "datei") file = &f;
  }
  if (!file || file->content.empty()) {
    return RenderUpload(visit, {{"datei", "Bitte wählen Sie eine CSV-Datei aus."}}, 422);
  }
  auto plan = Plan(visit, file->content);
  if (!plan.ok()) {
    if (plan.status().code() != ErrorCode::kInvalidArgument) return StatusPage(visit, plan.status());
    return RenderUpload(visit, {{"datei", plan.status().message()}}, 422);
  }
  std::string id;
  if (plan->error_rows == 0) {
    id = accounts::RandomToken();
    // The decoded text is kept until confirmed; the confirmation plans it again against the
    // catalogue as it is then.
    std::string text(file->content);
    if (Status s = visit.office.workflow.store().SavePendingImport(
            {id, visit.actor.account_id, visit.office.now_ms(), file->file_name, std::move(text)});
        !s.ok()) {
      return StatusPage(visit, s);
    }
  }
  return RenderPreview(visit, *plan, file->file_name, id);
}

Response ImportConfirm(Visit& visit) {
  const int64_t now = visit.office.now_ms();
  auto pending = visit.office.workflow.store().TakePendingImport(visit.request.Param("import_id"),
                                                                 visit.actor.account_id, now - kPreviewValidMs);
  if (!pending.ok()) return StatusPage(visit, pending.status());
  auto plan = Plan(visit, pending->text);
  if (!plan.ok()) return StatusPage(visit, plan.status());
  if (plan->error_rows > 0) return RenderPreview(visit, *plan, pending->file_name, "");
  std::vector<review::ValueDraft> drafts;
  for (const sheets::ImportRow& row : plan->rows) {
    if (row.outcome != sheets::RowOutcome::kNew && row.outcome != sheets::RowOutcome::kChange) continue;
    review::ValueDraft d;
    d.action = row.outcome == sheets::RowOutcome::kNew ? review::DraftAction::kAdd : review::DraftAction::kCorrect;
    d.value = row.value;
    if (d.action == review::DraftAction::kCorrect) {
      d.reason = "Tabellenimport „" + pending->file_name + "“, Zeile " + std::to_string(row.line);
    }
    drafts.push_back(std::move(d));
  }
  auto stored = visit.office.workflow.ProposeBatch(visit.actor, std::move(drafts), pending->id, visit.From(), now);
  if (!stored.ok()) return StatusPage(visit, stored.status());
  return Redirect("/verwaltung?hinweis=import");
}

Response ImportTemplate(Visit&) {
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = sheets::ImportTemplate();
  r.With("Content-Disposition", "attachment; filename=\"werte-vorlage.csv\"");
  return NoStore(r);
}

Response PublishBatch(Visit& visit) {
  auto published = visit.office.workflow.PublishBatch(visit.actor, visit.request.Param("batch"), visit.From(),
                                                      visit.office.now_ms());
  if (!published.ok()) return StatusPage(visit, published.status());
  return Redirect("/verwaltung/pruefung?hinweis=stapel");
}

Response Export(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  const std::string& name = visit.request.Param("name");
  Response r;
  if (name == "bericht.xlsx") {
    auto xlsx = sheets::ToXlsx({sheets::KpiFigures(*c), sheets::AllValues(*c)});
    if (!xlsx.ok()) return StatusPage(visit, xlsx.status());
    r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    r.body = std::move(xlsx).value();
  } else if (name == "kennzahlen.csv" || name == "werte.csv") {
    r.content_type = "text/csv; charset=utf-8";
    r.body = sheets::ToGermanCsv(name == "werte.csv" ? sheets::AllValues(*c) : sheets::KpiFigures(*c));
  } else {
    return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen Export gibt es nicht.");
  }
  r.With("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return NoStore(r);
}

}  // namespace datenwerk::verwaltung
