// Accounts: the list, a new account, and one account's role, themes, name and state.
#include <algorithm>

#include "core/ids.h"
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

// Checkboxes for the themes and fields of action an editor looks after, and for the BürgerEcho
// offices whose reports they handle (visit.h: "stelle:<id>").
std::string ScopeFieldset(const Catalogue& c, const echo::Services* services, const std::vector<std::string>& selected) {
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
  h += "</fieldset>\n";
  if (services) {
    h += "<fieldset class=\"scopes\">\n<legend>BürgerEcho: Meldungen bearbeiten für (nur für die Rolle „Erfassen“; "
         "keine Auswahl: alle Stellen)</legend>\n";
    for (const echo::Office& o : services->Offices()) {
      const std::string scope = std::string(kOfficeScope) + o.id;
      h += "<div class=\"field-check\"><input type=\"checkbox\" id=\"st-" + Escape(o.id) + "\" name=\"stelle_" +
           Escape(o.id) + "\" value=\"1\"" + checked(scope) + "><label for=\"st-" + Escape(o.id) + "\">" +
           Escape(o.name) + "</label></div>\n";
    }
    h += "</fieldset>\n";
  }
  return h;
}

std::vector<std::string> ScopesOf(const Visit& visit, const Catalogue& c) {
  std::vector<std::string> scopes;
  for (const Theme& t : c.data().themes) {
    if (!visit.Form("bereich_" + t.id).empty()) scopes.push_back(t.id);
    for (const Field* f : c.FieldsOf(t.id)) {
      if (!visit.Form("bereich_" + f->id).empty()) scopes.push_back(f->id);
    }
  }
  if (visit.office.echo_services) {
    for (const echo::Office& o : visit.office.echo_services->Offices()) {
      if (!visit.Form("stelle_" + o.id).empty()) scopes.push_back(std::string(kOfficeScope) + o.id);
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
    b += "<tr><td><a href=\"/verwaltung/konten/" + std::to_string(a.id) + "\">" + Escape(a.name) + "</a></td><td>" + Escape(a.email) + "</td><td>" + RoleName(a.role) + "</td><td>" +
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
  b += ScopeFieldset(*c, visit.office.echo_services.get(), ScopesOf(visit, *c));
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

Result<accounts::Account> FindAccount(Visit& visit) {
  auto id = PositiveId(visit.request.Param("account_id"));
  if (!id) return NotFound("Dieses Konto gibt es nicht.", "konto");
  auto account = visit.office.auth.store().FindById(*id);
  if (!account.ok() && account.status().code() == ErrorCode::kNotFound) {
    return NotFound("Dieses Konto gibt es nicht.", "konto");
  }
  return account;
}

Response RenderAccount(Visit& visit, const accounts::Account& a, const FieldErrors& errors, int status) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  web::Page page;
  page.title = "Konto: " + a.name;
  page.current_nav = "/verwaltung/konten";
  page.breadcrumbs = {{"Verwaltung", "/verwaltung"}, {"Konten", "/verwaltung/konten"}};
  std::string& b = page.body;
  b += ErrorSummary(errors, {"name", "rolle"});
  b += "<p>E-Mail-Adresse: " + Escape(a.email) + " · Anmeldung: " + (a.directory ? "Verzeichnis (LDAP)" : "Passwort") +
       "</p>\n";
  const bool posted = !visit.form.empty();
  b += "<form method=\"post\" action=\"/verwaltung/konten/" + std::to_string(a.id) + "\" class=\"form\" novalidate>\n" +
       CsrfField(visit.session.csrf);
  b += InputField({"name", "Name", "text", "", true, "off"}, posted ? visit.Form("name") : a.name, errors);
  b += SelectField({"rolle", "Rolle"}, RoleOptions(), posted ? visit.Form("rolle") : RoleName(a.role), errors);
  b += ScopeFieldset(*c, visit.office.echo_services.get(), posted ? ScopesOf(visit, *c) : a.scopes);
  b += InputField({"aktiv", "Konto aktiv (ein deaktiviertes Konto kann sich nicht anmelden; seine Sitzungen enden)",
                   "checkbox"},
                  posted ? visit.Form("aktiv") : (a.active ? "1" : ""), errors);
  b += "<button type=\"submit\">Konto speichern</button>\n</form>\n";
  return Frame(visit, std::move(page), status);
}

}  // namespace

Response AccountPage(Visit& visit) {
  auto account = FindAccount(visit);
  if (!account.ok()) return StatusPage(visit, account.status());
  return RenderAccount(visit, *account, {}, 200);
}

Response UpdateAccount(Visit& visit) {
  auto account = FindAccount(visit);
  if (!account.ok()) return StatusPage(visit, account.status());
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  accounts::Account changed = *account;
  changed.name = visit.Form("name");
  changed.scopes = ScopesOf(visit, *c);
  changed.active = !visit.Form("aktiv").empty();
  FieldErrors errors;
  if (auto role = ParseRole(visit.Form("rolle"))) {
    changed.role = *role;
  } else {
    errors["rolle"] = "Bitte wählen Sie eine der angebotenen Rollen.";
  }
  if (changed.name.empty()) errors["name"] = "Bitte geben Sie einen Namen an.";
  if (changed.id == visit.actor.account_id && (changed.role != Role::kAdministrator || !changed.active)) {
    errors["rolle"] = "Ihr eigenes Konto können Sie nicht herabstufen oder deaktivieren; das macht eine andere "
                      "Administratorin oder ein anderer Administrator.";
  }
  if (errors.empty()) {
    Status s = visit.office.auth.UpdateAccount(changed, {visit.actor.audit_id, visit.From()}, visit.office.now_ms());
    if (s.ok()) return Redirect("/verwaltung/konten?hinweis=gespeichert");
    if (s.code() != ErrorCode::kInvalidArgument) return StatusPage(visit, s);
    errors[s.field().empty() ? "name" : s.field()] = s.message();
  }
  return RenderAccount(visit, *account, errors, 422);
}

}  // namespace datenwerk::verwaltung
