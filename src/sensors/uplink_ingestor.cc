#include "sensors/uplink_ingestor.h"

#include <cmath>

#include "core/json_text.h"
#include "sensors/cayenne_lpp.h"

namespace datenwerk::sensors {

namespace json = boost::json;

UplinkIngestor::UplinkIngestor(DeviceRegistry& devices, sta::SensorThingsService& sensorthings,
                               const Clock& clock, int64_t max_past_ms)
    : devices_(devices), sensorthings_(sensorthings), clock_(clock), max_past_ms_(max_past_ms) {}

IngestOutcome UplinkIngestor::DeadLetter(UplinkSource source, std::string_view message,
                                         Status reason) {
  // Recording is best effort: a failure here must not stop ingestion either.
  (void)devices_.AddDeadLetter({0, clock_.NowUtc(),
                                source == UplinkSource::kChirpStack ? "chirpstack" : "tts",
                                reason.message(), reason.field(), std::string(message)});
  return {IngestOutcome::Kind::kDeadLetter, {}, std::move(reason)};
}

Result<IngestOutcome> UplinkIngestor::Ingest(UplinkSource source, std::string_view message,
                                             const std::string& base) {
  Result<std::optional<Uplink>> parsed = std::optional<Uplink>();
  if (source == UplinkSource::kChirpStack) {
    auto up = ParseChirpStackUplink(message);
    parsed = up.ok() ? Result<std::optional<Uplink>>(std::move(*up)) : up.status();
  } else {
    parsed = ParseTheThingsStackUplink(message);
  }
  if (!parsed.ok()) {
    DeadLetter(source, message, parsed.status());
    return parsed.status();
  }
  if (!*parsed) return IngestOutcome{IngestOutcome::Kind::kNotAnUplink, {}, {}};
  Uplink* uplink = &**parsed;
  auto profile = uplink->dev_eui.empty() ? Result<std::optional<DeviceProfile>>(std::nullopt)
                                         : devices_.Get(uplink->dev_eui);
  if (!profile.ok()) return profile.status();
  if (!*profile && source == UplinkSource::kTheThingsStack && IsDeviceId(uplink->device_id)) {
    profile = devices_.Get(uplink->device_id);  // registered under its device id
    if (!profile.ok()) return profile.status();
  }
  if (!*profile) {
    const std::string& named = uplink->dev_eui.empty() ? uplink->device_id : uplink->dev_eui;
    return DeadLetter(source, message, InvalidArgument("unknown device " + named, "devEui"));
  }
  const std::string& key = (*profile)->dev_eui;  // the sightings of redelivery go by it
  const int64_t now = clock_.NowMs();
  if (uplink->time_ms > now + kMaxFutureMs || uplink->time_ms < now - max_past_ms_) {
    return DeadLetter(source, message,
                      InvalidArgument("time " + FormatRfc3339Ms(uplink->time_ms) +
                                          " is too far in the future or the past",
                                      "time"));
  }
  Fields cayenne;
  if ((*profile)->codec == "cayenne") {
    auto decoded = DecodeCayenneLpp(uplink->payload);
    if (!decoded.ok()) return DeadLetter(source, message, decoded.status());
    cayenne = std::move(decoded).value();
  }
  const Fields& fields = (*profile)->codec == "cayenne" ? cayenne : uplink->decoded;
  // A plain reading (number and time) is a time-series point; its origin (device, frame
  // counter, gateways) is in the device registry's uplink log, not on every Observation.
  // Uplinks of plain readings only (the usual kind) take the hot path, without a JSON document
  // per reading; any other the general one. Both store the same.
  std::vector<std::pair<int64_t, const FieldValue*>> mapped;  // Datastream, value
  bool plain = true;
  for (const auto& [name, value] : fields) {
    auto it = (*profile)->datastreams.find(name);
    if (it == (*profile)->datastreams.end()) continue;
    const double* number = std::get_if<double>(&value);
    plain = plain && number && std::isfinite(*number);
    mapped.emplace_back(it->second, &value);
  }
  if (mapped.empty()) {
    return DeadLetter(source, message,
                      InvalidArgument("no decoded field is mapped to a Datastream", "fields"));
  }
  std::vector<std::pair<int64_t, sta::Measurement>> readings;
  std::vector<json::object> observations;
  for (const auto& [datastream, value] : mapped) {
    if (plain) {
      readings.emplace_back(datastream, sta::Measurement{uplink->time_ms, std::get<double>(*value)});
      continue;
    }
    observations.push_back(json::object{
        {"phenomenonTime", FormatRfc3339Ms(uplink->time_ms)},
        {"result", std::visit([](const auto& v) { return json::value(v); }, *value)},
        {"Datastream", json::object{{"@iot.id", datastream}}}});
  }
  std::string gateways = "[";  // as JSON text: this runs once per uplink
  for (const GatewayReception& g : uplink->gateways) {
    if (gateways.size() > 1) gateways += ',';
    gateways += "{\"gateway\":";
    AppendJsonString(g.gateway_id, gateways);
    gateways += ",\"rssi\":";
    AppendJsonNumber(g.rssi, gateways);
    gateways += ",\"snr\":";
    AppendJsonNumber(g.snr, gateways);
    gateways += '}';
  }
  gateways += ']';
  // The sighting and the readings commit together: a crash between them can neither lose the
  // readings of an uplink marked seen nor store them twice.
  const sql::Statement sighting = devices_.Sighting(key, uplink->f_cnt, uplink->time_ms, gateways);
  auto links = plain ? sensorthings_.CreateReadings(readings, base, &sighting, "fCnt")
                     : sensorthings_.CreateObservationGroup(observations, base, nullptr, &sighting, "fCnt");
  if (!links.ok()) {
    if (links.status().code() == ErrorCode::kConflict && links.status().field() == "fCnt") {
      return IngestOutcome{IngestOutcome::Kind::kDuplicate, {}, {}};
    }
    if (links.status().code() == ErrorCode::kInvalidArgument) {
      return DeadLetter(source, message, links.status());  // e.g. a Datastream that is gone
    }
    return links.status();
  }
  return IngestOutcome{IngestOutcome::Kind::kStored, std::move(links).value(), {}};
}

}  // namespace datenwerk::sensors
