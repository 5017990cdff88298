// Keeps this node's leases (leases.h): one thread takes or renews every job's lease a third of
// its length apart, and tells each job when it gains or loses it. A job asks Held() before each
// round of its work, and passes the lease to LeaseTable::Fence where an effect must happen once.
// Thread-safe. Destroying the keeper stops its thread and releases the leases it holds, so that
// another node takes the jobs over at once after a clean stop (after kill -9: once they run out).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "cluster/leases.h"
#include "core/thread_annotations.h"

namespace datenwerk::cluster {

class LeaseKeeper {
 public:
  // Borrows `table`. `holder` names this node (NodeName()); `length` is each lease's length.
  LeaseKeeper(LeaseTable& table, std::string holder, std::chrono::milliseconds length = std::chrono::seconds(10));
  ~LeaseKeeper();
  LeaseKeeper(const LeaseKeeper&) = delete;
  LeaseKeeper& operator=(const LeaseKeeper&) = delete;

  // Adds a job before Start(). `changed` (optional) runs on the keeper's thread with true when
  // this node takes the job, false when it loses it; it must not call back into the keeper.
  void Add(const std::string& job, std::function<void(bool held)> changed = {}) EXCLUDES(mu_);
  // Takes the leases it can now (so a single node holds its jobs from the start), then keeps them.
  void Start();

  // The lease of `job` if this node holds it now (its lease runs longer than a safety margin).
  std::optional<Lease> Held(const std::string& job) const EXCLUDES(mu_);
  bool Holds(const std::string& job) const { return Held(job).has_value(); }
  const std::string& holder() const { return holder_; }

 private:
  struct Job {
    std::function<void(bool)> changed;
    std::optional<Lease> lease;
    std::chrono::steady_clock::time_point until{};  // this node's own view of the lease's end
    bool announced = false;                         // what `changed` was last told
  };
  void RenewAll() EXCLUDES(mu_);
  void Run() EXCLUDES(mu_);

  LeaseTable& table_;
  const std::string holder_;
  const std::chrono::milliseconds length_;
  mutable Mutex mu_;
  std::map<std::string, Job> jobs_ GUARDED_BY(mu_);
  bool stop_ GUARDED_BY(mu_) = false;
  std::condition_variable_any wake_;
  std::thread thread_;
};

// A name for this node that no other node (nor this node's next start) shares: host, port and a
// random suffix.
std::string NodeName(uint16_t port);

}  // namespace datenwerk::cluster
