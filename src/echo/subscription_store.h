// The area subscriptions (subscriptions.h) in the deployment's one database, table
// echo_subscriptions; their mails go into the back office's outbox in the same write.
// Thread-safe; several nodes may share the database (a digest is claimed with a compare-and-set
// on its last sending time, so it goes out once).
#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "core/status.h"
#include "echo/subscriptions.h"
#include "store/sql_connection.h"

namespace datenwerk::echo {

class SubscriptionStore {
 public:
  // Creates the table when missing. Borrows `db`.
  static Result<std::unique_ptr<SubscriptionStore>> Open(sql::Connection& db);
  explicit SubscriptionStore(sql::Connection& db) : db_(db) {}

  // Stores a checked subscription and queues `confirmation` in one write. Nothing is stored or
  // sent (and true is not answered) when the address already holds the same area unconfirmed
  // from the last day (no mail bombing through the form), or holds kMaxSubscriptionsPerAddress;
  // the caller tells the citizen the same either way. True when stored.
  Result<bool> Add(const Subscription& s, const mail::Mail& confirmation);
  Result<std::optional<Subscription>> ByToken(const std::string& token);
  // Confirms (once; later confirmations change nothing): the digest starts from now.
  // kNotFound for an unknown token or one past kConfirmWindowMs.
  Result<Subscription> Confirm(const std::string& token, int64_t now_ms);
  // Ends the subscription: its row, and so the address, is gone. kNotFound for an unknown token.
  datenwerk::Status Remove(const std::string& token);
  // Confirmed subscriptions whose last digest is at least `interval_ms` old, oldest first.
  Result<std::vector<Subscription>> Due(int64_t now_ms, int64_t interval_ms, int64_t limit);
  // Records the digest of `s` up to `now_ms` and queues `digest` (when there is one) in one
  // write, only if nobody recorded one since s.last_sent_ms was read: false then (another node
  // sent it, or the subscription ended), and nothing is queued.
  Result<bool> RecordDigest(const Subscription& s, int64_t now_ms, const std::optional<mail::Mail>& digest);
  // Erases unconfirmed subscriptions created before `created_before_ms`; how many.
  Result<int64_t> ForgetUnconfirmed(int64_t created_before_ms);
  // How many confirmed subscriptions there are (the back office's figure).
  Result<int64_t> CountConfirmed();

 private:
  sql::Connection& db_;
};

// One round of digests at `now_ms`: the due subscriptions, what happened since the oldest of
// them (read once from `reports`), a mail each where something happened. How many mails were
// queued. At most `limit` subscriptions per round; the next round takes the rest.
Result<int64_t> SendDigests(SubscriptionStore& subscriptions, ReportStore& reports, const Services& services,
                            const std::string& base_url, int64_t now_ms, int64_t interval_ms, int64_t limit = 2000);

}  // namespace datenwerk::echo
