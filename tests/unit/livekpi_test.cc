// The live KPIs over Bochum's real districts (OpenStreetMap, data/bochum/geo) and real station
// places (places.csv): coverage shares from GEOS against circle arithmetic, the grid, and which
// stations count for which KPI.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "livekpi/live_kpis.h"

namespace datenwerk::livekpi {
namespace {

constexpr double kPi = 3.14159265358979323846;
// Two of the city's weather stations (places.csv: Westpark and Schmechtingswiese), 1.7 km apart.
constexpr LonLat kWestpark{7.19535, 51.48431};
constexpr LonLat kSchmechtingswiese{7.214368, 51.495522};

Area Bochum() {
  std::ifstream in(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum/geo/bochum_stadtbezirke.geojson");
  std::ostringstream text;
  text << in.rdbuf();
  auto area = ReadArea(text.str());
  EXPECT_TRUE(area.ok()) << area.status().message();
  return area.ok() ? *area : Area{};
}

double CityKm2(const Area& city) {
  // A radius that reaches everything: the share is 1, and with one tiny circle the share gives
  // the area back.
  auto tiny = ShareWithin(city, {kWestpark}, 100);
  EXPECT_TRUE(tiny.ok());
  return kPi * 0.1 * 0.1 / *tiny;
}

TEST(CoverageTest, SharesOfBochumMatchCircleArithmetic) {
  const Area city = Bochum();
  ASSERT_EQ(city.polygons_geojson.size(), 6u);  // the six Stadtbezirke
  // Bochum has 145.7 km² (Stadt Bochum); the OSM district polygons give the same within 1 %.
  EXPECT_NEAR(CityKm2(city), 145.7, 1.5);
  auto none = ShareWithin(city, {}, 500);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  // Two stations 1.7 km apart: two whole 500 m circles inside the city.
  auto two = ShareWithin(city, {kWestpark, kSchmechtingswiese}, 500);
  ASSERT_TRUE(two.ok());
  EXPECT_NEAR(*two, 2 * kPi * 0.25 / CityKm2(city), 0.0005);
  // The same station twice covers nothing more.
  auto twice = ShareWithin(city, {kWestpark, kWestpark}, 500);
  ASSERT_NEAR(*twice, *two / 2, 1e-9);
  auto everything = ShareWithin(city, {kWestpark}, 30'000);
  EXPECT_NEAR(*everything, 1.0, 1e-9);
  EXPECT_FALSE(ShareWithin(city, {kWestpark}, -1).ok());
  EXPECT_FALSE(ReadArea(R"({"type":"Point","coordinates":[7,51]})").ok());
  EXPECT_FALSE(ReadArea("nonsense").ok());
}

TEST(CoverageTest, GridCellsOverTheCity) {
  const Area city = Bochum();
  auto grid = GridCells(city, {kWestpark, kSchmechtingswiese, kWestpark, {6.0, 50.0}}, 1'000);
  ASSERT_TRUE(grid.ok());
  // 145.7 km² of 1 km cells, plus those the boundary cuts.
  EXPECT_GT(grid->cells, 146);
  EXPECT_LT(grid->cells, 260);
  EXPECT_EQ(grid->covered, 2);  // two cells; the point far outside the city counts for none
  EXPECT_FALSE(GridCells(city, {}, 1).ok());  // too many cells
}

Station Make(const char* kind, LonLat where, bool active) {
  Station s;
  s.kind = kind;
  s.position = where;
  s.active = active;
  return s;
}

TEST(LiveKpiTest, WhichStationsCountForWhichKpi) {
  const Area city = Bochum();
  std::vector<Station> stations;
  stations.push_back(Make("Bodenfeuchte", kWestpark, true));
  stations.push_back(Make("Wetterstation", kSchmechtingswiese, true));
  stations.push_back(Make("Wetterstation", kSchmechtingswiese, false));  // silent in the period
  Station copy = Make("Wetterstation", kWestpark, true);
  copy.replay = true;  // a replay copy of a real one
  stations.push_back(copy);
  Station air = Make("Luftmessstation", kSchmechtingswiese, true);
  air.lorawan = air.received = true;
  air.project = "Stadtklima-Monitoring (NMU-KK-1)";
  stations.push_back(air);
  for (int i = 0; i < 3; ++i) {
    Station glass = Make("Glascontainer", kWestpark, i < 2);
    glass.lorawan = true;
    glass.received = i < 2;
    glass.project = "Intelligentes Abfallmanagement (IS-SSS-6)";
    stations.push_back(glass);
  }
  auto out = ComputeLiveKpis(stations, city, Options{500, 1'000, 10});
  ASSERT_TRUE(out.ok()) << out.status().message();
  std::map<std::string, double> v;
  for (const auto& value : out->values) v[value.kpi_id] = value.value;
  EXPECT_EQ(v["SCBOK-NMU-KK-K1.2"], 3);  // soil, weather, air
  const double km2 = CityKm2(city);
  EXPECT_NEAR(v["SCBOK-NMU-KK-K1.3"], std::round(2 * kPi * 0.25 / km2 * 1000) / 10, 0.051);
  EXPECT_NEAR(v["SCBOK-NMU-KK-K-H7"], std::round(kPi * 0.25 / km2 * 1000) / 10, 0.051);
  EXPECT_EQ(v["SCBOK-NMU-ER-K-H3"], 20);  // 2 of 10 containers report
  EXPECT_EQ(v["SCBOK-ZI-NI-K5.2"], 2);
  EXPECT_GT(v["SCBOK-ZI-NI-K5.1"], 0);
  EXPECT_TRUE(out->not_computed.empty());
  // Without the city's container total, K-H3 is not computed, and says why.
  auto unknown = ComputeLiveKpis(stations, city, Options{});
  ASSERT_TRUE(unknown.ok());
  ASSERT_EQ(unknown->not_computed.size(), 1u);
  EXPECT_EQ(unknown->not_computed[0].first, "SCBOK-NMU-ER-K-H3");
  EXPECT_EQ(Methods(Options{}).size(), 6u);
  // A city without sensors on the platform gets no zeros over its reported figures.
  auto empty = ComputeLiveKpis({}, city, Options{500, 1'000, 10});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->values.empty());
  EXPECT_EQ(empty->not_computed.size(), 6u);
}

}  // namespace
}  // namespace datenwerk::livekpi
