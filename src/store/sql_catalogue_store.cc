// The catalogue store, one implementation for SQLite and PostgreSQL over the shared data-access
// layer (the schemas differ only in a few DDL words; booleans are read with CAST(… AS INTEGER)).
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/catalogue_store.h"
#include "store/change_feed.h"
#include "store/text_lists.h"

namespace datenwerk {

namespace {

constexpr int kSchemaVersion = 1;

constexpr std::string_view kSqliteSchema = R"sql(
CREATE TABLE IF NOT EXISTS theme (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS field (id TEXT PRIMARY KEY, theme_id TEXT NOT NULL, chapter TEXT,
  name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS measure (id TEXT PRIMARY KEY, field_id TEXT NOT NULL,
  name TEXT NOT NULL, summary TEXT, timeframe TEXT, status TEXT NOT NULL, id_as_printed TEXT,
  anomaly TEXT);
CREATE TABLE IF NOT EXISTS kpi (id TEXT PRIMARY KEY, field_id TEXT NOT NULL, scope TEXT NOT NULL,
  measure_id TEXT, name TEXT NOT NULL, refs TEXT, sdg_targets TEXT, linked INTEGER NOT NULL,
  id_as_printed TEXT, anomaly TEXT);
CREATE TABLE IF NOT EXISTS kpi_settings (kpi_id TEXT PRIMARY KEY, baseline_value REAL,
  baseline_date TEXT, target_value REAL, target_date TEXT, direction TEXT, unit TEXT);
CREATE TABLE IF NOT EXISTS kpi_value (id INTEGER PRIMARY KEY AUTOINCREMENT,
  kpi_id TEXT NOT NULL, date TEXT NOT NULL, period TEXT, value REAL, unit TEXT,
  qualifier TEXT NOT NULL, source TEXT, note TEXT, entered_at TEXT, entered_by TEXT,
  imported INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS kpi_value_by_kpi ON kpi_value (kpi_id, date);
CREATE TABLE IF NOT EXISTS public_indicator (id TEXT PRIMARY KEY, theme_id TEXT NOT NULL,
  title TEXT NOT NULL, kpi_id TEXT, measured_on TEXT, note TEXT, position INTEGER);
CREATE TABLE IF NOT EXISTS context_fact (id INTEGER PRIMARY KEY, value REAL NOT NULL, unit TEXT,
  as_of TEXT, qualifier TEXT, source TEXT, note TEXT);
CREATE TABLE IF NOT EXISTS api_key (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL,
  role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
)sql";

constexpr std::string_view kPostgresSchema = R"sql(
SET client_min_messages = warning;
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

using store_internal::Join;
using store_internal::Split;

sql::Value Number(std::optional<double> v) { return v ? sql::Value(*v) : sql::Value(); }
std::optional<double> OptionalReal(const sql::Row& r, size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<double>(r.Real(i));
}
// A boolean column as a parameter: SQLite keeps 0/1, PostgreSQL reads "1"/"0" as a boolean.
sql::Value Flag(bool b) { return int64_t{b}; }

KpiValue ReadValue(const sql::Row& r) {
  KpiValue v;
  v.id = r.Int(0);
  v.kpi_id = r.Text(1);
  v.date = r.Text(2);
  v.period = r.Text(3);
  v.value = OptionalReal(r, 4);
  v.unit = r.Text(5);
  v.qualifier = ParseQualifier(r.Text(6)).value_or(Qualifier::kExact);
  v.source = r.Text(7);
  v.note = r.Text(8);
  v.entered_at = r.Text(9);
  v.entered_by = r.Text(10);
  return v;
}

Status RequireKpi(sql::Tx& tx, const std::string& kpi_id, std::set<std::string>* known = nullptr) {
  if (known && known->contains(kpi_id)) return Status::Ok();
  auto rows = tx.Query("SELECT 1 FROM kpi WHERE id=$1", {kpi_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("no KPI '" + kpi_id + "'");
  if (known) known->insert(kpi_id);
  return Status::Ok();
}

Result<int64_t> InsertValue(sql::Tx& tx, const KpiValue& v, bool imported) {
  auto rows = tx.Query(
      "INSERT INTO kpi_value (kpi_id, date, period, value, unit, qualifier, source, note, entered_at, entered_by, "
      "imported) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id",
      {v.kpi_id, v.date, v.period, Number(v.value), v.unit, QualifierName(v.qualifier), v.source, v.note,
       v.entered_at, v.entered_by, Flag(imported)});
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0);
}

// The value change on its own, inside the caller's transaction.
Result<KpiValue> ApplyOneIn(sql::Tx& tx, const ValueChange& change, std::set<std::string>& known) {
  KpiValue v = change.value;
  switch (change.kind) {
    case ValueChange::Kind::kAdd: {
      if (auto s = RequireKpi(tx, v.kpi_id, &known); !s.ok()) return s;
      auto id = InsertValue(tx, v, /*imported=*/false);
      if (!id.ok()) return id.status();
      v.id = *id;
      return v;
    }
    case ValueChange::Kind::kUpdate: {
      auto rows = tx.Query(
          "UPDATE kpi_value SET date=$1, period=$2, value=$3, unit=$4, qualifier=$5, source=$6, note=$7, "
          "entered_at=$8, entered_by=$9, imported=$10 WHERE id=$11 AND kpi_id=$12 RETURNING id",
          {v.date, v.period, Number(v.value), v.unit, QualifierName(v.qualifier), v.source, v.note, v.entered_at,
           v.entered_by, Flag(false), v.id, v.kpi_id});
      if (!rows.ok()) return rows.status();
      if (rows->empty()) return NotFound("no value " + std::to_string(v.id) + " for KPI '" + v.kpi_id + "'");
      return v;
    }
    case ValueChange::Kind::kPutOfPeriod: {
      if (auto s = RequireKpi(tx, v.kpi_id, &known); !s.ok()) return s;
      auto rows = tx.Query("SELECT id, source FROM kpi_value WHERE kpi_id=$1 AND period=$2 ORDER BY id",
                           {v.kpi_id, v.period});
      if (!rows.ok()) return rows.status();
      std::optional<int64_t> own;
      for (const sql::Row& r : *rows) {
        if (r.Text(1) != v.source) {
          return Status(ErrorCode::kConflict, "für " + v.period + " ist ein Wert von „" + r.Text(1) + "“ eingetragen",
                        "period");
        }
        if (!own) {
          own = r.Int(0);
        } else if (auto s = tx.Change("DELETE FROM kpi_value WHERE id=$1", {r.Int(0)}); !s.ok()) {
          return s.status();  // a second one (from a release that could write two): one is left
        }
      }
      if (!own) return ApplyOneIn(tx, {ValueChange::Kind::kAdd, v}, known);
      v.id = *own;
      return ApplyOneIn(tx, {ValueChange::Kind::kUpdate, v}, known);
    }
    case ValueChange::Kind::kDelete: {
      auto rows = tx.Query("DELETE FROM kpi_value WHERE id=$1 AND kpi_id=$2 RETURNING id", {v.id, v.kpi_id});
      if (!rows.ok()) return rows.status();
      if (rows->empty()) return NotFound("no value " + std::to_string(v.id) + " for KPI '" + v.kpi_id + "'");
      return v;
    }
  }
  return Internal("unknown value change");
}

// A catalogue write that succeeded tells the other nodes, which rebuild their snapshots.
Status Announced(sql::Tx& tx, Status written) {
  if (!written.ok()) return written;
  return sql::Announce(tx, kCatalogueTopic);
}

// An UPDATE … RETURNING id that must have found its row.
Status Found(const Result<sql::Rows>& rows, const std::string& missing) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound(missing);
  return Status::Ok();
}

class SqlCatalogueStore final : public CatalogueStore {
 public:
  SqlCatalogueStore(sql::Connection& db, std::unique_ptr<sql::Connection> owned)
      : owned_(std::move(owned)), db_(db) {}

  Status Migrate() {
    const bool sqlite = std::string_view(db_.Dialect()) == "sqlite";
    return db_.Write([&](sql::Tx& tx) -> Status {
      // SQLite keeps the version in the file's header, PostgreSQL in datenwerk_meta.
      if (!sqlite) {
        if (Status s = tx.Exec(std::string(kPostgresSchema)); !s.ok()) return s;
      }
      auto version = sqlite ? tx.Query("PRAGMA user_version")
                            : tx.Query("SELECT CAST(value AS INTEGER) FROM datenwerk_meta WHERE key = 'schema_version'");
      if (!version.ok()) return version.status();
      const int64_t current = version->empty() ? 0 : version->front().Int(0);
      if (current > kSchemaVersion) {
        return Internal("database schema version " + std::to_string(current) + " is newer than this program knows (" +
                        std::to_string(kSchemaVersion) + ")");
      }
      if (sqlite) {
        if (Status s = tx.Exec(std::string(kSqliteSchema)); !s.ok()) return s;
        return tx.Exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
      }
      return tx.Query("INSERT INTO datenwerk_meta VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET "
                      "value = EXCLUDED.value",
                      {std::to_string(kSchemaVersion)})
          .status();
    });
  }

  sql::Connection& database() override { return db_; }

  Result<bool> IsEmpty() override {
    auto rows = db_.ReadOne("SELECT COUNT(*) FROM theme");
    if (!rows.ok()) return rows.status();
    return rows->front().Int(0) == 0;
  }

  Status ImportCatalogue(const CatalogueData& data) override {
    return db_.Write([&](sql::Tx& tx) { return Announced(tx, Import(tx, data)); });
  }

  Result<CatalogueData> LoadAll() override {
    CatalogueData data;
    Status s = db_.Read([&](sql::Tx& tx) { return Load(tx, data); });  // one snapshot
    if (!s.ok()) return s;
    return data;
  }

  Result<std::vector<KpiValue>> ApplyValueChangesIn(sql::Tx& tx, const std::vector<ValueChange>& changes) override {
    std::vector<KpiValue> stored;
    stored.reserve(changes.size());
    std::set<std::string> known;  // KPIs seen in this call need no second look (imports repeat them)
    for (const ValueChange& change : changes) {
      auto one = ApplyOneIn(tx, change, known);
      if (!one.ok()) return one.status();
      stored.push_back(std::move(one).value());
    }
    if (Status s = Announced(tx, Status::Ok()); !s.ok()) return s;
    return stored;
  }

  Status SetKpiSettingsIn(sql::Tx& tx, const std::string& kpi_id, const KpiSettings& s) override {
    if (auto st = RequireKpi(tx, kpi_id); !st.ok()) return st;
    return Announced(tx, tx.Query("INSERT INTO kpi_settings VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (kpi_id) DO UPDATE SET "
                    "baseline_value=excluded.baseline_value, baseline_date=excluded.baseline_date, "
                    "target_value=excluded.target_value, target_date=excluded.target_date, "
                    "direction=excluded.direction, unit=excluded.unit",
                    {kpi_id, Number(s.baseline_value), s.baseline_date, Number(s.target_value), s.target_date,
                     DirectionName(s.direction), s.unit})
        .status());
  }

  Status SetMeasureStatusIn(sql::Tx& tx, const std::string& measure_id, const std::string& status) override {
    return Announced(tx, Found(tx.Query("UPDATE measure SET status=$1 WHERE id=$2 RETURNING id", {status, measure_id}),
                               "no measure '" + measure_id + "'"));
  }

  Status SetMeasureTextsIn(sql::Tx& tx, const std::string& measure_id, const std::string& name,
                           const std::string& summary) override {
    return Announced(tx, Found(tx.Query("UPDATE measure SET name=$1, summary=$2 WHERE id=$3 RETURNING id",
                                        {name, summary, measure_id}),
                               "no measure '" + measure_id + "'"));
  }

  Status SetKpiNameIn(sql::Tx& tx, const std::string& kpi_id, const std::string& name) override {
    return Announced(tx, Found(tx.Query("UPDATE kpi SET name=$1 WHERE id=$2 RETURNING id", {name, kpi_id}),
                               "no KPI '" + kpi_id + "'"));
  }

  Result<ApiKeyRecord> AddApiKey(ApiKeyRecord key) override {
    Status s = db_.Write([&](sql::Tx& tx) -> Status {
      auto rows = tx.Query("INSERT INTO api_key (label, role, hash, created_at) VALUES ($1,$2,$3,$4) RETURNING id",
                           {key.label, RoleName(key.role), key.hash, key.created_at});
      if (!rows.ok()) return rows.status();
      key.id = rows->front().Int(0);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return key;
  }

  Result<ApiKeyRecord> FindApiKeyByHash(const std::string& hash) override {
    auto rows = db_.ReadOne("SELECT id, label, role, hash, created_at FROM api_key WHERE hash=$1", {hash});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return Status(ErrorCode::kUnauthenticated, "unknown API key", "Authorization");
    const sql::Row& r = rows->front();
    return ApiKeyRecord{r.Int(0), r.Text(1), ParseRole(r.Text(2)).value_or(Role::kViewer), r.Text(3), r.Text(4)};
  }

 private:
  static Status Import(sql::Tx& tx, const CatalogueData& data) {
    if (Status s = tx.Exec("DELETE FROM theme; DELETE FROM field; DELETE FROM measure; DELETE FROM kpi; "
                           "DELETE FROM public_indicator; DELETE FROM context_fact");
        !s.ok()) {
      return s;
    }
    if (auto s = tx.Query("DELETE FROM kpi_value WHERE imported=$1", {Flag(true)}); !s.ok()) return s.status();
    auto run = [&](const char* sql, const std::vector<sql::Value>& params) { return tx.Query(sql, params).status(); };
    for (const Theme& t : data.themes) {
      if (Status s = run("INSERT INTO theme VALUES ($1,$2)", {t.id, t.name}); !s.ok()) return s;
    }
    for (const Field& f : data.fields) {
      if (Status s = run("INSERT INTO field VALUES ($1,$2,$3,$4)", {f.id, f.theme_id, f.chapter, f.name}); !s.ok()) {
        return s;
      }
    }
    for (const Measure& m : data.measures) {
      if (Status s = run("INSERT INTO measure VALUES ($1,$2,$3,$4,$5,$6,$7,$8)",
                         {m.id, m.field_id, m.name, m.summary, m.timeframe, m.status, m.id_as_printed, m.anomaly});
          !s.ok()) {
        return s;
      }
    }
    for (const Kpi& k : data.kpis) {
      if (Status s = run("INSERT INTO kpi VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)",
                         {k.id, k.field_id, k.scope, k.measure_id, k.name, Join(k.references, ','),
                          Join(k.sdg_targets, ';'), Flag(k.linked_to_running_measure), k.id_as_printed, k.anomaly});
          !s.ok()) {
        return s;
      }
    }
    for (const KpiValue& v : data.values) {
      if (auto id = InsertValue(tx, v, /*imported=*/true); !id.ok()) return id.status();
    }
    int64_t position = 0;
    for (const PublicIndicator& p : data.public_indicators) {
      if (Status s = run("INSERT INTO public_indicator VALUES ($1,$2,$3,$4,$5,$6,$7)",
                         {p.id, p.theme_id, p.title, p.kpi_id, p.measured_on, p.note, position++});
          !s.ok()) {
        return s;
      }
    }
    for (const ContextFact& c : data.context_facts) {
      if (Status s = run("INSERT INTO context_fact (value, unit, as_of, qualifier, source, note) VALUES ($1,$2,$3,$4,$5,$6)",
                         {c.value, c.unit, c.as_of, QualifierName(c.qualifier), c.source, c.note});
          !s.ok()) {
        return s;
      }
    }
    auto orphans = tx.Query(
        "SELECT kpi_id FROM kpi_value WHERE kpi_id NOT IN (SELECT id FROM kpi) UNION SELECT kpi_id FROM kpi_settings "
        "WHERE kpi_id NOT IN (SELECT id FROM kpi) LIMIT 1");
    if (!orphans.ok()) return orphans.status();
    if (!orphans->empty()) {
      return {ErrorCode::kConflict,
              "the new catalogue drops KPI '" + orphans->front().Text(0) +
                  "', which has values or settings entered by staff; nothing was imported",
              "kpis.csv"};
    }
    return Status::Ok();
  }

  static Status Load(sql::Tx& tx, CatalogueData& data) {
    auto themes = tx.Query("SELECT id, name FROM theme ORDER BY id");
    if (!themes.ok()) return themes.status();
    for (const sql::Row& r : *themes) data.themes.push_back({r.Text(0), r.Text(1)});
    auto fields = tx.Query("SELECT id, theme_id, chapter, name FROM field ORDER BY id");
    if (!fields.ok()) return fields.status();
    for (const sql::Row& r : *fields) data.fields.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3)});
    auto measures = tx.Query("SELECT id, field_id, name, summary, timeframe, status, id_as_printed, anomaly "
                             "FROM measure ORDER BY id");
    if (!measures.ok()) return measures.status();
    for (const sql::Row& r : *measures) {
      data.measures.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7)});
    }
    auto kpis = tx.Query(
        "SELECT k.id, k.field_id, k.scope, k.measure_id, k.name, k.refs, k.sdg_targets, CAST(k.linked AS INTEGER), "
        "k.id_as_printed, k.anomaly, s.baseline_value, s.baseline_date, s.target_value, s.target_date, s.direction, "
        "s.unit FROM kpi k LEFT JOIN kpi_settings s ON s.kpi_id = k.id ORDER BY k.id");
    if (!kpis.ok()) return kpis.status();
    for (const sql::Row& r : *kpis) {
      Kpi k;
      k.id = r.Text(0);
      k.field_id = r.Text(1);
      k.scope = r.Text(2);
      k.measure_id = r.Text(3);
      k.name = r.Text(4);
      k.references = Split(r.Text(5), ',');
      k.sdg_targets = Split(r.Text(6), ';');
      k.linked_to_running_measure = r.Int(7) != 0;
      k.id_as_printed = r.Text(8);
      k.anomaly = r.Text(9);
      k.settings.baseline_value = OptionalReal(r, 10);
      k.settings.baseline_date = r.Text(11);
      k.settings.target_value = OptionalReal(r, 12);
      k.settings.target_date = r.Text(13);
      k.settings.direction = ParseDirection(r.Text(14)).value_or(Direction::kUnset);
      k.settings.unit = r.Text(15);
      data.kpis.push_back(std::move(k));
    }
    auto values = tx.Query("SELECT id, kpi_id, date, period, value, unit, qualifier, source, note, entered_at, "
                           "entered_by FROM kpi_value ORDER BY kpi_id, date, id");
    if (!values.ok()) return values.status();
    data.values.reserve(values->size());
    for (const sql::Row& r : *values) data.values.push_back(ReadValue(r));
    auto indicators = tx.Query("SELECT id, theme_id, title, kpi_id, measured_on, note FROM public_indicator "
                               "ORDER BY position");
    if (!indicators.ok()) return indicators.status();
    for (const sql::Row& r : *indicators) {
      data.public_indicators.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)});
    }
    auto facts = tx.Query("SELECT value, unit, as_of, qualifier, source, note FROM context_fact ORDER BY id");
    if (!facts.ok()) return facts.status();
    for (const sql::Row& r : *facts) {
      data.context_facts.push_back({r.Real(0), r.Text(1), r.Text(2),
                                    ParseQualifier(r.Text(3)).value_or(Qualifier::kExact), r.Text(4), r.Text(5)});
    }
    return Status::Ok();
  }

  std::unique_ptr<sql::Connection> owned_;  // when the store has a database of its own
  sql::Connection& db_;
};

Result<std::unique_ptr<CatalogueStore>> Make(sql::Connection& db, std::unique_ptr<sql::Connection> owned) {
  auto store = std::make_unique<SqlCatalogueStore>(db, std::move(owned));
  if (auto s = store->Migrate(); !s.ok()) return s;
  return std::unique_ptr<CatalogueStore>(std::move(store));
}

}  // namespace

Result<std::vector<KpiValue>> CatalogueStore::ApplyValueChanges(const std::vector<ValueChange>& changes) {
  Result<std::vector<KpiValue>> out = std::vector<KpiValue>{};
  Status s = database().Write([&](sql::Tx& tx) {
    out = ApplyValueChangesIn(tx, changes);
    return out.status();
  });
  if (!s.ok()) return s;
  return out;
}

Status CatalogueStore::SetKpiSettings(const std::string& kpi_id, const KpiSettings& settings) {
  return database().Write([&](sql::Tx& tx) { return SetKpiSettingsIn(tx, kpi_id, settings); });
}

Status CatalogueStore::SetMeasureStatus(const std::string& measure_id, const std::string& status) {
  return database().Write([&](sql::Tx& tx) { return SetMeasureStatusIn(tx, measure_id, status); });
}

Status CatalogueStore::SetMeasureTexts(const std::string& measure_id, const std::string& name,
                                       const std::string& summary) {
  return database().Write([&](sql::Tx& tx) { return SetMeasureTextsIn(tx, measure_id, name, summary); });
}

Status CatalogueStore::SetKpiName(const std::string& kpi_id, const std::string& name) {
  return database().Write([&](sql::Tx& tx) { return SetKpiNameIn(tx, kpi_id, name); });
}

Result<std::unique_ptr<CatalogueStore>> OpenCatalogueStore(sql::Connection& db) { return Make(db, nullptr); }

Result<std::unique_ptr<CatalogueStore>> OpenCatalogueStore(const std::string& path_or_conninfo) {
  return sql::OpenOwned(path_or_conninfo, "database", Make);
}

}  // namespace datenwerk
