// Baseline, target, direction and unit of a KPI: a form of its own, German errors by the fields.
#include "core/dates.h"
#include "core/german_number.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

namespace {

const std::vector<std::string> kOrder = {"ausgangswert", "ausgangsdatum", "zielwert", "zieldatum", "richtung", "einheit"};

std::string Number(const std::optional<double>& v) { return v ? FormNumber(*v) : ""; }

FormData FormOf(const KpiSettings& s) {
  return {{"ausgangswert", Number(s.baseline_value)}, {"ausgangsdatum", GermanDate(s.baseline_date)},
          {"zielwert", Number(s.target_value)},       {"zieldatum", GermanDate(s.target_date)},
          {"richtung", DirectionName(s.direction)},   {"einheit", s.unit}};
}

std::string Get(const FormData& f, const std::string& name) {
  auto it = f.find(name);
  return it == f.end() ? "" : it->second;
}

// One point (value and date) of the form; both or neither.
void ReadPoint(const FormData& f, const std::string& value_name, const std::string& date_name, const char* what,
               std::optional<double>& value, std::string& date, FieldErrors& errors) {
  std::string v = Get(f, value_name), d = Get(f, date_name);
  if (v.empty() && d.empty()) return;
  if (v.empty()) {
    errors[value_name] = std::string("Bitte geben Sie zum Datum auch den ") + what + " an.";
  } else if (auto number = ParseLocalNumber(v)) {
    value = *number;
  } else {
    errors[value_name] = "Das ist keine Zahl. Bitte mit Dezimalkomma angeben, z. B. 1.234,5.";
  }
  if (d.empty()) {
    errors[date_name] = std::string("Bitte geben Sie zum ") + what + " auch das Datum an.";
  } else if (auto iso = ParseGermanOrIsoDate(d)) {
    date = *iso;
  } else {
    errors[date_name] = "Das Datum ist ungültig. Bitte im Format TT.MM.JJJJ angeben, z. B. 31.12.2030.";
  }
}

FieldErrors ReadSettings(const FormData& f, KpiSettings& s) {
  FieldErrors errors;
  ReadPoint(f, "ausgangswert", "ausgangsdatum", "Ausgangswert", s.baseline_value, s.baseline_date, errors);
  ReadPoint(f, "zielwert", "zieldatum", "Zielwert", s.target_value, s.target_date, errors);
  auto direction = ParseDirection(Get(f, "richtung").empty() ? "unset" : Get(f, "richtung"));
  if (!direction) {
    errors["richtung"] = "Bitte wählen Sie eine der angebotenen Richtungen.";
  } else {
    s.direction = *direction;
  }
  s.unit = Get(f, "einheit");
  if (s.unit.size() > 100) errors["einheit"] = "Die Einheit darf höchstens 100 Zeichen lang sein.";
  if (errors.empty() && s.target_value && s.direction == Direction::kUnset) {
    errors["richtung"] = "Zu einem Zielwert gehört eine Richtung: Soll der Wert steigen oder sinken?";
  }
  if (errors.empty() && s.baseline_value && s.target_value && s.target_date <= s.baseline_date) {
    errors["zieldatum"] = "Das Zieldatum muss nach dem Datum des Ausgangswerts liegen.";
  }
  return errors;
}

Response Render(Visit& visit, const Kpi& kpi, const FormData& form, const FieldErrors& errors, int status) {
  web::Page page;
  page.title = "Ziel festlegen: " + kpi.name;
  page.current_nav = "/verwaltung/indikatoren";
  const std::string path = web::Url("/verwaltung/indikatoren/", kpi.id);
  page.breadcrumbs = {{"Verwaltung", "/verwaltung"}, {"Indikatoren", "/verwaltung/indikatoren"}, {kpi.name, path}};
  std::string& b = page.body;
  b += ErrorSummary(errors, kOrder);
  b += "<p>Ausgangswert, Zielwert und Richtung bestimmen den Fortschritt, den das Portal zeigt. Änderungen wirken "
       "sofort und stehen im Protokoll.</p>\n";
  b += "<form method=\"post\" action=\"" + path + "/ziel\" class=\"form\" novalidate>\n" + CsrfField(visit.session.csrf);
  b += InputField({"ausgangswert", "Ausgangswert", "number-text", "Mit Dezimalkomma, z. B. 1.234,5."},
                  Get(form, "ausgangswert"), errors);
  b += InputField({"ausgangsdatum", "Datum des Ausgangswerts", "text", "TT.MM.JJJJ"}, Get(form, "ausgangsdatum"), errors);
  b += InputField({"zielwert", "Zielwert", "number-text"}, Get(form, "zielwert"), errors);
  b += InputField({"zieldatum", "Zieldatum", "text", "TT.MM.JJJJ: bis wann der Zielwert erreicht sein soll."},
                  Get(form, "zieldatum"), errors);
  b += SelectField({"richtung", "Richtung"},
                   {{"unset", "nicht festgelegt"}, {"up", "steigen (mehr ist besser)"}, {"down", "sinken (weniger ist besser)"}},
                   Get(form, "richtung"), errors);
  b += InputField({"einheit", "Einheit", "text", "z. B. Sensoren, %, Meldungen/Jahr."}, Get(form, "einheit"), errors);
  b += "<button type=\"submit\">Ziel speichern</button>\n</form>\n";
  return Frame(visit, std::move(page), status);
}

}  // namespace

Response SettingsPage(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  const Kpi* kpi = c->FindKpi(visit.request.Param("id"));
  if (!kpi) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen Indikator gibt es nicht.");
  return Render(visit, *kpi, FormOf(kpi->settings), {}, 200);
}

Response SetSettings(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  const Kpi* kpi = c->FindKpi(visit.request.Param("id"));
  if (!kpi) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen Indikator gibt es nicht.");
  KpiSettings settings;
  FieldErrors errors = ReadSettings(visit.form, settings);
  if (errors.empty()) {
    Status s = visit.office.workflow.SetSettings(visit.actor, kpi->id, settings, visit.From(), visit.office.now_ms());
    if (s.ok()) return Redirect(web::Url("/verwaltung/indikatoren/", kpi->id) + "?hinweis=gespeichert");
    if (s.code() != ErrorCode::kInvalidArgument) return StatusPage(visit, s);
    errors["ausgangswert"] = "Die Angaben passen nicht zusammen: " + s.message();
  }
  return Render(visit, *kpi, visit.form, errors, 422);
}

}  // namespace datenwerk::verwaltung
