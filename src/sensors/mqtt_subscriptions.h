// The MQTT topics with query options ("v1.1/Things?$select=id,name") that clients are
// subscribed to, as the broker plugin reports them, grouped by the notification path they
// narrow. A broker cannot tell its clients' subscriptions to Datenwerk otherwise, and a message
// is only worth making for a topic someone listens on.
// Thread-safe: Replace on the MQTT thread, For from any thread (a snapshot, no lock held after).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sta/subscription.h"

namespace datenwerk::sensors {

class SubscriptionRegistry {
 public:
  // Bounds the work per notification; the plugin reports no more either.
  static constexpr size_t kMaxTopics = 1'000;
  using Topics = std::vector<std::shared_ptr<const sta::SubscriptionTopic>>;

  // Replaces the set with the topics in `payload`, one per line. Topics that do not parse are
  // logged and skipped; past kMaxTopics the rest is ignored.
  void Replace(std::string_view payload);
  // The topics narrowing notifications under `path` ("Datastreams(1)/Observations").
  Topics For(const std::string& path) const;
  bool empty() const { return count_.load(std::memory_order_relaxed) == 0; }
  size_t size() const { return count_.load(std::memory_order_relaxed); }

 private:
  using ByPath = std::unordered_map<std::string, Topics>;
  mutable std::mutex mu_;
  std::shared_ptr<const ByPath> by_path_ = std::make_shared<ByPath>();
  std::atomic<size_t> count_{0};
};

}  // namespace datenwerk::sensors
