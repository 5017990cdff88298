// The CSV reader of the catalogue importer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)datenwerk::ParseCsv(text, "fuzz.csv");
  return 0;
}
