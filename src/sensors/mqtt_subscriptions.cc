#include "sensors/mqtt_subscriptions.h"

#include <spdlog/spdlog.h>

#include "core/json_input.h"

namespace datenwerk::sensors {

void SubscriptionRegistry::Replace(std::string_view payload) {
  auto parsed = ParseJsonInput(payload);
  if (!parsed.ok() || !parsed->is_array()) {
    spdlog::warn("MQTT: the subscription list from the broker is not a JSON array; ignored");
    return;
  }
  auto next = std::make_shared<ByPath>();
  size_t count = 0;
  for (const boost::json::value& item : parsed->as_array()) {
    if (count == kMaxTopics) {
      spdlog::warn("MQTT: more than {} topics with query options; the rest get no messages",
                   kMaxTopics);
      break;
    }
    if (!item.is_string()) continue;
    auto topic = sta::ParseSubscriptionTopic(item.as_string());
    if (!topic.ok()) {
      spdlog::info("MQTT topic {} gets no messages: {} ({})", std::string(item.as_string()),
                   topic.status().message(), topic.status().field());
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
