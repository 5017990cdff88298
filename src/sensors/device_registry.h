// LoRaWAN devices and where their readings go: per device (DevEUI) a codec ("object": the
// network server's decoded object, "cayenne": Cayenne LPP from the raw payload) and a map from
// decoded field names ("soilMoisture", "temperature_1") to SensorThings Datastream ids. Also
// remembers uplinks already taken (DevEUI + frame counter + time), so redelivered uplinks are
// stored once, and keeps a dead-letter list of what could not be taken, with the reason.
// In the deployment's one database (SQLite or PostgreSQL); thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk::sensors {

struct DeviceProfile {
  // The device's key: its DevEUI (16 upper-case hex digits), or, for a device without one (The
  // Things Stack allows that), the network server's device id ("boden-westpark-3"). A key of 16
  // hex digits is always a DevEUI.
  std::string dev_eui;
  std::string name;
  std::string codec = "object";               // "object" or "cayenne"
  std::map<std::string, int64_t> datastreams;  // field -> Datastream id
};

struct DeadLetter {
  int64_t id = 0;
  std::string received_at;  // UTC
  std::string source;       // "chirpstack", "tts", ...
  std::string reason;
  std::string field;
  std::string payload;      // the message as received (truncated to 64 KiB)
};

// What a change of a device profile announces to the other nodes.
inline constexpr char kDevicesTopic[] = "devices";

class DeviceRegistry {
 public:
  virtual ~DeviceRegistry() = default;
  virtual Status Put(const DeviceProfile& profile) = 0;
  virtual Result<std::optional<DeviceProfile>> Get(const std::string& dev_eui) = 0;
  virtual Result<std::vector<DeviceProfile>> List() = 0;
  virtual Status Remove(const std::string& dev_eui) = 0;
  // Empties the cache of profiles (another node changed one: store/change_feed.h).
  virtual void ForgetCached() = 0;

  // The sighting of an uplink (DevEUI, frame counter, time) for the transaction that stores its
  // readings: it inserts a row the first time, none for a repeat. `gateways` (JSON:
  // [{"gateway":…,"rssi":…,"snr":…}]) is kept with it as the uplink's origin.
  virtual sql::Statement Sighting(const std::string& dev_eui, uint32_t f_cnt, int64_t time_ms,
                                  const std::string& gateways = "[]") const = 0;
  // The newest uplinks of a device taken, newest first: where its readings came from.
  struct UplinkRecord {
    uint32_t f_cnt = 0;
    int64_t time_ms = 0;
    std::string gateways;  // JSON array
  };
  virtual Result<std::vector<UplinkRecord>> Uplinks(const std::string& dev_eui, size_t limit) = 0;
  // Whether an uplink of the device taken in [from_ms, to_ms) was received by a gateway (its
  // origin names one): what LoRaWAN coverage is measured from.
  virtual Result<bool> ReceivedBetween(const std::string& dev_eui, int64_t from_ms, int64_t to_ms) = 0;

  // Forgets the uplink records taken before `before_ms`, in steps of one transaction each (at
  // most about 20,000 rows): the redelivery check, the device page and the coverage KPI need the
  // recent ones only. Stops early when `go_on` answers false. Answers how many went.
  virtual Result<int64_t> ForgetUplinksBefore(int64_t before_ms, const std::function<bool()>& go_on) = 0;

  virtual Status AddDeadLetter(const DeadLetter& letter) = 0;
  // Newest first.
  virtual Result<std::vector<DeadLetter>> DeadLetters(size_t limit) = 0;
};

// kInvalidArgument naming the member when the profile is malformed. Upper-cases a DevEUI.
Status ValidateDeviceProfile(DeviceProfile& profile);
bool IsDevEui(std::string_view key);
// The Things Stack's device ids: 2 to 36 of a-z, 0-9 and single inner dashes.
bool IsDeviceId(std::string_view key);

// The registry in `db` (borrowed: the deployment's one database), tables created when missing;
// or in a database of its own (a SQLite path or a PostgreSQL conninfo).
Result<std::unique_ptr<DeviceRegistry>> OpenDeviceRegistry(sql::Connection& db);
Result<std::unique_ptr<DeviceRegistry>> OpenDeviceRegistry(const std::string& path_or_conninfo);

}  // namespace datenwerk::sensors
