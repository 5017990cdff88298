#include "echo/subscription_store.h"

#include <algorithm>
#include <limits>

#include "core/dates.h"

namespace datenwerk::echo {

namespace {

constexpr const char* kSchema[] = {
    "CREATE TABLE IF NOT EXISTS echo_subscriptions (id BIGINT PRIMARY KEY, token TEXT NOT NULL UNIQUE, "
    "email TEXT NOT NULL, district TEXT NOT NULL, lat DOUBLE PRECISION, lon DOUBLE PRECISION, "
    "radius_m DOUBLE PRECISION NOT NULL, created BIGINT NOT NULL, confirmed BIGINT, last_sent BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS echo_subscriptions_email ON echo_subscriptions (lower(email))",
    "CREATE INDEX IF NOT EXISTS echo_subscriptions_due ON echo_subscriptions (last_sent)",
};

constexpr const char* kSelect =
    "SELECT id, token, email, district, lat, lon, radius_m, created, confirmed, last_sent FROM echo_subscriptions";

Subscription SubscriptionOf(const sql::Row& r) {
  Subscription s;
  s.id = r.Int(0);
  s.token = r.Text(1);
  s.email = r.Text(2);
  s.area.district = r.Text(3);
  if (!r.IsNull(4) && !r.IsNull(5)) {
    s.area.lat = r.Real(4);
    s.area.lon = r.Real(5);
  }
  s.area.radius_m = r.Real(6);
  s.created_ms = r.Int(7);
  if (!r.IsNull(8)) s.confirmed_ms = r.Int(8);
  s.last_sent_ms = r.Int(9);
  return s;
}

sql::Value Optional(const std::optional<double>& v) { return v ? sql::Value(*v) : sql::Value(); }

// Reports by id, in slices that stay below both databases' parameter limits.
Result<std::vector<Report>> ReportsByIds(ReportStore& reports, std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<Report> out;
  constexpr size_t kSlice = 500;
  for (size_t i = 0; i < ids.size(); i += kSlice) {
    ReportQuery q;
    q.ids.assign(ids.begin() + i, ids.begin() + std::min(ids.size(), i + kSlice));
    q.limit = kSlice;
    auto found = reports.List(q);
    if (!found.ok()) return found.status();
    for (Report& r : *found) out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<SubscriptionStore>> SubscriptionStore::Open(sql::Connection& db) {
  Status s = db.Write([](sql::Tx& tx) {
    for (const char* statement : kSchema) {
      if (Status e = tx.Exec(statement); !e.ok()) return e;
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return std::make_unique<SubscriptionStore>(db);
}

Result<bool> SubscriptionStore::Add(const Subscription& s, const mail::Mail& confirmation) {
  bool stored = false;
  Status done = db_.Write([&](sql::Tx& tx) -> Status {
    auto held = tx.Query(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN confirmed IS NULL AND created > $1 THEN 1 ELSE 0 END), 0) "
        "FROM echo_subscriptions WHERE lower(email) = lower($2)",  // $n in order of appearance (SQLite)
        {s.created_ms - kDayMs, s.email});
    if (!held.ok()) return held.status();
    if (held->at(0).Int(0) >= kMaxSubscriptionsPerAddress || held->at(0).Int(1) > 0) return Status::Ok();
    auto next = tx.Query("SELECT COALESCE(MAX(id), 0) + 1 FROM echo_subscriptions");
    if (!next.ok()) return next.status();
    auto inserted = tx.Change(
        "INSERT INTO echo_subscriptions (id, token, email, district, lat, lon, radius_m, created, confirmed, last_sent) "
        "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,NULL,$9)",
        {next->at(0).Int(0), s.token, s.email, s.area.district, Optional(s.area.lat), Optional(s.area.lon),
         s.area.radius_m, s.created_ms, s.last_sent_ms});
    if (!inserted.ok()) return inserted.status();
    auto queued = mail::Outbox::Enqueue(tx, confirmation);
    if (!queued.ok()) return queued.status();
    stored = true;
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return stored;
}

Result<std::optional<Subscription>> SubscriptionStore::ByToken(const std::string& token) {
  if (token.empty() || token.size() > 100) return std::optional<Subscription>();
  auto rows = sql::ReadQuery(db_, std::string(kSelect) + " WHERE token = $1", {token});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<Subscription>();
  return std::optional<Subscription>(SubscriptionOf(rows->front()));
}

Result<Subscription> SubscriptionStore::Confirm(const std::string& token, int64_t now_ms) {
  if (token.empty() || token.size() > 100) return NotFound("no subscription with this link", "token");
  std::optional<Subscription> found;
  Status done = db_.Write([&](sql::Tx& tx) -> Status {
    auto rows = tx.Query(std::string(kSelect) + " WHERE token = $1", {token});
    if (!rows.ok()) return rows.status();
    if (rows->empty()) return NotFound("no subscription with this link", "token");
    Subscription s = SubscriptionOf(rows->front());
    if (!s.confirmed_ms) {
      if (now_ms - s.created_ms > kConfirmWindowMs) return NotFound("the link has expired", "token");
      auto changed = tx.Change("UPDATE echo_subscriptions SET confirmed = $1, last_sent = $1 WHERE id = $2",
                               {now_ms, s.id});
      if (!changed.ok()) return changed.status();
      s.confirmed_ms = s.last_sent_ms = now_ms;
    }
    found = std::move(s);
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return std::move(*found);
}

Status SubscriptionStore::Remove(const std::string& token) {
  if (token.empty() || token.size() > 100) return NotFound("no subscription with this link", "token");
  return db_.Write([&](sql::Tx& tx) -> Status {
    auto removed = tx.Change("DELETE FROM echo_subscriptions WHERE token = $1", {token});
    if (!removed.ok()) return removed.status();
    return *removed == 0 ? NotFound("no subscription with this link", "token") : Status::Ok();
  });
}

Result<std::vector<Subscription>> SubscriptionStore::Due(int64_t now_ms, int64_t interval_ms, int64_t limit) {
  auto rows = sql::ReadQuery(db_, std::string(kSelect) +
                                      " WHERE confirmed IS NOT NULL AND last_sent <= $1 ORDER BY last_sent, id LIMIT $2",
                             {now_ms - interval_ms, limit});
  if (!rows.ok()) return rows.status();
  std::vector<Subscription> out;
  out.reserve(rows->size());
  for (const sql::Row& r : *rows) out.push_back(SubscriptionOf(r));
  return out;
}

Result<bool> SubscriptionStore::RecordDigest(const Subscription& s, int64_t now_ms,
                                             const std::optional<mail::Mail>& digest) {
  bool recorded = false;
  Status done = db_.Write([&](sql::Tx& tx) -> Status {
    auto claimed = tx.Change("UPDATE echo_subscriptions SET last_sent = $1 WHERE id = $2 AND last_sent = $3",
                             {now_ms, s.id, s.last_sent_ms});
    if (!claimed.ok()) return claimed.status();
    if (*claimed == 0) return Status::Ok();
    if (digest) {
      auto queued = mail::Outbox::Enqueue(tx, *digest);
      if (!queued.ok()) return queued.status();
    }
    recorded = true;
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return recorded;
}

Result<int64_t> SubscriptionStore::ForgetUnconfirmed(int64_t created_before_ms) {
  int64_t removed = 0;
  Status done = db_.Write([&](sql::Tx& tx) -> Status {
    auto gone = tx.Change("DELETE FROM echo_subscriptions WHERE confirmed IS NULL AND created < $1", {created_before_ms});
    if (!gone.ok()) return gone.status();
    removed = *gone;
    return Status::Ok();
  });
  if (!done.ok()) return done;
  return removed;
}

Result<int64_t> SubscriptionStore::CountConfirmed() {
  auto rows = sql::ReadQuery(db_, "SELECT COUNT(*) FROM echo_subscriptions WHERE confirmed IS NOT NULL");
  if (!rows.ok()) return rows.status();
  return rows->at(0).Int(0);
}

Result<int64_t> SendDigests(SubscriptionStore& subscriptions, ReportStore& reports, const Services& services,
                            const std::string& base_url, int64_t now_ms, int64_t interval_ms, int64_t limit) {
  auto due = subscriptions.Due(now_ms, interval_ms, limit);
  if (!due.ok()) return due.status();
  if (due->empty()) return int64_t{0};
  // One read of what happened since the oldest due digest serves them all.
  int64_t since = std::numeric_limits<int64_t>::max();
  for (const Subscription& s : *due) since = std::min(since, s.last_sent_ms);
  Activity activity;
  ReportQuery filed;
  filed.requested_from_ms = since + 1;
  filed.requested_to_ms = now_ms;
  filed.limit = 100'000;
  auto found = reports.List(filed);
  if (!found.ok()) return found.status();
  activity.filed = std::move(found).value();
  auto changes = reports.Updates(since + 1, now_ms, 100'000);
  if (!changes.ok()) return changes.status();
  activity.changes = std::move(changes).value();
  std::vector<int64_t> ids;
  for (const ReportEvent& e : activity.changes) ids.push_back(e.report_id);
  auto changed = ReportsByIds(reports, std::move(ids));
  if (!changed.ok()) return changed.status();
  activity.changed = std::move(changed).value();

  int64_t queued = 0;
  for (const Subscription& s : *due) {
    const auto digest = DigestMail(s, activity, services, base_url, now_ms);
    auto recorded = subscriptions.RecordDigest(s, now_ms, digest);
    if (!recorded.ok()) return recorded.status();
    if (*recorded && digest) ++queued;
  }
  return queued;
}

}  // namespace datenwerk::echo
