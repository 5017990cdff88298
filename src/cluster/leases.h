// Background work done by one node at a time: a lease per job (alert timers, reminders, the mail
// relay, retention, ...) in the deployment's one database, table cluster_leases. A node holds a
// job while it renews its lease in time; when it dies, another takes the job over once the lease
// has run out. Time is the database's clock only (no clock is trusted across machines): a lease
// runs until the database's now plus its length, and a node counts its own lease as gone a margin
// before that on its own monotonic clock, measured from before it asked.
//
// Each take-over raises the lease's epoch. A job whose effect must happen once (an alert fired, a
// mail sent) checks its lease in the transaction that records the effect (Fence): a node that was
// paused past its lease then writes nothing, because on PostgreSQL every write transaction holds
// the one write lock (store/sql_connection.cc), so the check and the take-over never interleave.
// On SQLite (one node) the same statements run and the node always holds its jobs.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk::cluster {

// A held lease: the job, its holder and the epoch it was taken in.
struct Lease {
  std::string job;
  std::string holder;
  int64_t epoch = 0;
};

// The lease table. Thread-safe (statements through the borrowed connection).
class LeaseTable {
 public:
  // Creates the table when missing.
  static Result<std::unique_ptr<LeaseTable>> Open(sql::Connection& db);
  explicit LeaseTable(sql::Connection& db) : db_(db) {}

  // Takes or renews the lease of `job` for `holder` for `length`: granted when no one holds it, the
  // holder holds it already (the epoch stays) or its lease has run out (the epoch goes up). The
  // lease as it stands afterwards: its holder is someone else when not granted.
  Result<Lease> Acquire(const std::string& job, const std::string& holder, std::chrono::milliseconds length);
  // Gives the lease up (a clean stop), so that another node takes the job at once.
  Status Release(const std::string& job, const std::string& holder);
  // Inside a write transaction: kConflict unless `lease` is still held, unexpired, in its epoch.
  static Status Fence(sql::Tx& tx, const Lease& lease);
  // Who holds `job` now (empty when no one, or the lease ran out).
  Result<std::string> Holder(const std::string& job);

 private:
  sql::Connection& db_;
};

}  // namespace datenwerk::cluster
