// BürgerEcho's responsibility areas (echo/office_areas.h) in the back office: administrators see
// the areas in force, download them, upload new ones as GeoJSON (checked whole before anything
// changes: a refusal names the feature) or remove them. Each change is one write with its audit
// entry; the routing uses the new areas from the next report on.
#include "verwaltung/pages.h"

#include "core/json_text.h"
#include "verwaltung/visit.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

namespace {

constexpr const char* kPath = "/verwaltung/zustaendigkeitsgebiete";

bool SetUp(const Visit& visit) {
  return visit.office.office_areas && visit.office.office_area_store && visit.office.echo_services;
}

// "Gebiet 3 (features[2]): …" from a refusal.
std::string GermanRefusal(const Status& s) {
  const std::string& f = s.field();
  if (f.starts_with("features[")) {
    const int index = std::atoi(f.c_str() + 9);
    return "Gebiet " + std::to_string(index + 1) + " (" + f + "): " + s.message();
  }
  return "Die Datei ist kein GeoJSON mit Polygonen (" + s.message() + ").";
}

Response Render(Visit& visit, const FieldErrors& errors, int status) {
  web::Page page;
  page.title = "BürgerEcho: Zuständigkeitsgebiete";
  page.current_nav = "/verwaltung/buergerecho";
  page.breadcrumbs = {{"Verwaltung", "/verwaltung"}, {"BürgerEcho", "/verwaltung/buergerecho"}};
  const echo::Services& services = *visit.office.echo_services;
  std::string& b = page.body;
  b += Notice(visit.request) + ErrorSummary(errors, {"datei"});
  b += "<p>Gebiete, in denen eine bestimmte Stelle Meldungen übernimmt, etwa ein Betriebshof oder eine "
       "Bezirksverwaltung. Sie gehen der Zuständigkeit nach Stadtbezirk vor: Eine Meldung geht an die Stelle des ersten "
       "Gebiets (in der Reihenfolge der Datei), das ihren Ort enthält und ihre Kategorie übernimmt. Ein Ort auf der "
       "Grenze zweier Gebiete gehört zum früheren.</p>\n";
  const auto current = visit.office.office_areas->Current();
  if (!current || current->Areas().empty()) {
    b += "<p>Es gelten keine eigenen Gebiete: Meldungen gehen nach Stadtbezirk und Kategorie.</p>\n";
  } else {
    b += "<div class=\"table-wrap\"><table>\n<caption>Gebiete in Kraft (" + std::to_string(current->Areas().size()) +
         ")</caption>\n<thead><tr><th scope=\"col\">Nr.</th><th scope=\"col\">Gebiet</th><th scope=\"col\">Stelle</th>"
         "<th scope=\"col\">Kategorien</th></tr></thead>\n<tbody>\n";
    size_t n = 0;
    for (const echo::OfficeArea& a : current->Areas()) {
      const echo::Office* office = services.FindOffice(a.office);
      std::string categories;
      for (const std::string& code : a.categories) {
        const echo::Category* c = services.FindCategory(code);
        categories += (categories.empty() ? "" : ", ") + (c ? c->name : code);
      }
      b += "<tr><td class=\"num\">" + std::to_string(++n) + "</td><td>" + Escape(a.name) + "</td><td>" +
           Escape(office ? office->name : a.office) + "</td><td>" +
           (categories.empty() ? std::string("alle") : Escape(categories)) + "</td></tr>\n";
    }
    b += "</tbody>\n</table></div>\n<p><a href=\"" + std::string(kPath) +
         ".geojson\">Die Gebiete herunterladen (GeoJSON)</a></p>\n";
  }
  if (RoleAllows(visit.actor.role, Role::kAdministrator)) {
    b += "<h2>Gebiete hochladen</h2>\n<p>Eine GeoJSON-Datei (FeatureCollection, WGS 84) mit höchstens 1.000 Polygonen "
         "oder Multipolygonen. Jedes braucht in <code>properties</code>: <strong>name</strong>, <strong>stelle</strong> "
         "(die Kennung einer Stelle: ";
    std::string ids;
    for (const echo::Office& o : services.Offices()) ids += (ids.empty() ? "" : ", ") + o.id;
    b += Escape(ids) + ") und wahlweise <strong>kategorien</strong> (Liste der Kategorie-Kennungen; ohne: alle). "
         "Die Datei ersetzt die bisherigen Gebiete ganz; geprüft wird sie vorher vollständig.</p>\n";
    b += "<form method=\"post\" action=\"" + std::string(kPath) + "\" enctype=\"multipart/form-data\" class=\"form\" "
         "novalidate>\n" + CsrfField(visit.session.csrf) +
         InputField({"datei", "GeoJSON-Datei", "file", "Höchstens 16 MB.", true}, "", errors) +
         "<button type=\"submit\">Hochladen</button>\n</form>\n";
    if (current && !current->Areas().empty()) {
      b += "<form method=\"post\" action=\"" + std::string(kPath) + "/entfernen\" class=\"form\">\n" +
           CsrfField(visit.session.csrf) + "<button type=\"submit\" class=\"secondary\">Alle Gebiete entfernen</button>\n"
           "</form>\n";
    }
  }
  return Frame(visit, std::move(page), status);
}

// Stores `text` (empty: removes) with its audit entry, then puts `areas` in force.
Status Replace(Visit& visit, const std::string& text, std::shared_ptr<const echo::OfficeAreas> areas) {
  const auto before = visit.office.office_areas->Current();
  auto count = [](const std::shared_ptr<const echo::OfficeAreas>& a) {
    return ToJsonText(boost::json::object{{"areas", a ? a->Areas().size() : 0}});
  };
  Status s = visit.office.office_area_store->Replace(
      {text, visit.actor.audit_id, visit.office.now_ms()}, [&](sql::Tx& tx) {
        return audit::AuditLog::Append(tx, {0, visit.office.now_ms(), visit.actor.audit_id, visit.From(),
                                            "buergerecho.gebiete", "zustaendigkeitsgebiete", count(before), count(areas),
                                            ""})
            .status();
      });
  if (s.ok()) visit.office.office_areas->Set(std::move(areas));
  return s;
}

}  // namespace

Response EchoAreasPage(Visit& visit) {
  if (!SetUp(visit)) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "BürgerEcho ist nicht eingerichtet.");
  return Render(visit, {}, 200);
}

Response EchoAreasDownload(Visit& visit) {
  if (!SetUp(visit)) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "BürgerEcho ist nicht eingerichtet.");
  const auto current = visit.office.office_areas->Current();
  if (!current) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Es gelten keine eigenen Gebiete.");
  Response r;
  r.content_type = "application/geo+json";
  r.body = current->GeoJson();
  r.With("Content-Disposition", "attachment; filename=\"zustaendigkeitsgebiete.geojson\"");
  return NoStore(r);
}

Response EchoAreasUpload(Visit& visit) {
  if (!SetUp(visit)) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "BürgerEcho ist nicht eingerichtet.");
  const UploadedFile* file = nullptr;
  for (const UploadedFile& f : visit.files) {
    if (f.field == "datei") file = &f;
  }
  if (!file || file->content.empty()) return Render(visit, {{"datei", "Bitte wählen Sie eine GeoJSON-Datei aus."}}, 422);
  auto areas = echo::OfficeAreas::Parse(std::string(file->content), *visit.office.echo_services);
  if (!areas.ok()) return Render(visit, {{"datei", GermanRefusal(areas.status())}}, 422);
  const std::string text = (*areas)->GeoJson();
  if (Status s = Replace(visit, text, std::move(areas).value()); !s.ok()) return StatusPage(visit, s);
  return Redirect(std::string(kPath) + "?hinweis=gebiete");
}

Response EchoAreasRemove(Visit& visit) {
  if (!SetUp(visit)) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "BürgerEcho ist nicht eingerichtet.");
  if (Status s = Replace(visit, "", nullptr); !s.ok()) return StatusPage(visit, s);
  return Redirect(std::string(kPath) + "?hinweis=gebiete");
}

}  // namespace datenwerk::verwaltung
