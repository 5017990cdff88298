// Baseline, target, direction and unit of a KPI: a form of its own, German errors by the fields.
#include "core/dates.h"
#include "core/german_number.h"
#include "core/ids.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

namespace {

const std::vector<std::string> kOrder = {"ausgangswert", "ausgangsdatum", "zielwert", "zieldatum", "richtung", "einheit"};

std::string Number(const std::optional<double>& v) { return v ? FormatLocalNumber(*v) : ""; }

FormData FormOf(const KpiSettings& s) {
  return {{"ausgangswert", Number(s.baseline_value)}, {"ausgangsdatum", GermanDate(s.baseline_date)},
          {"zielwert", Number(s.target_value)},       {"zieldatum", GermanDate(s.target_date)},
          {"richtung", DirectionName(s.direction)},   {"einheit", s.unit}};
}

// One point (value and date) of the form; both or neither.
void ReadPoint(const FormData& f, const std::string& value_name, const std::string& date_name, const char* what,
               std::optional<double>& value, std::string& date, FieldErrors& errors) {
  std::string v = FormValue(f, value_name), d = FormValue(f, date_name);
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
  auto direction = ParseDirection(FormValue(f, "richtung").empty() ? "unset" : FormValue(f, "richtung"));
  if (!direction) {
    errors["richtung"] = "Bitte wählen Sie eine der angebotenen Richtungen.";
  } else {
    s.direction = *direction;
  }
  s.unit = FormValue(f, "einheit");
  if (s.unit.size() > 100) errors["einheit"] = "Die Einheit darf höchstens 100 Zeichen lang sein.";
  if (errors.empty() && s.target_value && s.direction == Direction::kUnset) {
    errors["richtung"] = "Zu einem Zielwert gehört eine Richtung: Soll der Wert steigen oder sinken?";
  }
  if (errors.empty() && s.baseline_value && s.target_value && s.target_date <= s.baseline_date) {
    errors["zieldatum"] = "Das Zieldatum muss nach dem Datum des Ausgangswerts liegen.";
  }
  return errors;
}

// Who surveys the KPI, how often, and when next (administrators).
std::string PlanSection(Visit& visit, const Kpi& kpi, const FieldErrors& errors) {
  auto plans = visit.office.workflow.store().Plans();
  auto accounts = visit.office.auth.store().All();
  if (!plans.ok() || !accounts.ok()) return "<p>Die Planung kann gerade nicht gelesen werden.</p>\n";
  review::KpiPlan plan{kpi.id, 0, review::Cadence::kYearly, ""};
  for (const review::KpiPlan& p : *plans) {
    if (p.kpi_id == kpi.id) plan = p;
  }
  std::vector<std::pair<std::string, std::string>> owners = {{"0", "niemand"}};
  for (const accounts::Account& a : *accounts) {
    if (a.active && a.role != Role::kViewer) owners.emplace_back(std::to_string(a.id), a.name + " (" + a.email + ")");
  }
  const bool posted = visit.form.count("verantwortlich") > 0;
  std::string h = "<h2 id=\"erhebung\">Erhebung planen</h2>\n<p>Die zuständige Person sieht fällige Werte auf ihrer "
                  "Startseite und bekommt jeden Morgen eine Erinnerung, solange sie fällig sind.</p>\n";
  h += "<form method=\"post\" action=\"" + web::Url("/verwaltung/indikatoren/", kpi.id) + "/plan\" class=\"form\" novalidate>\n" +
       CsrfField(visit.session.csrf);
  h += SelectField({"verantwortlich", "Zuständig"}, owners,
                   posted ? visit.Form("verantwortlich") : std::to_string(plan.owner_id), errors);
  h += SelectField({"turnus", "Turnus"},
                   {{"monthly", "monatlich"}, {"quarterly", "vierteljährlich"}, {"yearly", "jährlich"}},
                   posted ? visit.Form("turnus") : review::CadenceName(plan.cadence), errors);
  h += InputField({"faellig", "Nächste Erhebung fällig am", "text", "TT.MM.JJJJ"},
                  posted ? visit.Form("faellig") : GermanDate(plan.next_due), errors);
  return h + "<button type=\"submit\">Planung speichern</button>\n</form>\n";
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
                  FormValue(form, "ausgangswert"), errors);
  b += InputField({"ausgangsdatum", "Datum des Ausgangswerts", "text", "TT.MM.JJJJ"}, FormValue(form, "ausgangsdatum"), errors);
  b += InputField({"zielwert", "Zielwert", "number-text"}, FormValue(form, "zielwert"), errors);
  b += InputField({"zieldatum", "Zieldatum", "text", "TT.MM.JJJJ: bis wann der Zielwert erreicht sein soll."},
                  FormValue(form, "zieldatum"), errors);
  b += SelectField({"richtung", "Richtung"},
                   {{"unset", "nicht festgelegt"}, {"up", "steigen (mehr ist besser)"}, {"down", "sinken (weniger ist besser)"}},
                   FormValue(form, "richtung"), errors);
  b += InputField({"einheit", "Einheit", "text", "z. B. Sensoren, %, Meldungen/Jahr."}, FormValue(form, "einheit"), errors);
  b += "<button type=\"submit\">Ziel speichern</button>\n</form>\n";
  b += "<h2>Bezeichnung</h2>\n<form method=\"post\" action=\"" + path + "/text\" class=\"form\" novalidate>\n" +
       CsrfField(visit.session.csrf) +
       InputField({"bezeichnung", "Bezeichnung des Indikators", "text", "Wie das Portal ihn nennt.", true}, kpi.name, {}) +
       "<button type=\"submit\">Bezeichnung speichern</button>\n</form>\n";
  if (visit.actor.role == Role::kAdministrator) b += PlanSection(visit, kpi, errors);
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

Response SetPlan(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  const Kpi* kpi = c->FindKpi(visit.request.Param("id"));
  if (!kpi) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "Diesen Indikator gibt es nicht.");
  review::KpiPlan plan{kpi->id, 0, review::Cadence::kYearly, ""};
  FieldErrors errors;
  const std::string& owner = visit.Form("verantwortlich");  // "0": nobody
  auto owner_id = PositiveId(owner);
  if (owner_id && visit.office.auth.store().FindById(*owner_id).ok()) {
    plan.owner_id = *owner_id;
  } else if (owner != "0") {
    errors["verantwortlich"] = "Bitte wählen Sie eine Person aus der Liste.";
  }
  if (auto cadence = review::ParseCadence(visit.Form("turnus"))) {
    plan.cadence = *cadence;
  } else {
    errors["turnus"] = "Bitte wählen Sie einen Turnus aus der Liste.";
  }
  if (!visit.Form("faellig").empty()) {
    if (auto date = ParseGermanOrIsoDate(visit.Form("faellig"))) {
      plan.next_due = *date;
    } else {
      errors["faellig"] = "Das Datum ist ungültig. Bitte im Format TT.MM.JJJJ angeben.";
    }
  } else if (plan.owner_id != 0) {
    errors["faellig"] = "Bitte geben Sie an, wann die nächste Erhebung fällig ist.";
  }
  if (errors.empty()) {
    Status s = visit.office.workflow.SetPlan(visit.actor, plan, visit.From(), visit.office.now_ms());
    if (!s.ok()) return StatusPage(visit, s);
    if (visit.office.plans_changed) visit.office.plans_changed();
    return Redirect(web::Url("/verwaltung/indikatoren/", kpi->id) + "?hinweis=gespeichert");
  }
  return Render(visit, *kpi, FormOf(kpi->settings), errors, 422);
}

}  // namespace datenwerk::verwaltung
