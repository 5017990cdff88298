#include "app/alerting.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "api/alerts.h"
#include "app/wall_clock.h"

namespace datenwerk::app {

std::unique_ptr<Alerting> Alerting::Start(const Config& config, sql::Connection& db,
                                          sta::SensorThingsService& sensorthings, series::ObservationStore& series,
                                          AlertingRoles roles) {
  auto store = alerts::AlertStore::Open(db);
  if (!store.ok()) {
    spdlog::error("alert store: {}", store.status().message());
    return nullptr;
  }
  auto alerting = std::make_unique<Alerting>(sensorthings);
  alerting->store_ = std::move(store).value();
  alerts::EngineOptions engine_options;
  engine_options.active = std::move(roles.evaluate);
  engine_options.fence = std::move(roles.fence);
  alerting->engine_ = std::make_unique<alerts::AlertEngine>(*alerting->store_, alerting->directory_, series, WallClockMs,
                                                            engine_options);
  alerts::SenderOptions sending;
  sending.active = std::move(roles.deliver_webhooks);
  alerting->sender_ = std::make_unique<alerts::WebhookSender>(*alerting->store_, WallClockMs, sending);
  Alerting* self = alerting.get();
  alerting->engine_->SetSink([self](const std::string& event, const std::string& payload) {
    self->sender_->Wake();
    if (auto* bridge = self->mqtt_.load()) bridge->PublishAlert(event, payload);
  });
  if (Status s = alerting->engine_->Start(); !s.ok()) {
    spdlog::error("alerts: cannot start: {}", s.message());
    return nullptr;
  }
  alerting->sender_->Start();
  if (std::string_view(db.Dialect()) != "postgresql") {
    sensorthings.SetReadingsListener([self](const std::vector<sta::CommittedReading>& committed) {
      std::vector<alerts::Reading> readings;
      readings.reserve(committed.size());
      for (const auto& r : committed) readings.push_back({r.datastream, r.time_ms, r.value});
      self->engine_->OnReadings(readings);
    });
  }
  const auto stats = alerting->engine_->Stats();
  spdlog::info("alerts: {} rules, {} series states", stats.rules, stats.states);
  return alerting;
}

Alerting::~Alerting() {
  sensorthings_.SetReadingsListener(nullptr);
  mqtt_.store(nullptr);
  if (engine_) engine_->Stop();
  if (sender_) sender_->Stop();
}

std::vector<klima::ActiveAlert> Alerting::ActiveAlerts() {
  alerts::AlertQuery q;
  q.states = {"firing", "acknowledged"};
  q.limit = 50;
  auto found = store_->ListAlerts(q);
  if (!found.ok()) return {};
  std::vector<klima::ActiveAlert> active;
  for (const auto& a : *found) {
    active.push_back({a.rule_name, a.severity, a.datastream, a.state == "acknowledged", a.fired_ms.value_or(a.started_ms), a.value});
  }
  return active;
}

void Alerting::RegisterRoutes(http::Router& router, CatalogueService& keys) {
  api::RegisterAlertRoutes(router, *engine_, *store_, *sender_, keys);
}

}  // namespace datenwerk::app
