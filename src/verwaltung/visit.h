// One request to the back office, after the gate: the signed-in person, the form they sent, and
// the helpers every page uses (frame, redirects, messages). Private to the module.
#pragma once

#include <optional>
#include <string>

#include "review/draft.h"
#include "verwaltung/backoffice.h"
#include "verwaltung/form.h"
#include "verwaltung/multipart.h"

namespace datenwerk::verwaltung {

constexpr const char* kSessionCookie = "dw_sitzung";
constexpr const char* kPreSessionCookie = "dw_vorab";  // CSRF token of the sign-in form

struct Visit {
  BackOffice& office;
  const http::Request& request;
  accounts::Session session;
  review::Actor actor;
  FormData form;  // POST only
  std::vector<UploadedFile> files;  // POST multipart/form-data only
  std::string From() const { return request.remote_address; }
  const std::string& Form(const std::string& name) const;
};

using PageFn = std::function<http::Response(Visit&)>;

// BürgerEcho's offices as scopes of the roles: "stelle:<office id>" among an editor's scopes. An
// editor with such scopes handles only the reports of those offices; one without any handles
// all (the coordinating office); reviewers and administrators handle all, viewers none.
inline constexpr std::string_view kOfficeScope = "stelle:";
std::vector<std::string> OfficeScopes(const review::Actor& actor);
bool MayHandleReportsOf(const review::Actor& actor, const std::string& office);

// The gate: a session of at least `needed` (else a redirect to the sign-in page, or 403); for
// POST also a URL-encoded form with the session's CSRF token (else 403/415, nothing changes).
http::Handler Gate(BackOffice& office, Role needed, PageFn page);

// A page in the back office's frame (its navigation, the sign-out button), "no-store".
http::Response Frame(const Visit& visit, web::Page page, int status = 200);
// A page for people not signed in (sign-in, password reset).
http::Response PublicFrame(const BackOffice& office, web::Page page, int status = 200);
// 303 See Other to `location` (a path of ours).
http::Response Redirect(const std::string& location);
// An error page in German (403, 404, 409, 413, 415, 422 …).
http::Response ErrorPage(const Visit* visit, const BackOffice& office, int status, const std::string& title,
                         const std::string& message);
// The error page for a failed Status (its message is already German where it reaches people).
http::Response StatusPage(const Visit& visit, const Status& status);
// The notice for "?hinweis=<code>" after a redirect (fixed texts, never reflected input).
std::string Notice(const http::Request& request);
// Marks every response of the back office as private and not to be cached.
http::Response& NoStore(http::Response& response);
// The CSRF token of the forms for people not signed in: the one in the browser's pre-session
// cookie (several tabs may show a form), else a new one.
std::string PreSessionToken(const http::Request& request);
// "Set-Cookie" value for the session or pre-session cookie; an empty value clears it.
std::string CookieHeader(const BackOffice& office, const http::Request& request, const std::string& name,
                         const std::string& value);

}  // namespace datenwerk::verwaltung
