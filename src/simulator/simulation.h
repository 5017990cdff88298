// `datenwerk simulate`: plays the simulated fleet (fleet.h) into a running Datenwerk the way real
// devices arrive — as ChirpStack v4 and The Things Stack v3 uplinks, posted to its webhooks or
// published to an MQTT broker — after registering what a city's staff would: a Thing per device
// (marked simuliert, with its position's origin), its Datastreams and its device profile.
// Back-fills a span first (as fast as the server takes it, over several connections), then runs
// in real time if asked. Deterministic from the seed. Runs on the calling thread (and its
// helpers); Stop() from another thread ends it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "simulator/fleet.h"
#include "simulator/physics.h"
#include "simulator/uplinks.h"

namespace datenwerk::simulator {

struct SimulateOptions {
  std::string url = "http://127.0.0.1:8080";  // the Datenwerk server
  std::string key;        // an administrator key (device profiles need one)
  std::string mqtt;       // "host:port": publish uplinks there instead of posting webhooks
  double backfill_days = 30;
  bool live = false;      // after the back-fill, send in real time until stopped
  uint64_t seed = 42;
  int connections = 4;    // parallel webhook connections for the back-fill
};

struct SimulateStats {
  int64_t devices = 0;
  int64_t uplinks = 0;
  int64_t refused = 0;    // uplinks the server did not answer 2xx
  double backfill_seconds = 0;
};

class Publisher;  // MQTT, in the .cc

class Simulation {
 public:
  Simulation(Fleet fleet, SimulateOptions options);
  ~Simulation();
  // Registers the fleet (idempotent: found again by properties/importKey "sim:<DevEUI>").
  Status Setup();
  // Sends every uplink due in (from_ms, to_ms] for every device.
  Status Backfill(int64_t from_ms, int64_t to_ms);
  // Sends what falls due, once a second, until Stop().
  Status Live();
  void Stop() { stopping_ = true; }
  const SimulateStats& stats() const { return stats_; }

 private:
  Status SetupRange(size_t first, size_t step);
  Status SendRange(size_t first, size_t step, int64_t from_ms, int64_t to_ms);

  Fleet fleet_;
  SimulateOptions options_;
  World world_;
  std::vector<DeviceState> states_;  // per device; each is touched by one thread at a time
  std::unique_ptr<Publisher> publisher_;  // with --mqtt
  SimulateStats stats_;
  std::atomic<int64_t> uplinks_{0}, refused_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace datenwerk::simulator
