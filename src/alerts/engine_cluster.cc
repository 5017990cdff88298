// The alert engine on several nodes: which node evaluates, the readings every node announces,
// and the rules and resets made on other nodes (engine.h).
#include <spdlog/spdlog.h>

#include <charconv>
#include <limits>

#include "alerts/engine.h"
#include "series/appended.h"

namespace datenwerk::alerts {

bool AlertEngine::Evaluating() const {
  std::lock_guard lock(mu_);
  return evaluating_;
}

void AlertEngine::DeactivateLocked() {
  evaluating_ = false;
  applicable_.clear();  // its slots point into states_
  states_.clear();
  tickable_.clear();
  pending_.clear();  // recorded by the node that took over, from the stored readings
}

void AlertEngine::FollowRole() {
  if (!options_.active) return;
  const bool wanted = options_.active();
  {
    std::lock_guard lock(mu_);
    if (wanted == evaluating_) return;
    if (!wanted) {
      DeactivateLocked();
      spdlog::info("alerts: another node evaluates the rules now");
      return;
    }
    if (Status s = ActivateLocked(); !s.ok()) {
      spdlog::warn("alerts: cannot take over the rules yet: {}", s.message());
      DeactivateLocked();  // tried again at the next tick
      return;
    }
    spdlog::info("alerts: this node evaluates the rules now ({} series states)", states_.size());
  }
  if (Status s = Checkpoint(); !s.ok()) spdlog::warn("alerts: checkpoint after taking over failed: {}", s.message());
}

void AlertEngine::OnAppended(std::string_view detail) {
  auto appended = series::ParseAppended(detail);
  if (!appended.ok()) {
    spdlog::warn("alerts: announcement of new readings ignored: {}", appended.status().message());
    return;
  }
  std::lock_guard lock(mu_);
  if (!evaluating_ || rules_.empty()) return;
  std::vector<Change> changes;
  if (appended->any) {
    if (Status s = CatchUp(); !s.ok()) spdlog::warn("alerts: cannot read the new readings: {}", s.message());
    return;
  }
  for (int64_t ds : appended->datastreams) {
    if (Status s = EvaluateStoredLocked(ds, ApplicableLocked(ds), changes); !s.ok()) {
      spdlog::warn("alerts: cannot read the new readings of Datastream {}: {}", ds, s.message());
    }
  }
  std::vector<Reading> run;
  const auto& readings = appended->readings;
  for (size_t i = 0; i < readings.size(); ++i) {
    run.push_back({readings[i].datastream, readings[i].point.time_ms, readings[i].point.value});
    if (i + 1 == readings.size() || readings[i + 1].datastream != readings[i].datastream) {
      EvaluateRunLocked(run.data(), run.data() + run.size(), changes);
      run.clear();
    }
  }
  if (!changes.empty()) RecordLocked(std::move(changes));
}

Status AlertEngine::ReloadRules() {
  auto loaded = LoadRules();
  if (!loaded.ok()) return loaded.status();
  std::map<int64_t, Compiled> fresh = std::move(loaded).value();
  std::lock_guard lock(mu_);
  // The states of a rule changed or gone start afresh (its stored states went in the same change).
  for (auto it = states_.begin(); it != states_.end();) {
    auto now = fresh.find(it->first.first);
    auto before = rules_.find(it->first.first);
    const bool same = now != fresh.end() && before != rules_.end() &&
                      now->second.stored.valid_from_ms == before->second.stored.valid_from_ms;
    if (same) {
      ++it;
      continue;
    }
    tickable_.erase(it->first);
    it = states_.erase(it);
  }
  rules_ = std::move(fresh);
  applicable_.clear();  // its slots point into rules_
  return Status::Ok();
}

void AlertEngine::OnReset(std::string_view detail) {
  int64_t numbers[3] = {0, 0, 0};
  const char* p = detail.data();
  const char* end = detail.data() + detail.size();
  for (int64_t& n : numbers) {
    while (p < end && *p == ' ') ++p;
    auto [next, ec] = std::from_chars(p, end, n);
    if (ec != std::errc()) return;  // not one of ours (or a lost connection's empty detail)
    p = next;
  }
  const auto [rule_id, ds, at_ms] = numbers;
  std::lock_guard lock(mu_);
  auto rule = rules_.find(rule_id);
  auto it = states_.find({rule_id, ds});
  if (rule == rules_.end() || it == states_.end() || rule->second.stored.rule.kind == RuleKind::kNoData) return;
  if (it->second.state.since_ms >= at_ms) return;  // reset already, or moved on since
  ForgetLocked({rule_id, ds}, at_ms);
}

}  // namespace datenwerk::alerts
