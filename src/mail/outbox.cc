#include "mail/outbox.h"

#include "store/change_feed.h"

namespace datenwerk::mail {

namespace {

std::string Schema(const std::string& dialect) {
  const std::string id = dialect == "postgresql" ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY";
  return "CREATE TABLE IF NOT EXISTS mail_outbox (id " + id + ", recipient TEXT NOT NULL, subject TEXT NOT NULL,"
         " body TEXT NOT NULL, dedupe_key TEXT NOT NULL UNIQUE, created BIGINT NOT NULL, attempts INTEGER NOT NULL,"
         " next_attempt BIGINT NOT NULL, sent BIGINT, last_error TEXT NOT NULL);"
         "CREATE INDEX IF NOT EXISTS mail_outbox_due ON mail_outbox (sent, next_attempt);";
}

constexpr const char* kColumns =
    "id, recipient, subject, body, dedupe_key, created, attempts, next_attempt, sent, last_error";

Mail MailOf(const sql::Row& r) {
  Mail m;
  m.id = r.Int(0);
  m.to = r.Text(1);
  m.subject = r.Text(2);
  m.body = r.Text(3);
  m.key = r.Text(4);
  m.created_ms = r.Int(5);
  m.attempts = static_cast<int>(r.Int(6));
  m.next_attempt_ms = r.Int(7);
  if (!r.IsNull(8)) m.sent_ms = r.Int(8);
  m.last_error = r.Text(9);
  return m;
}

Result<std::vector<Mail>> Mails(Result<std::vector<sql::Row>> rows) {
  if (!rows.ok()) return rows.status();
  std::vector<Mail> out;
  for (const sql::Row& r : *rows) out.push_back(MailOf(r));
  return out;
}

}  // namespace

Result<std::unique_ptr<Outbox>> Outbox::Open(sql::Connection& db) {
  if (Status s = db.Exec(Schema(db.Dialect())); !s.ok()) return s;
  return std::make_unique<Outbox>(db);
}

constexpr const char* kEnqueue =
    "INSERT INTO mail_outbox (recipient, subject, body, dedupe_key, created, attempts, next_attempt,"
    " sent, last_error) VALUES ($1, $2, $3, $4, $5, 0, $5, NULL, '')"
    " ON CONFLICT (dedupe_key) DO NOTHING";

Result<bool> Outbox::Enqueue(const Mail& m) {
  bool queued = false;
  Status s = db_.Write([&](sql::Tx& tx) -> Status {
    auto added = Enqueue(tx, m);
    if (!added.ok()) return added.status();
    queued = *added;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return queued;
}

Result<bool> Outbox::Enqueue(sql::Tx& tx, const Mail& m) {
  auto changed = tx.Change(kEnqueue, {m.to, m.subject, m.body, m.key, m.created_ms});
  if (!changed.ok()) return changed.status();
  // The node whose relay sends (cluster/leases.h) wakes at once, wherever the mail was queued.
  if (*changed > 0) {
    if (Status s = sql::Announce(tx, kMailTopic); !s.ok()) return s;
  }
  return *changed > 0;
}

Result<std::vector<Mail>> Outbox::Due(int64_t now_ms, int limit) {
  return Mails(db_.Query("SELECT " + std::string(kColumns) +
                             " FROM mail_outbox WHERE sent IS NULL AND next_attempt <= $1 ORDER BY id LIMIT $2",
                         {now_ms, int64_t{limit}}));
}

Status Outbox::MarkSent(int64_t id, int64_t now_ms) {
  return db_.Query("UPDATE mail_outbox SET sent = $1, attempts = attempts + 1, last_error = '' WHERE id = $2",
                   {now_ms, id})
      .status();
}

Status Outbox::MarkFailed(int64_t id, const std::string& error, int64_t next_attempt_ms) {
  return db_.Query("UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1, next_attempt = $2 WHERE id = $3",
                   {error.substr(0, 500), next_attempt_ms, id})
      .status();
}

Result<std::vector<Mail>> Outbox::Recent(int limit) {
  return Mails(db_.Query("SELECT " + std::string(kColumns) + " FROM mail_outbox ORDER BY id DESC LIMIT $1",
                         {int64_t{limit}}));
}

}  // namespace datenwerk::mail
