#include "verwaltung/value_form.h"

#include <cstdio>

#include "core/dates.h"
#include "core/german_number.h"
#include "core/kpi_value.h"

namespace datenwerk::verwaltung {

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

const std::vector<std::pair<std::string, std::string>>& QualifierOptions() {
  static const std::vector<std::pair<std::string, std::string>> kOptions = {
      {"exact", "genau"}, {"approx", "ungefähr (ca.)"}, {"at_least", "mindestens"}, {"at_most", "höchstens"}};
  return kOptions;
}

}  // namespace

const std::vector<std::string>& ValueFieldOrder() {
  static const std::vector<std::string> kOrder = {"datum",  "zeitraum", "wert",      "einheit",
                                                  "angabe", "quelle",   "anmerkung", "begruendung"};
  return kOrder;
}

FieldErrors ReadValueForm(const FormData& form, KpiValue& out) {
  FieldErrors errors;
  std::string date = Trim(FormValue(form, "datum"));
  if (date.empty()) {
    errors["datum"] = "Bitte geben Sie das Datum an, auf das sich der Wert bezieht.";
  } else if (auto iso = ParseGermanOrIsoDate(date)) {
    out.date = *iso;
  } else {
    errors["datum"] = "Das Datum ist ungültig. Bitte im Format TT.MM.JJJJ angeben, z. B. 31.12.2024.";
  }
  const bool not_reported = !FormValue(form, "nicht_berichtet").empty();
  std::string value = Trim(FormValue(form, "wert"));
  if (not_reported) {
    if (!value.empty()) errors["wert"] = "Entweder einen Wert angeben oder „nicht berichtet“ wählen, nicht beides.";
    out.value.reset();
  } else if (value.empty()) {
    errors["wert"] = "Bitte geben Sie einen Wert an oder wählen Sie „nicht berichtet“.";
  } else if (auto number = ParseLocalNumber(value)) {
    out.value = *number;
  } else {
    errors["wert"] = "Der Wert ist keine Zahl. Bitte mit Dezimalkomma angeben, z. B. 1.234,5.";
  }
  auto qualifier = ParseQualifier(FormValue(form, "angabe").empty() ? "exact" : FormValue(form, "angabe"));
  if (!qualifier) {
    errors["angabe"] = "Bitte wählen Sie eine der angebotenen Angaben.";
  } else {
    out.qualifier = *qualifier;
  }
  struct Text {
    const char* name;
    std::string* target;
    size_t max;
    const char* label;
  };
  for (const Text& t : {Text{"zeitraum", &out.period, 100, "Der Zeitraum"}, Text{"einheit", &out.unit, 100, "Die Einheit"},
                        Text{"quelle", &out.source, kMaxTextLength, "Die Quelle"},
                        Text{"anmerkung", &out.note, kMaxTextLength, "Die Anmerkung"}}) {
    std::string text = Trim(FormValue(form, t.name));
    if (text.size() > t.max) {
      errors[t.name] = std::string(t.label) + " darf höchstens " + std::to_string(t.max) + " Zeichen lang sein.";
    } else {
      *t.target = text;
    }
  }
  return errors;
}

FormData FormOf(const KpiValue& v) {
  FormData form{{"datum", GermanDate(v.date)},          {"zeitraum", v.period}, {"einheit", v.unit},
                {"angabe", QualifierName(v.qualifier)}, {"quelle", v.source}, {"anmerkung", v.note}};
  if (v.value) {
    form["wert"] = FormatLocalNumber(*v.value);
  } else {
    form["nicht_berichtet"] = "1";
  }
  return form;
}

std::string ValueFields(const FormData& form, const FieldErrors& errors) {
  std::string html;
  html += InputField({"datum", "Stichtag", "text", "TT.MM.JJJJ: das Datum, auf das sich der Wert bezieht (Ende des Zeitraums).",
                      true},
                FormValue(form, "datum"), errors);
  html += InputField({"zeitraum", "Zeitraum", "text", "Optional, z. B. 2024 oder Q2/2024."}, FormValue(form, "zeitraum"), errors);
  html += InputField({"wert", "Wert", "number-text", "Mit Dezimalkomma, z. B. 1.234,5."}, FormValue(form, "wert"), errors);
  html += InputField({"nicht_berichtet", "nicht berichtet (für diesen Stichtag liegt kein Wert vor)", "checkbox"},
                FormValue(form, "nicht_berichtet"), errors);
  html += SelectField({"angabe", "Genauigkeit"}, QualifierOptions(), FormValue(form, "angabe"), errors);
  html += InputField({"einheit", "Einheit", "text", "Leer lassen, wenn es die Einheit des Indikators ist."},
                FormValue(form, "einheit"), errors);
  html += InputField({"quelle", "Quelle", "text", "Woher der Wert stammt, z. B. Amt für Statistik."}, FormValue(form, "quelle"),
                errors);
  html += InputField({"anmerkung", "Anmerkung", "textarea", "Öffentlich sichtbar, sobald der Wert veröffentlicht ist."},
                FormValue(form, "anmerkung"), errors);
  return html;
}

}  // namespace datenwerk::verwaltung
