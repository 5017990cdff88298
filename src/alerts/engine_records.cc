// The alert engine's records: how a transition changes an alert, the rules' life cycle, and
// what staff do with alerts (acknowledge, resolve).
#include <spdlog/spdlog.h>

#include <limits>

#include "alerts/alert_json.h"
#include "alerts/engine.h"
#include "core/json_text.h"
#include "store/change_feed.h"

namespace datenwerk::alerts {

namespace json = boost::json;

namespace {

Result<Alert> StoredAlert(AlertStore& store, int64_t id) {
  auto found = store.GetAlert(id);
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("no alert " + std::to_string(id), "id");
  return **found;
}

}  // namespace

Status AlertEngine::Notify(const Alert& alert, const std::string& event, int64_t at_ms, const std::string& who,
                           const std::string& note, std::vector<std::pair<std::string, std::string>>& notices) {
  const std::string key = "alert-" + std::to_string(alert.id) + "-" + event;
  if (Status s = store_.Enqueue(key, ToJsonText(NotificationJson(key, event, at_ms, alert, who, note)), now_ms_()); !s.ok()) {
    return s;
  }
  notices.emplace_back(event, ToJsonText(NotificationJson(key, event, at_ms, alert, "", "")));
  return Status::Ok();
}

// Runs on the recording thread without the engine's lock: it uses nothing but the change.
// Idempotent: a transition the open alert already shows changes nothing (after a restart, the
// stored readings evaluated again repeat what was recorded before the stop).
Status AlertEngine::ApplyChange(const Change& c, std::vector<std::pair<std::string, std::string>>& notices) {
  const auto& [rule_id, ds] = c.key;
  auto open = store_.OpenAlert(rule_id, ds);
  if (!open.ok()) return open.status();
  const Transition& t = c.transition;
  auto event = [&](const Alert& a, const char* kind) {
    return store_.AddEvent({a.id, t.at_ms, kind, "", "", t.value});
  };
  auto extreme = [&](Alert& a) {
    a.peak = t.peak;
    a.value = t.value;
  };
  switch (t.kind) {
    case Transition::Kind::kFiring: {
      Alert a;
      if (*open) {
        a = **open;
        if (a.state != "pending") return Status::Ok();  // already recorded
        a.state = "firing";  // a pending alert recorded by an older version
        a.fired_ms = t.at_ms;
        extreme(a);
        if (Status s = store_.UpdateAlert(a); !s.ok()) return s;
      } else {
        a = {0, rule_id, ds, "firing", c.severity, c.rule_name, t.began_ms ? t.began_ms : t.at_ms,
             t.at_ms, std::nullopt, std::nullopt, t.value, t.peak};
        auto id = store_.InsertAlert(a);
        if (!id.ok()) return id.status();
        a.id = *id;
      }
      if (Status s = event(a, "firing"); !s.ok()) return s;
      return Notify(a, "firing", t.at_ms, "", "", notices);
    }
    case Transition::Kind::kResolved: {
      if (!*open) return Status::Ok();
      Alert a = **open;
      a.state = "resolved";
      a.resolved_ms = t.at_ms;
      extreme(a);
      if (Status s = store_.UpdateAlert(a); !s.ok()) return s;
      if (Status s = event(a, "resolved"); !s.ok()) return s;
      return Notify(a, "resolved", t.at_ms, "", "", notices);
    }
    case Transition::Kind::kPending:
    case Transition::Kind::kCancelled:
      break;  // not recorded (see Recorded in engine.cc)
  }
  return Status::Ok();
}

Status AlertEngine::CloseAlertsOfRule(int64_t rule_id, const std::string& who, const std::string& note,
                                      std::vector<std::pair<std::string, std::string>>& notices) {
  auto open = store_.OpenAlertsOfRule(rule_id);
  if (!open.ok()) return open.status();
  const int64_t now = now_ms_();
  for (Alert a : *open) {
    const bool was_firing = a.state != "pending";
    a.state = was_firing ? "resolved" : "cancelled";
    a.resolved_ms = now;
    if (Status s = store_.UpdateAlert(a); !s.ok()) return s;
    if (Status s = store_.AddEvent({a.id, now, a.state, who, note, a.value}); !s.ok()) return s;
    if (was_firing) {
      if (Status s = Notify(a, "resolved", now, who, note, notices); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

Result<StoredRule> AlertEngine::CreateRule(const json::value& body, const std::string& who) {
  auto rule = ParseRule(body);
  if (!rule.ok()) return rule.status();
  const int64_t now = now_ms_();
  StoredRule stored{std::move(rule).value(), now, who, now};
  auto compiled = Compile(stored);
  if (!compiled.ok()) return compiled.status();
  std::lock_guard lock(mu_);
  if (rules_.size() >= kMaxRules) {
    return Status(ErrorCode::kConflict, "at most " + std::to_string(kMaxRules) + " alert rules", "rules");
  }
  int64_t id = 0;
  Status s = store_.Write([&](sql::Tx& tx) -> Status {
    auto inserted = store_.InsertRule(stored.rule, now, who);
    if (!inserted.ok()) return inserted.status();
    id = *inserted;
    return sql::Announce(tx, kRulesTopic);
  });
  if (!s.ok()) return s;
  compiled->stored.rule.id = id;
  stored.rule.id = id;
  rules_.emplace(id, std::move(compiled).value());
  applicable_.clear();
  return stored;
}

Result<StoredRule> AlertEngine::UpdateRule(int64_t id, const json::value& body, const std::string& who) {
  auto rule = ParseRule(body);
  if (!rule.ok()) return rule.status();
  rule->id = id;
  const int64_t now = now_ms_();
  StoredRule stored{std::move(rule).value(), now, who, now};
  auto compiled = Compile(stored);
  if (!compiled.ok()) return compiled.status();
  IgnoreError(Checkpoint());  // what the old rule found is recorded first
  std::lock_guard lock(mu_);
  if (!rules_.contains(id)) return NotFound("no alert rule " + std::to_string(id), "id");
  // A changed rule starts afresh: its open alerts close, its states go.
  std::vector<std::pair<std::string, std::string>> notices;
  Status s = store_.Write([&](sql::Tx& tx) -> Status {
    notices.clear();
    if (Status st = store_.UpdateRule(stored.rule, now, who); !st.ok()) return st;
    if (Status st = store_.DeleteStates(id); !st.ok()) return st;
    if (Status st = CloseAlertsOfRule(id, who, "Regel geändert", notices); !st.ok()) return st;
    return sql::Announce(tx, kRulesTopic);
  });
  if (!s.ok()) return s;
  for (auto it = states_.lower_bound({id, std::numeric_limits<int64_t>::min()}); it != states_.end() && it->first.first == id;) {
    tickable_.erase(it->first);
    it = states_.erase(it);
  }
  rules_[id] = std::move(compiled).value();
  applicable_.clear();
  Publish(notices);
  return stored;
}

Status AlertEngine::DeleteRule(int64_t id, const std::string& who) {
  IgnoreError(Checkpoint());
  std::lock_guard lock(mu_);
  if (!rules_.contains(id)) return NotFound("no alert rule " + std::to_string(id), "id");
  std::vector<std::pair<std::string, std::string>> notices;
  Status s = store_.Write([&](sql::Tx& tx) -> Status {
    notices.clear();
    if (Status st = CloseAlertsOfRule(id, who, "Regel gelöscht", notices); !st.ok()) return st;
    if (Status st = store_.DeleteRule(id); !st.ok()) return st;
    return sql::Announce(tx, kRulesTopic);
  });
  if (!s.ok()) return s;
  for (auto it = states_.lower_bound({id, std::numeric_limits<int64_t>::min()}); it != states_.end() && it->first.first == id;) {
    tickable_.erase(it->first);
    it = states_.erase(it);
  }
  rules_.erase(id);
  applicable_.clear();
  Publish(notices);
  return Status::Ok();
}

void AlertEngine::ForgetLocked(const Key& key, int64_t now) {
  auto it = states_.find(key);
  if (it == states_.end()) return;
  it->second.state.phase = Phase::kOk;
  it->second.state.since_ms = now;
  it->second.dirty = true;
}

Result<Alert> AlertEngine::Acknowledge(int64_t alert_id, const std::string& who, const std::string& note) {
  IgnoreError(Checkpoint());  // staff act on the alerts as they are
  std::lock_guard lock(mu_);
  Alert a;
  std::vector<std::pair<std::string, std::string>> notices;
  Status s = store_.Write([&](sql::Tx&) -> Status {
    notices.clear();
    auto found = StoredAlert(store_, alert_id);
    if (!found.ok()) return found.status();
    a = *found;
    if (a.state != "firing") {
      return Status(ErrorCode::kConflict, "only a firing alert can be acknowledged; this one is " + a.state, "state");
    }
    const int64_t now = now_ms_();
    a.state = "acknowledged";
    a.acknowledged_ms = now;
    if (Status st = store_.UpdateAlert(a); !st.ok()) return st;
    if (Status st = store_.AddEvent({a.id, now, "acknowledged", who, note, a.value}); !st.ok()) return st;
    return Notify(a, "acknowledged", now, who, note, notices);
  });
  if (!s.ok()) return s;
  Publish(notices);
  return a;
}

Result<Alert> AlertEngine::Resolve(int64_t alert_id, const std::string& who, const std::string& note) {
  IgnoreError(Checkpoint());
  std::lock_guard lock(mu_);
  Alert a;
  std::vector<std::pair<std::string, std::string>> notices;
  const int64_t now = now_ms_();
  Status s = store_.Write([&](sql::Tx& tx) -> Status {
    notices.clear();
    auto found = StoredAlert(store_, alert_id);
    if (!found.ok()) return found.status();
    a = *found;
    if (a.state == "resolved" || a.state == "cancelled") {
      return Status(ErrorCode::kConflict, "the alert is already " + a.state, "state");
    }
    const bool was_firing = a.state != "pending";
    a.state = was_firing ? "resolved" : "cancelled";
    a.resolved_ms = now;
    if (Status st = store_.UpdateAlert(a); !st.ok()) return st;
    if (Status st = store_.AddEvent({a.id, now, a.state, who, note, a.value}); !st.ok()) return st;
    auto it = states_.find({a.rule_id, a.datastream});
    auto rule = rules_.find(a.rule_id);
    if (rule != rules_.end() && rule->second.stored.rule.kind != RuleKind::kNoData) {
      if (it != states_.end()) {
        SeriesState reset = it->second.state;
        reset.phase = Phase::kOk;
        reset.since_ms = now;
        if (Status st = store_.SaveState({a.rule_id, a.datastream, ToJsonText(StateJson(reset))}); !st.ok()) return st;
      }
      // The node that evaluates (maybe another) starts this series afresh too.
      const std::string reset = std::to_string(a.rule_id) + " " + std::to_string(a.datastream) + " " + std::to_string(now);
      if (Status st = sql::Announce(tx, kResetTopic, reset); !st.ok()) return st;
    }
    return was_firing ? Notify(a, "resolved", now, who, note, notices) : Status::Ok();
  });
  if (!s.ok()) return s;
  // Resolved by hand while the condition may still hold: a threshold rule looks afresh from here
  // on; a no-data rule waits for data to come back (else it would fire again at once).
  if (auto rule = rules_.find(a.rule_id); rule != rules_.end() && rule->second.stored.rule.kind != RuleKind::kNoData) {
    ForgetLocked({a.rule_id, a.datastream}, now);
  }
  Publish(notices);
  return a;
}

}  // namespace datenwerk::alerts
