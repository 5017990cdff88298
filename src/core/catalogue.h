// The smart-city catalogue: themes -> fields of action -> measures -> KPIs, the KPI values over
// time, and the public indicators of the progress page. Plain data plus an indexed, immutable
// read model (`Catalogue`) that is safe to share between threads once built.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/kpi_types.h"
#include "core/measure_status.h"
#include "core/progress.h"

namespace datenwerk {

struct Theme {
  std::string id;
  std::string name;
};

struct Field {
  std::string id;
  std::string theme_id;
  std::string chapter;
  std::string name;
};

struct Measure {
  std::string id;
  std::string field_id;
  std::string name;
  std::string summary;
  std::string timeframe;
  std::string status;  // as printed, e.g. "Umgesetzt, im Regelbetrieb mit Ausbau"
  std::string id_as_printed;
  std::string anomaly;
  MeasureStage stage() const { return ClassifyMeasureStatus(status).value_or(MeasureStage::kIdea); }
};

struct Kpi {
  std::string id;
  std::string field_id;
  std::string scope;       // "measure" or "field"
  std::string measure_id;  // empty for field-scope KPIs; may name a measure the catalogue lacks
  std::string name;
  std::vector<std::string> references;  // "UN" (U4SSC), "EU" (CITYkeys), "EIGENE"
  std::vector<std::string> sdg_targets;  // e.g. "17.8.1"
  bool linked_to_running_measure = false;
  std::string id_as_printed;
  std::string anomaly;
  KpiSettings settings;
};

struct PublicIndicator {
  std::string id;
  std::string theme_id;
  std::string title;
  std::string kpi_id;  // may be empty: not every public figure is a catalogue KPI
  std::string measured_on;
  std::string note;
};

// A figure from the concept that belongs to no KPI (population, a ranking, ...).
struct ContextFact {
  double value = 0;
  std::string unit;
  std::string as_of;
  Qualifier qualifier = Qualifier::kExact;
  std::string source;
  std::string note;
};

struct CatalogueData {
  std::vector<Theme> themes;
  std::vector<Field> fields;
  std::vector<Measure> measures;
  std::vector<Kpi> kpis;
  std::vector<KpiValue> values;
  std::vector<PublicIndicator> public_indicators;
  std::vector<ContextFact> context_facts;
};

// Immutable, indexed view over CatalogueData. Lists keep a stable order (by id; values by date).
class Catalogue {
 public:
  explicit Catalogue(CatalogueData data);

  const CatalogueData& data() const { return data_; }
  const Theme* FindTheme(const std::string& id) const;
  const Field* FindField(const std::string& id) const;
  const Measure* FindMeasure(const std::string& id) const;
  const Kpi* FindKpi(const std::string& id) const;
  // Values of one KPI, oldest first. Empty when there are none.
  const std::vector<const KpiValue*>& ValuesOf(const std::string& kpi_id) const;
  // The newest reported (non-empty) value, or null.
  const KpiValue* LatestValue(const std::string& kpi_id) const;
  // KPIs that name a measure the catalogue lacks.
  std::vector<const Kpi*> KpisWithMissingMeasure() const;

  // Derived views, computed once when the snapshot is built.
  const std::vector<const Field*>& FieldsOf(const std::string& theme_id) const;
  const std::vector<const Measure*>& MeasuresOf(const std::string& field_id) const;
  const std::vector<const Kpi*>& KpisOfField(const std::string& field_id) const;
  const std::vector<const Kpi*>& KpisOfMeasure(const std::string& measure_id) const;
  // Theme of a field id; empty when unknown.
  const std::string& ThemeOfField(const std::string& field_id) const;
  StageCounts StagesOfTheme(const std::string& theme_id) const;
  StageCounts StagesOfField(const std::string& field_id) const;
  StageCounts StagesOverall() const;
  int KpiCountOfTheme(const std::string& theme_id) const;
  int MeasureCountOfTheme(const std::string& theme_id) const;
  const ProgressResult& ProgressOf(const std::string& kpi_id) const;

 private:
  CatalogueData data_;
  std::map<std::string, size_t, std::less<>> theme_index_, field_index_, measure_index_,
      kpi_index_;
  std::map<std::string, std::vector<const KpiValue*>, std::less<>> values_by_kpi_;
  std::map<std::string, std::vector<const Field*>, std::less<>> fields_by_theme_;
  std::map<std::string, std::vector<const Measure*>, std::less<>> measures_by_field_;
  std::map<std::string, std::vector<const Kpi*>, std::less<>> kpis_by_field_, kpis_by_measure_;
  std::map<std::string, ProgressResult, std::less<>> progress_;
};

using CatalogueSnapshot = std::shared_ptr<const Catalogue>;

}  // namespace datenwerk
