#include "alerts/alert_store.h"

#include <boost/json.hpp>

#include "core/json_text.h"

namespace datenwerk::alerts {

namespace json = boost::json;
using sql::Row;
using sql::Value;

namespace {

std::string Schema(const char* dialect) {
  const std::string id = std::string(dialect) == "postgresql" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY";
  return "CREATE TABLE IF NOT EXISTS alert_rules (id " + id + ", doc TEXT NOT NULL, valid_from BIGINT NOT NULL,"
         " updated_by TEXT NOT NULL, updated BIGINT NOT NULL);"
         "CREATE TABLE IF NOT EXISTS alert_states (rule_id BIGINT NOT NULL, datastream BIGINT NOT NULL,"
         " state TEXT NOT NULL, PRIMARY KEY (rule_id, datastream));"
         "CREATE TABLE IF NOT EXISTS alerts (id " + id + ", rule_id BIGINT NOT NULL, datastream BIGINT NOT NULL,"
         " state TEXT NOT NULL, severity TEXT NOT NULL, rule_name TEXT NOT NULL, started BIGINT NOT NULL,"
         " fired BIGINT, acknowledged BIGINT, resolved BIGINT, value DOUBLE PRECISION NOT NULL,"
         " peak DOUBLE PRECISION NOT NULL);"
         "CREATE INDEX IF NOT EXISTS alerts_series ON alerts (rule_id, datastream, state);"
         "CREATE INDEX IF NOT EXISTS alerts_started ON alerts (started);"
         "CREATE TABLE IF NOT EXISTS alert_events (id " + id + ", alert_id BIGINT NOT NULL, at BIGINT NOT NULL,"
         " kind TEXT NOT NULL, who TEXT NOT NULL, note TEXT NOT NULL, value DOUBLE PRECISION NOT NULL);"
         "CREATE INDEX IF NOT EXISTS alert_events_alert ON alert_events (alert_id);"
         "CREATE TABLE IF NOT EXISTS alert_webhooks (id " + id + ", url TEXT NOT NULL, secret TEXT NOT NULL,"
         " label TEXT NOT NULL);"
         "CREATE TABLE IF NOT EXISTS alert_outbox (id " + id + ", webhook_id BIGINT NOT NULL, key TEXT NOT NULL,"
         " payload TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt BIGINT NOT NULL, delivered BIGINT,"
         " last_error TEXT, UNIQUE (webhook_id, key));"
         "CREATE INDEX IF NOT EXISTS alert_outbox_due ON alert_outbox (delivered, next_attempt);";
}

Value Optional(const std::optional<int64_t>& v) { return v ? Value(*v) : Value(); }
std::optional<int64_t> OptionalInt(const Row& r, size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<int64_t>(r.Int(i));
}

constexpr const char* kAlertColumns =
    "id, rule_id, datastream, state, severity, rule_name, started, fired, acknowledged, resolved, value, peak";

Alert AlertOf(const Row& r) {
  Alert a;
  a.id = r.Int(0);
  a.rule_id = r.Int(1);
  a.datastream = r.Int(2);
  a.state = r.Text(3);
  a.severity = r.Text(4);
  a.rule_name = r.Text(5);
  a.started_ms = r.Int(6);
  a.fired_ms = OptionalInt(r, 7);
  a.acknowledged_ms = OptionalInt(r, 8);
  a.resolved_ms = OptionalInt(r, 9);
  a.value = r.Real(10);
  a.peak = r.Real(11);
  return a;
}

Status NotFoundUnless(const Result<std::vector<Row>>& rows, const std::string& what) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("no " + what, "id");
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<AlertStore>> AlertStore::Open(std::unique_ptr<sql::Connection> connection) {
  if (Status s = connection->Exec(Schema(connection->Dialect())); !s.ok()) return s;
  sql::Connection& db = *connection;
  return std::make_unique<AlertStore>(db, std::move(connection));
}

Result<std::unique_ptr<AlertStore>> AlertStore::Open(sql::Connection& db) {
  if (Status s = db.Exec(Schema(db.Dialect())); !s.ok()) return s;
  return std::make_unique<AlertStore>(db, nullptr);
}

Result<int64_t> AlertStore::InsertRule(const AlertRule& rule, int64_t valid_from_ms, const std::string& who) {
  auto rows = db_->Query("INSERT INTO alert_rules (doc, valid_from, updated_by, updated) VALUES ($1, $2, $3, $2)"
                         " RETURNING id",
                         {ToJsonText(RuleJson(rule)), valid_from_ms, who});
  if (!rows.ok()) return rows.status();
  return rows->at(0).Int(0);
}

Status AlertStore::UpdateRule(const AlertRule& rule, int64_t valid_from_ms, const std::string& who) {
  return NotFoundUnless(
      db_->Query("UPDATE alert_rules SET doc = $1, valid_from = $2, updated_by = $3, updated = $2"
                 " WHERE id = $4 RETURNING id",
                 {ToJsonText(RuleJson(rule)), valid_from_ms, who, rule.id}),
      "alert rule");
}

Status AlertStore::DeleteRule(int64_t id) {
  if (Status s = DeleteStates(id); !s.ok()) return s;
  return NotFoundUnless(db_->Query("DELETE FROM alert_rules WHERE id = $1 RETURNING id", {id}), "alert rule");
}

Result<std::map<int64_t, int64_t>> AlertStore::RuleVersions() {
  auto rows = db_->Query("SELECT id, valid_from FROM alert_rules");
  if (!rows.ok()) return rows.status();
  std::map<int64_t, int64_t> versions;
  for (const Row& r : *rows) versions.emplace(r.Int(0), r.Int(1));
  return versions;
}

Result<std::vector<StoredRule>> AlertStore::Rules() {
  auto rows = db_->Query("SELECT id, doc, valid_from, updated_by, updated FROM alert_rules ORDER BY id");
  if (!rows.ok()) return rows.status();
  std::vector<StoredRule> rules;
  for (const Row& r : *rows) {
    boost::system::error_code ec;
    json::value doc = json::parse(r.Text(1), ec);
    if (ec) return Internal("alert rule " + r.Text(0) + " is stored unreadably");
    auto rule = ParseRule(doc);
    if (!rule.ok()) return Internal("alert rule " + r.Text(0) + " is stored invalid: " + rule.status().message());
    rule->id = r.Int(0);
    rules.push_back({std::move(rule).value(), r.Int(2), r.Text(3), r.Int(4)});
  }
  return rules;
}

Status AlertStore::SaveState(const StateRecord& s) {
  auto rows = db_->Query("INSERT INTO alert_states (rule_id, datastream, state) VALUES ($1, $2, $3)"
                         " ON CONFLICT (rule_id, datastream) DO UPDATE SET state = excluded.state",
                         {s.rule_id, s.datastream, s.state_json});
  return rows.ok() ? Status::Ok() : rows.status();
}

Status AlertStore::DeleteStates(int64_t rule_id) {
  auto rows = db_->Query("DELETE FROM alert_states WHERE rule_id = $1", {rule_id});
  return rows.ok() ? Status::Ok() : rows.status();
}

Result<std::vector<StateRecord>> AlertStore::States() {
  auto rows = db_->Query("SELECT rule_id, datastream, state FROM alert_states");
  if (!rows.ok()) return rows.status();
  std::vector<StateRecord> states;
  states.reserve(rows->size());
  for (const Row& r : *rows) states.push_back({r.Int(0), r.Int(1), r.Text(2)});
  return states;
}

Result<int64_t> AlertStore::InsertAlert(const Alert& a) {
  auto rows = db_->Query(
      "INSERT INTO alerts (rule_id, datastream, state, severity, rule_name, started, fired, acknowledged,"
      " resolved, value, peak) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
      {a.rule_id, a.datastream, a.state, a.severity, a.rule_name, a.started_ms, Optional(a.fired_ms),
       Optional(a.acknowledged_ms), Optional(a.resolved_ms), a.value, a.peak});
  if (!rows.ok()) return rows.status();
  return rows->at(0).Int(0);
}

Status AlertStore::UpdateAlert(const Alert& a) {
  return NotFoundUnless(
      db_->Query("UPDATE alerts SET state = $1, fired = $2, acknowledged = $3, resolved = $4, value = $5,"
                 " peak = $6 WHERE id = $7 RETURNING id",
                 {a.state, Optional(a.fired_ms), Optional(a.acknowledged_ms), Optional(a.resolved_ms), a.value,
                  a.peak, a.id}),
      "alert");
}

Result<std::optional<Alert>> AlertStore::GetAlert(int64_t id) {
  auto rows = db_->Query(std::string("SELECT ") + kAlertColumns + " FROM alerts WHERE id = $1", {id});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Alert>();
  return std::optional<Alert>(AlertOf(rows->front()));
}

Result<std::optional<Alert>> AlertStore::OpenAlert(int64_t rule_id, int64_t datastream) {
  auto rows = db_->Query(std::string("SELECT ") + kAlertColumns +
                             " FROM alerts WHERE rule_id = $1 AND datastream = $2"
                             " AND state IN ('pending', 'firing', 'acknowledged') ORDER BY id DESC LIMIT 1",
                         {rule_id, datastream});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Alert>();
  return std::optional<Alert>(AlertOf(rows->front()));
}

Result<std::vector<Alert>> AlertStore::OpenAlertsOfRule(int64_t rule_id) {
  auto rows = db_->Query(std::string("SELECT ") + kAlertColumns +
                             " FROM alerts WHERE rule_id = $1 AND state IN ('pending', 'firing', 'acknowledged')",
                         {rule_id});
  if (!rows.ok()) return rows.status();
  std::vector<Alert> alerts;
  for (const Row& r : *rows) alerts.push_back(AlertOf(r));
  return alerts;
}

Result<std::vector<Alert>> AlertStore::ListAlerts(const AlertQuery& q) {
  std::string where = " WHERE 1 = 1";
  std::vector<Value> params;
  auto param = [&](Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (q.states.empty()) {
    where += " AND state <> 'cancelled'";
  } else {
    where += " AND state IN (";
    for (size_t i = 0; i < q.states.size(); ++i) where += (i ? ", " : "") + param(q.states[i]);
    where += ")";
  }
  if (q.rule_id) where += " AND rule_id = " + param(*q.rule_id);
  if (q.datastream) where += " AND datastream = " + param(*q.datastream);
  if (!q.severity.empty()) where += " AND severity = " + param(q.severity);
  if (q.from_ms) where += " AND started >= " + param(*q.from_ms);
  if (q.to_ms) where += " AND started < " + param(*q.to_ms);
  if (q.after_id) where += " AND id > " + param(*q.after_id);
  const std::string limit = param(q.limit);
  const std::string order = q.after_id ? " ORDER BY id LIMIT " + limit
                                       : " ORDER BY started DESC, id DESC LIMIT " + limit + " OFFSET " + param(q.offset);
  auto rows = db_->Query(std::string("SELECT ") + kAlertColumns + " FROM alerts" + where + order, params);
  if (!rows.ok()) return rows.status();
  std::vector<Alert> alerts;
  for (const Row& r : *rows) alerts.push_back(AlertOf(r));
  return alerts;
}

Result<PublishedAlerts> AlertStore::Published() {
  // Each later moment is at least the earlier one, so the newest change is the first set of them.
  auto rows = db_->Query(
      "SELECT COUNT(*), COALESCE(MIN(started), 0), COALESCE(MAX(COALESCE(resolved, acknowledged, fired, started)), 0)"
      " FROM alerts WHERE state IN ('firing', 'acknowledged', 'resolved')");
  if (!rows.ok()) return rows.status();
  return PublishedAlerts{rows->at(0).Int(0), rows->at(0).Int(1), rows->at(0).Int(2)};
}

Status AlertStore::AddEvent(const AlertEvent& e) {
  auto rows = db_->Query("INSERT INTO alert_events (alert_id, at, kind, who, note, value)"
                         " VALUES ($1, $2, $3, $4, $5, $6)",
                         {e.alert_id, e.at_ms, e.kind, e.who, e.note, e.value});
  return rows.ok() ? Status::Ok() : rows.status();
}

Result<std::vector<AlertEvent>> AlertStore::Events(int64_t alert_id) {
  auto rows = db_->Query("SELECT alert_id, at, kind, who, note, value FROM alert_events WHERE alert_id = $1"
                         " ORDER BY id",
                         {alert_id});
  if (!rows.ok()) return rows.status();
  std::vector<AlertEvent> events;
  for (const Row& r : *rows) events.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Real(5)});
  return events;
}

Result<int64_t> AlertStore::InsertWebhook(const Webhook& h) {
  auto rows = db_->Query("INSERT INTO alert_webhooks (url, secret, label) VALUES ($1, $2, $3) RETURNING id",
                         {h.url, h.secret, h.label});
  if (!rows.ok()) return rows.status();
  return rows->at(0).Int(0);
}

Status AlertStore::DeleteWebhook(int64_t id) {
  return Write([&](sql::Tx&) -> Status {
    auto gone = db_->Query("DELETE FROM alert_outbox WHERE webhook_id = $1 AND delivered IS NULL", {id});
    if (!gone.ok()) return gone.status();
    return NotFoundUnless(db_->Query("DELETE FROM alert_webhooks WHERE id = $1 RETURNING id", {id}), "webhook");
  });
}

Result<std::vector<Webhook>> AlertStore::Webhooks() {
  auto rows = db_->Query("SELECT id, url, secret, label FROM alert_webhooks ORDER BY id");
  if (!rows.ok()) return rows.status();
  std::vector<Webhook> hooks;
  for (const Row& r : *rows) hooks.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3)});
  return hooks;
}

Status AlertStore::Enqueue(const std::string& key, const std::string& payload, int64_t now_ms) {
  // "WHERE true" lets SQLite read ON CONFLICT as the upsert clause, not as part of the SELECT.
  auto rows = db_->Query("INSERT INTO alert_outbox (webhook_id, key, payload, attempts, next_attempt)"
                         " SELECT id, $1, $2, 0, $3 FROM alert_webhooks WHERE true"
                         " ON CONFLICT (webhook_id, key) DO NOTHING",
                         {key, payload, now_ms});
  return rows.ok() ? Status::Ok() : rows.status();
}

Result<std::vector<OutboxEntry>> AlertStore::Due(int64_t now_ms, int64_t limit) {
  auto rows = db_->Query("SELECT o.id, o.webhook_id, w.url, w.secret, o.key, o.payload, o.attempts, o.next_attempt"
                         " FROM alert_outbox o JOIN alert_webhooks w ON w.id = o.webhook_id"
                         " WHERE o.delivered IS NULL AND o.next_attempt <= $1 ORDER BY o.id LIMIT $2",
                         {now_ms, limit});
  if (!rows.ok()) return rows.status();
  std::vector<OutboxEntry> due;
  for (const Row& r : *rows) {
    due.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5),
                   static_cast<int>(r.Int(6)), r.Int(7)});
  }
  return due;
}

Status AlertStore::MarkDelivered(int64_t entry_id, int64_t now_ms) {
  auto rows = db_->Query("UPDATE alert_outbox SET delivered = $1 WHERE id = $2", {now_ms, entry_id});
  return rows.ok() ? Status::Ok() : rows.status();
}

Status AlertStore::MarkFailed(int64_t entry_id, int attempts, int64_t next_attempt_ms, const std::string& error) {
  auto rows = db_->Query("UPDATE alert_outbox SET attempts = $1, next_attempt = $2, last_error = $3 WHERE id = $4",
                         {int64_t{attempts}, next_attempt_ms, error.substr(0, 500), entry_id});
  return rows.ok() ? Status::Ok() : rows.status();
}

Result<int64_t> AlertStore::Backlog() {
  auto rows = db_->Query("SELECT COUNT(*) FROM alert_outbox WHERE delivered IS NULL");
  if (!rows.ok()) return rows.status();
  return rows->at(0).Int(0);
}

}  // namespace datenwerk::alerts
