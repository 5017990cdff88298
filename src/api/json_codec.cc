#include "api/json_codec.h"

#include "core/json_text.h"

namespace datenwerk::api {

namespace json = boost::json;

namespace {

json::value OrNull(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

json::value Point(const std::optional<double>& value, const std::string& date) {
  if (!value) return nullptr;
  return json::object{{"value", *value}, {"date", date}};
}

}  // namespace

json::object StagesJson(const StageCounts& counts) {
  json::object out;
  for (MeasureStage s : kAllMeasureStages) out[MeasureStageName(s)] = counts.Of(s);
  return out;
}

json::object ThemeJson(const Catalogue& c, const Theme& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"field_count", c.FieldsOf(t.id).size()},
          {"measure_count", c.MeasureCountOfTheme(t.id)},
          {"kpi_count", c.KpiCountOfTheme(t.id)},
          {"measure_stages", StagesJson(c.StagesOfTheme(t.id))},
          {"links", {{"self", "/api/v1/themes/" + t.id}, {"page", "/themen/" + t.id}}}};
}

json::object FieldJson(const Catalogue& c, const Field& f) {
  return {{"id", f.id},
          {"theme_id", f.theme_id},
          {"chapter", f.chapter},
          {"name", f.name},
          {"measure_count", c.MeasuresOf(f.id).size()},
          {"kpi_count", c.KpisOfField(f.id).size()},
          {"measure_stages", StagesJson(c.StagesOfField(f.id))},
          {"links", {{"self", "/api/v1/fields/" + f.id}, {"page", "/handlungsfelder/" + f.id}}}};
}

json::object MeasureJson(const Catalogue& c, const Measure& m) {
  json::array kpis;
  for (const Kpi* k : c.KpisOfMeasure(m.id)) kpis.emplace_back(k->id);
  return {{"id", m.id},
          {"name", m.name},
          {"field_id", m.field_id},
          {"theme_id", c.ThemeOfField(m.field_id)},
          {"summary", m.summary},
          {"timeframe", m.timeframe},
          {"status", m.status},
          {"stage", MeasureStageName(m.stage())},
          {"id_as_printed", m.id_as_printed},
          {"anomaly", OrNull(m.anomaly)},
          {"kpi_ids", std::move(kpis)},
          {"links", {{"self", "/api/v1/measures/" + m.id}, {"page", "/massnahmen/" + m.id}}}};
}

json::object ProgressJson(const ProgressResult& p) {
  json::object out{{"status", ProgressStatusName(p.status)},
                   {"label", ProgressStatusLabel(p.status)}};
  out["ratio"] = p.ratio ? json::value(*p.ratio) : json::value(nullptr);
  out["reason"] = OrNull(p.reason);
  return out;
}

json::object KpiValueJson(const KpiValue& v) {
  json::object out{{"id", v.id}, {"kpi_id", v.kpi_id}, {"date", v.date}};
  out["period"] = OrNull(v.period);
  out["value"] = v.value ? json::value(*v.value) : json::value(nullptr);
  out["reported"] = v.value.has_value();
  out["unit"] = OrNull(v.unit);
  out["qualifier"] = QualifierName(v.qualifier);
  out["source"] = OrNull(v.source);
  out["note"] = OrNull(v.note);
  out["entered_at"] = OrNull(v.entered_at);
  return out;
}

json::object KpiJson(const Catalogue& c, const Kpi& k) {
  const KpiSettings& s = k.settings;
  const KpiValue* latest = c.LatestValue(k.id);
  json::array goals;
  for (const std::string& t : k.sdg_targets) {
    std::string goal = t.substr(0, t.find_first_not_of("0123456789"));
    if (std::find(goals.begin(), goals.end(), json::value(goal)) == goals.end()) {
      goals.emplace_back(goal);
    }
  }
  return {{"id", k.id},
          {"name", k.name},
          {"field_id", k.field_id},
          {"theme_id", c.ThemeOfField(k.field_id)},
          {"scope", k.scope},
          {"measure_id", OrNull(k.measure_id)},
          {"measure_missing", !k.measure_id.empty() && !c.FindMeasure(k.measure_id)},
          {"references", Strings(k.references)},
          {"sdg_targets", Strings(k.sdg_targets)},
          {"sdg_goals", std::move(goals)},
          {"linked_to_running_measure", k.linked_to_running_measure},
          {"id_as_printed", k.id_as_printed},
          {"anomaly", OrNull(k.anomaly)},
          {"unit", OrNull(s.unit)},
          {"direction", DirectionName(s.direction)},
          {"baseline", Point(s.baseline_value, s.baseline_date)},
          {"target", Point(s.target_value, s.target_date)},
          {"latest", latest ? json::value(KpiValueJson(*latest)) : json::value(nullptr)},
          {"value_count", c.ValuesOf(k.id).size()},
          {"progress", ProgressJson(c.ProgressOf(k.id))},
          {"links", {{"self", "/api/v1/kpis/" + k.id}, {"page", "/indikatoren/" + k.id}}}};
}

json::object PublicIndicatorJson(const Catalogue& c, const PublicIndicator& p) {
  json::object out{{"id", p.id},
                   {"theme_id", p.theme_id},
                   {"title", p.title},
                   {"kpi_id", OrNull(p.kpi_id)},
                   {"measured_on", p.measured_on},
                   {"note", OrNull(p.note)}};
  const KpiValue* latest = p.kpi_id.empty() ? nullptr : c.LatestValue(p.kpi_id);
  out["latest"] = latest ? json::value(KpiValueJson(*latest)) : json::value(nullptr);
  return out;
}

json::object ContextFactJson(const ContextFact& f) {
  return {{"value", f.value},           {"unit", f.unit},     {"as_of", f.as_of},
          {"qualifier", QualifierName(f.qualifier)}, {"source", f.source}, {"note", OrNull(f.note)}};
}

http::Response JsonResponse(const json::value& body, int status) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = ToJsonText(body);
  return r;
}

}  // namespace datenwerk::api
