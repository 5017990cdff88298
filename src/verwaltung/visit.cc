#include "verwaltung/visit.h"

#include <algorithm>

#include "accounts/password.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Request;
using http::Response;
using web::Escape;

const std::string& Visit::Form(const std::string& name) const { return FormValue(form, name); }

Response& NoStore(Response& response) {
  response.With("Cache-Control", "no-store");
  return response;
}

std::string CookieHeader(const BackOffice& office, const Request& request, const std::string& name,
                         const std::string& value) {
  bool secure = office.secure_cookies || request.Header("x-forwarded-proto") == "https";
  std::string cookie = name + "=" + value + "; Path=/verwaltung; HttpOnly; SameSite=Strict";
  if (secure) cookie += "; Secure";
  if (value.empty()) cookie += "; Max-Age=0";
  return cookie;
}

std::string PreSessionToken(const Request& request) {
  auto cookies = ParseCookies(request.Header("cookie"));
  auto it = cookies.find(kPreSessionCookie);
  if (it != cookies.end() && it->second.size() == 43) return it->second;
  return accounts::RandomToken();
}

Response Redirect(const std::string& location) {
  Response r;
  r.status = 303;
  r.content_type = "text/plain; charset=utf-8";
  r.With("Location", location);
  return NoStore(r);
}

namespace {

std::string Nav(const Visit& visit, web::Page& page) {
  page.nav = {{"/verwaltung", "Übersicht"}, {"/verwaltung/indikatoren", "Indikatoren"},
              {"/verwaltung/massnahmen", "Maßnahmen"}};
  if (RoleAllows(visit.actor.role, Role::kEditor)) page.nav.emplace_back("/verwaltung/import", "Import und Export");
  if (visit.office.reports) page.nav.emplace_back("/verwaltung/buergerecho", "BürgerEcho");
  if (RoleAllows(visit.actor.role, Role::kReviewer)) page.nav.emplace_back("/verwaltung/pruefung", "Prüfen");
  if (visit.actor.role == Role::kAdministrator) {
    page.nav.emplace_back("/verwaltung/konten", "Konten");
    page.nav.emplace_back("/verwaltung/offene-daten", "Offene Daten");
    page.nav.emplace_back("/verwaltung/protokoll", "Protokoll");
    page.nav.emplace_back("/verwaltung/einstellungen", "Einstellungen");
  }
  page.nav.emplace_back("/", "Zum Portal");
  return "<form class=\"signout\" method=\"post\" action=\"/verwaltung/abmelden\">" + CsrfField(visit.session.csrf) +
         "<span>" + Escape(visit.session.account.name) + " (" + RoleName(visit.actor.role) +
         ")</span> <button type=\"submit\">Abmelden</button></form>\n";
}

// Wide tables scroll inside their wrapper (reflow at 320 px): each wrapper becomes a focusable
// region named by its table's caption, so that keyboard users can scroll it too (WCAG 2.1.1).
void FocusableTableRegions(std::string& body) {
  static const std::string kPlain = "<div class=\"table-wrap\"><table>\n<caption>";
  int n = 0;
  for (size_t at = body.find(kPlain); at != std::string::npos; at = body.find(kPlain, at)) {
    const std::string id = "tabelle-" + std::to_string(++n);
    const std::string focusable = "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"" + id +
                                  "\"><table>\n<caption id=\"" + id + "\">";
    body.replace(at, kPlain.size(), focusable);
    at += focusable.size();
  }
}

}  // namespace

Response Frame(const Visit& visit, web::Page page, int status) {
  page.header_extra = Nav(visit, page);
  FocusableTableRegions(page.body);
  if (page.breadcrumbs.empty() && page.current_nav != "/verwaltung") {
    page.breadcrumbs.emplace_back("Verwaltung", "/verwaltung");
  }
  Response r = web::RenderPage(visit.office.portal, page, status);
  return NoStore(r);
}

Response PublicFrame(const BackOffice& office, web::Page page, int status) {
  page.nav = {{"/verwaltung/anmelden", "Anmelden"}, {"/", "Zum Portal"}};
  Response r = web::RenderPage(office.portal, page, status);
  return NoStore(r);
}

Response ErrorPage(const Visit* visit, const BackOffice& office, int status, const std::string& title,
                   const std::string& message) {
  web::Page page;
  page.title = title;
  page.body = "<p>" + Escape(message) + "</p>\n<p><a href=\"/verwaltung\">Zur Übersicht der Verwaltung</a></p>\n";
  return visit ? Frame(*visit, std::move(page), status) : PublicFrame(office, std::move(page), status);
}

Response TooLargePage(const BackOffice& office, size_t limit) {
  return ErrorPage(nullptr, office, 413, "Datei zu groß",
                   "Die Datei ist größer als " + std::to_string(limit >> 20) +
                       " MB und wurde nicht angenommen; es wurde nichts geändert. Bitte teilen Sie die Tabelle auf "
                       "mehrere Dateien auf.");
}

Response StatusPage(const Visit& visit, const Status& status) {
  int code = http::HttpStatusFor(status.code());
  if (code >= 500) {
    Response r = ErrorPage(&visit, visit.office, code, "Ein Fehler ist aufgetreten",
                           "Die Aktion konnte nicht ausgeführt werden; es wurde nichts geändert. Bitte versuchen "
                           "Sie es später noch einmal.");
    r.log_detail = status.message() + " " + status.detail();
    return r;
  }
  const char* title = code == 403 ? "Nicht erlaubt" : code == 404 ? "Nicht gefunden" : code == 409 ? "Konflikt"
                                                                                      : "Eingabe prüfen";
  return ErrorPage(&visit, visit.office, code, title, status.message());
}

std::vector<std::string> OfficeScopes(const review::Actor& actor) {
  std::vector<std::string> offices;
  for (const std::string& s : actor.scopes) {
    if (s.starts_with(kOfficeScope)) offices.push_back(s.substr(kOfficeScope.size()));
  }
  return offices;
}

bool MayHandleReportsOf(const review::Actor& actor, const std::string& office) {
  if (!RoleAllows(actor.role, Role::kEditor)) return false;
  if (actor.role != Role::kEditor) return true;
  const std::vector<std::string> own = OfficeScopes(actor);
  return own.empty() || std::find(own.begin(), own.end(), office) != own.end();
}

std::string Notice(const Request& request) {
  static const std::pair<const char*, const char*> kNotices[] = {
      {"entwurf", "Ihr Wert ist als Entwurf gespeichert und wartet auf Prüfung."},
      {"veroeffentlicht", "Der Wert ist veröffentlicht."},
      {"abgelehnt", "Der Entwurf ist abgelehnt; die Autorin oder der Autor sieht Ihre Anmerkung."},
      {"konto", "Das Konto ist angelegt."},
      {"gespeichert", "Die Änderung ist gespeichert."},
      {"import", "Die Werte der Tabelle sind als Entwürfe gespeichert und warten auf Prüfung."},
      {"stapel", "Alle Werte des Imports sind veröffentlicht."},
      {"abgemeldet", "Sie sind abgemeldet."},
      {"passwort", "Ihr Passwort ist geändert. Bitte melden Sie sich damit an."},
      {"meldung", "Die Meldung ist geändert; wer eine E-Mail-Adresse angegeben hat, erhält eine Nachricht."},
      {"moderiert", "Die Sichtbarkeit ist geändert und im Protokoll vermerkt."},
      {"gebiete", "Die Zuständigkeitsgebiete sind geändert und im Protokoll vermerkt; sie gelten ab der nächsten Meldung."},
  };
  const std::string& code = request.Query("hinweis");
  for (const auto& [key, text] : kNotices) {
    if (code == key) return std::string("<p class=\"notice\" role=\"status\">") + text + "</p>\n";
  }
  return "";
}

http::Handler Gate(BackOffice& office, Role needed, PageFn page) {
  return [&office, needed, page = std::move(page)](const Request& request) -> Response {
    auto cookies = ParseCookies(request.Header("cookie"));
    auto it = cookies.find(kSessionCookie);
    std::optional<accounts::Session> session;
    if (it != cookies.end()) {
      auto resolved = office.auth.Resolve(it->second, office.now_ms());
      if (!resolved.ok()) {
        Response r = ErrorPage(nullptr, office, 503, "Vorübergehend nicht verfügbar",
                               "Die Anmeldung kann gerade nicht geprüft werden. Bitte versuchen Sie es gleich noch einmal.");
        r.log_detail = resolved.status().message();
        return r;
      }
      session = std::move(resolved).value();
    }
    if (!session) {
      if (request.method != "GET") {
        return ErrorPage(nullptr, office, 401, "Bitte melden Sie sich an",
                         "Ihre Sitzung ist abgelaufen oder Sie sind nicht angemeldet. Es wurde nichts geändert.");
      }
      return Redirect("/verwaltung/anmelden?weiter=" + http::PercentEncode(request.target));
    }
    Visit visit{office, request, *session, review::Actor::Of(session->account), {}};
    if (!RoleAllows(visit.actor.role, needed)) {
      return ErrorPage(&visit, office, 403, "Nicht erlaubt",
                       "Für diese Seite fehlt Ihrem Konto die nötige Rolle.");
    }
    if (request.method == "POST") {
      const std::string& type = request.Header("content-type");
      if (type.rfind("multipart/form-data", 0) == 0) {
        auto form = ParseMultipart(type, request.body);
        if (!form.ok()) return ErrorPage(&visit, office, 400, "Formular nicht lesbar", form.status().message());
        visit.form = std::move(form->fields);
        visit.files = std::move(form->files);
      } else if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
        auto form = ParseForm(request.body);
        if (!form.ok()) return ErrorPage(&visit, office, 400, "Formular nicht lesbar", form.status().message());
        visit.form = std::move(form).value();
      } else {
        return ErrorPage(&visit, office, 415, "Formular nicht lesbar",
                         "Dieses Formular nimmt nur normale Formulardaten an. Es wurde nichts geändert.");
      }
      if (!accounts::SameSecret(visit.Form("csrf"), session->csrf)) {
        return ErrorPage(&visit, office, 403, "Formular abgelaufen",
                         "Das Formular war nicht mehr gültig (Schutz vor untergeschobenen Anfragen). Bitte laden "
                         "Sie die Seite neu und senden Sie es noch einmal. Es wurde nichts geändert.");
      }
    }
    return page(visit);
  };
}

}  // namespace datenwerk::verwaltung
