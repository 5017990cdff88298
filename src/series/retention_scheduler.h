// Applies each datastream's raw-data retention now and then, on a thread of its own.
// Borrows the store (must outlive the scheduler); stops and joins in its destructor.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "series/observation_store.h"

namespace datenwerk::series {

class RetentionScheduler {
 public:
  // `now_ms` gives the current time; the first pass runs at once, then every `every`. With
  // `active`, a pass runs only while it answers true (this node holds the job: cluster/leases.h).
  RetentionScheduler(ObservationStore& store, std::chrono::milliseconds every,
                     std::function<int64_t()> now_ms, std::function<bool()> active = {});
  ~RetentionScheduler();
  RetentionScheduler(const RetentionScheduler&) = delete;
  RetentionScheduler& operator=(const RetentionScheduler&) = delete;

  // Points dropped by all passes so far.
  size_t dropped() const;

 private:
  void Run();

  ObservationStore& store_;
  const std::chrono::milliseconds every_;
  const std::function<int64_t()> now_ms_;
  const std::function<bool()> active_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;     // guarded by mu_
  size_t dropped_ = 0;    // guarded by mu_
  std::thread thread_;    // last: starts after the members it reads
};

}  // namespace datenwerk::series
