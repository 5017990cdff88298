#include "echo/pages.h"

#include <fmt/format.h>

#include "core/berlin_time.h"
#include "web/html.h"

namespace datenwerk::echo {

using web::Escape;

namespace {


bool Has(const FormState& s, const std::string& name, const std::string& value) {
  const auto it = s.values.find(name);
  return it != s.values.end() && std::find(it->second.begin(), it->second.end(), value) != it->second.end();
}

std::string Position(const Report& r) {
  if (!r.lat) return "";
  return fmt::format("{:.5f} N, {:.5f} O", *r.lat, *r.lon);
}

std::string StatusBadge(ReportStatus s) {
  return std::string("<span class=\"stage\">") + StatusLabel(s) + "</span>";
}

std::string CategoryName(const Services& services, const std::string& code) {
  const Category* c = services.FindCategory(code);
  return c ? c->name : code;
}

std::string Paragraphs(const std::string& text) {
  std::string out = "<p>";
  for (char c : text) {
    if (c == '\n') out += "<br>";
    else out += Escape(std::string(1, c));
  }
  return out + "</p>\n";
}

// A map's holder: the base map (when configured) in data attributes for the script, and what
// is shown without JavaScript.
std::string MapHolder(const std::string& id, const std::string& label_id, const std::string& extra,
                      const std::string& without_script, const web::PortalOptions& portal) {
  return "<div id=\"" + id + "\" class=\"map\" role=\"region\" aria-labelledby=\"" + label_id + "\" data-tiles=\"" +
         Escape(portal.basemap.url_template) + "\" data-tiles-attribution=\"" + Escape(portal.basemap.attribution) +
         "\"" + extra + ">" + (without_script.empty() ? "" : "<p class=\"muted\">" + without_script + "</p>") +
         "</div>\n";
}

const char* kLeafletCss = "<link rel=\"stylesheet\" href=\"/static/leaflet.css\">\n";

}  // namespace

web::Page EchoPage(std::string title) {
  web::Page p;
  p.title = std::move(title);
  p.current_nav = "/buergerecho";
  p.breadcrumbs = {{"Start", "/"}, {"BürgerEcho", "/buergerecho"}};
  return p;
}

std::string FormFirst(const FormState& s, const std::string& name) {
  const auto it = s.values.find(name);
  return it == s.values.end() || it->second.empty() ? "" : it->second.front();
}

std::string FormInvalid(const FormState& s, const std::string& name, const std::string& hint) {
  if (!s.errors.count(name)) return hint.empty() ? "" : " aria-describedby=\"" + hint + "\"";
  return " aria-invalid=\"true\" aria-describedby=\"fehler-" + name + (hint.empty() ? "" : " " + hint) + "\"";
}

std::string FormErrorText(const FormState& s, const std::string& name) {
  const auto it = s.errors.find(name);
  if (it == s.errors.end()) return "";
  return "<p class=\"field-error\" id=\"fehler-" + name + "\">" + Escape(it->second) + "</p>\n";
}

std::string ErrorSummary(const FormState& s) {
  if (s.errors.empty()) return "";
  std::string b = "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\"><h2>Bitte prüfen Sie Ihre Angaben</h2><ul>";
  for (const auto& [field, message] : s.errors) {
    b += "<li><a href=\"#feld-" + Escape(field) + "\">" + Escape(message) + "</a></li>";
  }
  return b + "</ul></div>\n";
}

http::Response BusyPage(int64_t wait_ms, const web::PortalOptions& portal) {
  const int64_t minutes = (wait_ms + 59'999) / 60'000;
  http::Response busy = web::RenderPage(
      portal, {"Bitte etwas später", {{"Start", "/"}, {"BürgerEcho", "/buergerecho"}},
               "<p>Von diesem Anschluss kamen in kurzer Zeit viele Anfragen. Bitte versuchen Sie es in " +
                   std::to_string(minutes) + (minutes == 1 ? " Minute" : " Minuten") + " noch einmal.</p>"},
      429);
  return busy.With("Retry-After", std::to_string((wait_ms + 999) / 1000));
}

std::string GermanProblem(const datenwerk::Status& status) {
  const std::string& f = status.field();
  if (f == "description") return "Bitte beschreiben Sie Ihr Anliegen in höchstens 4.000 Zeichen.";
  if (f == "lat" || f == "long") {
    if (status.message().find("outside") != std::string::npos) {
      return "Diese Position liegt außerhalb der Stadt. Bitte wählen Sie einen Ort in der Stadt.";
    }
    return "Bitte geben Sie Breiten- und Längengrad an (zum Beispiel 51,4818 und 7,2162) oder eine Adresse.";
  }
  if (f == "address_string") return "Die Adresse darf höchstens 500 Zeichen lang sein und nur eine Zeile haben.";
  if (f == "email") return "Bitte geben Sie eine gültige E-Mail-Adresse an oder lassen Sie das Feld leer.";
  if (f == "first_name") return "Der Name darf höchstens 200 Zeichen lang sein und nur eine Zeile haben.";
  if (f.starts_with("attribute[")) {
    if (status.message() == "is required") return "Bitte beantworten Sie diese Frage.";
    return "Bitte wählen Sie eine der angebotenen Antworten.";
  }
  return "Die Angabe ist ungültig.";
}

http::Response ReportListPage(const ListView& v, const Services& services, const http::Request& r,
                              const web::PortalOptions& portal) {
  web::Page p = EchoPage("BürgerEcho: Meldungen");
  p.breadcrumbs = {{"Start", "/"}};
  p.lead = "Mängel und Anregungen, die Bürgerinnen und Bürger gemeldet haben, und wie weit sie bearbeitet sind. "
           "<a href=\"/buergerecho/melden\">Einen Mangel oder eine Idee melden</a> oder <a "
           "href=\"/buergerecho/benachrichtigungen\">per E-Mail erfahren, was in Ihrem Viertel gemeldet wird</a>.";
  std::string b = "<form class=\"filter\" method=\"get\" action=\"/buergerecho\" role=\"search\" "
                  "aria-label=\"Meldungen filtern\">\n<div><label for=\"f-kategorie\">Kategorie</label><br>"
                  "<select id=\"f-kategorie\" name=\"kategorie\"><option value=\"\">Alle</option>";
  for (const Category& c : services.Categories()) {
    b += "<option value=\"" + Escape(c.code) + "\"" + (r.Query("kategorie") == c.code ? " selected" : "") + ">" +
         Escape(c.name) + "</option>";
  }
  b += "</select></div>\n<div><label for=\"f-stand\">Stand</label><br><select id=\"f-stand\" name=\"stand\">";
  for (const auto& [value, label] : {std::pair{"", "Alle"}, {"offen", "Offen"}, {"erledigt", "Abgeschlossen"}}) {
    b += std::string("<option value=\"") + value + "\"" + (r.Query("stand") == value ? " selected" : "") + ">" + label +
         "</option>";
  }
  b += "</select></div>\n<div><label for=\"f-bezirk\">Stadtbezirk</label><br><select id=\"f-bezirk\" name=\"bezirk\">"
       "<option value=\"\">Alle</option>";
  for (const std::string& d : v.districts) {
    b += "<option value=\"" + Escape(d) + "\"" + (r.Query("bezirk") == d ? " selected" : "") + ">" + Escape(d) + "</option>";
  }
  b += "</select></div>\n";
  for (const auto& [name, label] : {std::pair{"von", "Gemeldet ab"}, {"bis", "Gemeldet bis"}}) {
    b += std::string("<div><label for=\"f-") + name + "\">" + label + "</label><br><input type=\"date\" id=\"f-" + name +
         "\" name=\"" + name + "\" value=\"" + Escape(r.Query(name).substr(0, 20)) + "\"></div>\n";
  }
  b += "<div><button type=\"submit\">Anzeigen</button></div>\n</form>\n";
  b += "<p role=\"status\">" + fmt::format("{} {}", v.total, v.total == 1 ? "Meldung" : "Meldungen") + "</p>\n";
  std::string filter;
  for (const char* name : {"kategorie", "stand", "bezirk", "von", "bis"}) {
    if (!r.Query(name).empty()) filter += (filter.empty() ? "" : "&") + std::string(name) + "=" + http::PercentEncode(r.Query(name));
  }
  b += "<h2 id=\"karte-titel\">Karte</h2>\n" +
       MapHolder("meldungskarte", "karte-titel", " data-filter=\"" + Escape(filter) + "\"",
                 "Die Karte braucht JavaScript. Alle Meldungen stehen auch in der Liste unten.", portal) +
       "<p class=\"muted\" id=\"karte-hilfe\">Zahlen in Kreisen fassen nahe Meldungen zusammen; Auswählen "
       "vergrößert die Karte dort. ● offene, ✓ abgeschlossene Meldung. Tabulator wählt einen Punkt, Eingabe öffnet "
       "ihn, Pfeiltasten verschieben die Karte.</p>\n<p id=\"karte-stand\" class=\"muted\" role=\"status\"></p>\n"
       "<h2 id=\"liste-titel\">Liste</h2>\n";
  if (!v.reports.empty()) {
    b += "<ul class=\"cards\">\n";
    for (const Report& x : v.reports) {
      b += "<li class=\"card\"><p><a href=\"/buergerecho/meldungen/" + std::to_string(x.id) + "\">Meldung " +
           std::to_string(x.id) + ": " + Escape(CategoryName(services, x.service_code)) + "</a></p><p>" +
           StatusBadge(x.status) + "</p><p class=\"muted\">Gemeldet am " + BerlinTime(x.requested_ms) + " Uhr" +
           (x.district.empty() ? "" : " · " + Escape(x.district)) + "</p></li>\n";
    }
    b += "</ul>\n";
  }
  if (v.pages > 1) {
    b += "<nav aria-label=\"Seiten\"><ul class=\"ranges\">";
    std::string query;
    for (const char* name : {"kategorie", "stand", "bezirk", "von", "bis"}) {
      if (!r.Query(name).empty()) query += std::string(name) + "=" + http::PercentEncode(r.Query(name)) + "&";
    }
    for (int64_t i = std::max<int64_t>(1, v.page - 5); i <= std::min(v.pages, v.page + 5); ++i) {
      b += "<li><a href=\"/buergerecho?" + Escape(query) + "seite=" + std::to_string(i) + "\"" +
           (i == v.page ? " aria-current=\"page\"" : "") + ">Seite " + std::to_string(i) + "</a></li>";
    }
    b += "</ul></nav>\n";
  }
  p.body = std::move(b);
  p.head_extra = kLeafletCss;
  p.scripts = "<script src=\"/static/leaflet.js\"></script>\n<script src=\"/static/map-base.js\"></script>\n<script src=\"/static/buergerecho-map.js\"></script>\n";
  return web::RenderPage(portal, p);
}

http::Response ReportFormPage(const Services& services, const Category* category, const FormState& s,
                              int retention_days, const web::PortalOptions& portal) {
  web::Page p = EchoPage(category ? "Melden: " + category->name : "Mangel oder Idee melden");
  std::string b;
  if (!category) {
    p.lead = "Schritt 1 von 2: Worum geht es?";
    b += "<form class=\"form\" method=\"get\" action=\"/buergerecho/melden\">\n<fieldset><legend>Kategorie</legend>\n";
    std::string group;
    for (const Category& c : services.Categories()) {
      if (c.group != group) {
        b += "<p><strong>" + Escape(c.group) + "</strong></p>\n";
        group = c.group;
      }
      b += "<div class=\"field field-check\"><input type=\"radio\" name=\"kategorie\" id=\"k-" + Escape(c.code) +
           "\" value=\"" + Escape(c.code) + "\" required><label for=\"k-" + Escape(c.code) + "\">" + Escape(c.name) +
           "</label></div>\n";
    }
    b += "</fieldset>\n<button type=\"submit\">Weiter</button>\n</form>\n";
    p.body = std::move(b);
    return web::RenderPage(portal, p);
  }
  p.lead = "Schritt 2 von 2: " + Escape(category->description);
  b += ErrorSummary(s);
  if (!s.nearby.empty()) {
    b += "<section class=\"hinweis\" aria-labelledby=\"schon-gemeldet\"><h2 id=\"schon-gemeldet\">Schon gemeldet?</h2>"
         "<p>In der Nähe sind diese Meldungen der Kategorie noch offen. Ist es derselbe Mangel, unterstützen Sie die "
         "Meldung: Das zählt mehr als eine zweite.</p>\n<ul class=\"cards\">\n";
    for (const Report& x : s.nearby) {
      const std::string id = std::to_string(x.id);
      b += "<li class=\"card\"><p><a href=\"/buergerecho/meldungen/" + id + "\">Meldung " + id + "</a>: " +
           StatusLabel(x.status) + (x.address.empty() ? "" : ", " + Escape(x.address)) + "</p>" +
           (x.text_hidden || x.description.empty() ? "" : "<p>" + Escape(x.description.substr(0, 200)) + "</p>") +
           "<form method=\"post\" action=\"/buergerecho/meldungen/" + id + "/unterstuetzen\"><button type=\"submit\" "
           "class=\"secondary\">Meldung " + id + " unterstützen</button></form></li>\n";
    }
    b += "</ul>\n<p>Ist es ein anderer Mangel? Dann bestätigen Sie das unten im Formular und senden es noch einmal.</p>"
         "</section>\n";
  }
  b += "<form class=\"form\" method=\"post\" action=\"/buergerecho/melden\" enctype=\"multipart/form-data\">\n"
       "<input type=\"hidden\" name=\"kategorie\" value=\"" + Escape(category->code) + "\">\n";
  b += "<div class=\"field\"><label for=\"feld-beschreibung\">Beschreibung</label>"
       "<p class=\"muted\" id=\"hilfe-beschreibung\">Was ist wo los? Höchstens 4.000 Zeichen. Bitte keine Namen oder "
       "Kennzeichen anderer Personen.</p>" + FormErrorText(s, "beschreibung") +
       "<textarea id=\"feld-beschreibung\" name=\"beschreibung\" rows=\"6\" maxlength=\"4000\"" +
       FormInvalid(s, "beschreibung") + ">" + Escape(FormFirst(s, "beschreibung")) + "</textarea></div>\n";
  b += "<fieldset><legend>Ort</legend><p class=\"muted\" id=\"ort-hilfe\">Die Position als Breiten- und Längengrad (zum "
       "Beispiel aus einer Karten-App) oder eine Adresse. Mit JavaScript können Sie den Ort auch auf der Karte "
       "anklicken.</p>" + MapHolder("ortwahl", "ort-hilfe", "", "", portal) + FormErrorText(s, "breite") +
       "<div class=\"field\"><label for=\"feld-breite\">Breitengrad</label><input id=\"feld-breite\" name=\"breite\" "
       "inputmode=\"decimal\" value=\"" + Escape(FormFirst(s, "breite")) + "\"" + FormInvalid(s, "breite") + "></div>\n"
       "<div class=\"field\"><label for=\"feld-laenge\">Längengrad</label><input id=\"feld-laenge\" name=\"laenge\" "
       "inputmode=\"decimal\" value=\"" + Escape(FormFirst(s, "laenge")) + "\"></div>\n" + FormErrorText(s, "adresse") +
       "<div class=\"field\"><label for=\"feld-adresse\">Adresse oder Ortsbeschreibung</label><p class=\"muted\" "
       "id=\"hilfe-adresse\">Straße und Hausnummer genügen; eine Adresse der Stadt ergibt die Position.</p>"
       "<input id=\"feld-adresse\" name=\"adresse\" autocomplete=\"street-address\" list=\"adressen\" "
       "value=\"" + Escape(FormFirst(s, "adresse")) + "\"" + FormInvalid(s, "adresse", "hilfe-adresse") +
       "><datalist id=\"adressen\"></datalist></div></fieldset>\n";
  b += "<div class=\"field\"><label for=\"feld-foto\">Fotos (freiwillig, bis zu drei)</label><p class=\"muted\" "
       "id=\"hilfe-foto\">JPEG, PNG, WebP oder HEIC, je höchstens 10 MB. Bevor ein Foto veröffentlicht wird, entfernen "
       "wir Aufnahmeort, Kamera und alle anderen Angaben in der Datei. Bitte keine Personen oder Kennzeichen "
       "fotografieren.</p>" + FormErrorText(s, "foto") +
       (s.photos_dropped ? "<p class=\"hinweis\">Bitte wählen Sie Ihre Fotos noch einmal aus: Aus Datenschutzgründen "
                           "behalten wir sie nicht, solange die Meldung nicht abgesendet ist.</p>"
                         : "") +
       "<input type=\"file\" id=\"feld-foto\" name=\"foto\" multiple accept=\"image/jpeg,image/png,image/webp,"
       "image/heic,image/heif,.heic,.heif\"" + FormInvalid(s, "foto", "hilfe-foto") + "></div>\n";
  for (const Attribute& a : category->attributes) {
    const std::string name = "merkmal-" + a.code;
    const std::string required = a.required ? " (Pflichtangabe)" : "";
    if (a.datatype == "singlevaluelist" || a.datatype == "multivaluelist") {
      const bool multi = a.datatype == "multivaluelist";
      b += "<fieldset" + FormInvalid(s, name) + "><legend id=\"feld-" + name + "\">" + Escape(a.description) + required +
           "</legend>" + FormErrorText(s, name);
      for (const AttributeValue& v : a.values) {
        const std::string id = name + "-" + v.key;
        b += "<div class=\"field field-check\"><input type=\"" + std::string(multi ? "checkbox" : "radio") + "\" name=\"" +
             Escape(name) + "\" id=\"" + Escape(id) + "\" value=\"" + Escape(v.key) + "\"" +
             (Has(s, name, v.key) ? " checked" : "") + "><label for=\"" + Escape(id) + "\">" + Escape(v.name) +
             "</label></div>\n";
      }
      b += "</fieldset>\n";
    } else {
      b += "<div class=\"field\"><label for=\"feld-" + name + "\">" + Escape(a.description) + required + "</label>" +
           FormErrorText(s, name) +
           (a.datatype == "text" ? "<textarea id=\"feld-" + name + "\" name=\"" + name + "\" rows=\"3\"" + FormInvalid(s, name) +
                                       ">" + Escape(FormFirst(s, name)) + "</textarea>"
                                 : "<input id=\"feld-" + name + "\" name=\"" + name + "\" value=\"" +
                                       Escape(FormFirst(s, name)) + "\"" + FormInvalid(s, name) + ">") +
           "</div>\n";
    }
  }
  b += "<fieldset><legend>Rückmeldung (freiwillig)</legend>" + FormErrorText(s, "email") +
       "<div class=\"field\"><label for=\"feld-email\">E-Mail-Adresse</label><p class=\"muted\">Nur für Nachrichten "
       "zum Stand Ihrer Meldung; sie wird nie veröffentlicht und " + std::to_string(retention_days) +
       " Tage nach dem Abschluss der Meldung gelöscht, ebenso Ihr Name.</p><input id=\"feld-email\" name=\"email\" type=\"email\" "
       "autocomplete=\"email\" value=\"" + Escape(FormFirst(s, "email")) + "\"" + FormInvalid(s, "email") + "></div>\n" +
       FormErrorText(s, "name") +
       "<div class=\"field\"><label for=\"feld-name\">Name</label><input id=\"feld-name\" name=\"name\" autocomplete=\"name\" "
       "value=\"" + Escape(FormFirst(s, "name")) + "\"" + FormInvalid(s, "name") + "></div>\n"
       "<div class=\"field field-check\"><input type=\"checkbox\" id=\"feld-name-zeigen\" name=\"name_zeigen\" value=\"ja\"" +
       (Has(s, "name_zeigen", "ja") ? " checked" : "") +
       "><label for=\"feld-name-zeigen\">Meinen Namen bei der Meldung öffentlich zeigen</label></div></fieldset>\n";
  if (!s.nearby.empty() || Has(s, "nahe", "gesehen")) {
    b += std::string("<div class=\"field field-check\"><input type=\"checkbox\" id=\"feld-nahe\" name=\"nahe\" "
                     "value=\"gesehen\"") + (Has(s, "nahe", "gesehen") ? " checked" : "") +
         "><label for=\"feld-nahe\">Mein Anliegen ist keine der Meldungen in der Nähe: neu melden</label></div>\n";
  }
  // A field people do not see and bots fill in.
  b += "<div class=\"visually-hidden\" aria-hidden=\"true\"><label for=\"feld-homepage\">Bitte leer lassen</label>"
       "<input id=\"feld-homepage\" name=\"homepage\" tabindex=\"-1\" autocomplete=\"off\"></div>\n";
  b += "<button type=\"submit\">Meldung absenden</button>\n</form>\n";
  p.body = std::move(b);
  p.head_extra = kLeafletCss;
  p.scripts = "<script src=\"/static/leaflet.js\"></script>\n<script src=\"/static/map-base.js\"></script>\n<script src=\"/static/buergerecho-form.js\"></script>\n";
  return web::RenderPage(portal, p, s.errors.empty() ? 200 : 422);
}

http::Response ReportCreatedPage(const Report& r, const Services& services, const web::PortalOptions& portal) {
  web::Page p = EchoPage("Vielen Dank für Ihre Meldung");
  const Office* office = services.FindOffice(r.office);
  p.lead = "Ihre Meldung " + std::to_string(r.id) + " ist eingegangen und geht an: " +
           Escape(office ? office->name : r.office) + ".";
  p.body = "<p><a href=\"/buergerecho/meldungen/" + std::to_string(r.id) + "\">Meldung " + std::to_string(r.id) +
           " ansehen</a> (öffentlich).</p>\n<div class=\"hinweis\"><p><strong>Ihr privater Link:</strong> Bewahren Sie "
           "ihn auf. Damit bestätigen Sie später, dass der Mangel behoben ist, oder öffnen die Meldung wieder.</p><p>"
           "<a href=\"/buergerecho/privat/" + Escape(r.token) + "\">Privater Link zu Meldung " + std::to_string(r.id) +
           "</a></p></div>\n";
  return web::RenderPage(portal, p, 201);
}

http::Response ReportPage(const Report& r, const std::vector<ReportEvent>& history, const Services& services,
                          bool private_view, bool may_answer, const std::string& notice,
                          const web::PortalOptions& portal) {
  web::Page p = EchoPage("Meldung " + std::to_string(r.id) + ": " + CategoryName(services, r.service_code));
  if (private_view) p.head_extra = "<meta name=\"robots\" content=\"noindex\">\n";  // the link is a key
  const Office* office = services.FindOffice(r.office);
  std::string b;
  if (!notice.empty()) b += "<p class=\"hinweis\" role=\"status\">" + Escape(notice) + "</p>\n";
  b += "<dl class=\"facts\">\n<dt>Stand</dt><dd>" + StatusBadge(r.status) + "</dd>\n<dt>Gemeldet am</dt><dd>" +
       BerlinTime(r.requested_ms) + " Uhr</dd>\n<dt>Zuletzt geändert</dt><dd>" + BerlinTime(r.updated_ms) +
       " Uhr</dd>\n<dt>Zuständig</dt><dd>" + Escape(office ? office->name : r.office) + "</dd>\n";
  if (!r.district.empty()) b += "<dt>Stadtbezirk</dt><dd>" + Escape(r.district) + "</dd>\n";
  if (!r.address.empty()) b += "<dt>Ort</dt><dd>" + Escape(r.address) + "</dd>\n";
  if (r.lat) b += "<dt>Position</dt><dd>" + Position(r) + "</dd>\n";
  if (r.show_name && !r.name.empty()) b += "<dt>Gemeldet von</dt><dd>" + Escape(r.name) + "</dd>\n";
  b += "</dl>\n<h2>Beschreibung</h2>\n";
  b += r.text_hidden ? "<p>Die Verwaltung hat den Text dieser Meldung ausgeblendet.</p>\n"
                     : r.description.empty() ? "<p>Ohne Beschreibung.</p>\n" : Paragraphs(r.description);
  if (const std::vector<int> photos = VisiblePhotos(r); !photos.empty()) {
    b += "<h2>Fotos</h2>\n<ul class=\"photos\">\n";
    for (int n : photos) {
      const std::string label = "Foto " + std::to_string(n) + " zu Meldung " + std::to_string(r.id);
      b += "<li><a href=\"" + PhotoPath(r.id, n, false) + "\"><img src=\"" + PhotoPath(r.id, n, true) +
           "\" alt=\"" + label + " (vergrößern)\" loading=\"lazy\"></a></li>\n";
    }
    b += "</ul>\n";
  }
  if (r.supporters > 0 || (IsOpen(r.status) && !private_view)) {
    b += "<h2>Unterstützung</h2>\n<p>" +
         (r.supporters == 0 ? std::string("Noch niemand hat diese Meldung unterstützt.")
                            : r.supporters == 1 ? std::string("1 weitere Person ist ebenfalls betroffen.")
                                                : std::to_string(r.supporters) + " weitere Personen sind ebenfalls betroffen.") +
         "</p>\n";
    if (IsOpen(r.status) && !private_view) {
      b += "<form method=\"post\" action=\"/buergerecho/meldungen/" + std::to_string(r.id) +
           "/unterstuetzen\"><button type=\"submit\" class=\"secondary\">Ich bin auch betroffen</button></form>\n";
    }
  }
  b += "<h2>Verlauf</h2>\n<ol>\n";
  for (const ReportEvent& e : history) {
    b += "<li>" + BerlinTime(e.at_ms) + " Uhr: " + StatusLabel(e.status) +
         (e.note.empty() ? "" : " – " + Escape(e.note)) + "</li>\n";
  }
  b += "</ol>\n";
  if (private_view) {
    if (may_answer) {
      const std::string base = "/buergerecho/privat/" + Escape(r.token);
      b += "<h2>Ist der Mangel behoben?</h2>\n<form class=\"form\" method=\"post\" action=\"" + base +
           "/bestaetigen\"><button type=\"submit\">Ja, erledigt</button></form>\n<form class=\"form\" method=\"post\" "
           "action=\"" + base + "/wiederoeffnen\"><div class=\"field\"><label for=\"feld-grund\">Was ist noch nicht in "
           "Ordnung? (freiwillig)</label><textarea id=\"feld-grund\" name=\"grund\" rows=\"3\" maxlength=\"2000\">"
           "</textarea></div><button type=\"submit\" class=\"secondary\">Nein, wieder öffnen</button></form>\n";
    } else {
      b += "<p class=\"muted\">Sobald die Meldung als erledigt markiert ist, können Sie hier 14 Tage lang bestätigen "
           "oder sie wieder öffnen.</p>\n";
    }
  }
  p.body = std::move(b);
  return web::RenderPage(portal, p);
}

}  // namespace datenwerk::echo
