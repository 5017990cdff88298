// What a simulated device sends: its readings at a time, and the uplink message a network
// server would deliver for them — ChirpStack v4 ("up" event, protobuf JSON mapping: camelCase,
// deviceInfo, rxInfo per gateway, decoded "object") or The Things Stack v3 (end_device_ids,
// uplink_message with frm_payload, decoded_payload and rx_metadata per gateway) — with the
// gateways that heard it and the RSSI/SNR they heard it with. Rain gauges send raw Cayenne LPP.
// Pure apart from the soil's state.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "simulator/fleet.h"
#include "simulator/physics.h"

namespace datenwerk::simulator {

// A device's state between uplinks.
struct DeviceState {
  Soil soil{30, 30};
  uint32_t f_cnt = 0;
  int64_t installed_ms = 0;
};

// The field values a device reports at `t_ms` (advances its soil).
std::vector<std::pair<std::string, double>> ReadingsAt(const World& world, const Device& device,
                                                       DeviceState& state, int64_t t_ms);

struct Reception {
  const Gateway* gateway;
  int rssi;
  double snr;
};
// The gateways that hear the device's uplink number `f_cnt` (at least one).
std::vector<Reception> HeardBy(const World& world, const Fleet& fleet, const Device& device,
                               uint32_t f_cnt);

// The uplink message as its network server would post it (webhook body = MQTT payload).
std::string UplinkMessage(const World& world, const Fleet& fleet, const Device& device,
                          uint32_t f_cnt, int64_t t_ms,
                          const std::vector<std::pair<std::string, double>>& readings);

// The Cayenne LPP bytes of a rain gauge's readings (analog input 1, voltage 2).
std::string CayenneRain(double rain_mm, double battery_v);

}  // namespace datenwerk::simulator
