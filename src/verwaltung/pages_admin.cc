// Administration: the audit trail (filter, export, chain check) and the settings (self-publishing
// per theme, the mail outbox).
#include <algorithm>
#include <tuple>

#include "core/berlin_time.h"
#include "core/csv.h"
#include "core/dates.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

namespace {

// The audit filter from the query; the error names the parameter.
Result<audit::Filter> AuditFilter(const http::Request& r) {
  audit::Filter f;
  f.actor = r.Query("wer");
  f.action = r.Query("aktion");
  f.object = r.Query("objekt");
  for (const std::string* text : {&f.actor, &f.action, &f.object}) {
    if (text->size() > 200) return InvalidArgument("Suchtexte dürfen höchstens 200 Zeichen lang sein.", "wer");
  }
  for (auto [name, target, end] : {std::tuple{"von", &f.from_ms, false}, std::tuple{"bis", &f.to_ms, true}}) {
    const std::string& text = r.Query(name);
    if (text.empty()) continue;
    auto iso = ParseGermanOrIsoDate(text);
    auto days = iso ? DaysFromIsoDate(*iso) : std::nullopt;
    if (!days) return InvalidArgument("Bitte ein Datum im Format TT.MM.JJJJ angeben.", name);
    *target = (*days + (end ? 1 : 0)) * 86'400'000LL;
  }
  const std::string& page = r.Query("seite");
  int64_t number = 1;
  if (!page.empty()) {
    if (page.size() > 6 || page.find_first_not_of("0123456789") != std::string::npos || page == "0") {
      return InvalidArgument("Die Seite muss eine positive ganze Zahl sein.", "seite");
    }
    number = std::stoll(page);
  }
  f.limit = 100;
  f.offset = (number - 1) * 100;
  return f;
}

}  // namespace

Response AuditPage(Visit& visit) {
  web::Page page;
  page.title = "Protokoll";
  page.current_nav = "/verwaltung/protokoll";
  page.lead = "Jede Änderung und jede Anmeldung, unveränderlich und verkettet: Jeder Eintrag trägt den Hash des "
              "vorigen, sodass eine nachträgliche Änderung auffällt.";
  auto filter = AuditFilter(visit.request);
  FieldErrors errors;
  if (!filter.ok()) errors[filter.status().field()] = filter.status().message();
  std::string& b = page.body;
  const http::Request& r = visit.request;
  // The whole chain is read to check it (about 2.5 µs an entry): on request, not on every view.
  if (r.Query("pruefen") == "1") {
    auto verification = visit.office.audit.Verify();
    if (!verification.ok()) return StatusPage(visit, verification.status());
    b += verification->ok ? "<p class=\"notice\" role=\"status\">Kette geprüft: " + std::to_string(verification->entries) +
                                " Einträge, alle unverändert.</p>\n"
                          : "<p class=\"field-error\" role=\"alert\">Die Kette ist ab Eintrag " +
                                std::to_string(verification->first_broken_seq) + " verändert worden.</p>\n";
  } else {
    b += "<p><a href=\"/verwaltung/protokoll?pruefen=1\">Kette jetzt prüfen</a> (liest alle Einträge)</p>\n";
  }
  b += ErrorSummary(errors, {"wer", "aktion", "objekt", "von", "bis", "seite"});
  b += "<form method=\"get\" action=\"/verwaltung/protokoll\" class=\"filter form\">\n";
  b += InputField({"wer", "Wer (enthält)"}, r.Query("wer"), errors);
  b += InputField({"aktion", "Aktion (genau, z. B. anmeldung_fehlgeschlagen)"}, r.Query("aktion"), errors);
  b += InputField({"objekt", "Objekt (beginnt mit, z. B. kpi:SCBOK)"}, r.Query("objekt"), errors);
  b += InputField({"von", "Von (TT.MM.JJJJ)"}, r.Query("von"), errors);
  b += InputField({"bis", "Bis (TT.MM.JJJJ)"}, r.Query("bis"), errors);
  b += "<button type=\"submit\">Filtern</button>\n</form>\n";
  if (!filter.ok()) return Frame(visit, std::move(page), 400);
  auto entries = visit.office.audit.Find(*filter);
  auto count = visit.office.audit.Count(*filter);
  if (!entries.ok()) return StatusPage(visit, entries.status());
  if (!count.ok()) return StatusPage(visit, count.status());
  std::string query = "wer=" + http::PercentEncode(r.Query("wer")) + "&amp;aktion=" + http::PercentEncode(r.Query("aktion")) +
                      "&amp;objekt=" + http::PercentEncode(r.Query("objekt")) + "&amp;von=" +
                      http::PercentEncode(r.Query("von")) + "&amp;bis=" + http::PercentEncode(r.Query("bis"));
  b += "<p><a href=\"/verwaltung/protokoll.csv?" + query + "\">Gefilterte Einträge als CSV herunterladen</a></p>\n";
  b += "<div class=\"table-wrap\"><table>\n<caption>" + std::to_string(*count) +
       " Einträge, neueste zuerst</caption>\n<thead><tr><th scope=\"col\">Nr.</th><th scope=\"col\">Zeit</th>"
       "<th scope=\"col\">Wer</th><th scope=\"col\">Von wo</th><th scope=\"col\">Aktion</th><th scope=\"col\">Objekt</th>"
       "<th scope=\"col\">Vorher</th><th scope=\"col\">Nachher</th></tr></thead>\n<tbody>\n";
  for (const audit::Entry& e : *entries) {
    b += "<tr><td>" + std::to_string(e.seq) + "</td><td>" + BerlinTime(e.at_ms) + "</td><td>" + Escape(e.actor) +
         "</td><td>" + Escape(e.from) + "</td><td>" + Escape(e.action) + "</td><td>" + Escape(e.object) +
         "</td><td><code>" + Escape(e.before) + "</code></td><td><code>" + Escape(e.after) + "</code></td></tr>\n";
  }
  b += "</tbody>\n</table></div>\n";
  int64_t shown_to = filter->offset + static_cast<int64_t>(entries->size());
  int64_t page_number = filter->offset / 100 + 1;
  if (page_number > 1 || shown_to < *count) {
    b += "<nav aria-label=\"Seiten des Protokolls\"><p>";
    if (page_number > 1) {
      b += "<a href=\"/verwaltung/protokoll?" + query + "&amp;seite=" + std::to_string(page_number - 1) + "\">Neuere</a> ";
    }
    if (shown_to < *count) {
      b += "<a href=\"/verwaltung/protokoll?" + query + "&amp;seite=" + std::to_string(page_number + 1) + "\">Ältere</a>";
    }
    b += "</p></nav>\n";
  }
  return Frame(visit, std::move(page));
}

Response AuditCsv(Visit& visit) {
  auto filter = AuditFilter(visit.request);
  if (!filter.ok()) return StatusPage(visit, filter.status());
  std::string out = "\xEF\xBB\xBF";  // so that Excel reads UTF-8
  AppendCsvRow(out, {"nr", "zeit_utc", "wer", "von_wo", "aktion", "objekt", "vorher", "nachher", "hash"});
  filter->limit = 5000;
  constexpr int64_t kMaxRows = 100'000;  // a bounded answer; narrow the filter for more
  for (filter->offset = 0; filter->offset < kMaxRows; filter->offset += filter->limit) {
    auto entries = visit.office.audit.Find(*filter);
    if (!entries.ok()) return StatusPage(visit, entries.status());
    for (const audit::Entry& e : *entries) {
      AppendCsvRow(out, {std::to_string(e.seq), FormatRfc3339Ms(e.at_ms), SpreadsheetSafe(e.actor),
                         SpreadsheetSafe(e.from), SpreadsheetSafe(e.action), SpreadsheetSafe(e.object),
                         SpreadsheetSafe(e.before), SpreadsheetSafe(e.after), e.hash});
    }
    if (static_cast<int64_t>(entries->size()) < filter->limit) break;
  }
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = std::move(out);
  r.With("Content-Disposition", "attachment; filename=\"protokoll.csv\"");
  return NoStore(r);
}

Response SettingsAdminPage(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  web::Page page;
  page.title = "Einstellungen";
  page.current_nav = "/verwaltung/einstellungen";
  std::string& b = page.body;
  b += Notice(visit.request);
  b += "<h2>Vier-Augen-Prinzip je Thema</h2>\n<p>Normalerweise veröffentlicht eine andere Person, was jemand erfasst "
       "hat. In Themen mit Selbstveröffentlichung dürfen Prüferinnen und Prüfer auch eigene Werte veröffentlichen "
       "(zum Beispiel, wenn ein Thema nur eine zuständige Person hat).</p>\n";
  b += "<form method=\"post\" action=\"/verwaltung/einstellungen\" class=\"form\">\n" + CsrfField(visit.session.csrf) +
       "<fieldset class=\"scopes\">\n<legend>Selbstveröffentlichung erlaubt</legend>\n";
  for (const Theme& t : c->data().themes) {
    const bool allowed = visit.office.workflow.SelfPublishAllowed(t.id);
    b += "<div class=\"field-check\"><input type=\"checkbox\" id=\"t-" + Escape(t.id) + "\" name=\"selbst_" +
         Escape(t.id) + "\" value=\"1\"" + (allowed ? " checked" : "") + "><label for=\"t-" + Escape(t.id) + "\">" +
         Escape(t.name) + "</label></div>\n";
  }
  b += "</fieldset>\n<button type=\"submit\">Einstellungen speichern</button>\n</form>\n";
  b += "<h2>Postausgang</h2>\n";
  if (!visit.office.outbox) return Frame(visit, std::move(page));
  auto mails = visit.office.outbox->Recent(50);
  if (!mails.ok()) return StatusPage(visit, mails.status());
  if (mails->empty()) {
    b += "<p>Noch keine Nachrichten.</p>\n";
  } else {
    b += "<div class=\"table-wrap\"><table>\n<caption>Die letzten Nachrichten (ohne Inhalt: Links zum Zurücksetzen "
         "von Passwörtern sind geheim)</caption>\n<thead><tr><th scope=\"col\">Erstellt</th><th scope=\"col\">An</th>"
         "<th scope=\"col\">Betreff</th><th scope=\"col\">Stand</th></tr></thead>\n<tbody>\n";
    for (const mail::Mail& m : *mails) {
      std::string state = m.sent_ms ? "gesendet " + BerlinTime(*m.sent_ms)
                                    : m.attempts == 0 ? std::string("wartet")
                                                      : "nicht zugestellt (" + std::to_string(m.attempts) +
                                                            " Versuche): " + m.last_error;
      b += "<tr><td>" + BerlinTime(m.created_ms) + "</td><td>" + Escape(m.to) + "</td><td>" + Escape(m.subject) +
           "</td><td>" + Escape(state) + "</td></tr>\n";
    }
    b += "</tbody>\n</table></div>\n";
  }
  return Frame(visit, std::move(page));
}

Response SaveSettings(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  for (const Theme& t : c->data().themes) {
    Status s = visit.office.workflow.SetSelfPublish(visit.actor, t.id, !visit.Form("selbst_" + t.id).empty(),
                                                    visit.From(), visit.office.now_ms());
    if (!s.ok()) return StatusPage(visit, s);
  }
  return Redirect("/verwaltung/einstellungen?hinweis=gespeichert");
}

}  // namespace datenwerk::verwaltung
