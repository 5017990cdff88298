// Where alert rules, their per-series state, the alerts with their history, the webhooks and the
// webhook outbox are kept: one implementation over portable SQL (store/sql_connection.h), so
// SQLite and PostgreSQL run the same statements and pass the same tests. Thread-safe (the
// connection serialises); Write() makes its work one transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alerts/rule.h"
#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk::alerts {

struct StoredRule {
  AlertRule rule;
  int64_t valid_from_ms = 0;  // readings taken earlier are not evaluated (set on create and update)
  std::string updated_by;
  int64_t updated_ms = 0;
};

// An alert's life: "firing" -> ("acknowledged") -> "resolved". (Pending is the series' state in
// the engine, not recorded; "pending" and "cancelled" rows exist only in stores of the first
// version.)
struct Alert {
  int64_t id = 0;
  int64_t rule_id = 0;
  int64_t datastream = 0;
  std::string state;
  std::string severity;
  std::string rule_name;
  int64_t started_ms = 0;
  std::optional<int64_t> fired_ms, acknowledged_ms, resolved_ms;
  double value = 0;  // the condition's value at the last change
  double peak = 0;   // its most extreme value while open
};

struct AlertEvent {
  int64_t alert_id = 0;
  int64_t at_ms = 0;
  std::string kind;  // pending, firing, acknowledged, resolved, cancelled, note
  std::string who;   // "" for the rule engine, else the key's label
  std::string note;
  double value = 0;
};

struct AlertQuery {
  std::vector<std::string> states;  // empty: all but cancelled
  std::optional<int64_t> rule_id, datastream;
  std::string severity;
  std::optional<int64_t> from_ms, to_ms;  // started within
  int64_t limit = 100, offset = 0;
  // Keyset paging for exports: only alerts with a larger id, oldest first (offset ignored), so a
  // long read is neither shifted nor doubled by alerts that arrive meanwhile.
  std::optional<int64_t> after_id;
};

// The alerts that have happened (firing, acknowledged or resolved; not those still pending or
// withdrawn before they fired): the open-data dataset of alerts.
inline constexpr const char* kPublishedStates[] = {"firing", "acknowledged", "resolved"};
struct PublishedAlerts {
  int64_t count = 0;
  int64_t first_started_ms = 0;  // 0 without any
  int64_t last_change_ms = 0;    // the newest start, firing, acknowledgement or resolution
};

struct Webhook {
  int64_t id = 0;
  std::string url;
  std::string secret;
  std::string label;
};

struct OutboxEntry {
  int64_t id = 0;
  int64_t webhook_id = 0;
  std::string url, secret;
  std::string idempotency_key;
  std::string payload;
  int attempts = 0;
  int64_t next_attempt_ms = 0;
};

struct StateRecord {
  int64_t rule_id = 0;
  int64_t datastream = 0;
  std::string state_json;
};

class AlertStore {
 public:
  // Creates the tables when missing: in a database of its own, or in `db` (borrowed: the
  // deployment's one database).
  static Result<std::unique_ptr<AlertStore>> Open(std::unique_ptr<sql::Connection> connection);
  static Result<std::unique_ptr<AlertStore>> Open(sql::Connection& db);

  // `work` runs in one transaction; the store's methods called from it join it.
  Status Write(const std::function<Status(sql::Tx&)>& work) { return db_->Transaction(work); }

  // Rules (the rule's JSON form is what is stored).
  Result<int64_t> InsertRule(const AlertRule& rule, int64_t valid_from_ms, const std::string& who);
  Status UpdateRule(const AlertRule& rule, int64_t valid_from_ms, const std::string& who);  // kNotFound
  Status DeleteRule(int64_t id);  // kNotFound; also drops its states
  Result<std::vector<StoredRule>> Rules();
  // Each rule's id and the time it was made or last changed (its version).
  Result<std::map<int64_t, int64_t>> RuleVersions();

  // Per-series state of each rule.
  Status SaveState(const StateRecord& state);
  Status DeleteStates(int64_t rule_id);
  Result<std::vector<StateRecord>> States();

  // Alerts and their history.
  Result<int64_t> InsertAlert(const Alert& alert);
  Status UpdateAlert(const Alert& alert);
  Result<std::optional<Alert>> GetAlert(int64_t id);
  // The alert of (rule, datastream) that is pending, firing or acknowledged, if any.
  Result<std::optional<Alert>> OpenAlert(int64_t rule_id, int64_t datastream);
  Result<std::vector<Alert>> OpenAlertsOfRule(int64_t rule_id);
  Result<std::vector<Alert>> ListAlerts(const AlertQuery& query);
  Result<PublishedAlerts> Published();
  Status AddEvent(const AlertEvent& event);
  Result<std::vector<AlertEvent>> Events(int64_t alert_id);

  // Webhooks and the outbox of their notifications.
  Result<int64_t> InsertWebhook(const Webhook& hook);
  Status DeleteWebhook(int64_t id);  // kNotFound; its undelivered notifications go with it
  Result<std::vector<Webhook>> Webhooks();
  // One notification for every webhook, due at once; the key is unique per webhook.
  Status Enqueue(const std::string& idempotency_key, const std::string& payload, int64_t now_ms);
  // Undelivered notifications due at `now_ms`, oldest first.
  Result<std::vector<OutboxEntry>> Due(int64_t now_ms, int64_t limit);
  Status MarkDelivered(int64_t entry_id, int64_t now_ms);
  Status MarkFailed(int64_t entry_id, int attempts, int64_t next_attempt_ms, const std::string& error);
  // Undelivered notifications in all.
  Result<int64_t> Backlog();

  AlertStore(sql::Connection& db, std::unique_ptr<sql::Connection> owned) : owned_(std::move(owned)), db_(&db) {}

 private:
  std::unique_ptr<sql::Connection> owned_;  // when the store has a database of its own
  sql::Connection* db_;
};

}  // namespace datenwerk::alerts
