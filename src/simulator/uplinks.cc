#include "simulator/uplinks.h"

#include <boost/json.hpp>
#include <cmath>

#include "core/dates.h"
#include "core/json_text.h"

namespace datenwerk::simulator {

namespace json = boost::json;

namespace {

constexpr int64_t kDay = 86'400'000;

std::string Base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i < bytes.size()) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= uint8_t(bytes[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, double>> ReadingsAt(const World& world, const Device& d,
                                                       DeviceState& state, int64_t t) {
  const double battery = world.Battery(d.index, static_cast<double>(t - state.installed_ms) / kDay);
  switch (d.kind) {
    case Kind::kSoil:
      return {{"soilMoisture", state.soil.StepTo(world, t, d.lon, d.lat)}, {"battery", battery}};
    case Kind::kRain:
      return {{"analog_in_1", world.RainAmount(t - d.interval_s * 1000LL, t, d.lon, d.lat)},
              {"voltage_2", battery}};
    case Kind::kAir:
      return {{"temperature", world.AirTemperature(t, d.lon, d.lat)},
              {"humidity", world.Humidity(t, d.lon, d.lat)}, {"battery", battery}};
    case Kind::kLake:
      return {{"water_temperature", world.WaterTemperature(t)}, {"dissolved_oxygen", world.DissolvedOxygen(t)},
              {"ph", world.Ph(t)}, {"conductivity", world.Conductivity(t, d.lon, d.lat)}, {"battery", battery}};
    case Kind::kContainer:
      return {{"fill_level", FillLevel(world, d.index, t)}, {"battery", battery}};
  }
  return {};
}

std::vector<Reception> HeardBy(const World& world, const Fleet& fleet, const Device& d, uint32_t f_cnt) {
  std::vector<Reception> out;
  for (size_t g = 0; g < fleet.gateways.size(); ++g) {
    // A device's typical signal at a gateway, and the uplink's own fading around it.
    const double base = -122 + 55 * world.Chance(d.index, 20, g);
    const double fading = (world.Chance(d.index, 21 + g, f_cnt) - 0.5) * 8;
    const bool home = g == d.index % fleet.gateways.size();
    const double rssi = home ? std::max(base, -105.0) + fading : base + fading;
    if (!home && rssi < -118) continue;  // not heard
    const double snr = std::round(((rssi + 120) / 4.5 - 7 + (world.Chance(d.index, 30 + g, f_cnt) - 0.5) * 2) * 10) / 10;
    out.push_back({&fleet.gateways[g], static_cast<int>(std::lround(rssi)), snr});
  }
  return out;
}

std::string CayenneRain(double rain_mm, double battery_v) {
  const int16_t rain = static_cast<int16_t>(std::lround(rain_mm * 100));
  const uint16_t volts = static_cast<uint16_t>(std::lround(battery_v * 100));
  return std::string{1, 2, static_cast<char>(rain >> 8), static_cast<char>(rain & 0xFF),
                     2, 116, static_cast<char>(volts >> 8), static_cast<char>(volts & 0xFF)};
}

std::string UplinkMessage(const World& world, const Fleet& fleet, const Device& d, uint32_t f_cnt,
                          int64_t t, const std::vector<std::pair<std::string, double>>& readings) {
  const std::string time = FormatRfc3339Ms(t);
  json::object decoded;
  for (const auto& [name, value] : readings) decoded[name] = value;
  const auto heard = HeardBy(world, fleet, d, f_cnt);
  if (d.network == Network::kChirpStack) {
    json::array rx;
    for (const auto& r : heard) {
      rx.push_back({{"gatewayId", r.gateway->id}, {"uplinkId", f_cnt}, {"rssi", r.rssi}, {"snr", r.snr},
                    {"channel", f_cnt % 8}, {"context", "AAAAAA=="}});
    }
    json::object message{
        {"deduplicationId", d.dev_eui + "-" + std::to_string(f_cnt)},
        {"time", time},
        {"deviceInfo", {{"tenantName", "Stadt Bochum"}, {"applicationName", "datenwerk-simulation"},
                        {"applicationId", "3f0a4b1e-5d6c-4e7f-8a9b-0c1d2e3f4a5b"},
                        {"deviceProfileName", d.kind_label}, {"deviceName", d.device_id},
                        {"devEui", d.dev_eui}, {"tags", {{"simuliert", "ja"}, {"standort", d.site}}}}},
        {"devAddr", d.dev_eui.substr(8)}, {"dr", 5}, {"fPort", 2},
        {"data", Base64("sim")}, {"object", std::move(decoded)}, {"rxInfo", std::move(rx)},
        {"txInfo", {{"frequency", 868100000 + 200000 * (f_cnt % 3)},
                    {"modulation", {{"lora", {{"bandwidth", 125000}, {"spreadingFactor", 7 + static_cast<int>(d.index % 5)}, {"codeRate", "CR_4_5"}}}}}}}};
    if (f_cnt > 0) message["fCnt"] = f_cnt;  // protobuf JSON leaves zero out
    return ToJsonText(message);
  }
  json::array rx;
  for (const auto& r : heard) {
    rx.push_back({{"gateway_ids", {{"gateway_id", "bochum-" + r.gateway->id.substr(12)}, {"eui", r.gateway->id}}},
                  {"rssi", r.rssi}, {"channel_rssi", r.rssi}, {"snr", r.snr}, {"received_at", time}});
  }
  json::object uplink{{"session_key_id", "AXBSH1Pk6Z0G166UlBdcw=="}, {"f_port", d.cayenne ? 1 : 2},
                      {"received_at", time}, {"rx_metadata", std::move(rx)},
                      {"settings", {{"data_rate", {{"lora", {{"bandwidth", 125000}, {"spreading_factor", 7 + static_cast<int>(d.index % 5)}}}}},
                                    {"frequency", std::to_string(868100000 + 200000 * (f_cnt % 3))}}}};
  if (f_cnt > 0) uplink["f_cnt"] = f_cnt;
  if (d.cayenne) {
    uplink["frm_payload"] = Base64(CayenneRain(readings[0].second, readings[1].second));
  } else {
    uplink["frm_payload"] = Base64("sim");
    uplink["decoded_payload"] = std::move(decoded);
  }
  json::object message{
      {"end_device_ids", {{"device_id", d.device_id}, {"application_ids", {{"application_id", "datenwerk-simulation"}}},
                          {"dev_eui", d.dev_eui}, {"dev_addr", d.dev_eui.substr(8)}}},
      {"correlation_ids", json::array{"as:up:sim-" + d.dev_eui + "-" + std::to_string(f_cnt)}},
      {"received_at", time},
      {"uplink_message", std::move(uplink)},
      {"simulated", true}};
  return ToJsonText(message);
}

}  // namespace datenwerk::simulator
