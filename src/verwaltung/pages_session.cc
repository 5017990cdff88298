// Sign-in and sign-out. The sign-in form is protected against cross-site posting by a token in a
// SameSite cookie that the form repeats; a successful sign-in always issues a new session token
// (a token planted before cannot be used) and ends the session the browser presented.
#include "accounts/password.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Request;
using http::Response;
using web::Escape;

namespace {

// Only our own back-office paths are followed after sign-in (no open redirect).
std::string SafeNext(const std::string& next) {
  if (next.rfind("/verwaltung", 0) != 0 || next.find("//") != std::string::npos || next.find('\\') != std::string::npos ||
      next.rfind("/verwaltung/anmelden", 0) == 0 || next.size() > 500) {
    return "/verwaltung";
  }
  return next;
}

Response SignInForm(BackOffice& office, const Request& request, const std::string& pre_token, const std::string& email,
                    const std::string& next, const FieldErrors& errors, int status) {
  web::Page page;
  page.title = "Anmelden";
  page.current_nav = "/verwaltung/anmelden";
  page.lead = "Anmeldung für das Smart-City-Team: Werte erfassen, prüfen und veröffentlichen.";
  std::string& b = page.body;
  b += Notice(request);
  b += ErrorSummary(errors, {"email", "passwort"});
  b += "<form method=\"post\" action=\"/verwaltung/anmelden\" class=\"form\" novalidate>\n";
  b += "<input type=\"hidden\" name=\"vorab\" value=\"" + Escape(pre_token) + "\">\n";
  b += "<input type=\"hidden\" name=\"weiter\" value=\"" + Escape(next) + "\">\n";
  b += InputField({"email", "E-Mail-Adresse", "email", "", true, "username"}, email, errors);
  b += InputField({"passwort", "Passwort", "password", "", true, "current-password"}, "", errors);
  b += "<button type=\"submit\">Anmelden</button>\n</form>\n";
  b += "<p><a href=\"/verwaltung/passwort-vergessen\">Passwort vergessen?</a></p>\n";
  Response r = PublicFrame(office, std::move(page), status);
  r.With("Set-Cookie", CookieHeader(office, request, kPreSessionCookie, pre_token));
  return r;
}

}  // namespace

Response SignInPage(BackOffice& office, const Request& request) {
  return SignInForm(office, request, PreSessionToken(request), "", SafeNext(request.Query("weiter")), {}, 200);
}

Response SignIn(BackOffice& office, const Request& request) {
  if (request.Header("content-type").rfind("application/x-www-form-urlencoded", 0) != 0) {
    return ErrorPage(nullptr, office, 415, "Formular nicht lesbar", "Bitte melden Sie sich über das Formular an.");
  }
  auto form = ParseForm(request.body);
  std::string pre = PreSessionToken(request);
  if (!form.ok()) return SignInForm(office, request, pre, "", "/verwaltung", {{"email", form.status().message()}}, 400);
  auto value = [&](const char* name) { return FormValue(*form, name); };
  std::string next = SafeNext(value("weiter"));
  auto cookies = ParseCookies(request.Header("cookie"));
  auto cookie = cookies.find(kPreSessionCookie);
  if (cookie == cookies.end() || !accounts::SameSecret(cookie->second, value("vorab"))) {
    return SignInForm(office, request, accounts::RandomToken(), value("email"), next,
                      {{"email", "Das Formular war nicht mehr gültig. Bitte melden Sie sich noch einmal an."}}, 403);
  }
  auto session = office.auth.SignIn(value("email"), value("passwort"), request.remote_address, office.now_ms());
  if (!session.ok()) {
    const Status& s = session.status();
    if (s.code() == ErrorCode::kInternal) {
      Response r = ErrorPage(nullptr, office, 500, "Ein Fehler ist aufgetreten", "Die Anmeldung ist gerade nicht möglich.");
      r.log_detail = s.message() + " " + s.detail();
      return r;
    }
    std::string field = s.field() == "email" ? "email" : "passwort";
    int status = s.code() == ErrorCode::kInvalidArgument ? 422
                 : s.field() == "sperre"                 ? 429
                 : s.code() == ErrorCode::kUnavailable   ? 503
                                                         : 401;
    return SignInForm(office, request, pre, value("email"), next, {{field, s.message()}}, status);
  }
  if (auto old = cookies.find(kSessionCookie); old != cookies.end()) {
    // Whatever session the browser had ends here (it may have been planted by someone else).
    IgnoreError(office.auth.store().DeleteSession(accounts::TokenHash(old->second)));
  }
  Response r = Redirect(next);
  r.With("Set-Cookie", CookieHeader(office, request, kSessionCookie, session->token));
  r.With("Set-Cookie", CookieHeader(office, request, kPreSessionCookie, ""));
  return r;
}

Response SignOut(Visit& visit) {
  auto cookies = ParseCookies(visit.request.Header("cookie"));
  if (auto it = cookies.find(kSessionCookie); it != cookies.end()) {
    if (Status s = visit.office.auth.SignOut(it->second, {visit.actor.audit_id, visit.From()}, visit.office.now_ms());
        !s.ok()) {
      return StatusPage(visit, s);
    }
  }
  Response r = Redirect("/verwaltung/anmelden?hinweis=abgemeldet");
  r.With("Set-Cookie", CookieHeader(visit.office, visit.request, kSessionCookie, ""));
  return r;
}

}  // namespace datenwerk::verwaltung
