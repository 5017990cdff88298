// A Mosquitto 2.0 plugin (version 5 of its plugin interface) that lets Datenwerk serve MQTT
// topics with query options ("v1.1/Things?$select=id,description"). A broker never tells a
// client what others subscribe to; this plugin sees every SUBSCRIBE and UNSUBSCRIBE through the
// access check and keeps, retained on broker::kSubscriptionsTopic, the sorted list of the
// SensorThings topics clients hold that Datenwerk must know of (broker::IsTrackedTopic: query
// options, and deep navigation paths such as "v1.1/Observations(1)/Datastream/Thing"), one per
// line (the broker refuses control characters in topics, so a line is a topic). Datenwerk reads
// it on (re)connect.
//
// mosquitto.conf:
//   plugin /usr/local/lib/datenwerk/libdatenwerk_mosquitto.so
//   plugin_opt_acl allow   # default: every access is allowed, as on a broker without ACLs
//   plugin_opt_acl defer   # another ACL plugin, listed after this one, decides
// Either way only the plugin may publish to broker::kSubscriptionsTopic.
// Bounds: kMaxTopics distinct topics of at most kMaxTopicBytes each (more are not tracked).
// A client's topics are forgotten when it unsubscribes or a clean session disconnects.
// Mosquitto calls plugins on its single main thread; no locking needed.
#include <mosquitto.h>
#include <mosquitto_broker.h>
#include <mosquitto_plugin.h>

#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "broker/subscriptions_topic.h"

namespace {

constexpr size_t kMaxTopics = 1'000;
constexpr size_t kMaxTopicBytes = 1'024;

struct PluginState {
  mosquitto_plugin_id_t* id = nullptr;
  bool defer = false;
  std::map<std::string, std::set<std::string>> by_client;
  std::string published;  // the last list sent
};

bool Tracked(const char* topic) {
  return topic && std::strlen(topic) <= kMaxTopicBytes && datenwerk::broker::IsTrackedTopic(topic);
}

void PublishList(PluginState& state) {
  std::set<std::string> all;
  for (const auto& [client, topics] : state.by_client) all.insert(topics.begin(), topics.end());
  std::string list;
  for (const std::string& topic : all) {
    list += topic;
    list.push_back('\n');
  }
  if (list == state.published) return;
  state.published = list;
  mosquitto_broker_publish_copy(nullptr, datenwerk::broker::kSubscriptionsTopic,
                                static_cast<int>(list.size()), list.data(), 1, true, nullptr);
}

size_t DistinctTopics(const PluginState& state) {
  std::set<std::string_view> all;
  for (const auto& [client, topics] : state.by_client) all.insert(topics.begin(), topics.end());
  return all.size();
}

int OnAclCheck(int, void* event_data, void* userdata) {
  auto& state = *static_cast<PluginState*>(userdata);
  auto& event = *static_cast<mosquitto_evt_acl_check*>(event_data);
  const int allow = state.defer ? MOSQ_ERR_PLUGIN_DEFER : MOSQ_ERR_SUCCESS;
  if (event.access == MOSQ_ACL_WRITE && event.topic &&
      std::strcmp(event.topic, datenwerk::broker::kSubscriptionsTopic) == 0) {
    return MOSQ_ERR_ACL_DENIED;
  }
  if ((event.access != MOSQ_ACL_SUBSCRIBE && event.access != MOSQ_ACL_UNSUBSCRIBE) ||
      !Tracked(event.topic)) {
    return allow;
  }
  const char* client = mosquitto_client_id(event.client);
  if (!client) return allow;
  try {
    if (event.access == MOSQ_ACL_SUBSCRIBE) {
      if (DistinctTopics(state) >= kMaxTopics) {
        mosquitto_log_printf(MOSQ_LOG_WARNING, "datenwerk: %zu topics with query options are "
                             "tracked already; %s is not", kMaxTopics, event.topic);
        return allow;
      }
      state.by_client[client].insert(event.topic);
    } else if (auto it = state.by_client.find(client); it != state.by_client.end()) {
      it->second.erase(event.topic);
      if (it->second.empty()) state.by_client.erase(it);
    }
    PublishList(state);
  } catch (...) {  // out of memory: the broker goes on, the list stays as it was
  }
  return allow;
}

int OnDisconnect(int, void* event_data, void* userdata) {
  auto& state = *static_cast<PluginState*>(userdata);
  auto& event = *static_cast<mosquitto_evt_disconnect*>(event_data);
  const char* client = mosquitto_client_id(event.client);
  if (!client || !mosquitto_client_clean_session(event.client)) return MOSQ_ERR_SUCCESS;
  try {
    if (state.by_client.erase(client) > 0) PublishList(state);
  } catch (...) {
  }
  return MOSQ_ERR_SUCCESS;
}

}  // namespace

extern "C" {

int mosquitto_plugin_version(int supported_version_count, const int* supported_versions) {
  for (int i = 0; i < supported_version_count; ++i) {
    if (supported_versions[i] == 5) return 5;
  }
  return -1;
}

int mosquitto_plugin_init(mosquitto_plugin_id_t* identifier, void** userdata,
                          struct mosquitto_opt* options, int option_count) {
  std::unique_ptr<PluginState> state;
  try {
    state = std::make_unique<PluginState>();
  } catch (...) {
    return MOSQ_ERR_NOMEM;
  }
  state->id = identifier;
  for (int i = 0; i < option_count; ++i) {
    if (std::strcmp(options[i].key, "acl") == 0) {
      if (std::strcmp(options[i].value, "defer") == 0) {
        state->defer = true;
      } else if (std::strcmp(options[i].value, "allow") != 0) {
        mosquitto_log_printf(MOSQ_LOG_ERR, "datenwerk: plugin_opt_acl must be allow or defer");
        return MOSQ_ERR_INVAL;
      }
    }
  }
  int rc = mosquitto_callback_register(identifier, MOSQ_EVT_ACL_CHECK, OnAclCheck, nullptr,
                                       state.get());
  if (rc == MOSQ_ERR_SUCCESS) {
    rc = mosquitto_callback_register(identifier, MOSQ_EVT_DISCONNECT, OnDisconnect, nullptr,
                                     state.get());
  }
  *userdata = state.release();  // the broker holds it until mosquitto_plugin_cleanup
  return rc;
}

int mosquitto_plugin_cleanup(void* userdata, struct mosquitto_opt*, int) {
  std::unique_ptr<PluginState> state(static_cast<PluginState*>(userdata));  // back from the broker
  if (state) {
    mosquitto_callback_unregister(state->id, MOSQ_EVT_ACL_CHECK, OnAclCheck, nullptr);
    mosquitto_callback_unregister(state->id, MOSQ_EVT_DISCONNECT, OnDisconnect, nullptr);
  }
  return MOSQ_ERR_SUCCESS;
}

}  // extern "C"
