#include "sensors/mqtt_subscriptions.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace datenwerk::sensors {

void SubscriptionRegistry::Replace(std::string_view payload) {
  auto next = std::make_shared<Snapshot>();
  size_t count = 0;
  while (!payload.empty()) {
    const size_t end = std::min(payload.find('\n'), payload.size());
    const std::string_view line = payload.substr(0, end);
    payload.remove_prefix(std::min(end + 1, payload.size()));
    if (line.empty()) continue;
    if (count == kMaxTopics) {
      spdlog::warn("MQTT: more than {} tracked topics; the rest get no messages",
                   kMaxTopics);
      break;
    }
    auto topic = sta::ParseSubscriptionTopic(line);
    if (!topic.ok()) {
      spdlog::info("MQTT topic {} gets no messages: {} ({})",
                   line.substr(0, sta::kMaxSubscriptionTopic), topic.status().message(),
                   topic.status().field());
      continue;
    }
    auto shared = std::make_shared<const sta::SubscriptionTopic>(std::move(*topic));
    if (shared->membership) {
      next->reaching[shared->type].push_back(std::move(shared));
    } else {
      next->by_path[shared->path].push_back(std::move(shared));
    }
    ++count;
  }
  std::lock_guard lock(mu_);
  snapshot_ = std::move(next);
  count_ = count;
}

std::shared_ptr<const SubscriptionRegistry::Snapshot> SubscriptionRegistry::Current() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

SubscriptionRegistry::Topics SubscriptionRegistry::For(const std::string& path) const {
  if (empty()) return {};
  auto snapshot = Current();
  auto it = snapshot->by_path.find(path);
  return it == snapshot->by_path.end() ? Topics{} : it->second;
}

SubscriptionRegistry::Topics SubscriptionRegistry::Reaching(sta::EntityType type) const {
  if (empty()) return {};
  auto snapshot = Current();
  auto it = snapshot->reaching.find(type);
  return it == snapshot->reaching.end() ? Topics{} : it->second;
}

}  // namespace datenwerk::sensors
