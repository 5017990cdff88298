#include "series/ingest_queue.h"

namespace datenwerk::series {

IngestQueue::IngestQueue(ObservationStore& store, size_t max_queued_points)
    : store_(store), max_queued_points_(max_queued_points), writer_([this] { Run(); }) {}

IngestQueue::~IngestQueue() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

Result<IngestStats> IngestQueue::Submit(std::vector<SeriesBatch> batches) {
  if (Status s = ValidateBatches(batches); !s.ok()) return s;
  size_t points = 0;
  for (const SeriesBatch& b : batches) points += b.points.size();
  std::future<Result<IngestStats>> result;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Status(ErrorCode::kUnavailable, "ingestion is shutting down");
    // An empty queue always takes one request, however large, so nothing is refused for ever.
    if (!queue_.empty() && queued_points_ + points > max_queued_points_) {
      counters_.rejected += points;
      return Status(ErrorCode::kUnavailable, "ingestion queue is full; retry shortly");
    }
    queue_.push_back(Pending{std::move(batches), points, {}});
    queued_points_ += points;
    result = queue_.back().done.get_future();
  }
  wake_.notify_one();
  return result.get();
}

IngestQueue::Counters IngestQueue::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

size_t IngestQueue::queued_points() const {
  std::lock_guard lock(mu_);
  return queued_points_;
}

void IngestQueue::Run() {
  for (;;) {
    std::deque<Pending> group;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, nothing left
      group.swap(queue_);
      queued_points_ = 0;
    }
    std::vector<std::vector<SeriesBatch>> requests;
    requests.reserve(group.size());
    size_t points = 0;
    for (Pending& p : group) {
      requests.push_back(std::move(p.batches));
      points += p.points;
    }
    // Requests were validated before queueing, so a failure here (I/O, disk full) is the
    // group's, and every producer hears of it; nothing of the group was written.
    auto stats = store_.AppendGroup(std::move(requests));
    {
      // Counted before anyone is answered, so an answered producer sees its points counted.
      std::lock_guard lock(mu_);
      ++counters_.commits;
      if (stats.ok()) counters_.accepted += points;
    }
    for (size_t i = 0; i < group.size(); ++i) {
      group[i].done.set_value(stats.ok() ? Result<IngestStats>((*stats)[i])
                                         : Result<IngestStats>(stats.status()));
    }
  }
}

}  // namespace datenwerk::series
