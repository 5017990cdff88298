#include "app/cluster_wiring.h"

#include <spdlog/spdlog.h>

#include <string_view>

namespace datenwerk::app {

std::unique_ptr<ClusterWiring> ClusterWiring::Start(const Config& config, sql::Connection& db) {
  auto leases = cluster::LeaseTable::Open(db);
  if (!leases.ok()) {
    spdlog::error("cannot open the lease table: {}", leases.status().message());
    return nullptr;
  }
  auto wiring = std::make_unique<ClusterWiring>();
  wiring->leases_ = std::move(leases).value();
  wiring->keeper_ = std::make_unique<cluster::LeaseKeeper>(*wiring->leases_, cluster::NodeName(config.port),
                                                           std::chrono::seconds(config.lease_s));
  for (const char* job : kClusterJobs) wiring->keeper_->Add(job);
  wiring->keeper_->Start();
  if (std::string_view(db.Dialect()) == "postgresql") {
    wiring->feed_ = std::make_unique<sql::ChangeFeed>(config.database);
  } else {
    wiring->alone_ = true;
  }
  spdlog::info("this node is {}", wiring->keeper_->holder());
  return wiring;
}

ClusterWiring::~ClusterWiring() { feed_.reset(); }

void ClusterWiring::On(const std::string& topic, sql::ChangeFeed::Handler handler) {
  if (feed_) feed_->On(topic, std::move(handler));
}

std::function<Status(sql::Tx&)> ClusterWiring::Fence(const std::string& job) const {
  return [this, job](sql::Tx& tx) -> Status {
    if (alone_) return Status::Ok();
    auto lease = keeper_->Held(job);
    if (!lease) return Status(ErrorCode::kConflict, "this node no longer holds " + job, "lease");
    return cluster::LeaseTable::Fence(tx, *lease);
  };
}

Status ClusterWiring::Ready(sql::Connection& db) const {
  const bool postgres = std::string_view(db.Dialect()) == "postgresql";
  auto rows = sql::ReadQuery(db, postgres ? "SELECT pg_is_in_recovery()" : "SELECT 0");
  if (!rows.ok()) return Unavailable(rows.status().message(), "database");
  if (!rows->empty() && (rows->front().Text(0) == "t" || rows->front().Text(0) == "true")) {
    return Unavailable("the database is a standby (read-only): waiting for the new primary", "database");
  }
  if (feed_ && !feed_->Listening()) return Unavailable("not hearing the other nodes' changes", "changes");
  return Status::Ok();
}

bool ClusterWiring::Listen() {
  if (!feed_) return true;
  if (Status s = feed_->Start(); !s.ok()) {
    spdlog::error("cannot listen to the other nodes' changes: {}", s.message());
    return false;
  }
  return true;
}

}  // namespace datenwerk::app
