#include "store/read_replica.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <string_view>
#include <utility>

#include "core/periodic_task.h"
#include "core/thread_annotations.h"
#include "store/replica_lag.h"

namespace datenwerk::sql {
namespace {

thread_local bool replica_reads_allowed = false;

using Clock = LagBound::Clock;

int64_t Ticks(Clock::time_point t) { return t.time_since_epoch().count(); }

class Router final : public ReplicaRouter {
 public:
  Router(std::unique_ptr<Connection> primary, std::string conninfo, ReplicaOptions options)
      : primary_(std::move(primary)), conninfo_(std::move(conninfo)), options_(options) {
    prober_ = std::make_unique<PeriodicTask>(options_.probe_every, [this] { Probe(); });
  }
  ~Router() override { prober_.reset(); }  // first: the prober uses everything else

  Status Write(const std::function<Status(Tx&)>& work, const std::function<void(const Status&)>& after) override {
    return primary_->Write(work, after);
  }
  Status Read(const std::function<Status(Tx&)>& work) override {
    if (auto replica = ReplicaForRead()) {
      // Not sent again to the primary: `work` may have kept rows of the failed attempt. The caller
      // hears kUnavailable ("send again shortly"), and the next read goes to the primary.
      Status s = replica->Read(work);
      Count(s);
      return s;
    }
    return primary_->Read(work);
  }
  Result<Rows> ReadOne(const std::string& sql, const std::vector<Value>& params) override {
    if (auto replica = ReplicaForRead()) {
      auto rows = replica->ReadOne(sql, params);
      Count(rows.status());
      if (rows.status().code() != ErrorCode::kUnavailable) return rows;
      // One statement keeps nothing of its failed attempt: the primary answers it instead.
      ++primary_reads_;
    }
    return primary_->ReadOne(sql, params);
  }
  Result<Rows> Query(const std::string& sql, const std::vector<Value>& params) override {
    return primary_->Query(sql, params);
  }
  Status Exec(const std::string& sql) override { return primary_->Exec(sql); }
  Status Transaction(const std::function<Status(Tx&)>& work) override { return primary_->Transaction(work); }
  WriteStats Stats() const override { return primary_->Stats(); }
  const char* Dialect() const override { return primary_->Dialect(); }
  const std::string& Path() const override { return primary_->Path(); }

  ReplicaState State() const override EXCLUDES(mu_) {
    ReplicaState state;
    state.usable = Ticks(Clock::now()) < fresh_until_.load();
    state.replica_reads = replica_reads_.load();
    state.primary_reads = primary_reads_.load();
    MutexLock lock(mu_);
    state.lag_ms = lag_ms_;
    if (!state.usable) {
      // The bound can run out between two probes, before one has seen it.
      state.reason = !reason_.empty() ? reason_
                                      : "the replica has not caught up for the bound of " +
                                            std::to_string(options_.max_lag.count()) + " ms";
    }
    return state;
  }

 private:
  // The replica when this read may use it; else nullptr (and the read counted as the primary's
  // when it was allowed).
  std::shared_ptr<Connection> ReplicaForRead() EXCLUDES(mu_) {
    if (!ReplicaReadScope::Active()) return nullptr;
    if (Ticks(Clock::now()) < fresh_until_.load()) {
      MutexLock lock(mu_);
      if (replica_) return replica_;
    }
    ++primary_reads_;
    return nullptr;
  }

  void Count(const Status& s) {
    if (s.code() != ErrorCode::kUnavailable) {
      ++replica_reads_;
      return;
    }
    // Lost, or a query cancelled by replay: trust it again only after the next good probe.
    fresh_until_.store(0);
    Unusable("the replica failed a read: " + s.message());
  }

  // Runs every probe_every on the prober's thread.
  void Probe() EXCLUDES(mu_) {
    const Clock::time_point asked = Clock::now();
    auto primary = primary_->ReadOne("SELECT pg_current_wal_lsn()::text, current_database(), current_schema()");
    if (!primary.ok() || primary->empty()) {
      return Unusable("the primary's WAL position is unknown: " + primary.status().message());
    }
    const auto position = ParseLsn((*primary)[0].Text(0));
    if (!position) return Unusable("the primary answered no WAL position");
    lag_.NotePrimary(asked, *position);

    std::shared_ptr<Connection> replica = OpenReplica();
    if (!replica) return;
    auto rows = replica->ReadOne(
        "SELECT pg_is_in_recovery()::text, pg_last_wal_replay_lsn()::text, current_database(), current_schema()");
    if (!rows.ok() || rows->empty()) {
      Forget();
      return Unusable("the replica does not answer: " + rows.status().message());
    }
    const Row& r = (*rows)[0];
    if (r.Text(0) != "true") {
      // After a switchover the standby it was may be the primary now: open afresh, so that a
      // multi-host conninfo (target_session_attrs=prefer-standby) finds the new standby.
      Forget();
      return Unusable("the read database is no standby (a primary): reads stay on the primary");
    }
    if (r.Text(2) != (*primary)[0].Text(1) || r.Text(3) != (*primary)[0].Text(2)) {
      return Unusable("the replica's database or schema (" + r.Text(2) + "." + r.Text(3) +
                      ") is not the primary's (" + (*primary)[0].Text(1) + "." + (*primary)[0].Text(2) + ")");
    }
    const auto replayed = ParseLsn(r.Text(1));
    if (!replayed) return Unusable("the replica has replayed nothing yet");
    const auto caught_up = lag_.CaughtUpTo(*replayed);
    if (!caught_up) return Unusable("the replica is behind every position noted (more than a few minutes)");
    fresh_until_.store(Ticks(*caught_up + options_.max_lag));
    const int64_t lag_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - *caught_up).count();
    MutexLock lock(mu_);
    lag_ms_ = lag_ms;
    if (lag_ms >= options_.max_lag.count()) {
      Remember("the replica is " + std::to_string(lag_ms) + " ms behind, more than the bound of " +
               std::to_string(options_.max_lag.count()) + " ms");
    } else {
      Remember("");
    }
  }

  // The replica's connection, opened when missing (at most once a second). Checks once per
  // opening that it is a copy of the primary's cluster (where both let us read the identifier).
  std::shared_ptr<Connection> OpenReplica() EXCLUDES(mu_) {
    {
      MutexLock lock(mu_);
      if (replica_) return replica_;
    }
    const Clock::time_point now = Clock::now();
    if (now < retry_at_) return nullptr;
    retry_at_ = now + std::chrono::seconds(1);
    auto opened = OpenPostgres(conninfo_, options_.readers);
    if (!opened.ok()) {
      Unusable("the replica is not reachable: " + opened.status().message());
      return nullptr;
    }
    const std::string identifier = "SELECT system_identifier::text FROM pg_control_system()";
    auto ours = primary_->ReadOne(identifier);
    auto theirs = (*opened)->ReadOne(identifier);
    if (ours.ok() && theirs.ok() && !ours->empty() && !theirs->empty() &&
        (*ours)[0].Text(0) != (*theirs)[0].Text(0)) {
      retry_at_ = now + std::chrono::seconds(10);
      Unusable("the read database is no replica of the primary's cluster (system identifier " +
               (*theirs)[0].Text(0) + ", the primary's " + (*ours)[0].Text(0) + ")");
      return nullptr;
    }
    std::shared_ptr<Connection> replica = std::move(opened).value();
    MutexLock lock(mu_);
    replica_ = replica;
    return replica;
  }

  // Closes the replica's connection (reads using it finish first: they hold it); OpenReplica
  // opens a new one a second later. The prober's alone.
  void Forget() EXCLUDES(mu_) {
    fresh_until_.store(0);
    retry_at_ = Clock::now() + std::chrono::seconds(1);
    MutexLock lock(mu_);
    replica_.reset();
  }

  void Unusable(const std::string& reason) EXCLUDES(mu_) {
    MutexLock lock(mu_);
    if (Ticks(Clock::now()) >= fresh_until_.load()) lag_ms_ = -1;
    Remember(reason);
  }

  // Logs a change of the reason (not every probe).
  void Remember(const std::string& reason) REQUIRES(mu_) {
    if (reason == reason_) return;
    if (reason.empty()) {
      spdlog::info("read replica: in use (bound {} ms)", options_.max_lag.count());
    } else {
      spdlog::warn("read replica: not used: {}", reason);
    }
    reason_ = reason;
  }

  const std::unique_ptr<Connection> primary_;
  const std::string conninfo_;
  const ReplicaOptions options_;
  LagBound lag_;                  // the prober's alone
  Clock::time_point retry_at_{};  // the prober's alone
  std::atomic<int64_t> fresh_until_{0};  // steady ticks: the replica may be read until then
  std::atomic<uint64_t> replica_reads_{0}, primary_reads_{0};
  mutable Mutex mu_;
  std::shared_ptr<Connection> replica_ GUARDED_BY(mu_);
  std::string reason_ GUARDED_BY(mu_) = "not probed yet";
  int64_t lag_ms_ GUARDED_BY(mu_) = -1;
  std::unique_ptr<PeriodicTask> prober_;  // last: started once everything above is set up
};

}  // namespace

ReplicaReadScope::ReplicaReadScope(bool allowed) : previous_(replica_reads_allowed) {
  replica_reads_allowed = previous_ || allowed;
}
ReplicaReadScope::~ReplicaReadScope() { replica_reads_allowed = previous_; }
bool ReplicaReadScope::Active() { return replica_reads_allowed; }

Result<std::unique_ptr<ReplicaRouter>> WithReadReplica(std::unique_ptr<Connection> primary,
                                                       std::string replica_conninfo, ReplicaOptions options) {
  if (std::string_view(primary->Dialect()) != "postgresql") {
    return InvalidArgument("a read replica needs PostgreSQL as the database (--database)", "read-database");
  }
  if (replica_conninfo.empty()) return InvalidArgument("no read replica named", "read-database");
  if (options.max_lag <= std::chrono::milliseconds(0) || options.probe_every <= std::chrono::milliseconds(0)) {
    return InvalidArgument("the replica's lag bound and probe interval must be positive", "read-max-lag");
  }
  return std::unique_ptr<ReplicaRouter>(
      std::make_unique<Router>(std::move(primary), std::move(replica_conninfo), options));
}

}  // namespace datenwerk::sql
