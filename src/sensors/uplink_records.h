// The uplink records (table uplink_seen: DevEUI, frame counter, time, gateways), kept per device
// in time order so that the newest of a device, a period of it and the oldest are index ranges,
// and forgotten after a retention period in bounded steps. Part of the device registry
// (device_registry.h), which owns the table; private to `sensors`.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk::sensors {

// Records of releases before this one are keyed (dev_eui, f_cnt, time_ms): re-keys them to
// (dev_eui, time_ms, f_cnt) in one transaction, rows compared; nothing when done already.
Status KeyUplinkRecordsByTime(sql::Connection& db);

struct UplinkPruning {
  int64_t deleted = 0;
  // Where the next step goes on: after this device; nullopt when every device is done.
  std::optional<std::string> resume_after;
};

// One step in one transaction: deletes the records taken before `before_ms` of the devices after
// `after` ("" for the first), at most about `max_rows` of them.
Result<UplinkPruning> PruneUplinkRecords(sql::Tx& tx, int64_t before_ms, const std::string& after, int64_t max_rows);

}  // namespace datenwerk::sensors
