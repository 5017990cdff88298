#include "sensors/mqtt_bridge.h"

#include <mosquitto.h>
#include <mqtt_protocol.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <charconv>
#include <mutex>

#include "broker/subscriptions_topic.h"
#include "core/json_input.h"
#include "core/json_text.h"
#include "sta/measurement_batch.h"
#include "sta/resource_path.h"

namespace datenwerk::sensors {

namespace {

constexpr const char* kTopics[] = {"application/+/device/+/event/up", "v3/+/devices/+/up",
                                   "v1.1/Observations", "v1.1/+/Observations",
                                   "v1.1/CreateObservations"};

// "application/{app}/device/{devEui}/event/up" and "v3/{app}@{tenant}/devices/{dev}/up".
bool Matches(std::string_view topic, std::string_view first, std::string_view third,
             std::string_view tail) {
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= topic.size();) {
    size_t end = topic.find('/', start);
    if (end == std::string_view::npos) end = topic.size();
    parts.push_back(topic.substr(start, end - start));
    start = end + 1;
  }
  const size_t expected = tail == "event/up" ? 6 : 5;
  if (parts.size() != expected || parts[0] != first || parts[2] != third) return false;
  return tail == "event/up" ? parts[4] == "event" && parts[5] == "up" : parts[4] == "up";
}

}  // namespace

Result<MqttOptions> ParseMqttAddress(const std::string& address) {
  MqttOptions o;
  std::string_view a = address;
  if (a.starts_with("mqtt://")) a.remove_prefix(7);
  size_t colon = a.rfind(':');
  o.host = std::string(a.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string_view port = a.substr(colon + 1);
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), o.port);
    if (ec != std::errc() || p != port.data() + port.size() || o.port < 1 || o.port > 65535) {
      return InvalidArgument("not host:port: " + address, "mqtt");
    }
  }
  if (o.host.empty()) return InvalidArgument("not host:port: " + address, "mqtt");
  return o;
}

MqttBridge::MqttBridge(MqttOptions options, UplinkIngestor& ingestor,
                       sta::SensorThingsService& service)
    : options_(std::move(options)), ingestor_(ingestor), service_(service) {
  static std::once_flag init;
  std::call_once(init, [] { mosquitto_lib_init(); });
  views_thread_ = std::thread([this] { MakeViews(); });
}

MqttBridge::~MqttBridge() {
  {
    std::lock_guard lock(views_mu_);
    stopping_ = true;
  }
  views_cv_.notify_all();  // the views thread, and a message waiting to retry
  views_thread_.join();
  if (!mosq_) return;
  mosquitto_disconnect(mosq_);
  // Not forced: a forced stop cancels the network thread (pthread_cancel) wherever it is, and a
  // message being stored may be inside a commit or its sync (fdatasync is a cancellation point),
  // leaving the database layer's locks and sync state to a thread that is gone (found as a hang
  // at shutdown). After the disconnect the loop ends once the message at hand is stored; a retry
  // waiting for the database hears `stopping_`.
  mosquitto_loop_stop(mosq_, false);
  mosquitto_destroy(mosq_);
}

Status MqttBridge::Start() {
  // MQTT 5, for "no local" subscriptions: our own notifications are published on the topics
  // creates arrive on, and must not come back to us (a flood during bulk ingest). A persistent
  // session (clean start off, a session expiry of a week): the broker queues QoS 1 messages
  // while we are away.
  const bool shared = !options_.share_group.empty();
  mosq_ = mosquitto_new(options_.client_id.c_str(), shared, this);
  if (!mosq_) return Internal("cannot create an MQTT client");
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V5);
  mosquitto_connect_callback_set(mosq_, [](mosquitto* m, void* s, int rc) {
    OnConnect(m, s, rc, 0, nullptr);
  });
  mosquitto_disconnect_callback_set(mosq_, [](mosquitto* m, void* s, int rc) {
    OnDisconnect(m, s, rc, nullptr);
  });
  mosquitto_message_callback_set(mosq_, [](mosquitto* m, void* s, const mosquitto_message* msg) {
    OnMessage(m, s, msg, nullptr);
  });
  mosquitto_publish_callback_set(mosq_, [](mosquitto* m, void* s, int mid) { OnPublish(m, s, mid); });
  mosquitto_reconnect_delay_set(mosq_, 1, 10, true);
  // libmosquitto keeps the CONNECT properties for its reconnects; only the blocking connect
  // takes them. A broker that is down now is retried by the network thread.
  mosquitto_property* properties = nullptr;
  mosquitto_property_add_int32(&properties, MQTT_PROP_SESSION_EXPIRY_INTERVAL, shared ? 0 : 7 * 24 * 3600);
  int rc = mosquitto_connect_bind_v5(mosq_, options_.host.c_str(), options_.port, 30, nullptr,
                                     properties);
  mosquitto_property_free_all(&properties);
  if (rc != MOSQ_ERR_SUCCESS && rc != MOSQ_ERR_ERRNO) {
    return Status(ErrorCode::kUnavailable, std::string("MQTT: ") + mosquitto_strerror(rc), "mqtt");
  }
  rc = mosquitto_loop_start(mosq_);
  if (rc != MOSQ_ERR_SUCCESS) {
    return Internal(std::string("MQTT loop: ") + mosquitto_strerror(rc));
  }
  return Status::Ok();
}

void MqttBridge::OnConnect(mosquitto* m, void* self_ptr, int rc, int, const void*) {
  auto* self = static_cast<MqttBridge*>(self_ptr);
  if (rc != 0) {
    spdlog::warn("MQTT broker refused the connection: {}", mosquitto_connack_string(rc));
    return;
  }
  for (const char* topic : kTopics) {
    if (self->options_.share_group.empty()) {
      mosquitto_subscribe_v5(m, nullptr, topic, 1, MQTT_SUB_OPT_NO_LOCAL, nullptr);
    } else {  // "no local" is a protocol error on a shared subscription (MQTT 5, 3.8.3.1)
      const std::string shared = "$share/" + self->options_.share_group + "/" + topic;
      mosquitto_subscribe_v5(m, nullptr, shared.c_str(), 1, 0, nullptr);
    }
  }
  mosquitto_subscribe_v5(m, nullptr, broker::kSubscriptionsTopic, 1, 0, nullptr);
  self->unsent_ = 0;  // what was queued went with the old connection
  self->connected_ = true;
  spdlog::info("MQTT connected to {}:{}", self->options_.host, self->options_.port);
}

void MqttBridge::OnPublish(mosquitto*, void* self_ptr, int) {
  auto* self = static_cast<MqttBridge*>(self_ptr);
  self->unsent_.fetch_sub(1);
}

void MqttBridge::OnDisconnect(mosquitto*, void* self_ptr, int rc, const void*) {
  auto* self = static_cast<MqttBridge*>(self_ptr);
  self->connected_ = false;
  if (rc != 0) spdlog::warn("MQTT connection lost ({}); reconnecting", mosquitto_strerror(rc));
}

void MqttBridge::OnMessage(mosquitto*, void* self_ptr, const void* msg_ptr, const void*) {
  auto* self = static_cast<MqttBridge*>(self_ptr);
  const auto* msg = static_cast<const mosquitto_message*>(msg_ptr);
  std::string_view payload(static_cast<const char*>(msg->payload),
                           static_cast<size_t>(msg->payloadlen));
  try {
    self->Handle(msg->topic, payload);
  } catch (const std::exception& e) {  // never let one message stop the network thread
    spdlog::error("MQTT message on {} failed: {}", msg->topic, e.what());
  }
}

void MqttBridge::Handle(const std::string& topic, std::string_view payload) {
  if (topic == broker::kSubscriptionsTopic) {
    subscriptions_.Replace(payload);
    spdlog::info("MQTT: {} subscribed topics with query options", subscriptions_.size());
    return;
  }
  const bool chirpstack = Matches(topic, "application", "device", "event/up");
  if (chirpstack || Matches(topic, "v3", "devices", "up")) {
    const auto source = chirpstack ? UplinkSource::kChirpStack : UplinkSource::kTheThingsStack;
    auto r = ingestor_.Ingest(source, payload, options_.base_url);
    // The database away (a failover): the same uplink again, until it is stored or found stored.
    const auto give_up = std::chrono::steady_clock::now() + options_.retry_for;
    while (!r.ok() && r.status().code() == ErrorCode::kUnavailable && std::chrono::steady_clock::now() < give_up) {
      {
        std::unique_lock lock(views_mu_);
        if (views_cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stopping_; })) break;
      }
      r = ingestor_.Ingest(source, payload, options_.base_url);
    }
    if (!r.ok()) {
      spdlog::warn("MQTT uplink on {}: {} ({})", topic, r.status().message(), r.status().field());
    } else if (r->kind == IngestOutcome::Kind::kDeadLetter) {
      spdlog::warn("MQTT uplink on {} went to the dead letters: {}", topic, r->reason.message());
    }
    return;
  }
  if (!topic.starts_with("v1.1/")) return;
  // Notifications (ours, should a broker ignore "no local", or another server's) start with
  // their @iot.id: dropped before any parsing.
  if (payload.starts_with("{\"@iot.id\"")) return;
  if (topic == "v1.1/CreateObservations") {  // bulk, as the HTTP action (an extension)
    if (auto groups = sta::ReadMeasurementGroups(payload)) {
      auto created = service_.CreateMeasurements(*groups, options_.base_url);
      if (!created.ok()) spdlog::warn("MQTT CreateObservations: {}", created.status().message());
      return;
    }
  }
  auto parsed = ParseJsonInput(payload);
  if (!parsed.ok()) {
    spdlog::warn("MQTT create on {}: {} ({})", topic, parsed.status().message(),
                 parsed.status().field());
    return;
  }
  boost::json::value& body = *parsed;
  if (body.is_object() && body.as_object().contains("@iot.id")) return;  // a notification
  if (topic == "v1.1/CreateObservations") {  // bulk, as the HTTP action (an extension)
    auto created = service_.CreateObservations(body, options_.base_url);
    if (!created.ok()) {
      spdlog::warn("MQTT CreateObservations: {} ({})", created.status().message(),
                   created.status().field());
    }
    return;
  }
  auto path = sta::ParseResourcePath(std::string_view(topic).substr(4));
  if (!path.ok() || !path->IsCollection() || path->Target().type != sta::EntityType::kObservation) {
    spdlog::warn("MQTT create on {}: only Observations can be created over MQTT", topic);
    return;
  }
  auto created = service_.Create(*path, body, options_.base_url);
  if (!created.ok()) {
    spdlog::warn("MQTT create on {}: {} ({})", topic, created.status().message(),
                 created.status().field());
  }
}

void MqttBridge::PublishEntity(const std::string& path, const std::string& payload) {
  Publish("v1.1/" + path, payload);
}

void MqttBridge::PublishAlert(const std::string& event, const std::string& payload) {
  if (!mosq_ || !connected_) return;
  mosquitto_publish(mosq_, nullptr, ("datenwerk/alerts/" + event).c_str(), static_cast<int>(payload.size()),
                    payload.data(), 1, false);
}

void MqttBridge::Publish(const std::string& topic, const std::string& payload) {
  if (!mosq_ || !connected_) return;
  if (unsent_.load() >= kMaxUnsent) {
    if (dropped_.fetch_add(1) % 100'000 == 0) {
      spdlog::warn("MQTT: the broker takes notifications slower than they are made; {} dropped "
                   "so far (QoS 0)", dropped_.load());
    }
    return;
  }
  unsent_.fetch_add(1);
  if (mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                        payload.data(), 0, false) != MOSQ_ERR_SUCCESS) {
    unsent_.fetch_sub(1);
  }
}

void MqttBridge::Notify(const std::string& path, const boost::json::object& entity) {
  PublishEntity(path, ToJsonText(entity));
  SubscriptionRegistry::Topics topics = subscriptions_.For(path);
  // Every change of an entity is also notified under its entity set ("Things"): then the
  // topics reached through deep paths are checked for it, once per change.
  if (const sta::EntityDef* set = sta::DefinitionBySetName(path)) {
    SubscriptionRegistry::Topics reaching = subscriptions_.Reaching(set->type);
    topics.insert(topics.end(), reaching.begin(), reaching.end());
  }
  if (topics.empty() || !connected_) return;
  {
    std::lock_guard lock(views_mu_);
    for (auto& topic : topics) {
      if (pending_.size() >= kMaxPendingViews) {
        dropped_.fetch_add(1);
        continue;
      }
      pending_.emplace_back(std::move(topic), entity);
    }
  }
  views_cv_.notify_one();
}

void MqttBridge::MakeViews() {
  std::unique_lock lock(views_mu_);
  while (true) {
    views_cv_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) return;
    auto [topic, entity] = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    try {
      auto view = service_.ViewForSubscription(*topic, entity);
      if (!view.ok()) {
        spdlog::warn("MQTT topic {}: {} ({})", topic->topic, view.status().message(),
                     view.status().field());
      } else if (*view) {
        Publish(topic->topic, ToJsonText(**view));
      }
    } catch (const std::exception& e) {  // one topic's failure must not end the thread
      spdlog::error("MQTT topic {}: {}", topic->topic, e.what());
    }
    lock.lock();
  }
}

}  // namespace datenwerk::sensors
