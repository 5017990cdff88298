// A city's sensors as a platform receives them: N datastreams (100,000 by default) each reporting
// every 15 minutes at its own phase with a few seconds of jitter, in arrival order, 10,000
// readings per request on one keep-alive connection. A third are fill levels (whole percent,
// rising, emptied now and then), a third battery voltages (whole mV, falling slowly, noisy), a
// third temperatures (two decimals, a random walk); 2 % arrive one to six hours late, so out of
// order. The same readings go to a Datenwerk server (CreateObservations) or to VictoriaMetrics
// (InfluxDB line protocol); bench/vm_compare.sh --city runs both and compares.
// Usage: city_bench --datenwerk HOST:PORT KEY [datastreams] [days]
//        city_bench --victoria HOST:PORT [datastreams] [days]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "bench/http_client.h"
#include "core/dates.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kStart = 1672531200000;  // 2023-01-01T00:00:00Z
constexpr int64_t kSlotMs = 15 * 60'000;
constexpr size_t kPerRequest = 10'000;

struct Reading {
  int ds;  // 1..N
  int64_t time_ms;
  double value;
};

// The sensors' state; Next(slot) gives every reading that arrives during that slot.
class City {
 public:
  explicit City(int streams) : rng_(2026), level_(streams), millivolts_(streams), celsius_(streams), phase_(streams) {
    for (int i = 0; i < streams; ++i) {
      level_[i] = static_cast<double>(rng_() % 80);
      millivolts_[i] = 3600 - static_cast<double>(rng_() % 400);
      celsius_[i] = 5 + static_cast<double>(rng_() % 1500) / 100;
      phase_[i] = static_cast<int64_t>(rng_() % kSlotMs);
    }
  }

  void Next(int64_t slot, std::vector<Reading>& out) {
    out.clear();
    for (size_t i = 0; i < late_.size();) {  // late ones whose hour has come
      if (late_[i].first <= slot) {
        out.push_back(late_[i].second);
        late_[i] = late_.back();
        late_.pop_back();
      } else {
        ++i;
      }
    }
    for (int i = 0; i < static_cast<int>(phase_.size()); ++i) {
      const int64_t jitter = static_cast<int64_t>(rng_() % 10'001) - 5'000;
      const Reading r{i + 1, kStart + slot * kSlotMs + phase_[i] + jitter, Value(i)};
      if (rng_() % 100 < 2) {
        late_.push_back({slot + 4 + static_cast<int64_t>(rng_() % 21), r});  // 1 to 6 hours late
      } else {
        out.push_back(r);
      }
    }
  }

 private:
  double Value(int i) {
    switch (i % 3) {
      case 0:  // fill level in whole percent
        if (level_[i] >= 95 || rng_() % 500 == 0) level_[i] = static_cast<double>(rng_() % 5);
        level_[i] += rng_() % 4 == 0 ? 1 : 0;
        return level_[i];
      case 1:  // battery in whole millivolts
        if (rng_() % 50 == 0) millivolts_[i] -= 1;
        return millivolts_[i] + static_cast<double>(rng_() % 7) - 3;
      default:  // temperature, two decimals
        celsius_[i] += (static_cast<double>(rng_() % 41) - 20) / 100;
        return std::round(celsius_[i] * 100) / 100;
    }
  }

  std::mt19937_64 rng_;
  std::vector<double> level_, millivolts_, celsius_;
  std::vector<int64_t> phase_;
  std::vector<std::pair<int64_t, Reading>> late_;  // arrival slot, reading
};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// Feeds every slot's readings through `send` (a request of up to kPerRequest readings, timed);
// prints the ingest rate under `who`.
template <typename Send>
void Feed(const char* who, int streams, int days, Send&& send) {
  City city(streams);
  std::vector<Reading> slot_readings, batch;
  Clock::duration spent{};
  size_t total = 0;
  auto flush = [&] {
    const auto started = Clock::now();
    send(batch);
    spent += Clock::now() - started;
    total += batch.size();
    batch.clear();
  };
  const int64_t slots = static_cast<int64_t>(days) * 96;
  for (int64_t slot = 0; slot < slots; ++slot) {
    city.Next(slot, slot_readings);
    for (const Reading& r : slot_readings) {
      batch.push_back(r);
      if (batch.size() == kPerRequest) flush();
    }
  }
  if (!batch.empty()) flush();
  std::printf("%s observations %zu\n", who, total);
  std::printf("%s ingest: %.0f observations/s (%.1f s in requests)\n", who, static_cast<double>(total) / Seconds(spent),
              Seconds(spent));
}

void Split(const std::string& endpoint, std::string& host, int& port) {
  host = endpoint.substr(0, endpoint.find(':'));
  port = std::atoi(endpoint.c_str() + endpoint.find(':') + 1);
}

int RunVictoria(const std::string& endpoint, int streams, int days) {
  std::string host, body, lines;
  int port = 0;
  Split(endpoint, host, port);
  bench::HttpClient http(host, port);
  char line[96];
  Feed("victoria", streams, days, [&](const std::vector<Reading>& batch) {
    lines.clear();
    for (const Reading& r : batch) {
      const int n = std::snprintf(line, sizeof line, "m,ds=%d value=%.17g %lld\n", r.ds, r.value,
                                  static_cast<long long>(r.time_ms));
      if (n < 0 || n >= static_cast<int>(sizeof line)) std::abort();
      lines.append(line, static_cast<size_t>(n));
    }
    if (http.Request("POST", "/write?precision=ms", lines, body) != 204) {
      std::fprintf(stderr, "victoria write: %s\n", body.c_str());
      std::exit(1);
    }
  });
  std::string ignored;
  return http.Request("GET", "/internal/force_flush", "", ignored) == 200 ? 0 : 1;
}

int RunDatenwerk(const std::string& endpoint, const std::string& key, int streams, int days) {
  std::string host, body, payload;
  int port = 0;
  Split(endpoint, host, port);
  bench::HttpClient http(host, port);
  const std::string auth = "Authorization: Bearer " + key + "\r\n";
  auto post = [&](const std::string& target, const std::string& data, int expect, const std::string& headers) {
    if (http.Request("POST", target, data, body, headers) != expect) {
      std::fprintf(stderr, "datenwerk %s: %s\n", target.c_str(), body.substr(0, 300).c_str());
      std::exit(1);
    }
  };
  // The Datastreams, a thousand to a Thing (ids 1..N in a fresh database).
  post("/sta/v1.1/Sensors", R"({"name":"s","description":"d","encodingType":"text/html","metadata":"m"})", 201, auth);
  post("/sta/v1.1/ObservedProperties", R"({"name":"p","definition":"d","description":"d"})", 201, auth);
  for (int made = 0; made < streams;) {
    // A Thing's Location is every Observation's feature of interest (the city hall's square).
    std::string thing = R"({"name":"Sensoren","description":"d","Locations":[{"name":"L","description":"d",)"
                        R"("encodingType":"application/geo+json","location":{"type":"Point","coordinates":[7.2163,51.4816]}}],)"
                        R"("Datastreams":[)";
    for (int i = 0; i < 1000 && made < streams; ++i, ++made) {
      if (i) thing += ',';
      thing += R"({"name":"D","description":"d","unitOfMeasurement":{"name":"x"},"observationType":"OM_Measurement",)"
               R"("Sensor":{"@iot.id":1},"ObservedProperty":{"@iot.id":1}})";
    }
    post("/sta/v1.1/Things", thing + "]}", 201, auth);
  }
  const std::string minimal = auth + "Prefer: return=minimal\r\n";
  char row[256];
  Feed("server", streams, days, [&](const std::vector<Reading>& batch) {
    payload = "[";
    for (const Reading& r : batch) {
      const std::string time = datenwerk::FormatRfc3339Ms(r.time_ms);
      const int n = std::snprintf(row, sizeof row,
                                  R"(%s{"Datastream":{"@iot.id":%d},"components":["phenomenonTime","result"],)"
                                  R"("dataArray":[["%s",%.17g]]})",
                                  payload.size() > 1 ? "," : "", r.ds, time.c_str(), r.value);
      if (n < 0 || n >= static_cast<int>(sizeof row)) std::abort();
      payload.append(row, static_cast<size_t>(n));
    }
    payload += ']';
    post("/sta/v1.1/CreateObservations", payload, 204, minimal);
  });
  // Every reading was stored (a refused row would still be answered 204 with return=minimal).
  const int64_t expected = static_cast<int64_t>(days) * 96;
  for (int ds : {1, streams / 2, streams}) {
    if (http.Request("GET", "/sta/v1.1/Datastreams(" + std::to_string(ds) + ")/Observations?$count=true&$top=0", "",
                     body) != 200) {
      std::fprintf(stderr, "datenwerk count: %s\n", body.c_str());
      return 1;
    }
    const int64_t count = std::atoll(body.c_str() + body.find(':') + 1);
    if (count < expected * 9 / 10 || count > expected) {
      std::fprintf(stderr, "datenwerk: Datastream %d holds %lld of about %lld readings\n", ds,
                   static_cast<long long>(count), static_cast<long long>(expected));
      return 1;
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (argc > 3 && mode == "--datenwerk") {
    return RunDatenwerk(argv[2], argv[3], argc > 4 ? std::atoi(argv[4]) : 100'000, argc > 5 ? std::atoi(argv[5]) : 3);
  }
  if (argc > 2 && mode == "--victoria") {
    return RunVictoria(argv[2], argc > 3 ? std::atoi(argv[3]) : 100'000, argc > 4 ? std::atoi(argv[4]) : 3);
  }
  std::fprintf(stderr, "usage: city_bench --datenwerk HOST:PORT KEY [datastreams] [days]\n"
                       "       city_bench --victoria HOST:PORT [datastreams] [days]\n");
  return 2;
}
