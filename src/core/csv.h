// RFC 4180 CSV reading with line numbers, so import errors can say "file:line".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace datenwerk {

struct CsvRow {
  int line = 0;  // 1-based line where the record starts
  std::vector<std::string> cells;
};

struct CsvTable {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;

  // Index of a header column, or -1.
  int Column(std::string_view name) const;
};

// Parses the whole text (a UTF-8 byte order mark and CR LF line ends are fine; `separator` is
// ',' or, as German spreadsheets write, ';'). Fails on an unterminated quote or a row whose cell
// count differs from the header's; the status field is "<source_name>:<line>".
Result<CsvTable> ParseCsv(std::string_view text, std::string_view source_name,
                          char separator = ',');

// A cell that a spreadsheet would run as a formula (it starts with = + - @, a tab or a CR) gets
// a leading apostrophe so that it stays text; plain numbers ("-5", "+1,5") stay as they are.
// For every export that people open in Excel or LibreOffice (CSV injection).
std::string SpreadsheetSafe(std::string_view cell);

// Writes one record, quoting cells that need it; ends with "\r\n" as RFC 4180 asks.
// `separator` is ',' or, for spreadsheets in German, ';'.
void AppendCsvRow(std::string& out, const std::vector<std::string>& cells, char separator = ',');

}  // namespace datenwerk
