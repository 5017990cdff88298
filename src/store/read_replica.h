// Reads from a PostgreSQL streaming replica (--read-database), within a bound on how stale they
// may be. A read goes to the replica only when both hold:
//   * its thread is inside a ReplicaReadScope: the caller says the read may be a little stale
//     (SensorThings and portal reads do; writes, their checks, sessions, leases and readiness
//     never are, so nothing that must see the latest commit reads the replica);
//   * the replica is known to hold every commit the primary had made `max_lag` ago.
// Otherwise, and when the replica fails, the read runs on the primary. Everything else (writes,
// the older style, statistics) is the primary's.
//
// The bound is measured, not trusted to clocks: a prober asks the primary for its WAL position
// every `probe_every`, notes the time it asked (this process's steady clock), and asks the replica
// how far it has replayed (store/replica_lag.h). It also checks that both are the same database
// (cluster, database name and schema), so a replica of something else is never read. The proof
// is for the server the prober reached: name one standby per node (a multi-host conninfo whose
// sessions all reach the first standby that answers, as libpq 15 does, is one).

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk::sql {

struct ReplicaOptions {
  std::chrono::milliseconds max_lag{2000};
  std::chrono::milliseconds probe_every{100};
  int readers = 4;
};

// What the router knows now (/health/replica).
struct ReplicaState {
  bool usable = false;   // reads in a scope go to the replica now
  int64_t lag_ms = -1;   // at most this stale at the last probe; -1: unknown
  uint64_t replica_reads = 0;  // reads in a scope the replica answered
  uint64_t primary_reads = 0;  // reads in a scope the primary answered (the replica unusable)
  std::string reason;    // why it is not usable ("" when it is)
};

// Marks the reads of this thread as allowed to come from the replica while it lives (and
// `allowed`). Nests; not to be moved across threads.
class ReplicaReadScope {
 public:
  explicit ReplicaReadScope(bool allowed = true);
  ~ReplicaReadScope();
  ReplicaReadScope(const ReplicaReadScope&) = delete;
  ReplicaReadScope& operator=(const ReplicaReadScope&) = delete;
  static bool Active();

 private:
  bool previous_;
};

class ReplicaRouter : public Connection {
 public:
  virtual ReplicaState State() const = 0;
};

// Routes `primary`'s reads in a scope to the replica at `replica_conninfo` (PostgreSQL; opened
// and probed in the background, so a replica that is down at start only delays its use). Owns
// `primary`. Thread-safe.
Result<std::unique_ptr<ReplicaRouter>> WithReadReplica(std::unique_ptr<Connection> primary,
                                                       std::string replica_conninfo, ReplicaOptions options);

}  // namespace datenwerk::sql
