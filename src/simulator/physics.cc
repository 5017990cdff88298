#include "simulator/physics.h"

#include <algorithm>
#include <cmath>

namespace datenwerk::simulator {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

uint64_t Mix(uint64_t x) {  // splitmix64's finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double DayOfYear(int64_t t) { return std::fmod(static_cast<double>(t) / kDay, 365.2425); }
// Hours of the local day (Bochum is about UTC+1.5 in the sun's terms; the cycles follow the sun).
double SolarHour(int64_t t) { return std::fmod(static_cast<double>(t) / kHour + 24.0 * 1000 + 0.5, 24.0); }
int64_t DayIndex(int64_t t) { return t >= 0 ? t / kDay : (t - kDay + 1) / kDay; }

// How long (ms) a rain front moving east at 30 km/h takes from the city's west edge to `lon`.
int64_t FrontDelay(double lon) { return static_cast<int64_t>((lon - 7.10) * 70.0 / 30.0 * kHour); }

}  // namespace

double World::Chance(uint64_t a, uint64_t b, uint64_t c) const {
  const uint64_t h = Mix(seed_ ^ Mix(a ^ Mix(b ^ Mix(c))));
  return static_cast<double>(h >> 11) / 9007199254740992.0;  // 2^53
}

double World::RainRate(int64_t t, double lon, double lat) const {
  const int64_t local = t - FrontDelay(lon);
  double rate = 0;
  for (int64_t day = DayIndex(local) - 1; day <= DayIndex(local); ++day) {
    if (Chance(day, 1) >= 0.4) continue;  // a dry day
    const int events = 1 + static_cast<int>(Chance(day, 2) * 3);
    for (int e = 0; e < events; ++e) {
      const int64_t start = day * kDay + static_cast<int64_t>(Chance(day, 3, e) * kDay);
      const int64_t length = kHour + static_cast<int64_t>(Chance(day, 4, e) * 5 * kHour);
      if (local < start || local >= start + length) continue;
      const double strength = 0.5 + Chance(day, 5, e) * 3.5;
      const double local_factor = 0.6 + 0.8 * Chance(day, 6, static_cast<uint64_t>(lon * 1e4) ^ static_cast<uint64_t>(lat * 1e4));
      // Stronger in the middle of an event.
      const double phase = static_cast<double>(local - start) / static_cast<double>(length);
      rate += strength * local_factor * (0.5 + std::sin(phase * kPi));
    }
  }
  // The heavy-rain cell: on day 17 of every 30, at 16:00 UTC at the west edge, 25 minutes over a
  // 3 km wide track through the city centre (51.48 N), 45 mm/h.
  const int64_t period_day = DayIndex(local) - (DayIndex(local) % 30 + 30) % 30;
  const int64_t cell = (period_day + 17) * kDay + 16 * kHour;
  const double off_track_km = std::abs(lat - 51.48) * 111.0;
  if (local >= cell && local < cell + 25 * kMinute && off_track_km < 1.5) rate += 45;
  return rate;
}

double World::RainAmount(int64_t from, int64_t to, double lon, double lat) const {
  double mm = 0;
  for (int64_t t = from + kMinute; t <= to; t += kMinute) mm += RainRate(t, lon, lat) / 60.0;
  return std::round(mm * 10) / 10;  // a gauge's 0.1 mm resolution
}

double World::AirTemperature(int64_t t, double lon, double lat) const {
  const double yearly = 10.5 + 9 * std::cos(2 * kPi * (DayOfYear(t) - 205) / 365.2425);
  const double daily = 5 * std::cos(2 * kPi * (SolarHour(t) - 15) / 24);
  const double wet = RainRate(t, lon, lat) > 0 ? -2 : 0;
  const double noise = (Chance(t / (10 * kMinute), 7) - 0.5) * 0.8;
  return std::round((yearly + daily + wet + noise) * 10) / 10;
}

double World::Humidity(int64_t t, double lon, double lat) const {
  const double mean = 10.5 + 9 * std::cos(2 * kPi * (DayOfYear(t) - 205) / 365.2425);
  const double h = 78 - 2.2 * (AirTemperature(t, lon, lat) - mean) + (RainRate(t, lon, lat) > 0 ? 18 : 0);
  return std::round(std::clamp(h, 25.0, 100.0));
}

double World::WaterTemperature(int64_t t) const {
  const double v = 12 + 9 * std::cos(2 * kPi * (DayOfYear(t) - 215) / 365.2425) +
                   0.6 * std::cos(2 * kPi * (SolarHour(t) - 17) / 24);
  return std::round(v * 100) / 100;
}

double World::DissolvedOxygen(int64_t t) const {
  const double v = 14.6 - 0.33 * WaterTemperature(t) + 1.1 * std::cos(2 * kPi * (SolarHour(t) - 15) / 24);
  return std::round(v * 100) / 100;
}

double World::Ph(int64_t t) const {
  return std::round((7.9 + 0.3 * std::cos(2 * kPi * (SolarHour(t) - 15) / 24)) * 100) / 100;
}

double World::Conductivity(int64_t t, double lon, double lat) const {
  const double rain_day = RainAmount(t - kDay, t, lon, lat);
  return std::round(520 - std::min(120.0, rain_day * 4));
}

double World::Battery(uint64_t device, double days) const {
  const double v = 3.65 - 0.5 * std::min(days, 730.0) / 365 - 0.05 * Chance(device, 8);
  return std::round(v * 100) / 100;
}

bool World::Offline(uint64_t device, int64_t t) const {
  const int64_t block = DayIndex(t) / 30;
  const int64_t start = block * 30 * kDay + static_cast<int64_t>(Chance(device, 9, block) * 28 * kDay);
  const int64_t length = 6 * kHour + static_cast<int64_t>(Chance(device, 10, block) * 42 * kHour);
  return t >= start && t < start + length;
}

double Soil::StepTo(const World& world, int64_t t, double lon, double lat) {
  if (at_ms_ < 0) at_ms_ = t - kHour;
  constexpr double kWilting = 12, kField = 38, kSaturated = 44;
  const double near_surface = 10.0 / std::max(10.0, depth_cm_);  // 1, 1/3, 1/6
  while (at_ms_ < t) {
    const int64_t step = std::min<int64_t>(15 * kMinute, t - at_ms_);
    const int64_t now = at_ms_ + step;
    const double hours = static_cast<double>(step) / kHour;
    // Drying: evaporation and uptake by roots, faster when warm and by day, slower when dry.
    const double warmth = std::max(0.0, world.AirTemperature(now, lon, lat) - 2) / 20;
    const double daylight = std::max(0.0, std::cos(2 * kPi * (SolarHour(now) - 13) / 24));
    const double dryness = std::clamp((theta_ - kWilting) / (kField - kWilting), 0.0, 1.0);
    theta_ -= hours * (0.05 + 0.25 * warmth * daylight) * near_surface * 1.6 * dryness;
    // Wetting: rain reaches deeper layers later and less of it.
    const int64_t delay = static_cast<int64_t>((depth_cm_ - 10) / 50 * 12 * kHour);
    const double mm = world.RainAmount(now - step - delay, now - delay, lon, lat);
    theta_ += mm * 0.9 * std::sqrt(near_surface) * (theta_ < kField ? 1.0 : 0.2);
    theta_ = std::clamp(theta_, kWilting - 2, kSaturated);
    at_ms_ = now;
  }
  return std::round(theta_ * 10) / 10;
}

double FillLevel(const World& world, uint64_t container, int64_t t) {
  // A pace of 3-10 % a day; emptied at 07:00 UTC on the day it would pass 80 %.
  const double pace = 3 + 7 * world.Chance(container, 11);
  const int64_t cycle_days = static_cast<int64_t>(80 / pace) + 1;
  const int64_t offset = static_cast<int64_t>(world.Chance(container, 12) * cycle_days * kDay);
  const int64_t since = ((t - 7 * kHour + offset) % (cycle_days * kDay) + cycle_days * kDay) % (cycle_days * kDay);
  const double days = static_cast<double>(since) / kDay;
  return std::round(std::min(100.0, 2 + pace * days) * 10) / 10;
}

}  // namespace datenwerk::simulator
