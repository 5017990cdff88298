// SensorThingsService::ViewForSubscription: MQTT topics with $select and $filter.
#include "sta/service_impl.h"
#include "sta/subscription.h"

namespace datenwerk::sta {

namespace json = boost::json;

Result<std::optional<json::object>> SensorThingsService::ViewForSubscription(
    const SubscriptionTopic& topic, const json::object& entity) {
  if (topic.options.filter) {
    const json::value* id = entity.if_contains("@iot.id");
    if (!id || !id->is_int64()) return std::optional<json::object>();
    // The subscriber's filter must not hold up the notifications of the others for long.
    ReadDeadline budget(kSubscriptionFilterBudget);
    auto stored = impl_->store->Get(topic.type, id->as_int64());
    if (!stored.ok()) return stored.status();
    if (!*stored) return std::optional<json::object>();
    const int64_t now = ParseRfc3339Ms(impl_->clock.NowUtc()).value_or(0);
    auto match = impl_->Matches(*topic.options.filter, topic.type, **stored, now);
    if (!match.ok()) return match.status();
    if (!*match) return std::optional<json::object>();
  }
  return std::optional<json::object>(SelectForSubscription(entity, topic.options));
}

}  // namespace datenwerk::sta
