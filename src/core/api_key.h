// API keys for the city's staff. A key is 32 random bytes shown once at creation; the store keeps
// only its SHA-256, so a leaked database does not leak usable keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace datenwerk {

enum class Role { kEditor, kAdmin };
const char* RoleName(Role r);  // "editor", "admin"
std::optional<Role> ParseRole(std::string_view s);

struct ApiKeyRecord {
  int64_t id = 0;
  std::string label;  // who or what uses it, e.g. "Amt für Statistik"
  Role role = Role::kEditor;
  std::string hash;   // hex SHA-256 of the key
  std::string created_at;
};

// "dwk_" + 64 hex characters from the operating system's random source.
std::string GenerateApiKey();
// Lower-case hex SHA-256 of the key.
std::string HashApiKey(std::string_view key);

}  // namespace datenwerk
