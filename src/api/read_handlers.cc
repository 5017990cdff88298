#include <algorithm>
#include <charconv>

#include "api/api.h"
#include "api/json_codec.h"
#include "api/listing.h"

namespace datenwerk::api {

namespace json = boost::json;
using http::Request;

namespace {

using ReadFn = std::function<Result<json::value>(const Catalogue&, const Request&)>;

http::Handler Reader(const CatalogueService& service, ReadFn fn) {
  return [&service, fn = std::move(fn)](const Request& request) {
    CatalogueSnapshot snapshot = service.Snapshot();
    Result<json::value> out = fn(*snapshot, request);
    return out.ok() ? JsonResponse(*out) : http::ErrorResponse(out.status());
  };
}

// Runs the common list steps: check parameters, read the page, wrap the filtered items.
template <typename Filter>
Result<json::value> List(const Request& r, std::initializer_list<std::string_view> params,
                         Filter&& filter) {
  if (auto s = CheckQueryParams(r, params); !s.ok()) return s;
  auto page = ParsePage(r);
  if (!page.ok()) return page.status();
  json::array all;
  if (auto s = filter(all); !s.ok()) return s;
  return json::value(PageJson(std::move(all), *page, r));
}

Status NoParams(const Request& r) { return CheckQueryParams(r, {}); }

std::optional<MeasureStage> StageByName(std::string_view name) {
  for (MeasureStage s : kAllMeasureStages) {
    if (name == MeasureStageName(s)) return s;
  }
  return std::nullopt;
}

std::optional<ProgressStatus> ProgressByName(std::string_view name) {
  for (auto s : {ProgressStatus::kTargetReached, ProgressStatus::kOnTrack,
                 ProgressStatus::kAccelerationNeeded, ProgressStatus::kLimitedProgress,
                 ProgressStatus::kDeterioration, ProgressStatus::kNotAssessable}) {
    if (name == ProgressStatusName(s)) return s;
  }
  return std::nullopt;
}

Result<json::value> Index(const Catalogue&, const Request& r) {
  if (auto s = NoParams(r); !s.ok()) return s;
  return json::value{
      {"name", "Datenwerk API"},
      {"version", "v1"},
      {"links",
       {{"summary", "/api/v1/summary"},
        {"themes", "/api/v1/themes"},
        {"fields", "/api/v1/fields"},
        {"measures", "/api/v1/measures"},
        {"kpis", "/api/v1/kpis"},
        {"public_indicators", "/api/v1/public-indicators"},
        {"context_facts", "/api/v1/context-facts"},
        {"downloads", "/api/v1/downloads"},
        {"openapi", "/openapi.json"},
        {"documentation", "/api"}}}};
}

Result<json::value> Summary(const Catalogue& c, const Request& r) {
  if (auto s = NoParams(r); !s.ok()) return s;
  json::object progress;
  for (const Kpi& k : c.data().kpis) {
    const char* name = ProgressStatusName(c.ProgressOf(k.id).status);
    progress[name] = progress.contains(name) ? progress[name].as_int64() + 1 : 1;
  }
  json::array missing;
  for (const Kpi* k : c.KpisWithMissingMeasure()) {
    missing.push_back(json::object{{"kpi_id", k->id}, {"measure_id", k->measure_id}});
  }
  json::array themes;
  for (const Theme& t : c.data().themes) themes.push_back(ThemeJson(c, t));
  return json::value{{"themes", c.data().themes.size()},
                     {"fields", c.data().fields.size()},
                     {"measures", c.data().measures.size()},
                     {"kpis", c.data().kpis.size()},
                     {"values", c.data().values.size()},
                     {"measure_stages", StagesJson(c.StagesOverall())},
                     {"kpi_progress", std::move(progress)},
                     {"kpis_with_missing_measure", std::move(missing)},
                     {"by_theme", std::move(themes)}};
}

Result<json::value> Themes(const Catalogue& c, const Request& r) {
  return List(r, {}, [&](json::array& out) {
    for (const Theme& t : c.data().themes) out.push_back(ThemeJson(c, t));
    return Status::Ok();
  });
}

Result<json::value> OneTheme(const Catalogue& c, const Request& r) {
  if (auto s = NoParams(r); !s.ok()) return s;
  const Theme* t = c.FindTheme(r.Param("id"));
  if (!t) return NotFound("no theme '" + r.Param("id") + "'", "id");
  json::object out = ThemeJson(c, *t);
  json::array fields;
  for (const Field* f : c.FieldsOf(t->id)) fields.push_back(FieldJson(c, *f));
  out["fields"] = std::move(fields);
  return json::value(std::move(out));
}

Result<json::value> Fields(const Catalogue& c, const Request& r) {
  return List(r, {"theme"}, [&](json::array& out) {
    const std::string& theme = r.Query("theme");
    for (const Field& f : c.data().fields) {
      if (theme.empty() || f.theme_id == theme) out.push_back(FieldJson(c, f));
    }
    return Status::Ok();
  });
}

Result<json::value> OneField(const Catalogue& c, const Request& r) {
  if (auto s = NoParams(r); !s.ok()) return s;
  const Field* f = c.FindField(r.Param("id"));
  if (!f) return NotFound("no field of action '" + r.Param("id") + "'", "id");
  json::object out = FieldJson(c, *f);
  json::array measures, kpis;
  for (const Measure* m : c.MeasuresOf(f->id)) measures.push_back(MeasureJson(c, *m));
  for (const Kpi* k : c.KpisOfField(f->id)) kpis.push_back(KpiJson(c, *k));
  out["measures"] = std::move(measures);
  out["kpis"] = std::move(kpis);
  return json::value(std::move(out));
}

Result<json::value> Measures(const Catalogue& c, const Request& r) {
  return List(r, {"theme", "field", "status", "q"}, [&](json::array& out) -> Status {
    std::optional<MeasureStage> stage;
    if (const std::string& s = r.Query("status"); !s.empty()) {
      stage = StageByName(s);
      if (!stage) {
        return InvalidArgument("must be idea, planned, in_progress, ongoing or implemented",
                               "status");
      }
    }
    const std::string &theme = r.Query("theme"), &field = r.Query("field"), &q = r.Query("q");
    for (const Measure& m : c.data().measures) {
      if (!theme.empty() && c.ThemeOfField(m.field_id) != theme) continue;
      if (!field.empty() && m.field_id != field) continue;
      if (stage && m.stage() != *stage) continue;
      if (!q.empty() && !ContainsFolded(m.name, q) && !ContainsFolded(m.summary, q) &&
          !ContainsFolded(m.id, q)) {
        continue;
      }
      out.push_back(MeasureJson(c, m));
    }
    return Status::Ok();
  });
}

Result<json::value> OneMeasure(const Catalogue& c, const Request& r) {
  if (auto s = NoParams(r); !s.ok()) return s;
  const Measure* m = c.FindMeasure(r.Param("id"));
  if (!m) return NotFound("no measure '" + r.Param("id") + "'", "id");
  json::object out = MeasureJson(c, *m);
  json::array kpis;
  for (const Kpi* k : c.KpisOfMeasure(m->id)) kpis.push_back(KpiJson(c, *k));
  out["kpis"] = std::move(kpis);
  return json::value(std::move(out));
}

Result<json::value> Kpis(const Catalogue& c, const Request& r) {
  return List(r, {"theme", "field", "measure", "reference", "sdg", "progress", "q"},
              [&](json::array& out) -> Status {
                const std::string& reference = r.Query("reference");
                if (!reference.empty() && reference != "UN" && reference != "EU" &&
                    reference != "EIGENE") {
                  return InvalidArgument("must be UN, EU or EIGENE", "reference");
                }
                const std::string& sdg = r.Query("sdg");
                if (!sdg.empty()) {
                  int goal = 0;
                  auto [p, ec] = std::from_chars(sdg.data(), sdg.data() + sdg.size(), goal);
                  if (ec != std::errc() || p != sdg.data() + sdg.size() || goal < 1 || goal > 17) {
                    return InvalidArgument("must be an SDG goal number from 1 to 17", "sdg");
                  }
                }
                std::optional<ProgressStatus> progress;
                if (const std::string& p = r.Query("progress"); !p.empty()) {
                  progress = ProgressByName(p);
                  if (!progress) return InvalidArgument("unknown progress status", "progress");
                }
                const std::string &theme = r.Query("theme"), &field = r.Query("field"),
                                  &measure = r.Query("measure"), &q = r.Query("q");
                for (const Kpi& k : c.data().kpis) {
                  if (!theme.empty() && c.ThemeOfField(k.field_id) != theme) continue;
                  if (!field.empty() && k.field_id != field) continue;
                  if (!measure.empty() && k.measure_id != measure) continue;
                  if (!reference.empty() &&
                      std::find(k.references.begin(), k.references.end(), reference) ==
                          k.references.end()) {
                    continue;
                  }
                  if (!sdg.empty() &&
                      std::none_of(k.sdg_targets.begin(), k.sdg_targets.end(),
                                   [&](const std::string& t) {
                                     return t == sdg || t.starts_with(sdg + ".") ||
                                            (t.size() > sdg.size() && t.starts_with(sdg) &&
                                             std::isalpha(static_cast<unsigned char>(
                                                 t[sdg.size()])));
                                   })) {
                    continue;
                  }
                  if (progress && c.ProgressOf(k.id).status != *progress) continue;
                  if (!q.empty() && !ContainsFolded(k.name, q) && !ContainsFolded(k.id, q)) {
                    continue;
                  }
                  out.push_back(KpiJson(c, k));
                }
                return Status::Ok();
              });
}

Result<json::value> OneKpi(const Catalogue& c, const Request& r) {
  if (auto s = NoParams(r); !s.ok()) return s;
  const Kpi* k = c.FindKpi(r.Param("id"));
  if (!k) return NotFound("no KPI '" + r.Param("id") + "'", "id");
  json::object out = KpiJson(c, *k);
  json::array values;
  for (const KpiValue* v : c.ValuesOf(k->id)) values.push_back(KpiValueJson(*v));
  out["values"] = std::move(values);
  return json::value(std::move(out));
}

Result<json::value> KpiValues(const Catalogue& c, const Request& r) {
  const Kpi* k = c.FindKpi(r.Param("id"));
  if (!k) return NotFound("no KPI '" + r.Param("id") + "'", "id");
  return List(r, {}, [&](json::array& out) {
    for (const KpiValue* v : c.ValuesOf(k->id)) out.push_back(KpiValueJson(*v));
    return Status::Ok();
  });
}

Result<json::value> OneKpiValue(const Catalogue& c, const Request& r) {
  if (auto s = NoParams(r); !s.ok()) return s;
  const Kpi* k = c.FindKpi(r.Param("id"));
  if (!k) return NotFound("no KPI '" + r.Param("id") + "'", "id");
  for (const KpiValue* v : c.ValuesOf(k->id)) {
    if (std::to_string(v->id) == r.Param("value_id")) return json::value(KpiValueJson(*v));
  }
  return NotFound("no value '" + r.Param("value_id") + "' for this KPI", "value_id");
}

Result<json::value> PublicIndicators(const Catalogue& c, const Request& r) {
  return List(r, {"theme"}, [&](json::array& out) {
    const std::string& theme = r.Query("theme");
    for (const PublicIndicator& p : c.data().public_indicators) {
      if (theme.empty() || p.theme_id == theme) out.push_back(PublicIndicatorJson(c, p));
    }
    return Status::Ok();
  });
}

Result<json::value> ContextFacts(const Catalogue& c, const Request& r) {
  return List(r, {}, [&](json::array& out) {
    for (const ContextFact& f : c.data().context_facts) out.push_back(ContextFactJson(f));
    return Status::Ok();
  });
}

}  // namespace

void RegisterReadRoutes(http::Router& router, const CatalogueService& service) {
  const std::pair<const char*, ReadFn> routes[] = {
      {"/api/v1", Index},
      {"/api/v1/summary", Summary},
      {"/api/v1/themes", Themes},
      {"/api/v1/themes/{id}", OneTheme},
      {"/api/v1/fields", Fields},
      {"/api/v1/fields/{id}", OneField},
      {"/api/v1/measures", Measures},
      {"/api/v1/measures/{id}", OneMeasure},
      {"/api/v1/kpis", Kpis},
      {"/api/v1/kpis/{id}", OneKpi},
      {"/api/v1/kpis/{id}/values", KpiValues},
      {"/api/v1/kpis/{id}/values/{value_id}", OneKpiValue},
      {"/api/v1/public-indicators", PublicIndicators},
      {"/api/v1/context-facts", ContextFacts},
  };
  for (const auto& [pattern, fn] : routes) router.Add("GET", pattern, Reader(service, fn));
}

}  // namespace datenwerk::api
