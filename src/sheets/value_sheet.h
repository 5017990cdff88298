// Spreadsheet import of KPI values: a CSV file (UTF-8, UTF-16 or Windows-1252; comma, semicolon
// or tab; German decimal commas) read into a plan that says per row, with its line number, what
// would happen: a new value, a change of a published one, nothing (unchanged), or what is wrong.
// Nothing is written here; the plan is applied all or nothing elsewhere. Pure.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/catalogue.h"
#include "core/status.h"

namespace datenwerk::sheets {

inline constexpr size_t kMaxImportRows = 50'000;

enum class RowOutcome { kNew, kChange, kUnchanged, kError };

struct ImportRow {
  int line = 0;       // 1-based line of the file where the row starts
  KpiValue value;     // as read; value.id is the published value it changes (kChange, kUnchanged)
  RowOutcome outcome = RowOutcome::kError;
  std::optional<double> published;  // the published figure it changes
  std::string error;  // German, for kError
};

struct ImportPlan {
  std::string encoding;
  char separator = ',';
  std::vector<ImportRow> rows;
  int new_rows = 0, changed_rows = 0, unchanged_rows = 0, error_rows = 0;
};

struct ImportRules {
  // May the importing person enter values for this KPI?
  std::function<bool(const Kpi&)> may_enter;
  // Does a change of this published value of the KPI wait for review already?
  std::function<bool(const std::string& kpi_id, int64_t value_id)> pending;
};

// The columns (first row; German or English names, any order): kennung|kpi_id (required),
// stichtag|datum|date (required), wert|value (required; "nicht berichtet" for none), einheit|unit,
// genauigkeit|qualifier (genau, ca., mindestens, höchstens or the English names), quelle|source,
// anmerkung|note, zeitraum|period. kInvalidArgument (German, field "datei" or "Zeile N") when the
// file as a whole cannot be read: encoding, quoting, columns, more than kMaxImportRows rows.
Result<ImportPlan> PlanValueImport(std::string_view file, const Catalogue& catalogue, const ImportRules& rules);

// The template offered for download: the header row and one example row.
std::string ImportTemplate();

}  // namespace datenwerk::sheets
