// Request bodies: the bounded JSON reader (depth, finite numbers) and entity ids.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/json_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto value = datenwerk::ParseJsonInput(text);
  if (value.ok() && value->is_object()) {
    if (const auto* id = value->as_object().if_contains("@iot.id")) {
      (void)datenwerk::EntityId(*id, "@iot.id");
    }
  }
  return 0;
}
