// Several nodes on one database: this node's leases for the background jobs (cluster/
// lease_keeper.h) and the change feed that keeps its caches in step with the other nodes'
// writes (store/change_feed.h; PostgreSQL only). On SQLite the node is alone: it holds every
// job from the start and listens to no feed.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "app/config.h"
#include "cluster/lease_keeper.h"
#include "store/change_feed.h"

namespace datenwerk::app {

// The background jobs one node at a time does.
inline constexpr const char* kClusterJobs[] = {
    "retention", "mail", "reminders", "live-kpis", "replay", "buergerecho.housekeeping", "buergerecho.digests",
    "alert-webhooks", "alerts",
};

class ClusterWiring {
 public:
  // Opens the lease table and takes the leases it can; nullptr (logged) when the table cannot be
  // made. Borrows `db`, which must outlive the wiring.
  static std::unique_ptr<ClusterWiring> Start(const Config& config, sql::Connection& db);
  ~ClusterWiring();

  // On SQLite the node is alone (one process owns the file): it does every job at once, even
  // while the lease of its own previous run has not yet run out.
  bool Holds(const std::string& job) const { return alone_ || keeper_->Holds(job); }
  std::function<bool()> Gate(const std::string& job) const {
    return [this, job] { return Holds(job); };
  }
  // Inside a write transaction that records an effect of `job`: kConflict unless this node still
  // holds the job's lease (cluster::LeaseTable::Fence), so a node paused past its lease records
  // nothing another node records too.
  std::function<Status(sql::Tx&)> Fence(const std::string& job) const;
  const std::string& node() const { return keeper_->holder(); }

  // Before Listen(): what to do when another node announces `topic` (with its detail).
  void On(const std::string& topic, sql::ChangeFeed::Handler handler);
  void On(const std::string& topic, std::function<void()> handler) {
    On(topic, sql::ChangeFeed::Handler([h = std::move(handler)](std::string_view) { h(); }));
  }
  // Starts the feed (PostgreSQL): false (logged) when it cannot connect.
  bool Listen();
  // Ok when this node can serve: its database answers as a primary, and on PostgreSQL it hears
  // the other nodes' changes (for /health/ready).
  Status Ready(sql::Connection& db) const;
  // Stops the feed before what its handlers use goes.
  void StopFeed() { feed_.reset(); }

 private:
  std::unique_ptr<cluster::LeaseTable> leases_;
  std::unique_ptr<cluster::LeaseKeeper> keeper_;
  std::unique_ptr<sql::ChangeFeed> feed_;
  bool alone_ = false;  // SQLite
};

}  // namespace datenwerk::app
