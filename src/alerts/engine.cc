#include "alerts/engine.h"

#include <spdlog/spdlog.h>

#include <limits>

#include "core/json_text.h"

namespace datenwerk::alerts {

namespace json = boost::json;

namespace {

// An alert is recorded from the moment it fires: pending (and a pending that passes) is the
// series' state only, visible with the rule, so a value hovering at a threshold with a `for`
// writes nothing.
bool Recorded(const Transition& t) {
  return t.kind == Transition::Kind::kFiring || t.kind == Transition::Kind::kResolved;
}

bool NeedsTicks(const AlertRule& rule, const SeriesState& state) {
  return rule.kind == RuleKind::kNoData || state.phase == Phase::kPending;
}

// At most this many stored readings per series are evaluated again after an unclean stop.
constexpr size_t kMaxCatchUpReadings = 1'000'000;

}  // namespace

AlertEngine::AlertEngine(AlertStore& store, DatastreamDirectory& directory,
                         series::ObservationStore& series, std::function<int64_t()> now_ms,
                         EngineOptions options)
    : store_(store), directory_(directory), series_(series), now_ms_(std::move(now_ms)),
      options_(options) {}

AlertEngine::~AlertEngine() { Stop(); }

void AlertEngine::SetSink(Sink sink) { sink_ = std::move(sink); }

Result<AlertEngine::Compiled> AlertEngine::Compile(StoredRule rule) const {
  Compiled compiled{std::move(rule), nullptr};
  if (const auto& area = compiled.stored.rule.scope.area) {
    // GEOS through the districts' prepared polygons: the area is one "district".
    json::object feature{{"type", "Feature"},
                         {"properties", json::object{{"name", "area"}}},
                         {"geometry", *area}};
    json::object collection{{"type", "FeatureCollection"}, {"features", json::array{feature}}};
    auto loaded = geo::Districts::Load(ToJsonText(collection));
    if (!loaded.ok() || (*loaded)->Names().empty()) {
      return InvalidArgument("is not a polygon GEOS can read (rings of [longitude, latitude] pairs)", "scope.area");
    }
    compiled.area = *loaded;
  }
  return compiled;
}

bool AlertEngine::Applies(const Compiled& c, const DatastreamFacts& facts) const {
  const RuleScope& scope = c.stored.rule.scope;
  if (scope.datastream) return *scope.datastream == facts.id;
  if (scope.observed_property) return *scope.observed_property == facts.observed_property;
  if (c.area && facts.lon_lat) return c.area->At(facts.lon_lat->first, facts.lon_lat->second).has_value();
  return false;
}

std::vector<AlertEngine::Slot> AlertEngine::SlotsLocked(int64_t datastream, const std::vector<int64_t>& rule_ids) {
  std::vector<Slot> slots;
  for (int64_t id : rule_ids) {
    const Key key{id, datastream};
    const Compiled& rule = rules_.at(id);
    slots.push_back({&rule, &states_[key], key, rule.stored.rule.kind, rule.stored.rule.threshold,
                     rule.stored.valid_from_ms});
  }
  return slots;
}

const std::vector<AlertEngine::Slot>& AlertEngine::ApplicableLocked(int64_t datastream) {
  if (auto it = applicable_.find(datastream); it != applicable_.end()) return it->second;
  static const std::vector<Slot> kNone;
  if (rules_.empty()) return kNone;
  auto facts = directory_.Lookup(datastream);
  if (!facts.ok()) {
    spdlog::warn("alerts: cannot look up Datastream {}: {}", datastream, facts.status().message());
    return kNone;  // not cached: asked again with the next reading
  }
  std::vector<int64_t> ids;
  if (*facts) {
    for (const auto& [id, rule] : rules_) {
      if (Applies(rule, **facts)) ids.push_back(id);
    }
  }
  if (applicable_.size() >= kMaxCachedDatastreams) applicable_.clear();
  return applicable_.emplace(datastream, SlotsLocked(datastream, ids)).first->second;
}

void AlertEngine::EvaluateRunLocked(const Reading* begin, const Reading* end, std::vector<Change>& changes,
                                    bool stored) {
  const int64_t ds = begin->datastream;
  // What a threshold rule at rest needs to know of the run: if no reading of it breaches, the
  // rule's state only moves on to the last reading — the same as evaluating each (ObserveInto),
  // in O(1) per rule. Most rules meet most readings this way.
  double low = begin->value, high = begin->value;
  bool ascending = true;
  for (const Reading* r = begin + 1; r != end; ++r) {
    low = std::min(low, r->value);
    high = std::max(high, r->value);
    ascending = ascending && r->time_ms > (r - 1)->time_ms;
  }
  const Reading& last = *(end - 1);
  const auto n = static_cast<int64_t>(end - begin);
  for (const Slot& slot : ApplicableLocked(ds)) {
    Entry& entry = *slot.entry;
    if (ascending && begin->time_ms >= slot.valid_from_ms && begin->time_ms > entry.state.last_ms &&
        entry.state.phase == Phase::kOk &&
        ((slot.kind == RuleKind::kAbove && !(high > slot.threshold)) ||
         (slot.kind == RuleKind::kBelow && !(low < slot.threshold)))) {
      entry.state.last_ms = last.time_ms;
      entry.state.last_value = last.value;
      entry.state.last_condition = last.value;
      entry.dirty = true;
      stats_.evaluated += n;
      continue;
    }
    const AlertRule& rule = slot.rule->stored.rule;
    for (const Reading* r = begin; r != end; ++r) {
      if (r->time_ms < slot.valid_from_ms) {
        if (!stored) ++stats_.before_rule;
        continue;
      }
      if (r->time_ms <= entry.state.last_ms && (stored || r->time_ms == entry.state.last_ms)) continue;  // seen
      const int64_t late_before = entry.state.late;
      ObserveInto(rule, entry.state, r->time_ms, r->value, scratch_);
      if (!scratch_.empty()) {
        for (const Transition& tr : scratch_) {
          if (Recorded(tr)) changes.push_back({slot.key, tr, rule.name, rule.severity, slot.valid_from_ms});
        }
        scratch_.clear();
      }
      stats_.late += entry.state.late - late_before;
      ++stats_.evaluated;
      entry.dirty = true;
    }
    // The timer looks at pending states and at no-data rules once they have seen a reading.
    if (!entry.ticking && NeedsTicks(rule, entry.state)) {
      entry.ticking = true;
      tickable_.insert(slot.key);
    }
  }
}

void AlertEngine::OnReadings(const std::vector<Reading>& readings) {
  std::lock_guard lock(mu_);
  if (!evaluating_ || rules_.empty()) return;
  std::vector<Change> changes;
  // Runs of one Datastream (a commit lists each one's readings together) are evaluated at once.
  for (size_t i = 0; i < readings.size();) {
    size_t j = i + 1;
    while (j < readings.size() && readings[j].datastream == readings[i].datastream) ++j;
    EvaluateRunLocked(readings.data() + i, readings.data() + j, changes);
    i = j;
  }
  if (!changes.empty()) RecordLocked(std::move(changes));
}

void AlertEngine::Tick() {
  FollowRole();
  std::lock_guard lock(mu_);
  if (!evaluating_) return;
  const int64_t now = now_ms_();
  std::vector<Change> changes;
  for (auto it = tickable_.begin(); it != tickable_.end();) {
    auto rule = rules_.find(it->first);
    auto entry = states_.find(*it);
    if (rule == rules_.end() || entry == states_.end()) {
      it = tickable_.erase(it);
      continue;
    }
    for (const Transition& tr : alerts::Tick(rule->second.stored.rule, entry->second.state, now)) {
      if (Recorded(tr)) {
        const StoredRule& stored = rule->second.stored;
        changes.push_back({*it, tr, stored.rule.name, stored.rule.severity, stored.valid_from_ms});
      }
      entry->second.dirty = true;
    }
    entry->second.ticking = NeedsTicks(rule->second.stored.rule, entry->second.state);
    it = entry->second.ticking ? std::next(it) : tickable_.erase(it);
  }
  if (!changes.empty()) RecordLocked(std::move(changes));
}

void AlertEngine::RecordLocked(std::vector<Change> changes) {
  for (Change& c : changes) pending_.push_back(std::move(c));
  {
    std::lock_guard lock(run_mu_);
    flush_wanted_ = true;
  }
  wake_.notify_all();
}

Status AlertEngine::Checkpoint() {
  std::lock_guard flushing(flush_mu_);
  // Cut under the lock: the changes so far and the states as they are after them, so what is
  // saved is always consistent (a state is never ahead of an alert change not yet saved).
  std::vector<Change> batch;
  std::vector<StateRecord> states;
  std::vector<int64_t> state_versions;  // of each state's rule
  {
    std::lock_guard lock(mu_);
    for (Change& c : pending_) {
      if (rules_.contains(c.key.first)) batch.push_back(std::move(c));  // not of a rule deleted since
    }
    pending_.clear();
    for (auto& [key, entry] : states_) {
      if (!entry.dirty) continue;
      auto rule = rules_.find(key.first);
      if (rule == rules_.end()) continue;
      states.push_back({key.first, key.second, ToJsonText(StateJson(entry.state))});
      state_versions.push_back(rule->second.stored.valid_from_ms);
      entry.dirty = false;
    }
  }
  if (batch.empty() && states.empty()) return Status::Ok();
  std::vector<std::pair<std::string, std::string>> notices;
  Status s = store_.Write([&](sql::Tx& tx) -> Status {
    notices.clear();
    if (options_.fence) {
      if (Status st = options_.fence(tx); !st.ok()) return st;
    }
    // What was found with a rule another node has changed or deleted since is not recorded.
    auto versions = store_.RuleVersions();
    if (!versions.ok()) return versions.status();
    const auto current = [&](int64_t rule, int64_t version) {
      auto it = versions->find(rule);
      return it != versions->end() && it->second == version;
    };
    for (const Change& c : batch) {
      if (!current(c.key.first, c.rule_version)) continue;
      if (Status st = ApplyChange(c, notices); !st.ok()) return st;
    }
    for (size_t i = 0; i < states.size(); ++i) {
      if (!current(states[i].rule_id, state_versions[i])) continue;
      if (Status st = store_.SaveState(states[i]); !st.ok()) return st;
    }
    return Status::Ok();
  });
  if (!s.ok()) {
    std::lock_guard lock(mu_);
    spdlog::error("alerts: {} changes not recorded yet, tried again: {}", batch.size(), s.message());
    batch.insert(batch.end(), std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
    pending_ = std::move(batch);
    if (pending_.size() > 100'000) pending_.erase(pending_.begin(), pending_.begin() + 50'000);
    for (const StateRecord& state : states) {
      if (auto it = states_.find({state.rule_id, state.datastream}); it != states_.end()) it->second.dirty = true;
    }
    return s;
  }
  Publish(notices);
  return Status::Ok();
}

void AlertEngine::Publish(const std::vector<std::pair<std::string, std::string>>& notices) {
  if (!sink_) return;
  for (const auto& [event, payload] : notices) sink_(event, payload);
}

Status AlertEngine::EvaluateStoredLocked(int64_t ds, const std::vector<Slot>& slots, std::vector<Change>& changes) {
  if (slots.empty()) return Status::Ok();
  int64_t from = std::numeric_limits<int64_t>::max();
  for (const Slot& slot : slots) {
    const SeriesState& state = slot.entry->state;
    from = std::min(from, state.last_ms != std::numeric_limits<int64_t>::min() ? state.last_ms + 1 : slot.valid_from_ms);
  }
  auto points = series_.Range(ds, from, std::numeric_limits<int64_t>::max(), kMaxCatchUpReadings, false);
  if (!points.ok()) return points.status();
  if (points->empty()) return Status::Ok();
  std::vector<Reading> run;
  run.reserve(points->size());
  for (const series::Point& p : *points) run.push_back({ds, p.time_ms, p.value});
  EvaluateRunLocked(run.data(), run.data() + run.size(), changes, true);
  stats_.caught_up += static_cast<int64_t>(run.size());
  return Status::Ok();
}

Status AlertEngine::CatchUp() {
  auto all = directory_.All();
  if (!all.ok()) return all.status();
  std::vector<Change> changes;
  for (const DatastreamFacts& facts : *all) {
    std::vector<int64_t> ids;
    for (const auto& [id, rule] : rules_) {
      if (Applies(rule, facts)) ids.push_back(id);
    }
    const auto& slots = applicable_[facts.id] = SlotsLocked(facts.id, ids);
    if (Status s = EvaluateStoredLocked(facts.id, slots, changes); !s.ok()) return s;
  }
  if (!changes.empty()) RecordLocked(std::move(changes));
  return Status::Ok();
}

Result<std::map<int64_t, AlertEngine::Compiled>> AlertEngine::LoadRules() const {
  auto rules = store_.Rules();
  if (!rules.ok()) return rules.status();
  std::map<int64_t, Compiled> compiled;
  for (StoredRule& r : *rules) {
    const int64_t id = r.rule.id;
    auto one = Compile(std::move(r));
    if (!one.ok()) return one.status();
    compiled.emplace(id, std::move(one).value());
  }
  return compiled;
}

Status AlertEngine::ActivateLocked() {
  evaluating_ = true;
  const int64_t caught_up_before = stats_.caught_up;
  auto states = store_.States();
  if (!states.ok()) return states.status();
  for (const StateRecord& record : *states) {
    auto rule = rules_.find(record.rule_id);
    if (rule == rules_.end()) continue;
    boost::system::error_code ec;
    auto state = StateFromJson(json::parse(record.state_json, ec));
    if (ec || !state.ok()) {
      spdlog::warn("alerts: state of rule {} on Datastream {} unreadable, started afresh", record.rule_id, record.datastream);
      continue;
    }
    const Key key{record.rule_id, record.datastream};
    Entry& entry = states_[key];
    entry.state = std::move(state).value();
    entry.ticking = NeedsTicks(rule->second.stored.rule, entry.state);
    if (entry.ticking) tickable_.insert(key);
  }
  if (!rules_.empty()) {
    if (Status s = CatchUp(); !s.ok()) return s;
  }
  if (const int64_t n = stats_.caught_up - caught_up_before; n > 0) {
    spdlog::info("alerts: {} stored readings evaluated since the saved states", n);
  }
  return Status::Ok();
}

Status AlertEngine::Start() {
  {
    std::lock_guard lock(mu_);
    auto rules = LoadRules();
    if (!rules.ok()) return rules.status();
    rules_ = std::move(rules).value();
    if (!options_.active || options_.active()) {
      if (Status s = ActivateLocked(); !s.ok()) return s;
    }
  }
  if (Status s = Checkpoint(); !s.ok()) return s;
  Tick();
  std::lock_guard lock(run_mu_);
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void AlertEngine::Run() {
  auto next_tick = std::chrono::steady_clock::now() + options_.tick;
  auto next_checkpoint = std::chrono::steady_clock::now() + options_.checkpoint;
  std::unique_lock lock(run_mu_);
  while (!stopping_) {
    wake_.wait_until(lock, std::min(next_tick, next_checkpoint), [this] { return stopping_ || flush_wanted_; });
    if (stopping_) break;
    // Alert changes are saved within kFlushDelay; states at least every `checkpoint`.
    const bool changes = flush_wanted_;
    lock.unlock();
    if (changes) std::this_thread::sleep_for(kFlushDelay);  // gathers the changes of many commits
    const auto now = std::chrono::steady_clock::now();
    if (now >= next_tick) {
      Tick();
      next_tick = now + options_.tick;
    }
    lock.lock();
    flush_wanted_ = false;
    lock.unlock();
    if (changes || now >= next_checkpoint) {
      if (Status s = Checkpoint(); !s.ok()) spdlog::warn("alerts: checkpoint failed: {}", s.message());
      next_checkpoint = now + options_.checkpoint;
    }
    lock.lock();
  }
}

void AlertEngine::Stop() {
  {
    std::lock_guard lock(run_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (Status s = Checkpoint(); !s.ok()) spdlog::warn("alerts: last checkpoint failed: {}", s.message());
}

EngineStats AlertEngine::Stats() const {
  std::lock_guard lock(mu_);
  EngineStats s = stats_;
  s.states = states_.size();
  s.rules = rules_.size();
  return s;
}

std::vector<StoredRule> AlertEngine::Rules() const {
  std::lock_guard lock(mu_);
  std::vector<StoredRule> out;
  for (const auto& [id, c] : rules_) out.push_back(c.stored);
  return out;
}

std::optional<StoredRule> AlertEngine::Rule(int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = rules_.find(id);
  if (it == rules_.end()) return std::nullopt;
  return it->second.stored;
}

std::vector<std::pair<int64_t, SeriesState>> AlertEngine::StatesOf(int64_t rule_id) const {
  std::lock_guard lock(mu_);
  std::vector<std::pair<int64_t, SeriesState>> out;
  for (auto it = states_.lower_bound({rule_id, std::numeric_limits<int64_t>::min()});
       it != states_.end() && it->first.first == rule_id; ++it) {
    out.emplace_back(it->first.second, it->second.state);
  }
  return out;
}

}  // namespace datenwerk::alerts
