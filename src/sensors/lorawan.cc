#include "sensors/lorawan.h"

#include <simdjson.h>

#include <cctype>

#include "core/dates.h"

namespace datenwerk::sensors {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

// One parser per thread: simdjson parsers are reusable but not thread-safe.
simdjson::dom::parser& Parser() {
  thread_local simdjson::dom::parser parser;
  return parser;
}

Result<object> ParseObject(std::string_view json) {
  element doc;
  if (auto error = Parser().parse(json.data(), json.size()).get(doc); error) {
    return InvalidArgument(std::string("malformed JSON: ") + simdjson::error_message(error), "body");
  }
  object o;
  if (doc.get_object().get(o)) return InvalidArgument("must be a JSON object", "body");
  return o;
}

// A member that may be absent (then `found` stays false); wrong types are errors.
Status OptionalString(const object& o, std::string_view key, std::string_view path,
                      std::string& out) {
  element e;
  if (o.at_key(key).get(e)) return Status::Ok();
  std::string_view s;
  if (e.get_string().get(s)) return InvalidArgument("must be a string", std::string(path));
  out = std::string(s);
  return Status::Ok();
}

Status OptionalCount(const object& o, std::string_view key, std::string_view path,
                     uint32_t& out) {
  element e;
  if (o.at_key(key).get(e)) return Status::Ok();  // omitted zero
  uint64_t v = 0;
  if (e.get_uint64().get(v) || v > 0xFFFFFFFFu) {
    return InvalidArgument("must be a whole number from 0 to 4294967295", std::string(path));
  }
  out = static_cast<uint32_t>(v);
  return Status::Ok();
}

Result<object> RequiredObject(const object& o, std::string_view key, std::string_view path) {
  element e;
  if (o.at_key(key).get(e)) return InvalidArgument("is required", std::string(path));
  object inner;
  if (e.get_object().get(inner)) return InvalidArgument("must be an object", std::string(path));
  return inner;
}

void Flatten(const element& e, const std::string& path, Fields& out) {
  switch (e.type()) {
    case element_type::OBJECT:
      for (auto [key, value] : object(e)) {
        Flatten(value, path.empty() ? std::string(key) : path + "." + std::string(key), out);
      }
      break;
    case element_type::INT64: out.emplace_back(path, static_cast<double>(int64_t(e))); break;
    case element_type::UINT64: out.emplace_back(path, static_cast<double>(uint64_t(e))); break;
    case element_type::DOUBLE: out.emplace_back(path, double(e)); break;
    case element_type::BOOL: out.emplace_back(path, bool(e)); break;
    case element_type::STRING: out.emplace_back(path, std::string(std::string_view(e))); break;
    default: break;  // arrays and null carry no reading
  }
}

Status DecodedObject(const object& o, std::string_view key, Uplink& up) {
  element e;
  if (o.at_key(key).get(e)) return Status::Ok();
  if (e.type() != element_type::OBJECT) return Status::Ok();
  up.has_decoded = true;
  Flatten(e, "", up.decoded);
  return Status::Ok();
}

Status Payload(const object& o, std::string_view key, std::string_view path, Uplink& up) {
  std::string text;
  if (auto s = OptionalString(o, key, path, text); !s.ok()) return s;
  auto bytes = DecodeBase64(text);
  if (!bytes) return InvalidArgument("must be base64", std::string(path));
  up.payload = std::move(*bytes);
  return Status::Ok();
}

Status Time(const object& o, std::string_view key, std::string_view path, int64_t& out,
            bool required) {
  std::string text;
  if (auto s = OptionalString(o, key, path, text); !s.ok()) return s;
  if (text.empty()) {
    return required ? InvalidArgument("is required", std::string(path)) : Status::Ok();
  }
  // Go's zero time, which The Things Stack writes for "not set" (year 1 is valid RFC 3339).
  if (text.starts_with("0001-01-01T00:00:00")) {
    return required ? InvalidArgument("is required (0001-01-01 means not set)", std::string(path))
                    : Status::Ok();
  }
  auto ms = ParseRfc3339Ms(text);
  if (!ms) return InvalidArgument("must be an RFC 3339 timestamp", std::string(path));
  out = *ms;
  return Status::Ok();
}

// The gateways of ChirpStack's rxInfo ("gatewayId") or The Things Stack's rx_metadata
// ("gateway_ids": {"gateway_id", "eui"}); entries without an id are skipped, at most 16 kept.
void Receptions(const object& o, std::string_view key, Uplink& up) {
  element list;
  if (o.at_key(key).get(list) || list.type() != element_type::ARRAY) return;
  for (element entry : simdjson::dom::array(list)) {
    if (up.gateways.size() == 16 || entry.type() != element_type::OBJECT) continue;
    object rx(entry);
    GatewayReception r;
    std::string_view id;
    element ids;
    if (!rx.at_key("gatewayId").get(id)) {
      r.gateway_id = std::string(id);
    } else if (!rx.at_key("gateway_ids").get(ids) && ids.type() == element_type::OBJECT) {
      if (!object(ids).at_key("gateway_id").get(id) || !object(ids).at_key("eui").get(id)) r.gateway_id = std::string(id);
    }
    if (r.gateway_id.empty() || r.gateway_id.size() > 64) continue;
    double v = 0;
    if (!rx.at_key("rssi").get(v)) r.rssi = v;
    if (!rx.at_key("snr").get(v)) r.snr = v;
    up.gateways.push_back(std::move(r));
  }
}

Status NormaliseEui(std::string& eui, std::string_view path) {
  if (eui.size() != 16) return InvalidArgument("must be 16 hexadecimal digits", std::string(path));
  for (char& c : eui) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return InvalidArgument("must be 16 hexadecimal digits", std::string(path));
    }
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return Status::Ok();
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

Result<Uplink> ParseChirpStackUplink(std::string_view json) {
  auto root = ParseObject(json);
  if (!root.ok()) return root.status();
  auto info = RequiredObject(*root, "deviceInfo", "deviceInfo");
  if (!info.ok()) return info.status();
  Uplink up;
  for (Status s : {OptionalString(*info, "devEui", "deviceInfo.devEui", up.dev_eui),
                   OptionalString(*info, "deviceName", "deviceInfo.deviceName", up.device_id),
                   OptionalString(*info, "applicationId", "deviceInfo.applicationId",
                                  up.application_id),
                   OptionalCount(*root, "fCnt", "fCnt", up.f_cnt),
                   OptionalCount(*root, "fPort", "fPort", up.f_port),
                   Payload(*root, "data", "data", up),
                   Time(*root, "time", "time", up.time_ms, /*required=*/true),
                   DecodedObject(*root, "object", up)}) {
    if (!s.ok()) return s;
  }
  if (auto s = NormaliseEui(up.dev_eui, "deviceInfo.devEui"); !s.ok()) return s;
  Receptions(*root, "rxInfo", up);
  return up;
}

Result<std::optional<Uplink>> ParseTheThingsStackUplink(std::string_view json) {
  auto root = ParseObject(json);
  if (!root.ok()) return root.status();
  auto ids = RequiredObject(*root, "end_device_ids", "end_device_ids");
  if (!ids.ok()) return ids.status();
  element uplink_member;
  if (root->at_key("uplink_message").get(uplink_member)) return std::optional<Uplink>();
  auto message = RequiredObject(*root, "uplink_message", "uplink_message");
  if (!message.ok()) return message.status();
  Uplink up;
  for (Status s : {OptionalString(*ids, "dev_eui", "end_device_ids.dev_eui", up.dev_eui),
                   OptionalString(*ids, "device_id", "end_device_ids.device_id", up.device_id),
                   OptionalCount(*message, "f_cnt", "uplink_message.f_cnt", up.f_cnt),
                   OptionalCount(*message, "f_port", "uplink_message.f_port", up.f_port),
                   Payload(*message, "frm_payload", "uplink_message.frm_payload", up),
                   Time(*root, "received_at", "received_at", up.time_ms, /*required=*/false),
                   Time(*message, "received_at", "uplink_message.received_at", up.time_ms,
                        /*required=*/false),
                   DecodedObject(*message, "decoded_payload", up)}) {
    if (!s.ok()) return s;
  }
  element app;
  if (!ids->at_key("application_ids").get(app) && app.type() == element_type::OBJECT) {
    if (auto s = OptionalString(object(app), "application_id",
                                "end_device_ids.application_ids.application_id",
                                up.application_id);
        !s.ok()) {
      return s;
    }
  }
  if (up.time_ms == 0) return InvalidArgument("is required", "uplink_message.received_at");
  Receptions(*message, "rx_metadata", up);
  if (up.dev_eui.empty()) {  // allowed by The Things Stack: the device id names the device
    if (up.device_id.empty()) return InvalidArgument("is required without a dev_eui", "end_device_ids.device_id");
    return std::optional<Uplink>(std::move(up));
  }
  if (auto s = NormaliseEui(up.dev_eui, "end_device_ids.dev_eui"); !s.ok()) return s;
  return std::optional<Uplink>(std::move(up));
}

}  // namespace datenwerk::sensors
