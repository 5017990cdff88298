// The alert rules wired into the server: their store (in the deployment's one database), the
// engine fed by every commit of the SensorThings service, the webhook
// sender, and the API routes. Start before serving; destroy after the server and every writer
// have stopped.
#pragma once

#include <atomic>
#include <functional>
#include <memory>

#include "alerts/engine.h"
#include "alerts/sta_directory.h"
#include "alerts/webhook_sender.h"
#include "app/config.h"
#include "core/status.h"
#include "http/router.h"
#include "klima/pages.h"
#include "sensors/mqtt_bridge.h"
#include "store/catalogue_service.h"
#include "store/sql_connection.h"

namespace datenwerk::app {

// What this node does of the alerting jobs (app/cluster_wiring.h): unset, everything.
struct AlertingRoles {
  std::function<bool()> deliver_webhooks;  // the "alert-webhooks" job
  std::function<bool()> evaluate;          // the "alerts" job
  std::function<Status(sql::Tx&)> fence;   // of the "alerts" job
};

class Alerting {
 public:
  // nullptr (logged) when the store cannot be opened or the engine cannot start.
  // Borrows `db` (the one database). On SQLite the engine hears of readings from this node's
  // commits; on PostgreSQL from every node's, over the change feed: call OnAppended with each
  // announcement of series::kAppendedTopic, and once with "" when the feed starts.
  static std::unique_ptr<Alerting> Start(const Config& config, sql::Connection& db,
                                         sta::SensorThingsService& sensorthings, series::ObservationStore& series,
                                         AlertingRoles roles);
  ~Alerting();

  void RegisterRoutes(http::Router& router, CatalogueService& keys);
  // Alert changes also go to MQTT from now on (nullptr: no longer).
  void SetMqtt(sensors::MqttBridge* bridge) { mqtt_.store(bridge); }
  // Firing and acknowledged alerts for the Klima-Dashboard, newest first (at most 50).
  std::vector<klima::ActiveAlert> ActiveAlerts();
  alerts::AlertEngine& engine() { return *engine_; }
  alerts::AlertStore& store() { return *store_; }

  Alerting(sta::SensorThingsService& sensorthings) : sensorthings_(sensorthings), directory_(sensorthings) {}

 private:
  sta::SensorThingsService& sensorthings_;
  std::unique_ptr<alerts::AlertStore> store_;
  alerts::SensorThingsDirectory directory_;
  std::unique_ptr<alerts::AlertEngine> engine_;
  std::unique_ptr<alerts::WebhookSender> sender_;
  std::atomic<sensors::MqttBridge*> mqtt_{nullptr};
};

}  // namespace datenwerk::app
