// Administration: accounts (create, change role, themes, deactivate) and the audit trail
// (filter, export, chain check).
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

const std::vector<std::pair<std::string, std::string>>& RoleOptions() {
  static const std::vector<std::pair<std::string, std::string>> kRoles = {
      {"viewer", "Lesen (viewer)"},
      {"editor", "Erfassen (editor)"},
      {"reviewer", "Prüfen und veröffentlichen (reviewer)"},
      {"administrator", "Administration (administrator)"}};
  return kRoles;
}

// Checkboxes for the themes and fields of action an editor looks after.
std::string ScopeFieldset(const Catalogue& c, const std::vector<std::string>& selected) {
  auto checked = [&](const std::string& id) {
    return std::find(selected.begin(), selected.end(), id) != selected.end() ? " checked" : "";
  };
  std::string h = "<fieldset class=\"scopes\">\n<legend>Zuständig für (nur für die Rolle „Erfassen“)</legend>\n";
  for (const Theme& t : c.data().themes) {
    h += "<div class=\"field-check\"><input type=\"checkbox\" id=\"s-" + Escape(t.id) + "\" name=\"bereich_" +
         Escape(t.id) + "\" value=\"1\"" + checked(t.id) + "><label for=\"s-" + Escape(t.id) + "\">Thema " +
         Escape(t.name) + " (alle Handlungsfelder)</label></div>\n";
    for (const Field* f : c.FieldsOf(t.id)) {
      h += "<div class=\"field-check indent\"><input type=\"checkbox\" id=\"s-" + Escape(f->id) + "\" name=\"bereich_" +
           Escape(f->id) + "\" value=\"1\"" + checked(f->id) + "><label for=\"s-" + Escape(f->id) + "\">" +
           Escape(f->name) + "</label></div>\n";
    }
  }
  return h + "</fieldset>\n";
}

std::vector<std::string> ScopesOf(const Visit& visit, const Catalogue& c) {
  std::vector<std::string> scopes;
  for (const Theme& t : c.data().themes) {
    if (!visit.Form("bereich_" + t.id).empty()) scopes.push_back(t.id);
    for (const Field* f : c.FieldsOf(t.id)) {
      if (!visit.Form("bereich_" + f->id).empty()) scopes.push_back(f->id);
    }
  }
  return scopes;
}

Response RenderAccounts(Visit& visit, const FieldErrors& errors, int status) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  web::Page page;
  page.title = "Konten";
  page.current_nav = "/verwaltung/konten";
  std::string& b = page.body;
  b += Notice(visit.request);
  b += ErrorSummary(errors, {"email", "name", "rolle", "passwort"});
  auto accounts = visit.office.auth.store().All();
  if (!accounts.ok()) return StatusPage(visit, accounts.status());
  b += "<div class=\"table-wrap\"><table>\n<caption>Konten (" + std::to_string(accounts->size()) +
       ")</caption>\n<thead><tr><th scope=\"col\">Name</th><th scope=\"col\">E-Mail-Adresse</th><th scope=\"col\">Rolle"
       "</th><th scope=\"col\">Zuständig für</th><th scope=\"col\">Anmeldung</th><th scope=\"col\">Aktiv</th></tr></thead>\n<tbody>\n";
  for (const accounts::Account& a : *accounts) {
    std::string scopes;
    for (const std::string& s : a.scopes) scopes += (scopes.empty() ? "" : ", ") + s;
    b += "<tr><td>" + Escape(a.name) + "</td><td>" + Escape(a.email) + "</td><td>" + RoleName(a.role) + "</td><td>" +
         Escape(scopes.empty() ? "–" : scopes) + "</td><td>" + (a.directory ? "Verzeichnis (LDAP)" : "Passwort") +
         "</td><td>" + (a.active ? "ja" : "nein") + "</td></tr>\n";
  }
  b += "</tbody>\n</table></div>\n";
  b += "<h2>Neues Konto</h2>\n<form method=\"post\" action=\"/verwaltung/konten\" class=\"form\" novalidate>\n" +
       CsrfField(visit.session.csrf);
  b += InputField({"email", "E-Mail-Adresse", "email", "", true, "off"}, visit.Form("email"), errors);
  b += InputField({"name", "Name", "text", "Wie die Person in der Verwaltung und im Protokoll erscheint.", true, "off"},
             visit.Form("name"), errors);
  b += SelectField({"rolle", "Rolle"}, RoleOptions(), visit.Form("rolle").empty() ? "editor" : visit.Form("rolle"),
                   errors);
  b += ScopeFieldset(*c, ScopesOf(visit, *c));
  b += InputField({"verzeichnis", "Anmeldung über das Verzeichnis der Stadt (LDAP), ohne eigenes Passwort", "checkbox"},
             visit.Form("verzeichnis"), errors);
  b += InputField({"passwort", "Erstes Passwort", "password", "Mindestens 12 Zeichen; entfällt bei Verzeichniskonten.", false,
              "new-password"},
             "", errors);
  b += "<button type=\"submit\">Konto anlegen</button>\n</form>\n";
  return Frame(visit, std::move(page), status);
}

}  // namespace

Response AccountsPage(Visit& visit) { return RenderAccounts(visit, {}, 200); }

Response CreateAccount(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  accounts::Account account;
  account.email = visit.Form("email");
  account.name = visit.Form("name");
  account.directory = !visit.Form("verzeichnis").empty();
  account.scopes = ScopesOf(visit, *c);
  FieldErrors errors;
  if (auto role = ParseRole(visit.Form("rolle"))) {
    account.role = *role;
  } else {
    errors["rolle"] = "Bitte wählen Sie eine der angebotenen Rollen.";
  }
  if (account.name.empty()) errors["name"] = "Bitte geben Sie einen Namen an.";
  if (errors.empty()) {
    auto created = visit.office.auth.CreateAccount(account, visit.Form("passwort"), {visit.actor.audit_id, visit.From()},
                                                   visit.office.now_ms());
    if (created.ok()) return Redirect("/verwaltung/konten?hinweis=konto");
    const Status& s = created.status();
    if (s.code() != ErrorCode::kInvalidArgument && s.code() != ErrorCode::kConflict) return StatusPage(visit, s);
    errors[s.field().empty() ? "email" : s.field()] = s.message();
  }
  return RenderAccounts(visit, errors, 422);
}

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
  auto verification = visit.office.audit.Verify();
  if (verification.ok()) {
    b += verification->ok ? "<p class=\"notice\" role=\"status\">Kette geprüft: " + std::to_string(verification->entries) +
                                " Einträge, alle unverändert.</p>\n"
                          : "<p class=\"field-error\" role=\"alert\">Die Kette ist ab Eintrag " +
                                std::to_string(verification->first_broken_seq) + " verändert worden.</p>\n";
  }
  const http::Request& r = visit.request;
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

}  // namespace datenwerk::verwaltung
