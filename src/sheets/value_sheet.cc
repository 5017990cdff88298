#include "sheets/value_sheet.h"

#include <array>
#include <map>

#include "core/csv.h"
#include "core/dates.h"
#include "core/german_number.h"
#include "core/kpi_value.h"
#include "sheets/encoding.h"

namespace datenwerk::sheets {

namespace {

enum Column { kKpi, kDate, kValue, kUnit, kQualifier, kSource, kNote, kPeriod, kColumns };

// Accepted header names per column (compared in lower case, trimmed).
const std::array<std::vector<std::string>, kColumns>& HeaderNames() {
  static const std::array<std::vector<std::string>, kColumns> kNames = {{
      {"kennung", "kpi_id", "kpi", "indikator"},
      {"stichtag", "datum", "date"},
      {"wert", "value"},
      {"einheit", "unit"},
      {"genauigkeit", "angabe", "qualifier"},
      {"quelle", "source"},
      {"anmerkung", "note"},
      {"zeitraum", "period"},
  }};
  return kNames;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// The separator that occurs most often in the header line, outside quotes.
char DetectSeparator(std::string_view text) {
  int semicolons = 0, commas = 0, tabs = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '\n') break;
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    semicolons += c == ';';
    commas += c == ',';
    tabs += c == '\t';
  }
  if (tabs > semicolons && tabs > commas) return '\t';
  return semicolons >= commas && semicolons > 0 ? ';' : ',';
}

std::string LineOf(const Status& s) {
  const std::string& where = s.field();
  size_t colon = where.rfind(':');
  return colon == std::string::npos ? "" : where.substr(colon + 1);
}

// ParseCsv's failures in German.
Status GermanCsvError(const Status& s) {
  const std::string line = LineOf(s);
  const std::string& m = s.message();
  std::string text;
  if (m.rfind("quote inside", 0) == 0) {
    text = "Ein Anführungszeichen steht mitten in einer Zelle.";
  } else if (m.rfind("unterminated", 0) == 0) {
    text = "Ein Anführungszeichen wird nicht geschlossen.";
  } else if (m.rfind("file is empty", 0) == 0) {
    return InvalidArgument("Die Datei ist leer; die erste Zeile muss die Spaltennamen enthalten.", "datei");
  } else if (m.rfind("row has", 0) == 0) {
    text = "Die Zeile hat eine andere Zahl von Spalten als die Kopfzeile (" + m.substr(8) + ").";
    for (auto [from, to] : {std::pair{"cells, the header has", "Zellen, Kopfzeile:"}}) {
      if (size_t at = text.find(from); at != std::string::npos) text.replace(at, std::string(from).size(), to);
    }
  } else {
    text = "Die Datei ist als CSV nicht lesbar.";
  }
  return InvalidArgument("Zeile " + line + ": " + text, "Zeile " + line);
}

std::optional<Qualifier> ReadQualifier(const std::string& text) {
  static const std::map<std::string, Qualifier> kNames = {
      {"", Qualifier::kExact},          {"genau", Qualifier::kExact},       {"exact", Qualifier::kExact},
      {"ca.", Qualifier::kApprox},      {"ca", Qualifier::kApprox},         {"ungefähr", Qualifier::kApprox},
      {"approx", Qualifier::kApprox},   {"mindestens", Qualifier::kAtLeast}, {"at_least", Qualifier::kAtLeast},
      {"höchstens", Qualifier::kAtMost}, {"at_most", Qualifier::kAtMost}};
  auto it = kNames.find(Lower(text));
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

// A cell that a spreadsheet would run: refused, whatever it says.
bool LooksLikeFormula(const std::string& cell) { return !cell.empty() && (cell[0] == '=' || cell[0] == '@'); }

bool SameFigure(const KpiValue& a, const KpiValue& b) {
  return a.value == b.value && a.unit == b.unit && a.qualifier == b.qualifier && a.source == b.source &&
         a.note == b.note && a.period == b.period;
}

}  // namespace

Result<ImportPlan> PlanValueImport(std::string_view file, const Catalogue& catalogue, const ImportRules& rules) {
  auto decoded = DecodeText(file);
  if (!decoded.ok()) return decoded.status();
  ImportPlan plan;
  plan.encoding = decoded->encoding;
  plan.separator = DetectSeparator(decoded->text);
  auto table = ParseCsv(decoded->text, "datei", plan.separator);
  if (!table.ok()) return GermanCsvError(table.status());
  if (table->rows.size() > kMaxImportRows) {
    return InvalidArgument("Die Datei hat " + std::to_string(table->rows.size()) + " Zeilen; höchstens " +
                               std::to_string(kMaxImportRows) + " sind je Import möglich. Bitte teilen Sie sie auf.",
                           "datei");
  }
  std::array<int, kColumns> column;
  column.fill(-1);
  for (size_t i = 0; i < table->header.size(); ++i) {
    std::string name = Lower(Trim(table->header[i]));
    bool known = false;
    for (int c = 0; c < kColumns; ++c) {
      for (const std::string& accepted : HeaderNames()[c]) {
        if (name != accepted) continue;
        if (column[c] >= 0) {
          return InvalidArgument("Zeile 1: Die Spalte „" + Trim(table->header[i]) + "“ kommt doppelt vor.", "Zeile 1");
        }
        column[c] = static_cast<int>(i);
        known = true;
      }
    }
    if (!known && !name.empty()) {
      return InvalidArgument("Zeile 1: Die Spalte „" + Trim(table->header[i]) +
                                 "“ ist unbekannt. Erlaubt sind Kennung, Stichtag, Wert, Einheit, Genauigkeit, Quelle, "
                                 "Anmerkung und Zeitraum.",
                             "Zeile 1");
    }
  }
  for (auto [c, label] : {std::pair{kKpi, "Kennung"}, std::pair{kDate, "Stichtag"}, std::pair{kValue, "Wert"}}) {
    if (column[c] < 0) {
      return InvalidArgument(std::string("Zeile 1: Die Spalte „") + label + "“ fehlt.", "Zeile 1");
    }
  }

  std::map<std::pair<std::string, std::string>, int> seen;  // (KPI, date) -> line
  for (const CsvRow& csv : table->rows) {
    auto cell = [&](Column c) { return column[c] < 0 ? std::string() : Trim(csv.cells[column[c]]); };
    bool empty = true;
    for (const std::string& s : csv.cells) empty = empty && Trim(s).empty();
    if (empty) continue;  // spreadsheets leave such rows
    ImportRow row;
    row.line = csv.line;
    auto fail = [&](std::string message) {
      row.outcome = RowOutcome::kError;
      row.error = std::move(message);
    };
    KpiValue& v = row.value;
    v.kpi_id = cell(kKpi);
    v.unit = cell(kUnit);
    v.source = cell(kSource);
    v.note = cell(kNote);
    v.period = cell(kPeriod);
    const Kpi* kpi = catalogue.FindKpi(v.kpi_id);
    auto date = ParseGermanOrIsoDate(cell(kDate));
    auto qualifier = ReadQualifier(cell(kQualifier));
    const std::string value_text = cell(kValue);
    std::string formula;
    for (Column c : {kKpi, kDate, kValue, kUnit, kQualifier, kSource, kNote, kPeriod}) {
      if (formula.empty() && LooksLikeFormula(cell(c))) formula = cell(c).substr(0, 40);
    }
    if (!formula.empty()) {
      fail("Die Zelle „" + formula + "“ ist eine Formel; bitte nur Werte eintragen.");
    } else if (!kpi) {
      fail(v.kpi_id.empty() ? "Die Kennung fehlt." : "Einen Indikator „" + v.kpi_id.substr(0, 60) + "“ gibt es nicht.");
    } else if (!rules.may_enter(*kpi)) {
      fail("Sie dürfen für diesen Indikator keine Werte eintragen.");
    } else if (!date) {
      fail(cell(kDate).empty() ? "Der Stichtag fehlt." : "Der Stichtag „" + cell(kDate).substr(0, 20) +
                                                            "“ ist kein gültiges Datum (TT.MM.JJJJ).");
    } else if (!qualifier) {
      fail("Die Genauigkeit „" + cell(kQualifier).substr(0, 20) + "“ ist unbekannt (genau, ca., mindestens, höchstens).");
    } else if (value_text.empty()) {
      fail("Der Wert fehlt; für einen Stichtag ohne Wert schreiben Sie „nicht berichtet“.");
    } else if (Lower(value_text) != "nicht berichtet" && !ParseLocalNumber(value_text)) {
      fail("Der Wert „" + value_text.substr(0, 30) + "“ ist keine Zahl.");
    } else {
      v.date = *date;
      v.qualifier = *qualifier;
      if (Lower(value_text) != "nicht berichtet") v.value = ParseLocalNumber(value_text);
      if (Status s = ValidateKpiValue(v); !s.ok()) {
        fail("Ein Text ist zu lang (höchstens " + std::to_string(kMaxTextLength) + " Zeichen).");
      }
    }
    if (row.error.empty()) {
      auto [it, fresh] = seen.emplace(std::pair{v.kpi_id, v.date}, row.line);
      if (!fresh) fail("Derselbe Indikator und Stichtag stehen schon in Zeile " + std::to_string(it->second) + ".");
    }
    if (row.error.empty()) {
      row.outcome = RowOutcome::kNew;
      for (const KpiValue* published : catalogue.ValuesOf(v.kpi_id)) {
        if (published->date != v.date) continue;
        v.id = published->id;
        row.published = published->value;
        row.outcome = SameFigure(*published, v) ? RowOutcome::kUnchanged : RowOutcome::kChange;
        if (row.outcome == RowOutcome::kChange && rules.pending(v.kpi_id, published->id)) {
          fail("Für den veröffentlichten Wert zu diesem Stichtag wartet schon eine Änderung auf Prüfung.");
        }
        break;
      }
    }
    switch (row.outcome) {
      case RowOutcome::kNew: ++plan.new_rows; break;
      case RowOutcome::kChange: ++plan.changed_rows; break;
      case RowOutcome::kUnchanged: ++plan.unchanged_rows; break;
      case RowOutcome::kError: ++plan.error_rows; break;
    }
    plan.rows.push_back(std::move(row));
  }
  if (plan.rows.empty()) {
    return InvalidArgument("Die Datei enthält keine Werte, nur die Kopfzeile.", "datei");
  }
  return plan;
}

std::string ImportTemplate() {
  std::string out = "\xEF\xBB\xBF";
  AppendCsvRow(out, {"Kennung", "Stichtag", "Wert", "Einheit", "Genauigkeit", "Quelle", "Anmerkung", "Zeitraum"}, ';');
  AppendCsvRow(out, {"SCBOK-NMU-KK-K1.2", "31.12.2025", "64", "Sensoren", "genau", "Umweltamt", "", "2025"}, ';');
  return out;
}

}  // namespace datenwerk::sheets
