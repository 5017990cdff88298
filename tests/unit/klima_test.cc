#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/dates.h"
#include "core/berlin_time.h"
#include "geo/districts.h"
#include "klima/outlook.h"

namespace datenwerk::klima {
namespace {

constexpr int64_t kHour = 3'600'000;

TEST(OutlookTest, AFallingLineMeetsTheThresholdWhereTheArithmeticSays) {
  // 30 % falling by 0.5 % per hour (12 % per day) over 24 hours: at 18 % now, 20 % is above.
  std::vector<series::Point> points;
  for (int h = 0; h <= 24; ++h) points.push_back({h * kHour, 30 - 0.5 * h});
  auto dry = OutlookOf(points, 15);
  ASSERT_TRUE(dry);
  EXPECT_DOUBLE_EQ(dry->current, 18);
  EXPECT_NEAR(dry->per_day, -12, 1e-9);
  EXPECT_FALSE(dry->below_threshold);
  ASSERT_TRUE(dry->reaches_at_ms);
  EXPECT_EQ(*dry->reaches_at_ms, 24 * kHour + 6 * kHour);  // 3 % at 0.5 % per hour
  auto water_now = OutlookOf(points, 20);
  ASSERT_TRUE(water_now);
  EXPECT_TRUE(water_now->below_threshold);
  EXPECT_FALSE(water_now->reaches_at_ms);
}

TEST(OutlookTest, WettingSoilsAndTooLittleDataGiveNoDate) {
  std::vector<series::Point> wetting;
  for (int h = 0; h <= 6; ++h) wetting.push_back({h * kHour, 20.0 + h});
  ASSERT_TRUE(OutlookOf(wetting, 15));
  EXPECT_FALSE(OutlookOf(wetting, 15)->reaches_at_ms);
  EXPECT_FALSE(OutlookOf({{0, 20}, {kHour, 19}}, 15));             // two readings
  EXPECT_FALSE(OutlookOf({{0, 20}, {kHour, 19}, {2 * kHour, 18}}, 15));  // two hours
}

TEST(OutlookTest, RainTotalsOfTheHourAndDayBeforeTheEnd) {
  const int64_t end = 100 * kHour;
  std::vector<series::Point> amounts = {
      {end - 25 * kHour, 9},        // outside the day
      {end - 24 * kHour, 8},        // the day's open start: outside
      {end - 2 * kHour, 1.5},       // in the day
      {end - kHour, 0.5},           // the hour's open start: in the day only
      {end - kHour + 1, 0.25},      // in the hour
      {end, 0.25},                  // in the hour
      {end + 1, 7}};                // after the end
  RainTotals t = TotalsOf(amounts, end);
  EXPECT_DOUBLE_EQ(t.last_hour, 0.5);
  EXPECT_DOUBLE_EQ(t.last_day, 2.5);
}

TEST(BerlinTimeTest, WinterSummerAndTheChangeNights) {
  EXPECT_EQ(BerlinTime(ParseRfc3339Ms("2024-01-15T12:00:00Z").value()), "15.01.2024, 13:00");
  EXPECT_EQ(BerlinTime(ParseRfc3339Ms("2024-05-01T22:05:00Z").value()), "02.05.2024, 00:05");
  // 2024-03-31: 01:00 UTC is 03:00 CEST; a minute before it is 01:59 CET.
  EXPECT_EQ(BerlinTime(ParseRfc3339Ms("2024-03-31T00:59:00Z").value()), "31.03.2024, 01:59");
  EXPECT_EQ(BerlinTime(ParseRfc3339Ms("2024-03-31T01:00:00Z").value()), "31.03.2024, 03:00");
  // 2024-10-27: 01:00 UTC is 02:00 CET again.
  EXPECT_EQ(BerlinTime(ParseRfc3339Ms("2024-10-27T00:59:00Z").value()), "27.10.2024, 02:59");
  EXPECT_EQ(BerlinTime(ParseRfc3339Ms("2024-10-27T01:00:00Z").value()), "27.10.2024, 02:00");
}

TEST(DistrictsTest, BochumsStadtbezirkeHoldTheCitysStations) {
  std::ifstream in(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum/geo/bochum_stadtbezirke.geojson");
  std::ostringstream text;
  text << in.rdbuf();
  auto districts = geo::Districts::Load(text.str());
  ASSERT_TRUE(districts.ok()) << districts.status().message();
  EXPECT_EQ((*districts)->Names().size(), 6u);
  // Points from the city's published station tables (../shared/geo/places.csv).
  EXPECT_EQ((*districts)->At(7.195350, 51.484310), "Mitte");         // EcoWitt Westpark
  EXPECT_EQ((*districts)->At(7.125836, 51.483735), "Wattenscheid");  // EcoWitt Zeche Holland
  EXPECT_EQ((*districts)->At(7.132555, 51.431207), "Südwest");       // EcoWitt Ruhrauenpark
  EXPECT_FALSE((*districts)->At(6.96, 50.94));                        // Köln
  EXPECT_FALSE(geo::Districts::Load("{\"type\":\"FeatureCollection\",\"features\":[]}").ok());
  EXPECT_FALSE(geo::Districts::Load("nonsense").ok());
}

}  // namespace
}  // namespace datenwerk::klima
