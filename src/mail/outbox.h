// Mail of the back office (password reset links, daily reminders) goes into an outbox table
// first, in the same database as the accounts, and a relay drains it (relay.h): a mail server
// that is away loses nothing, and each mail is tried again with growing pauses. Portable SQL on
// SQLite and PostgreSQL. Thread-safe: the borrowed connection serialises.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk::mail {

struct Mail {
  int64_t id = 0;
  std::string to;       // one address
  std::string subject;  // UTF-8
  std::string body;     // UTF-8 plain text
  std::string key;      // deduplication: a second mail with the same key is not queued
  int64_t created_ms = 0;
  int attempts = 0;
  int64_t next_attempt_ms = 0;
  std::optional<int64_t> sent_ms;
  std::string last_error;
};

// What queueing a mail announces to the other nodes (store/change_feed.h): the relay's node wakes.
inline constexpr char kMailTopic[] = "mail";

class Outbox {
 public:
  // Creates the table when missing. Borrows the connection.
  static Result<std::unique_ptr<Outbox>> Open(sql::Connection& db);
  explicit Outbox(sql::Connection& db) : db_(db) {}

  // Queues a mail; false when one with the same key is queued or sent already.
  Result<bool> Enqueue(const Mail& mail);
  // The same inside the caller's write transaction `tx` (on the outbox's database): the mail is
  // queued exactly when the change it tells of commits.
  static Result<bool> Enqueue(sql::Tx& tx, const Mail& mail);
  // Unsent mail whose next attempt is due at `now_ms`, oldest first.
  Result<std::vector<Mail>> Due(int64_t now_ms, int limit);
  Status MarkSent(int64_t id, int64_t now_ms);
  Status MarkFailed(int64_t id, const std::string& error, int64_t next_attempt_ms);
  // The newest mail, for the administrators' view and the tests.
  Result<std::vector<Mail>> Recent(int limit);

 private:
  sql::Connection& db_;
};

}  // namespace datenwerk::mail
