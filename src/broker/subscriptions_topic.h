// The topic on which the Mosquitto plugin (broker/mosquitto_plugin.cc) keeps, retained, the
// SensorThings topics with query options that clients are subscribed to, one per line, and
// from which Datenwerk learns them (sensors/mqtt_subscriptions.h). Only the plugin publishes it.
#pragma once

namespace datenwerk::broker {

inline constexpr char kSubscriptionsTopic[] = "datenwerk/subscriptions";

}  // namespace datenwerk::broker
