// Chunks of the observation store as read from the database: any bytes must decode to points or
// to an error, never a crash; what decodes encodes again and decodes to the same points.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "series/chunk_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view block(reinterpret_cast<const char*>(data), size);
  auto points = datenwerk::series::DecodeChunk(block);
  if (!points.ok()) return 0;
  auto again = datenwerk::series::EncodeChunk(*points);
  if (!again.ok()) return 0;  // the older format allows times that do not increase: refused here
  auto back = datenwerk::series::DecodeChunk(*again);
  if (!back.ok() || back->size() != points->size()) std::abort();
  for (size_t i = 0; i < points->size(); ++i) {
    if ((*back)[i].time_ms != (*points)[i].time_ms ||
        std::memcmp(&(*back)[i].value, &(*points)[i].value, sizeof(double)) != 0) {
      std::abort();
    }
  }
  return 0;
}
