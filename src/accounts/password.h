// Passwords and secrets of the back office. Passwords are hashed with Argon2id (libsodium's
// crypto_pwhash, "interactive" limits: 2 passes over 64 MiB), so a stolen database does not give
// them away cheaply. Tokens (sessions, CSRF, reset links) are 32 random bytes, kept only as
// SHA-256 where they are looked up. Thread-safe (libsodium is initialised once).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace datenwerk::accounts {

// What a password must be: 12 to 256 characters (a passphrase is welcome). The message is in
// German, for the form; the field is "passwort".
Status CheckPasswordRules(std::string_view password);

// The Argon2id string ("$argon2id$v=19$m=65536,t=2,p=1$..."); kInternal when memory runs out.
Result<std::string> HashPassword(std::string_view password);
// True when `password` matches `stored` (an Argon2id string); false for anything malformed.
bool VerifyPassword(std::string_view stored, std::string_view password);

// 32 random bytes as URL-safe base64 without padding (43 characters).
std::string RandomToken();
// Lower-case hex SHA-256, for looking tokens up without storing them.
std::string TokenHash(std::string_view token);
// Constant-time equality of two strings (false when the lengths differ).
bool SameSecret(std::string_view a, std::string_view b);

}  // namespace datenwerk::accounts
