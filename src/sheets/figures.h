// The current figures for the yearly report, as tables that become a CSV file for German
// spreadsheets (semicolons, decimal commas, UTF-8 with byte order mark) or an XLSX workbook.
// Text that a spreadsheet would run as a formula stays text: SpreadsheetSafe in CSV, string
// cells in XLSX. Pure except WriteXlsx (temporary file).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/catalogue.h"
#include "core/status.h"

namespace datenwerk::sheets {

struct Cell {
  std::string text;
  std::optional<double> number;  // a number cell when set (text then ignored)
  static Cell Text(std::string t) { return Cell{std::move(t), std::nullopt}; }
  static Cell Number(const std::optional<double>& n) { return n ? Cell{"", n} : Cell{}; }
};

struct Table {
  std::string name;  // the sheet's name
  std::vector<std::string> header;
  std::vector<std::vector<Cell>> rows;
};

// One row per KPI: theme, field, id, name, unit, baseline, target, direction, the newest
// published value with its date, qualifier and source, and the progress status.
Table KpiFigures(const Catalogue& catalogue);
// Every published value.
Table AllValues(const Catalogue& catalogue);

std::string ToGermanCsv(const Table& table);
// An XLSX workbook with one sheet per table; kInternal when the temporary file fails.
Result<std::string> ToXlsx(const std::vector<Table>& tables);

}  // namespace datenwerk::sheets
