// MQTT subscriptions with query options. OGC 18-088 (14.2) lets a client subscribe to an
// entity set or entity with $select, e.g. "v1.1/Things?$select=id,description", and receive
// only those properties; FROST-Server's MQTT extension adds $filter, e.g.
// "v1.1/Datastreams(1)/Observations?$filter=result gt 30". The options may be written raw (as
// MQTT topics allow spaces) or percent-encoded. Pure; the filter itself is evaluated by
// SensorThingsService::ViewForSubscription, which may need the stored entity.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "sta/query_options.h"
#include "sta/resource_path.h"

namespace datenwerk::sta {

struct SubscriptionTopic {
  std::string topic;  // as subscribed, the topic its messages go to
  std::string path;   // the notification path it narrows, e.g. "Datastreams(1)/Observations"
  EntityType type = EntityType::kThing;  // of the entities notified under `path`
  QueryOptions options;  // $select and $filter only
  // Set when NeedsMembershipCheck(path): the topic is served by checking every changed entity
  // of `type` against the path (SensorThingsService::ViewForSubscription), not by the
  // notifications under `path`.
  std::optional<ResourcePath> membership;
};

// Whether the subscribers of a navigation path are found by checking each changed entity
// against the path: two or more navigations, or any from an Observation, where the entities on
// the path cannot be listed cheaply from the changed one. The rule broker::IsTrackedTopic
// applies to a topic's text.
bool NeedsMembershipCheck(const ResourcePath& path);

inline constexpr std::string_view kMqttTopicPrefix = "v1.1/";
// Longer topics are refused: a topic is kept in memory for as long as someone subscribes.
inline constexpr size_t kMaxSubscriptionTopic = 1024;

// kInvalidArgument (field "topic", or the option) when `topic` is not "v1.1/<entity set or
// entity>?<$select and/or $filter>" or a path that NeedsMembershipCheck (options optional),
// or uses another option.
Result<SubscriptionTopic> ParseSubscriptionTopic(std::string_view topic);

// `entity` as a subscriber of `options.select` sees it: "@iot.id" for "id", the named
// properties and the navigation links of the named navigation properties; all of it when
// nothing is selected.
boost::json::object SelectForSubscription(const boost::json::object& entity,
                                          const QueryOptions& options);

}  // namespace datenwerk::sta
