#include "simulator/simulation.h"

#include <mosquitto.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "core/dates.h"
#include "core/json_text.h"
#include "core/url.h"
#include "simulator/http_client.h"
#include "simulator/uplinks.h"

namespace datenwerk::simulator {

namespace json = boost::json;

namespace {

// The measure of Bochum's concept a device serves (its "projekt", counted by KPI ZI-NI-K5.2).
const char* ProjectOf(Kind kind) {
  switch (kind) {
    case Kind::kSoil:
    case Kind::kAir: return "Stadtklima-Monitoring (NMU-KK-1)";
    case Kind::kRain: return "heavyRain (NMU-KK-3)";
    case Kind::kLake: return "Überwachung städtischer Gewässer und Seen (NMU-KK-4)";
    case Kind::kContainer: return "Intelligentes Abfallmanagement (IS-SSS-6)";
  }
  return "";
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

std::vector<std::pair<std::string, std::string>> Headers(const std::string& key) {
  return {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + key}};
}

// Sends, and sends again after a growing pause while the server answers 503 (its back-pressure),
// as network servers do with webhooks.
Result<HttpAnswer> SendRetrying(HttpClient& http, const std::string& method, const std::string& target,
                                const std::string& body, const std::string& key,
                                const std::atomic<bool>& stopping) {
  auto answer = http.Send(method, target, body, Headers(key));
  for (int retry = 0, pause_ms = 20; answer.ok() && answer->status == 503 && retry < 40 && !stopping;
       ++retry, pause_ms = std::min(pause_ms * 2, 500)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    answer = http.Send(method, target, body, Headers(key));
  }
  return answer;
}

std::string Target(const Device& d) {
  return d.network == Network::kChirpStack ? "/api/v1/ingest/chirpstack?event=up" : "/api/v1/ingest/tts";
}

std::string Topic(const Device& d) {
  return d.network == Network::kChirpStack
             ? "application/3f0a4b1e-5d6c-4e7f-8a9b-0c1d2e3f4a5b/device/" + d.dev_eui + "/event/up"
             : "v3/datenwerk-simulation@stadt-bochum/devices/" + d.device_id + "/up";
}

}  // namespace

// Publishes to an MQTT broker (QoS 1: the broker keeps what Datenwerk has not taken yet).
class Publisher {
 public:
  explicit Publisher(const std::string& address) {
    mosquitto_lib_init();
    const size_t colon = address.rfind(':');
    host_ = address.substr(0, colon);
    port_ = colon == std::string::npos ? 1883 : std::atoi(address.c_str() + colon + 1);
    mosq_ = mosquitto_new(nullptr, true, this);
    if (mosq_) {
      mosquitto_publish_callback_set(mosq_, [](mosquitto*, void* self, int) {
        auto* me = static_cast<Publisher*>(self);
        std::lock_guard lock(me->mu_);
        ++me->acked_;
        me->cv_.notify_all();
      });
    }
  }
  ~Publisher() {
    if (!mosq_) return;
    Flush();
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, true);
    mosquitto_destroy(mosq_);
  }
  Status Connect() {
    if (!mosq_ || mosquitto_connect(mosq_, host_.c_str(), port_, 30) != MOSQ_ERR_SUCCESS ||
        mosquitto_loop_start(mosq_) != MOSQ_ERR_SUCCESS) {
      return Status(ErrorCode::kUnavailable, "cannot reach the MQTT broker " + host_, "mqtt");
    }
    return Status::Ok();
  }
  // QoS 1; waits while 10,000 messages are not yet acknowledged, so memory stays bounded.
  bool Publish(const std::string& topic, const std::string& payload) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(30), [this] { return sent_ - acked_ < 10'000; });
    if (mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                          payload.data(), 1, false) != MOSQ_ERR_SUCCESS) {
      return false;
    }
    ++sent_;
    return true;
  }
  // Waits (at most 60 s) until the broker has acknowledged everything sent.
  void Flush() {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(60), [this] { return acked_ >= sent_; });
  }

 private:
  std::string host_;
  int port_ = 1883;
  mosquitto* mosq_ = nullptr;  // owned
  std::mutex mu_;
  std::condition_variable cv_;
  int64_t sent_ = 0, acked_ = 0;  // under mu_
};

Simulation::~Simulation() = default;

Simulation::Simulation(Fleet fleet, SimulateOptions options)
    : fleet_(std::move(fleet)), options_(std::move(options)), world_(options_.seed) {
  for (const Device& d : fleet_.devices) {
    DeviceState state;
    state.soil = Soil(d.depth_cm, 24 + 10 * world_.Chance(d.index, 40));
    states_.push_back(state);
  }
  stats_.devices = static_cast<int64_t>(fleet_.devices.size());
}

Status Simulation::Setup() {
  // Devices in parallel over the connections (a fleet of 10,000 for a benchmark).
  const size_t workers = static_cast<size_t>(std::max(1, options_.connections));
  std::vector<Status> results(workers);
  std::vector<std::thread> threads;
  for (size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] { results[w] = SetupRange(w, workers); });
  }
  for (auto& t : threads) t.join();
  for (const Status& s : results) {
    if (!s.ok()) return s;
  }
  // One publisher for all sending threads, made once the setup threads are done (each of them
  // used to make its own and replace the others', losing what they had queued).
  if (!options_.mqtt.empty()) {
    publisher_ = std::make_unique<Publisher>(options_.mqtt);
    if (Status s = publisher_->Connect(); !s.ok()) return s;
  }
  return Status::Ok();
}

Status Simulation::SetupRange(size_t first, size_t step) {
  auto client = HttpClient::Open(options_.url);
  if (!client.ok()) return client.status();
  HttpClient& http = **client;
  for (size_t i = first; i < fleet_.devices.size(); i += step) {
    const Device& d = fleet_.devices[i];
    const std::string key = "sim:" + d.dev_eui;
    // The device's Thing with its Datastreams, by its importKey.
    const auto find = [&]() -> Result<json::array> {
      auto found = http.Send("GET", "/sta/v1.1/Things?$select=id&$expand=Datastreams($select=id,properties)&$filter=" +
                                        PercentEncode("properties/importKey eq '" + key + "'"),
                             "", Headers(options_.key));
      if (!found.ok()) return found.status();
      if (found->status != 200) return Internal("finding " + d.name + ": HTTP " + std::to_string(found->status));
      return json::parse(found->body).at("value").as_array();
    };
    auto existing = find();
    if (!existing.ok()) return existing.status();
    std::map<std::string, int64_t> datastreams;  // field -> id
    if (existing->empty()) {
      json::array streams;
      for (const Field& f : d.fields) {
        json::object properties{{"groesse", f.quantity}, {"feld", f.name}, {"simuliert", true}};
        if (f.threshold) properties["schwellwert"] = *f.threshold;
        streams.push_back({{"name", f.label + " – " + d.name},
                           {"description", f.label + " (simuliert)"},
                           {"observationType", "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"},
                           {"unitOfMeasurement", {{"name", f.unit_name}, {"symbol", f.unit_symbol},
                                                  {"definition", "ucum:" + f.unit_code}}},
                           {"properties", std::move(properties)},
                           {"Sensor", {{"name", d.kind_label + " (simuliert)"}, {"description", "Simuliertes Gerät"},
                                       {"encodingType", "text/html"}, {"metadata", ""}}},
                           {"ObservedProperty", {{"name", f.label}, {"definition", "urn:datenwerk:property:" + f.quantity},
                                                 {"description", f.label}}}});
      }
      json::object properties{{"importKey", key}, {"art", d.kind_label}, {"standort", d.site},
                              {"simuliert", true}, {"lage", d.position_note}, {"devEui", d.dev_eui},
                              {"geraeteId", d.device_id}, {"quelle", "Datenwerk-Simulation"}};
      if (d.depth_cm > 0) properties["tiefeCm"] = d.depth_cm;
      properties["projekt"] = ProjectOf(d.kind);
      json::object thing{{"name", d.name + " (simuliert)"},
                         {"description", d.kind_label + ", simuliert. " + d.position_note + "."},
                         {"properties", std::move(properties)},
                         {"Locations", json::array{{{"name", d.name}, {"description", d.position_note},
                                                    {"encodingType", "application/geo+json"},
                                                    {"location", {{"type", "Point"}, {"coordinates", json::array{d.lon, d.lat}}}}}}},
                         {"Datastreams", std::move(streams)}};
      auto made = SendRetrying(http, "POST", "/sta/v1.1/Things", ToJsonText(thing), options_.key, stopping_);
      if (!made.ok()) return made.status();
      if (made->status != 201) return Internal("creating " + d.name + ": HTTP " + std::to_string(made->status) + " " + made->body);
      existing = find();
      if (!existing.ok()) return existing.status();
      if (existing->empty()) return Internal("the Thing of " + d.name + " is not found after its creation");
    }
    for (const json::value& ds : existing->front().at("Datastreams").as_array()) {
      const json::object& props = ds.at("properties").as_object();
      if (props.contains("feld")) datastreams[std::string(props.at("feld").as_string())] = ds.at("@iot.id").as_int64();
    }
    json::object fields;
    for (const auto& [name, id] : datastreams) fields[name] = id;
    json::object profile{{"name", d.name}, {"codec", d.cayenne ? "cayenne" : "object"}, {"fields", std::move(fields)}};
    auto put = SendRetrying(http, "PUT", "/api/v1/devices/" + d.dev_eui, ToJsonText(profile), options_.key, stopping_);
    if (!put.ok()) return put.status();
    if (put->status != 200) return Internal("device profile of " + d.name + ": HTTP " + std::to_string(put->status) + " " + put->body);
  }
  return Status::Ok();
}

Status Simulation::SendRange(size_t first, size_t step, int64_t from, int64_t to) {
  std::unique_ptr<HttpClient> http;
  if (!publisher_) {
    auto client = HttpClient::Open(options_.url);
    if (!client.ok()) return client.status();
    http = std::move(client).value();
  }
  for (size_t i = first; i < fleet_.devices.size() && !stopping_; i += step) {
    const Device& d = fleet_.devices[i];
    DeviceState& state = states_[i];
    if (state.installed_ms == 0) state.installed_ms = from;
    const int64_t interval = d.interval_s * 1000LL;
    // Uplinks on the device's own grid, offset per device so they do not all come at once.
    const int64_t offset = static_cast<int64_t>(world_.Chance(d.index, 41) * static_cast<double>(interval)) / 1000 * 1000;
    for (int64_t t = ((from - offset) / interval + 1) * interval + offset; t <= to && !stopping_; t += interval) {
      auto readings = ReadingsAt(world_, d, state, t);  // the soil dries even while offline
      if (world_.Offline(d.index, t)) continue;
      const std::string message = UplinkMessage(world_, fleet_, d, ++state.f_cnt, t, readings);
      bool ok = false;
      if (publisher_) {
        ok = publisher_->Publish(Topic(d), message);
      } else {
        auto answer = SendRetrying(*http, "POST", Target(d), message, options_.key, stopping_);
        if (!answer.ok()) return answer.status();
        ok = answer->status >= 200 && answer->status < 300;
        if (!ok && refused_ < 5) spdlog::warn("uplink of {} refused: {} {}", d.name, answer->status, answer->body);
      }
      ++uplinks_;
      if (!ok) ++refused_;
    }
  }
  return Status::Ok();
}

Status Simulation::Backfill(int64_t from, int64_t to) {
  const auto started = std::chrono::steady_clock::now();
  const size_t workers = static_cast<size_t>(std::max(1, options_.connections));
  std::vector<Status> results(workers);
  std::vector<std::thread> threads;
  for (size_t w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] { results[w] = SendRange(w, workers, from, to); });
  }
  for (auto& t : threads) t.join();
  if (publisher_) publisher_->Flush();
  stats_.uplinks = uplinks_;
  stats_.refused = refused_;
  stats_.backfill_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const Status& s : results) {
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status Simulation::Live() {
  int64_t last = NowMs();
  while (!stopping_) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    const int64_t now = NowMs();
    if (Status s = SendRange(0, 1, last, now); !s.ok()) spdlog::warn("simulate: {}", s.message());
    last = now;
    stats_.uplinks = uplinks_;
    stats_.refused = refused_;
  }
  return Status::Ok();
}

}  // namespace datenwerk::simulator
