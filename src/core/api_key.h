// API keys for the city's staff. A key is 32 random bytes shown once at creation; the store keeps
// only its SHA-256, so a leaked database does not leak usable keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace datenwerk {

// Ordered by what they may do; each role may do what the ones before it may:
// viewer (internal reads), editor (enters values, statuses and sensor data), reviewer (checks and
// publishes), administrator (accounts, keys, settings such as device profiles and retention).
enum class Role { kViewer = 0, kEditor = 1, kReviewer = 2, kAdministrator = 3 };
const char* RoleName(Role r);  // "viewer", "editor", "reviewer", "administrator"
// Also takes "admin", the name older databases store for administrator keys.
std::optional<Role> ParseRole(std::string_view s);
inline bool RoleAllows(Role held, Role needed) {
  return static_cast<int>(held) >= static_cast<int>(needed);
}

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
