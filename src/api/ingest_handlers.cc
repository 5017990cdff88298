#include "api/ingest.h"
#include "api/json_body.h"
#include "api/json_codec.h"
#include "api/request_helpers.h"
#include "core/dates.h"
#include "core/json_input.h"
#include "core/json_text.h"

namespace datenwerk::api {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

json::object ProfileJson(const sensors::DeviceProfile& p) {
  json::object fields;
  for (const auto& [name, ds] : p.datastreams) fields[name] = ds;
  return {{sensors::IsDevEui(p.dev_eui) ? "devEui" : "deviceId", p.dev_eui}, {"name", p.name},
          {"codec", p.codec}, {"fields", std::move(fields)}};
}

Response Ingest(sensors::UplinkIngestor& ingestor, sensors::UplinkSource source,
                const Request& r, WriteGate& gate) {
  if (auto s = CheckJsonMediaType(r, /*required=*/false); !s.ok()) return http::ErrorResponse(s);
  auto ticket = gate.Enter(r.body.size());
  if (!ticket) return WriteGate::Busy();
  auto outcome = ingestor.Ingest(source, r.body, SensorThingsBaseUrl(r));
  if (!outcome.ok()) return http::ErrorResponse(outcome.status());
  switch (outcome->kind) {
    case sensors::IngestOutcome::Kind::kStored: {  // written as text: once per uplink
      Response stored;
      stored.status = 201;
      stored.content_type = "application/json; charset=utf-8";
      stored.body = R"({"status":"stored","observations":[)";
      for (const std::string& link : outcome->observations) {
        if (stored.body.back() != '[') stored.body += ',';
        AppendJsonString(link, stored.body);
      }
      stored.body += "]}";
      return stored;
    }
    case sensors::IngestOutcome::Kind::kDuplicate:
      return JsonResponse(json::object{{"status", "duplicate"}});
    case sensors::IngestOutcome::Kind::kNotAnUplink: {
      // 2xx: a network server counts every other answer as a failed delivery.
      Response ignored;
      ignored.status = 204;
      ignored.content_type.clear();
      return ignored;
    }
    case sensors::IngestOutcome::Kind::kDeadLetter: break;
  }
  // Accepted, so the network server does not send it again; visible in the dead-letter list.
  return JsonResponse(json::object{{"status", "dead_letter"},
                                   {"reason", outcome->reason.message()},
                                   {"field", outcome->reason.field()}},
                      202);
}

// The device the path's {eui} names (a DevEUI, stored in upper case, or a device id);
// kNotFound if none.
Result<sensors::DeviceProfile> ExistingDevice(sensors::DeviceRegistry& devices, const Request& r) {
  std::string eui = r.Param("eui");
  if (sensors::IsDevEui(eui)) {
    for (char& c : eui) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  auto p = devices.Get(eui);
  if (!p.ok()) return p.status();
  if (!*p) return NotFound("no device " + eui, "devEui");
  return **p;
}

}  // namespace

void RegisterIngestRoutes(http::Router& router, sensors::UplinkIngestor& ingestor,
                          sensors::DeviceRegistry& devices, CatalogueService& keys,
                          WriteGate& gate) {
  router.Add("POST", "/api/v1/ingest/chirpstack", WithKey(keys, Role::kEditor, [&ingestor, &gate](const Request& r) {
    const std::string& event = r.Query("event");
    if (!event.empty() && event != "up") {
      Response ignored;  // join, status, ack, ... events carry no readings
      ignored.status = 204;
      ignored.content_type.clear();
      return ignored;
    }
    return Ingest(ingestor, sensors::UplinkSource::kChirpStack, r, gate);
  }));
  router.Add("POST", "/api/v1/ingest/tts", WithKey(keys, Role::kEditor, [&ingestor, &gate](const Request& r) {
    return Ingest(ingestor, sensors::UplinkSource::kTheThingsStack, r, gate);
  }));
  router.Add("GET", "/api/v1/ingest/dead-letters", WithKey(keys, Role::kViewer, [&devices](const Request& r) {
    auto letters = devices.DeadLetters(r.Query("limit").empty() ? 100 : 1000);
    if (!letters.ok()) return http::ErrorResponse(letters.status());
    json::array items;
    for (const auto& d : *letters) {
      items.push_back(json::object{{"id", d.id}, {"received_at", d.received_at}, {"source", d.source},
                                   {"reason", d.reason}, {"field", d.field}, {"payload", d.payload}});
    }
    return JsonResponse(json::object{{"items", std::move(items)}});
  }));
  router.Add("GET", "/api/v1/devices", WithKey(keys, Role::kViewer, [&devices](const Request&) {
    auto list = devices.List();
    if (!list.ok()) return http::ErrorResponse(list.status());
    json::array items;
    for (const auto& p : *list) items.push_back(ProfileJson(p));
    return JsonResponse(json::object{{"items", std::move(items)}});
  }));
  router.Add("GET", "/api/v1/devices/{eui}", WithKey(keys, Role::kViewer, [&devices](const Request& r) {
    auto p = ExistingDevice(devices, r);
    if (!p.ok()) return http::ErrorResponse(p.status());
    return JsonResponse(ProfileJson(*p));
  }));
  router.Add("GET", "/api/v1/devices/{eui}/uplinks", WithKey(keys, Role::kViewer, [&devices](const Request& r) {
    auto p = ExistingDevice(devices, r);
    if (!p.ok()) return http::ErrorResponse(p.status());
    auto uplinks = devices.Uplinks(p->dev_eui, 100);
    if (!uplinks.ok()) return http::ErrorResponse(uplinks.status());
    json::array items;
    for (const auto& u : *uplinks) {
      auto gateways = ParseJsonInput(u.gateways);
      items.push_back({{"fCnt", u.f_cnt}, {"time", FormatRfc3339Ms(u.time_ms)},
                       {"gateways", gateways.ok() ? std::move(*gateways) : json::value(json::array())}});
    }
    return JsonResponse(json::object{{"items", std::move(items)}});
  }));
  router.Add("PUT", "/api/v1/devices/{eui}", WithKey(keys, Role::kAdministrator, [&devices](const Request& r) {
    auto body = ParseObject(r.body, {"name", "codec", "fields"});
    if (!body.ok()) return http::ErrorResponse(body.status());
    sensors::DeviceProfile p;
    p.dev_eui = r.Param("eui");
    for (Status s : {ReadString(*body, "name", "", p.name), ReadString(*body, "codec", "", p.codec)}) {
      if (!s.ok()) return http::ErrorResponse(s);
    }
    const json::value* fields = body->if_contains("fields");
    if (!fields || !fields->is_object()) {
      return http::ErrorResponse(InvalidArgument("must be an object of field: Datastream id", "fields"));
    }
    for (const auto& f : fields->as_object()) {
      auto id = EntityId(f.value(), "fields." + std::string(f.key()));
      if (!id.ok()) return http::ErrorResponse(id.status());
      p.datastreams[std::string(f.key())] = *id;
    }
    if (auto s = sensors::ValidateDeviceProfile(p); !s.ok()) return http::ErrorResponse(s);
    if (auto s = devices.Put(p); !s.ok()) return http::ErrorResponse(s);
    return JsonResponse(ProfileJson(p));
  }));
  router.Add("DELETE", "/api/v1/devices/{eui}", WithKey(keys, Role::kAdministrator, [&devices](const Request& r) {
    auto p = ExistingDevice(devices, r);
    if (!p.ok()) return http::ErrorResponse(p.status());
    if (auto s = devices.Remove(p->dev_eui); !s.ok()) return http::ErrorResponse(s);
    Response gone;
    gone.status = 204;
    gone.content_type.clear();
    return gone;
  }));
}

}  // namespace datenwerk::api
