#include "sensors/mqtt_subscriptions.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace datenwerk::sensors {

void SubscriptionRegistry::Replace(std::string_view payload) {
  auto next = std::make_shared<ByPath>();
  size_t count = 0;
  while (!payload.empty()) {
    const size_t end = std::min(payload.find('\n'), payload.size());
    const std::string_view line = payload.substr(0, end);
    payload.remove_prefix(std::min(end + 1, payload.size()));
    if (line.empty()) continue;
    if (count == kMaxTopics) {
      spdlog::warn("MQTT: more than {} topics with query options; the rest get no messages",
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
    (*next)[shared->path].push_back(std::move(shared));
    ++count;
  }
  std::lock_guard lock(mu_);
  by_path_ = std::move(next);
  count_ = count;
}

SubscriptionRegistry::Topics SubscriptionRegistry::For(const std::string& path) const {
  if (empty()) return {};
  std::shared_ptr<const ByPath> snapshot;
  {
    std::lock_guard lock(mu_);
    snapshot = by_path_;
  }
  auto it = snapshot->find(path);
  return it == snapshot->end() ? Topics{} : it->second;
}

}  // namespace datenwerk::sensors
