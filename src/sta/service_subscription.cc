// SensorThingsService::ViewForSubscription: MQTT topics with $select and $filter.
#include "sta/service_impl.h"
#include "sta/subscription.h"

namespace datenwerk::sta {

namespace json = boost::json;

Result<std::optional<json::object>> SensorThingsService::ViewForSubscription(
    const SubscriptionTopic& topic, const json::object& entity) {
  if (topic.membership) {
    const json::value* id = entity.if_contains("@iot.id");
    if (!id || !id->is_int64()) return std::optional<json::object>();
    auto reached = impl_->Reaches(*topic.membership, id->as_int64());
    if (!reached.ok()) return reached.status();
    if (!*reached) return std::optional<json::object>();
  }
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

Result<bool> SensorThingsService::Impl::Reaches(const ResourcePath& path, int64_t id) {
  ReadDeadline budget(kSubscriptionFilterBudget);
  auto resolved = Resolve(path, *store);
  if (!resolved.ok()) {
    // A path that names nothing (yet) reaches nothing; other failures are errors.
    if (resolved.status().code() == ErrorCode::kNotFound) return false;
    return resolved.status();
  }
  if (resolved->target) return resolved->target->type == path.Target().type && resolved->target->id == id;
  if (resolved->parent && resolved->via) {
    return store->IsLinked(resolved->parent->type, resolved->parent->id, resolved->via->name, id);
  }
  return true;  // a whole entity set
}

}  // namespace datenwerk::sta
