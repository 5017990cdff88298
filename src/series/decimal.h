// Whether readings are decimals with few places, so they can be stored as scaled integers.
// Shared by the chunk formats (series/chunk_codec.h and the older series/gorilla.h).
#pragma once

#include <algorithm>
#include <cmath>
#include <span>

#include "series/point.h"

namespace datenwerk::series::decimal {

inline constexpr double kPow10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
inline constexpr int kMaxPlaces = 6;
inline constexpr double kMaxScaled = 4503599627370496.0;  // 2^52: integers exact in a double

// True when v * 10^places is an integer below 2^52 that divides back to exactly v.
inline bool IsDecimal(double v, int places) {
  if (v == 0 && std::signbit(v)) return false;  // -0.0 would come back as +0.0
  const double scaled = std::nearbyint(v * kPow10[places]);
  return std::abs(scaled) < kMaxScaled && scaled / kPow10[places] == v;
}

// The fewest decimal places (0-6) with which every value is an exact scaled integer, or -1.
inline int DecimalPlaces(std::span<const Point> points) {
  for (int places = 0; places <= kMaxPlaces; ++places) {
    if (std::all_of(points.begin(), points.end(), [&](const Point& p) { return IsDecimal(p.value, places); })) {
      return places;
    }
  }
  return -1;
}

}  // namespace datenwerk::series::decimal
