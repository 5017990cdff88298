// Ingest rate, bytes on disk and query latency of the observation store, on synthetic sensor
// data: N datastreams of one-minute readings (a random walk at 0.01 resolution, like a
// thermometer) over D days. Prints figures; bench/influx_compare.sh runs the same workload
// against InfluxDB for the ratios.
// Usage: observation_bench [datastreams=100] [days=365] [dir=/tmp]
//        observation_bench --influx HOST:PORT [datastreams] [days]   (the same data, to InfluxDB)
//        observation_bench --victoria HOST:PORT [datastreams] [days]   (the same, to VictoriaMetrics)
//        observation_bench --datenwerk HOST:PORT KEY [datastreams] [days]   (to a Datenwerk server)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "bench/http_client.h"
#include "core/dates.h"
#include "series/observation_store.h"

using namespace datenwerk::series;
using bench::HttpClient;
using bench::UrlEncode;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t kStart = 1672531200000;  // 2023-01-01T00:00:00Z, as in influx_compare.sh

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}


// Latencies of `query` (called with a Datastream number, 1..streams), printed as p50 and p99.
template <typename Query>
void TimeQueries(const char* who, const char* what, int streams, Query&& query) {
  std::vector<double> ms;
  for (int ds = 1; ds <= streams; ++ds) {
    auto started = Clock::now();
    query(ds);
    ms.push_back(Seconds(Clock::now() - started) * 1000);
  }
  std::printf("%s %s: p50 %.2f ms, p99 %.2f ms\n", who, what, Percentile(ms, 0.5), Percentile(ms, 0.99));
}

// The same generator as bench/influx_compare.mjs: value(ds, i) = round(walk * 100) / 100.
struct Walk {
  explicit Walk(int ds) : rng(static_cast<uint64_t>(ds) * 7919 + 1), value(10 + ds % 20) {}
  double Next() {
    value += (static_cast<double>(rng() % 2001) - 1000.0) / 10000.0;
    return std::round(value * 100) / 100;
  }
  std::mt19937_64 rng;
  double value;
};


// The workload as InfluxDB line protocol ("m,ds=N value=V T", milliseconds), POSTed to `target`
// 10,000 lines a request (InfluxDB recommends batches of 5,000-10,000); the time spent in
// requests. Exits when an answer is not 204.
Clock::duration WriteLineProtocol(HttpClient& http, const std::string& target, const char* who, int streams,
                                  int days, size_t& total) {
  std::vector<Walk> walks;
  for (int ds = 0; ds < streams; ++ds) walks.emplace_back(ds);
  Clock::duration ingest{};
  std::string lines, body;
  auto flush = [&] {
    auto started = Clock::now();
    int status = http.Request("POST", target, lines, body);
    ingest += Clock::now() - started;
    if (status != 204) {
      std::fprintf(stderr, "%s write: %d %s\n", who, status, body.c_str());
      std::exit(1);
    }
    lines.clear();
  };
  char line[128];
  for (int day = 0; day < days; ++day) {
    for (int ds = 0; ds < streams; ++ds) {
      for (int m = 0; m < 1440; ++m) {
        const int64_t t = kStart + (static_cast<int64_t>(day) * 1440 + m) * 60'000;
        int n = std::snprintf(line, sizeof line, "m,ds=%d value=%.17g %lld\n", ds + 1, walks[ds].Next(),
                              static_cast<long long>(t));
        lines.append(line, static_cast<size_t>(n));
        if (++total % 10'000 == 0) flush();
      }
    }
  }
  if (!lines.empty()) flush();
  return ingest;
}

int RunInflux(const std::string& endpoint, int streams, int days) {
  const std::string host = endpoint.substr(0, endpoint.find(':'));
  const int port = std::atoi(endpoint.c_str() + endpoint.find(':') + 1);
  HttpClient http(host, port);
  std::string body;
  http.Request("POST", "/query?q=CREATE+DATABASE+bench", "", body);
  size_t total = 0;
  const Clock::duration ingest = WriteLineProtocol(http, "/write?db=bench&precision=ms", "influx", streams, days, total);
  std::vector<double> query_ms;
  const int64_t end = kStart + static_cast<int64_t>(days) * 86'400'000;
  for (int ds = 1; ds <= streams; ++ds) {
    std::string q = "/query?db=bench&epoch=ms&q=SELECT+mean(value)+FROM+m+WHERE+ds%3D%27" +
                    std::to_string(ds) + "%27+AND+time+%3E%3D+" + std::to_string(kStart) +
                    "ms+AND+time+%3C+" + std::to_string(end) + "ms+GROUP+BY+time(1h)";
    auto started = Clock::now();
    int status = http.Request("GET", q, "", body);
    query_ms.push_back(Seconds(Clock::now() - started) * 1000);
    if (status != 200) {
      std::fprintf(stderr, "influx query: %d %s\n", status, body.c_str());
      return 1;
    }
  }
  std::printf("influx observations %zu\n", total);
  std::printf("influx ingest: %.0f observations/s (%.1f s in writes)\n",
              static_cast<double>(total) / Seconds(ingest), Seconds(ingest));
  std::printf("influx hourly average over the period: p50 %.2f ms, p99 %.2f ms per datastream\n",
              Percentile(query_ms, 0.5), Percentile(query_ms, 0.99));
  return 0;
}

// The same data to VictoriaMetrics as InfluxDB gets it (its InfluxDB line-protocol endpoint,
// 10,000 lines per request, one keep-alive connection), then the same queries in MetricsQL:
// avg_over_time over 1h windows at step 1h per Datastream, for all at once, and over 1m windows
// at step 1m for the last 24 hours. VictoriaMetrics answers writes before they reach the disk.
int RunVictoria(const std::string& endpoint, int streams, int days) {
  const std::string host = endpoint.substr(0, endpoint.find(':'));
  const int port = std::atoi(endpoint.c_str() + endpoint.find(':') + 1);
  HttpClient http(host, port);
  std::string body;
  size_t total = 0;
  const Clock::duration ingest = WriteLineProtocol(http, "/write?precision=ms", "victoria", streams, days, total);
  // Makes what it buffers searchable (its writes are acknowledged before that).
  if (http.Request("GET", "/internal/force_flush", "", body) != 200) {
    std::fprintf(stderr, "victoria force_flush failed\n");
    return 1;
  }
  const int64_t start_s = kStart / 1000;
  const int64_t end_s = start_s + static_cast<int64_t>(days) * 86'400 - 3'600;  // the last hour's start
  size_t answered = 0;
  auto query = [&](const std::string& promql, int64_t from, int64_t to, int step) {
    const std::string target = "/api/v1/query_range?query=" + UrlEncode(promql) + "&start=" + std::to_string(from) +
                               "&end=" + std::to_string(to) + "&step=" + std::to_string(step);
    if (http.Request("GET", target, "", body) != 200 || body.find("\"values\"") == std::string::npos) {
      std::fprintf(stderr, "victoria query %s: %s\n", promql.c_str(), body.substr(0, 300).c_str());
      std::exit(1);
    }
    answered += body.size();
  };
  std::printf("victoria observations %zu\n", total);
  std::printf("victoria ingest: %.0f observations/s (%.1f s in writes)\n",
              static_cast<double>(total) / Seconds(ingest), Seconds(ingest));
  TimeQueries("victoria", "hourly", streams, [&](int ds) {
    query("avg_over_time(m_value{ds=\"" + std::to_string(ds) + "\"}[1h])", start_s, end_s, 3600);
  });
  TimeQueries("victoria", "hourly-all", 10, [&](int) { query("avg_over_time(m_value[1h])", start_s, end_s, 3600); });
  const int64_t last_minute = start_s + static_cast<int64_t>(days) * 86'400 - 60;
  TimeQueries("victoria", "day-1m", streams, [&](int ds) {
    query("avg_over_time(m_value{ds=\"" + std::to_string(ds) + "\"}[1m])", last_minute - 86'400 + 60, last_minute,
          60);
  });
  std::printf("victoria answers: %zu bytes\n", answered);
  return 0;
}

// The same data through the Datenwerk server, as InfluxDB gets it: one keep-alive connection,
// 10,000 observations per request (CreateObservations with a dataArray per Datastream), the
// clock running only while requests are in flight; then the hourly averages per Datastream
// through the aggregate extension (avg only, as InfluxDB's mean). The Datastreams are made first.
int RunDatenwerk(const std::string& endpoint, const std::string& key, int streams, int days) {
  const std::string host = endpoint.substr(0, endpoint.find(':'));
  const int port = std::atoi(endpoint.c_str() + endpoint.find(':') + 1);
  HttpClient http(host, port);
  std::string body;
  // Like InfluxDB's write answer (204, no body): "Prefer: return=minimal" for the bulk writes.
  const std::string auth = "Authorization: Bearer " + key + "\r\n";
  const std::string minimal = auth + "Prefer: return=minimal\r\n";
  auto post = [&](const std::string& target, const std::string& payload) {
    const bool bulk = target.ends_with("/CreateObservations");
    int status = http.Request("POST", target, payload, body, bulk ? minimal : auth);
    if (status != (bulk ? 204 : 201)) {
      std::fprintf(stderr, "datenwerk %s: %d %s\n", target.c_str(), status, body.substr(0, 300).c_str());
      std::exit(1);
    }
  };
  post("/sta/v1.1/Sensors", R"({"name":"s","description":"d","encodingType":"text/html","metadata":"m"})");
  post("/sta/v1.1/ObservedProperties", R"({"name":"p","definition":"d","description":"d"})");
  for (int ds = 1; ds <= streams; ++ds) {
    post("/sta/v1.1/Things",
         R"({"name":"T","description":"d","Locations":[{"name":"L","description":"d","encodingType":"application/geo+json","location":{"type":"Point","coordinates":[7.2,51.5]}}],"Datastreams":[{"name":"D","description":"d","unitOfMeasurement":{"name":"Grad"},"observationType":"OM_Measurement","Sensor":{"@iot.id":1},"ObservedProperty":{"@iot.id":1}}]})");
  }
  std::vector<Walk> walks;
  for (int ds = 0; ds < streams; ++ds) walks.emplace_back(ds);
  Clock::duration ingest{};
  size_t total = 0, in_request = 0;
  std::string payload;
  int open_ds = 0;
  auto close_group = [&] {
    if (open_ds) payload += "]}";
    open_ds = 0;
  };
  auto flush = [&] {
    close_group();
    payload += ']';
    auto started = Clock::now();
    post("/sta/v1.1/CreateObservations", payload);
    ingest += Clock::now() - started;
    payload.clear();
    in_request = 0;
  };
  char row[96];
  for (int day = 0; day < days; ++day) {
    for (int ds = 0; ds < streams; ++ds) {
      for (int m = 0; m < 1440; ++m) {
        const int64_t t = kStart + (static_cast<int64_t>(day) * 1440 + m) * 60'000;
        if (payload.empty()) payload = "[";
        if (open_ds != ds + 1) {
          close_group();
          if (payload.size() > 1) payload += ',';
          payload += R"({"Datastream":{"@iot.id":)" + std::to_string(ds + 1) +
                     R"(},"components":["phenomenonTime","result"],"dataArray":[)";
          open_ds = ds + 1;
        } else {
          payload += ',';
        }
        const std::string time = datenwerk::FormatRfc3339Ms(t);
        int n = std::snprintf(row, sizeof row, "[\"%s\",%.17g]", time.c_str(), walks[ds].Next());
        payload.append(row, static_cast<size_t>(n));
        ++total;
        if (++in_request == 10'000) flush();
      }
      close_group();
    }
  }
  if (in_request) flush();
  std::vector<double> query_ms;
  const std::string from = datenwerk::FormatRfc3339Ms(kStart);
  const std::string to = datenwerk::FormatRfc3339Ms(kStart + static_cast<int64_t>(days) * 86'400'000);
  for (int ds = 1; ds <= streams; ++ds) {
    auto started = Clock::now();
    int status = http.Request("GET", "/api/v1/datastreams/" + std::to_string(ds) +
                                         "/aggregate?interval=1h&fn=avg&from=" + from + "&to=" + to,
                              "", body);
    query_ms.push_back(Seconds(Clock::now() - started) * 1000);
    if (status != 200) {
      std::fprintf(stderr, "datenwerk query: %d %s\n", status, body.substr(0, 300).c_str());
      return 1;
    }
  }
  std::printf("server observations %zu\n", total);
  std::printf("server ingest: %.0f observations/s (%.1f s in requests)\n",
              static_cast<double>(total) / Seconds(ingest), Seconds(ingest));
  std::printf("server hourly average over the period: p50 %.2f ms, p99 %.2f ms per datastream\n",
              Percentile(query_ms, 0.5), Percentile(query_ms, 0.99));
  auto get = [&](const std::string& target) {
    if (http.Request("GET", target, "", body) != 200 || body.find("\"buckets\"") == std::string::npos) {
      std::fprintf(stderr, "datenwerk query %s: %s\n", target.c_str(), body.substr(0, 300).c_str());
      std::exit(1);
    }
  };
  std::string ids;
  for (int ds = 1; ds <= streams; ++ds) ids += (ds > 1 ? "," : "") + std::to_string(ds);
  TimeQueries("server", "hourly", streams, [&](int ds) {
    get("/api/v1/datastreams/" + std::to_string(ds) + "/aggregate?interval=1h&fn=avg&from=" + from + "&to=" + to);
  });
  TimeQueries("server", "hourly-all", 10, [&](int) {
    get("/api/v1/datastreams/aggregate?ids=" + ids + "&interval=1h&fn=avg&from=" + from + "&to=" + to);
  });
  const std::string day_from =
      datenwerk::FormatRfc3339Ms(kStart + static_cast<int64_t>(days - 1) * 86'400'000);
  TimeQueries("server", "day-1m", streams, [&](int ds) {
    get("/api/v1/datastreams/" + std::to_string(ds) + "/aggregate?interval=1m&fn=avg&from=" + day_from + "&to=" + to);
  });
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 3 && std::string(argv[1]) == "--datenwerk") {
    return RunDatenwerk(argv[2], argv[3], argc > 4 ? std::atoi(argv[4]) : 100,
                        argc > 5 ? std::atoi(argv[5]) : 365);
  }
  if (argc > 2 && std::string(argv[1]) == "--victoria") {
    return RunVictoria(argv[2], argc > 3 ? std::atoi(argv[3]) : 100, argc > 4 ? std::atoi(argv[4]) : 365);
  }
  if (argc > 2 && std::string(argv[1]) == "--influx") {
    return RunInflux(argv[2], argc > 3 ? std::atoi(argv[3]) : 100, argc > 4 ? std::atoi(argv[4]) : 365);
  }
  const int streams = argc > 1 ? std::atoi(argv[1]) : 100;
  const int days = argc > 2 ? std::atoi(argv[2]) : 365;
  const std::string dir = argc > 3 ? argv[3] : "/tmp";
  const std::string path = dir + "/datenwerk-observation-bench.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto store = OpenObservationStore(path);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  std::vector<Walk> walks;
  for (int ds = 0; ds < streams; ++ds) walks.emplace_back(ds);

  // Ingest day by day, all datastreams of a day in one Append (a group commit of N*1440 points).
  Clock::duration ingest{};
  size_t total = 0;
  for (int day = 0; day < days; ++day) {
    std::vector<SeriesBatch> batches(static_cast<size_t>(streams));
    for (int ds = 0; ds < streams; ++ds) {
      batches[ds].datastream = ds + 1;
      batches[ds].points.reserve(1440);
      for (int m = 0; m < 1440; ++m) {
        const int64_t t = kStart + (static_cast<int64_t>(day) * 1440 + m) * 60'000;
        batches[ds].points.push_back({t, walks[ds].Next()});
      }
    }
    auto started = Clock::now();
    auto stats = (*store)->Append(std::move(batches));
    ingest += Clock::now() - started;
    if (!stats.ok()) {
      std::fprintf(stderr, "append failed: %s\n", stats.status().message().c_str());
      return 1;
    }
    total += stats->stored;
  }
  // Measured with the store closed: SQLite checkpoints its log into the file and removes it (a
  // running store's log is bounded, about 40 MB, whatever the data; see store/sql_connection.cc).
  store->reset();
  double bytes = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path + suffix, ec);
    if (!ec) bytes += static_cast<double>(size);
  }
  store = OpenObservationStore(path);
  if (!store.ok()) return 1;

  // Hourly averages over the whole period, one datastream per query.
  std::vector<double> query_ms;
  const int64_t end = kStart + static_cast<int64_t>(days) * 86'400'000;
  BucketSpec hour = *ParseBucket("1h");
  size_t buckets = 0;
  for (int ds = 1; ds <= streams; ++ds) {
    auto started = Clock::now();
    auto result = (*store)->Aggregate(ds, kStart, end, hour);
    query_ms.push_back(Seconds(Clock::now() - started) * 1000);
    buckets += result->size();
  }
  TimeQueries("store", "hourly-all", 10, [&](int) {
    for (int ds = 1; ds <= streams; ++ds) buckets += (*store)->Aggregate(ds, kStart, end, hour)->size();
  });
  BucketSpec minute = *ParseBucket("1m");
  TimeQueries("store", "day-1m", streams, [&](int ds) {
    buckets += (*store)->Aggregate(ds, end - 86'400'000, end, minute)->size();
  });
  // Latest value of every datastream.
  auto started = Clock::now();
  double sum = 0;
  for (int ds = 1; ds <= streams; ++ds) sum += (*store)->Latest(ds)->value;
  const double latest_us = Seconds(Clock::now() - started) * 1e6 / streams;

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("datastreams %d, days %d, observations %zu\n", streams, days, total);
  std::printf("ingest: %.0f observations/s (%.1f s in Append)\n",
              static_cast<double>(total) / Seconds(ingest), Seconds(ingest));
  std::printf("disk: %.0f bytes, %.2f bytes/observation\n", bytes, bytes / static_cast<double>(total));
  std::printf("hourly average over the period: p50 %.2f ms, p99 %.2f ms per datastream (%zu buckets)\n",
              Percentile(query_ms, 0.5), Percentile(query_ms, 0.99), buckets);
  std::printf("store hourly: p50 %.2f ms, p99 %.2f ms\n", Percentile(query_ms, 0.5), Percentile(query_ms, 0.99));
  std::printf("latest value: %.3f us per datastream (checksum %.2f)\n", latest_us, sum);
  std::printf("peak RSS: %ld MiB\n", usage.ru_maxrss / 1024);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return 0;
}
