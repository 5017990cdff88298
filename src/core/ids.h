// Ids as they arrive in paths, queries and forms. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace datenwerk {

// A positive whole number written in full ("17"; not "+17", "17x", "1e3", "0"), else nullopt.
std::optional<int64_t> PositiveId(std::string_view text);

}  // namespace datenwerk
