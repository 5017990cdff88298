// Password reset by a one-time link through the mail outbox. The answer to a request never says
// whether an account exists; the link is valid for an hour and once.
#include "accounts/password.h"
#include "core/url.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Request;
using http::Response;
using web::Escape;

namespace {

// A form for people who are not signed in: protected by the pre-session cookie token.
Response PublicForm(BackOffice& office, const Request& request, web::Page page, const std::string& pre, int status) {
  Response r = PublicFrame(office, std::move(page), status);
  r.With("Set-Cookie", CookieHeader(office, request, kPreSessionCookie, pre));
  return r;
}

Result<FormData> ReadPublicForm(const Request& request) {
  if (request.Header("content-type").rfind("application/x-www-form-urlencoded", 0) != 0) {
    return Status(ErrorCode::kUnsupportedMediaType, "Bitte nutzen Sie das Formular.", "formular");
  }
  auto form = ParseForm(request.body);
  if (!form.ok()) return form.status();
  auto cookies = ParseCookies(request.Header("cookie"));
  auto cookie = cookies.find(kPreSessionCookie);
  auto field = form->find("vorab");
  if (cookie == cookies.end() || field == form->end() || !accounts::SameSecret(cookie->second, field->second)) {
    return Status(ErrorCode::kPermissionDenied, "Das Formular war nicht mehr gültig. Bitte laden Sie die Seite neu.",
                  "email");
  }
  return form;
}

Response RequestForm(BackOffice& office, const Request& request, const std::string& pre, const std::string& email,
                     const FieldErrors& errors, const std::string& done, int status) {
  web::Page page;
  page.title = "Passwort vergessen";
  std::string& b = page.body;
  if (!done.empty()) {
    b += "<p class=\"notice\" role=\"status\">" + Escape(done) + "</p>\n";
  } else {
    b += ErrorSummary(errors, {"email"});
    b += "<p>Geben Sie die E-Mail-Adresse Ihres Kontos an. Sie bekommen einen Link, mit dem Sie innerhalb einer Stunde "
         "ein neues Passwort setzen können. Konten, die sich über das Verzeichnis der Stadt anmelden, ändern ihr "
         "Passwort dort.</p>\n";
    b += "<form method=\"post\" action=\"/verwaltung/passwort-vergessen\" class=\"form\" novalidate>\n"
         "<input type=\"hidden\" name=\"vorab\" value=\"" + Escape(pre) + "\">\n" +
         InputField({"email", "E-Mail-Adresse", "email", "", true, "username"}, email, errors) +
         "<button type=\"submit\">Link anfordern</button>\n</form>\n";
  }
  b += "<p><a href=\"/verwaltung/anmelden\">Zur Anmeldung</a></p>\n";
  return PublicForm(office, request, std::move(page), pre, status);
}

Response NewPasswordForm(BackOffice& office, const Request& request, const std::string& pre, const std::string& token,
                         const FieldErrors& errors, int status) {
  web::Page page;
  page.title = "Neues Passwort setzen";
  std::string& b = page.body;
  b += ErrorSummary(errors, {"passwort", "wiederholung"});
  b += "<form method=\"post\" action=\"/verwaltung/passwort-neu\" class=\"form\" novalidate>\n"
       "<input type=\"hidden\" name=\"vorab\" value=\"" + Escape(pre) + "\">\n"
       "<input type=\"hidden\" name=\"token\" value=\"" + Escape(token) + "\">\n" +
       InputField({"passwort", "Neues Passwort", "password", "Mindestens 12 Zeichen; ein Satz ist ein gutes Passwort.",
                   true, "new-password"},
                  "", errors) +
       InputField({"wiederholung", "Neues Passwort wiederholen", "password", "", true, "new-password"}, "", errors) +
       "<button type=\"submit\">Passwort setzen</button>\n</form>\n";
  return PublicForm(office, request, std::move(page), pre, status);
}

}  // namespace

Response ForgotPasswordPage(BackOffice& office, const Request& request) {
  return RequestForm(office, request, PreSessionToken(request), "", {}, "", 200);
}

Response ForgotPassword(BackOffice& office, const Request& request) {
  auto form = ReadPublicForm(request);
  const std::string pre = PreSessionToken(request);
  if (!form.ok()) {
    return RequestForm(office, request, pre, "", {{"email", form.status().message()}},
                       "", http::HttpStatusFor(form.status().code()));
  }
  const int64_t now = office.now_ms();
  auto token = office.auth.CreateReset(FormValue(*form, "email"), request.remote_address, now);
  if (!token.ok()) {
    if (token.status().code() == ErrorCode::kInvalidArgument) {
      return RequestForm(office, request, pre, FormValue(*form, "email"), {{"email", token.status().message()}}, "", 422);
    }
    Response r = ErrorPage(nullptr, office, 500, "Ein Fehler ist aufgetreten", "Bitte versuchen Sie es später noch einmal.");
    r.log_detail = token.status().message();
    return r;
  }
  if (*token && office.outbox) {
    const std::string email = accounts::NormaliseEmail(FormValue(*form, "email")).value();
    mail::Mail m{0, email, "Neues Passwort für die Verwaltung",
                 "Guten Tag,\n\nfür Ihr Konto wurde ein neues Passwort angefordert. Mit diesem Link können Sie es "
                 "innerhalb einer Stunde setzen:\n\n" +
                     office.base_url + "/verwaltung/passwort-neu?token=" + **token +
                     "\n\nWenn Sie das nicht angefordert haben, können Sie diese Nachricht ignorieren; Ihr Passwort "
                     "bleibt dann unverändert.\n",
                 "reset:" + accounts::TokenHash(**token), now};
    auto queued = office.outbox->Enqueue(m);
    if (!queued.ok()) {
      Response r = ErrorPage(nullptr, office, 500, "Ein Fehler ist aufgetreten", "Bitte versuchen Sie es später noch einmal.");
      r.log_detail = queued.status().message();
      return r;
    }
    if (office.mail_queued) office.mail_queued();
  }
  return RequestForm(office, request, pre, "", {},
                     "Wenn es zu dieser Adresse ein Konto gibt, ist eine E-Mail mit einem Link unterwegs. Er gilt eine "
                     "Stunde.",
                     200);
}

Response NewPasswordPage(BackOffice& office, const Request& request) {
  const std::string& token = request.Query("token");
  if (token.empty() || token.size() > 100) {
    return ErrorPage(nullptr, office, 404, "Link ungültig",
                     "Der Link ist ungültig oder abgelaufen. Bitte fordern Sie einen neuen an.");
  }
  return NewPasswordForm(office, request, PreSessionToken(request), token, {}, 200);
}

Response NewPassword(BackOffice& office, const Request& request) {
  auto form = ReadPublicForm(request);
  const std::string pre = PreSessionToken(request);
  if (!form.ok()) {
    return ErrorPage(nullptr, office, http::HttpStatusFor(form.status().code()), "Formular nicht lesbar",
                     form.status().message());
  }
  const std::string token = FormValue(*form, "token");
  if (FormValue(*form, "passwort") != FormValue(*form, "wiederholung")) {
    return NewPasswordForm(office, request, pre, token, {{"wiederholung", "Die beiden Passwörter stimmen nicht überein."}},
                           422);
  }
  Status s = office.auth.ResetPassword(token, FormValue(*form, "passwort"), request.remote_address, office.now_ms());
  if (s.code() == ErrorCode::kInvalidArgument) {
    return NewPasswordForm(office, request, pre, token, {{"passwort", s.message()}}, 422);
  }
  if (s.code() == ErrorCode::kNotFound) return ErrorPage(nullptr, office, 404, "Link ungültig", s.message());
  if (!s.ok()) {
    Response r = ErrorPage(nullptr, office, 500, "Ein Fehler ist aufgetreten", "Bitte versuchen Sie es später noch einmal.");
    r.log_detail = s.message();
    return r;
  }
  return Redirect("/verwaltung/anmelden?hinweis=passwort");
}

}  // namespace datenwerk::verwaltung
