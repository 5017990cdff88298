// The alert engine's per-reading cost in isolation (what bench/alert_ingest.mjs measures end to
// end): 200 Datastreams, the dense mix of 1,000 rules of alert_ingest.mjs (about 20 rules per
// reading), batches of 1,000 one-minute readings of a random walk as one commit hands them over.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <map>
#include <random>

#include "alerts/engine.h"

namespace datenwerk::alerts {
namespace {

class Directory final : public DatastreamDirectory {
 public:
  Result<std::optional<DatastreamFacts>> Lookup(int64_t ds) override {
    return std::optional<DatastreamFacts>(DatastreamFacts{ds, 1, std::pair{7.0 + static_cast<double>(ds) / 200, 51.4}});
  }
  Result<std::vector<DatastreamFacts>> All() override { return std::vector<DatastreamFacts>{}; }
};

void BM_Evaluate(benchmark::State& state) {
  const bool with_rules = state.range(0) != 0;
  const auto dir = std::filesystem::temp_directory_path() / ("alert-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto series = series::OpenObservationStore((dir / "obs.db").string()).value();
  auto store = AlertStore::Open(sql::OpenSqlite((dir / "alerts.db").string(), "alerts").value()).value();
  Directory directory;
  int64_t now = 1'790'000'000'000;
  {
    AlertEngine engine(*store, directory, *series, [&] { return now; }, EngineOptions{std::chrono::hours(1), std::chrono::hours(1)});
    (void)engine.Start();
    const char* kinds[] = {
        R"("kind":"above","threshold":25,"hysteresis":1,"for":"PT10M")", R"("kind":"below","threshold":15,"hysteresis":1)",
        R"("kind":"accumulation","threshold":1500,"window":"PT1H")", R"("kind":"rate_of_change","threshold":5,"window":"PT30M")",
        R"("kind":"no_data","silence":"PT6H")"};
    if (with_rules) {
      for (int i = 0; i < 980; ++i) {
        (void)engine.CreateRule(boost::json::parse(std::string(R"({"name":"r",)") + kinds[i % 5] +
                                                   R"(,"scope":{"datastream":)" + std::to_string(i % 200 + 1) + "}}"), "bench");
      }
      for (int i = 0; i < 10; ++i) {
        (void)engine.CreateRule(boost::json::parse(R"({"name":"op","kind":"above","threshold":)" + std::to_string(30 + i) +
                                                   R"(,"scope":{"observedProperty":1}})"), "bench");
        (void)engine.CreateRule(boost::json::parse(R"({"name":"other","kind":"above","threshold":30,"scope":{"observedProperty":)" +
                                                   std::to_string(100 + i) + "}}"), "bench");
        (void)engine.CreateRule(boost::json::parse(
            R"({"name":"area","kind":"below","threshold":)" + std::to_string(10 - i) +
            R"(,"scope":{"area":{"type":"Polygon","coordinates":[[[6.9,51.3],[7.5,51.3],[7.5,51.5],[6.9,51.5],[6.9,51.3]]]}}})"), "bench");
      }
    }
    std::mt19937 random(7);
    std::uniform_real_distribution<double> step(-0.1, 0.1);
    std::vector<double> level(201, 20);
    int64_t t = now + 60'000;
    std::vector<Reading> batch;
    for (auto _ : state) {
      batch.clear();
      for (int64_t ds = 1; ds <= 200; ++ds) {
        for (int m = 0; m < 5; ++m) {
          level[ds] = std::round((level[ds] + step(random)) * 100) / 100;
          batch.push_back({ds, t + m * 60'000, level[ds]});
        }
      }
      t += 5 * 60'000;
      engine.OnReadings(batch);
      state.SetItemsProcessed(state.items_processed() + static_cast<int64_t>(batch.size()));
    }
    engine.Stop();
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_Evaluate)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->MinTime(3);

}  // namespace
}  // namespace datenwerk::alerts
