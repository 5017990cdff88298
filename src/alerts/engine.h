// The alert engine: evaluates every rule on each reading as it is committed (no periodic scan of
// stored data), fires pending and no-data alerts from a timer, and records each change of an
// alert — with its history and the webhook notifications it causes — in one transaction of the
// AlertStore. Thread-safe: one lock around the rule states.
//
// Durability: the per-series states are saved with every alert change and every `checkpoint`
// otherwise. After an unclean stop (kill -9), Start() evaluates again the stored
// readings each series has that are newer than its saved state (for a series without state:
// those since the rule was made), so an alert missed by the crash still opens; and recording is
// idempotent (a transition the open alert already shows is skipped), so none opens twice.
// Readings a rule cannot see: those taken before the rule was created or last changed (history
// loaded later does not raise alerts) and those older than the newest one evaluated for the series
// (evaluator.h); both are counted.
//
// Several nodes (app/cluster_wiring.h): one node evaluates at a time, the one that holds the
// "alerts" job (EngineOptions::active). It hears every node's readings over the change feed
// (OnAppended, series/appended.h) in commit order, and records only while it holds the job
// (EngineOptions::fence, checked in the recording transaction). A node that takes the job over
// starts as Start() does after a crash: from the saved states and the stored readings since.
// Rules and alerts can be changed on any node: the change is announced (kRulesTopic,
// kResetTopic) and the others follow (ReloadRules, OnReset). A recording drops what it found
// with a rule that was changed meanwhile (its version is checked in the same transaction).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "alerts/alert_store.h"
#include "alerts/evaluator.h"
#include "geo/districts.h"
#include "series/observation_store.h"

namespace datenwerk::alerts {

struct Reading {
  int64_t datastream = 0;
  int64_t time_ms = 0;
  double value = 0;
};

// Announced on the change feed when a rule is made, changed or deleted.
inline constexpr char kRulesTopic[] = "alerts.rules";
// Announced when staff resolve an alert by hand: "<rule> <datastream> <time_ms>".
inline constexpr char kResetTopic[] = "alerts.reset";

// What the engine needs to know of a Datastream to decide which rules apply to it.
struct DatastreamFacts {
  int64_t id = 0;
  int64_t observed_property = 0;
  std::optional<std::pair<double, double>> lon_lat;  // its Thing's Location
};

class DatastreamDirectory {
 public:
  virtual ~DatastreamDirectory() = default;
  virtual Result<std::optional<DatastreamFacts>> Lookup(int64_t datastream) = 0;
  virtual Result<std::vector<DatastreamFacts>> All() = 0;
};

struct EngineOptions {
  std::chrono::milliseconds tick{1'000};
  // How often states changed without an alert change are saved. Longer costs nothing in
  // correctness (after an unclean stop, Start() evaluates the readings since the saved states
  // again), only catch-up time; shorter costs ingest throughput (every rule's state is written).
  std::chrono::milliseconds checkpoint{30'000};
  // Whether this node evaluates now (it holds the "alerts" job); asked every `tick`. A node that
  // starts evaluating loads the saved states and evaluates the stored readings since them; one
  // that stops forgets its states. Unset: always (one node).
  std::function<bool()> active;
  // Runs first in each transaction that records what the engine found; an error undoes the
  // recording (a node that lost the job records nothing). Unset: nothing.
  std::function<Status(sql::Tx&)> fence;
};

struct EngineStats {
  int64_t evaluated = 0, late = 0, before_rule = 0, caught_up = 0;
  size_t states = 0, rules = 0;
};

class AlertEngine {
 public:
  // Borrows everything; all must outlive the engine. `now_ms` is the wall clock.
  AlertEngine(AlertStore& store, DatastreamDirectory& directory, series::ObservationStore& series,
              std::function<int64_t()> now_ms, EngineOptions options = {});
  ~AlertEngine();
  AlertEngine(const AlertEngine&) = delete;
  AlertEngine& operator=(const AlertEngine&) = delete;

  // Loads rules and states, catches up with stored readings, and starts the timer thread.
  Status Start();
  void Stop();

  // Called after each commit with the numeric Observations it created.
  void OnReadings(const std::vector<Reading>& readings);
  // An announcement of new readings from the change feed (series/appended.h), this node's
  // included: the readings are evaluated as by OnReadings; series named without readings, and
  // all series after "any", from the store since their states. A reading at the time a state
  // has seen last is taken as seen (the same one, heard twice).
  void OnAppended(std::string_view detail);
  // Another node changed the rules: loads them again; the states of rules changed or gone go.
  Status ReloadRules();
  // Another node resolved an alert by hand (kResetTopic's detail): the series' state starts
  // afresh here too, unless it has moved on since.
  void OnReset(std::string_view detail);
  // Whether this node evaluates now.
  bool Evaluating() const;
  // Starts or stops evaluating as EngineOptions::active says, then advances the timers (the
  // timer thread does this every `tick`).
  void Tick();
  // Records the alert changes not yet recorded and saves the states changed since the last
  // checkpoint, in one transaction (the timer thread does this shortly after each change).
  Status Checkpoint();

  // Called after an alert change is committed: event ("firing", …) and the notification's JSON
  // without who and note (MQTT subscribers may be anyone).
  using Sink = std::function<void(const std::string& event, const std::string& payload)>;
  void SetSink(Sink sink);  // before Start

  Result<StoredRule> CreateRule(const boost::json::value& body, const std::string& who);
  Result<StoredRule> UpdateRule(int64_t id, const boost::json::value& body, const std::string& who);
  Status DeleteRule(int64_t id, const std::string& who);
  std::vector<StoredRule> Rules() const;
  std::optional<StoredRule> Rule(int64_t id) const;
  // The series states of a rule, for the rule's page: (datastream, state).
  std::vector<std::pair<int64_t, SeriesState>> StatesOf(int64_t rule_id) const;

  // kNotFound, or kConflict when the alert is not in a state that allows it.
  Result<Alert> Acknowledge(int64_t alert_id, const std::string& who, const std::string& note);
  Result<Alert> Resolve(int64_t alert_id, const std::string& who, const std::string& note);

  EngineStats Stats() const;

  static constexpr size_t kMaxRules = 10'000;
  static constexpr size_t kMaxCachedDatastreams = 1'000'000;

 private:
  struct Compiled {
    StoredRule stored;
    std::shared_ptr<const geo::Districts> area;
  };
  using Key = std::pair<int64_t, int64_t>;  // (rule, datastream)
  struct Entry {
    bool dirty = false;
    bool ticking = false;  // in tickable_
    SeriesState state;     // its first fields (phase, times, last values) share a cache line with the flags
  };
  // A rule that applies to a Datastream and its state there: the per-reading work, found with
  // one hash lookup. Valid until the rules change (which clears applicable_).
  struct Slot {
    const Compiled* rule;
    Entry* entry;
    Key key;
    // Copied from the rule for the fast path: a threshold rule (above, below) at rest.
    RuleKind kind;
    double threshold;
    int64_t valid_from_ms;
  };
  struct Change {
    Key key;
    Transition transition;
    std::string rule_name, severity;  // as the rule was when the change happened
    int64_t rule_version = 0;         // its valid_from_ms then
  };

  Result<Compiled> Compile(StoredRule rule) const;
  bool Applies(const Compiled& rule, const DatastreamFacts& facts) const;
  const std::vector<Slot>& ApplicableLocked(int64_t datastream);
  std::vector<Slot> SlotsLocked(int64_t datastream, const std::vector<int64_t>& rule_ids);
  // Readings [begin, end) of one Datastream, in the order they came. Readings `stored` (read
  // back from the series store) that a state has seen already are skipped, not counted as late.
  void EvaluateRunLocked(const Reading* begin, const Reading* end, std::vector<Change>& changes,
                         bool stored = false);
  // The stored readings of `ds` newer than what `slots` have seen.
  Status EvaluateStoredLocked(int64_t ds, const std::vector<Slot>& slots, std::vector<Change>& changes);
  // Every stored rule, compiled.
  Result<std::map<int64_t, Compiled>> LoadRules() const;
  // Loads the saved states and catches up (Start, and taking the job over).
  Status ActivateLocked();
  void DeactivateLocked();
  // Starts or stops evaluating as `options_.active` says.
  void FollowRole();
  // Queues changes for the timer thread, which records them (with the states after them) in one
  // transaction within kFlushDelay, then tells the sink: ingest never waits for the alert store.
  void RecordLocked(std::vector<Change> changes);
  static constexpr std::chrono::milliseconds kFlushDelay{50};
  Status ApplyChange(const Change& change, std::vector<std::pair<std::string, std::string>>& notices);
  Status CatchUp();
  Status CloseAlertsOfRule(int64_t rule_id, const std::string& who, const std::string& note,
                           std::vector<std::pair<std::string, std::string>>& notices);
  void Publish(const std::vector<std::pair<std::string, std::string>>& notices);
  // Enqueues the webhook notification of an alert change (in the running transaction) and adds
  // its public form (without who and note) to `notices` for the sink.
  Status Notify(const Alert& alert, const std::string& event, int64_t at_ms, const std::string& who,
                const std::string& note, std::vector<std::pair<std::string, std::string>>& notices);
  // Resets the series state of (rule, datastream) to "ok" (an alert resolved by hand).
  void ForgetLocked(const Key& key, int64_t now);
  void Run();

  AlertStore& store_;
  DatastreamDirectory& directory_;
  series::ObservationStore& series_;
  std::function<int64_t()> now_ms_;
  EngineOptions options_;
  Sink sink_;

  mutable std::mutex mu_;
  bool evaluating_ = false;
  std::map<int64_t, Compiled> rules_;
  std::unordered_map<int64_t, std::vector<Slot>> applicable_;  // datastream -> its rules
  std::map<Key, Entry> states_;
  std::set<Key> tickable_;  // pending states and no-data rules: what the timer looks at
  std::vector<Change> pending_;  // changes not yet recorded (Checkpoint records them)
  std::vector<Transition> scratch_;  // one evaluation's transitions (kept: no allocation per reading)
  std::mutex flush_mu_;          // one Checkpoint at a time: they record in order
  EngineStats stats_;

  std::mutex run_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool flush_wanted_ = false;  // under run_mu_
  std::thread thread_;
};

}  // namespace datenwerk::alerts
