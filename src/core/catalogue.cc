#include "core/catalogue.h"

#include <algorithm>

namespace datenwerk {

const char* DirectionName(Direction d) {
  switch (d) {
    case Direction::kUp: return "up";
    case Direction::kDown: return "down";
    case Direction::kUnset: break;
  }
  return "unset";
}

std::optional<Direction> ParseDirection(std::string_view s) {
  if (s == "up") return Direction::kUp;
  if (s == "down") return Direction::kDown;
  if (s == "unset" || s.empty()) return Direction::kUnset;
  return std::nullopt;
}

const char* QualifierName(Qualifier q) {
  switch (q) {
    case Qualifier::kApprox: return "approx";
    case Qualifier::kAtLeast: return "at_least";
    case Qualifier::kAtMost: return "at_most";
    case Qualifier::kExact: break;
  }
  return "exact";
}

std::optional<Qualifier> ParseQualifier(std::string_view s) {
  if (s == "exact" || s.empty()) return Qualifier::kExact;
  if (s == "approx") return Qualifier::kApprox;
  if (s == "at_least") return Qualifier::kAtLeast;
  if (s == "at_most") return Qualifier::kAtMost;
  return std::nullopt;
}

namespace {

template <typename T>
void SortAndIndex(std::vector<T>& items, std::map<std::string, size_t, std::less<>>& index) {
  std::stable_sort(items.begin(), items.end(),
                   [](const T& a, const T& b) { return a.id < b.id; });
  for (size_t i = 0; i < items.size(); ++i) index.emplace(items[i].id, i);
}

template <typename T>
const T* Lookup(const std::vector<T>& items, const std::map<std::string, size_t, std::less<>>& index,
                const std::string& id) {
  auto it = index.find(id);
  return it == index.end() ? nullptr : &items[it->second];
}

}  // namespace

Catalogue::Catalogue(CatalogueData data) : data_(std::move(data)) {
  SortAndIndex(data_.themes, theme_index_);
  SortAndIndex(data_.fields, field_index_);
  SortAndIndex(data_.measures, measure_index_);
  SortAndIndex(data_.kpis, kpi_index_);
  std::stable_sort(data_.values.begin(), data_.values.end(),
                   [](const KpiValue& a, const KpiValue& b) {
                     return std::tie(a.kpi_id, a.date, a.id) < std::tie(b.kpi_id, b.date, b.id);
                   });
  for (const KpiValue& v : data_.values) values_by_kpi_[v.kpi_id].push_back(&v);
  for (const Field& f : data_.fields) fields_by_theme_[f.theme_id].push_back(&f);
  for (const Measure& m : data_.measures) measures_by_field_[m.field_id].push_back(&m);
  for (const Kpi& k : data_.kpis) {
    kpis_by_field_[k.field_id].push_back(&k);
    if (!k.measure_id.empty()) kpis_by_measure_[k.measure_id].push_back(&k);
    progress_.emplace(k.id, ComputeProgress(k.settings, SeriesOf(ValuesOf(k.id))));
  }
}

namespace {
template <typename T>
const std::vector<const T*>& ListOr(
    const std::map<std::string, std::vector<const T*>, std::less<>>& m, const std::string& key) {
  static const std::vector<const T*> kNone;
  auto it = m.find(key);
  return it == m.end() ? kNone : it->second;
}
}  // namespace

const std::vector<const Field*>& Catalogue::FieldsOf(const std::string& theme_id) const {
  return ListOr(fields_by_theme_, theme_id);
}
const std::vector<const Measure*>& Catalogue::MeasuresOf(const std::string& field_id) const {
  return ListOr(measures_by_field_, field_id);
}
const std::vector<const Kpi*>& Catalogue::KpisOfField(const std::string& field_id) const {
  return ListOr(kpis_by_field_, field_id);
}
const std::vector<const Kpi*>& Catalogue::KpisOfMeasure(const std::string& measure_id) const {
  return ListOr(kpis_by_measure_, measure_id);
}

const std::string& Catalogue::ThemeOfField(const std::string& field_id) const {
  static const std::string kNone;
  const Field* f = FindField(field_id);
  return f ? f->theme_id : kNone;
}

StageCounts Catalogue::StagesOfField(const std::string& field_id) const {
  StageCounts counts;
  for (const Measure* m : MeasuresOf(field_id)) counts.Add(m->stage());
  return counts;
}

StageCounts Catalogue::StagesOfTheme(const std::string& theme_id) const {
  StageCounts counts;
  for (const Field* f : FieldsOf(theme_id)) {
    for (const Measure* m : MeasuresOf(f->id)) counts.Add(m->stage());
  }
  return counts;
}

StageCounts Catalogue::StagesOverall() const {
  StageCounts counts;
  for (const Measure& m : data_.measures) counts.Add(m.stage());
  return counts;
}

int Catalogue::KpiCountOfTheme(const std::string& theme_id) const {
  int n = 0;
  for (const Field* f : FieldsOf(theme_id)) n += static_cast<int>(KpisOfField(f->id).size());
  return n;
}

int Catalogue::MeasureCountOfTheme(const std::string& theme_id) const {
  return StagesOfTheme(theme_id).total;
}

const ProgressResult& Catalogue::ProgressOf(const std::string& kpi_id) const {
  static const ProgressResult kNone;
  auto it = progress_.find(kpi_id);
  return it == progress_.end() ? kNone : it->second;
}

const Theme* Catalogue::FindTheme(const std::string& id) const {
  return Lookup(data_.themes, theme_index_, id);
}
const Field* Catalogue::FindField(const std::string& id) const {
  return Lookup(data_.fields, field_index_, id);
}
const Measure* Catalogue::FindMeasure(const std::string& id) const {
  return Lookup(data_.measures, measure_index_, id);
}
const Kpi* Catalogue::FindKpi(const std::string& id) const {
  return Lookup(data_.kpis, kpi_index_, id);
}

const std::vector<const KpiValue*>& Catalogue::ValuesOf(const std::string& kpi_id) const {
  static const std::vector<const KpiValue*> kNone;
  auto it = values_by_kpi_.find(kpi_id);
  return it == values_by_kpi_.end() ? kNone : it->second;
}

const KpiValue* Catalogue::LatestValue(const std::string& kpi_id) const {
  const auto& values = ValuesOf(kpi_id);
  for (auto it = values.rbegin(); it != values.rend(); ++it) {
    if ((*it)->value) return *it;
  }
  return nullptr;
}

std::vector<const Kpi*> Catalogue::KpisWithMissingMeasure() const {
  std::vector<const Kpi*> out;
  for (const Kpi& k : data_.kpis) {
    if (!k.measure_id.empty() && !FindMeasure(k.measure_id)) out.push_back(&k);
  }
  return out;
}

}  // namespace datenwerk
