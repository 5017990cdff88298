// Uplinks of ChirpStack and The Things Stack, and the Cayenne LPP payloads inside them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sensors/cayenne_lpp.h"
#include "sensors/lorawan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)datenwerk::sensors::ParseChirpStackUplink(text);
  (void)datenwerk::sensors::ParseTheThingsStackUplink(text);
  (void)datenwerk::sensors::DecodeCayenneLpp(text);
  if (auto bytes = datenwerk::sensors::DecodeBase64(text)) {
    (void)datenwerk::sensors::DecodeCayenneLpp(*bytes);
  }
  return 0;
}
