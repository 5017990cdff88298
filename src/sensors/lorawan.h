// Uplinks from LoRaWAN network servers in their real JSON forms: ChirpStack v4 (HTTP integration
// "?event=up" and MQTT "application/{app}/device/{devEui}/event/up", protobuf JSON mapping:
// camelCase, zero values omitted) and The Things Stack v3 (webhook and MQTT
// "v3/{app}@{tenant}/devices/{dev}/up", snake_case, empty fields omitted).
// Parsing uses simdjson (the ingest hot path). Pure; thread-compatible.
#pragma once

#include <cstdint>
#include <string>
#include <optional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sensors/cayenne_lpp.h"

namespace datenwerk::sensors {

// A gateway that received an uplink, as the network server reports it.
struct GatewayReception {
  std::string gateway_id;
  double rssi = 0;  // dBm
  double snr = 0;   // dB
};

struct Uplink {
  std::string dev_eui;         // 16 upper-case hex digits; empty for a TTS device without one
  std::string device_id;       // TTS device_id, or ChirpStack's deviceName
  std::string application_id;
  uint32_t f_cnt = 0;          // absent in the JSON means 0
  uint32_t f_port = 0;
  std::string payload;         // FRMPayload bytes (base64-decoded)
  int64_t time_ms = 0;         // when the network server received it
  Fields decoded;              // the decoded object's numbers, booleans and texts, flattened
                               // ("a.b"); arrays and nulls carry no reading
  bool has_decoded = false;    // the network server ran a codec
  std::vector<GatewayReception> gateways;  // ChirpStack rxInfo / TTS rx_metadata, at most 16
};

// Errors name the JSON member that is missing or malformed in `field`.
Result<Uplink> ParseChirpStackUplink(std::string_view json);
// nullopt for a well-formed message of another kind (join accept, downlink events, location
// solved, ...: "end_device_ids" without "uplink_message"), which carries no reading. The Go zero
// time "0001-01-01T00:00:00Z" that older stacks and simulated uplinks write for "not set" in
// uplink_message.received_at counts as absent (the top-level received_at is taken).
Result<std::optional<Uplink>> ParseTheThingsStackUplink(std::string_view json);

// Standard base64 (RFC 4648, padding optional); nullopt on invalid characters.
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace datenwerk::sensors
