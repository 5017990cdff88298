// The MQTT topics with query options ("v1.1/Things?$select=id,name") and deep navigation paths
// that clients are subscribed to, as the broker plugin reports them (broker::IsTrackedTopic),
// grouped by the notification path they narrow or the entity type they are checked for. A broker cannot tell its clients' subscriptions to Datenwerk otherwise, and a message
// is only worth making for a topic someone listens on.
// Thread-safe: Replace on the MQTT thread, For from any thread (a snapshot, no lock held after).
#pragma once

#include <atomic>
#include <map>
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
  // The topics whose subscribers are found by checking each changed entity of `type` against
  // their path (sta::SubscriptionTopic::membership), e.g. "v1.1/Observations(1)/Datastream/Thing".
  Topics Reaching(sta::EntityType type) const;
  bool empty() const { return count_.load(std::memory_order_relaxed) == 0; }
  size_t size() const { return count_.load(std::memory_order_relaxed); }

 private:
  struct Snapshot {
    std::unordered_map<std::string, Topics> by_path;
    std::map<sta::EntityType, Topics> reaching;
  };
  std::shared_ptr<const Snapshot> Current() const;
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> snapshot_ = std::make_shared<Snapshot>();
  std::atomic<size_t> count_{0};
};

}  // namespace datenwerk::sensors
