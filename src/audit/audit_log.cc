#include "audit/audit_log.h"

#include <sodium.h>

namespace datenwerk::audit {

namespace {

std::string Schema(const std::string& dialect) {
  std::string sql =
      "CREATE TABLE IF NOT EXISTS audit_log (seq BIGINT PRIMARY KEY, at BIGINT NOT NULL,"
      " actor TEXT NOT NULL, origin TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL,"
      " before_state TEXT NOT NULL, after_state TEXT NOT NULL, hash TEXT NOT NULL);"
      "CREATE INDEX IF NOT EXISTS audit_log_at ON audit_log (at);";
  if (dialect == "postgresql") {
    sql +=
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$"
        " BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$ LANGUAGE plpgsql;"
        "CREATE OR REPLACE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log"
        " FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();";
  } else {
    sql +=
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log"
        " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
        "CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log"
        " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;";
  }
  return sql;
}

constexpr const char* kColumns = "seq, at, actor, origin, action, object, before_state, after_state, hash";

Entry EntryOf(const sql::Row& r) {
  return Entry{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7),
               r.Text(8)};
}

// `text` for LIKE with its wildcards taken literally (ESCAPE '\').
std::string LikeLiteral(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The WHERE clause and its parameters for a filter.
std::string Where(const Filter& f, std::vector<sql::Value>& params) {
  std::string where = " WHERE 1=1";
  auto add = [&](const std::string& clause, sql::Value v) {
    params.push_back(std::move(v));
    where += " AND " + clause + " $" + std::to_string(params.size());
  };
  if (!f.actor.empty()) {
    params.push_back("%" + LikeLiteral(f.actor) + "%");
    where += " AND LOWER(actor) LIKE LOWER($" + std::to_string(params.size()) + ") ESCAPE '\\'";
  }
  if (!f.action.empty()) add("action =", f.action);
  if (!f.object.empty()) {
    params.push_back(LikeLiteral(f.object) + "%");
    where += " AND object LIKE $" + std::to_string(params.size()) + " ESCAPE '\\'";
  }
  if (f.from_ms) add("at >=", *f.from_ms);
  if (f.to_ms) add("at <", *f.to_ms);
  return where;
}

}  // namespace

std::string ChainHash(const std::string& previous_hash, const Entry& e) {
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  // Every field with its length, so that moving text from one field to the next changes the hash.
  auto feed = [&](const std::string& s) {
    std::string prefix = std::to_string(s.size()) + ":";
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(prefix.data()), prefix.size());
    crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  };
  for (const std::string& s : {previous_hash, std::to_string(e.seq), std::to_string(e.at_ms), e.actor,
                               e.from, e.action, e.object, e.before, e.after}) {
    feed(s);
  }
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&state, digest);
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Result<std::unique_ptr<AuditLog>> AuditLog::Open(sql::Connection& db) {
  if (sodium_init() < 0) return Internal("libsodium could not be initialised");
  if (Status s = db.Exec(Schema(db.Dialect())); !s.ok()) return s;
  return std::make_unique<AuditLog>(db);
}

Result<Entry> AuditLog::Append(Entry entry) {
  Status s = db_.Transaction([&](sql::Tx&) -> Status {
    auto head = db_.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!head.ok()) return head.status();
    std::string previous = head->empty() ? "" : head->front().Text(1);
    entry.seq = head->empty() ? 1 : head->front().Int(0) + 1;
    entry.hash = ChainHash(previous, entry);
    return db_.Query("INSERT INTO audit_log (" + std::string(kColumns) +
                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                     {entry.seq, entry.at_ms, entry.actor, entry.from, entry.action, entry.object,
                      entry.before, entry.after, entry.hash})
        .status();
  });
  if (!s.ok()) return s;
  return entry;
}

Result<Entry> AuditLog::Append(sql::Tx& tx, Entry entry) {
  auto head = tx.Query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!head.ok()) return head.status();
  const std::string previous = head->empty() ? "" : head->front().Text(1);
  entry.seq = head->empty() ? 1 : head->front().Int(0) + 1;
  entry.hash = ChainHash(previous, entry);
  auto stored = tx.Change("INSERT INTO audit_log (" + std::string(kColumns) + ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                          {entry.seq, entry.at_ms, entry.actor, entry.from, entry.action, entry.object, entry.before,
                           entry.after, entry.hash});
  if (!stored.ok()) return stored.status();
  return entry;
}

Result<std::vector<Entry>> AuditLog::Find(const Filter& filter) {
  std::vector<sql::Value> params;
  std::string sql = "SELECT " + std::string(kColumns) + " FROM audit_log" + Where(filter, params);
  params.push_back(filter.limit);
  sql += " ORDER BY seq DESC LIMIT $" + std::to_string(params.size());
  params.push_back(filter.offset);
  sql += " OFFSET $" + std::to_string(params.size());
  auto rows = db_.Query(sql, params);
  if (!rows.ok()) return rows.status();
  std::vector<Entry> out;
  out.reserve(rows->size());
  for (const sql::Row& r : *rows) out.push_back(EntryOf(r));
  return out;
}

Result<int64_t> AuditLog::Count(const Filter& filter) {
  std::vector<sql::Value> params;
  auto rows = db_.Query("SELECT COUNT(*) FROM audit_log" + Where(filter, params), params);
  if (!rows.ok()) return rows.status();
  return rows->front().Int(0);
}

Result<Verification> AuditLog::Verify() {
  Verification v;
  std::string previous;
  constexpr int64_t kPage = 2000;
  for (int64_t after = 0;;) {
    auto rows = db_.Query("SELECT " + std::string(kColumns) + " FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                          {after, kPage});
    if (!rows.ok()) return rows.status();
    for (const sql::Row& r : *rows) {
      Entry e = EntryOf(r);
      if (e.seq != v.entries + 1 || ChainHash(previous, e) != e.hash) {
        v.ok = false;
        v.first_broken_seq = v.entries + 1;
        return v;
      }
      previous = e.hash;
      ++v.entries;
      after = e.seq;
    }
    if (static_cast<int64_t>(rows->size()) < kPage) return v;
  }
}

}  // namespace datenwerk::audit
