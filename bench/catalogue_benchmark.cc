// What a write costs readers (snapshot rebuild) and what an uncached read costs (JSON and HTML
// rendering). Run: build/test/bench/catalogue_benchmark
#include <benchmark/benchmark.h>

#include "api/json_codec.h"
#include "core/catalogue_import.h"
#include "core/progress.h"
#include "store/catalogue_files.h"
#include "web/pages.h"

namespace datenwerk {
namespace {

const CatalogueData& Bochum() {
  static const CatalogueData data =
      ParseCatalogue(ReadCatalogueDirectory(DATENWERK_SOURCE_DIR "/data/bochum").value()).value();
  return data;
}

void BM_ParseCatalogueCsv(benchmark::State& state) {
  auto files = ReadCatalogueDirectory(DATENWERK_SOURCE_DIR "/data/bochum").value();
  for (auto _ : state) benchmark::DoNotOptimize(ParseCatalogue(files));
}
BENCHMARK(BM_ParseCatalogueCsv);

void BM_BuildSnapshot(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Catalogue(Bochum()));
}
BENCHMARK(BM_BuildSnapshot);

void BM_AllKpisAsJson(benchmark::State& state) {
  Catalogue c(Bochum());
  for (auto _ : state) {
    boost::json::array items;
    for (const Kpi& k : c.data().kpis) items.push_back(api::KpiJson(c, k));
    benchmark::DoNotOptimize(boost::json::serialize(items));
  }
}
BENCHMARK(BM_AllKpisAsJson);

void BM_StartPageHtml(benchmark::State& state) {
  Catalogue c(Bochum());
  http::Request r;
  web::PortalOptions o;
  for (auto _ : state) benchmark::DoNotOptimize(web::StartPage(c, r, o));
}
BENCHMARK(BM_StartPageHtml);

void BM_ProgressOfTenYearSeries(benchmark::State& state) {
  KpiSettings s;
  s.target_value = 200;
  s.target_date = "2030-12-31";
  s.direction = Direction::kUp;
  std::vector<SeriesPoint> series;
  for (int y = 2015; y < 2025; ++y) series.push_back({std::to_string(y) + "-12-31", 100.0 + y});
  for (auto _ : state) benchmark::DoNotOptimize(ComputeProgress(s, series));
}
BENCHMARK(BM_ProgressOfTenYearSeries);

}  // namespace
}  // namespace datenwerk
