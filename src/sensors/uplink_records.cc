#include "sensors/uplink_records.h"

#include <string_view>

namespace datenwerk::sensors {
namespace {

// Rows one DELETE removes at most: a device with years of records is pruned over several steps.
constexpr int64_t kRowsPerStatement = 2'000;
// Devices one step visits at most (most have nothing to delete on a daily run).
constexpr int kDevicesPerStep = 1'000;

Result<bool> KeyedByFrameCounter(sql::Tx& tx) {
  if (std::string_view(tx.Dialect()) == "sqlite") {
    auto rows = tx.Query("SELECT pk FROM pragma_table_info('uplink_seen') WHERE name = 'time_ms'");
    if (!rows.ok()) return rows.status();
    return !rows->empty() && rows->front().Int(0) == 3;
  }
  auto rows = tx.Query(
      "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'uplink_seen'::regclass AND contype = 'p'");
  if (!rows.ok()) return rows.status();
  return !rows->empty() && rows->front().Text(0).find("f_cnt, time_ms") != std::string::npos;
}

Result<int64_t> CountRecords(sql::Tx& tx) {
  auto rows = tx.Query("SELECT count(*) FROM uplink_seen");
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0);
}

}  // namespace

Status KeyUplinkRecordsByTime(sql::Connection& db) {
  return db.Write([](sql::Tx& tx) -> Status {
    auto old = KeyedByFrameCounter(tx);
    if (!old.ok() || !*old) return old.status();
    auto before = CountRecords(tx);
    if (!before.ok()) return before.status();
    if (std::string_view(tx.Dialect()) == "sqlite") {
      if (Status s = tx.Exec(
              "CREATE TABLE uplink_seen_by_time (dev_eui TEXT NOT NULL, f_cnt INTEGER NOT NULL, time_ms INTEGER NOT NULL, "
              "gateways TEXT, PRIMARY KEY (dev_eui, time_ms, f_cnt)) WITHOUT ROWID;"
              "INSERT INTO uplink_seen_by_time SELECT dev_eui, f_cnt, time_ms, gateways FROM uplink_seen;"
              "DROP TABLE uplink_seen;"
              "ALTER TABLE uplink_seen_by_time RENAME TO uplink_seen");
          !s.ok()) {
        return s;
      }
    } else if (Status s = tx.Exec("ALTER TABLE uplink_seen DROP CONSTRAINT uplink_seen_pkey, "
                                  "ADD PRIMARY KEY (dev_eui, time_ms, f_cnt)");
               !s.ok()) {
      return s;
    }
    auto after = CountRecords(tx);
    if (!after.ok()) return after.status();
    if (*after != *before) {
      return Internal("re-keying the uplink records changed their count from " + std::to_string(*before) + " to " +
                      std::to_string(*after));
    }
    return Status::Ok();
  });
}

Result<UplinkPruning> PruneUplinkRecords(sql::Tx& tx, int64_t before_ms, const std::string& after, int64_t max_rows) {
  UplinkPruning out;
  std::string previous = after;  // the last device done
  for (int visited = 0; out.deleted < max_rows && visited < kDevicesPerStep; ++visited) {
    auto next = tx.Query("SELECT dev_eui FROM uplink_seen WHERE dev_eui > $1 ORDER BY dev_eui LIMIT 1", {previous});
    if (!next.ok()) return next.status();
    if (next->empty()) return out;  // every device done
    const std::string device = next->front().Text(0);
    // The oldest kRowsPerStatement records before `before_ms` (fewer when records share a time).
    auto deleted = tx.Change(
        "DELETE FROM uplink_seen WHERE dev_eui = $1 AND time_ms < COALESCE((SELECT time_ms FROM uplink_seen "
        "WHERE dev_eui = $1 AND time_ms < $2 ORDER BY time_ms LIMIT 1 OFFSET $3), $2)",
        {device, before_ms, kRowsPerStatement});
    if (!deleted.ok()) return deleted.status();
    out.deleted += *deleted;
    // A full statement may have left older records of this device: it is visited again.
    if (*deleted < kRowsPerStatement) previous = device;
  }
  out.resume_after = previous;
  return out;
}

}  // namespace datenwerk::sensors
