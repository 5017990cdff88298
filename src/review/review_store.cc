#include "review/review_store.h"

namespace datenwerk::review {

namespace {

std::string Schema(const std::string& dialect) {
  const std::string id = dialect == "postgresql" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY";
  return "CREATE TABLE IF NOT EXISTS value_drafts (id " + id + ", action TEXT NOT NULL, kpi_id TEXT NOT NULL,"
         " value_id BIGINT NOT NULL, date TEXT NOT NULL, period TEXT NOT NULL, value DOUBLE PRECISION,"
         " unit TEXT NOT NULL, qualifier TEXT NOT NULL, source TEXT NOT NULL, note TEXT NOT NULL,"
         " reason TEXT NOT NULL, author_id BIGINT NOT NULL, author TEXT NOT NULL, created BIGINT NOT NULL,"
         " state TEXT NOT NULL, reviewer_id BIGINT NOT NULL, reviewer TEXT NOT NULL, decided BIGINT NOT NULL,"
         " decision_note TEXT NOT NULL, batch TEXT NOT NULL);"
         "CREATE INDEX IF NOT EXISTS value_drafts_batch ON value_drafts (batch, state);"
         "CREATE TABLE IF NOT EXISTS pending_imports (id TEXT PRIMARY KEY, account_id BIGINT NOT NULL,"
         " created BIGINT NOT NULL, file_name TEXT NOT NULL, text TEXT NOT NULL);"
         "CREATE INDEX IF NOT EXISTS value_drafts_state ON value_drafts (state, created);"
         "CREATE INDEX IF NOT EXISTS value_drafts_kpi_date ON value_drafts (kpi_id, state, date);"
         "CREATE INDEX IF NOT EXISTS value_drafts_decided ON value_drafts (state, decided);"
         "CREATE INDEX IF NOT EXISTS value_drafts_author ON value_drafts (author_id, state);"
         "CREATE TABLE IF NOT EXISTS measure_status_notes (id " + id + ", measure_id TEXT NOT NULL, status TEXT NOT NULL,"
         " date TEXT NOT NULL, note TEXT NOT NULL, author TEXT NOT NULL, at BIGINT NOT NULL);"
         "CREATE INDEX IF NOT EXISTS measure_status_notes_measure ON measure_status_notes (measure_id);"
         "CREATE TABLE IF NOT EXISTS theme_review (theme_id TEXT PRIMARY KEY, self_publish INTEGER NOT NULL);"
         "CREATE TABLE IF NOT EXISTS kpi_plans (kpi_id TEXT PRIMARY KEY, owner_id BIGINT NOT NULL,"
         " cadence TEXT NOT NULL, next_due TEXT NOT NULL);";
}

constexpr const char* kColumns =
    "id, action, kpi_id, value_id, date, period, value, unit, qualifier, source, note, reason, author_id,"
    " author, created, state, reviewer_id, reviewer, decided, decision_note, batch";

ValueDraft DraftOf(const sql::Row& r) {
  ValueDraft d;
  d.id = r.Int(0);
  d.action = ParseDraftAction(r.Text(1)).value_or(DraftAction::kAdd);
  d.value.kpi_id = r.Text(2);
  d.value.id = r.Int(3);
  d.value.date = r.Text(4);
  d.value.period = r.Text(5);
  if (!r.IsNull(6)) d.value.value = r.Real(6);
  d.value.unit = r.Text(7);
  d.value.qualifier = ParseQualifier(r.Text(8)).value_or(Qualifier::kExact);
  d.value.source = r.Text(9);
  d.value.note = r.Text(10);
  d.reason = r.Text(11);
  d.author_id = r.Int(12);
  d.author = r.Text(13);
  d.created_ms = r.Int(14);
  d.state = ParseDraftState(r.Text(15)).value_or(DraftState::kOpen);
  d.reviewer_id = r.Int(16);
  d.reviewer = r.Text(17);
  d.decided_ms = r.Int(18);
  d.decision_note = r.Text(19);
  d.batch = r.Text(20);
  return d;
}

}  // namespace

Result<std::unique_ptr<ReviewStore>> ReviewStore::Open(sql::Connection& db) {
  if (Status s = db.Exec(Schema(db.Dialect())); !s.ok()) return s;
  return std::make_unique<ReviewStore>(db);
}

Result<ValueDraft> ReviewStore::Insert(ValueDraft d) {
  const KpiValue& v = d.value;
  auto rows = db_.Query(
      "INSERT INTO value_drafts (action, kpi_id, value_id, date, period, value, unit, qualifier, source, note,"
      " reason, author_id, author, created, state, reviewer_id, reviewer, decided, decision_note, batch)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open', 0, '', 0, '', $15) RETURNING id",
      {std::string(DraftActionName(d.action)), v.kpi_id, v.id, v.date, v.period,
       v.value ? sql::Value(*v.value) : sql::Value(), v.unit, std::string(QualifierName(v.qualifier)), v.source,
       v.note, d.reason, d.author_id, d.author, d.created_ms, d.batch});
  if (!rows.ok()) return rows.status();
  d.id = rows->front().Int(0);
  d.state = DraftState::kOpen;
  return d;
}

Result<ValueDraft> ReviewStore::Find(int64_t id) {
  auto rows = db_.Query("SELECT " + std::string(kColumns) + " FROM value_drafts WHERE id = $1", {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("Diesen Entwurf gibt es nicht.", "entwurf");
  return DraftOf(rows->front());
}

Result<std::vector<ValueDraft>> ReviewStore::Query(const DraftQuery& q) {
  std::vector<sql::Value> params;
  std::string sql = "SELECT " + std::string(kColumns) + " FROM value_drafts WHERE 1=1";
  if (q.state) {
    params.push_back(std::string(DraftStateName(*q.state)));
    sql += " AND state = $" + std::to_string(params.size());
  }
  if (!q.kpi_id.empty()) {
    params.push_back(q.kpi_id);
    sql += " AND kpi_id = $" + std::to_string(params.size());
  }
  if (q.without_batch) sql += " AND batch = ''";
  if (!q.batch.empty()) {
    params.push_back(q.batch);
    sql += " AND batch = $" + std::to_string(params.size());
  }
  if (q.author_id >= 0) {
    params.push_back(q.author_id);
    sql += " AND author_id = $" + std::to_string(params.size());
  }
  params.push_back(q.limit);
  sql += q.newest_decided_first ? " ORDER BY decided DESC, id DESC" : " ORDER BY created, id";
  sql += " LIMIT $" + std::to_string(params.size());
  auto rows = db_.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<ValueDraft> out;
  out.reserve(rows->size());
  for (const sql::Row& r : *rows) out.push_back(DraftOf(r));
  return out;
}

Status ReviewStore::Decide(const ValueDraft& d) {
  auto rows = db_.Query(
      "UPDATE value_drafts SET state = $1, reviewer_id = $2, reviewer = $3, decided = $4, decision_note = $5,"
      " value_id = $6 WHERE id = $7 AND state = 'open' RETURNING id",
      {std::string(DraftStateName(d.state)), d.reviewer_id, d.reviewer, d.decided_ms, d.decision_note, d.value.id,
       d.id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status(ErrorCode::kConflict, "Dieser Entwurf wurde schon entschieden.", "entwurf");
  return Status::Ok();
}

Result<bool> ReviewStore::OpenDraftFor(const std::string& kpi_id, const std::string& date, int64_t value_id) {
  auto rows = value_id != 0
                  ? db_.Query("SELECT 1 FROM value_drafts WHERE kpi_id = $1 AND state = 'open' AND value_id = $2"
                              " AND action <> 'add' LIMIT 1",
                              {kpi_id, value_id})
                  : db_.Query("SELECT 1 FROM value_drafts WHERE kpi_id = $1 AND state = 'open' AND date = $2"
                              " AND action = 'add' LIMIT 1",
                              {kpi_id, date});
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Status ReviewStore::SetValueId(int64_t draft_id, int64_t value_id) {
  return db_.Query("UPDATE value_drafts SET value_id = $1 WHERE id = $2", {value_id, draft_id}).status();
}

Result<std::vector<ReviewStore::OpenBatch>> ReviewStore::OpenBatches() {
  auto rows = db_.Query("SELECT batch, author, author_id, COUNT(*), MIN(created) FROM value_drafts"
                        " WHERE state = 'open' AND batch <> '' GROUP BY batch, author, author_id ORDER BY MIN(created)");
  if (!rows.ok()) return rows.status();
  std::vector<OpenBatch> out;
  for (const sql::Row& r : *rows) out.push_back({r.Text(0), r.Text(1), r.Int(2), r.Int(3), r.Int(4)});
  return out;
}

Status ReviewStore::SavePendingImport(const PendingImport& p) {
  return db_.Query("INSERT INTO pending_imports (id, account_id, created, file_name, text) VALUES ($1, $2, $3, $4, $5)",
                   {p.id, p.account_id, p.created_ms, p.file_name, p.text})
      .status();
}

Result<ReviewStore::PendingImport> ReviewStore::TakePendingImport(const std::string& id, int64_t account_id,
                                                                  int64_t not_before_ms) {
  // Old uploads go whenever one is taken: nobody confirms a preview from yesterday.
  if (Status s = db_.Query("DELETE FROM pending_imports WHERE created < $1", {not_before_ms}).status(); !s.ok()) return s;
  auto rows = db_.Query("DELETE FROM pending_imports WHERE id = $1 AND account_id = $2"
                        " RETURNING id, account_id, created, file_name, text",
                        {id, account_id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return NotFound("Diese Vorschau ist abgelaufen oder schon übernommen. Bitte laden Sie die Datei erneut hoch.",
                    "import");
  }
  const sql::Row& r = rows->front();
  return PendingImport{r.Text(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4)};
}

Status ReviewStore::AddStatusNote(const StatusNote& n) {
  return db_.Query("INSERT INTO measure_status_notes (measure_id, status, date, note, author, at)"
                   " VALUES ($1, $2, $3, $4, $5, $6)",
                   {n.measure_id, n.status, n.date, n.note, n.author, n.at_ms})
      .status();
}

Result<std::vector<StatusNote>> ReviewStore::StatusNotes(const std::string& measure_id, int limit) {
  auto rows = db_.Query("SELECT measure_id, status, date, note, author, at FROM measure_status_notes"
                        " WHERE measure_id = $1 ORDER BY id DESC LIMIT $2",
                        {measure_id, int64_t{limit}});
  if (!rows.ok()) return rows.status();
  std::vector<StatusNote> out;
  for (const sql::Row& r : *rows) out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
  return out;
}

Result<std::set<std::string>> ReviewStore::SelfPublishThemes() {
  auto rows = db_.Query("SELECT theme_id FROM theme_review WHERE self_publish = 1");
  if (!rows.ok()) return rows.status();
  std::set<std::string> out;
  for (const sql::Row& r : *rows) out.insert(r.Text(0));
  return out;
}

Status ReviewStore::SetSelfPublish(const std::string& theme_id, bool allowed) {
  return db_.Query("INSERT INTO theme_review (theme_id, self_publish) VALUES ($1, $2)"
                   " ON CONFLICT (theme_id) DO UPDATE SET self_publish = EXCLUDED.self_publish",
                   {theme_id, int64_t{allowed}})
      .status();
}

Result<std::vector<KpiPlan>> ReviewStore::Plans() {
  auto rows = db_.Query("SELECT kpi_id, owner_id, cadence, next_due FROM kpi_plans ORDER BY kpi_id");
  if (!rows.ok()) return rows.status();
  std::vector<KpiPlan> out;
  for (const sql::Row& r : *rows) {
    out.push_back(KpiPlan{r.Text(0), r.Int(1), ParseCadence(r.Text(2)).value_or(Cadence::kYearly), r.Text(3)});
  }
  return out;
}

Status ReviewStore::SetPlan(const KpiPlan& p) {
  return db_.Query("INSERT INTO kpi_plans (kpi_id, owner_id, cadence, next_due) VALUES ($1, $2, $3, $4)"
                   " ON CONFLICT (kpi_id) DO UPDATE SET owner_id = EXCLUDED.owner_id, cadence = EXCLUDED.cadence,"
                   " next_due = EXCLUDED.next_due",
                   {p.kpi_id, p.owner_id, std::string(CadenceName(p.cadence)), p.next_due})
      .status();
}

}  // namespace datenwerk::review
