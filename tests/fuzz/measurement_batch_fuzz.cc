// The simdjson reader of CreateObservations bodies (the ingest hot path).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sta/measurement_batch.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)datenwerk::sta::ReadMeasurementGroups(text);
  return 0;
}
