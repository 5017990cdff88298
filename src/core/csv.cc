#include "core/csv.h"

#include "core/german_number.h"

#include <string>

namespace datenwerk {

int CsvTable::Column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

namespace {

std::string Where(std::string_view source, int line) {
  return std::string(source) + ":" + std::to_string(line);
}

}  // namespace

Result<CsvTable> ParseCsv(std::string_view text, std::string_view source_name, char separator) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  std::vector<CsvRow> records;
  CsvRow current;
  std::string cell;
  bool in_quotes = false;
  bool row_has_content = false;
  int line = 1;
  current.line = 1;

  auto end_cell = [&] {
    current.cells.push_back(std::move(cell));
    cell.clear();
  };
  auto end_row = [&] {
    end_cell();
    if (row_has_content || current.cells.size() > 1 || !current.cells[0].empty()) {
      records.push_back(std::move(current));
    }
    current = CsvRow{};
    row_has_content = false;
  };

  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    if (c == separator) {
      end_cell();
      row_has_content = true;
      continue;
    }
    switch (c) {
      case '"':
        if (!cell.empty()) {
          return InvalidArgument("quote inside an unquoted cell", Where(source_name, line));
        }
        in_quotes = true;
        row_has_content = true;
        break;
      case '\r':
        break;
      case '\n':
        end_row();
        ++line;
        current.line = line;
        break;
      default:
        cell.push_back(c);
    }
  }
  if (in_quotes) {
    return InvalidArgument("unterminated quoted cell", Where(source_name, current.line));
  }
  if (!cell.empty() || !current.cells.empty()) end_row();

  if (records.empty()) return InvalidArgument("file is empty, a header row is required",
                                              Where(source_name, 1));
  CsvTable table;
  table.header = std::move(records.front().cells);
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].cells.size() != table.header.size()) {
      return InvalidArgument("row has " + std::to_string(records[r].cells.size()) +
                                 " cells, the header has " +
                                 std::to_string(table.header.size()),
                             Where(source_name, records[r].line));
    }
    table.rows.push_back(std::move(records[r]));
  }
  return table;
}

void AppendCsvRow(std::string& out, const std::vector<std::string>& cells, char separator) {
  const char specials[] = {separator, '"', '\r', '\n', '\0'};
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i) out.push_back(separator);
    const std::string& c = cells[i];
    bool quote = c.find_first_of(specials) != std::string::npos;
    if (!quote) {
      out += c;
      continue;
    }
    out.push_back('"');
    for (char ch : c) {
      if (ch == '"') out.push_back('"');
      out.push_back(ch);
    }
    out.push_back('"');
  }
  out += "\r\n";
}

std::string SpreadsheetSafe(std::string_view cell) {
  if (cell.empty()) return "";
  const char first = cell.front();
  if (first != '=' && first != '+' && first != '-' && first != '@' && first != '\t' && first != '\r') {
    return std::string(cell);
  }
  if ((first == '-' || first == '+') && ParseLocalNumber(cell)) return std::string(cell);
  return "'" + std::string(cell);
}

}  // namespace datenwerk
