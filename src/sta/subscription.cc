#include "sta/subscription.h"

#include <algorithm>
#include <map>

#include "core/url.h"
#include "sta/resource_path.h"

namespace datenwerk::sta {

Result<SubscriptionTopic> ParseSubscriptionTopic(std::string_view topic) {
  if (topic.size() > kMaxSubscriptionTopic) {
    return InvalidArgument("longer than " + std::to_string(kMaxSubscriptionTopic) + " bytes",
                           "topic");
  }
  if (!topic.starts_with(kMqttTopicPrefix)) {
    return InvalidArgument("must start with " + std::string(kMqttTopicPrefix), "topic");
  }
  const size_t question = std::min(topic.find('?'), topic.size());
  SubscriptionTopic out;
  out.topic = std::string(topic);
  out.path = std::string(topic.substr(kMqttTopicPrefix.size(),
                                      question - kMqttTopicPrefix.size()));
  if (out.path.find_first_of("+#") != std::string::npos) {
    return InvalidArgument("wildcards cannot be combined with query options", "topic");
  }
  auto path = ParseResourcePath("/" + out.path);
  if (!path.ok()) return InvalidArgument(path.status().message(), "topic");
  if (path->segments.empty() || !path->property.empty() || path->value || path->ref) {
    return InvalidArgument("query options need an entity set or an entity", "topic");
  }
  out.type = path->Target().type;
  if (NeedsMembershipCheck(*path)) {
    out.membership = *path;
  } else if (question == topic.size()) {
    return InvalidArgument("has no query options", "topic");
  }
  std::map<std::string, std::string> query;
  if (question < topic.size() && !ParseQueryString(topic.substr(question + 1), query)) {
    return InvalidArgument("malformed percent-encoding", "topic");
  }
  for (const auto& [name, value] : query) {
    if (name != "$select" && name != "$filter") {
      return InvalidArgument("only $select and $filter apply to MQTT topics", name);
    }
  }
  auto options = ParseQueryOptions(path->Target(), query);
  if (!options.ok()) return options.status();
  out.options = std::move(*options);
  return out;
}

bool NeedsMembershipCheck(const ResourcePath& path) {
  const size_t hops = path.segments.empty() ? 0 : path.segments.size() - 1;
  return hops >= 2 || (hops == 1 && path.segments.front().def->type == EntityType::kObservation);
}

boost::json::object SelectForSubscription(const boost::json::object& entity,
                                          const QueryOptions& options) {
  if (options.select.empty()) return entity;
  const auto selected = [&](std::string_view name) {
    return std::find(options.select.begin(), options.select.end(), name) != options.select.end();
  };
  constexpr std::string_view kNavigationLink = "@iot.navigationLink";
  boost::json::object out;
  for (const auto& [key, value] : entity) {
    std::string_view name = key;
    if (name.ends_with(kNavigationLink)) name.remove_suffix(kNavigationLink.size());
    const bool keep = name == "@iot.id" ? selected("id") || selected("@iot.id") : selected(name);
    if (keep) out.emplace(key, value);
  }
  return out;
}

}  // namespace datenwerk::sta
