#include <mutex>
#include <string>

#include "store/catalogue_store.h"
#include "store/text_lists.h"
#include "store/sqlite_db.h"

namespace datenwerk {

namespace {

using sqlite::Exec;
using sqlite::Statement;
using sqlite::Transaction;

constexpr int kSchemaVersion = 1;

constexpr std::string_view kSchema = R"sql(
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

using store_internal::Join;
using store_internal::Split;

class SqliteCatalogueStore final : public CatalogueStore {
 public:
  explicit SqliteCatalogueStore(sqlite::DbHandle db) : db_(std::move(db)) {}

  Status Migrate() {
    std::lock_guard lock(mu_);
    Statement version(db(), "PRAGMA user_version");
    int64_t current = version.Step() ? version.Int(0) : 0;
    if (current > kSchemaVersion) {
      return Internal("database schema version " + std::to_string(current) +
                      " is newer than this program knows (" + std::to_string(kSchemaVersion) +
                      ")");
    }
    Transaction tx(db());
    if (!tx.status().ok()) return tx.status();
    if (auto s = Exec(db(), kSchema); !s.ok()) return s;
    if (auto s = Exec(db(), "PRAGMA user_version=" + std::to_string(kSchemaVersion)); !s.ok()) {
      return s;
    }
    return tx.Commit();
  }

  Result<bool> IsEmpty() override {
    std::lock_guard lock(mu_);
    Statement q(db(), "SELECT COUNT(*) FROM theme");
    if (!q.Step()) return q.status().ok() ? Internal("count failed") : q.status();
    return q.Int(0) == 0;
  }

  Status ImportCatalogue(const CatalogueData& data) override {
    std::lock_guard lock(mu_);
    Transaction tx(db());
    if (!tx.status().ok()) return tx.status();
    if (auto s = Exec(db(), "DELETE FROM theme; DELETE FROM field; DELETE FROM measure; "
                            "DELETE FROM kpi; DELETE FROM public_indicator; "
                            "DELETE FROM context_fact; DELETE FROM kpi_value WHERE imported=1");
        !s.ok()) {
      return s;
    }
    for (const Theme& t : data.themes) {
      if (auto s = Run(Statement(db(), "INSERT INTO theme VALUES (?,?)").Bind(1, t.id).Bind(2, t.name));
          !s.ok()) {
        return s;
      }
    }
    for (const Field& f : data.fields) {
      Statement q(db(), "INSERT INTO field VALUES (?,?,?,?)");
      q.Bind(1, f.id).Bind(2, f.theme_id).Bind(3, f.chapter).Bind(4, f.name);
      if (auto s = Run(q); !s.ok()) return s;
    }
    for (const Measure& m : data.measures) {
      Statement q(db(), "INSERT INTO measure VALUES (?,?,?,?,?,?,?,?)");
      q.Bind(1, m.id).Bind(2, m.field_id).Bind(3, m.name).Bind(4, m.summary).Bind(5, m.timeframe);
      q.Bind(6, m.status).Bind(7, m.id_as_printed).Bind(8, m.anomaly);
      if (auto s = Run(q); !s.ok()) return s;
    }
    for (const Kpi& k : data.kpis) {
      Statement q(db(), "INSERT INTO kpi VALUES (?,?,?,?,?,?,?,?,?,?)");
      q.Bind(1, k.id).Bind(2, k.field_id).Bind(3, k.scope).Bind(4, k.measure_id).Bind(5, k.name);
      q.Bind(6, Join(k.references, ',')).Bind(7, Join(k.sdg_targets, ';'));
      q.Bind(8, int64_t{k.linked_to_running_measure}).Bind(9, k.id_as_printed).Bind(10, k.anomaly);
      if (auto s = Run(q); !s.ok()) return s;
    }
    for (const KpiValue& v : data.values) {
      if (auto s = InsertValue(v, /*imported=*/true); !s.ok()) return s;
    }
    int64_t position = 0;
    for (const PublicIndicator& p : data.public_indicators) {
      Statement q(db(), "INSERT INTO public_indicator VALUES (?,?,?,?,?,?,?)");
      q.Bind(1, p.id).Bind(2, p.theme_id).Bind(3, p.title).Bind(4, p.kpi_id);
      q.Bind(5, p.measured_on).Bind(6, p.note).Bind(7, position++);
      if (auto s = Run(q); !s.ok()) return s;
    }
    for (const ContextFact& c : data.context_facts) {
      Statement q(db(), "INSERT INTO context_fact (value, unit, as_of, qualifier, source, note) "
                        "VALUES (?,?,?,?,?,?)");
      q.Bind(1, std::optional<double>(c.value)).Bind(2, c.unit).Bind(3, c.as_of);
      q.Bind(4, QualifierName(c.qualifier)).Bind(5, c.source).Bind(6, c.note);
      if (auto s = Run(q); !s.ok()) return s;
    }
    Statement orphans(db(),
                      "SELECT kpi_id FROM kpi_value WHERE kpi_id NOT IN (SELECT id FROM kpi) "
                      "UNION SELECT kpi_id FROM kpi_settings WHERE kpi_id NOT IN "
                      "(SELECT id FROM kpi) LIMIT 1");
    if (orphans.Step()) {
      return {ErrorCode::kConflict,
              "the new catalogue drops KPI '" + orphans.Text(0) +
                  "', which has values or settings entered by staff; nothing was imported",
              "kpis.csv"};
    }
    if (!orphans.status().ok()) return orphans.status();
    return tx.Commit();
  }

  Result<CatalogueData> LoadAll() override {
    std::lock_guard lock(mu_);
    // One read transaction, so the snapshot is consistent.
    Transaction tx(db());
    if (!tx.status().ok()) return tx.status();
    CatalogueData data;
    Statement themes(db(), "SELECT id, name FROM theme ORDER BY id");
    while (themes.Step()) data.themes.push_back({themes.Text(0), themes.Text(1)});
    Statement fields(db(), "SELECT id, theme_id, chapter, name FROM field ORDER BY id");
    while (fields.Step()) {
      data.fields.push_back({fields.Text(0), fields.Text(1), fields.Text(2), fields.Text(3)});
    }
    Statement measures(db(), "SELECT id, field_id, name, summary, timeframe, status, "
                             "id_as_printed, anomaly FROM measure ORDER BY id");
    while (measures.Step()) {
      data.measures.push_back({measures.Text(0), measures.Text(1), measures.Text(2),
                               measures.Text(3), measures.Text(4), measures.Text(5),
                               measures.Text(6), measures.Text(7)});
    }
    Statement kpis(db(),
                   "SELECT k.id, k.field_id, k.scope, k.measure_id, k.name, k.refs, k.sdg_targets, "
                   "k.linked, k.id_as_printed, k.anomaly, s.baseline_value, s.baseline_date, "
                   "s.target_value, s.target_date, s.direction, s.unit FROM kpi k "
                   "LEFT JOIN kpi_settings s ON s.kpi_id = k.id ORDER BY k.id");
    while (kpis.Step()) {
      Kpi k;
      k.id = kpis.Text(0);
      k.field_id = kpis.Text(1);
      k.scope = kpis.Text(2);
      k.measure_id = kpis.Text(3);
      k.name = kpis.Text(4);
      k.references = Split(kpis.Text(5), ',');
      k.sdg_targets = Split(kpis.Text(6), ';');
      k.linked_to_running_measure = kpis.Int(7) != 0;
      k.id_as_printed = kpis.Text(8);
      k.anomaly = kpis.Text(9);
      k.settings.baseline_value = kpis.Real(10);
      k.settings.baseline_date = kpis.Text(11);
      k.settings.target_value = kpis.Real(12);
      k.settings.target_date = kpis.Text(13);
      k.settings.direction = ParseDirection(kpis.Text(14)).value_or(Direction::kUnset);
      k.settings.unit = kpis.Text(15);
      data.kpis.push_back(std::move(k));
    }
    Statement values(db(), "SELECT id, kpi_id, date, period, value, unit, qualifier, source, "
                           "note, entered_at, entered_by FROM kpi_value ORDER BY kpi_id, date, id");
    while (values.Step()) data.values.push_back(ReadValue(values));
    Statement indicators(db(), "SELECT id, theme_id, title, kpi_id, measured_on, note "
                               "FROM public_indicator ORDER BY position");
    while (indicators.Step()) {
      data.public_indicators.push_back({indicators.Text(0), indicators.Text(1),
                                        indicators.Text(2), indicators.Text(3),
                                        indicators.Text(4), indicators.Text(5)});
    }
    Statement facts(db(), "SELECT value, unit, as_of, qualifier, source, note FROM context_fact "
                          "ORDER BY id");
    while (facts.Step()) {
      data.context_facts.push_back(
          {facts.Real(0).value_or(0), facts.Text(1), facts.Text(2),
           ParseQualifier(facts.Text(3)).value_or(Qualifier::kExact), facts.Text(4),
           facts.Text(5)});
    }
    for (const Statement* s : {&themes, &fields, &measures, &kpis, &values, &indicators, &facts}) {
      if (!s->status().ok()) return s->status();
    }
    return data;
  }

  Result<std::vector<KpiValue>> ApplyValueChanges(const std::vector<ValueChange>& changes) override {
    std::lock_guard lock(mu_);
    Transaction tx(db());
    if (!tx.status().ok()) return tx.status();
    std::vector<KpiValue> stored;
    stored.reserve(changes.size());
    for (const ValueChange& change : changes) {
      auto one = ApplyLocked(change);
      if (!one.ok()) return one.status();
      stored.push_back(std::move(one).value());
    }
    if (auto s = tx.Commit(); !s.ok()) return s;
    return stored;
  }

  Status SetKpiSettings(const std::string& kpi_id, const KpiSettings& s) override {
    std::lock_guard lock(mu_);
    Transaction tx(db());
    if (!tx.status().ok()) return tx.status();
    if (auto st = RequireKpi(kpi_id); !st.ok()) return st;
    Statement q(db(), "INSERT OR REPLACE INTO kpi_settings VALUES (?,?,?,?,?,?,?)");
    q.Bind(1, kpi_id).Bind(2, s.baseline_value).Bind(3, s.baseline_date);
    q.Bind(4, s.target_value).Bind(5, s.target_date).Bind(6, DirectionName(s.direction));
    q.Bind(7, s.unit);
    if (auto st = Run(q); !st.ok()) return st;
    return tx.Commit();
  }

  Status SetMeasureStatus(const std::string& measure_id, const std::string& status) override {
    std::lock_guard lock(mu_);
    Transaction tx(db());
    if (!tx.status().ok()) return tx.status();
    if (auto s = Run(Statement(db(), "UPDATE measure SET status=? WHERE id=?")
                         .Bind(1, status)
                         .Bind(2, measure_id));
        !s.ok()) {
      return s;
    }
    if (sqlite3_changes(db()) == 0) return NotFound("no measure '" + measure_id + "'");
    return tx.Commit();
  }

  Status SetMeasureTexts(const std::string& measure_id, const std::string& name, const std::string& summary) override {
    std::lock_guard lock(mu_);
    if (auto s = Run(Statement(db(), "UPDATE measure SET name=?, summary=? WHERE id=?")
                         .Bind(1, name)
                         .Bind(2, summary)
                         .Bind(3, measure_id));
        !s.ok()) {
      return s;
    }
    if (sqlite3_changes(db()) == 0) return NotFound("no measure '" + measure_id + "'");
    return Status::Ok();
  }

  Status SetKpiName(const std::string& kpi_id, const std::string& name) override {
    std::lock_guard lock(mu_);
    if (auto s = Run(Statement(db(), "UPDATE kpi SET name=? WHERE id=?").Bind(1, name).Bind(2, kpi_id)); !s.ok()) {
      return s;
    }
    if (sqlite3_changes(db()) == 0) return NotFound("no KPI '" + kpi_id + "'");
    return Status::Ok();
  }

  Result<ApiKeyRecord> AddApiKey(ApiKeyRecord key) override {
    std::lock_guard lock(mu_);
    Statement q(db(), "INSERT INTO api_key (label, role, hash, created_at) VALUES (?,?,?,?)");
    q.Bind(1, key.label).Bind(2, RoleName(key.role)).Bind(3, key.hash).Bind(4, key.created_at);
    if (auto s = Run(q); !s.ok()) return s;
    key.id = sqlite3_last_insert_rowid(db());
    return key;
  }

  Result<ApiKeyRecord> FindApiKeyByHash(const std::string& hash) override {
    std::lock_guard lock(mu_);
    Statement q(db(), "SELECT id, label, role, hash, created_at FROM api_key WHERE hash=?");
    q.Bind(1, hash);
    if (!q.Step()) {
      if (!q.status().ok()) return q.status();
      return Status(ErrorCode::kUnauthenticated, "unknown API key", "Authorization");
    }
    return ApiKeyRecord{q.Int(0), q.Text(1), ParseRole(q.Text(2)).value_or(Role::kViewer),
                        q.Text(3), q.Text(4)};
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

  Result<KpiValue> AddLocked(KpiValue value) {
    if (auto s = RequireKpi(value.kpi_id); !s.ok()) return s;
    if (auto s = InsertValue(value, /*imported=*/false); !s.ok()) return s;
    value.id = sqlite3_last_insert_rowid(db());
    return value;
  }

  Result<KpiValue> UpdateLocked(KpiValue v) {
    Statement q(db(), "UPDATE kpi_value SET date=?, period=?, value=?, unit=?, qualifier=?, "
                      "source=?, note=?, entered_at=?, entered_by=?, imported=0 "
                      "WHERE id=? AND kpi_id=?");
    q.Bind(1, v.date).Bind(2, v.period).Bind(3, v.value).Bind(4, v.unit);
    q.Bind(5, QualifierName(v.qualifier)).Bind(6, v.source).Bind(7, v.note);
    q.Bind(8, v.entered_at).Bind(9, v.entered_by).Bind(10, v.id).Bind(11, v.kpi_id);
    if (auto s = Run(q); !s.ok()) return s;
    if (sqlite3_changes(db()) == 0) return NotFound("no value " + std::to_string(v.id) +
                                                    " for KPI '" + v.kpi_id + "'");
    return v;
  }

  Status DeleteLocked(const std::string& kpi_id, int64_t id) {
    if (auto s = Run(Statement(db(), "DELETE FROM kpi_value WHERE id=? AND kpi_id=?")
                         .Bind(1, id)
                         .Bind(2, kpi_id));
        !s.ok()) {
      return s;
    }
    if (sqlite3_changes(db()) == 0) {
      return NotFound("no value " + std::to_string(id) + " for KPI '" + kpi_id + "'");
    }
    return Status::Ok();
  }

  sqlite3* db() { return db_.get(); }

  static Status Run(Statement& q) {
    q.Step();
    return q.status();
  }
  static Status Run(Statement&& q) { return Run(q); }

  Status RequireKpi(const std::string& kpi_id) {
    Statement q(db(), "SELECT 1 FROM kpi WHERE id=?");
    q.Bind(1, kpi_id);
    if (q.Step()) return Status::Ok();
    if (!q.status().ok()) return q.status();
    return NotFound("no KPI '" + kpi_id + "'");
  }

  Status InsertValue(const KpiValue& v, bool imported) {
    Statement q(db(), "INSERT INTO kpi_value (kpi_id, date, period, value, unit, qualifier, "
                      "source, note, entered_at, entered_by, imported) "
                      "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    q.Bind(1, v.kpi_id).Bind(2, v.date).Bind(3, v.period).Bind(4, v.value).Bind(5, v.unit);
    q.Bind(6, QualifierName(v.qualifier)).Bind(7, v.source).Bind(8, v.note);
    q.Bind(9, v.entered_at).Bind(10, v.entered_by).Bind(11, int64_t{imported});
    return Run(q);
  }

  static KpiValue ReadValue(const Statement& q) {
    KpiValue v;
    v.id = q.Int(0);
    v.kpi_id = q.Text(1);
    v.date = q.Text(2);
    v.period = q.Text(3);
    v.value = q.Real(4);
    v.unit = q.Text(5);
    v.qualifier = ParseQualifier(q.Text(6)).value_or(Qualifier::kExact);
    v.source = q.Text(7);
    v.note = q.Text(8);
    v.entered_at = q.Text(9);
    v.entered_by = q.Text(10);
    return v;
  }

  std::mutex mu_;
  sqlite::DbHandle db_;
};

}  // namespace

Result<std::unique_ptr<CatalogueStore>> OpenSqliteCatalogueStore(const std::string& path) {
  auto db = sqlite::Open(path, "database", /*read_only=*/false, SQLITE_OPEN_FULLMUTEX);
  if (!db.ok()) return db.status();
  auto store = std::make_unique<SqliteCatalogueStore>(std::move(db).value());
  if (auto s = store->Migrate(); !s.ok()) return s;
  return std::unique_ptr<CatalogueStore>(std::move(store));
}

}  // namespace datenwerk
