#include "echo/subscription_pages.h"

#include <charconv>

#include "accounts/password.h"
#include "echo/pages.h"
#include "echo/rate_limit.h"
#include "echo/uploads.h"
#include "web/html.h"

namespace datenwerk::echo {

using web::Escape;

namespace {

constexpr const char* kPath = "/buergerecho/benachrichtigungen";

// "höchstens einmal am Tag", "höchstens alle 6 Stunden", …
std::string HowOften(int64_t every_ms) {
  struct Unit {
    int64_t ms;
    const char* once;
    const char* many;
  };
  for (const Unit& u : {Unit{86'400'000, "einmal am Tag", "Tage"}, Unit{3'600'000, "einmal in der Stunde", "Stunden"},
                        Unit{60'000, "einmal in der Minute", "Minuten"}, Unit{1'000, "einmal in der Sekunde", "Sekunden"}}) {
    if (every_ms % u.ms != 0 && u.ms > 1'000) continue;
    const int64_t n = std::max<int64_t>(1, every_ms / u.ms);
    return n == 1 ? std::string("höchstens ") + u.once : "höchstens alle " + std::to_string(n) + " " + u.many;
  }
  return "";
}

std::string Problem(const datenwerk::Status& s) {
  const std::string& f = s.field();
  if (f == "email") return "Bitte geben Sie eine gültige E-Mail-Adresse an.";
  if (f == "umkreis") return "Bitte wählen Sie einen der angebotenen Umkreise.";
  return "Bitte wählen Sie einen Stadtbezirk aus der Liste oder geben Sie eine Adresse oder Position an.";
}

http::Response FormPage(const FormState& s, const CityArea& area, const FormLimits& limits,
                        const web::PortalOptions& portal) {
  web::Page p = EchoPage("Benachrichtigungen für Ihr Gebiet");
  p.lead = "Erfahren Sie per E-Mail, was in Ihrem Stadtbezirk oder rund um eine Adresse gemeldet wird und wie die "
           "Meldungen vorankommen: " + HowOften(limits.digest_every_ms) + ", und nur, wenn sich etwas getan hat.";
  std::string b = ErrorSummary(s);
  b += std::string("<form class=\"form\" method=\"post\" action=\"") + kPath + "\">\n";
  b += FormErrorText(s, "email") +
       "<div class=\"field\"><label for=\"feld-email\">E-Mail-Adresse</label><p class=\"muted\" id=\"hilfe-email\">"
       "Zuerst erhalten Sie eine E-Mail mit einem Link zur Bestätigung. Ihre Adresse wird nie veröffentlicht. Mit dem "
       "Link in jeder Nachricht melden Sie sich ab; dann ist Ihre Adresse gelöscht. Unbestätigte Anmeldungen löschen "
       "wir nach 7 Tagen.</p><input id=\"feld-email\" name=\"email\" type=\"email\" autocomplete=\"email\" required "
       "value=\"" + Escape(FormFirst(s, "email")) + "\"" + FormInvalid(s, "email", "hilfe-email") +
       "></div>\n";
  b += "<fieldset><legend>Gebiet</legend>\n" + FormErrorText(s, "bezirk") +
       "<div class=\"field\"><label for=\"feld-bezirk\">Stadtbezirk</label><select id=\"feld-bezirk\" name=\"bezirk\"" +
       FormInvalid(s, "bezirk") + "><option value=\"\">Keiner, sondern ein Umkreis (siehe unten)</option>";
  if (area.districts) {
    for (const std::string& d : area.districts->Names()) {
      b += "<option value=\"" + Escape(d) + "\"" + (FormFirst(s, "bezirk") == d ? " selected" : "") + ">" + Escape(d) +
           "</option>";
    }
  }
  b += "</select></div>\n<p class=\"muted\" id=\"hilfe-umkreis\">Oder ein Umkreis um eine Adresse (Straße und "
       "Hausnummer) oder um eine Position (Breiten- und Längengrad).</p>\n" + FormErrorText(s, "adresse") +
       "<div class=\"field\"><label for=\"feld-adresse\">Adresse</label><input id=\"feld-adresse\" name=\"adresse\" "
       "autocomplete=\"street-address\" value=\"" + Escape(FormFirst(s, "adresse")) + "\"" +
       FormInvalid(s, "adresse", "hilfe-umkreis") + "></div>\n" + FormErrorText(s, "breite") +
       "<div class=\"field\"><label for=\"feld-breite\">Breitengrad</label><input id=\"feld-breite\" name=\"breite\" "
       "inputmode=\"decimal\" value=\"" + Escape(FormFirst(s, "breite")) + "\"" + FormInvalid(s, "breite") + "></div>\n"
       "<div class=\"field\"><label for=\"feld-laenge\">Längengrad</label><input id=\"feld-laenge\" name=\"laenge\" "
       "inputmode=\"decimal\" value=\"" + Escape(FormFirst(s, "laenge")) + "\"></div>\n" + FormErrorText(s, "umkreis") +
       "<div class=\"field\"><label for=\"feld-umkreis\">Umkreis</label><select id=\"feld-umkreis\" name=\"umkreis\"" +
       FormInvalid(s, "umkreis") + ">";
  const std::string chosen = FormFirst(s, "umkreis").empty() ? "500" : FormFirst(s, "umkreis");
  for (double r : kSubscriptionRadii) {
    const std::string value = std::to_string(static_cast<int>(r));
    b += "<option value=\"" + value + "\"" + (chosen == value ? " selected" : "") + ">" +
         (r >= 1000 ? std::to_string(static_cast<int>(r / 1000)) + " km" : value + " m") + "</option>";
  }
  b += "</select></div>\n</fieldset>\n"
       // A field people do not see and bots fill in.
       "<div class=\"visually-hidden\" aria-hidden=\"true\"><label for=\"feld-homepage\">Bitte leer lassen</label>"
       "<input id=\"feld-homepage\" name=\"homepage\" tabindex=\"-1\" autocomplete=\"off\"></div>\n"
       "<button type=\"submit\">Anmelden</button>\n</form>\n";
  p.body = std::move(b);
  return web::RenderPage(portal, p, s.errors.empty() ? 200 : 422);
}

http::Response Notice(const std::string& title, const std::string& body_html, const web::PortalOptions& portal,
                      int status = 200) {
  web::Page p = EchoPage(title);
  p.body = body_html;
  return web::RenderPage(portal, p, status);
}

http::Response UnknownLink(const web::PortalOptions& portal) {
  return Notice("Link unbekannt",
                "<p>Diesen Link kennen wir nicht (mehr). Vielleicht sind Sie schon abgemeldet, oder die 7 Tage für die "
                "Bestätigung sind vorbei.</p><p><a href=\"" + std::string(kPath) + "\">Neu anmelden</a></p>",
                portal, 404);
}

// A page whose only action is one button (POST to the same address).
std::string ButtonForm(const std::string& action, const std::string& label) {
  return "<form method=\"post\" action=\"" + Escape(action) + "\"><button type=\"submit\">" + label + "</button></form>\n";
}

}  // namespace

void RegisterSubscriptionPages(http::Router& router, SubscriptionStore& store, const CityArea& area,
                               AddressLocator& locator, const Clock& clock, const web::PortalOptions& portal,
                               std::string base_url, FormLimits limits) {
  auto limiter = MakeLimiter(limits, "buergerecho.abonnements");
  router.Add("GET", kPath, [&area, &portal, limits](const http::Request& r) {
    FormState s;
    if (!r.Query("bezirk").empty()) s.values["bezirk"] = {r.Query("bezirk")};
    return FormPage(s, area, limits, portal);
  });
  router.Add("POST", kPath, [&store, &area, &locator, &clock, &portal, base_url, limits,
                             limiter](const http::Request& r) {
    int64_t wait_ms = 0;
    if (!limiter->Allow(r.remote_address, clock.NowMs(), &wait_ms)) return BusyPage(wait_ms, portal);
    auto form = ParseFiling(r.Header("content-type"), r.body);
    if (!form.ok() || !form->files.empty()) {
      return Notice("Ungültige Eingabe", "<p>Das Formular kam unlesbar an.</p>", portal, 400);
    }
    FormState s;
    for (const auto& [name, value] : form->fields) s.values[name].push_back(value);
    const http::Response check_mail = Notice(
        "Bitte bestätigen Sie Ihre Adresse",
        "<p>Wenn die Adresse stimmt, erhalten Sie in wenigen Minuten eine E-Mail mit einem Link. Erst wenn Sie ihn "
        "öffnen und bestätigen, schicken wir Ihnen Benachrichtigungen.</p><p>Keine E-Mail erhalten? Sehen Sie bitte "
        "auch im Spam-Ordner nach. Für dieselbe Adresse schicken wir höchstens eine Bestätigung am Tag.</p>",
        portal);
    if (!FormFirst(s, "homepage").empty()) return check_mail;  // a bot: it learns nothing

    SubscriptionArea wanted;
    wanted.district = FormFirst(s, "bezirk");
    if (wanted.district.empty()) {
      const std::string lat = FormFirst(s, "breite"), lon = FormFirst(s, "laenge"), typed = FormFirst(s, "adresse");
      if (!lat.empty() || !lon.empty()) {
        wanted.lat = ParseDecimal(lat);
        wanted.lon = ParseDecimal(lon);
        if (!wanted.lat || !wanted.lon) {
          s.errors["breite"] = "Bitte geben Sie Breiten- und Längengrad als Zahlen an (zum Beispiel 51,4818 und 7,2162).";
        }
      } else if (!typed.empty()) {
        auto found = locator.Locate(typed);
        if (!found.ok()) return http::ErrorResponse(found.status());
        if (*found) {
          wanted.lat = (*found)->lat;
          wanted.lon = (*found)->lon;
        } else {
          s.errors["adresse"] = "Diese Adresse finden wir in der Stadt nicht. Bitte prüfen Sie Straße und Hausnummer "
                                "oder wählen Sie einen Stadtbezirk.";
        }
      }
      if (wanted.lat && wanted.lon && area.boundary &&
          !area.boundary->IndexAt(*wanted.lon, *wanted.lat, kSnapMetres)) {
        s.errors["breite"] = "Diese Position liegt außerhalb der Stadt.";
      }
      const std::string radius = FormFirst(s, "umkreis");
      int metres = 0;
      auto [end, ec] = std::from_chars(radius.data(), radius.data() + radius.size(), metres);
      wanted.radius_m = ec == std::errc() && end == radius.data() + radius.size() ? metres : -1;
    }
    auto checked = CheckNewSubscription(FormFirst(s, "email"), wanted,
                                        area.districts ? area.districts->Names() : std::vector<std::string>{},
                                        accounts::RandomToken(), clock.NowMs());
    if (!checked.ok() && !(checked.status().field() == "bezirk" && (s.errors.count("adresse") || s.errors.count("breite")))) {
      s.errors.emplace(checked.status().field(), Problem(checked.status()));
    }
    if (!s.errors.empty()) return FormPage(s, area, limits, portal);
    auto added = store.Add(*checked, ConfirmationMail(*checked, base_url, clock.NowMs()));
    if (!added.ok()) return http::ErrorResponse(added.status());
    return check_mail;  // the same whether stored or held back (the address's owner is not told apart)
  });

  const std::string confirm = std::string(kPath) + "/bestaetigen/";
  const std::string end = std::string(kPath) + "/abmelden/";
  router.Add("GET", confirm + "{token}", [&store, &portal, confirm, end](const http::Request& r) {
    auto found = store.ByToken(r.Param("token"));
    if (!found.ok()) return http::ErrorResponse(found.status());
    if (!*found) return UnknownLink(portal);
    const Subscription& s = **found;
    if (s.confirmed_ms) {
      return Notice("Schon bestätigt", "<p>Ihre Benachrichtigungen für „" + Escape(AreaLabel(s.area)) +
                                           "“ sind bestätigt.</p>" + ButtonForm(end + s.token, "Abmelden"), portal);
    }
    return Notice("Benachrichtigungen bestätigen",
                  "<p>Möchten Sie Benachrichtigungen zu Meldungen im Gebiet „" + Escape(AreaLabel(s.area)) +
                      "“ erhalten?</p>" + ButtonForm(confirm + s.token, "Ja, Benachrichtigungen erhalten"),
                  portal);
  });
  router.Add("POST", confirm + "{token}", [&store, &clock, &portal, end, limits](const http::Request& r) {
    auto confirmed = store.Confirm(r.Param("token"), clock.NowMs());
    if (!confirmed.ok()) {
      if (confirmed.status().code() == ErrorCode::kNotFound) return UnknownLink(portal);
      return http::ErrorResponse(confirmed.status());
    }
    return Notice("Angemeldet", "<p>Danke! Sie erfahren ab jetzt " + HowOften(limits.digest_every_ms) +
                                    ", was im Gebiet „" + Escape(AreaLabel(confirmed->area)) +
                                    "“ gemeldet wird und wie es vorangeht.</p><p>Abmelden können Sie sich mit dem Link "
                                    "in jeder Nachricht oder <a href=\"" + Escape(end + confirmed->token) +
                                    "\">hier</a>.</p>",
                  portal);
  });
  router.Add("GET", end + "{token}", [&store, &portal, end](const http::Request& r) {
    auto found = store.ByToken(r.Param("token"));
    if (!found.ok()) return http::ErrorResponse(found.status());
    if (!*found) return UnknownLink(portal);
    return Notice("Abmelden", "<p>Keine Benachrichtigungen mehr für „" + Escape(AreaLabel((*found)->area)) +
                                  "“? Dann löschen wir Ihre Anmeldung und Ihre Adresse.</p>" +
                                  ButtonForm(end + (*found)->token, "Abmelden"),
                  portal);
  });
  router.Add("POST", end + "{token}", [&store, &portal](const http::Request& r) {
    Status removed = store.Remove(r.Param("token"));
    if (removed.code() == ErrorCode::kNotFound) return UnknownLink(portal);
    if (!removed.ok()) return http::ErrorResponse(removed);
    return Notice("Abgemeldet", "<p>Sie erhalten keine Benachrichtigungen mehr; Ihre Adresse ist gelöscht.</p>"
                                "<p><a href=\"/buergerecho\">Zu den Meldungen</a></p>",
                  portal);
  });
}

}  // namespace datenwerk::echo
