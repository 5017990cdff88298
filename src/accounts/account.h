// A person who works in the back office, and the pure rules about accounts: how an e-mail address
// is written, how long a lock-out after failed sign-ins lasts.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/api_key.h"
#include "core/status.h"

namespace datenwerk::accounts {

struct Account {
  int64_t id = 0;
  std::string email;  // lower case; the sign-in name
  std::string name;   // shown in the back office and the audit trail
  Role role = Role::kViewer;
  // For editors: the themes and fields of action whose KPIs and measures they look after
  // (catalogue ids such as "ZI" or "ZI-NI"). Other roles ignore it.
  std::vector<std::string> scopes;
  bool active = true;
  bool directory = false;      // signs in against the city's directory (LDAP); no local password
  std::string password_hash;   // Argon2id string; "" for directory accounts
  int failed_attempts = 0;     // since the last successful sign-in
  int64_t locked_until_ms = 0;
  int64_t created_ms = 0;
};

// "anna@bochum.de" from " Anna@Bochum.de ": trimmed and lower case; kInvalidArgument (German
// message, field "email") for anything that is not one plausible address of at most 254 bytes.
Result<std::string> NormaliseEmail(std::string_view email);

// The lock-out after `failed_attempts` consecutive failures: none for the first four, then 30 s
// doubling with every further failure up to one hour.
int64_t LockoutDelayMs(int failed_attempts);

// The audit trail's name for an account, e.g. "konto:3 anna@bochum.de".
std::string ActorName(const Account& account);

}  // namespace datenwerk::accounts
