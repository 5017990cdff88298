// The topic on which the Mosquitto plugin (broker/mosquitto_plugin.cc) keeps, retained, the
// SensorThings topics that clients are subscribed to and Datenwerk must know of, one per line,
// and from which Datenwerk learns them (sensors/mqtt_subscriptions.h). Only the plugin
// publishes it. Pure, header-only (the plugin links nothing of Datenwerk's).
#pragma once

#include <algorithm>
#include <string_view>

namespace datenwerk::broker {

inline constexpr char kSubscriptionsTopic[] = "datenwerk/subscriptions";

// Whether Datenwerk must know of a subscription to `topic` to serve it: one with query options
// ("v1.1/Things?$select=name"), or a navigation path whose subscribers it finds by checking
// each changed entity against the path, because the entities on the path cannot be listed
// cheaply from the changed one: two or more navigations ("v1.1/Observations(1)/Datastream/
// Thing"), or any from an Observation (a Datastream may have millions). The same rule as
// sta::NeedsMembershipCheck, on the topic's text.
inline bool IsTrackedTopic(std::string_view topic) {
  constexpr std::string_view kPrefix = "v1.1/";
  if (!topic.starts_with(kPrefix)) return false;
  if (topic.find('?') != std::string_view::npos) return true;
  const std::string_view path = topic.substr(kPrefix.size());
  const auto slashes = std::count(path.begin(), path.end(), '/');
  return slashes >= 2 || (slashes == 1 && path.starts_with("Observations("));
}

}  // namespace datenwerk::broker
