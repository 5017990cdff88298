// Takes LoRaWAN uplinks from ChirpStack v4 and The Things Stack v3 (HTTP today, MQTT later:
// the same entry point) into SensorThings Observations: parses the message, finds the device's
// profile, decodes its fields (network-server object or Cayenne LPP), checks the time, skips
// redelivered uplinks (DevEUI + frame counter + time), and stores one Observation per mapped
// field, all in one transaction: numbers as numbers, booleans as booleans (OM_TruthObservation),
// texts as texts (OM_CategoryObservation). What cannot be taken goes to the dead-letter list
// with the reason; ingestion goes on. A device is found by its DevEUI, else (The Things Stack) by
// its device id. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "sensors/device_registry.h"
#include "sensors/lorawan.h"
#include "sta/service.h"

namespace datenwerk::sensors {

enum class UplinkSource { kChirpStack, kTheThingsStack };

struct IngestOutcome {
  enum class Kind {
    kStored,      // observations created
    kDuplicate,   // seen before; nothing stored
    kDeadLetter,  // recorded in the dead-letter list (unknown device, no mapped field, ...)
    kNotAnUplink,  // a well-formed message of another kind (TTS join accept, ...): nothing to do
  } kind = Kind::kStored;
  std::vector<std::string> observations;  // self links when stored
  Status reason;                          // why, for dead letters
};

class UplinkIngestor {
 public:
  // Borrows all three; they must outlive the ingestor. Uplinks older than `max_past_ms` are dead
  // letters: no older than the device registry keeps their records, so that a redelivered one is
  // always known (DeviceRegistry::ForgetUplinksBefore).
  UplinkIngestor(DeviceRegistry& devices, sta::SensorThingsService& sensorthings,
                 const Clock& clock, int64_t max_past_ms = kMaxPastMs);

  // A malformed message is a dead letter too, and also an error (kInvalidArgument) so that the
  // caller can answer 400; storage failures are errors (the uplink may be sent again).
  Result<IngestOutcome> Ingest(UplinkSource source, std::string_view message,
                               const std::string& base);

  // How far an uplink's time may lie in the future or (at most) the past.
  static constexpr int64_t kMaxFutureMs = 10 * 60 * 1000;
  static constexpr int64_t kMaxPastMs = 400LL * 24 * 3600 * 1000;

 private:
  IngestOutcome DeadLetter(UplinkSource source, std::string_view message, Status reason);

  DeviceRegistry& devices_;
  sta::SensorThingsService& sensorthings_;
  const Clock& clock_;
  const int64_t max_past_ms_;
};

}  // namespace datenwerk::sensors
