#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/dates.h"
#include "importer/open_data.h"
#include "importer/rain.h"

namespace datenwerk::importer {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kMinute = 60'000;

Reading At(const char* utc, double value, int offset_min = 120) {
  return {ParseRfc3339Ms(utc).value(), value, {}, offset_min};
}

TEST(RainAmountsTest, DifferencesResetsAtMidnightFallBacksAndGapsNeverInventRain) {
  // Berlin summer time: local midnight of 2024-04-21 is 2024-04-20T22:00Z.
  const std::vector<Reading> counter = {
      At("2024-04-20T21:50:00Z", 6.5),
      At("2024-04-20T21:55:00Z", 7.0),   // +0.5
      At("2024-04-20T22:00:00Z", 0.2),   // a new local day: 0.2 since midnight
      At("2024-04-20T22:05:00Z", 0.2),   // nothing
      At("2024-04-20T22:10:00Z", 0.1),   // fell back mid-day: 0, flagged
      At("2024-04-20T22:15:00Z", 0.4),   // +0.3 from the new base
      At("2024-04-21T01:15:00Z", 1.4),   // +1.0 over a three-hour gap: flagged
  };
  auto amounts = RainAmounts(counter, 15 * kMinute);
  // The first reading is 110 minutes after its local midnight: when its rain fell is unknown.
  ASSERT_EQ(amounts.size(), 6u);
  EXPECT_DOUBLE_EQ(amounts[0].value, 0.5);
  EXPECT_TRUE(amounts[0].quality.empty());
  EXPECT_DOUBLE_EQ(amounts[1].value, 0.2);
  EXPECT_TRUE(amounts[1].quality.empty());
  EXPECT_DOUBLE_EQ(amounts[2].value, 0);
  EXPECT_DOUBLE_EQ(amounts[3].value, 0);
  EXPECT_NE(amounts[3].quality.find("zurück"), std::string::npos) << amounts[3].quality;
  EXPECT_DOUBLE_EQ(amounts[4].value, 0.3);
  EXPECT_DOUBLE_EQ(amounts[5].value, 1.0);
  EXPECT_NE(amounts[5].quality.find("Datenlücke"), std::string::npos);
  double total = 0;
  for (const Reading& a : amounts) total += a.value;
  EXPECT_NEAR(total, 0.5 + 0.2 + 0.3 + 1.0, 1e-9);
}

TEST(RainAmountsTest, AFirstReadingRightAfterMidnightCounts) {
  auto amounts = RainAmounts({At("2024-05-02T22:00:00Z", 0.8)}, 15 * kMinute);
  ASSERT_EQ(amounts.size(), 1u);
  EXPECT_DOUBLE_EQ(amounts[0].value, 0.8);
}

class OpenDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("datenwerk-import-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }
  void Write(const std::string& relative, const std::string& text) {
    const fs::path file = root_ / "data" / "ENVI" / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }
  static const Series* Find(const Station& s, const std::string& key) {
    for (const Series& series : s.series) {
      if (series.spec.key == key) return &series;
    }
    return nullptr;
  }
  fs::path root_;
};

constexpr char kEcowittHeader[] =
    "datetime,outdoor_temperature,outdoor_feels_like,outdoor_app_temp,outdoor_dew_point,"
    "outdoor_humidity,indoor_temperature,indoor_humidity,solar_and_uvi_solar,solar_and_uvi_uvi,"
    "rainfall_piezo_rain_rate,rainfall_piezo_daily,rainfall_piezo_event,rainfall_piezo_hourly,"
    "rainfall_piezo_weekly,rainfall_piezo_monthly,rainfall_piezo_yearly,wind_wind_speed,"
    "wind_wind_gust,wind_wind_direction,pressure_relative,pressure_absolute,"
    "battery_haptic_array_battery,battery_haptic_array_capacitor\n";

std::string EcowittRow(const std::string& time, const std::string& temperature,
                       const std::string& daily) {
  return time + "," + temperature + ",1,1,1,50,20,50,0,0,0," + daily +
         ",0,0,0,0,0,1,1,90,1000,1000,2.7,5.0\n";
}

TEST_F(OpenDataTest, EcowittRowsOutOfOrderOn128SecondTimesBecomeAGridWithRainAmounts) {
  Write("ecowitt_gw2001/README.md",
        "|#  | Name | Latitude | Longitude | MAC |\n|--|--|--|--|--|\n"
        "|2  | Westpark\t| 51.484310 | 7.195350 | C4:DD:57:CF:66:AB |\n");
  // As in the city's 2024-05-01 files: the day starts at 02:00 local and ends with 00:00-01:55.
  Write("ecowitt_gw2001/C4DD57CF66AB/daily/bochum_ecowitt_gw2001_C4DD57CF66AB_2024-05-01.csv",
        std::string(kEcowittHeader) +
            EcowittRow("2024-05-01 02:00:00+02:00", "17.2", "0.5") +
            EcowittRow("2024-05-01 02:04:16+02:00", "99.9", "0.7") +  // 64 s off the grid
            EcowittRow("2024-05-01 00:00:32+02:00", "", "0.1") +      // empty: a gap
            EcowittRow("2024-05-01 00:05:20+02:00", "16.0", "0.3"));
  ImportSet set = ReadBochumOpenData(root_);
  ASSERT_TRUE(set.problems.empty()) << set.problems[0].where << ": " << set.problems[0].message;
  ASSERT_EQ(set.stations.size(), 1u);
  const Station& station = set.stations[0];
  EXPECT_EQ(station.key, "ecowitt:C4DD57CF66AB");
  EXPECT_EQ(station.name, "Wetterstation Westpark");
  EXPECT_DOUBLE_EQ(station.latitude, 51.48431);
  const Series* temperature = Find(station, "lufttemperatur");
  ASSERT_TRUE(temperature);
  ASSERT_EQ(temperature->readings.size(), 3u);  // in time order, the gap left out
  EXPECT_EQ(temperature->readings[0].time_ms, ParseRfc3339Ms("2024-04-30T22:05:00Z"));
  EXPECT_EQ(temperature->readings[2].time_ms, ParseRfc3339Ms("2024-05-01T00:05:00Z"));
  EXPECT_NE(temperature->readings[2].quality.find("unplausibel"), std::string::npos);  // 99.9 °C
  EXPECT_TRUE(temperature->readings[1].quality.empty());
  const Series* rain = Find(station, "niederschlag");
  ASSERT_TRUE(rain);
  ASSERT_EQ(rain->readings.size(), 4u);
  const double expected[] = {0.1, 0.2, 0.2, 0.2};  // 0.1 since midnight, then the differences
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(rain->readings[i].value, expected[i], 1e-9) << i;
  EXPECT_FALSE(Find(station, "innentemperatur"));  // the gateway's own sensor is left out
}

TEST_F(OpenDataTest, UnreadableRowsAreProblemsWithFileAndLine) {
  Write("ecowitt_gw2001/README.md", "|1 | A | 51.4 | 7.2 | C4:DD:57:CF:66:AB |\n");
  Write("ecowitt_gw2001/C4DD57CF66AB/daily/x.csv",
        std::string(kEcowittHeader) + EcowittRow("2024-05-01 00:00:00+02:00", "1", "0") +
            EcowittRow("gestern", "1", "0") + EcowittRow("2024-05-01 00:10:00+02:00", "warm", "0"));
  // A row with too few cells breaks the file's structure: the file is one problem.
  Write("ecowitt_gw2001/C4DD57CF66AB/daily/y.csv",
        std::string(kEcowittHeader) + "2024-05-01 00:15:00+02:00,1\n");
  ImportSet set = ReadBochumOpenData(root_);
  ASSERT_EQ(set.problems.size(), 3u);
  EXPECT_EQ(set.problems[0].where, "ecowitt_gw2001/C4DD57CF66AB/daily/x.csv:3");
  EXPECT_NE(set.problems[0].message.find("gestern"), std::string::npos);
  EXPECT_EQ(set.problems[1].where, "ecowitt_gw2001/C4DD57CF66AB/daily/x.csv:4");
  EXPECT_NE(set.problems[1].message.find("warm"), std::string::npos);
  EXPECT_EQ(set.problems[2].where, "ecowitt_gw2001/C4DD57CF66AB/daily/y.csv:2");
}

TEST_F(OpenDataTest, TerraTransferIsReadAsUtcPlusOneAndEmptyColumnsGetNoSeries) {
  Write("terratransfer/bochum_terratransfer_logger.csv",
        "#,logger_id,name,latitude,longitude\r\n1,900355,Am Stadtpark,51.49212,7.22238\r\n"
        "2,900391,Zeche Holland,51.48175,7.12475\r\n");
  Write("terratransfer/900355_am_stadtpark/daily/bochum_terratransfer_900355_am_stadtpark_2024-04-20.csv",
        "datetime,logger_id,name,latitude,longitude,pegel,wtemp,o,do,elL,hkBat,hkTemp,hkHum\r\n"
        "2024-04-20 00:00:00,900355,Am Stadtpark,51.49212,7.22238,88.168,11.272,21.366,2.318,,3.712,10.47,26.9\r\n"
        "2024-04-20 00:15:01,900355,Am Stadtpark,51.49212,7.22238,88.166,0,1650.5,2.7,,,,\r\n"
        "2024-04-20 00:30:00,900355,Am Stadtpark,51.49212,7.22238,88.1,11.3,25,2.7,,,,\r\n");
  ImportSet set = ReadBochumOpenData(root_);
  ASSERT_TRUE(set.problems.empty()) << set.problems[0].message;
  ASSERT_EQ(set.stations.size(), 1u);  // 900391 has no data folder
  const Station& logger = set.stations[0];
  EXPECT_FALSE(Find(logger, "leitfaehigkeit"));  // elL never filled
  const Series* level = Find(logger, "pegel");
  ASSERT_TRUE(level);
  EXPECT_EQ(level->readings[0].time_ms, ParseRfc3339Ms("2024-04-19T23:00:00Z"));
  EXPECT_EQ(level->readings[1].time_ms, ParseRfc3339Ms("2024-04-19T23:15:01Z"));
  EXPECT_EQ(level->spec.unit_name, "nicht dokumentiert");
  EXPECT_NE(Find(logger, "wassertemperatur")->readings[1].quality.find("genau 0"), std::string::npos);
  EXPECT_NE(Find(logger, "sauerstoff-o")->readings[1].quality.find("unplausibel"), std::string::npos);
}

TEST_F(OpenDataTest, TreeSenseSemicolonsByteOrderMarkGermanDatesAndTheCeiling) {
  Write("treesense/README.md",
        "| # | Name | Latitude | Longitude | Hardware Serial |\n|-|-|-|-|-|\n"
        "|4 | Esche 4 Bochum | 51.468589 | 7.271047 | A8404109918718E8 |\n");
  Write("treesense/A8404109918718E8/Bochum_TreeSense_4_Esche_A8404109918718E8.csv",
        "\xEF\xBB\xBFtime;resistance;temperature;resis_temp_comp;moisture_content\r\n"
        "14.6.23 8:45;5.944;22.3;6.5;40\r\n31.3.24 2:05;1000;8;206213.8;12");
  ImportSet set = ReadBochumOpenData(root_);
  ASSERT_TRUE(set.problems.empty()) << set.problems[0].where << " " << set.problems[0].message;
  ASSERT_EQ(set.stations.size(), 1u);
  const Series* resistance = Find(set.stations[0], "widerstand");
  ASSERT_TRUE(resistance);
  ASSERT_EQ(resistance->readings.size(), 2u);
  EXPECT_EQ(resistance->readings[0].time_ms, ParseRfc3339Ms("2023-06-14T08:45:00Z"));
  // 02:05 on the night clocks change exists in UTC, not in Berlin: read as UTC.
  EXPECT_EQ(resistance->readings[1].time_ms, ParseRfc3339Ms("2024-03-31T02:05:00Z"));
  EXPECT_NE(resistance->readings[1].quality.find("Messbereichsgrenze"), std::string::npos);
  EXPECT_FALSE(Find(set.stations[0], "widerstand-kompensiert")->readings[1].quality.empty());
}

TEST_F(OpenDataTest, AFolderWithoutTheFormatsIsAProblem) {
  fs::create_directories(root_);
  ImportSet set = ReadBochumOpenData(root_);
  ASSERT_EQ(set.problems.size(), 1u);
  EXPECT_TRUE(set.stations.empty());
}

TEST(MarkdownTableTest, RowsWithTabsAndPaddingAreTrimmed) {
  auto rows = MarkdownTableRows("|#  | Name \t| Lat |\n|---|---|---|\n|1     | Westpark  \t| 51.48 \t|\r\n");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "Westpark", "51.48"}));
}

}  // namespace
}  // namespace datenwerk::importer
