// Group commit in front of an ObservationStore (as LevelDB's DBImpl::Write): producers submit
// batches and wait; one writer thread takes everything queued, appends it in one transaction
// (one fsync), then wakes each producer with its own stats. A producer is answered only after
// its points are committed, so an acknowledged observation survives a crash.
// Bounded: Submit answers kUnavailable at once when `max_queued_points` are already waiting
// (HTTP turns that into 503 with Retry-After). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

#include "series/observation_store.h"

namespace datenwerk::series {

class IngestQueue {
 public:
  // Borrows the store, which must outlive the queue.
  IngestQueue(ObservationStore& store, size_t max_queued_points);
  // Commits what is queued, then stops the writer.
  ~IngestQueue();
  IngestQueue(const IngestQueue&) = delete;
  IngestQueue& operator=(const IngestQueue&) = delete;

  // Blocks until the batches are committed (or failed).
  Result<IngestStats> Submit(std::vector<SeriesBatch> batches);

  struct Counters {
    uint64_t commits = 0;   // transactions
    uint64_t accepted = 0;  // points submitted and committed
    uint64_t rejected = 0;  // points refused because the queue was full
  };
  Counters counters() const;
  // Points waiting for the next commit.
  size_t queued_points() const;

 private:
  struct Pending {
    std::vector<SeriesBatch> batches;
    size_t points = 0;
    std::promise<Result<IngestStats>> done;
  };
  void Run();

  ObservationStore& store_;
  const size_t max_queued_points_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;   // guarded by mu_
  size_t queued_points_ = 0;    // guarded by mu_
  bool stopping_ = false;       // guarded by mu_
  Counters counters_;           // guarded by mu_
  std::thread writer_;
};

}  // namespace datenwerk::series
