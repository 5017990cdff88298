// The simulated world the fleet measures: deterministic from a seed, so that a test, a
// back-fill and a benchmark see the same weather. Everything is a function of time (UTC ms)
// and place except the soils, which carry state from step to step. Plausible, not forecast:
// - air temperature: a yearly cycle (mean 10.5 °C, ±9 K, warmest late July) and a daily one
//   (±5 K, warmest at 15:00), cooler while it rains, with noise;
// - rain: per day a chance of rain events (1-3, 0.5-4 mm/h, 1-6 h) that cross the city from the
//   west at 30 km/h with a local strength; once in every 30 days a heavy-rain cell (45 mm/h for
//   25 minutes on a 3 km wide track);
// - soils (10, 30, 60 cm): drying between rains, faster near the surface and when warm, wetting
//   after rain with depth-dependent delay and share, between wilting point and saturation;
// - a lake: water temperature, dissolved oxygen (less when warm, more by day), pH, conductivity
//   (diluted after rain);
// - glass containers filling at their own pace, emptied on collection;
// - batteries declining over a year; devices that drop out for a while.
// Pure; thread-compatible (Soil carries state).
#pragma once

#include <cstdint>

namespace datenwerk::simulator {

class World {
 public:
  explicit World(uint64_t seed) : seed_(seed) {}

  // Uniform in [0, 1) from the seed and the keys: the world's only source of chance.
  double Chance(uint64_t a, uint64_t b = 0, uint64_t c = 0) const;

  double AirTemperature(int64_t t_ms, double lon, double lat) const;
  double Humidity(int64_t t_ms, double lon, double lat) const;
  // Rain intensity (mm/h) at the place and time, and the amount (mm) in (from, to].
  double RainRate(int64_t t_ms, double lon, double lat) const;
  double RainAmount(int64_t from_ms, int64_t to_ms, double lon, double lat) const;

  double WaterTemperature(int64_t t_ms) const;
  double DissolvedOxygen(int64_t t_ms) const;   // mg/l
  double Ph(int64_t t_ms) const;
  double Conductivity(int64_t t_ms, double lon, double lat) const;  // µS/cm

  // Volts of a device's battery `days` after it was installed.
  double Battery(uint64_t device, double days) const;
  // Whether a device is out of service at `t` (one outage of 6-48 h in each 30 days).
  bool Offline(uint64_t device, int64_t t_ms) const;

 private:
  uint64_t seed_;
};

// A soil-moisture sensor's soil (volumetric water content in %), stepped through time.
class Soil {
 public:
  Soil(double depth_cm, double start_percent) : depth_cm_(depth_cm), theta_(start_percent) {}
  // Advances to `t_ms` (steps of at most 15 minutes) and returns the water content then.
  double StepTo(const World& world, int64_t t_ms, double lon, double lat);
  double value() const { return theta_; }

 private:
  double depth_cm_;
  double theta_;
  int64_t at_ms_ = -1;
};

// A glass container's fill level in %, from its pace and the collection rule.
double FillLevel(const World& world, uint64_t container, int64_t t_ms);

}  // namespace datenwerk::simulator
