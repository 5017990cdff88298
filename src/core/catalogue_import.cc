#include "core/catalogue_import.h"

#include <charconv>
#include <cmath>
#include <set>

#include "core/csv.h"
#include "core/dates.h"
#include "core/kpi_value.h"

namespace datenwerk {

namespace {

// Reads named columns of one table; every lookup is checked once against the header.
class TableReader {
 public:
  TableReader(const CsvTable& table, std::string file) : table_(table), file_(std::move(file)) {}

  Status RequireColumns(std::initializer_list<const char*> names) {
    for (const char* n : names) {
      int col = table_.Column(n);
      if (col < 0) return InvalidArgument(std::string("missing column '") + n + "'", file_ + ":1");
      columns_[n] = col;
    }
    return Status::Ok();
  }
  const std::string& Cell(const CsvRow& row, const char* name) const {
    return row.cells[static_cast<size_t>(columns_.at(name))];
  }
  Status Error(const CsvRow& row, std::string message) const {
    return InvalidArgument(std::move(message), file_ + ":" + std::to_string(row.line));
  }

 private:
  const CsvTable& table_;
  std::string file_;
  std::map<std::string, int> columns_;
};

std::vector<std::string> SplitTrimmed(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    size_t b = part.find_first_not_of(' ');
    size_t e = part.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(part.substr(b, e - b + 1));
    start = end + 1;
  }
  return out;
}

// An SDG reference: goal 1-17, then optional target/indicator parts ("9.C.1", "4A").
bool IsSdgTarget(const std::string& s) {
  size_t digits = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
  if (digits == 0 || digits > 2) return false;
  int goal = std::stoi(s.substr(0, digits));
  if (goal < 1 || goal > 17) return false;
  for (size_t i = digits; i < s.size(); ++i) {
    if (!std::isalnum(static_cast<unsigned char>(s[i])) && s[i] != '.') return false;
  }
  return true;
}

template <typename T>
Status CheckUnique(std::set<std::string>& seen, const TableReader& r, const CsvRow& row,
                   const std::string& id) {
  if (id.empty()) return r.Error(row, "id is empty");
  if (!seen.insert(id).second) return r.Error(row, "duplicate id '" + id + "'");
  return Status::Ok();
}

class Importer {
 public:
  explicit Importer(const CatalogueFiles& files) : files_(files) {}

  Result<CatalogueData> Run() {
    for (auto step : {&Importer::Themes, &Importer::Fields, &Importer::Measures, &Importer::Kpis,
                      &Importer::KnownValues, &Importer::PublicIndicators}) {
      Status s = (this->*step)();
      if (!s.ok()) return s;
    }
    return std::move(data_);
  }

 private:
  Result<CsvTable> Load(const char* name) {
    auto it = files_.find(name);
    if (it == files_.end()) return InvalidArgument("file is missing", name);
    return ParseCsv(it->second, name);
  }

  Status Themes() {
    auto table = Load("themes.csv");
    if (!table.ok()) return table.status();
    TableReader r(*table, "themes.csv");
    if (auto s = r.RequireColumns({"theme_id", "name"}); !s.ok()) return s;
    for (const CsvRow& row : table->rows) {
      Theme t{r.Cell(row, "theme_id"), r.Cell(row, "name")};
      if (auto s = CheckUnique<Theme>(theme_ids_, r, row, t.id); !s.ok()) return s;
      if (t.name.empty()) return r.Error(row, "name is empty");
      data_.themes.push_back(std::move(t));
    }
    return Status::Ok();
  }

  Status Fields() {
    auto table = Load("fields.csv");
    if (!table.ok()) return table.status();
    TableReader r(*table, "fields.csv");
    if (auto s = r.RequireColumns({"field_id", "theme_id", "chapter", "name"}); !s.ok()) return s;
    for (const CsvRow& row : table->rows) {
      Field f{r.Cell(row, "field_id"), r.Cell(row, "theme_id"), r.Cell(row, "chapter"),
              r.Cell(row, "name")};
      if (auto s = CheckUnique<Field>(field_ids_, r, row, f.id); !s.ok()) return s;
      if (!theme_ids_.count(f.theme_id)) return r.Error(row, "unknown theme '" + f.theme_id + "'");
      if (f.name.empty()) return r.Error(row, "name is empty");
      field_theme_[f.id] = f.theme_id;
      data_.fields.push_back(std::move(f));
    }
    return Status::Ok();
  }

  Status Measures() {
    auto table = Load("measures.csv");
    if (!table.ok()) return table.status();
    TableReader r(*table, "measures.csv");
    if (auto s = r.RequireColumns({"measure_id", "field_id", "name", "summary", "timeframe",
                                   "status", "id_as_printed", "anomaly"});
        !s.ok()) {
      return s;
    }
    for (const CsvRow& row : table->rows) {
      Measure m{r.Cell(row, "measure_id"), r.Cell(row, "field_id"),  r.Cell(row, "name"),
                r.Cell(row, "summary"),    r.Cell(row, "timeframe"), r.Cell(row, "status"),
                r.Cell(row, "id_as_printed"), r.Cell(row, "anomaly")};
      if (auto s = CheckUnique<Measure>(measure_ids_, r, row, m.id); !s.ok()) return s;
      if (!field_theme_.count(m.field_id)) return r.Error(row, "unknown field '" + m.field_id + "'");
      if (m.name.empty()) return r.Error(row, "name is empty");
      if (!ClassifyMeasureStatus(m.status)) {
        return r.Error(row, "unknown status '" + m.status +
                                "' (expected it to begin with Neu, Projektidee, In Planung, "
                                "In Umsetzung, Laufend or Umgesetzt)");
      }
      measure_field_[m.id] = m.field_id;
      data_.measures.push_back(std::move(m));
    }
    return Status::Ok();
  }

  Status Kpis() {
    auto table = Load("kpis.csv");
    if (!table.ok()) return table.status();
    TableReader r(*table, "kpis.csv");
    if (auto s = r.RequireColumns({"kpi_id", "field_id", "scope", "measure_id", "name",
                                   "reference", "sdg_targets", "linked_to_running_measure",
                                   "id_as_printed", "anomaly"});
        !s.ok()) {
      return s;
    }
    for (const CsvRow& row : table->rows) {
      Kpi k;
      k.id = r.Cell(row, "kpi_id");
      k.field_id = r.Cell(row, "field_id");
      k.scope = r.Cell(row, "scope");
      k.measure_id = r.Cell(row, "measure_id");
      k.name = r.Cell(row, "name");
      k.id_as_printed = r.Cell(row, "id_as_printed");
      k.anomaly = r.Cell(row, "anomaly");
      if (auto s = CheckUnique<Kpi>(kpi_ids_, r, row, k.id); !s.ok()) return s;
      if (!field_theme_.count(k.field_id)) return r.Error(row, "unknown field '" + k.field_id + "'");
      if (k.name.empty()) return r.Error(row, "name is empty");
      if (k.scope != "measure" && k.scope != "field") {
        return r.Error(row, "scope must be 'measure' or 'field', not '" + k.scope + "'");
      }
      if (k.scope == "measure" && k.measure_id.empty()) {
        return r.Error(row, "scope 'measure' needs a measure_id");
      }
      // A KPI may name a measure the catalogue lacks (the printed concept does); it still loads
      // and Catalogue::KpisWithMissingMeasure lists it. A measure of another field is an error.
      auto mf = measure_field_.find(k.measure_id);
      if (mf != measure_field_.end() && mf->second != k.field_id) {
        return r.Error(row, "measure '" + k.measure_id + "' belongs to field '" + mf->second +
                                "', not '" + k.field_id + "'");
      }
      k.references = SplitTrimmed(r.Cell(row, "reference"), ',');
      if (k.references.empty()) return r.Error(row, "reference is empty");
      for (const std::string& ref : k.references) {
        if (ref != "UN" && ref != "EU" && ref != "EIGENE") {
          return r.Error(row, "reference must be UN, EU or EIGENE, not '" + ref + "'");
        }
      }
      k.sdg_targets = SplitTrimmed(r.Cell(row, "sdg_targets"), ';');
      for (const std::string& sdg : k.sdg_targets) {
        if (!IsSdgTarget(sdg)) return r.Error(row, "not an SDG target: '" + sdg + "'");
      }
      const std::string& linked = r.Cell(row, "linked_to_running_measure");
      if (linked != "yes" && linked != "no") {
        return r.Error(row, "linked_to_running_measure must be yes or no");
      }
      k.linked_to_running_measure = linked == "yes";
      data_.kpis.push_back(std::move(k));
    }
    return Status::Ok();
  }

  Status KnownValues() {
    auto table = Load("known_values.csv");
    if (!table.ok()) return table.status();
    TableReader r(*table, "known_values.csv");
    if (auto s = r.RequireColumns({"kpi_id", "value", "unit", "as_of", "qualifier", "source",
                                   "note"});
        !s.ok()) {
      return s;
    }
    for (const CsvRow& row : table->rows) {
      const std::string& kpi = r.Cell(row, "kpi_id");
      auto value = ParseNumber(r.Cell(row, "value"));
      if (!value) return r.Error(row, "value is not a number: '" + r.Cell(row, "value") + "'");
      const std::string& as_of = r.Cell(row, "as_of");
      if (!IsIsoDate(as_of)) return r.Error(row, "as_of is not a date (YYYY-MM-DD)");
      auto qualifier = ParseQualifier(r.Cell(row, "qualifier"));
      if (!qualifier) return r.Error(row, "qualifier must be exact, approx, at_least or at_most");
      if (kpi.empty()) {
        data_.context_facts.push_back(ContextFact{*value, r.Cell(row, "unit"), as_of, *qualifier,
                                                  r.Cell(row, "source"), r.Cell(row, "note")});
        continue;
      }
      if (!kpi_ids_.count(kpi)) return r.Error(row, "unknown KPI '" + kpi + "'");
      KpiValue v;
      v.kpi_id = kpi;
      v.date = as_of;
      v.value = *value;
      v.unit = r.Cell(row, "unit");
      v.qualifier = *qualifier;
      v.source = r.Cell(row, "source");
      v.note = r.Cell(row, "note");
      v.entered_by = "import";
      data_.values.push_back(std::move(v));
    }
    return Status::Ok();
  }

  Status PublicIndicators() {
    auto table = Load("public_indicators.csv");
    if (!table.ok()) return table.status();
    TableReader r(*table, "public_indicators.csv");
    if (auto s = r.RequireColumns({"indicator_id", "theme_id", "title", "kpi_id", "measured_on",
                                   "note"});
        !s.ok()) {
      return s;
    }
    std::set<std::string> ids;
    for (const CsvRow& row : table->rows) {
      PublicIndicator p{r.Cell(row, "indicator_id"), r.Cell(row, "theme_id"), r.Cell(row, "title"),
                        r.Cell(row, "kpi_id"),       r.Cell(row, "measured_on"), r.Cell(row, "note")};
      if (auto s = CheckUnique<PublicIndicator>(ids, r, row, p.id); !s.ok()) return s;
      if (!theme_ids_.count(p.theme_id)) return r.Error(row, "unknown theme '" + p.theme_id + "'");
      if (!p.kpi_id.empty() && !kpi_ids_.count(p.kpi_id)) {
        return r.Error(row, "unknown KPI '" + p.kpi_id + "'");
      }
      if (!IsIsoDate(p.measured_on)) return r.Error(row, "measured_on is not a date (YYYY-MM-DD)");
      if (p.title.empty()) return r.Error(row, "title is empty");
      data_.public_indicators.push_back(std::move(p));
    }
    return Status::Ok();
  }

  const CatalogueFiles& files_;
  CatalogueData data_;
  std::set<std::string> theme_ids_, measure_ids_, kpi_ids_, field_ids_;
  std::map<std::string, std::string> field_theme_, measure_field_;
};

}  // namespace

Result<CatalogueData> ParseCatalogue(const CatalogueFiles& files) { return Importer(files).Run(); }

}  // namespace datenwerk
