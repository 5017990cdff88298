#include "sheets/figures.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/csv.h"
#include "core/dates.h"
#include "core/german_number.h"

namespace datenwerk::sheets {

namespace {

const char* QualifierLabel(Qualifier q) {
  switch (q) {
    case Qualifier::kExact: return "genau";
    case Qualifier::kApprox: return "ca.";
    case Qualifier::kAtLeast: return "mindestens";
    case Qualifier::kAtMost: return "höchstens";
  }
  return "genau";
}

const char* DirectionLabel(Direction d) {
  switch (d) {
    case Direction::kUp: return "steigen";
    case Direction::kDown: return "sinken";
    case Direction::kUnset: return "";
  }
  return "";
}


}  // namespace

Table KpiFigures(const Catalogue& c) {
  Table t{"Kennzahlen",
          {"Thema", "Handlungsfeld", "Kennung", "Indikator", "Einheit", "Ausgangswert", "Ausgangsdatum", "Zielwert",
           "Zieldatum", "Richtung", "Neuester Wert", "Genauigkeit", "Stichtag", "Quelle", "Fortschritt"},
          {}};
  for (const Theme& theme : c.data().themes) {
    for (const Field* field : c.FieldsOf(theme.id)) {
      for (const Kpi* k : c.KpisOfField(field->id)) {
        const KpiSettings& s = k->settings;
        const KpiValue* latest = c.LatestValue(k->id);
        t.rows.push_back({Cell::Text(theme.name), Cell::Text(field->name), Cell::Text(k->id), Cell::Text(k->name),
                          Cell::Text(s.unit), Cell::Number(s.baseline_value), Cell::Text(GermanDate(s.baseline_date)),
                          Cell::Number(s.target_value), Cell::Text(GermanDate(s.target_date)),
                          Cell::Text(DirectionLabel(s.direction)), Cell::Number(latest ? latest->value : std::nullopt),
                          Cell::Text(latest ? QualifierLabel(latest->qualifier) : ""),
                          Cell::Text(latest ? GermanDate(latest->date) : ""), Cell::Text(latest ? latest->source : ""),
                          Cell::Text(ProgressStatusLabel(c.ProgressOf(k->id).status))});
      }
    }
  }
  return t;
}

Table AllValues(const Catalogue& c) {
  Table t{"Werte",
          {"Kennung", "Indikator", "Stichtag", "Zeitraum", "Wert", "Einheit", "Genauigkeit", "Quelle", "Anmerkung"},
          {}};
  for (const Kpi& k : c.data().kpis) {
    for (const KpiValue* v : c.ValuesOf(k.id)) {
      t.rows.push_back({Cell::Text(k.id), Cell::Text(k.name), Cell::Text(GermanDate(v->date)), Cell::Text(v->period),
                        v->value ? Cell::Number(v->value) : Cell::Text("nicht berichtet"), Cell::Text(v->unit),
                        Cell::Text(QualifierLabel(v->qualifier)), Cell::Text(v->source), Cell::Text(v->note)});
    }
  }
  return t;
}

std::string ToGermanCsv(const Table& table) {
  std::string out = "\xEF\xBB\xBF";
  AppendCsvRow(out, table.header, ';');
  std::vector<std::string> cells;
  for (const auto& row : table.rows) {
    cells.clear();
    for (const Cell& cell : row) cells.push_back(cell.number ? FormatLocalNumber(*cell.number) : SpreadsheetSafe(cell.text));
    AppendCsvRow(out, cells, ';');
  }
  return out;
}

Result<std::string> ToXlsx(const std::vector<Table>& tables) {
  std::string path = (std::filesystem::temp_directory_path() / "datenwerk-export-XXXXXX").string();
  int fd = mkstemp(path.data());
  if (fd < 0) return Internal("cannot create a temporary file for the XLSX export");
  close(fd);
  struct Remove {
    std::string path;
    ~Remove() { std::remove(path.c_str()); }
  } remove{path};
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (!workbook) return Internal("libxlsxwriter could not start a workbook");
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  for (const Table& table : tables) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, table.name.c_str());
    if (!sheet) {
      workbook_close(workbook);
      return Internal("libxlsxwriter refused a sheet name");
    }
    for (size_t col = 0; col < table.header.size(); ++col) {
      worksheet_write_string(sheet, 0, static_cast<lxw_col_t>(col), table.header[col].c_str(), bold);
    }
    worksheet_freeze_panes(sheet, 1, 0);
    for (size_t r = 0; r < table.rows.size(); ++r) {
      const auto row = static_cast<lxw_row_t>(r + 1);
      for (size_t col = 0; col < table.rows[r].size(); ++col) {
        const Cell& cell = table.rows[r][col];
        const auto column = static_cast<lxw_col_t>(col);
        // A string cell is never evaluated, whatever it starts with: no formula can hide in it.
        if (cell.number) {
          worksheet_write_number(sheet, row, column, *cell.number, nullptr);
        } else if (!cell.text.empty()) {
          worksheet_write_string(sheet, row, column, cell.text.c_str(), nullptr);
        }
      }
    }
  }
  if (lxw_error e = workbook_close(workbook); e != LXW_NO_ERROR) {
    return Internal(std::string("XLSX export failed: ") + lxw_strerror(e));
  }
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace datenwerk::sheets
