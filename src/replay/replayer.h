// Replay ("Wiedergabe"): imported history played again in the present, so that a dashboard on
// real Bochum weather looks alive. For every imported station (a Thing with
// properties.importKey) it keeps a copy marked as replay — name "… (Wiedergabe)", properties
// wiedergabe=true, the same place, Sensors and ObservedProperties — whose Datastreams receive
// the readings of `days` of the recorded history, shifted by whole cycles so they
// arrive at the time of day they were measured: first the whole last cycle up to now, then
// every minute what has come due. The window ends with the day most series reach (the median
// of their newest readings). Plausible readings only (the flagged ones stay with the
// original). Replay Datastreams keep 60 days of raw points (older ones go, rollups stay).
// The original Things and Observations are never touched. Thread-safe; runs its own thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "core/dates.h"
#include "replay/cycle.h"
#include "series/observation_store.h"
#include "sta/service.h"

namespace datenwerk::replay {

struct ReplayOptions {
  int days = 14;                       // the recorded window's length (whole weeks keep weekdays)
  std::chrono::seconds tick{60};       // how often due readings are written
  std::string base = "http://localhost:8080/sta/v1.1";  // for self links in notifications
  // Writes only while this answers true (this node holds the job: cluster/leases.h); none: always.
  std::function<bool()> active;
};

struct ReplayStats {
  int64_t stations = 0;
  int64_t datastreams = 0;
  int64_t readings = 0;  // written so far
};

class Replayer {
 public:
  // Borrows all; they must outlive the replayer.
  Replayer(sta::SensorThingsService& service, series::ObservationStore& series, const Clock& clock,
           ReplayOptions options);
  ~Replayer();
  Replayer(const Replayer&) = delete;
  Replayer& operator=(const Replayer&) = delete;

  // Finds the imported stations, makes their replay copies and back-fills the last cycle.
  Result<ReplayStats> Prepare();
  // Writes what has come due since the last call (Prepare must have run).
  Result<int64_t> Tick();
  // Prepare, then Tick every `tick` on a thread of its own until destruction.
  void Start();

 private:
  struct Pair {
    int64_t source = 0, target = 0;
    std::vector<series::Point> recorded;  // the source's points in the window
  };
  Status MakeCopies();
  Result<int64_t> TickLocked();

  sta::SensorThingsService& service_;
  series::ObservationStore& series_;
  const Clock& clock_;
  ReplayOptions options_;
  Cycle cycle_;
  std::vector<Pair> pairs_;
  int64_t played_until_ms_ = 0;
  ReplayStats stats_;
  std::mutex mu_;  // Prepare and Tick
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // under mu_
  std::thread thread_;
};

}  // namespace datenwerk::replay
