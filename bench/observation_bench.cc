// Ingest rate, bytes on disk and query latency of the observation store, on synthetic sensor
// data: N datastreams of one-minute readings (a random walk at 0.01 resolution, like a
// thermometer) over D days. Prints figures; bench/influx_compare.sh runs the same workload
// against InfluxDB for the ratios.
// Usage: observation_bench [datastreams=100] [days=365] [dir=/tmp]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "sensors/observation_store.h"

using namespace datenwerk::sensors;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int64_t kStart = 1672531200000;  // 2023-01-01T00:00:00Z, as in influx_compare.sh

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
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

}  // namespace

int main(int argc, char** argv) {
  const int streams = argc > 1 ? std::atoi(argv[1]) : 100;
  const int days = argc > 2 ? std::atoi(argv[2]) : 365;
  const std::string dir = argc > 3 ? argv[3] : "/tmp";
  const std::string path = dir + "/datenwerk-observation-bench.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  auto store = OpenSqliteObservationStore(path);
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
  const double bytes = static_cast<double>((*store)->BytesOnDisk());

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
  std::printf("latest value: %.3f us per datastream (checksum %.2f)\n", latest_us, sum);
  std::printf("peak RSS: %ld MiB\n", usage.ru_maxrss / 1024);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return 0;
}
