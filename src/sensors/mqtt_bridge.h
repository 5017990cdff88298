// Datenwerk on an MQTT broker (Mosquitto), with libmosquitto:
//  - subscribes to LoRaWAN uplinks of ChirpStack v4 ("application/+/device/+/event/up") and
//    The Things Stack v3 ("v3/+/devices/+/up") and hands them to the UplinkIngestor;
//  - takes SensorThings creates published to "v1.1/Observations" or
//    "v1.1/Datastreams(<id>)/Observations" (18-088 14.2), and CreateObservations bodies
//    (dataArray) on "v1.1/CreateObservations" (an extension, for batched ingest);
//  - publishes every entity created (by any path) to "v1.1/<path>" as the MQTT extension asks.
// MQTT 5, QoS 1 and a persistent session: the broker keeps messages while Datenwerk is away, and
// a message is acknowledged only after it was committed. Subscriptions are "no local", so its
// own notifications do not come back; entities with an @iot.id are never taken as creates.
// Reconnects by itself.
// Thread-safe; callbacks run on libmosquitto's network thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "core/status.h"
#include "sensors/uplink_ingestor.h"
#include "sta/service.h"

struct mosquitto;

namespace datenwerk::sensors {

struct MqttOptions {
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string client_id = "datenwerk";
  std::string base_url = "http://localhost:8080/sta/v1.1";  // for self links in messages
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
  bool connected() const { return connected_; }
  uint64_t dropped() const { return dropped_; }

  static constexpr int64_t kMaxUnsent = 20'000;

 private:
  static void OnConnect(mosquitto*, void* self, int rc, int flags, const void* props);
  static void OnDisconnect(mosquitto*, void* self, int rc, const void* props);
  static void OnMessage(mosquitto*, void* self, const void* message, const void* props);
  static void OnPublish(mosquitto*, void* self, int mid);
  void Handle(const std::string& topic, std::string_view payload);

  MqttOptions options_;
  UplinkIngestor& ingestor_;
  sta::SensorThingsService& service_;
  mosquitto* mosq_ = nullptr;  // owned; freed in the destructor
  std::atomic<bool> connected_{false};
  std::atomic<int64_t> unsent_{0};  // notifications handed to libmosquitto, not yet sent
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace datenwerk::sensors
