// Sign-in, sessions and password changes of the back office, with their audit entries.
// Sessions: a random token in a cookie (stored as SHA-256), a new one at every sign-in (so a
// token planted before sign-in is worthless), ended after `idle_ms` without use or `absolute_ms`
// after sign-in. Failed sign-ins count per account and lock it for growing delays
// (LockoutDelayMs); unknown addresses cost the same hashing time as known ones and get the same
// answer. Thread-safe; borrows the store, the audit log and the directory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "accounts/account_store.h"
#include "audit/audit_log.h"

namespace datenwerk::accounts {

// Sign-in against the city's directory (LDAP); implemented in ldap/.
class Directory {
 public:
  virtual ~Directory() = default;
  // The person's display name when `password` is theirs; kUnauthenticated when not;
  // kUnavailable when the directory cannot be reached.
  virtual Result<std::string> Bind(const std::string& email, const std::string& password) = 0;
};

struct SessionPolicy {
  int64_t idle_ms = 30 * 60'000;
  int64_t absolute_ms = 10 * 3'600'000;
  int64_t touch_every_ms = 60'000;  // last-seen is written at most this often
};

// A signed-in person, as a request sees it.
struct Session {
  Account account;
  std::string token;  // only set right after sign-in (for the cookie)
  std::string csrf;
};

// Who did something and from where, for the audit trail.
struct Origin {
  std::string actor;
  std::string from;
};

class Authenticator {
 public:
  Authenticator(AccountStore& store, audit::AuditLog& audit, SessionPolicy policy, Directory* directory = nullptr);

  // A new session for the holder of `email` and `password`. kUnauthenticated ("E-Mail-Adresse
  // oder Passwort ist falsch.") for a wrong pair or a deactivated account; kUnavailable with the
  // waiting time (field "sperre") while the account is locked, or (field "passwort") when the
  // directory cannot be reached.
  Result<Session> SignIn(const std::string& email, const std::string& password, const std::string& from,
                         int64_t now_ms);
  // The session of `token`, if it is valid at `now_ms` (expired sessions are deleted).
  Result<std::optional<Session>> Resolve(const std::string& token, int64_t now_ms);
  Status SignOut(const std::string& token, const Origin& origin, int64_t now_ms);

  // Creates a local account (password checked and hashed) or a directory account (no password).
  Result<Account> CreateAccount(Account account, const std::string& password, const Origin& origin,
                                int64_t now_ms);
  // Role, name, scopes, active; ends the account's sessions when it is deactivated or its role
  // changes.
  Status UpdateAccount(const Account& account, const Origin& origin, int64_t now_ms);
  // Sets a new password and ends every session of the account.
  Status SetPassword(int64_t account_id, const std::string& password, const Origin& origin, int64_t now_ms);

  // A one-time reset token for `email`, valid for an hour; nullopt for unknown, deactivated and
  // directory accounts (the caller answers the same either way).
  Result<std::optional<std::string>> CreateReset(const std::string& email, const std::string& from,
                                                 int64_t now_ms);
  // Sets the password of the reset token's account; the token is used up.
  Status ResetPassword(const std::string& token, const std::string& password, const std::string& from,
                       int64_t now_ms);

  AccountStore& store() { return store_; }

 private:
  Status Audit(const Origin& origin, const std::string& action, const std::string& object,
               const std::string& before, const std::string& after, int64_t now_ms);
  Result<Session> StartSession(const Account& account, const std::string& from, int64_t now_ms);
  Result<Session> Refuse(const Account* account, const std::string& email, const std::string& from,
                         int64_t now_ms);

  AccountStore& store_;
  audit::AuditLog& audit_;
  SessionPolicy policy_;
  Directory* directory_;
};

// The account as JSON for the audit trail (never the password hash).
std::string AccountAuditJson(const Account& account);

}  // namespace datenwerk::accounts
