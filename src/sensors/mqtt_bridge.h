// Datenwerk on an MQTT broker (Mosquitto), with libmosquitto:
//  - subscribes to LoRaWAN uplinks of ChirpStack v4 ("application/+/device/+/event/up") and
//    The Things Stack v3 ("v3/+/devices/+/up") and hands them to the UplinkIngestor;
//  - takes SensorThings creates published to "v1.1/Observations" or
//    "v1.1/Datastreams(<id>)/Observations" (18-088 14.2), and CreateObservations bodies
//    (dataArray) on "v1.1/CreateObservations" (an extension, for batched ingest);
//  - publishes every entity created (by any path) to "v1.1/<path>" as the MQTT extension asks,
//    and, for topics with $select or $filter that the broker plugin reports (mqtt_subscriptions.h),
//    the narrowed message to that topic; those are made on a thread of their own, so a
//    subscriber's filter never slows down a write.
// MQTT 5, QoS 1 and a persistent session: the broker keeps messages while Datenwerk is away, and
// a message is acknowledged only after it was committed. Subscriptions are "no local", so its
// own notifications do not come back; entities with an @iot.id are never taken as creates.
// Reconnects by itself.
// Thread-safe; callbacks run on libmosquitto's network thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "core/status.h"
#include "sensors/mqtt_subscriptions.h"
#include "sensors/uplink_ingestor.h"
#include "sta/service.h"

struct mosquitto;

namespace datenwerk::sensors {

struct MqttOptions {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id = "datenwerk";
  std::string base_url = "http://localhost:8080/sta/v1.1";  // for self links in messages
  // Several nodes: the uplink and create topics as MQTT 5 shared subscriptions
  // ("$share/<group>/…"), so the broker hands each message to one node of the group, and a clean
  // session per node (a node that dies leaves nothing queued for itself). `client_id` must then
  // differ per node. Empty: one node, a persistent session.
  std::string share_group;
  // How long a message whose write found the database away (a failover) is tried again before it
  // is given up (logged): ingest is idempotent, so a repeat is harmless. Meanwhile the bridge
  // takes no further messages, and the broker keeps them.
  std::chrono::milliseconds retry_for{60'000};
};

// "host:port" (port optional, 1883) into options; kInvalidArgument otherwise.
Result<MqttOptions> ParseMqttAddress(const std::string& address);

class MqttBridge {
 public:
  // Borrows the ingestor and the service; both must outlive the bridge.
  MqttBridge(MqttOptions options, UplinkIngestor& ingestor, sta::SensorThingsService& service);
  ~MqttBridge();
  MqttBridge(const MqttBridge&) = delete;
  MqttBridge& operator=(const MqttBridge&) = delete;

  // Starts connecting in the background; a broker that is not up yet is retried.
  Status Start();
  // Publishes `payload` to "v1.1/<path>" (QoS 0, at most once); dropped while disconnected or
  // while kMaxUnsent notifications wait to go out (the broker is slower than ingest), so memory
  // stays bounded. Counted in dropped().
  void PublishEntity(const std::string& path, const std::string& payload);
  // PublishEntity, plus the messages for the subscribed topics with query options under `path`
  // (queued: at most kMaxPendingViews wait, more are dropped and counted in dropped()).
  void Notify(const std::string& path, const boost::json::object& entity);
  // An alert change (alerts/engine.h) to "datenwerk/alerts/<event>", QoS 1; dropped while
  // disconnected (webhooks are the delivery that is retried).
  void PublishAlert(const std::string& event, const std::string& payload);
  bool connected() const { return connected_; }
  uint64_t dropped() const { return dropped_; }

  static constexpr int64_t kMaxUnsent = 20'000;
  static constexpr size_t kMaxPendingViews = 10'000;

 private:
  static void OnConnect(mosquitto*, void* self, int rc, int flags, const void* props);
  static void OnDisconnect(mosquitto*, void* self, int rc, const void* props);
  static void OnMessage(mosquitto*, void* self, const void* message, const void* props);
  static void OnPublish(mosquitto*, void* self, int mid);
  void Handle(const std::string& topic, std::string_view payload);
  void Publish(const std::string& topic, const std::string& payload);
  void MakeViews();  // the view thread: messages for topics with query options

  MqttOptions options_;
  UplinkIngestor& ingestor_;
  sta::SensorThingsService& service_;
  mosquitto* mosq_ = nullptr;  // owned; freed in the destructor
  std::atomic<bool> connected_{false};
  std::atomic<int64_t> unsent_{0};  // notifications handed to libmosquitto, not yet sent
  std::atomic<uint64_t> dropped_{0};
  SubscriptionRegistry subscriptions_;
  std::mutex views_mu_;
  std::condition_variable views_cv_;
  std::deque<std::pair<std::shared_ptr<const sta::SubscriptionTopic>, boost::json::object>> pending_;
  bool stopping_ = false;  // under views_mu_
  std::thread views_thread_;  // last: started after everything it uses
};

}  // namespace datenwerk::sensors
