#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "core/dates.h"
#include "geo/districts.h"
#include "sensors/cayenne_lpp.h"
#include "sensors/device_registry.h"
#include "sensors/lorawan.h"
#include "simulator/fleet.h"
#include "simulator/physics.h"
#include "simulator/uplinks.h"

namespace datenwerk::simulator {
namespace {

constexpr int64_t kMinute = 60'000, kHour = 60 * kMinute, kDay = 24 * kHour;

std::string Read(const std::string& path) {
  std::ifstream in(std::string(DATENWERK_SOURCE_DIR) + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::shared_ptr<const geo::Districts> Bochum() {
  return geo::Districts::Load(Read("/data/bochum/geo/bochum_stadtbezirke.geojson")).value();
}

TEST(PhysicsTest, TheSameSeedGivesTheSameWorldAnotherSeedAnother) {
  const World a(7), b(7), c(8);
  const int64_t t = ParseRfc3339Ms("2026-07-01T14:00:00Z").value();
  EXPECT_EQ(a.AirTemperature(t, 7.2, 51.48), b.AirTemperature(t, 7.2, 51.48));
  double differ = 0;
  for (int h = 0; h < 24 * 30; ++h) differ += std::abs(a.RainRate(t + h * kHour, 7.2, 51.48) - c.RainRate(t + h * kHour, 7.2, 51.48));
  EXPECT_GT(differ, 0);
}

TEST(PhysicsTest, SummerAfternoonsAreWarmerThanWinterNightsAndItRainsSometimes) {
  const World w(42);
  const int64_t july = ParseRfc3339Ms("2026-07-20T14:00:00Z").value();
  const int64_t january = ParseRfc3339Ms("2026-01-20T03:00:00Z").value();
  EXPECT_GT(w.AirTemperature(july, 7.2, 51.48), 20);
  EXPECT_LT(w.AirTemperature(january, 7.2, 51.48), 5);
  const double month = w.RainAmount(july - 30 * kDay, july, 7.2, 51.48);
  EXPECT_GT(month, 5);     // rain falls
  EXPECT_LT(month, 400);   // but not absurdly
  // The heavy-rain cell: 45 mm/h on its track on day 17 of each 30-day period.
  double peak = 0;
  for (int64_t t = july - 30 * kDay; t < july; t += 5 * kMinute) peak = std::max(peak, w.RainRate(t, 7.2, 51.48));
  EXPECT_GE(peak, 45);
}

TEST(PhysicsTest, SoilsDryWithoutRainAndWetAfterIt) {
  const World w(42);
  // Find a dry spell and a rain event in a month of summer and watch the top soil.
  const int64_t start = ParseRfc3339Ms("2026-07-01T00:00:00Z").value();
  Soil soil(10, 30);
  double before = soil.StepTo(w, start, 7.2, 51.48);
  bool dried = false, wetted = false;
  for (int64_t t = start + kHour; t < start + 30 * kDay; t += kHour) {
    const double rain = w.RainAmount(t - kHour, t, 7.2, 51.48);
    const double now = soil.StepTo(w, t, 7.2, 51.48);
    if (rain == 0 && now < before) dried = true;
    if (rain > 0.5 && now > before) wetted = true;
    EXPECT_GE(now, 10);
    EXPECT_LE(now, 44);
    before = now;
  }
  EXPECT_TRUE(dried);
  EXPECT_TRUE(wetted);
}

TEST(PhysicsTest, ContainersFillAndAreEmptied) {
  const World w(42);
  double low = 100, high = 0;
  int emptied = 0;
  double previous = FillLevel(w, 3, 0);
  for (int64_t t = kHour; t < 60 * kDay; t += kHour) {
    const double level = FillLevel(w, 3, t);
    low = std::min(low, level);
    high = std::max(high, level);
    if (level < previous - 20) ++emptied;
    previous = level;
  }
  EXPECT_LE(low, 5);
  EXPECT_GE(high, 70);
  EXPECT_GE(emptied, 3);
}

TEST(FleetTest, TheFleetStandsOnRealPlacesAndIsMarkedWhereItIsNot) {
  auto districts = Bochum();
  auto fleet = MakeFleet(Read("/data/bochum/geo/places.csv"), *districts, 1);
  ASSERT_TRUE(fleet.ok()) << fleet.status().message();
  std::map<Kind, int> kinds;
  std::map<std::string, int> soil_sites;
  for (const Device& d : fleet->devices) {
    ++kinds[d.kind];
    if (d.kind == Kind::kSoil) ++soil_sites[d.site];
    if (d.kind == Kind::kRain || d.kind == Kind::kAir || d.kind == Kind::kContainer) {
      EXPECT_EQ(districts->At(d.lon, d.lat), d.site) << d.name;  // inside its Stadtbezirk
      EXPECT_NE(d.position_note.find("simuliert"), std::string::npos);
    }
    EXPECT_TRUE(sensors::IsDeviceId(d.device_id)) << d.device_id;
  }
  EXPECT_EQ(kinds[Kind::kSoil], 23);
  EXPECT_EQ(soil_sites.size(), 3u);
  EXPECT_EQ(soil_sites["Westpark"], 8);
  EXPECT_EQ(kinds[Kind::kRain], 12);
  EXPECT_EQ(kinds[Kind::kAir], 6);
  EXPECT_EQ(kinds[Kind::kContainer], 12);
  EXPECT_EQ(kinds[Kind::kLake], 1);
  EXPECT_EQ(fleet->gateways.size(), 4u);
  EXPECT_EQ(MakeFleet(Read("/data/bochum/geo/places.csv"), *districts, 3)->devices.size(), 3 * 53 + 1u);
  EXPECT_FALSE(MakeFleet("kind,name,lat,lon\n", *districts, 1).ok());
}

TEST(UplinksTest, MessagesAreWhatTheNetworkServersSendAndDecodeToTheReadings) {
  auto districts = Bochum();
  auto fleet = MakeFleet(Read("/data/bochum/geo/places.csv"), *districts, 1).value();
  const World world(42);
  const int64_t t = ParseRfc3339Ms("2026-05-02T10:05:00Z").value();
  for (const Device& d : fleet.devices) {
    DeviceState state;
    state.installed_ms = t - 100 * kDay;
    auto readings = ReadingsAt(world, d, state, t);
    const std::string message = UplinkMessage(world, fleet, d, 7, t, readings);
    std::optional<sensors::Uplink> up;
    if (d.network == Network::kChirpStack) {
      auto parsed = sensors::ParseChirpStackUplink(message);
      ASSERT_TRUE(parsed.ok()) << parsed.status().message();
      up = *parsed;
    } else {
      auto parsed = sensors::ParseTheThingsStackUplink(message);
      ASSERT_TRUE(parsed.ok() && *parsed) << message;
      up = **parsed;
    }
    EXPECT_EQ(up->time_ms, t);
    EXPECT_EQ(up->f_cnt, 7u);
    EXPECT_FALSE(up->gateways.empty());
    for (const auto& g : up->gateways) {
      EXPECT_GE(g.rssi, -125);
      EXPECT_LE(g.rssi, -60);
    }
    sensors::Fields fields = up->decoded;
    if (d.cayenne) fields = sensors::DecodeCayenneLpp(up->payload).value();
    for (const auto& [name, value] : readings) {
      bool found = false;
      for (const auto& [n, v] : fields) {
        if (n == name) {
          found = true;
          EXPECT_NEAR(std::get<double>(v), value, 0.006) << d.name << " " << name;
        }
      }
      EXPECT_TRUE(found) << d.name << " " << name;
    }
  }
}

}  // namespace
}  // namespace datenwerk::simulator
