#include "sensors/cayenne_lpp.h"

#include <cstdint>

namespace datenwerk::sensors {

namespace {

struct LppType {
  uint8_t code;
  const char* name;
  int size;        // bytes per axis
  int axes;        // values in one reading
  double scale;    // resolution per bit
  bool is_signed;
  const char* const* axis_names;
};

constexpr const char* kXyz[] = {"x", "y", "z"};
constexpr const char* kGps[] = {"latitude", "longitude", "altitude"};

// GPS is special: three 3-byte values with different scales; handled below.
constexpr LppType kTypes[] = {
    {0, "digital_in", 1, 1, 1, false, nullptr},
    {1, "digital_out", 1, 1, 1, false, nullptr},
    {2, "analog_in", 2, 1, 0.01, true, nullptr},
    {3, "analog_out", 2, 1, 0.01, true, nullptr},
    {100, "generic_sensor", 4, 1, 1, false, nullptr},
    {101, "luminosity", 2, 1, 1, false, nullptr},
    {102, "presence", 1, 1, 1, false, nullptr},
    {103, "temperature", 2, 1, 0.1, true, nullptr},
    {104, "relative_humidity", 1, 1, 0.5, false, nullptr},
    {113, "accelerometer", 2, 3, 0.001, true, kXyz},
    {115, "barometric_pressure", 2, 1, 0.1, false, nullptr},
    {116, "voltage", 2, 1, 0.01, false, nullptr},
    {117, "current", 2, 1, 0.001, false, nullptr},
    {118, "frequency", 4, 1, 1, false, nullptr},
    {120, "percentage", 1, 1, 1, false, nullptr},
    {121, "altitude", 2, 1, 1, true, nullptr},
    {125, "concentration", 2, 1, 1, false, nullptr},
    {128, "power", 2, 1, 1, false, nullptr},
    {130, "distance", 4, 1, 0.001, false, nullptr},
    {131, "energy", 4, 1, 0.001, false, nullptr},
    {132, "direction", 2, 1, 1, false, nullptr},
    {133, "unixtime", 4, 1, 1, false, nullptr},
    {134, "gyrometer", 2, 3, 0.01, true, kXyz},
    {136, "gps", 3, 3, 0.0001, true, kGps},
    {142, "switch", 1, 1, 1, false, nullptr},
};

int64_t ReadBigEndian(std::string_view bytes, size_t at, int size, bool is_signed) {
  uint64_t v = 0;
  for (int i = 0; i < size; ++i) v = (v << 8) | static_cast<uint8_t>(bytes[at + i]);
  if (is_signed && (v >> (size * 8 - 1)) & 1) {
    return static_cast<int64_t>(v) - (int64_t{1} << (size * 8));
  }
  return static_cast<int64_t>(v);
}

}  // namespace

Result<Fields> DecodeCayenneLpp(std::string_view bytes) {
  Fields out;
  size_t at = 0;
  while (at < bytes.size()) {
    if (at + 2 > bytes.size()) return InvalidArgument("truncated Cayenne LPP header", "payload");
    const int channel = static_cast<uint8_t>(bytes[at]);
    const uint8_t code = static_cast<uint8_t>(bytes[at + 1]);
    at += 2;
    const LppType* type = nullptr;
    for (const LppType& t : kTypes) {
      if (t.code == code) type = &t;
    }
    if (!type) {
      return InvalidArgument("unknown Cayenne LPP type " + std::to_string(code), "payload");
    }
    if (at + static_cast<size_t>(type->size * type->axes) > bytes.size()) {
      return InvalidArgument(std::string("truncated Cayenne LPP ") + type->name, "payload");
    }
    const std::string base = std::string(type->name) + "_" + std::to_string(channel);
    for (int axis = 0; axis < type->axes; ++axis) {
      const int64_t raw = ReadBigEndian(bytes, at, type->size, type->is_signed);
      at += static_cast<size_t>(type->size);
      double scale = type->scale;
      if (type->code == 136 && axis == 2) scale = 0.01;  // GPS altitude: 0.01 m
      const double value = static_cast<double>(raw) * scale;
      out.emplace_back(type->axis_names ? base + "." + type->axis_names[axis] : base, value);
    }
  }
  return out;
}

}  // namespace datenwerk::sensors
