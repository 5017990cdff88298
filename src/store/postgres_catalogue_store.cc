#include <cstdio>
#include <mutex>
#include <set>
#include <optional>
#include <string>
#include <vector>

#include "store/catalogue_store.h"
#include "store/pg_db.h"
#include "store/text_lists.h"

namespace datenwerk {

namespace {

constexpr int kSchemaVersion = 1;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS datenwerk_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS theme (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS field (id TEXT PRIMARY KEY, theme_id TEXT NOT NULL, chapter TEXT,
  name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS measure (id TEXT PRIMARY KEY, field_id TEXT NOT NULL,
  name TEXT NOT NULL, summary TEXT, timeframe TEXT, status TEXT NOT NULL, id_as_printed TEXT,
  anomaly TEXT);
CREATE TABLE IF NOT EXISTS kpi (id TEXT PRIMARY KEY, field_id TEXT NOT NULL, scope TEXT NOT NULL,
  measure_id TEXT, name TEXT NOT NULL, refs TEXT, sdg_targets TEXT, linked BOOLEAN NOT NULL,
  id_as_printed TEXT, anomaly TEXT);
CREATE TABLE IF NOT EXISTS kpi_settings (kpi_id TEXT PRIMARY KEY, baseline_value DOUBLE PRECISION,
  baseline_date TEXT, target_value DOUBLE PRECISION, target_date TEXT, direction TEXT, unit TEXT);
CREATE TABLE IF NOT EXISTS kpi_value (id BIGSERIAL PRIMARY KEY, kpi_id TEXT NOT NULL,
  date TEXT NOT NULL, period TEXT, value DOUBLE PRECISION, unit TEXT, qualifier TEXT NOT NULL,
  source TEXT, note TEXT, entered_at TEXT, entered_by TEXT, imported BOOLEAN NOT NULL DEFAULT false);
CREATE INDEX IF NOT EXISTS kpi_value_by_kpi ON kpi_value (kpi_id, date);
CREATE TABLE IF NOT EXISTS public_indicator (id TEXT PRIMARY KEY, theme_id TEXT NOT NULL,
  title TEXT NOT NULL, kpi_id TEXT, measured_on TEXT, note TEXT, position INTEGER);
CREATE TABLE IF NOT EXISTS context_fact (id BIGSERIAL PRIMARY KEY, value DOUBLE PRECISION NOT NULL,
  unit TEXT, as_of TEXT, qualifier TEXT, source TEXT, note TEXT);
CREATE TABLE IF NOT EXISTS api_key (id BIGSERIAL PRIMARY KEY, label TEXT NOT NULL,
  role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
)sql";

using pg::ConnHandle;
using pg::Param;
using pg::Rows;

Param Number(std::optional<double> v) {
  if (!v) return std::nullopt;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", *v);
  return std::string(buf);
}

using store_internal::Join;
using store_internal::Split;

class PostgresCatalogueStore final : public CatalogueStore {
 public:
  explicit PostgresCatalogueStore(ConnHandle conn)
      : conn_(std::move(conn)) {}

  Status Migrate() {
    std::lock_guard lock(mu_);
    if (auto s = Simple("SET client_min_messages = warning"); !s.ok()) return s;
    if (auto s = Simple("BEGIN"); !s.ok()) return s;
    Status s = Simple(kSchema);
    if (s.ok()) {
      auto version = Query("SELECT value FROM datenwerk_meta WHERE key = 'schema_version'", {});
      if (!version.ok()) {
        s = version.status();
      } else if (version->size() > 0 && std::stoi(version->Text(0, 0)) > kSchemaVersion) {
        s = Internal("database schema version " + version->Text(0, 0) +
                     " is newer than this program knows");
      } else {
        auto set = Query("INSERT INTO datenwerk_meta VALUES ('schema_version', $1) ON CONFLICT "
                         "(key) DO UPDATE SET value = EXCLUDED.value",
                         {std::to_string(kSchemaVersion)});
        s = set.status();
      }
    }
    return Finish(s);
  }

  Result<bool> IsEmpty() override {
    std::lock_guard lock(mu_);
    auto rows = Query("SELECT COUNT(*) FROM theme", {});
    if (!rows.ok()) return rows.status();
    return rows->Int(0, 0) == 0;
  }

  Status ImportCatalogue(const CatalogueData& data) override {
    std::lock_guard lock(mu_);
    if (auto s = Simple("BEGIN"); !s.ok()) return s;
    return Finish(ImportLocked(data));
  }

  Result<CatalogueData> LoadAll() override {
    std::lock_guard lock(mu_);
    if (auto s = Simple("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s.ok()) return s;
    CatalogueData data;
    Status s = LoadLocked(data);
    if (auto f = Finish(s); !f.ok()) return f;
    return data;
  }

  Result<std::vector<KpiValue>> ApplyValueChanges(const std::vector<ValueChange>& changes) override {
    std::lock_guard lock(mu_);
    if (auto s = Simple("BEGIN"); !s.ok()) return s;
    std::vector<KpiValue> stored;
    stored.reserve(changes.size());
    Status failed;
    known_kpis_.clear();  // KPIs seen in this transaction need no second look (imports repeat them)
    for (const ValueChange& change : changes) {
      auto one = ApplyLocked(change);
      if (!one.ok()) {
        failed = one.status();
        break;
      }
      stored.push_back(std::move(one).value());
    }
    known_kpis_.clear();
    if (auto s = Finish(failed); !s.ok()) return s;
    return stored;
  }

  Status SetKpiSettings(const std::string& kpi_id, const KpiSettings& s) override {
    std::lock_guard lock(mu_);
    if (auto st = RequireKpi(kpi_id); !st.ok()) return st;
    return Query("INSERT INTO kpi_settings VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (kpi_id) DO "
                 "UPDATE SET baseline_value=EXCLUDED.baseline_value, "
                 "baseline_date=EXCLUDED.baseline_date, target_value=EXCLUDED.target_value, "
                 "target_date=EXCLUDED.target_date, direction=EXCLUDED.direction, "
                 "unit=EXCLUDED.unit",
                 {kpi_id, Number(s.baseline_value), s.baseline_date, Number(s.target_value),
                  s.target_date, DirectionName(s.direction), s.unit})
        .status();
  }

  Status SetMeasureStatus(const std::string& measure_id, const std::string& status) override {
    std::lock_guard lock(mu_);
    auto rows = Query("UPDATE measure SET status=$1 WHERE id=$2", {status, measure_id});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) return NotFound("no measure '" + measure_id + "'");
    return Status::Ok();
  }

  Status SetMeasureTexts(const std::string& measure_id, const std::string& name, const std::string& summary) override {
    std::lock_guard lock(mu_);
    auto rows = Query("UPDATE measure SET name=$1, summary=$2 WHERE id=$3", {name, summary, measure_id});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) return NotFound("no measure '" + measure_id + "'");
    return Status::Ok();
  }

  Status SetKpiName(const std::string& kpi_id, const std::string& name) override {
    std::lock_guard lock(mu_);
    auto rows = Query("UPDATE kpi SET name=$1 WHERE id=$2", {name, kpi_id});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) return NotFound("no KPI '" + kpi_id + "'");
    return Status::Ok();
  }

  Result<ApiKeyRecord> AddApiKey(ApiKeyRecord key) override {
    std::lock_guard lock(mu_);
    auto rows = Query("INSERT INTO api_key (label, role, hash, created_at) VALUES ($1,$2,$3,$4) "
                      "RETURNING id",
                      {key.label, RoleName(key.role), key.hash, key.created_at});
    if (!rows.ok()) return rows.status();
    key.id = rows->Int(0, 0);
    return key;
  }

  Result<ApiKeyRecord> FindApiKeyByHash(const std::string& hash) override {
    std::lock_guard lock(mu_);
    auto rows = Query("SELECT id, label, role, hash, created_at FROM api_key WHERE hash=$1", {hash});
    if (!rows.ok()) return rows.status();
    if (rows->size() == 0) {
      return Status(ErrorCode::kUnauthenticated, "unknown API key", "Authorization");
    }
    return ApiKeyRecord{rows->Int(0, 0), rows->Text(0, 1),
                        ParseRole(rows->Text(0, 2)).value_or(Role::kViewer), rows->Text(0, 3),
                        rows->Text(0, 4)};
  }

 private:
  Result<KpiValue> ApplyLocked(const ValueChange& change) {
    switch (change.kind) {
      case ValueChange::Kind::kAdd: return AddLocked(change.value);
      case ValueChange::Kind::kUpdate: return UpdateLocked(change.value);
      case ValueChange::Kind::kDelete: {
        if (auto s = DeleteLocked(change.value.kpi_id, change.value.id); !s.ok()) return s;
        return change.value;
      }
    }
    return Internal("unknown value change");
  }

  Result<KpiValue> AddLocked(KpiValue v) {
    if (auto s = RequireKpi(v.kpi_id); !s.ok()) return s;
    auto rows = Query(
        "INSERT INTO kpi_value (kpi_id, date, period, value, unit, qualifier, source, note, "
        "entered_at, entered_by, imported) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,false) "
        "RETURNING id",
        {v.kpi_id, v.date, v.period, Number(v.value), v.unit, QualifierName(v.qualifier), v.source,
         v.note, v.entered_at, v.entered_by});
    if (!rows.ok()) return rows.status();
    v.id = rows->Int(0, 0);
    return v;
  }

  Result<KpiValue> UpdateLocked(KpiValue v) {
    auto rows = Query(
        "UPDATE kpi_value SET date=$1, period=$2, value=$3, unit=$4, qualifier=$5, source=$6, "
        "note=$7, entered_at=$8, entered_by=$9, imported=false WHERE id=$10 AND kpi_id=$11",
        {v.date, v.period, Number(v.value), v.unit, QualifierName(v.qualifier), v.source, v.note,
         v.entered_at, v.entered_by, std::to_string(v.id), v.kpi_id});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) {
      return NotFound("no value " + std::to_string(v.id) + " for KPI '" + v.kpi_id + "'");
    }
    return v;
  }

  Status DeleteLocked(const std::string& kpi_id, int64_t id) {
    auto rows = Query("DELETE FROM kpi_value WHERE id=$1 AND kpi_id=$2",
                      {std::to_string(id), kpi_id});
    if (!rows.ok()) return rows.status();
    if (rows->Affected() == 0) {
      return NotFound("no value " + std::to_string(id) + " for KPI '" + kpi_id + "'");
    }
    return Status::Ok();
  }

  Status Simple(const char* sql) { return pg::Exec(conn_.get(), sql); }

  // Commits when `s` is ok, else rolls back; returns the first failure.
  Status Finish(const Status& s) {
    if (!s.ok()) {
      IgnoreError(Simple("ROLLBACK"));  // the failure that made us roll back is the answer
      return s;
    }
    return Simple("COMMIT");
  }

  Result<Rows> Query(const char* sql, const std::vector<Param>& params) {
    return pg::Query(conn_.get(), sql, params);
  }

  Status RequireKpi(const std::string& kpi_id) {
    if (known_kpis_.count(kpi_id)) return Status::Ok();
    auto rows = Query("SELECT 1 FROM kpi WHERE id=$1", {kpi_id});
    if (!rows.ok()) return rows.status();
    if (!rows->size()) return NotFound("no KPI '" + kpi_id + "'");
    known_kpis_.insert(kpi_id);
    return Status::Ok();
  }
  std::set<std::string> known_kpis_;  // guarded by mu_; valid within one ApplyValueChanges

  Status ImportLocked(const CatalogueData& data) {
    if (auto s = Simple("DELETE FROM theme; DELETE FROM field; DELETE FROM measure; "
                        "DELETE FROM kpi; DELETE FROM public_indicator; DELETE FROM context_fact; "
                        "DELETE FROM kpi_value WHERE imported");
        !s.ok()) {
      return s;
    }
    auto run = [&](const char* sql, std::vector<Param> params) {
      return Query(sql, params).status();
    };
    for (const Theme& t : data.themes) {
      if (auto s = run("INSERT INTO theme VALUES ($1,$2)", {t.id, t.name}); !s.ok()) return s;
    }
    for (const Field& f : data.fields) {
      if (auto s = run("INSERT INTO field VALUES ($1,$2,$3,$4)",
                       {f.id, f.theme_id, f.chapter, f.name});
          !s.ok()) {
        return s;
      }
    }
    for (const Measure& m : data.measures) {
      if (auto s = run("INSERT INTO measure VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                       {m.id, m.field_id, m.name, m.summary, m.timeframe, m.status,
                        m.id_as_printed, m.anomaly});
          !s.ok()) {
        return s;
      }
    }
    for (const Kpi& k : data.kpis) {
      if (auto s = run("INSERT INTO kpi VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
                       {k.id, k.field_id, k.scope, k.measure_id, k.name, Join(k.references, ','),
                        Join(k.sdg_targets, ';'), k.linked_to_running_measure ? "t" : "f",
                        k.id_as_printed, k.anomaly});
          !s.ok()) {
        return s;
      }
    }
    for (const KpiValue& v : data.values) {
      if (auto s = run("INSERT INTO kpi_value (kpi_id, date, period, value, unit, qualifier, "
                       "source, note, entered_at, entered_by, imported) "
                       "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,true)",
                       {v.kpi_id, v.date, v.period, Number(v.value), v.unit,
                        QualifierName(v.qualifier), v.source, v.note, v.entered_at, v.entered_by});
          !s.ok()) {
        return s;
      }
    }
    int position = 0;
    for (const PublicIndicator& p : data.public_indicators) {
      if (auto s = run("INSERT INTO public_indicator VALUES ($1,$2,$3,$4,$5,$6,$7)",
                       {p.id, p.theme_id, p.title, p.kpi_id, p.measured_on, p.note,
                        std::to_string(position++)});
          !s.ok()) {
        return s;
      }
    }
    for (const ContextFact& c : data.context_facts) {
      if (auto s = run("INSERT INTO context_fact (value, unit, as_of, qualifier, source, note) "
                       "VALUES ($1,$2,$3,$4,$5,$6)",
                       {Number(c.value), c.unit, c.as_of, QualifierName(c.qualifier), c.source,
                        c.note});
          !s.ok()) {
        return s;
      }
    }
    auto orphans = Query("SELECT kpi_id FROM kpi_value WHERE kpi_id NOT IN (SELECT id FROM kpi) "
                         "UNION SELECT kpi_id FROM kpi_settings WHERE kpi_id NOT IN "
                         "(SELECT id FROM kpi) LIMIT 1",
                         {});
    if (!orphans.ok()) return orphans.status();
    if (orphans->size()) {
      return {ErrorCode::kConflict,
              "the new catalogue drops KPI '" + orphans->Text(0, 0) +
                  "', which has values or settings entered by staff; nothing was imported",
              "kpis.csv"};
    }
    return Status::Ok();
  }

  Status LoadLocked(CatalogueData& data) {
    auto themes = Query("SELECT id, name FROM theme ORDER BY id", {});
    if (!themes.ok()) return themes.status();
    for (int i = 0; i < themes->size(); ++i) {
      data.themes.push_back({themes->Text(i, 0), themes->Text(i, 1)});
    }
    auto fields = Query("SELECT id, theme_id, chapter, name FROM field ORDER BY id", {});
    if (!fields.ok()) return fields.status();
    for (int i = 0; i < fields->size(); ++i) {
      data.fields.push_back(
          {fields->Text(i, 0), fields->Text(i, 1), fields->Text(i, 2), fields->Text(i, 3)});
    }
    auto measures = Query("SELECT id, field_id, name, summary, timeframe, status, id_as_printed, "
                          "anomaly FROM measure ORDER BY id",
                          {});
    if (!measures.ok()) return measures.status();
    for (int i = 0; i < measures->size(); ++i) {
      data.measures.push_back({measures->Text(i, 0), measures->Text(i, 1), measures->Text(i, 2),
                               measures->Text(i, 3), measures->Text(i, 4), measures->Text(i, 5),
                               measures->Text(i, 6), measures->Text(i, 7)});
    }
    auto kpis = Query(
        "SELECT k.id, k.field_id, k.scope, k.measure_id, k.name, k.refs, k.sdg_targets, "
        "k.linked, k.id_as_printed, k.anomaly, s.baseline_value, s.baseline_date, "
        "s.target_value, s.target_date, s.direction, s.unit FROM kpi k "
        "LEFT JOIN kpi_settings s ON s.kpi_id = k.id ORDER BY k.id",
        {});
    if (!kpis.ok()) return kpis.status();
    for (int i = 0; i < kpis->size(); ++i) {
      Kpi k;
      k.id = kpis->Text(i, 0);
      k.field_id = kpis->Text(i, 1);
      k.scope = kpis->Text(i, 2);
      k.measure_id = kpis->Text(i, 3);
      k.name = kpis->Text(i, 4);
      k.references = Split(kpis->Text(i, 5), ',');
      k.sdg_targets = Split(kpis->Text(i, 6), ';');
      k.linked_to_running_measure = kpis->Text(i, 7) == "t";
      k.id_as_printed = kpis->Text(i, 8);
      k.anomaly = kpis->Text(i, 9);
      k.settings.baseline_value = kpis->Real(i, 10);
      k.settings.baseline_date = kpis->Text(i, 11);
      k.settings.target_value = kpis->Real(i, 12);
      k.settings.target_date = kpis->Text(i, 13);
      k.settings.direction = ParseDirection(kpis->Text(i, 14)).value_or(Direction::kUnset);
      k.settings.unit = kpis->Text(i, 15);
      data.kpis.push_back(std::move(k));
    }
    auto values = Query("SELECT id, kpi_id, date, period, value, unit, qualifier, source, note, "
                        "entered_at, entered_by FROM kpi_value ORDER BY kpi_id, date, id",
                        {});
    if (!values.ok()) return values.status();
    for (int i = 0; i < values->size(); ++i) {
      KpiValue v;
      v.id = values->Int(i, 0);
      v.kpi_id = values->Text(i, 1);
      v.date = values->Text(i, 2);
      v.period = values->Text(i, 3);
      v.value = values->Real(i, 4);
      v.unit = values->Text(i, 5);
      v.qualifier = ParseQualifier(values->Text(i, 6)).value_or(Qualifier::kExact);
      v.source = values->Text(i, 7);
      v.note = values->Text(i, 8);
      v.entered_at = values->Text(i, 9);
      v.entered_by = values->Text(i, 10);
      data.values.push_back(std::move(v));
    }
    auto indicators = Query("SELECT id, theme_id, title, kpi_id, measured_on, note FROM "
                            "public_indicator ORDER BY position",
                            {});
    if (!indicators.ok()) return indicators.status();
    for (int i = 0; i < indicators->size(); ++i) {
      data.public_indicators.push_back({indicators->Text(i, 0), indicators->Text(i, 1),
                                        indicators->Text(i, 2), indicators->Text(i, 3),
                                        indicators->Text(i, 4), indicators->Text(i, 5)});
    }
    auto facts = Query("SELECT value, unit, as_of, qualifier, source, note FROM context_fact "
                       "ORDER BY id",
                       {});
    if (!facts.ok()) return facts.status();
    for (int i = 0; i < facts->size(); ++i) {
      data.context_facts.push_back({facts->Real(i, 0).value_or(0), facts->Text(i, 1),
                                    facts->Text(i, 2),
                                    ParseQualifier(facts->Text(i, 3)).value_or(Qualifier::kExact),
                                    facts->Text(i, 4), facts->Text(i, 5)});
    }
    return Status::Ok();
  }

  std::mutex mu_;
  ConnHandle conn_;
};

}  // namespace

Result<std::unique_ptr<CatalogueStore>> OpenPostgresCatalogueStore(const std::string& conninfo) {
  auto conn = pg::Connect(conninfo);
  if (!conn.ok()) return conn.status();
  auto store = std::make_unique<PostgresCatalogueStore>(std::move(conn).value());
  if (auto s = store->Migrate(); !s.ok()) return s;
  return std::unique_ptr<CatalogueStore>(std::move(store));
}

}  // namespace datenwerk
