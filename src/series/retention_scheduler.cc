#include "series/retention_scheduler.h"

#include <spdlog/spdlog.h>

namespace datenwerk::series {

RetentionScheduler::RetentionScheduler(ObservationStore& store, std::chrono::milliseconds every,
                                       std::function<int64_t()> now_ms, std::function<bool()> active)
    : store_(store), every_(every), now_ms_(std::move(now_ms)), active_(std::move(active)), thread_([this] { Run(); }) {}

RetentionScheduler::~RetentionScheduler() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

size_t RetentionScheduler::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

void RetentionScheduler::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (active_ && !active_()) {
      wake_.wait_for(lock, every_, [this] { return stop_; });
      continue;
    }
    lock.unlock();
    auto dropped = store_.ApplyRetention(now_ms_());
    lock.lock();
    if (!dropped.ok()) {
      spdlog::warn("retention pass failed: {}", dropped.status().message());
    } else if (*dropped > 0) {
      dropped_ += *dropped;
      spdlog::info("retention: dropped {} raw points past their datastream's limit", *dropped);
    }
    wake_.wait_for(lock, every_, [this] { return stop_; });
  }
}

}  // namespace datenwerk::series
