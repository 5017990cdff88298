// Where accounts and their sessions are kept: portable SQL (store/sql_connection.h), the same
// statements on SQLite and PostgreSQL. Session and reset tokens are stored as SHA-256 only.
// Thread-safe: the borrowed connection serialises.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "accounts/account.h"
#include "store/sql_connection.h"

namespace datenwerk::accounts {

struct SessionRecord {
  std::string token_hash;
  int64_t account_id = 0;
  std::string csrf;  // the token every form of this session carries
  int64_t created_ms = 0;
  int64_t last_seen_ms = 0;
};

class AccountStore {
 public:
  // Creates the tables when missing. Borrows the connection, which must outlive the store.
  static Result<std::unique_ptr<AccountStore>> Open(sql::Connection& db);
  explicit AccountStore(sql::Connection& db) : db_(db) {}

  // Assigns the id; kConflict when the e-mail address is taken.
  Result<Account> Create(Account account);
  // kNotFound when unknown.
  Result<Account> FindByEmail(const std::string& email);
  Result<Account> FindById(int64_t id);
  Result<std::vector<Account>> All();
  Result<int64_t> Count();
  // Name, role, scopes, active and directory; kNotFound when unknown.
  Status Update(const Account& account);
  Status SetPasswordHash(int64_t id, const std::string& hash);
  Status RecordAttempt(int64_t id, int failed_attempts, int64_t locked_until_ms);

  Status InsertSession(const SessionRecord& session);
  Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash);
  Status TouchSession(const std::string& token_hash, int64_t now_ms);
  Status DeleteSession(const std::string& token_hash);
  // Every session of an account (after a password change or deactivation), and expired ones.
  Status DeleteSessionsOf(int64_t account_id);
  Status DeleteSessionsBefore(int64_t created_before_ms, int64_t seen_before_ms);

  // One-time password reset links: the token's hash, valid until `expires_ms`.
  Status InsertReset(const std::string& token_hash, int64_t account_id, int64_t expires_ms);
  // Consumes the token: the account id when it was valid at `now_ms`, kNotFound otherwise.
  Result<int64_t> ConsumeReset(const std::string& token_hash, int64_t now_ms);

 private:
  sql::Connection& db_;
};

}  // namespace datenwerk::accounts
