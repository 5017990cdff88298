#include "cluster/leases.h"

#include <string_view>

namespace datenwerk::cluster {

using sql::DatabaseNowMs;

Result<std::unique_ptr<LeaseTable>> LeaseTable::Open(sql::Connection& db) {
  if (Status s = db.Exec(
          "CREATE TABLE IF NOT EXISTS cluster_leases ("
          " job TEXT PRIMARY KEY, holder TEXT NOT NULL, epoch BIGINT NOT NULL, expires_ms BIGINT NOT NULL)");
      !s.ok()) {
    return s;
  }
  return std::make_unique<LeaseTable>(db);
}

Result<Lease> LeaseTable::Acquire(const std::string& job, const std::string& holder,
                                  std::chrono::milliseconds length) {
  const std::string now = DatabaseNowMs(db_.Dialect());
  const std::string take =
      "INSERT INTO cluster_leases (job, holder, epoch, expires_ms) VALUES ($1, $2, 1, " + now + " + $3) "
      "ON CONFLICT (job) DO UPDATE SET "
      "epoch = CASE WHEN cluster_leases.holder = excluded.holder THEN cluster_leases.epoch "
      "ELSE cluster_leases.epoch + 1 END, holder = excluded.holder, expires_ms = excluded.expires_ms "
      "WHERE cluster_leases.holder = excluded.holder OR cluster_leases.expires_ms <= " + now;
  Lease lease;
  Status s = db_.Write([&](sql::Tx& tx) -> Status {
    if (auto taken = tx.Change(take, {job, holder, int64_t{length.count()}}); !taken.ok()) return taken.status();
    auto rows = tx.Query("SELECT holder, epoch FROM cluster_leases WHERE job = $1", {job});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return Internal("lease of " + job + " missing after it was taken");
    lease = Lease{job, rows->front().Text(0), rows->front().Int(1)};
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return lease;
}

Status LeaseTable::Release(const std::string& job, const std::string& holder) {
  return db_.Write([&](sql::Tx& tx) {
    return tx.Change("DELETE FROM cluster_leases WHERE job = $1 AND holder = $2", {job, holder}).status();
  });
}

Status LeaseTable::Fence(sql::Tx& tx, const Lease& lease) {
  auto rows = tx.Query(std::string("SELECT 1 FROM cluster_leases WHERE job = $1 AND holder = $2 AND epoch = $3 "
                                   "AND expires_ms > ") + DatabaseNowMs(tx.Dialect()),
                       {lease.job, lease.holder, lease.epoch});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return Status(ErrorCode::kConflict, "the lease of " + lease.job + " was taken over", "lease");
  return Status::Ok();
}

Result<std::string> LeaseTable::Holder(const std::string& job) {
  auto rows = sql::ReadQuery(db_, std::string("SELECT holder FROM cluster_leases WHERE job = $1 AND expires_ms > ") +
                                      DatabaseNowMs(db_.Dialect()),
                             {job});
  if (!rows.ok()) return rows.status();
  return rows->empty() ? std::string() : rows->front().Text(0);
}

}  // namespace datenwerk::cluster
