#include "accounts/account_store.h"

#include "store/text_lists.h"

namespace datenwerk::accounts {

namespace {

std::string Schema(const std::string& dialect) {
  const std::string id = dialect == "postgresql" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY";
  return "CREATE TABLE IF NOT EXISTS accounts (id " + id + ", email TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
         " role TEXT NOT NULL, scopes TEXT NOT NULL, active INTEGER NOT NULL, directory INTEGER NOT NULL,"
         " password_hash TEXT NOT NULL, failed_attempts INTEGER NOT NULL, locked_until BIGINT NOT NULL,"
         " created BIGINT NOT NULL);"
         "CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, account_id BIGINT NOT NULL,"
         " csrf TEXT NOT NULL, created BIGINT NOT NULL, last_seen BIGINT NOT NULL);"
         "CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id);"
         "CREATE TABLE IF NOT EXISTS password_resets (token_hash TEXT PRIMARY KEY, account_id BIGINT NOT NULL,"
         " expires BIGINT NOT NULL);";
}

constexpr const char* kColumns =
    "id, email, name, role, scopes, active, directory, password_hash, failed_attempts, locked_until, created";

Account AccountOf(const sql::Row& r) {
  Account a;
  a.id = r.Int(0);
  a.email = r.Text(1);
  a.name = r.Text(2);
  a.role = ParseRole(r.Text(3)).value_or(Role::kViewer);
  a.scopes = store_internal::Split(r.Text(4), ',');
  a.active = r.Int(5) != 0;
  a.directory = r.Int(6) != 0;
  a.password_hash = r.Text(7);
  a.failed_attempts = static_cast<int>(r.Int(8));
  a.locked_until_ms = r.Int(9);
  a.created_ms = r.Int(10);
  return a;
}

Result<Account> One(Result<std::vector<sql::Row>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("Konto nicht gefunden", "konto");
  return AccountOf(rows->front());
}

Status Changed(Result<std::vector<sql::Row>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return NotFound("Konto nicht gefunden", "konto");
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<AccountStore>> AccountStore::Open(sql::Connection& db) {
  if (Status s = db.Exec(Schema(db.Dialect())); !s.ok()) return s;
  return std::make_unique<AccountStore>(db);
}

Result<Account> AccountStore::Create(Account a) {
  auto rows = db_.Query("INSERT INTO accounts (email, name, role, scopes, active, directory, password_hash,"
                        " failed_attempts, locked_until, created) VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $8)"
                        " RETURNING id",
                        {a.email, a.name, std::string(RoleName(a.role)), store_internal::Join(a.scopes, ','),
                         int64_t{a.active}, int64_t{a.directory}, a.password_hash, a.created_ms});
  if (!rows.ok()) {
    if (rows.status().code() == ErrorCode::kConflict) {
      return Status(ErrorCode::kConflict, "Für diese E-Mail-Adresse gibt es schon ein Konto.", "email");
    }
    return rows.status();
  }
  a.id = rows->front().Int(0);
  return a;
}

Result<Account> AccountStore::FindByEmail(const std::string& email) {
  return One(db_.Query("SELECT " + std::string(kColumns) + " FROM accounts WHERE email = $1", {email}));
}

Result<Account> AccountStore::FindById(int64_t id) {
  return One(db_.Query("SELECT " + std::string(kColumns) + " FROM accounts WHERE id = $1", {id}));
}

Result<std::vector<Account>> AccountStore::All() {
  auto rows = db_.Query("SELECT " + std::string(kColumns) + " FROM accounts ORDER BY email");
  if (!rows.ok()) return rows.status();
  std::vector<Account> out;
  for (const sql::Row& r : *rows) out.push_back(AccountOf(r));
  return out;
}

Result<int64_t> AccountStore::Count() {
  auto rows = db_.Query("SELECT COUNT(*) FROM accounts");
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0);
}

Status AccountStore::Update(const Account& a) {
  return Changed(db_.Query("UPDATE accounts SET name = $1, role = $2, scopes = $3, active = $4, directory = $5"
                           " WHERE id = $6 RETURNING id",
                           {a.name, std::string(RoleName(a.role)), store_internal::Join(a.scopes, ','),
                            int64_t{a.active}, int64_t{a.directory}, a.id}));
}

Status AccountStore::SetPasswordHash(int64_t id, const std::string& hash) {
  return Changed(db_.Query("UPDATE accounts SET password_hash = $1, failed_attempts = 0, locked_until = 0"
                           " WHERE id = $2 RETURNING id",
                           {hash, id}));
}

Status AccountStore::RecordAttempt(int64_t id, int failed_attempts, int64_t locked_until_ms) {
  return Changed(db_.Query("UPDATE accounts SET failed_attempts = $1, locked_until = $2 WHERE id = $3 RETURNING id",
                           {int64_t{failed_attempts}, locked_until_ms, id}));
}

Status AccountStore::InsertSession(const SessionRecord& s) {
  return db_.Query("INSERT INTO sessions (token_hash, account_id, csrf, created, last_seen) VALUES ($1, $2, $3, $4, $5)",
                   {s.token_hash, s.account_id, s.csrf, s.created_ms, s.last_seen_ms})
      .status();
}

Result<std::optional<SessionRecord>> AccountStore::FindSession(const std::string& token_hash) {
  auto rows = db_.Query("SELECT token_hash, account_id, csrf, created, last_seen FROM sessions WHERE token_hash = $1",
                        {token_hash});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<SessionRecord>();
  const sql::Row& r = rows->front();
  return std::optional<SessionRecord>(SessionRecord{r.Text(0), r.Int(1), r.Text(2), r.Int(3), r.Int(4)});
}

Status AccountStore::TouchSession(const std::string& token_hash, int64_t now_ms) {
  return db_.Query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2", {now_ms, token_hash}).status();
}

Status AccountStore::DeleteSession(const std::string& token_hash) {
  return db_.Query("DELETE FROM sessions WHERE token_hash = $1", {token_hash}).status();
}

Status AccountStore::DeleteSessionsOf(int64_t account_id) {
  return db_.Query("DELETE FROM sessions WHERE account_id = $1", {account_id}).status();
}

Status AccountStore::DeleteSessionsBefore(int64_t created_before_ms, int64_t seen_before_ms) {
  return db_.Query("DELETE FROM sessions WHERE created < $1 OR last_seen < $2", {created_before_ms, seen_before_ms})
      .status();
}

Status AccountStore::InsertReset(const std::string& token_hash, int64_t account_id, int64_t expires_ms) {
  return db_.Query("INSERT INTO password_resets (token_hash, account_id, expires) VALUES ($1, $2, $3)",
                   {token_hash, account_id, expires_ms})
      .status();
}

Result<int64_t> AccountStore::ConsumeReset(const std::string& token_hash, int64_t now_ms) {
  auto rows = db_.Query("DELETE FROM password_resets WHERE token_hash = $1 RETURNING account_id, expires", {token_hash});
  if (!rows.ok()) return rows.status();
  if (rows->empty() || rows->front().Int(1) < now_ms) {
    return NotFound("Der Link ist ungültig oder abgelaufen. Bitte fordern Sie einen neuen an.", "token");
  }
  return rows->front().Int(0);
}

}  // namespace datenwerk::accounts
