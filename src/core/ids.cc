#include "core/ids.h"

#include <charconv>

namespace datenwerk {

std::optional<int64_t> PositiveId(std::string_view text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

}  // namespace datenwerk
