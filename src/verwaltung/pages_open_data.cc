// The open data as administrators curate it: which datasets are published under which licence,
// and a dataset's title, description and keywords where the generated ones do not fit. Every
// change is one transaction with its audit entry.
#include <boost/json.hpp>

#include "core/json_text.h"
#include "opendata/pages.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

namespace {

const std::vector<std::string> kOrder = {"titel", "beschreibung", "schlagwoerter", "lizenz", "namensnennung"};

std::string LicenseText(const std::string& iri) { return iri.empty() ? "" : opendata::LicenseLabel(iri); }

std::string AuditJson(const opendata::Curation& c) {
  boost::json::array keywords;
  for (const std::string& k : c.keywords) keywords.emplace_back(k);
  return ToJsonText(boost::json::object{{"titel", c.title}, {"beschreibung", c.description}, {"schlagwoerter", keywords},
                                        {"lizenz", c.license}, {"namensnennung", c.attribution}});
}

// The generated dataset `id` (or nullptr) and whether it is one of the city's own.
struct Found {
  const opendata::Dataset* dataset = nullptr;
  bool own = false;
};
Found Find(const opendata::Inventory::Generated& g, const std::string& id) {
  for (size_t i = 0; i < g.datasets.size(); ++i) {
    if (g.datasets[i].id == id) return {&g.datasets[i], i < g.own_count};
  }
  return {};
}

Response Render(Visit& visit, const std::string& id, const Found& found, const opendata::Curation& shown,
                const FieldErrors& errors, int status) {
  const bool defaults = id == opendata::kDefaults;
  web::Page page;
  page.title = defaults ? std::string("Standardlizenz der eigenen Daten") : "Datensatz: " + found.dataset->title;
  page.current_nav = "/verwaltung/offene-daten";
  page.breadcrumbs = {{"Verwaltung", "/verwaltung"}, {"Offene Daten", "/verwaltung/offene-daten"}};
  std::string& b = page.body;
  b += ErrorSummary(errors, kOrder);
  if (defaults) {
    b += "<p>Diese Lizenz gilt für alle eigenen Datensätze der Stadt (Strategie, Maßnahmen, Kennzahlen), die keine eigene "
         "haben. Ohne Lizenz wird ein eigener Datensatz nicht veröffentlicht.</p>\n";
  } else {
    b += std::string("<p>") + (found.own ? "Ein eigener Datensatz der Stadt." : "Messwerte einer Station; ohne eigene Angabe gilt die Lizenz der Quelle.") +
         " Leere Felder übernehmen den erzeugten Text.</p>\n";
  }
  b += "<form method=\"post\" action=\"" + web::Url("/verwaltung/offene-daten/", id) + "\" class=\"form\" novalidate>\n" +
       CsrfField(visit.session.csrf);
  if (!defaults) {
    b += InputField({"titel", "Titel", "text", "Erzeugt: " + found.dataset->title}, shown.title, errors);
    b += InputField({"beschreibung", "Beschreibung", "textarea", "Leer: die erzeugte Beschreibung."}, shown.description, errors);
    std::string keywords;
    for (const std::string& k : shown.keywords) keywords += (keywords.empty() ? "" : "\n") + k;
    b += InputField({"schlagwoerter", "Schlagwörter", "textarea", "Eines je Zeile, höchstens 20."}, keywords, errors);
  }
  std::vector<std::pair<std::string, std::string>> licenses = {
      {"", defaults ? "keine (eigene Daten werden nicht veröffentlicht)" : found.own ? "die Standardlizenz" : "die Lizenz der Quelle"}};
  for (const auto& l : opendata::ChoosableLicenses()) licenses.push_back(l);
  b += SelectField({"lizenz", "Lizenz"}, licenses, shown.license, errors);
  b += InputField({"namensnennung", "Namensnennung", "text", "Wie Nutzende die Quelle nennen sollen, z. B. „Stadt Bochum“."},
                  shown.attribution, errors);
  b += "<button type=\"submit\">Speichern</button>\n</form>\n";
  return Frame(visit, std::move(page), status);
}

}  // namespace

Response OpenDataPage(Visit& visit) {
  if (!visit.office.curations || !visit.office.open_datasets) {
    return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Offene Daten sind auf diesem Server nicht eingerichtet.");
  }
  auto generated = visit.office.open_datasets();
  if (!generated.ok()) return StatusPage(visit, generated.status());
  const auto curations = visit.office.curations->All();
  const auto defaults = curations->find(opendata::kDefaults);
  const std::string default_license = defaults == curations->end() ? "" : defaults->second.license;
  web::Page page;
  page.title = "Offene Daten";
  page.current_nav = "/verwaltung/offene-daten";
  std::string& b = page.body;
  b += Notice(visit.request);
  b += "<p>Eigene Datensätze der Stadt erscheinen im Portal und im Katalog für GovData erst mit einer Lizenz. "
       "Standardlizenz der eigenen Daten: <strong>" +
       Escape(default_license.empty() ? std::string("keine") : LicenseText(default_license)) +
       "</strong> (<a href=\"/verwaltung/offene-daten/standard\">ändern</a>).</p>\n";
  b += "<div class=\"table-wrap\"><table>\n<caption>Datensätze</caption>\n<thead><tr><th scope=\"col\">Datensatz</th>"
       "<th scope=\"col\">Art</th><th scope=\"col\">Lizenz</th><th scope=\"col\">Veröffentlicht</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < generated->datasets.size(); ++i) {
    const opendata::Dataset& d = generated->datasets[i];
    const bool own = i < generated->own_count;
    const auto c = curations->find(d.id);
    std::string license = c == curations->end() ? "" : c->second.license;
    if (license.empty()) license = own ? default_license : (d.distributions.empty() ? "" : d.distributions.front().license);
    const std::string title = c != curations->end() && !c->second.title.empty() ? c->second.title : d.title;
    b += "<tr><td><a href=\"" + web::Url("/verwaltung/offene-daten/", d.id) + "\">" + Escape(title) + "</a></td><td>" +
         (own ? "eigene Daten" : "Sensordaten") + "</td><td>" + Escape(license.empty() ? "keine" : LicenseText(license)) +
         "</td><td>" + (license.empty() ? "nein" : "ja") + "</td></tr>\n";
  }
  b += "</tbody>\n</table></div>\n";
  return Frame(visit, std::move(page));
}

Response OpenDatasetPage(Visit& visit) {
  if (!visit.office.curations || !visit.office.open_datasets) {
    return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Offene Daten sind auf diesem Server nicht eingerichtet.");
  }
  const std::string& id = visit.request.Param("id");
  auto generated = visit.office.open_datasets();
  if (!generated.ok()) return StatusPage(visit, generated.status());
  const Found found = Find(*generated, id);
  if (id != opendata::kDefaults && !found.dataset) {
    return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen Datensatz gibt es nicht.");
  }
  const auto curations = visit.office.curations->All();
  const auto it = curations->find(id);
  opendata::Curation shown = it == curations->end() ? opendata::Curation{id, "", "", {}, "", "", ""} : it->second;

  if (visit.request.method == "POST") {
    opendata::Curation next{id, visit.Form("titel"), visit.Form("beschreibung"), {}, visit.Form("lizenz"),
                            visit.Form("namensnennung"), ""};
    const std::string& lines = visit.Form("schlagwoerter");
    for (size_t at = 0; at < lines.size();) {
      const size_t end = std::min(lines.find('\n', at), lines.size());
      std::string keyword = lines.substr(at, end - at);
      while (!keyword.empty() && (keyword.back() == '\r' || keyword.back() == ' ')) keyword.pop_back();
      while (!keyword.empty() && keyword.front() == ' ') keyword.erase(0, 1);
      if (!keyword.empty()) next.keywords.push_back(std::move(keyword));
      at = end + 1;
    }
    if (Status s = opendata::Validate(next); !s.ok()) {
      static const std::map<std::string, std::pair<std::string, std::string>> kFields = {
          {"title", {"titel", "Der Titel darf höchstens 200 Zeichen lang sein und keine Steuerzeichen enthalten."}},
          {"description", {"beschreibung", "Die Beschreibung darf höchstens 4.000 Zeichen lang sein."}},
          {"license", {"lizenz", "Bitte wählen Sie eine der angebotenen Lizenzen."}},
          {"attribution", {"namensnennung", "Die Namensnennung darf höchstens 300 Zeichen lang sein."}},
      };
      const std::string field = s.field().starts_with("keywords") ? "keywords" : s.field();
      const auto message = kFields.find(field);
      FieldErrors errors;
      if (message != kFields.end()) {
        errors[message->second.first] = message->second.second;
      } else {
        errors["schlagwoerter"] = "Höchstens 20 Schlagwörter mit je höchstens 60 Zeichen, eines je Zeile.";
      }
      return Render(visit, id, found, next, errors, 422);
    }
    const std::string before = it == curations->end() ? "" : AuditJson(it->second);
    Status saved = visit.office.curations->Put(next, FormatRfc3339Ms(visit.office.now_ms()).substr(0, 19) + "Z", [&] {
      return visit.office.audit
          .Append(audit::Entry{0, visit.office.now_ms(), visit.actor.audit_id, visit.From(), "offene_daten.kuratierung",
                               "datensatz:" + id, before, AuditJson(next), ""})
          .status();
    });
    if (!saved.ok()) return StatusPage(visit, saved);
    return Redirect("/verwaltung/offene-daten?hinweis=gespeichert");
  }
  return Render(visit, id, found, shown, {}, 200);
}

}  // namespace datenwerk::verwaltung
